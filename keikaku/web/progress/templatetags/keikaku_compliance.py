"""``{% compliance_panel findings %}``: the 手引への適合 panel (keikaku.core.compliance findings, grouped by
rule, in the page's language) shown on the plan editor, the import review and the plan page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from keikaku.core.compliance import Finding, grouped

register = template.Library()


@register.inclusion_tag("editor/_compliance.html")
def compliance_panel(findings: list[Finding] | None, gaps_url: str = "", level: int = 2) -> dict[str, Any]:
    lang = "en" if (get_language() or "ja").startswith("en") else "ja"
    groups = [
        {
            "section": g.rule.section,
            "asks": g.rule.en if lang == "en" else g.rule.ja,
            "count": g.count,
            "messages": [f.message(lang) for f in g.findings],
        }
        for g in grouped(findings or [])
    ]
    return {
        "groups": groups,
        "total": sum(g["count"] for g in groups),
        "gaps_url": gaps_url,
        "h": f"h{level}",
        "h_sub": f"h{level + 1}",
    }
