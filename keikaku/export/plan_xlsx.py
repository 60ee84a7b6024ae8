"""The plan as a workbook (計画の Excel ブック): a draft's measures, KPIs and schedule on three sheets, to
be corrected in Excel and read back by :mod:`keikaku.ingest.plan_xlsx`.

Sheets (a title in row 1, a note in row 2, the headers in row ``HEADER_ROW``, data from ``FIRST_ROW``;
after the data ``BLANK_ROWS`` empty rows for new measures / KPIs / schedules)::

  施策         番号 | 施策名 | 内容 | 施策体系▼ | 柱▼ | 重点分野▼ | 重点取組▼ | 再掲▼ | 担当部署▼ | 期限年度 | 国の施策
               | 施策ID (hidden) | 施策の版 (hidden)
  KPI          施策番号 | 施策名 | 指標 | 単位 | 方向▼ | 基準値 | 基準年度 | 目標値1 | 目標年度1 | 目標値2 | …
               | KPI ID (hidden) | 施策ID (hidden)
  スケジュール  施策番号 | 施策名 | 令和7年度 (2025)▼ | 令和8年度 (2026)▼ | … | 施策ID (hidden)

▼: a drop-down (data validation) from the lists on the very hidden sheet ``META_SHEET``, which also holds
the identifiers the reader checks (format, plan id, plan revision): a workbook of another plan is refused.
Several pillars, 重点分野 or departments go one per line in their cell (the drop-down warns, and lets it).
The sheets are protected with every cell unlocked except the identifiers (and, on the KPI and schedule
sheets, the measure a row belongs to), so ids cannot be typed over; inserting rows stays allowed. Text cells
are strings, never formulas; formula-looking text gets Excel's quote prefix (the CSV's apostrophe, see
:func:`keikaku.export.csv.formula_like`). Pure: no Django (``keikaku.services.plan_workbook`` builds the
:class:`PlanWorkbookSpec` from the database; every text in it already went through :func:`clean_line` or
:func:`clean_text`, the same cleaning the reader applies, so an untouched workbook reads back equal).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from keikaku.core.fiscal import display
from keikaku.core.pillars import PILLARS, PRIORITY_AREA_OTHER, PRIORITY_AREAS
from keikaku.export.csv import formula_like

FORMAT = "keikaku-plan-workbook/1"
MEASURES, KPIS, SCHEDULE, META_SHEET = "施策", "KPI", "スケジュール", "_keikaku"
HEADER_ROW, FIRST_ROW = 4, 5
BLANK_ROWS = 30
FLAG = "○"
DIRECTION_WORDS = {
    "increase": "増やす",
    "decrease": "減らす",
    "keep": "維持する",
    "qualitative": "実施・完了など",
}

# measures sheet: (header, width)
M_KEY, M_TITLE, M_DESCRIPTION, M_POLICY, M_PILLARS = "番号", "施策名", "内容", "施策体系", "柱"
M_AREAS, M_PRIORITY, M_REPOSTED, M_DEPARTMENTS = "重点分野", "重点取組", "再掲", "担当部署"
M_DEADLINE, M_NATIONAL, M_ID, M_REVISION = "期限年度（西暦）", "国の施策", "施策ID", "施策の版"
MEASURE_COLUMNS: tuple[tuple[str, int], ...] = (
    (M_KEY, 8),
    (M_TITLE, 36),
    (M_DESCRIPTION, 50),
    (M_POLICY, 24),
    (M_PILLARS, 22),
    (M_AREAS, 16),
    (M_PRIORITY, 8),
    (M_REPOSTED, 8),
    (M_DEPARTMENTS, 18),
    (M_DEADLINE, 10),
    (M_NATIONAL, 24),
    (M_ID, 8),
    (M_REVISION, 8),
)
# KPI sheet
K_MKEY, K_MTITLE, K_INDICATOR, K_UNIT, K_DIRECTION = "施策番号", "施策名", "指標", "単位", "方向"
K_BASELINE, K_BASELINE_FY, K_ID, K_MID = "基準値", "基準年度（西暦）", "KPI ID", "施策ID"
K_TARGET, K_TARGET_FY = "目標値", "目標年度"  # + 1, 2, …
# schedule sheet
S_MKEY, S_MTITLE, S_MID = "施策番号", "施策名", "施策ID"

INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_SPACES = re.compile(r"\s+")


def clean_line(value: object) -> str:
    """One-line text as stored and compared: no characters a workbook cannot hold, spaces collapsed."""
    if value is None:
        return ""
    return _SPACES.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", str(value))).strip()


def clean_text(value: object) -> str:
    """Text of several lines as stored and compared: line ends \\n, trimmed, no unstorable characters."""
    if value is None:
        return ""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def pillar_word(code: str) -> str:
    """The drop-down word of a pillar: 'A: オンライン化原則', 'その他: パーソナルデータ・人材・セキュリティ等'."""
    p = next(p for p in PILLARS if p.code == code)
    return f"{'その他' if code == 'other' else code}: {p.short}"


PILLAR_WORDS = tuple(pillar_word(p.code) for p in PILLARS)
AREA_WORDS = (*PRIORITY_AREAS, PRIORITY_AREA_OTHER)


@dataclass(frozen=True)
class MeasureRow:
    measure_id: int | None  # None: a new measure (a row the person added)
    revision: int
    title: str
    key: str = ""
    description: str = ""
    policy: str = ""  # the policy's label (see PlanWorkbookSpec.policies); "" none
    pillars: tuple[str, ...] = ()  # codes A … E, other
    priority_areas: tuple[str, ...] = ()
    priority: bool = False
    reposted: bool = False
    departments: tuple[str, ...] = ()
    deadline_fy: int | None = None
    national_measures: tuple[str, ...] = ()

    def content(self) -> tuple[object, ...]:
        """What the person edits (ids and revision left out): compared to tell a change."""
        return (
            self.key,
            self.title,
            self.description,
            self.policy,
            self.pillars,
            self.priority_areas,
            self.priority,
            self.reposted,
            self.departments,
            self.deadline_fy,
            self.national_measures,
        )


@dataclass(frozen=True)
class KpiRow:
    kpi_id: int | None  # None: a new KPI
    measure_id: int | None  # None: a KPI of a new measure (see new_measure)
    indicator: str
    measure_key: str = ""  # shown; for a new row, how the person names the measure
    measure_title: str = ""
    unit: str = ""
    direction: str = ""  # increase, decrease, keep, qualitative or ""
    baseline_value: str = ""
    baseline_fy: int | None = None
    targets: tuple[tuple[str, int | None], ...] = ()
    new_measure: int | None = None  # index into the new measures, for a KPI of a new measure

    def content(self) -> tuple[object, ...]:
        return (
            self.indicator,
            self.unit,
            self.direction,
            self.baseline_value,
            self.baseline_fy,
            self.targets,
        )


@dataclass(frozen=True)
class ScheduleRow:
    measure_id: int | None
    cells: tuple[tuple[int, str], ...] = ()  # (fiscal year, as written), the non-empty ones, by year
    measure_key: str = ""
    measure_title: str = ""
    new_measure: int | None = None


@dataclass(frozen=True)
class PlanWorkbookSpec:
    plan_id: int
    plan_revision: int
    plan_title: str
    organisation: str
    status: str  # 下書き …, shown in the title
    policies: Sequence[str] = ()  # labels offered in 施策体系 (unique)
    departments: Sequence[str] = ()  # the organisation's department names
    phases: Sequence[str] = ()  # schedule words offered
    years: Sequence[int] = ()  # the schedule sheet's fiscal years
    target_pairs: int = 2  # 目標値 / 目標年度 column pairs on the KPI sheet
    measures: Sequence[MeasureRow] = field(default_factory=tuple)
    kpis: Sequence[KpiRow] = field(default_factory=tuple)
    schedules: Sequence[ScheduleRow] = field(default_factory=tuple)


def kpi_headers(pairs: int) -> list[tuple[str, int]]:
    cols = [(K_MKEY, 8), (K_MTITLE, 30), (K_INDICATOR, 32), (K_UNIT, 8), (K_DIRECTION, 12)]
    cols += [(K_BASELINE, 12), (K_BASELINE_FY, 10)]
    for i in range(1, pairs + 1):
        cols += [(f"{K_TARGET}{i}", 12), (f"{K_TARGET_FY}{i}", 10)]
    return [*cols, (K_ID, 8), (K_MID, 8)]


def schedule_headers(years: Sequence[int]) -> list[tuple[str, int]]:
    return [(S_MKEY, 8), (S_MTITLE, 36), *((display(fy), 14) for fy in years), (S_MID, 8)]


def multi(values: Sequence[str]) -> str:
    return "\n".join(values)


class _Writer:
    """Cells with their style computed once per kind and copied (openpyxl's per-attribute styling is slow)."""

    def __init__(self) -> None:
        self.styles: dict[tuple[bool, bool], object] = {}

    def put(self, ws, row: int, col: int, value: object, *, locked: bool = False, wrap: bool = False) -> None:
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            cell.value = value or None
            if value:
                cell.data_type = "s"  # a string, never a formula
        else:
            cell.value = value
        key = (locked, wrap)
        proto = self.styles.get(key)
        if proto is None:
            cell.protection = Protection(locked=locked)
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
            if not locked:
                cell.fill = INPUT_FILL
            self.styles[key] = copy(cell._style)
        else:
            cell._style = copy(proto)
        if isinstance(value, str) and formula_like(value):
            cell.quotePrefix = True  # shown and kept as text when the person edits the cell


def _sheet(wb: Workbook, w: _Writer, title: str, heading: str, note: str, columns, hidden: Sequence[str]):
    ws = wb.create_sheet(title)
    ws.cell(row=1, column=1, value=heading).font = Font(bold=True, size=12)
    ws.cell(row=2, column=1, value=note)
    for i, (header, width) in enumerate(columns, start=1):
        w.put(ws, HEADER_ROW, i, header, locked=True, wrap=True)
        c = ws.cell(row=HEADER_ROW, column=i)
        c.font = Font(bold=True)
        c.fill = HEAD_FILL
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = width
        if header in hidden:
            ws.column_dimensions[letter].hidden = True
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people may widen columns and rows, and insert rows
    ws.protection.formatRows = False
    ws.protection.insertRows = False
    return ws


def _list_validation(meta_col: str, n: int, title: str, *, strict: bool) -> DataValidation | None:
    if n == 0:
        return None
    return DataValidation(
        type="list",
        formula1=f"'{META_SHEET}'!${meta_col}$1:${meta_col}${n}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=title,
        error="一覧から選んでください"
        if strict
        else "一覧にない語です。複数のときは 1 行に 1 つ書いてください",
        promptTitle=title,
        prompt="一覧から選んでください" if strict else "一覧から選ぶか、1 行に 1 つ書いてください",
        showInputMessage=True,
    )


def _validate(ws, dv: DataValidation | None, col: int, last_row: int) -> None:
    if dv is not None and last_row >= FIRST_ROW:
        letter = get_column_letter(col)
        ws.add_data_validation(dv)
        dv.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")


def _year_validation() -> DataValidation:
    return DataValidation(
        type="whole",
        operator="between",
        formula1="1950",
        formula2="2100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="年度",
        error="西暦の年度（例: 2027）を入力してください",
    )


LISTS = {  # meta sheet column of each drop-down list
    "policies": "D",
    "pillars": "E",
    "areas": "F",
    "departments": "G",
    "phases": "H",
    "directions": "I",
    "flag": "J",
}


def _meta(wb: Workbook, spec: PlanWorkbookSpec) -> dict[str, int]:
    meta = wb.create_sheet(META_SHEET)
    values = (
        ("format", FORMAT),
        ("plan_id", spec.plan_id),
        ("plan_revision", spec.plan_revision),
        ("organisation", spec.organisation),
    )
    for i, (key, value) in enumerate(values, start=1):
        meta.cell(row=i, column=1, value=key)
        c = meta.cell(row=i, column=2, value=value)
        if isinstance(value, str):
            c.data_type = "s"
    lists = {
        "policies": list(spec.policies),
        "pillars": list(PILLAR_WORDS),
        "areas": list(AREA_WORDS),
        "departments": list(spec.departments),
        "phases": list(spec.phases),
        "directions": list(DIRECTION_WORDS.values()),
        "flag": [FLAG],
    }
    for name, items in lists.items():
        col = LISTS[name]
        for i, item in enumerate(items, start=1):
            c = meta[f"{col}{i}"]
            c.value = item
            c.data_type = "s"
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    return {name: len(items) for name, items in lists.items()}


def build_workbook(spec: PlanWorkbookSpec) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    w = _Writer()
    head = f"{spec.organisation} {spec.plan_title}（{spec.status}）"
    counts = _meta(wb, spec)

    # 施策
    ws = _sheet(
        wb,
        w,
        MEASURES,
        f"{head} — 施策",
        "色の付いたセルを直せます。柱・重点分野・担当部署が複数のときは 1 行に 1 つ（Alt+Enter で改行）。"
        "下の空いた行に書くと新しい施策になります。行を消しても施策は削除されません。",
        MEASURE_COLUMNS,
        (M_ID, M_REVISION),
    )
    row = FIRST_ROW
    for m in spec.measures:
        mvalues: tuple[object, ...] = (
            m.key,
            m.title,
            m.description,
            m.policy,
            multi([pillar_word(c) for c in m.pillars]),
            multi(m.priority_areas),
            FLAG if m.priority else "",
            FLAG if m.reposted else "",
            multi(m.departments),
            m.deadline_fy,
            multi(m.national_measures),
        )
        for col, value in enumerate(mvalues, start=1):
            w.put(ws, row, col, value, wrap=col in (2, 3, 4, 5, 6, 9, 11))
        w.put(ws, row, 12, m.measure_id, locked=True)
        w.put(ws, row, 13, m.revision, locked=True)
        row += 1
    last = row + BLANK_ROWS - 1
    for r in range(row, last + 1):
        for col in range(1, 12):
            w.put(ws, r, col, None, wrap=col in (2, 3, 4, 5, 6, 9, 11))
        for col in (12, 13):
            w.put(ws, r, col, None, locked=True)
    _validate(ws, _list_validation(LISTS["policies"], counts["policies"], M_POLICY, strict=True), 4, last)
    _validate(ws, _list_validation(LISTS["pillars"], counts["pillars"], M_PILLARS, strict=False), 5, last)
    _validate(ws, _list_validation(LISTS["areas"], counts["areas"], M_AREAS, strict=False), 6, last)
    for col, title in ((7, M_PRIORITY), (8, M_REPOSTED)):
        _validate(ws, _list_validation(LISTS["flag"], 1, title, strict=True), col, last)
    _validate(
        ws,
        _list_validation(LISTS["departments"], counts["departments"], M_DEPARTMENTS, strict=False),
        9,
        last,
    )
    _validate(ws, _year_validation(), 10, last)

    # KPI
    columns = kpi_headers(spec.target_pairs)
    n = len(columns)
    ws = _sheet(
        wb,
        w,
        KPIS,
        f"{head} — KPI",
        "KPI を直せます。下の空いた行に、施策番号（番号のない施策は施策名）と指標を書くと KPI を追加します。"
        "年度は西暦（例: 2027）。",
        columns,
        (K_ID, K_MID),
    )
    row = FIRST_ROW
    for k in spec.kpis:
        kvalues: list[object] = [
            k.indicator,
            k.unit,
            DIRECTION_WORDS.get(k.direction, ""),
            k.baseline_value,
            k.baseline_fy,
        ]
        for i in range(spec.target_pairs):
            value, fy = k.targets[i] if i < len(k.targets) else ("", None)
            kvalues += [value, fy]
        w.put(ws, row, 1, k.measure_key, locked=True)
        w.put(ws, row, 2, k.measure_title, locked=True, wrap=True)
        for col, value in enumerate(kvalues, start=3):
            w.put(ws, row, col, value, wrap=col == 3)
        w.put(ws, row, n - 1, k.kpi_id, locked=True)
        w.put(ws, row, n, k.measure_id, locked=True)
        row += 1
    last = row + BLANK_ROWS - 1
    for r in range(row, last + 1):
        for col in range(1, n - 1):
            w.put(ws, r, col, None, wrap=col in (2, 3))
        for col in (n - 1, n):
            w.put(ws, r, col, None, locked=True)
    _validate(
        ws, _list_validation(LISTS["directions"], counts["directions"], K_DIRECTION, strict=True), 5, last
    )
    years = _year_validation()
    ws.add_data_validation(years)
    for col in [7, *range(9, 9 + 2 * spec.target_pairs, 2)]:
        letter = get_column_letter(col)
        years.add(f"{letter}{FIRST_ROW}:{letter}{last}")

    # スケジュール
    columns = schedule_headers(spec.years)
    n = len(columns)
    ws = _sheet(
        wb,
        w,
        SCHEDULE,
        f"{head} — スケジュール",
        "年度ごとに 1 つの記載（検討・準備・構築・実施・運用 など。一覧にない語も書けます。「→」は前年度の継続）。"
        "新しい施策のスケジュールは、下の空いた行に施策番号（または施策名）とともに書きます。",
        columns,
        (S_MID,),
    )
    row = FIRST_ROW
    for s in spec.schedules:
        cells = dict(s.cells)
        w.put(ws, row, 1, s.measure_key, locked=True)
        w.put(ws, row, 2, s.measure_title, locked=True, wrap=True)
        for i, fy in enumerate(spec.years, start=3):
            w.put(ws, row, i, cells.get(fy, ""))
        w.put(ws, row, n, s.measure_id, locked=True)
        row += 1
    last = row + BLANK_ROWS - 1
    for r in range(row, last + 1):
        for col in range(1, n):
            w.put(ws, r, col, None, wrap=col == 2)
        w.put(ws, r, n, None, locked=True)
    dv = _list_validation(LISTS["phases"], counts["phases"], "スケジュール", strict=False)
    if dv is not None and spec.years:
        ws.add_data_validation(dv)
        dv.add(f"C{FIRST_ROW}:{get_column_letter(n - 1)}{last}")

    wb.move_sheet(META_SHEET, offset=len(wb.sheetnames) - 1)
    wb.active = 0
    wb.security.lockStructure = True  # no sheet renamed, removed or unhidden
    return wb


def workbook_bytes(spec: PlanWorkbookSpec) -> bytes:
    buf = io.BytesIO()
    build_workbook(spec).save(buf)
    return buf.getvalue()


def filename(spec: PlanWorkbookSpec) -> str:
    """A safe file name (ids, no user text): plan<ID>_rev<REVISION>.xlsx."""
    return f"plan{spec.plan_id}_rev{spec.plan_revision}.xlsx"
