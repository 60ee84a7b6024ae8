from django import template

from keikaku.core.fiscal import display
from keikaku.core.pillars import pillar_label

register = template.Library()


@register.filter
def fy(value: int | None) -> str:
    """2025 → 令和7年度 (2025)."""
    return display(value) if value else ""


@register.filter
def pillar(code: str) -> str:
    return pillar_label(code)
