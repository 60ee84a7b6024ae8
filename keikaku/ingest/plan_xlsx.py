"""Read a plan workbook (written by :mod:`keikaku.export.plan_xlsx`) back and tell what it changes.

:func:`read_workbook` opens the file (a workbook that is not a keikaku plan workbook gives one problem);
:func:`compare` reads its rows against the workbook the database would write now (a
:class:`PlanWorkbookSpec`) and returns the :class:`WorkbookChanges` — measures, KPIs and schedules whose
cells differ from what is stored, new measures and KPIs from added rows — and every problem, each located
as sheet!cell (``施策!B12``) with a message in Japanese: another plan's workbook, unknown or repeated ids,
words outside a drop-down's list, years that are not years, a formula, a KPI row naming no measure, a
measure someone else changed after the export (its hidden 施策の版 is older than the stored one). A row
equal to what is stored changes nothing, so an untouched workbook gives no change. Pure: no Django.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from keikaku.core.fiscal import parse_fiscal_year
from keikaku.core.pillars import PILLARS
from keikaku.core.plan import MAX_FY, MIN_FY
from keikaku.core.text import nfkc
from keikaku.export.plan_xlsx import (
    AREA_WORDS,
    DIRECTION_WORDS,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    K_BASELINE,
    K_BASELINE_FY,
    K_DIRECTION,
    K_ID,
    K_INDICATOR,
    K_MID,
    K_MKEY,
    K_MTITLE,
    K_TARGET,
    K_TARGET_FY,
    K_UNIT,
    KPIS,
    M_AREAS,
    M_DEADLINE,
    M_DEPARTMENTS,
    M_DESCRIPTION,
    M_ID,
    M_KEY,
    M_NATIONAL,
    M_PILLARS,
    M_POLICY,
    M_PRIORITY,
    M_REPOSTED,
    M_REVISION,
    M_TITLE,
    MEASURE_COLUMNS,
    MEASURES,
    META_SHEET,
    S_MID,
    S_MKEY,
    S_MTITLE,
    SCHEDULE,
    KpiRow,
    MeasureRow,
    PlanWorkbookSpec,
    ScheduleRow,
    clean_line,
    clean_text,
    pillar_word,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
_SPLIT = re.compile(r"[\n、，,]")
_YEAR_HEADER = re.compile(r"\((\d{4})\)\s*$")
_TRUE = {"○", "◯", "〇", "●", "◎", "1", "はい", "true", "yes", "y", "x", "✓", "レ"}
_FALSE = {"", "×", "✕", "-", "－", "0", "いいえ", "false", "no", "n"}


@dataclass(frozen=True)
class Problem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # letter

    @property
    def where(self) -> str:
        """施策!B12, 施策 (a whole sheet) or "" (the file)."""
        cell = (
            f"{self.column}{self.row}" if self.column and self.row else (f"{self.row}行" if self.row else "")
        )
        return f"{self.sheet}!{cell}" if self.sheet and cell else (self.sheet or cell)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class Sheet:
    name: str
    columns: dict[str, int]  # header → column number
    rows: list[tuple[int, dict[str, object]]]  # (row number, header → value) of rows with any value

    def letter(self, header: str) -> str:
        return get_column_letter(self.columns[header]) if header in self.columns else ""


@dataclass
class WorkbookData:
    meta: dict[str, object]
    sheets: dict[str, Sheet]


@dataclass
class WorkbookChanges:
    measures: list[tuple[int, MeasureRow]] = field(default_factory=list)  # (row, new content) of stored ones
    new_measures: list[tuple[int, MeasureRow]] = field(default_factory=list)
    kpis: list[tuple[int, KpiRow]] = field(default_factory=list)  # changed stored KPIs
    new_kpis: list[tuple[int, KpiRow]] = field(default_factory=list)  # measure_id or new_measure set
    schedules: list[tuple[int, ScheduleRow]] = field(default_factory=list)  # changed or a new measure's

    @property
    def empty(self) -> bool:
        return not (self.measures or self.new_measures or self.kpis or self.new_kpis or self.schedules)


class _Formula:
    """A cell holding a formula (refused: the workbook takes values)."""


FORMULA = _Formula()


def _text(value: object) -> str:
    if value is None or value is FORMULA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _required(name: str) -> list[str]:
    if name == MEASURES:
        return [h for h, _w in MEASURE_COLUMNS]
    if name == KPIS:
        return [K_MKEY, K_MTITLE, K_INDICATOR, K_UNIT, K_DIRECTION, K_BASELINE, K_BASELINE_FY, K_ID, K_MID]
    return [S_MKEY, S_MTITLE, S_MID]


def read_workbook(data: bytes) -> tuple[WorkbookData | None, list[Problem]]:
    """Open a plan workbook: its identifiers and the non-empty rows of its three sheets."""
    if len(data) > MAX_BYTES:
        return None, [Problem(f"ファイルが大きすぎます（上限 {MAX_BYTES // 1024 // 1024} MB）")]
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        return None, [Problem("Excel ブック (.xlsx) として読めません")]
    if META_SHEET not in wb.sheetnames:
        return None, [
            Problem("keikaku で書き出した計画のブックではありません（識別情報のシートがありません）")
        ]
    meta_ws = wb[META_SHEET]
    meta = {
        _text(meta_ws.cell(row=i, column=1).value): meta_ws.cell(row=i, column=2).value for i in range(1, 5)
    }
    if meta.get("format") != FORMAT:
        return None, [Problem("keikaku で書き出した計画のブックではありません（形式が違います）")]
    problems: list[Problem] = []
    sheets: dict[str, Sheet] = {}
    for name in (MEASURES, KPIS, SCHEDULE):
        if name not in wb.sheetnames:
            problems.append(Problem(f"シート「{name}」がありません", name))
            continue
        ws = wb[name]
        if ws.max_row > MAX_ROWS:
            problems.append(Problem(f"行が多すぎます（上限 {MAX_ROWS}）", name))
            continue
        columns: dict[str, int] = {}
        for cell in ws[HEADER_ROW]:
            header = clean_line(cell.value)
            if header and header not in columns:
                columns[header] = cell.column
        missing = [h for h in _required(name) if h not in columns]
        if missing:
            problems.append(
                Problem(
                    f"見出しが変更されています（「{'」「'.join(missing)}」がありません）", name, HEADER_ROW
                )
            )
            continue
        by_col = {c: h for h, c in columns.items()}
        rows = []
        for cells in ws.iter_rows(min_row=FIRST_ROW, max_col=max(by_col)):
            values: dict[str, object] = {}
            for cell in cells:
                h = by_col.get(cell.column)
                if h is None or cell.value is None or cell.value == "":
                    continue
                if cell.data_type == "f":
                    values[h] = FORMULA
                    problems.append(
                        Problem(
                            "数式は使えません。値を入力してください",
                            name,
                            cell.row,
                            get_column_letter(cell.column),
                        )
                    )
                else:
                    values[h] = cell.value
            if values:
                rows.append((cells[0].row, values))
        sheets[name] = Sheet(name, columns, rows)
    return WorkbookData(meta, sheets), problems


# ---- cell readers ------------------------------------------------------------------------------


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = nfkc(_text(value)).strip()
    return int(text) if text.isdigit() else None


_PILLARS: dict[str, str] = {}
for _p in PILLARS:
    for _w in (_p.code, pillar_word(_p.code), _p.short, _p.name, f"{_p.code}: {_p.short}"):
        _PILLARS[nfkc(_w).casefold()] = _p.code
_PILLARS["その他"] = "other"
_DIRECTIONS = {w: code for code, w in DIRECTION_WORDS.items()}


class _Reader:
    """Reads one sheet's cells into values, recording each problem at its cell."""

    def __init__(self, sheet: Sheet, problems: list[Problem]) -> None:
        self.sheet = sheet
        self.problems = problems

    def bad(self, row: int, header: str, message: str) -> None:
        self.problems.append(Problem(message, self.sheet.name, row, self.sheet.letter(header)))

    def line(self, row: int, cells: dict[str, object], header: str, limit: int) -> str:
        text = clean_line(_text(cells.get(header)))
        if len(text) > limit:
            self.bad(row, header, f"長すぎます（{limit} 字まで）")
        return text

    def text(self, row: int, cells: dict[str, object], header: str, limit: int) -> str:
        text = clean_text(_text(cells.get(header)))
        if len(text) > limit:
            self.bad(row, header, f"長すぎます（{limit} 字まで）")
        return text

    def items(self, cells: dict[str, object], header: str, *, lines_only: bool = False) -> list[str]:
        raw = clean_text(_text(cells.get(header)))
        parts = raw.split("\n") if lines_only else _SPLIT.split(raw)
        return list(dict.fromkeys(clean_line(p) for p in parts if clean_line(p)))

    def year(self, row: int, cells: dict[str, object], header: str) -> int | None:
        value = cells.get(header)
        if value is None or value is FORMULA or _text(value).strip() == "":
            return None
        fy = _int(value)
        if fy is None:
            fy = parse_fiscal_year(_text(value))
        if fy is None or not MIN_FY <= fy <= MAX_FY:
            self.bad(row, header, f"西暦の年度（例: 2027）で入力してください（「{_text(value)[:20]}」）")
            return None
        return fy

    def flag(self, row: int, cells: dict[str, object], header: str) -> bool:
        value = cells.get(header)
        if isinstance(value, bool):
            return value
        word = nfkc(_text(value)).strip().casefold()
        if word in _TRUE or word == "○":
            return True
        if word not in _FALSE:
            self.bad(row, header, f"「○」か空欄にしてください（「{_text(value)[:10]}」）")
        return False


