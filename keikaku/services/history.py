"""measure_history: who changed what and when — a measure, its plan, its KPIs, its progress reports,
their KPI actuals and its evaluations — newest first, in one query per kind of record (never one per row).

simple_history's ``prev_record`` asks the database once per record; here each kind's records are read
once and every record is compared with the previous record of the same object in memory (the same rule:
the latest record with an earlier ``history_date``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services.changes import measure_changes, text
from keikaku.services.people import Actor, require

# kinds of record, in the order the page lists records of the same instant
KINDS = ("plan", "measure", "kpi", "report", "actual", "evaluation", "edit")


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str  # the username, "" when the change was made outside a login (CLI, import)
    kind: str  # one of KINDS
    type: str  # 追加 / 変更 / 削除 (created / changed / deleted in English pages)
    fields: list[str]  # the names of the fields that changed (empty for a creation)
    changes: tuple[
        str, ...
    ] = ()  # what changed in words: 「状態: 提出済 → 承認済」 (bookkeeping fields left out)


# fields a clerk does not read in a history: counters, timestamps and who (the row's own columns say it)
_BOOKKEEPING = {
    "revision",
    "created_at",
    "updated_at",
    "submitted_at",
    "reviewed_at",
    "opened_at",
    "closed_at",
    "decided_at",
    "published_at",
    "created_by",
    "updated_by",
    "reviewed_by",
    "evaluated_by",
    "search_text",
}
TYPES = {"+": _("追加"), "~": _("変更"), "-": _("削除")}


def _shown(field: Any, value: Any) -> str:
    """A field's value as the history shows it: a choice by its label (提出済, not submitted)."""
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and not isinstance(value, dict | list) and value in choices:  # a JSON value is no choice
        return str(choices[value])
    return text(value)


def _sentences(model: Any, changes: Any) -> tuple[str, ...]:
    out = []
    for c in changes:
        if c.field in _BOOKKEEPING:
            continue
        try:
            f = model._meta.get_field(c.field)
        except Exception:  # noqa: BLE001 - a column the model no longer has: its name is all there is
            out.append(f"{c.field}: {text(c.old)} → {text(c.new)}")
            continue
        if f.is_relation:
            continue  # ids mean nothing to a reader; the record kind and the measure say what it is
        out.append(f"{f.verbose_name}: {_shown(f, c.old)} → {_shown(f, c.new)}")
    return tuple(out)


def _entries(kind: str, qs: Any) -> list[HistoryEntry]:
    rows = list(qs.select_related("history_user").order_by("history_date", "history_id"))
    by_object: dict[Any, list[Any]] = defaultdict(list)
    for h in rows:
        by_object[h.id].append(h)
    prev: dict[int, Any] = {}
    for records in by_object.values():
        for i, h in enumerate(records):
            j = i - 1
            while j >= 0 and records[j].history_date == h.history_date:  # same instant: not "before"
                j -= 1
            prev[h.history_id] = records[j] if j >= 0 else None
    out = []
    for h in reversed(rows):  # newest first, as the history tables are ordered
        before = prev[h.history_id]
        changes = h.diff_against(before).changes if before else []
        out.append(
            HistoryEntry(
                when=h.history_date,
                who=h.history_user.get_username() if h.history_user else "",
                kind=kind,
                type=str(TYPES.get(h.history_type, h.history_type)),
                fields=[c.field for c in changes],
                changes=_sentences(h.instance_type, changes),
            )
        )
    return out


def measure_history(actor: Actor, measure: pm.Measure) -> list[HistoryEntry]:
    """The change history around ``measure``, newest first. Members of the plan's organisation only."""
    require(actor, "history.view", measure.plan)
    entries = [
        *_entries("plan", measure.plan.history.all()),
        *_entries("measure", measure.history.all()),
        *_entries("kpi", pm.Kpi.history.filter(measure_id=measure.pk)),
        *_entries("report", gm.ProgressReport.history.filter(measure_id=measure.pk)),
        *_entries("actual", gm.KpiActual.history.filter(report__measure_id=measure.pk)),
        *_entries("evaluation", gm.Evaluation.history.filter(measure_id=measure.pk)),
    ]
    entries += [  # the editor's own log: what changed, old → new in Japanese
        HistoryEntry(
            when=c.at, who=c.who, kind="edit", type=c.action_label, fields=[], changes=(c.target, *c.lines)
        )
        for c in measure_changes(actor, measure)
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
