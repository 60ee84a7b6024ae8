"""Tables with one row per measure, read by their column headers.

- measure / schedule tables: a title column (施策, 取組, 項目 … or the first text column) and any of
  fiscal-year columns (R2年度, 2022 (R4), 令和4年度 …), 担当部署, a pillar letter column (A–E), KPI,
  内容; schedule cells resolve arrows, merged cells and empty cells after a phase as "continues";
- target tables: 項目 / 現況 (基準) / 目標 with the years in the headers (2021 (R3) / 2025 (R7));
- pillar mapping tables: one column names the law's basic measures, another the plan's measures.

Tables of other shapes (glossaries, tables of contents, review tables with 現状 / 方向性) are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from keikaku.core.fiscal import column_header_year, find_years
from keikaku.core.plan import Kpi, ScheduleEntry
from keikaku.core.schedule import fill_schedule
from keikaku.ingest.blocks import Block, Cell, Table
from keikaku.ingest.extract.common import (
    clean_text,
    clean_title,
    label_kind,
    pillar_from_name,
    pillar_letters,
    split_departments,
    squash,
)
from keikaku.ingest.extract.draft import block_provenance
from keikaku.ingest.extract.kpi import infer_direction, kpi_from_row, parse_kpi_text, split_kpi_items
from keikaku.ingest.markers import split_marker

_TITLE_HEAD = re.compile(r"施策|取組|取り組み|事業|項目|名称|計画|内容")
_DESC_HEAD = re.compile(r"内容|概要|説明|目的")
_KPI_HEAD = re.compile(r"KPI|ＫＰＩ|指標")
_DEPT_HEAD = re.compile(r"担当|所管|部署|主管|関係課|実施主体")
_PILLAR_HEAD = re.compile(r"官民データ|柱|基本的施策|基本法|分類")
_TARGET_HEAD = re.compile(r"目標")
_BASE_HEAD = re.compile(r"現況|現状値|現状|基準|実績|策定時")
_REVIEW_HEAD = re.compile(r"方向性|評価|進捗状況")


@dataclass
class Columns:
    header_rows: int
    title: int | None = None
    years: dict[int, int] = field(default_factory=dict)  # column → fiscal year
    description: int | None = None
    kpi: int | None = None
    department: int | None = None
    pillar: int | None = None
    target: int | None = None
    baseline: int | None = None
    target_year: int | None = None
    baseline_year: int | None = None

    @property
    def is_targets(self) -> bool:
        return self.target is not None and self.title is not None

    @property
    def is_measures(self) -> bool:
        attrs = [self.description, self.kpi, self.department, self.pillar]
        return self.title is not None and (len(self.years) >= 2 or any(a is not None for a in attrs))


@dataclass
class Row:
    key: str | None
    title: str
    priority: bool
    reposted: bool
    schedule: list[ScheduleEntry]
    departments: list[str]
    pillars: list[str] | None  # None: the table has no pillar column
    kpis: list[Kpi]
    description: str
    cells: list[str]


def _texts(grid: list[list[Cell]]) -> list[list[str]]:
    return [[clean_text(c.text) for c in row] for row in grid]


def _is_header_cell(text: str) -> bool:
    s = squash(text)
    if not s:
        return True
    if column_header_year(text) is not None and len(s) <= 16:
        return True
    return bool(
        len(s) <= 20
        and (
            _TITLE_HEAD.search(s)
            or _KPI_HEAD.search(s)
            or _DEPT_HEAD.search(s)
            or _PILLAR_HEAD.search(s)
            or _TARGET_HEAD.search(s)
            or _BASE_HEAD.search(s)
            or s in ("年度", "NO", "No", "番号")
        )
    )


def _header_row(cells: list[Cell], texts: list[str]) -> bool:
    """A further header row: years or labels under the first row, its title cell empty or merged from above."""
    if not cells or not (cells[0].is_span_copy or not texts[0]):
        return False
    own = [t for c, t in zip(cells, texts, strict=False) if not c.is_span_copy and t]
    return bool(own) and all(_is_header_cell(t) for t in own)


def analyse(table: Table) -> Columns | None:
    grid = _texts(table.grid())
    if len(grid) < 2:
        return None
    width = max(len(r) for r in grid)
    head0 = grid[0]
    if sum(1 for c in head0 if c) < 2 or not all(_is_header_cell(c) for c in head0 if c):
        return None
    if any(_REVIEW_HEAD.search(squash(c)) for c in head0):
        return None
    cells = table.grid()
    n_head = 1
    while n_head < len(grid) - 1 and _header_row(cells[n_head], grid[n_head]):
        n_head += 1
    heads = [
        "".join(
            grid[r][c]
            for r in range(n_head)
            if c < len(grid[r])
            and not (r and cells[r][c].is_span_copy and cells[r][c].text == cells[r - 1][c].text)
        )
        for c in range(width)
    ]
    body = grid[n_head:]
    cols = Columns(header_rows=n_head)
    for c, h in enumerate(heads):
        s = squash(h)
        if not s:
            continue
        if _TARGET_HEAD.search(s) and cols.target is None:
            cols.target, cols.target_year = c, _year(h)
        elif _BASE_HEAD.search(s) and cols.baseline is None and not _TITLE_HEAD.search(s):
            cols.baseline, cols.baseline_year = c, _year(h)
        elif (fy := column_header_year(h)) is not None and len(s) <= 16:
            cols.years[c] = fy
        elif _DEPT_HEAD.search(s) and cols.department is None:
            cols.department = c
        elif _KPI_HEAD.search(s) and cols.kpi is None:
            cols.kpi = c
        elif _PILLAR_HEAD.search(s) and cols.pillar is None and _letters_column(body, c):
            cols.pillar = c
        elif _TITLE_HEAD.search(s) and cols.title is None and not _DESC_HEAD.search(s):
            cols.title = c
        elif _DESC_HEAD.search(s) and cols.description is None:
            cols.description = c
    if cols.title is None:
        cols.title = _first_text_column(body, heads, cols)
    if cols.pillar is None:
        for c in range(width):
            if (
                c not in cols.years
                and c != cols.title
                and not squash(heads[c])
                and _letters_column(body, c, True)
            ):
                cols.pillar = c
                break
    if cols.target is not None and cols.years:
        # a target table whose years sit under 現況 / 目標: not a schedule
        cols.years = {}
    return cols


def _year(text: str) -> int | None:
    ys = find_years(text)
    return ys[-1].fiscal_year if ys else None


def _letters_column(body: list[list[str]], c: int, strict: bool = False) -> bool:
    vals = [r[c] for r in body if c < len(r)]
    parsed = [pillar_letters(v) for v in vals]
    if any(p is None for p in parsed):
        return False
    return any(parsed) if not strict else sum(1 for p in parsed if p) >= max(1, len(vals) // 3)


def _first_text_column(body: list[list[str]], heads: list[str], cols: Columns) -> int | None:
    taken = {
        cols.department,
        cols.kpi,
        cols.pillar,
        cols.description,
        cols.target,
        cols.baseline,
        *cols.years,
    }
    for c in range(len(heads)):
        if c in taken:
            continue
        vals = [r[c] for r in body if c < len(r)]
        texty = [v for v in vals if len(squash(v)) >= 4 and column_header_year(v) is None]
        if vals and len(texty) >= max(1, len(vals) * 0.6):
            return c
    return None


def read_rows(block: Block, cols: Columns, source: str) -> list[Row]:
    """Measure rows of a measure / schedule table."""
    table = block.table
    assert table is not None
    grid = table.grid()
    out: list[Row] = []
    for r, row in enumerate(grid[cols.header_rows :], start=cols.header_rows):
        cells = [clean_text(c.text) for c in row]
        if cols.title is None or cols.title >= len(cells):
            continue
        if row[cols.title].is_span_copy and r > cols.header_rows:
            continue
        marker, rest = split_marker(cells[cols.title])
        title, priority, reposted = clean_title(rest)
        if not title or label_kind(title):
            continue
        prov = block_provenance(source, block, cells[cols.title])
        year_cells = [(fy, _phase_cell(row[c])) for c, fy in sorted(cols.years.items()) if c < len(row)]
        schedule = fill_schedule(year_cells, empty_continues=True, provenance=prov) if year_cells else []
        depts = split_departments(cells[cols.department]) if cols.department is not None else []
        pillars = None
        if cols.pillar is not None and cols.pillar < len(cells):
            pillars = pillar_letters(cells[cols.pillar]) or []
        kpis: list[Kpi] = []
        if cols.kpi is not None and cols.kpi < len(cells):
            last = max(cols.years.values()) if cols.years else None
            kpis = kpis_from_box(cells[cols.kpi], default_year=last)
            for k in kpis:
                k.provenance = prov
        desc = (
            cells[cols.description] if cols.description is not None and cols.description < len(cells) else ""
        )
        out.append(
            Row(
                marker.key if marker else None,
                title,
                priority,
                reposted,
                schedule,
                depts,
                pillars,
                kpis,
                desc,
                cells,
            )
        )
    return out


QUANTITY = re.compile(
    r"[0-9０-９]+(?:[.,][0-9]+)?\s*(?:%|％|件|人|回|か所|箇所|校|業務|団体|例|台|時間|日|割|倍)"
)


def kpis_from_box(text: str, *, default_year: int | None = None) -> list[Kpi]:
    """KPIs of a KPI box or cell: an item naming a year or a quantity is parsed for its target,
    any other item is an indicator as written."""
    out: list[Kpi] = []
    for item in split_kpi_items(text):
        if find_years(item) or QUANTITY.search(item):
            out.extend(parse_kpi_text(item, default_year=default_year))
            continue
        ind = clean_title(item)[0]
        if ind:
            out.append(Kpi(indicator=ind, direction=infer_direction(ind)))
    return out


def _phase_cell(cell: Cell) -> str:
    """A merged cell's copies continue the phase: give them as empty so the phase carries on."""
    return "" if cell.is_span_copy else clean_text(cell.text)