def _measure_row(r: _Reader, row: int, cells: dict[str, object], spec: PlanWorkbookSpec) -> MeasureRow:
    policies = set(spec.policies)
    policy = r.line(row, cells, M_POLICY, 700)
    if policy and policy not in policies:
        r.bad(row, M_POLICY, f"施策体系は一覧から選んでください（「{policy[:30]}」）")
    pillars = []
    for word in r.items(cells, M_PILLARS):
        code = _PILLARS.get(nfkc(word).casefold())
        if code is None:
            r.bad(row, M_PILLARS, f"柱は一覧（A〜E・その他）から選んでください（「{word[:20]}」）")
        else:
            pillars.append(code)
    order = [p.code for p in PILLARS]
    areas = r.items(cells, M_AREAS)
    for a in areas:
        if a not in AREA_WORDS:
            r.bad(row, M_AREAS, f"重点分野は一覧から選んでください（「{a[:20]}」）")
    departments = r.items(cells, M_DEPARTMENTS)
    for d in departments:
        if len(d) > 200:
            r.bad(row, M_DEPARTMENTS, "部署名は 200 字までです")
    title = r.line(row, cells, M_TITLE, 1000)
    if not title:
        r.bad(row, M_TITLE, "施策名を入力してください")
    return MeasureRow(
        measure_id=None,
        revision=0,
        title=title,
        key=r.line(row, cells, M_KEY, 100),
        description=r.text(row, cells, M_DESCRIPTION, 20_000),
        policy=policy,
        pillars=tuple(sorted(dict.fromkeys(pillars), key=order.index)),
        priority_areas=tuple(a for a in AREA_WORDS if a in areas),
        priority=r.flag(row, cells, M_PRIORITY),
        reposted=r.flag(row, cells, M_REPOSTED),
        departments=tuple(departments),
        deadline_fy=r.year(row, cells, M_DEADLINE),
        national_measures=tuple(r.items(cells, M_NATIONAL, lines_only=True)),
    )


