"""Tables without rules in a PDF: text set in columns separated by wide blank gaps.

Word tables with no borders come out of LibreOffice (and Word) as loose text: every cell line is a
run of characters at its column's x. On a page where no ruled table was found, each text line is
split into runs at gaps wider than ``TOL.pdf_cell_gap_em`` em; runs at about the same height make a visual row;
a stretch of visual rows whose runs start at the same x positions (≥ 3 columns, ≥ 3 rows split that
way) is a table. A visual row close under the previous one (line pitch) continues the cells of the
row above (a wrapped cell); a bigger pitch opens a new row.

It must not fire on prose, tables of contents (leader dots, page numbers in the last column) or a
page set in two or three text columns (long runs in every column and no header-like first row).
Used by ``readers/pdf.py``; cheap: pages whose lines hold no blank are skipped, and only the
characters next to a blank are asked for their boxes.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any, Protocol

import pypdfium2.raw as pdfium_c

from keikaku.ingest.blocks import Cell, Table
from keikaku.ingest.markers import TOC_LEADER as _LEADER
from keikaku.ingest.readers.pdf_cells import CellLine, cell_text, clean_chars
from keikaku.ingest.tolerances import TOLERANCES as TOL

_INT = re.compile(r"^[0-9０-９]{1,4}$")
_SENTENCE = re.compile(r"[。、．，]")


class LineLike(Protocol):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    start: int  # index of the line's first character in the page text
    end: int  # index of its last character


@dataclass
class Run:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    em: float


@dataclass
class GridTable:
    table: Table
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom (top-based)
    columns: list[float]


def _runs(raw: Any, text: str, lines: Sequence[LineLike], em: float) -> list[Run]:
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))

    def box(i: int) -> tuple[float, float] | None:
        if pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
            return left.value, right.value
        return None

    out: list[Run] = []
    for line in lines:
        s, e = line.start, line.end
        seg = text[s : e + 1]
        size = line.size if line.size >= 4 else em
        if " " not in seg and "\u3000" not in seg:
            out.append(Run(line.text, line.x0, line.x1, line.top, line.bottom, size))
            continue
        cuts: list[tuple[int, int, float, float]] = []  # (end of left run, start of right run, x1, x0)
        i = s
        while i <= e:
            if not text[i].isspace():
                i += 1
                continue
            j = i
            while j <= e and text[j].isspace():
                j += 1
            a, b = box(i - 1), box(j) if j <= e else None
            if a and b and b[0] - a[1] > TOL.pdf_cell_gap_em * size:
                cuts.append((i - 1, j, a[1], b[0]))
            i = j
        start, x_start = s, line.x0
        for left_end, right_start, x_end, x_next in cuts:
            out.append(
                Run(
                    clean_chars(text[start : left_end + 1]).strip(),
                    x_start,
                    x_end,
                    line.top,
                    line.bottom,
                    size,
                )
            )
            start, x_start = right_start, x_next
        out.append(
            Run(clean_chars(text[start : e + 1]).strip(), x_start, line.x1, line.top, line.bottom, size)
        )
    return [r for r in out if r.text]


def _rows(runs: list[Run]) -> list[list[Run]]:
    """Runs at about the same height as visual rows, top to bottom, each left to right."""
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        if rows and abs(run.top - rows[-1][0].top) <= 0.4 * run.em:
            rows[-1].append(run)
        else:
            rows.append([run])
    for row in rows:
        row.sort(key=lambda r: r.x0)
    return rows


def _column(cols: list[float], x: float, tol: float) -> int | None:
    for k, c in enumerate(cols):
        if abs(x - c) <= tol:
            return k
    return None


def _fits(row: list[Run], cols: list[float], tol: float) -> list[int] | None:
    """The column of each run when every run starts at a column and ends before the next one."""
    out: list[int] = []
    for run in row:
        k = _column(cols, run.x0, tol)
        if k is None or (k + 1 < len(cols) and run.x1 > cols[k + 1] - 0.5 * tol):
            return None
        if out and k <= out[-1]:
            return None
        out.append(k)
    return out


def _header_like(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return len(filled) >= TOL.pdf_grid_min_columns and all(
        len(c) <= 12 and not _SENTENCE.search(c) for c in filled
    )


def _plausible(grid: list[list[str]]) -> bool:
    """Not a table of contents, not prose set in columns."""
    n_cols = len(grid[0])
    used = [sum(1 for row in grid if row[k]) for k in range(n_cols)]
    if sum(u >= 2 for u in used) < TOL.pdf_grid_min_columns:
        return False
    flat = [c for row in grid for c in row if c]
    if sum(bool(_LEADER.search(c)) for c in flat) >= max(2, len(grid) // 2):
        return False
    header = _header_like(grid[0])
    body = grid[1:] if header else grid
    last = [row[-1] for row in body if row[-1]]
    if len(last) >= 2 and all(_INT.match(c) for c in last):
        pages = [int(c) for c in last]
        if pages == sorted(pages):  # page numbers down the last column
            return False
    if header:
        return True
    # no header: a table still has a column of short entries (numbers, departments, years)
    return any(median([len(row[k]) for row in grid if row[k]] or [99]) <= 8 for k in range(n_cols))


def _build(rows: list[list[Run]], cols: list[float], tol: float) -> tuple[Table, list[list[str]]] | None:
    pitches = [b[0].top - a[0].top for a, b in zip(rows, rows[1:], strict=False)]
    line_pitch = min(pitches)
    distinct = max(pitches) > 1.25 * line_pitch
    logical: list[list[list[Run]]] = []
    for r, row in enumerate(rows):
        ks = _fits(row, cols, tol) or []
        opens = r == 0 or (pitches[r - 1] > 1.25 * line_pitch if distinct else len(row) * 2 >= len(cols))
        if opens:
            logical.append([[] for _ in cols])
        for run, k in zip(row, ks, strict=True):
            logical[-1][k].append(run)
    table_rows: list[list[Cell]] = []
    grid: list[list[str]] = []
    # a column's right edge: where its longest lines end (a wrapped cell line runs up to it)
    edges = [max((r.x1 for cells in logical for r in cells[k]), default=0.0) for k in range(len(cols))]
    for cells in logical:
        texts = []
        for k, runs in enumerate(cells):
            edge = edges[k]
            texts.append(
                cell_text([CellLine(r.text, r.x1, r.em, r.top, r.bottom) for r in runs], edge) if runs else ""
            )
        grid.append(texts)
        table_rows.append([Cell(t) for t in texts])
    if len(grid) < 2 or not _plausible(grid):
        return None
    return Table(rows=table_rows), grid


def find_grid_tables(textpage: Any, lines: Sequence[LineLike]) -> list[GridTable]:
    """Unruled tables on a page (call only when no ruled table was found there)."""
    # cheap test first: lines with a blank inside, or lines side by side at one height
    tops = sorted(ln.top for ln in lines)
    side_by_side = sum(1 for a, b in zip(tops, tops[1:], strict=False) if b - a < 2)
    if side_by_side + sum(1 for ln in lines if " " in ln.text or "\u3000" in ln.text) < 2:
        return []
    sizes = sorted(ln.size for ln in lines if ln.size >= 4)
    em = sizes[len(sizes) // 2] if sizes else 10.0
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    text = textpage.get_text_range(0, n)
    if len(text) != n:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(n))
    rows = _rows(_runs(raw, text, lines, em))
    tol = max(3.0, 0.5 * em)
    found: list[GridTable] = []
    i = 0
    while i < len(rows):
        if len(rows[i]) < TOL.pdf_grid_min_columns:
            i += 1
            continue
        cols = [run.x0 for run in rows[i]]
        last, split = i, 1
        for j in range(i + 1, len(rows)):
            row = rows[j]
            prev = rows[last]
            gap = row[0].top - max(run.bottom for run in prev)
            if gap > 3 * em or _fits(row, cols, tol) is None:
                break
            if len(row) == 1 and gap > 0.8 * em:  # a lone line after a row gap: text under the table
                break
            split += len(row) >= TOL.pdf_grid_min_columns
            last = j
        span = rows[i : last + 1]
        built = _build(span, cols, tol) if split >= TOL.pdf_grid_min_split_rows else None
        if built is None:
            i += 1
            continue
        table, _grid = built
        runs = [run for row in span for run in row]
        bbox = (
            min(r.x0 for r in runs),
            min(r.top for r in runs),
            max(r.x1 for r in runs),
            max(r.bottom for r in runs),
        )
        found.append(GridTable(table, bbox, [*cols, bbox[2]]))
        i = last + 1
    return found
