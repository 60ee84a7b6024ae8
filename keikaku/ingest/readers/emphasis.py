"""Bold runs as a style hint on a block: ``Block.style`` keeps the reader's style name and, after a
unit separator, the text of each bold run (``"Normal\\x1fb\\x1f<bold text>\\x1f<bold text>"``).

Readers that know run formatting (DOCX runs, HTML ``<b>``/``<strong>``, PDF font weight) record it;
layout recognisers (the guide's box title + 重点分野 glued in one line) split text at these runs.
The block's text is unchanged, so nothing else sees a difference.
"""

from __future__ import annotations

import re

SEP = "\x1f"
_TAG = f"{SEP}b{SEP}"


def with_bold(style: str | None, runs: list[str]) -> str | None:
    """The style hint with the bold runs' text (empty runs dropped; none → the style as it was)."""
    runs = [r.strip() for r in runs if r and r.strip()]
    if not runs:
        return style
    return (style or "") + _TAG + SEP.join(runs)


def bold_runs(style: str | None) -> list[str]:
    if not style or _TAG not in style:
        return []
    return style.split(_TAG, 1)[1].split(SEP)


def base_style(style: str | None) -> str | None:
    return style.split(_TAG, 1)[0] if style and _TAG in style else style


def bold_heading(text: str, bold: list[str]) -> bool:
    """A whole-paragraph bold short line without 。 or a label colon: a heading told apart only by bold
    (documents that set headings by direct formatting instead of heading styles)."""
    flat = re.sub(r"\s+", "", text)
    return (
        bool(flat)
        and len(flat) <= 40
        and "\n" not in text.strip()
        and not re.search(r"[。：:]", flat)
        and re.sub(r"\s+", "", "".join(bold)) == flat
    )
