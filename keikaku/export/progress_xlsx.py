"""Progress workbooks (進捗報告シート): one workbook per department for a reporting period, listing its
measures and KPIs, for departments that report through Excel.

Layout of the sheet 「進捗報告」 (rows from ``FIRST_ROW``; one row per KPI, at least one per measure):

  A 番号 | B 施策名 | C 指標 | D 単位 | E 基準値 | F 目標値 | G 進捗状況* | H 実績値* | I 取組の状況* | J 根拠資料 URL*
  K 施策 ID | L KPI ID | M 報告の版 (hidden)

Only the starred cells of a measure's first row (G, I, J) and each KPI row's H are unlocked; the sheet and
the workbook structure are protected; G is a drop-down of the organisation's status words. The very hidden
sheet 「_keikaku」 holds the identifiers (plan, plan revision, period, department) that the importer checks
so a workbook of another plan, period or department is refused. Pure: no Django
(``keikaku.services.excel`` builds the :class:`WorkbookSpec` from the database).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

FORMAT = "keikaku-progress-workbook/1"
SHEET = "進捗報告"
META_SHEET = "_keikaku"
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 4, 5
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("A", "番号", 8),
    ("B", "施策名", 40),
    ("C", "指標 (KPI)", 32),
    ("D", "単位", 8),
    ("E", "基準値", 14),
    ("F", "目標値（年度）", 26),
    ("G", "進捗状況（選択）", 14),
    ("H", "実績値", 14),
    ("I", "取組の状況", 50),
    ("J", "根拠資料の URL（改行区切り）", 30),
    ("K", "施策ID", 8),
    ("L", "KPI ID", 8),
    ("M", "報告の版", 8),
)
HEADERS = [h for _c, h, _w in COLUMNS]
PROTECTED_COLUMNS = ("A", "B", "C", "D", "E", "F", "K", "L")  # compared with the stored values on import
COL_STATUS, COL_ACTUAL, COL_NARRATIVE, COL_EVIDENCE = "G", "H", "I", "J"
COL_MEASURE, COL_KPI, COL_REVISION = "K", "L", "M"
META_KEYS = ("format", "plan_id", "plan_revision", "period_id", "department_id", "organisation")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class KpiLine:
    kpi_id: int
    indicator: str
    unit: str = ""
    baseline: str = ""
    target: str = ""  # every target with its year: 30%（令和7年度）、50%（令和9年度）
    actual: float | str | None = None  # stored actual (number or qualitative text)
    numeric: bool = True  # the importer requires a number (keikaku.core.actuals: not qualitative)
    units: Sequence[str] = ()  # the units of the baseline and targets, normalised (accepted too)


@dataclass(frozen=True)
class MeasureBlock:
    measure_id: int
    key: str
    title: str
    kpis: Sequence[KpiLine] = ()
    status: str = ""
    narrative: str = ""
    evidence: Sequence[str] = ()
    report_revision: int = 0  # 0: no report yet


@dataclass(frozen=True)
class WorkbookSpec:
    plan_id: int
    plan_revision: int
    plan_title: str
    organisation: str
    period_id: int
    period_label: str
    department_id: int  # 0: measures without a department
    department_name: str
    statuses: Sequence[str]
    measures: Sequence[MeasureBlock] = field(default_factory=tuple)


def protected_values(spec: WorkbookSpec) -> list[dict[str, object]]:
    """The locked cells of every data row (column letter → value), in sheet order."""
    rows: list[dict[str, object]] = []
    for m in spec.measures:
        lines: Sequence[KpiLine | None] = list(m.kpis) or [None]
        for i, k in enumerate(lines):
            rows.append(
                {
                    "A": m.key if i == 0 else "",
                    "B": m.title if i == 0 else "",
                    "C": k.indicator if k else "",
                    "D": k.unit if k else "",
                    "E": k.baseline if k else "",
                    "F": k.target if k else "",
                    "K": m.measure_id,
                    "L": k.kpi_id if k else "",
                }
            )
    return rows


def _status_validation(spec: WorkbookSpec) -> DataValidation:
    inline = ",".join(spec.statuses)
    if (
        spec.statuses
        and len(inline) <= 250
        and not any(c in inline for c in '"')
        and all("," not in s for s in spec.statuses)
    ):
        formula = f'"{inline}"'
    else:
        formula = f"'{META_SHEET}'!$D$1:$D${max(1, len(spec.statuses))}"
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="進捗状況",
        error="一覧から選んでください",
        promptTitle="進捗状況",
        prompt="一覧から選んでください",
        showInputMessage=True,
    )
    return dv


def _put(ws, styles: dict, ref: str, value: object, *, locked: bool = True, wrap: bool = False) -> None:
    """Write a cell with its protection, border and alignment (the style computed once per workbook and
    copied: openpyxl's per-attribute style assignment is slow)."""
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    key = (locked, wrap)
    proto = styles.get(key)
    if proto is None:
        cell.protection = Protection(locked=locked)
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="top") if wrap else Alignment(vertical="top")
        if not locked:
            cell.fill = INPUT_FILL
        styles[key] = copy(cell._style)
    else:
        cell._style = copy(proto)


