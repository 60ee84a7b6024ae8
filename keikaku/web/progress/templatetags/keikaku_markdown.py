"""``{{ text|markdown }}``: a section's Markdown as HTML, safely — raw HTML in the text is shown as text
(markdown-it with html off), links only to http(s), mailto and relative addresses."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
_safe_link = _md.validateLink


def _validate(url: str) -> bool:
    u = url.strip().lower()
    if ":" in u.split("/", 1)[0] and not u.startswith(("http:", "https:", "mailto:")):
        return False
    return _safe_link(url)


_md.validateLink = _validate  # type: ignore[method-assign]


_HEADING = re.compile(r"<(/?)h([1-6])>")


@register.filter(is_safe=True)
def markdown(text: str | None, top: int = 3) -> SafeString:
    """The HTML of ``text``; its headings start at level ``top`` (# → h3 under a page's h2)."""
    html = _md.render(text or "")
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + int(top) - 1)}>", html)
    return mark_safe(html)  # noqa: S308 - markdown-it escapes all text; html is off