@dataclass
class TargetRow:
    key: str | None
    indicator: str
    kpi: Kpi


def read_targets(block: Block, cols: Columns, source: str) -> list[TargetRow]:
    table = block.table
    assert table is not None and cols.title is not None and cols.target is not None
    out: list[TargetRow] = []
    for row in table.grid()[cols.header_rows :]:
        cells = [clean_text(c.text) for c in row]
        if cols.title >= len(cells):
            continue
        marker, rest = split_marker(cells[cols.title])
        indicator = clean_title(rest)[0]
        if not indicator:
            continue
        base = cells[cols.baseline] if cols.baseline is not None and cols.baseline < len(cells) else None
        target = cells[cols.target] if cols.target < len(cells) else None
        kpi = kpi_from_row(
            indicator, base, target, baseline_year=cols.baseline_year, target_year=cols.target_year
        )
        if kpi is None:
            continue
        kpi.provenance = block_provenance(source, block, "\t".join(cells))
        out.append(TargetRow(marker.key if marker else None, indicator, kpi))
    return out


def read_pillar_mapping(table: Table) -> list[tuple[str, str]] | None:
    """(pillar code, plan measure title) pairs of a table mapping the law's basic measures to the plan's."""
    grid = _texts(table.grid())
    pairs: list[tuple[str, str]] = []
    named_rows = 0
    for row in grid:
        cells = [c for c in row if c]
        if len(cells) < 2:
            continue
        code = pillar_from_name(cells[0])
        if code is None:
            continue
        named_rows += 1
        for other in cells[1:]:
            if pillar_from_name(other) is None or len(squash(other)) <= 20:
                for item in re.split(r"\n|、(?=[^、]{4,})", other):
                    _, t = split_marker(item)
                    t = clean_title(t)[0]
                    if t:
                        pairs.append((code, t))
    body_rows = sum(1 for r in grid if sum(1 for c in r if c) >= 2)
    if named_rows >= 2 and named_rows >= (body_rows - 1) * 0.6 and pairs:
        return pairs
    return None