def build_workbook(spec: WorkbookSpec) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    styles: dict = {}
    title = f"{spec.organisation} {spec.plan_title} — {spec.period_label} 進捗報告 — {spec.department_name}"
    _put(ws, styles, f"A{TITLE_ROW}", title)
    ws[f"A{TITLE_ROW}"].font = Font(bold=True, size=12)
    _put(
        ws,
        styles,
        "A2",
        "黄色のセルだけ入力できます。進捗状況は一覧から選び、実績値は数値と単位（例: 30%、1,200件、1.2万件。全角でも可）"
        "で入力してください（定性の指標は 実施 などの語）。提出済・承認済の報告は取り込みません。",
    )
    for col, header, width in COLUMNS:
        _put(ws, styles, f"{col}{HEADER_ROW}", header, wrap=True)
        ws[f"{col}{HEADER_ROW}"].font = Font(bold=True)
        ws[f"{col}{HEADER_ROW}"].fill = HEAD_FILL
        ws.column_dimensions[col].width = width
    for col in (COL_MEASURE, COL_KPI, COL_REVISION):
        ws.column_dimensions[col].hidden = True
    dv = _status_validation(spec)
    ws.add_data_validation(dv)
    row = FIRST_ROW
    for m in spec.measures:
        lines: Sequence[KpiLine | None] = list(m.kpis) or [None]
        for i, k in enumerate(lines):
            first = i == 0
            _put(ws, styles, f"A{row}", m.key if first else "")
            _put(ws, styles, f"B{row}", m.title if first else "", wrap=True)
            _put(ws, styles, f"C{row}", k.indicator if k else "", wrap=True)
            _put(ws, styles, f"D{row}", k.unit if k else "")
            _put(ws, styles, f"E{row}", k.baseline if k else "")
            _put(ws, styles, f"F{row}", k.target if k else "")
            _put(ws, styles, f"G{row}", (m.status or None) if first else None, locked=not first)
            _put(ws, styles, f"H{row}", k.actual if k else None, locked=k is None)
            _put(ws, styles, f"I{row}", (m.narrative or None) if first else None, locked=not first, wrap=True)
            _put(
                ws,
                styles,
                f"J{row}",
                ("\n".join(m.evidence) or None) if first else None,
                locked=not first,
                wrap=True,
            )
            _put(ws, styles, f"K{row}", m.measure_id)
            _put(ws, styles, f"L{row}", k.kpi_id if k else "")
            _put(ws, styles, f"M{row}", m.report_revision)
            if first:
                dv.add(f"G{row}")
            row += 1
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people may widen columns
    ws.protection.formatRows = False

    meta = wb.create_sheet(META_SHEET)
    values = (
        FORMAT,
        spec.plan_id,
        spec.plan_revision,
        spec.period_id,
        spec.department_id,
        spec.organisation,
    )
    for i, (key, value) in enumerate(zip(META_KEYS, values, strict=True), start=1):
        meta[f"A{i}"] = key
        meta[f"B{i}"] = value
        if isinstance(value, str):
            meta[f"B{i}"].data_type = "s"
    for i, word in enumerate(spec.statuses, start=1):
        meta[f"D{i}"] = word
        meta[f"D{i}"].data_type = "s"
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.security.lockStructure = True
    wb.active = 0
    return wb


def workbook_bytes(spec: WorkbookSpec) -> bytes:
    buf = io.BytesIO()
    build_workbook(spec).save(buf)
    return buf.getvalue()


def filename(spec: WorkbookSpec) -> str:
    """A safe file name: 進捗報告_<plan>_<period>_<department>.xlsx (ids, no user text)."""
    return f"progress_plan{spec.plan_id}_period{spec.period_id}_dept{spec.department_id}.xlsx"
