"""Pages set in two or three text columns (a 概要版 leaflet): read column by column.

PDFium breaks a page's text into lines by position, so two columns whose lines sit at one height come
out as one line ("1 電子申請の拡充 4 子育て相談の充実"), and even columns written one after the other
lose their wrapped paragraphs. Here each line is first cut at blanks wider than ``TOL.pdf_column_gap_em`` em (the
characters beside a blank are asked for their boxes); then a page has columns when

- a vertical gutter (an x-range no piece covers, ≥ ``TOL.pdf_min_gutter_em`` em wide) runs through the
  column region, and that region is at least ``TOL.pdf_min_column_region`` of the page height; pieces crossing the
  gutter (a title over both columns, a footer) lie above or below the region, never inside it;
- there are two or three columns, each at least ``TOL.pdf_min_column_lines`` lines, ``TOL.pdf_min_column_em`` em
  and ``TOL.pdf_min_column_share`` of the text width wide (not a narrow side note), with ``TOL.pdf_min_full_lines``
  lines running up to its right edge (prose that wraps, not the short cells of a table).

The reader calls it only on pages without a ruled table, before the unruled-table finder
(``readers/pdf_grid.py``). The blocks then run: the full-width lines above, the left column top to
bottom, the next column, the full-width lines below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import pypdfium2.raw as pdfium_c

from keikaku.ingest.tolerances import TOLERANCES as TOL


class Piece(Protocol):
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


P = TypeVar("P", bound=Piece)


@dataclass
class Columns(Generic[P]):
    lines: list[P]  # in reading order
    ranges: list[tuple[float, float]]  # x0, x1 of each column (its right edge is x1)


def cuts(raw: Any, text: str, start: int, end: int, em: float) -> list[tuple[int, int]]:
    """The (first, last) character indices of a line's pieces, cut at blanks wider than TOL.pdf_column_gap_em em."""
    seg = text[start : end + 1]
    if " " not in seg and "\u3000" not in seg:
        return [(start, end)]
    rect = pdfium_c.FS_RECTF()

    def box(i: int) -> tuple[float, float]:
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
        return rect.left, rect.right

    out: list[tuple[int, int]] = []
    first, i = start, start
    while i <= end:
        if not text[i].isspace():
            i += 1
            continue
        j = i
        while j <= end and text[j].isspace():
            j += 1
        if i > first and j <= end:
            size = pdfium_c.FPDFText_GetFontSize(raw, i - 1) or em
            if box(j)[0] - box(i - 1)[1] > TOL.pdf_column_gap_em * max(size, 1.0):
                out.append((first, i - 1))
                first = j
        i = j
    out.append((first, end))
    return out


def _em(pieces: Sequence[Piece]) -> float:
    sizes = sorted(p.size for p in pieces if p.size >= 4)
    return sizes[len(sizes) // 2] if sizes else 10.0


def _gutters(pieces: Sequence[Piece], em: float, left: float, right: float) -> list[tuple[float, float]]:
    """Blank x-ranges between ``left`` and ``right`` that no piece covers."""
    spans = sorted((p.x0, p.x1) for p in pieces)
    out: list[tuple[float, float]] = []
    reach = left
    for x0, x1 in spans:
        if x0 - reach >= TOL.pdf_min_gutter_em * em and reach > left:
            out.append((reach, x0))
        reach = max(reach, x1)
    return [g for g in out if g[1] <= right]


def find_columns(pieces: Sequence[P], page_height: float) -> Columns[P] | None:
    """The page's pieces in column order, or None when the page is not set in text columns."""
    if len(pieces) < 2 * TOL.pdf_min_column_lines:
        return None
    em = _em(pieces)
    left, right = min(p.x0 for p in pieces), max(p.x1 for p in pieces)
    width = right - left
    # the column region: pieces narrower than half the text width (a title or a footer across the
    # columns is wider, or sits above/below); a gutter is where none of them reaches
    narrow = [p for p in pieces if p.x1 - p.x0 < 0.5 * width]
    if len(narrow) < 2 * TOL.pdf_min_column_lines:
        return None
    left, right = min(p.x0 for p in narrow), max(p.x1 for p in narrow)
    gutters = _gutters(narrow, em, left, right)
    if not gutters or len(gutters) >= TOL.pdf_max_text_columns:
        return None
    edges = [left, *(x for g in gutters for x in g), right]
    ranges = [(edges[2 * k], edges[2 * k + 1]) for k in range(len(gutters) + 1)]
    columns: list[list[P]] = [[] for _ in ranges]
    crossing: list[P] = []
    for p in pieces:
        k = next((k for k, (a, b) in enumerate(ranges) if p.x0 >= a - 0.5 and p.x1 <= b + 0.5), None)
        (crossing if k is None else columns[k]).append(p)
    region_top = min(p.top for col in columns for p in col)
    region_bottom = max(p.bottom for col in columns for p in col)
    if region_bottom - region_top < TOL.pdf_min_column_region * page_height:
        return None
    above = [p for p in crossing if p.bottom <= region_top + 0.5 * em]
    below = [p for p in crossing if p.top >= region_bottom - 0.5 * em]
    if len(above) + len(below) != len(crossing):  # a line across the gutter inside the region
        return None
    for (a, b), col in zip(ranges, columns, strict=True):
        col_width = b - a
        if (
            len(col) < TOL.pdf_min_column_lines
            or col_width < TOL.pdf_min_column_em * em
            or col_width < TOL.pdf_min_column_share * width
            or sum(1 for p in col if p.x1 >= b - 1.5 * p.size) < TOL.pdf_min_full_lines
        ):
            return None
    ordered = sorted(above, key=lambda p: (p.top, p.x0))
    for col in columns:
        ordered += sorted(col, key=lambda p: (p.top, p.x0))
    ordered += sorted(below, key=lambda p: (p.top, p.x0))
    return Columns(ordered, ranges)