def _kpi_row(r: _Reader, row: int, cells: dict[str, object]) -> KpiRow:
    indicator = r.line(row, cells, K_INDICATOR, 1000)
    if not indicator:
        r.bad(row, K_INDICATOR, "指標を入力してください（KPI の削除は計画の編集画面で行います）")
    word = clean_line(_text(cells.get(K_DIRECTION)))
    direction = _DIRECTIONS.get(word, "")
    if word and not direction:
        r.bad(row, K_DIRECTION, f"方向は一覧から選んでください（「{word[:20]}」）")
    targets = []
    i = 1
    while f"{K_TARGET}{i}" in r.sheet.columns:
        vh, yh = f"{K_TARGET}{i}", f"{K_TARGET_FY}{i}"
        value = r.line(row, cells, vh, 200)
        fy = r.year(row, cells, yh) if yh in r.sheet.columns else None
        if value or fy:
            if not value:
                r.bad(row, vh, "目標年度だけでなく目標値も入力してください")
            targets.append((value, fy))
        i += 1
    return KpiRow(
        kpi_id=None,
        measure_id=None,
        indicator=indicator,
        measure_key=r.line(row, cells, K_MKEY, 100),
        measure_title=r.line(row, cells, K_MTITLE, 1000),
        unit=r.line(row, cells, K_UNIT, 50),
        direction=direction,
        baseline_value=r.line(row, cells, K_BASELINE, 200),
        baseline_fy=r.year(row, cells, K_BASELINE_FY),
        targets=tuple(targets),
    )


