"""Words of the manage pages for what services return as codes or data: a refused write's message in the
page's language, the plan diff's fields and values (番号, KPI「…」 基準値 … 目標 …) — never a field name,
a code (increase, implement) or JSON."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from keikaku.core.fiscal import fiscal_year_label
from keikaku.core.pillars import pillar_code
from keikaku.web.portal.templatetags.keikaku_tags import DIRECTIONS, PHASES


def said(e: Exception) -> str:
    """A use case's message for the page's language: services write 「日本語 / English」; a Japanese page
    shows the Japanese half, an English page the English half."""
    text = str(e)
    ja, sep, en = text.partition(" / ")
    if not sep:
        return text
    return en.strip() if (get_language() or "ja").startswith("en") else ja.strip()


DIFF_FIELDS = {
    "key": _("番号"),
    "policy_key": _("施策体系の番号"),
    "title": _("施策名"),
    "description": _("内容"),
    "pillars": _("柱"),
    "priority_areas": _("重点分野"),
    "priority": _("重点取組"),
    "reposted": _("再掲"),
    "departments": _("担当部署"),
    "kpis": "KPI",
    "schedule": _("スケジュール"),
    "deadline_fy": _("期限"),
    "national_measures": _("関連する国の施策"),
    "notes": _("備考"),
}
MATCHED_BY = {
    "lineage": _("評価にもとづく引き継ぎで対応付け"),
    "key": _("番号（なければ施策名）で対応付け"),
}


def _fy(value: Any) -> str:
    return fiscal_year_label(value, get_language()) if isinstance(value, int) else ""


def _value(v: dict[str, Any] | None) -> str:
    if not v:
        return "—"
    year = _fy(v.get("fiscal_year"))
    return f"{v.get('value', '')}（{year}）" if year else str(v.get("value", ""))


def _kpi(k: dict[str, Any]) -> str:
    head = str(k.get("indicator", ""))
    if k.get("unit"):
        head += f"（{k['unit']}）"
    parts = [head, gettext("基準値 %(v)s") % {"v": _value(k.get("baseline"))}]
    targets = "、".join(_value(t) for t in k.get("targets") or []) or "—"
    parts.append(gettext("目標 %(v)s") % {"v": targets})
    if k.get("direction"):
        parts.append(str(DIRECTIONS.get(k["direction"], "")))
    return " ".join(p for p in parts if p)


def _schedule(e: dict[str, Any]) -> str:
    phase = e.get("phase")
    word = str(e.get("written") or PHASES.get(phase or "", ""))
    return f"{_fy(e.get('fiscal_year'))} {word}".strip()


def diff_value(field: str, value: Any) -> str:
    """A value of the plan diff in words."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("あり") if value else gettext("なし")
    if field == "kpis":
        return " / ".join(_kpi(k) for k in value)
    if field == "schedule":
        return "、".join(_schedule(e) for e in value)
    if field == "pillars":
        return ", ".join(pillar_code(str(c)) for c in value)
    if field == "deadline_fy":
        return _fy(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def diff_rows(diff: Any) -> list[dict[str, Any]]:
    """The diff's changed measures, one row per changed field, in words."""
    return [
        {
            "measure": f"{c.key or ''} {c.title}".strip(),
            "field": str(DIFF_FIELDS.get(ch.field, ch.field)),
            "old": diff_value(ch.field, ch.old),
            "new": diff_value(ch.field, ch.new),
        }
        for c in diff.changed
        for ch in c.changes
    ]


def kpi_reference(kpi: Any) -> str:
    """What an actual is read against, in words: 「基準値 10件（令和6年度） / 目標 40件（令和9年度）、60件（令和11年度）」."""
    base = "—"
    if getattr(kpi, "has_baseline", True) and kpi.baseline_value:
        base = _value({"value": kpi.baseline_value, "fiscal_year": kpi.baseline_fy})
    targets = "、".join(_value({"value": t.value, "fiscal_year": t.fiscal_year}) for t in kpi.targets.all())
    return gettext("基準値 %(b)s / 目標 %(t)s") % {"b": base, "t": targets or "—"}
