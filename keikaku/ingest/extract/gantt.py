"""Phase grids: a measure's 年次計画 written as a small Gantt chart — one row per phase, one column per
fiscal year, the years a phase runs marked (■ ● ○ ◆, a bar ━ or an arrow):

    | 年次計画 | 令和6年度 | 令和7年度 | 令和8年度 |
    | 検討     | ■         |           |           |
    | 実施     |           | ■         | ■         |     → 2024 検討, 2025 実施, 2026 実施

A row is a phase only when its first cell names a phase word (検討, 実施, 導入, 運用 …); a table whose
first column names measures (one row per measure, marks per year) is a schedule table (tables.py).
The grid belongs to the measure just before it (a card, a heading, a labelled item).
"""

from __future__ import annotations

import re

from keikaku.core.fiscal import column_header_year
from keikaku.core.plan import ScheduleEntry
from keikaku.core.schedule import fill_schedule, is_arrow, is_dash, is_mark, normalise_phase, phase_parts
from keikaku.ingest.blocks import Table
from keikaku.ingest.extract.common import clean_text
from keikaku.ingest.tolerances import TOLERANCES as TOL

_FILLED = set("■◆●○◎〇◯★▲✓✔━―─＝=▬█")


def _filled(text: str) -> bool | None:
    """True for a mark, arrow or bar; False for blank / □ / -; None for anything else (words)."""
    s = clean_text(text).strip()
    if not s or s in ("□", "☐") or is_dash(s):
        return False
    if is_mark(s) or is_arrow(s) or all(c in _FILLED for c in s):
        return True
    return None


def phase_grid(table: Table) -> list[ScheduleEntry] | None:
    """The schedule of a phase grid, or None when the table is not one."""
    grid = table.grid()
    if len(grid) < 2:
        return None
    header = [clean_text(c.text) for c in grid[0]]
    if header and column_header_year(header[0]) is not None:
        return None  # the first column is a year too: one row of phases (year_row_grid), no phase names
    years = {k: fy for k, h in enumerate(header) if k > 0 and (fy := column_header_year(h)) is not None}
    if len(years) < 2:
        return None
    out: dict[int, str] = {}
    for row in grid[1:]:
        word = clean_text(row[0].text) if row else ""
        if not word:
            continue
        parts = phase_parts(word)
        if len(word) > 8 or re.search(r"[のをにへとが]", word):
            return None  # a measure's name ("電子申請の拡充"), not a phase word
        if not parts or parts == ["active"] or parts == ["continue"]:
            return None
        for k, fy in years.items():
            if k >= len(row):
                continue
            filled = _filled(row[k].text)
            if filled is None:
                return None
            if filled:
                out.setdefault(fy, word)
    if not out:
        return None
    return [
        ScheduleEntry(fiscal_year=fy, written=w, phase=normalise_phase(w)) for fy, w in sorted(out.items())
    ]


def year_row_grid(table: Table) -> list[ScheduleEntry] | None:
    """A measure's schedule as one row under a header of fiscal years, with no name column:

        | 令和4年度 | 令和5年度 | 令和6年度 |
        | 検討      | 実施      | →         |     → 2022 検討, 2023 実施, 2024 実施

    (or marks: ○ ○ ● as written). A merged cell covers every year it spans. None when the table is not
    one (a header cell that is no year, more than one body row)."""
    grid = table.grid()
    if len(grid) != 2:
        return None
    header = [clean_text(c.text) for c in grid[0]]
    years = [column_header_year(h) if h else None for h in header]
    if sum(1 for y in years if y is not None) < 2 or any(
        h and y is None for h, y in zip(header, years, strict=True)
    ):
        return None
    cells: list[tuple[int, str]] = []
    for cell, fy in zip(grid[1], years, strict=False):
        if fy is None:
            continue
        text = "→" if cell.is_span_copy else clean_text(cell.text)
        if len(text) > TOL.gantt_cell_max_chars or "。" in text:
            return None
        cells.append((fy, text))
    entries = fill_schedule(cells, empty_continues=False)
    return entries or None