def _year_columns(sheet: Sheet, problems: list[Problem]) -> dict[str, int]:
    out = {}
    for header, col in sheet.columns.items():
        if header in (S_MKEY, S_MTITLE, S_MID):
            continue
        m = _YEAR_HEADER.search(header)
        if m is None:
            problems.append(
                Problem(
                    "年度の見出しが読めません（書き出したままにしてください）",
                    sheet.name,
                    HEADER_ROW,
                    get_column_letter(col),
                )
            )
        else:
            out[header] = int(m.group(1))
    return out


class _MeasureIndex:
    """How a new KPI or schedule row names its measure: 施策番号, else the exact 施策名, among the stored
    measures and the new ones."""

    def __init__(self, stored: Sequence[MeasureRow], new: Sequence[MeasureRow]) -> None:
        self.by_key: dict[str, list[tuple[int | None, int | None]]] = {}
        self.by_title: dict[str, list[tuple[int | None, int | None]]] = {}
        for m in stored:
            self._add(m, (m.measure_id, None))
        for i, m in enumerate(new):
            self._add(m, (None, i))

    def _add(self, m: MeasureRow, ref: tuple[int | None, int | None]) -> None:
        if m.key:
            self.by_key.setdefault(m.key, []).append(ref)
        self.by_title.setdefault(m.title, []).append(ref)

    def find(self, key: str, title: str) -> tuple[int | None, int | None] | str:
        if key:
            refs = self.by_key.get(key, [])
            if len(refs) == 1:
                return refs[0]
            if len(refs) > 1 and not title:
                return f"施策番号「{key[:20]}」の施策が複数あります。施策名も書いてください"
        refs = self.by_title.get(title, []) if title else []
        if key and len(self.by_key.get(key, [])) > 1:
            refs = [r for r in refs if r in self.by_key[key]]
        if len(refs) == 1:
            return refs[0]
        if len(refs) > 1:
            return f"施策名「{title[:30]}」の施策が複数あります。施策番号も書いてください"
        return "この施策番号・施策名の施策がありません（施策のシートの番号か施策名を書いてください）"


