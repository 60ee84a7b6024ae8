from collections.abc import Mapping, Sequence

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from keikaku.core.fiscal import fiscal_year_label
from keikaku.core.pillars import pillar_code, pillar_label
from keikaku.services.portal import MeasureRow

register = template.Library()

DIRECTIONS = {
    "increase": _("増やす"),
    "decrease": _("減らす"),
    "keep": _("維持"),
    "qualitative": _("達成・実施"),
}
PHASES = {
    "study": _("検討"),
    "prepare": _("準備"),
    "build": _("構築"),
    "implement": _("実施"),
    "operate": _("運用"),
    "expand": _("拡充"),
    "migrate": _("移行"),
    "review": _("見直し"),
    "done": _("完了"),
    "continue": _("継続"),
    "active": _("実施年度"),
}


@register.filter
def fy(value: int | None) -> str:
    """2025 → 令和7年度 (2025) (FY2025 in English)."""
    return fiscal_year_label(value, get_language())


@register.filter
def pillar(code: str) -> str:
    return pillar_label(code)


@register.filter
def percent(ratio: float | None) -> str:
    """An attainment ratio as a percentage: 0.75 → 75%; none → —."""
    return "—" if ratio is None else f"{ratio * 100:.0f}%"


@register.filter
def pillar_codes(codes: Sequence[str] | None) -> str:
    """["B", "other"] → "B, その他"."""
    return ", ".join(pillar_code(c) for c in codes or ())


@register.filter
def direction(value: object) -> str:
    """KPI direction (increase …) in words; an enum or its value."""
    key = getattr(value, "value", value)
    return str(DIRECTIONS.get(str(key), "")) if key else "—"


@register.filter
def phase(value: str | None) -> str:
    return str(PHASES.get(value or "", value or "—"))


@register.filter
def nth(values: Sequence[object] | None, index: int) -> object:
    """values[index], or "" when out of range."""
    try:
        return values[int(index)] if values is not None else ""
    except (IndexError, ValueError, TypeError):
        return ""


@register.simple_tag
def measure_rows(rows: Sequence[MeasureRow], statuses: Mapping[int, tuple[str, str]] | None = None) -> str:
    """The <tr> rows of a plan's measure table, built in Python (a 100-measure plan page spends most of
    its time rendering this loop as template nodes). Every value is escaped. ``statuses``: measure id →
    (status word, kind) for the 状況 column (none: no column). Each cell carries its column's name
    (data-label) for the stacked layout of narrow screens."""
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    prefix = reverse("portal:measure", args=[0])[: -len("0/")]
    flag_priority = f' <span class="flag">{escape(gettext("重点"))}</span>'
    flag_reposted = f' <span class="flag">{escape(gettext("再掲"))}</span>'
    labels = {name: escape(gettext(name)) for name in ("番号", "施策", "柱", "重点分野", "担当", "状況")}
    out = []
    for ms in rows:
        status = ""
        if isinstance(statuses, Mapping):  # an unset template variable arrives as ""
            word, kind = statuses.get(ms.id, (gettext("未報告"), "unreported"))
            status = (
                f'<td data-label="{labels["状況"]}"><span class="status status-{escape(kind)}">'
                f"{escape(word)}</span></td>"
            )
        out.append(
            f'<tr><td data-label="{labels["番号"]}">{escape(ms.key or "")}</td>'
            f'<td data-label="{labels["施策"]}"><a href="{prefix}{int(ms.id)}/">{escape(ms.title)}</a>'
            f"{flag_priority if ms.priority else ''}{flag_reposted if ms.reposted else ''}</td>"
            f'<td data-label="{labels["柱"]}">{escape(pillar_codes(ms.pillars))}</td>'
            f'<td data-label="{labels["重点分野"]}">{escape("、".join(ms.areas))}</td>'
            f'<td data-label="{labels["担当"]}">{escape("、".join(ms.departments))}</td>'
            f'<td data-label="KPI">{"<br>".join(escape(k) for k in ms.kpis)}</td>{status}</tr>'
        )
    return mark_safe("\n".join(out))
