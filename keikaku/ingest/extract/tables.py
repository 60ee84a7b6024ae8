"""Tables with one row per measure, read by their column headers (see :mod:`.columns`).

- measure / schedule tables: a title column (取組名, 施策, 項目 … or the first text column) and any of
  No., fiscal-year columns (R5, 令和5年度, 2023, 5年度), 担当課, a pillar letter column (A–E), a 重点 mark
  column, 区分 (the policy), 内容, an indicator with 現状値 / 目標値 columns; schedule cells resolve arrows
  (→ ⇒ ━), marks (○ ●), merged cells and empty cells after a phase as "continues";
- a row whose title and key cells are empty (or merged from the row above) adds to the measure above:
  another KPI, department or line of text; the first such row of a table continued from the previous
  page continues the text of the cells it sits under;
- target tables: 項目 / 現況 / 目標 with the years in the headers, or 指標 / 現状値 / 目標値 / 関連施策;
- pillar mapping tables: one column names the law's basic measures, another the plan's measures.

Tables of other shapes (glossaries, tables of contents, review tables with 現状 / 方向性) are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from keikaku.core.fiscal import find_years
from keikaku.core.plan import Kpi, ScheduleEntry
from keikaku.core.schedule import fill_schedule
from keikaku.core.text import ends_sentence
from keikaku.ingest.blocks import Block, Cell, Table
from keikaku.ingest.extract.columns import (
    PRIORITY_MARKS,
    Columns,
    analyse,
    banner_row,
    header_key,
    header_year,
    same_columns,
)
from keikaku.ingest.extract.columns import texts as _texts
from keikaku.ingest.extract.common import (
    BRACKET_KEY,
    clean_text,
    clean_title,
    label_kind,
    nfkc,
    pillar_from_name,
    split_departments,
    squash,
)
from keikaku.ingest.extract.draft import block_provenance
from keikaku.ingest.extract.kpi import infer_direction, kpi_from_row, parse_kpi_text, split_kpi_items
from keikaku.ingest.extract.outline import pillars_stated
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.tolerances import TOLERANCES as TOL

__all__ = [
    "Columns",
    "Row",
    "TargetRow",
    "analyse",
    "join_tables",
    "kpis_from_box",
    "read_pillar_mapping",
    "read_rows",
    "read_targets",
    "header_key",
    "same_columns",
]

_BAR_CELL = re.compile(r"^[\s\u2500-\u257f→⇒⇨➡＞>…・.]*[\u2500-\u257f][\s\u2500-\u257f→⇒⇨➡＞>…・.]*$")
_KEY_CELL = re.compile(
    r"^[#＃]?\s*([0-9０-９]{1,3}(?:\s*[-－‐―]\s*[0-9０-９①-⑳]{1,3})*|[①-⑳]|[A-Za-z][0-9]{1,3})$"
)


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
    group: str | None = None  # the 区分 / 基本方針 cell of the row
    key_column: bool = False  # the key comes from a No. column (the document's own numbering)
    ref_keys: tuple[str, ...] = ()  # a title cell holding a marker only (取組1): the measure it names


def join_tables(first: Table, cols: Columns, more: Table, more_cols: Columns | None) -> Table:
    """A table continued on the next page: the second part's body appended to the first.

    The first body row of the second part, when its title and key cells are empty, continues the text of
    the last row's cells (a row broken by the page)."""
    grid = first.grid()
    extra = more.grid()[more_cols.header_rows if more_cols is not None else 0 :]
    rows = [[Cell(c.text, is_span_copy=c.is_span_copy) for c in r] for r in grid]
    if extra and rows and len(rows) > cols.header_rows and cols.title is not None:
        head = extra[0]
        ids = [c for c in (cols.title, cols.key) if c is not None]
        if all(c < len(head) and not clean_text(head[c].text) for c in ids):
            last = rows[-1]
            for c, cell in enumerate(head):
                if c < len(last) and cell.text.strip() and not cell.is_span_copy:
                    last[c] = Cell(
                        last[c].text.rstrip() + cell.text.strip(), is_span_copy=last[c].is_span_copy
                    )
            extra = extra[1:]
    for r in extra:
        rows.append([Cell(c.text, is_span_copy=c.is_span_copy) for c in r])
    return Table(rows=rows, caption=first.caption)


def _groups(grid: list[list[Cell]], cols: Columns) -> list[list[int]]:
    """Body row indices grouped by measure: a row with no title and no key of its own adds to the one above."""
    out: list[list[int]] = []
    assert cols.title is not None
    for r in range(cols.header_rows, len(grid)):
        row = grid[r]
        if cols.title >= len(row):
            continue
        t = row[cols.title]
        k = row[cols.key] if cols.key is not None and cols.key < len(row) else None
        own_title = bool(clean_text(t.text)) and not t.is_span_copy
        own_key = k is not None and bool(clean_text(k.text)) and not k.is_span_copy
        if not own_title and not own_key and out:
            if any(clean_text(c.text) and not c.is_span_copy for c in row) or t.is_span_copy:
                out[-1].append(r)
            continue
        if not own_title and not clean_text(t.text):
            continue
        out.append([r])
    return out