def compare(
    data: WorkbookData, spec: PlanWorkbookSpec, *, expected_plan: int
) -> tuple[WorkbookChanges, list[Problem]]:
    """Every row read and checked against ``spec`` (the workbook as the database would write it now)."""
    problems: list[Problem] = []
    changes = WorkbookChanges()
    plan_id = _int(data.meta.get("plan_id"))
    if plan_id != expected_plan:
        problems.append(
            Problem(
                f"別の計画（または別の版）のブックです（ブックの計画 ID {plan_id}、更新する計画 {expected_plan}）"
            )
        )
        return changes, problems
    if set(data.sheets) != {MEASURES, KPIS, SCHEDULE}:
        return changes, problems

    stored = {m.measure_id: m for m in spec.measures}
    stored_kpis = {k.kpi_id: k for k in spec.kpis}
    stored_schedules = {s.measure_id: s for s in spec.schedules}
    exported_revision: dict[int, int] = {}
    changed_rows: dict[int, tuple[str, int, str]] = {}  # measure id → first changed (sheet, row, header)

    def changed(mid: int, sheet: str, row: int, header: str) -> None:
        changed_rows.setdefault(mid, (sheet, row, header))

    # 施策
    sheet = data.sheets[MEASURES]
    r = _Reader(sheet, problems)
    seen: dict[int, int] = {}
    for row, cells in sheet.rows:
        mid = _int(cells.get(M_ID))
        if cells.get(M_ID) is not None and mid is None:
            r.bad(row, M_ID, "施策ID が読めません（変更しないでください）")
            continue
        content = {h: v for h, v in cells.items() if h not in (M_ID, M_REVISION)}
        if mid is None:
            if content:
                changes.new_measures.append((row, _measure_row(r, row, cells, spec)))
            continue
        if mid not in stored:
            r.bad(row, M_ID, f"この計画にない施策です（施策ID {mid}）")
            continue
        if mid in seen:
            r.bad(row, M_ID, f"同じ施策が 2 回あります（{seen[mid]} 行目と同じ施策ID）")
            continue
        seen[mid] = row
        rev = _int(cells.get(M_REVISION))
        exported_revision[mid] = rev if rev is not None else -1
        m = _measure_row(r, row, cells, spec)
        if m.content() != stored[mid].content():
            changes.measures.append((row, replace(m, measure_id=mid, revision=rev or 0)))
            changed(mid, MEASURES, row, M_TITLE)
    index = _MeasureIndex(spec.measures, [m for _r, m in changes.new_measures])

    # KPI
    sheet = data.sheets[KPIS]
    r = _Reader(sheet, problems)
    seen = {}
    for row, cells in sheet.rows:
        kid = _int(cells.get(K_ID))
        if cells.get(K_ID) is not None and kid is None:
            r.bad(row, K_ID, "KPI ID が読めません（変更しないでください）")
            continue
        k = _kpi_row(r, row, cells)
        if kid is None:
            where = index.find(k.measure_key, k.measure_title)
            if isinstance(where, str):
                r.bad(row, K_MKEY, where)
                continue
            mid, new = where
            changes.new_kpis.append((row, replace(k, measure_id=mid, new_measure=new)))
            if mid is not None:
                changed(mid, KPIS, row, K_INDICATOR)
            continue
        if kid not in stored_kpis or _int(cells.get(K_MID)) != stored_kpis[kid].measure_id:
            r.bad(row, K_ID, f"この計画にない KPI です（KPI ID {kid}）")
            continue
        if kid in seen:
            r.bad(row, K_ID, f"同じ KPI が 2 回あります（{seen[kid]} 行目と同じ KPI ID）")
            continue
        seen[kid] = row
        old = stored_kpis[kid]
        if k.content() != old.content():
            changes.kpis.append((row, replace(k, kpi_id=kid, measure_id=old.measure_id)))
            changed(old.measure_id or 0, KPIS, row, K_INDICATOR)

    # スケジュール
    sheet = data.sheets[SCHEDULE]
    r = _Reader(sheet, problems)
    years = _year_columns(sheet, problems)
    seen = {}
    for row, cells in sheet.rows:
        mid = _int(cells.get(S_MID))
        if cells.get(S_MID) is not None and mid is None:
            r.bad(row, S_MID, "施策ID が読めません（変更しないでください）")
            continue
        entries = []
        for header, fy in years.items():
            written = r.line(row, cells, header, 200)
            if written:
                entries.append((fy, written))
        cells_out = tuple(sorted(entries))
        if mid is None:
            key, title = r.line(row, cells, S_MKEY, 100), r.line(row, cells, S_MTITLE, 1000)
            if not (key or title) and not entries:
                continue
            where = index.find(key, title)
            if isinstance(where, str):
                r.bad(row, S_MKEY, where)
                continue
            mid, new = where
            if mid is not None and mid in seen:
                r.bad(row, S_MKEY, f"この施策のスケジュールは {seen[mid]} 行目にあります")
                continue
            changes.schedules.append((row, ScheduleRow(measure_id=mid, cells=cells_out, new_measure=new)))
            if mid is not None:
                seen[mid] = row
                changed(mid, SCHEDULE, row, S_MKEY)
            continue
        if mid not in stored_schedules:
            r.bad(row, S_MID, f"この計画にない施策です（施策ID {mid}）")
            continue
        if mid in seen:
            r.bad(row, S_MID, f"同じ施策が 2 回あります（{seen[mid]} 行目と同じ施策ID）")
            continue
        seen[mid] = row
        before = stored_schedules[mid]
        # years the workbook has no column for are kept as stored
        kept = tuple(c for c in before.cells if c[0] not in set(years.values()))
        after = tuple(sorted(kept + cells_out))
        if after != before.cells:
            changes.schedules.append((row, ScheduleRow(measure_id=mid, cells=after)))
            changed(mid, SCHEDULE, row, S_MKEY)

    # a measure changed here and by someone else since the export: refused, never overwritten
    for mid, (sheet_name, row, header) in changed_rows.items():
        rev = exported_revision.get(mid)
        if rev is not None and rev != stored[mid].revision:
            problems.append(
                Problem(
                    "書き出した後に、他の人がこの施策を変更しました。もう一度書き出して、その上で直してください",
                    sheet_name,
                    row,
                    data.sheets[sheet_name].letter(header),
                )
            )
    return changes, problems


def problems_text(problems: Sequence[Problem]) -> str:
    return "\n".join(str(p) for p in problems)
