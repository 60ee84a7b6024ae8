"""Gantt bars drawn as filled shapes in a PDF table: a phase word printed over a bar covers every year the
bar covers.

A schedule chart in a PDF is often a ruled table whose year cells are filled (the cell's background, or one
rectangle drawn across several cells) with the phase word printed once, on the bar::

    ┌────────────┬──────┬──────┬──────┬──────┐
    │ 取組        │ R7   │ R8   │ R9   │ R10  │
    ├────────────┼──────┼──────┼──────┼──────┤
    │ 電子申請    │▓検討▓│▓▓▓▓▓▓│      │      │   → 検討 R7–R8 (not R7 alone, and not R7–R10)
    │ 窓口改革    │      │▓実施▓│▓▓▓▓▓▓│▓▓▓▓▓▓│   → 実施 R8–R10
    └────────────┴──────┴──────┴──────┴──────┘

Read as text the row says "検討" in R7 and nothing after it, which cannot tell a bar that stops from one
that goes on. Here a row's run of adjacent cells that are each mostly covered by filled (not white) shapes
becomes merged cells — the same a DOCX or HTML chart gives — when the run holds words in some of its cells
but not in all (a shaded header or total row has text in every cell and stays as it is; a bar with no word
gives nothing, as before). Each word's cell starts a bar that runs to the next word's (two phases drawn as
touching bars of one colour); blank covered cells before the first word are part of the first bar.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c

from keikaku.ingest.blocks import Cell

MIN_BAR_SIDE = 3.0  # points: a filled shape thinner than this is a rule, not a bar
COVERED = 0.5  # the share of a cell's area a bar must cover for the cell to be part of it
WHITE = 235  # every colour component at or above this (0–255) is paper, not a bar
MAX_FILLS = 5000  # filled shapes looked at per page (a drawing has more; the rest are ignored)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (top-based, PDF points)


def filled_boxes(page_raw: Any, height: float) -> list[Box]:
    """The page's filled, coloured path objects of at least MIN_BAR_SIDE on both sides (top level only)."""
    out: list[Box] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(pdfium_c.FPDFPage_CountObjects(page_raw)):
        obj = pdfium_c.FPDFPage_GetObject(page_raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) or not fill.value:
            continue
        if not pdfium_c.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in (r, g, b, a))):
            continue
        if a.value == 0 or min(r.value, g.value, b.value) >= WHITE:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(c) for c in (left, bottom, right, top))):
            continue
        if right.value - left.value < MIN_BAR_SIDE or top.value - bottom.value < MIN_BAR_SIDE:
            continue
        out.append((left.value, height - top.value, right.value, height - bottom.value))
        if len(out) >= MAX_FILLS:
            break
    return out


def _covered(box: Box, fills: list[Box]) -> bool:
    x0, t0, x1, b0 = box
    area = max(x1 - x0, 0.0) * max(b0 - t0, 0.0)
    if area <= 0:
        return False
    over = 0.0
    for fx0, ft, fx1, fb in fills:
        w, h = min(x1, fx1) - max(x0, fx0), min(b0, fb) - max(t0, ft)
        if w > 0 and h > 0:
            over += w * h
    return over >= COVERED * area


def join_bars(placed: list[tuple[int, int, Cell, Box]], fills: list[Box]) -> list[tuple[int, int, Cell, Box]]:
    """Cells (row, column, cell, box) with each bar's run of cells (of one row and height) joined."""
    if not fills:
        return placed
    by_row: dict[int, list[tuple[int, int, Cell, Box]]] = {}
    for item in placed:
        by_row.setdefault(item[0], []).append(item)
    out: list[tuple[int, int, Cell, Box]] = []
    for row in by_row.values():
        row.sort(key=lambda item: item[1])
        run: list[tuple[int, int, Cell, Box]] = []
        for item in row:
            if not _covered(item[3], fills):
                out.extend(_joined(run))
                out.append(item)
                run = []
            elif run and (
                run[-1][1] + run[-1][2].colspan != item[1] or run[-1][2].rowspan != item[2].rowspan
            ):
                out.extend(_joined(run))
                run = [item]
            else:
                run.append(item)
        out.extend(_joined(run))
    return out


def _joined(run: list[tuple[int, int, Cell, Box]]) -> list[tuple[int, int, Cell, Box]]:
    """A run of covered cells → one cell per word: a word's bar runs from its cell to the next word (two
    phases drawn as touching bars of one colour), blank covered cells before the first word belong to it."""
    texts = [item[2].text for item in run]
    if len(run) < 2 or all(texts) or not any(texts):
        return run
    starts = [i for i, t in enumerate(texts) if t]
    starts[0] = 0
    out = []
    for k, a in enumerate(starts):
        part = run[a : starts[k + 1] if k + 1 < len(starts) else len(run)]
        r0, c0, _, first = part[0]
        box = (first[0], first[1], part[-1][3][2], first[3])
        span = sum(item[2].colspan for item in part)
        text = "".join(item[2].text for item in part if item[2].text)
        out.append((r0, c0, Cell(text, rowspan=part[0][2].rowspan, colspan=span), box))
    return out
