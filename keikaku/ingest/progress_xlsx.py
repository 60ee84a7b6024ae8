"""Read filled progress workbooks (written by :mod:`keikaku.export.progress_xlsx`) back.

:func:`read_workbook` opens a file and returns its identifiers and data rows; :func:`check` compares them
with the workbook the database would write now (a :class:`WorkbookSpec`) and returns the measures'
inputs and every problem, each with file, sheet, row and column: another plan's or period's workbook,
edited protected cells (the locked cells differ from the stored values), unknown measures or KPIs, status
words outside the vocabulary, actuals the one rule refuses (keikaku.core.actuals: a word for a numeric KPI,
another unit), bad URLs. A cell that still holds the actual the workbook was written with is taken as
stored (``as_stored``), whatever rule it was entered under. Pure: no Django.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlparse

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from keikaku.core.actuals import ActualRefused, KpiRule, parse_actual
from keikaku.export.progress_xlsx import (
    COL_ACTUAL,
    COL_EVIDENCE,
    COL_KPI,
    COL_MEASURE,
    COL_NARRATIVE,
    COL_REVISION,
    COL_STATUS,
    COLUMNS,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    HEADERS,
    META_KEYS,
    META_SHEET,
    PROTECTED_COLUMNS,
    SHEET,
    KpiLine,
    WorkbookSpec,
    protected_values,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_NARRATIVE = 10_000
LETTERS = [c for c, _h, _w in COLUMNS]


@dataclass(frozen=True)
class WorkbookProblem:
    file: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def where(self) -> str:
        """file: sheet!G12, file: sheet, or file."""
        cell = (
            f"{self.column}{self.row}" if self.column and self.row else (f"行{self.row}" if self.row else "")
        )
        place = f"{self.sheet}!{cell}" if self.sheet and cell else (self.sheet or cell)
        return f"{self.file}: {place}" if place else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class WorkbookData:
    file: str
    meta: dict[str, object]
    rows: list[tuple[int, dict[str, object]]]  # (sheet row number, column letter → value)


@dataclass
class ActualIn:
    kpi_id: int
    row: int
    number: Decimal | None = None
    unit: str = ""
    text: str = ""
    as_stored: bool = False  # the cell holds the stored actual as written out: nothing to change


@dataclass
class MeasureIn:
    measure_id: int
    row: int
    revision: int  # the report revision the workbook was written from
    status: str = ""
    narrative: str = ""
    evidence: list[str] = field(default_factory=list)
    actuals: list[ActualIn] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.status or self.narrative or self.evidence or self.actuals)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(name: str, data: bytes) -> tuple[WorkbookData | None, list[WorkbookProblem]]:
    """Open a workbook; a file that is not a keikaku progress workbook gives one problem and no data."""
    if len(data) > MAX_BYTES:
        return None, [WorkbookProblem(name, f"ファイルが大きすぎます（上限 {MAX_BYTES // 1024 // 1024} MB）")]
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        return None, [WorkbookProblem(name, "Excel ブック (.xlsx) として読めません")]
    if META_SHEET not in wb.sheetnames or SHEET not in wb.sheetnames:
        return None, [
            WorkbookProblem(
                name, "keikaku で書き出した進捗報告のブックではありません（識別情報のシートがありません）"
            )
        ]
    meta_ws = wb[META_SHEET]
    meta = {
        _text(meta_ws.cell(row=i, column=1).value): meta_ws.cell(row=i, column=2).value
        for i in range(1, len(META_KEYS) + 1)
    }
    if meta.get("format") != FORMAT:
        return None, [
            WorkbookProblem(name, f"ブックの形式が違います（{_text(meta.get('format'))[:40]}）", META_SHEET)
        ]
    ws = wb[SHEET]
    if ws.max_row > MAX_ROWS:
        return None, [WorkbookProblem(name, f"行が多すぎます（上限 {MAX_ROWS}）", SHEET)]
    problems = []
    for i, header in enumerate(HEADERS, start=1):
        if _text(ws.cell(row=HEADER_ROW, column=i).value) != header:
            problems.append(
                WorkbookProblem(
                    name, f"見出しが変更されています（元は「{header}」）", SHEET, HEADER_ROW, LETTERS[i - 1]
                )
            )
    rows = []
    for r, values in enumerate(
        ws.iter_rows(min_row=FIRST_ROW, max_col=len(LETTERS), values_only=True), start=FIRST_ROW
    ):
        cells = dict(zip(LETTERS, values, strict=False))
        if any(v not in (None, "") for v in cells.values()):
            rows.append((r, cells))
    return WorkbookData(name, meta, rows), problems


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _same(stored: object, cell: object) -> bool:
    if isinstance(stored, int) and not isinstance(stored, bool):
        return _int(cell) == stored
    return _text(stored) == _text(cell)


def _same_actual(stored: float | str, cell: object) -> bool:
    """The cell still holds the actual the workbook was written with (a number, or a text)."""
    if isinstance(stored, int | float) and not isinstance(stored, bool):
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return Decimal(repr(float(cell))) == Decimal(repr(float(stored)))
        return False
    return _text(stored) == _text(cell)


def split_evidence(value: object) -> list[str]:
    return [
        part.strip()
        for part in _text(value).replace("\r", "\n").replace(" ", "\n").split("\n")
        if part.strip()
    ]


def check(
    data: WorkbookData, spec: WorkbookSpec, *, expected_plan: int, expected_period: int
) -> tuple[list[MeasureIn], list[WorkbookProblem]]:
    """Every row checked against ``spec`` (the workbook as the database would write it now)."""
    f = data.file
    problems: list[WorkbookProblem] = []

    def bad(message: str, row: int | None = None, column: str = "", sheet: str = SHEET) -> None:
        problems.append(WorkbookProblem(f, message, sheet, row, column))

    plan_id = _int(data.meta.get("plan_id"))
    if plan_id != expected_plan:
        bad(
            f"別の計画のブックです（ブックの計画 ID {plan_id}、取り込み先 {expected_plan}）", sheet=META_SHEET
        )
        return [], problems
    if _int(data.meta.get("period_id")) != expected_period:
        bad(
            f"別の報告期間のブックです（ブックの報告期間 ID {_int(data.meta.get('period_id'))}、取り込み先 {expected_period}）",
            sheet=META_SHEET,
        )
        return [], problems
    if _int(data.meta.get("department_id")) != spec.department_id:
        bad("部署の識別情報が一致しません", sheet=META_SHEET)
        return [], problems
    if _int(data.meta.get("plan_revision")) != spec.plan_revision:
        bad("書き出した後に計画が改訂されました。もう一度書き出して入力し直してください", sheet=META_SHEET)
        return [], problems

    expected = protected_values(spec)
    kpis: dict[int, KpiLine] = {k.kpi_id: k for m in spec.measures for k in m.kpis}
    measure_ids = {m.measure_id for m in spec.measures}
    statuses = set(spec.statuses)
    out: list[MeasureIn] = []
    current: MeasureIn | None = None
    seen_rows = {r for r, _ in data.rows}
    for i in range(max(len(expected), max(seen_rows, default=0) - FIRST_ROW + 1)):
        r = FIRST_ROW + i
        if i >= len(expected) and r in seen_rows:
            cells = dict(data.rows)[r]
            mid = _int(cells.get(COL_MEASURE))
            if mid is not None and mid not in measure_ids:
                bad(f"不明な施策です（施策 ID {mid} はこの部署・計画にありません）", r, COL_MEASURE)
            else:
                bad("表の外に入力があります（行を追加することはできません）", r, "A")
    rows = dict(data.rows)
    for i, want in enumerate(expected):
        r = FIRST_ROW + i
        cells = rows.get(r, {})
        mid = _int(cells.get(COL_MEASURE))
        if mid is not None and mid != want[COL_MEASURE] and mid not in measure_ids:
            bad(f"不明な施策です（施策 ID {mid} はこの部署・計画にありません）", r, COL_MEASURE)
            current = None
            continue
        edited = [c for c in PROTECTED_COLUMNS if not _same(want[c], cells.get(c))]
        for c in edited:
            shown = _text(want[c])[:40]
            bad(f"保護されたセルが変更されています（元の値: 「{shown}」）", r, c)
        if edited:
            current = None
            continue
        first = i == 0 or expected[i - 1][COL_MEASURE] != want[COL_MEASURE]
        if first or current is None:
            if not first:  # the measure's first row was refused above
                continue
            rev = _int(cells.get(COL_REVISION))
            if rev is None:
                bad("報告の版（非表示の列）が読めません", r, COL_REVISION)
                rev = -1
            current = MeasureIn(measure_id=int(want[COL_MEASURE]), row=r, revision=rev)  # type: ignore[arg-type,call-overload]
            out.append(current)
            status = _text(cells.get(COL_STATUS))
            if status and status not in statuses:
                bad(
                    f"進捗状況は {' / '.join(spec.statuses)} から選んでください（「{status[:20]}」）",
                    r,
                    COL_STATUS,
                )
            current.status = status
            narrative = _text(cells.get(COL_NARRATIVE))
            if len(narrative) > MAX_NARRATIVE:
                bad(f"取組の状況が長すぎます（{MAX_NARRATIVE} 字まで）", r, COL_NARRATIVE)
            current.narrative = narrative
            for link in split_evidence(cells.get(COL_EVIDENCE)):
                u = urlparse(link)
                if u.scheme not in ("http", "https") or not u.netloc or len(link) > 2000:
                    bad(f"根拠資料は http(s) の URL にしてください（「{link[:40]}」）", r, COL_EVIDENCE)
                else:
                    current.evidence.append(link)
        else:
            for c in (COL_STATUS, COL_NARRATIVE, COL_EVIDENCE):
                if _text(cells.get(c)):
                    bad("この欄は施策の最初の行にだけ入力できます", r, c)
        kpi_id = want[COL_KPI]
        value = cells.get(COL_ACTUAL)
        if kpi_id == "":
            if _text(value):
                bad("この施策には KPI がないので実績値は入力できません", r, COL_ACTUAL)
            continue
        line = kpis[int(kpi_id)]  # type: ignore[arg-type,call-overload]
        if _text(value) == "":
            continue
        if line.actual is not None and _same_actual(line.actual, value):
            # as written out: the stored actual, whatever rule it was entered under
            current.actuals.append(ActualIn(kpi_id=line.kpi_id, row=r, as_stored=True))
            continue
        try:
            got = parse_actual(
                value, KpiRule(unit=line.unit, units=tuple(line.units), qualitative=not line.numeric)
            )
        except ActualRefused as e:
            bad(e.message, r, COL_ACTUAL)
            continue
        if got is not None:
            current.actuals.append(
                ActualIn(kpi_id=line.kpi_id, row=r, number=got.number, unit=got.unit, text=got.text)
            )
    for m in out:
        if not m.status and (m.narrative or m.evidence or m.actuals):
            bad("進捗状況を選んでください（実績や取組の状況を入力した施策には必須です）", m.row, COL_STATUS)
    return out, problems


def problems_text(problems: Sequence[WorkbookProblem]) -> str:
    return "\n".join(str(p) for p in problems)
