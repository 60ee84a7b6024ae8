from collections.abc import Sequence

from django import template
from django.utils.translation import gettext_lazy as _

from keikaku.core.fiscal import display
from keikaku.core.pillars import pillar_label

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
    """2025 → 令和7年度 (2025)."""
    return display(value) if value else ""


@register.filter
def pillar(code: str) -> str:
    return pillar_label(code)


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