def _cell(cells: list[str], c: int | None) -> str:
    return cells[c] if c is not None and c < len(cells) else ""


def _own(row: list[Cell], c: int | None) -> str:
    """A cell's text unless it is a copy of a merged cell from the row above."""
    if c is None or c >= len(row) or row[c].is_span_copy:
        return ""
    return clean_text(row[c].text)


# a cell holding nothing but a compound key: 4-1-1, 2-3, Ⅱ-1
_COMPOUND_KEY = re.compile(r"([0-9IVXⅠ-Ⅻ]{1,4}(?:[-‐－ー−][0-9]{1,3}){1,3})")


def read_rows(block: Block, cols: Columns, source: str) -> list[Row]:
    """Measure rows of a measure / schedule table."""
    table = block.table
    assert table is not None
    grid = table.grid()
    out: list[Row] = []
    if cols.title is None:
        return out
    banner: str | None = None
    groups = list(_groups(grid, cols))
    # A table that draws its bars as merged year cells says where each bar ends: a blank year cell in it
    # is a year without the measure, not the previous phase going on (as it is in a table of words).
    bars = any(
        grid[g[0]][c].is_span_copy and grid[g[0]][c].colspan > 1
        for g in groups
        for c in cols.years
        if c < len(grid[g[0]])
    )
    for group in groups:
        row = grid[group[0]]
        cells = [clean_text(c.text) for c in row]
        if banner_row(row, len(row)):
            # one cell across the whole table: the policy heading of the rows under it
            banner = clean_title(parse_marker(cells[0])[1])[0] or None
            continue
        title_cell = cells[cols.title]
        key = None
        if cols.key is not None:
            m = _KEY_CELL.match(squash(_cell(cells, cols.key)))
            key = m.group(1) if m else (_cell(cells, cols.key) or None)
        title_cell, lead = _title_and_lead(title_cell)
        marker, rest = parse_marker(title_cell)
        title, priority, reposted = clean_title(rest)
        refs: tuple[str, ...] = ()
        if not title and marker is not None and not rest.strip():
            refs = tuple(k for k in (marker.key, marker.written) if k)
        bracket = BRACKET_KEY.fullmatch(cells[cols.title].strip()) or _COMPOUND_KEY.fullmatch(
            squash(cells[cols.title])
        )
        only, after = parse_marker(cells[cols.title].strip(), alone=True)
        if not bracket and only is not None and after == "":
            title, refs = "", tuple(k for k in (only.key, only.written) if k)  # '(1)' alone: a marker
        if bracket:  # 【1-1】 or 4-1-1 alone: the row names its measure by key
            title, refs = "", (nfkc(re.sub(r"\s+", "", bracket.group(1))),)
        if (not title and not refs) or label_kind(title):
            continue
        key_column = key is not None
        key = key or (marker.key if marker else None)
        if cols.priority is not None and PRIORITY_MARKS.match(squash(_cell(cells, cols.priority))):
            priority = True
        prov = block_provenance(source, block, title_cell)
        year_cells = [(fy, _phase_cell(row[c])) for c, fy in sorted(cols.years.items()) if c < len(row)]
        schedule = fill_schedule(year_cells, empty_continues=not bars, provenance=prov) if year_cells else []
        schedule = one_per_year(schedule)
        depts: list[str] = []
        kpis: list[Kpi] = []
        desc_parts: list[str] = [lead] if lead else []
        for r in group:
            sub = grid[r]
            subcells = [clean_text(c.text) for c in sub]
            first = r == group[0]
            if cols.department is not None:
                for d in split_departments(_cell(subcells, cols.department)):
                    if d not in depts:
                        depts.append(d)
            desc = _cell(subcells, cols.description) if first else _own(sub, cols.description)
            if desc:
                desc_parts.append(desc)
            for c in cols.extra if first else ():
                if _cell(subcells, c):
                    desc_parts.append(f"{cols.heads[c]}：{_cell(subcells, c)}")
            kpis.extend(_row_kpis(sub, subcells, cols, first))
        for k in kpis:
            k.provenance = prov
        pillars = None
        if cols.pillar is not None and cols.pillar < len(cells):
            pillars = pillars_stated(cells[cols.pillar]) or []
        elif cols.pillar_marks:
            pillars = sorted({code for c, code in cols.pillar_marks.items() if squash(_cell(cells, c))})
        group_text = clean_title(_cell(cells, cols.group))[0] if cols.group is not None else banner
        out.append(
            Row(
                key,
                title,
                priority,
                reposted,
                schedule,
                depts,
                pillars,
                kpis,
                "\n".join(desc_parts),
                cells,
                group_text or None,
                key_column,
                refs,
            )
        )
    return out


