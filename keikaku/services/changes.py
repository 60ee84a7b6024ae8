"""The editor's change log: each change to a plan version in words a clerk reads — 「目標値: 100件 → 120件」.

The use cases of keikaku.services.editing, plan_editing and workflow describe what they changed with
:func:`describe` and store it with :func:`log` (one :class:`PlanChange` row per use case call);
:func:`plan_changes` and :func:`measure_changes` read them back, newest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from keikaku.core.fiscal import display as fy_display
from keikaku.core.text import one_line
from keikaku.db.plans import models as pm
from keikaku.services.people import Actor, require

NONE = "（なし）"
SHORT = 60  # longer texts (内容, 本文) are cut in the log: the whole text is in the record itself

# what a change log entry's action says, in Japanese (the log is data: it stays Japanese in English pages)
ACTIONS = {
    "edit": "変更",
    "create": "追加",
    "copy": "複製",
    "move": "移動",
    "delete": "削除",
    "submit": "確認依頼",
    "approve": "承認",
    "return": "差戻し",
    "publish": "公開",
    "withdraw": "公開の取り下げ",
}


def text(value: Any) -> str:
    """A value as the log shows it: lists joined with 、, yes/no as あり/なし, empty as （なし）."""
    if value is None or value == "" or value == []:
        return NONE
    if isinstance(value, bool):
        return "あり" if value else "なし"
    if isinstance(value, list | tuple):
        return "、".join(text(v) for v in value)
    s = one_line(str(value))
    return s if len(s) <= SHORT else s[: SHORT - 1] + "…"


def fiscal(fy: int | None) -> str:
    return fy_display(fy) if fy else NONE


def describe(labels: dict[str, str], old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """「ラベル: 旧 → 新」 for each field in ``labels`` (in its order) whose value differs."""
    out = []
    for name, label in labels.items():
        a, b = old.get(name), new.get(name)
        if a != b:
            out.append(f"{label}: {text(a)} → {text(b)}")
    return out


def measure_label(ms: pm.Measure) -> str:
    return f"施策「{' '.join(filter(None, [ms.key or '', ms.title]))}」"


def log(
    actor: Actor,
    plan: pm.Plan,
    action: str,
    target: str,
    lines: Iterable[str] = (),
    *,
    now: datetime,
    measure: pm.Measure | None = None,
    comment: str = "",
) -> pm.PlanChange:
    """Store one change of ``plan`` (a step of a use case that has checked permission)."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return pm.PlanChange.objects.create(
        plan=plan,
        measure=measure,
        user=user,
        at=now,
        action=action,
        target=target[:1200],
        lines=list(lines),
        comment=comment,
    )


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str  # the username, "" when made at the server's command line
    action: str  # one of ACTIONS' keys
    action_label: str  # ACTIONS[action]
    target: str
    lines: list[str]
    comment: str
    measure_id: int | None


def _changes(qs: Any, limit: int | None) -> list[Change]:
    rows = qs.select_related("user").order_by("-at", "-pk")
    if limit:
        rows = rows[:limit]
    return [
        Change(
            at=c.at,
            who=c.user.get_username() if c.user else "",
            action=c.action,
            action_label=ACTIONS.get(c.action, c.action),
            target=c.target,
            lines=list(c.lines),
            comment=c.comment,
            measure_id=c.measure_id,
        )
        for c in rows
    ]


def plan_changes(actor: Actor, plan: pm.Plan, *, limit: int | None = None) -> list[Change]:
    """The plan version's change log, newest first. Members of its organisation only."""
    require(actor, "history.view", plan)
    return _changes(pm.PlanChange.objects.filter(plan=plan), limit)


def measure_changes(actor: Actor, measure: pm.Measure, *, limit: int | None = None) -> list[Change]:
    """The changes made to one measure (its KPIs and schedule included), newest first. Members only."""
    require(actor, "history.view", measure.plan)
    return _changes(pm.PlanChange.objects.filter(measure=measure), limit)
