"""Column headers of measure, schedule and target tables, recognised by the words plans use.

A header cell names one kind of column (first match wins, in this order):

- ``key`` — No. / NO / 番号 / 項番 / # / ID;
- ``priority`` — 重点 / 重点取組 (cells ○ ● ◎ or empty);
- ``target`` — 目標値 / 目標 / 目標年度の値, its year in the header (目標値（R9）, 目標 (2027), 令和9年度目標)
  or in each cell;
- ``baseline`` — 現状値 / 基準値 / 現況 / 現状 / 実績 / 策定時, year likewise;
- ``year`` — a fiscal-year column of a schedule (R5, 令和5年度, 2023, 5年度, H31);
- ``department`` — 担当課 / 所管課 / 担当部署 / 実施主体 / 関係課 / 主管;
- ``kpi`` — 指標 / KPI / 成果指標 / 目標指標 / 指標名 (an indicator, not a value: no 値 in it);
- ``pillar`` — 柱 / 分類 / 基本的施策 … when the body holds A–E letters;
- ``group`` — 区分 / 分野 / 基本方針 / 基本目標 / 施策の柱 / 方針 (the policy a row belongs to);
- ``title`` — 取組名 / 施策名 / 事業名 / 取組 / 施策 / 項目 / 関連施策 …;
- ``description`` — 取組内容 / 内容 / 概要 / 事業概要 / 説明.

Headers of two or more rows (施策 | 年度 over 2024 | 2025) are read as one header per column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from keikaku.core.fiscal import column_header_year, find_years
from keikaku.ingest.blocks import Cell, Table
from keikaku.ingest.extract.common import clean_text, memo, one_year_form, pillar_letters, squash
from keikaku.ingest.extract.outline import pillars_stated
from keikaku.ingest.extract.vocabulary import FIELD_WORDS, NOT_MEASURE_COLUMNS, alternation, kind_of, words
from keikaku.ingest.tolerances import TOLERANCES as TOL

# each column kind's words come from the one vocabulary; a header cell names a kind when it holds one
# of its words (search, not equality: 担当課名, 目標値（R9）, 主な取組内容)
TITLE_HEAD = re.compile(alternation("title") + r"|取組|取り組み|計画")
# (a description word found inside a title word — 取組 in 取組名 — cannot tell them apart in a header)
DESC_HEAD = re.compile(
    "|".join(re.escape(w) for w in words("description") if not any(w in t for t in words("title")))
)
KPI_HEAD = re.compile(alternation("kpi"))
DEPT_HEAD = re.compile(alternation("department") + r"|関係課")
PILLAR_HEAD = re.compile(alternation("pillar"))
GROUP_HEAD = re.compile(r"^(?:区分|分野|基本方針|基本目標|施策の柱|方針|施策分野|大項目|政策|施策の方向)$")
TARGET_HEAD = re.compile(r"目標")
BASE_HEAD = re.compile(alternation("baseline") + r"|基準|実績")
REVIEW_HEAD = re.compile(r"方向性|評価|進捗状況")
RELATED_HEAD = re.compile(r"関連|対応する|該当")
_KEY_HEADS = {w.lower() for w in FIELD_WORDS["key"]}
_PRIORITY_HEADS = {"重点", "重点取組", "重点施策", "重点事業", "重点項目"}
TARGET_YEAR_HEAD = re.compile(rf"^(?:{alternation('target_year')})$")
_BARE_FY = re.compile(r"^(\d{1,2})年度$")
PRIORITY_MARKS = re.compile(r"^[○●◎〇✓✔★]$")
# a header cell merged over the fiscal-year columns below it (実施スケジュール over R5 | R6 …)
SPAN_HEAD = re.compile(alternation("schedule") + r"|年度別|計画期間")


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
    target_year_col: int | None = None  # 目標年度 beside 目標値: each row's target year
    baseline_year: int | None = None
    more_targets: dict[int, int | None] = field(default_factory=dict)  # R6目標 | R8目標 | R10目標 …
    key: int | None = None
    priority: int | None = None
    group: int | None = None
    related: bool = False  # the title column names related measures (関連施策): join only
    key_only: bool = False  # rows name their measure by No. only (the title column is the key column)
    width: int = 0
    heads: list[str] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)  # columns of labels no kind names: kept as description
    pillar_marks: dict[int, str] = field(default_factory=dict)  # column of ● marks → the pillar it stands for
    key_cache: tuple[int, tuple[str, ...]] | None = None  # header_key, once computed

    @property
    def has_values(self) -> bool:
        return self.target is not None or self.baseline is not None

    @property
    def is_targets(self) -> bool:
        """項目 / 現況 / 目標 with no separate indicator column: the title column is the indicator;
        or 指標 / 現状値 / 目標値 / 関連施策: indicators joined to measures named elsewhere."""
        if self.title is None or self.target is None:
            return False
        return self.kpi is None or self.related

    @property
    def defines_measures(self) -> bool:
        """The table states measures of its own (text, departments, KPIs …), not just their schedule."""
        attrs = [self.description, self.kpi, self.department, self.pillar, self.priority]
        return any(a is not None for a in attrs)

    @property
    def is_measures(self) -> bool:
        if self.title is None or self.is_targets:
            return False
        attrs = [self.description, self.kpi, self.department, self.pillar, self.key, self.priority]
        return len(self.years) >= 2 or any(a is not None for a in attrs)


def texts(grid: list[list[Cell]]) -> list[list[str]]:
    return [[clean_text(c.text) for c in row] for row in grid]


@memo
def header_year(text: str) -> int | None:
    """The fiscal year a column header names: 'R5', '令和5年度', '2023', '5年度' (令和 assumed)."""
    s = squash(text)
    if len(s) > TOL.header_year_max_chars:
        return None
    fy = column_header_year(text)
    if fy is not None:
        return fy
    m = _BARE_FY.match(s)
    if m:
        return column_header_year(m.group(1), era_hint="令和")
    return None


@memo
def head_kind(text: str) -> str | None:
    """What a header cell names (see the module docstring), or None."""
    s = squash(text)
    low = s.lower().rstrip(".．")
    if not s:
        return None
    if low in _KEY_HEADS or s.lower() in _KEY_HEADS:
        return "key"
    if s in _PRIORITY_HEADS:
        return "priority"
    if kind_of(s) == "kpi":
        return "kpi"  # 数値目標 / 成果指標 named exactly: the indicator column
    if KPI_HEAD.search(s) and "値" not in s and not re.search(r"目標(?:年度|時期)", s):
        return "kpi"
    if TARGET_HEAD.search(s):
        return "target"
    if BASE_HEAD.search(s) and not TITLE_HEAD.search(s):
        return "baseline"
    if header_year(text) is not None:
        return "year"
    if DEPT_HEAD.search(s):
        return "department"
    if GROUP_HEAD.match(s):
        return "group"
    if PILLAR_HEAD.search(s):
        return "pillar"
    if TITLE_HEAD.search(s) and not DESC_HEAD.search(s):
        return "title"
    if DESC_HEAD.search(s):
        return "description"
    return None


def is_header_cell(text: str) -> bool:
    s = squash(text)
    if not s:
        return True
    if header_year(text) is not None:
        return True
    return len(s) <= TOL.column_head_max_chars and (
        head_kind(text) is not None or s in ("年度", "NO", "No") or bool(SPAN_HEAD.search(s))
    )


def is_header_row(row: list[str]) -> bool:
    """A table's first row is a header when it names at least two column kinds and its other cells are
    short labels too (an unknown label — 備考, 根拠, 連携先 — is kept as a column, never a reason to
    drop the table)."""
    own = [c for c in row if c]
    if len(own) < 2 or any(kind_of(c) in NOT_MEASURE_COLUMNS for c in own):
        return False
    known = sum(1 for c in own if is_header_cell(c))
    labels = sum(1 for c in own if _label_shaped(c))
    return known >= 2 and labels == len(own)


def _label_shaped(text: str) -> bool:
    """Short, no sentence, no number of its own: a column label of any kind."""
    s = squash(one_year_form(text))
    if header_year(text) is not None:
        return True
    if not 0 < len(s) <= TOL.column_label_max_chars or "。" in s:
        return False
    years = find_years(s)  # 目標値（令和9年度）: a year in a label is part of the label
    without_years = "".join(ch for i, ch in enumerate(s) if not any(y.start <= i < y.end for y in years))
    return not re.search(r"[0-9]", without_years)


def _header_row(cells: list[Cell], row: list[str]) -> bool:
    """A further header row: years or labels under the first row, its title cell empty or merged from above."""
    if not cells or not (cells[0].is_span_copy or not row[0]):
        return False
    own = [t for c, t in zip(cells, row, strict=False) if not c.is_span_copy and t]
    # years, labels, or the law's articles / pillar names under a span (関連条項 over 第10条 … 第15条)
    return bool(own) and all(is_header_cell(t) or _mark_head(t) is not None for t in own)


def _mark_head(text: str) -> str | None:
    """The pillar a column of marks stands for: its header names one article (第11条) or one pillar."""
    s = squash(text)
    if not s or len(s) > TOL.mark_head_max_chars:
        return None
    codes = pillars_stated(text)
    return codes[0] if codes and len(codes) == 1 and codes[0] != "other" else None


def analyse(table: Table) -> Columns | None:
    """The columns of a measure / schedule / target table, or None when its first row is no header."""
    cells = table.grid()
    grid = texts(cells)
    if len(grid) < 2:
        return None
    width = max(len(r) for r in grid)
    head0 = grid[0]
    if not is_header_row(head0):
        return None
    if any(REVIEW_HEAD.search(squash(c)) and head_kind(c) != "kpi" for c in head0):
        return None  # a review of a previous plan (評価 / 方向性), not measures — 評価指標 is a KPI column
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
    # rows of one cell across the table (policy headings inside a measure table) are no body
    body = [r for r, cr in zip(grid[n_head:], cells[n_head:], strict=False) if not banner_row(cr, width)]
    cols = Columns(header_rows=n_head, width=width, heads=heads)
    for c, h in enumerate(heads):
        kind = head_kind(h)
        s = squash(h)
        mark = _mark_head(h)
        if mark is not None and _marks_column(body, c) and any(squash(r[c]) for r in body if c < len(r)):
            cols.pillar_marks[c] = mark  # ● under 第11条 / オープンデータ: the row serves that pillar
            continue
        if kind == "key" and cols.key is None:
            cols.key = c
        elif kind == "priority" and cols.priority is None and _marks_column(body, c):
            cols.priority = c
        elif kind == "target" and TARGET_YEAR_HEAD.match(s):
            if cols.target_year_col is None:
                cols.target_year_col = c
        elif kind == "target" and cols.target is None:
            cols.target, cols.target_year = c, _year(h)
        elif kind == "target" and cols.target_year is not None and _year(h) is not None:
            cols.more_targets[c] = _year(h)  # one target per year: the latest is the plan's target
        elif kind == "baseline" and cols.baseline is None:
            cols.baseline, cols.baseline_year = c, _year(h)
        elif kind == "year":
            cols.years[c] = header_year(h)  # type: ignore[assignment]
        elif kind == "department" and cols.department is None:
            cols.department = c
        elif kind == "kpi" and cols.kpi is None:
            cols.kpi = c
        elif kind == "group" and cols.group is None and cols.title is None:
            cols.group = c
        elif kind == "pillar" and cols.pillar is None and _letters_column(body, c):
            cols.pillar = c
        elif kind == "pillar" and cols.group is None and cols.title is None and PILLAR_HEAD.search(s):
            cols.group = c  # 施策の柱 / 分類 written out in words: the policy of the row
        elif kind == "title" and cols.title is None:
            cols.title = c
            cols.related = bool(RELATED_HEAD.search(s))
        elif kind == "description" and cols.description is None:
            cols.description = c
    if cols.title is None:
        cols.title = _first_text_column(body, heads, cols)
    if cols.title is None and cols.key is not None and len(cols.years) >= 2:
        # No. | R5 | R6 …: schedule rows naming measures by their key only
        cols.title, cols.key_only = cols.key, True
    if cols.title is None and cols.kpi is not None and cols.target is not None:
        # 指標 | 現状値 | 目標値 alone: the indicator column names the row
        cols.title, cols.kpi = cols.kpi, None
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
    if cols.has_values and cols.years and cols.kpi is None:
        # a target table whose years sit under 現況 / 目標: not a schedule
        cols.years = {}
    used = {c for c in _assigned(cols) if c is not None}
    cols.extra = [c for c, h in enumerate(heads) if squash(h) and c not in used]
    return cols


def _assigned(cols: Columns) -> list[int | None]:
    return [
        cols.title,
        cols.description,
        cols.kpi,
        cols.department,
        cols.pillar,
        cols.target,
        cols.baseline,
        cols.target_year_col,
        cols.key,
        cols.priority,
        cols.group,
        *cols.years,
        *cols.more_targets,
        *cols.pillar_marks,
    ]


def _year(text: str) -> int | None:
    ys = find_years(text)
    if ys:
        return ys[-1].fiscal_year
    m = re.search(r"(\d{1,2})年度", squash(text))
    return header_year(m.group(0)) if m else None


def banner_row(cells: list[Cell], width: int) -> bool:
    return width > 2 and bool(cells) and cells[0].colspan >= width


def _marks_column(body: list[list[str]], c: int) -> bool:
    vals = [r[c] for r in body if c < len(r)]
    return all(not v or PRIORITY_MARKS.match(squash(v)) for v in vals)


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
        *cols.more_targets,
        cols.baseline,
        cols.key,
        cols.priority,
        cols.group,
        *cols.years,
    }
    for c in range(len(heads)):
        if c in taken:
            continue
        vals = [r[c] for r in body if c < len(r)]
        texty = [
            v for v in vals if len(squash(v)) >= TOL.text_column_min_chars and column_header_year(v) is None
        ]
        if vals and len(texty) >= max(1, len(vals) * TOL.text_column_share):
            return c
    return None


def header_key(cols: Columns) -> tuple[int, tuple[str, ...]]:
    """What makes two headers the same (width and squashed labels), computed once per table."""
    if cols.key_cache is None:
        cols.key_cache = (cols.width, tuple(squash(h) for h in cols.heads))
    return cols.key_cache


def same_columns(a: Columns, b: Columns) -> bool:
    """Two tables with the same header (a table continued on the next page with its header repeated)."""
    return header_key(a) == header_key(b)