def _title_and_lead(cell: str) -> tuple[str, str]:
    """A title cell holding the title in its first paragraph and sentences after it (取組 cell:
    'オンライン申請の拡大' / '各種申請を…します。'): (title, description). A cell whose first line is a
    sentence, or whose later lines are no sentences (a wrapped title), stays whole."""
    first, sep, rest = cell.partition("\n")
    if (
        not sep
        or "。" in first
        or len(first) > TOL.title_cell_first_line_max_chars
        or not ends_sentence(rest, ("。",))
    ):
        return cell, ""
    return first, rest.strip()


def _more_targets(cells: list[str], cols: Columns) -> list[tuple[str, int | None]]:
    return [(_cell(cells, c), fy) for c, fy in sorted(cols.more_targets.items()) if _cell(cells, c)]


def one_per_year(entries: list[ScheduleEntry]) -> list[ScheduleEntry]:
    """Two columns of one fiscal year (上期 / 下期, 4–9月 / 10–3月): one entry, the words joined with 、."""
    out: list[ScheduleEntry] = []
    for e in entries:
        if out and out[-1].fiscal_year == e.fiscal_year:
            if e.written not in out[-1].written.split("、"):
                out[-1].written += "、" + e.written
            continue
        out.append(e)
    return out


def _row_kpis(row: list[Cell], cells: list[str], cols: Columns, first: bool) -> list[Kpi]:
    if cols.kpi is None:
        return []
    indicator = _cell(cells, cols.kpi) if first else _own(row, cols.kpi)
    if not indicator:
        return []
    if cols.has_values:
        base = _cell(cells, cols.baseline) or None
        target = _cell(cells, cols.target) or None
        kpi = kpi_from_row(
            indicator,
            base,
            target,
            baseline_year=cols.baseline_year,
            target_year=_target_year(cells, cols),
            more_targets=_more_targets(cells, cols),
        )
        return [kpi] if kpi is not None else []
    last = max(cols.years.values()) if cols.years else None
    return kpis_from_box(indicator, default_year=last)


def _target_year(cells: list[str], cols: Columns) -> int | None:
    """The target year of a row: from the 目標年度 column when the table has one, else the header's."""
    if cols.target_year_col is not None:
        fy = header_year(_cell(cells, cols.target_year_col))
        if fy is not None:
            return fy
    return cols.target_year


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
    """A merged cell's copies continue the phase: give them as an arrow so the phase carries on."""
    if cell.is_span_copy:
        return "→"
    text = clean_text(cell.text)
    return "→" if _BAR_CELL.match(text) else text


@dataclass
class TargetRow:
    key: str | None
    indicator: str
    kpi: Kpi
    measures: list[str]  # the measures the row names (関連施策), titles or keys; [] → by indicator


def read_targets(block: Block, cols: Columns, source: str) -> list[TargetRow]:
    table = block.table
    assert table is not None and cols.title is not None and cols.target is not None
    out: list[TargetRow] = []
    ind_col = cols.kpi if cols.related and cols.kpi is not None else cols.title
    for row in table.grid()[cols.header_rows :]:
        cells = [clean_text(c.text) for c in row]
        if ind_col >= len(cells):
            continue
        marker, rest = parse_marker(cells[ind_col])
        indicator = clean_title(rest)[0]
        if not indicator:
            continue
        kpi = kpi_from_row(
            indicator,
            _cell(cells, cols.baseline) or None,
            _cell(cells, cols.target) or None,
            baseline_year=cols.baseline_year,
            target_year=_target_year(cells, cols),
            more_targets=_more_targets(cells, cols),
        )
        if kpi is None:
            continue
        kpi.provenance = block_provenance(source, block, "\t".join(cells))
        refs: list[str] = []
        if ind_col != cols.title:
            refs = [r for r in re.split(r"[\n、,，/／]+", cells[cols.title]) if r.strip()]
        key = marker.key if marker else (_cell(cells, cols.key) or None)
        out.append(TargetRow(key, indicator, kpi, refs))
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
            if pillar_from_name(other) is None or len(squash(other)) <= TOL.pillar_cell_item_max_chars:
                for item in re.split(r"\n|、(?=[^、]{4,})", other):
                    _, t = parse_marker(item)
                    t = clean_title(t)[0]
                    if t:
                        pairs.append((code, t))
    body_rows = sum(1 for r in grid if sum(1 for c in r if c) >= 2)
    if named_rows >= 2 and named_rows >= (body_rows - 1) * 0.6 and pairs:
        return pairs
    return None
