"""Plan → CSV (open data for spreadsheets): three tables — measures, KPIs and schedule rows.

UTF-8 with a byte-order mark so that Excel opens Japanese text correctly; CRLF line ends (RFC 4180).
Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR)
get a leading apostrophe. Pure: takes a :class:`keikaku.core.plan.Plan`, returns text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TypeVar

from keikaku.core.plan import Plan

T = TypeVar("T")

BOM = "\ufeff"
TABLES = ("measures", "kpis", "schedule")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

MEASURE_COLUMNS = (
    "施策番号",
    "施策体系の番号",
    "施策名",
    "内容",
    "柱",
    "重点分野",
    "重点取組",
    "再掲",
    "担当部署",
    "期限年度",
    "国の施策",
    "KPI数",
    "出典ページ",
)
KPI_COLUMNS = ("施策番号", "施策名", "指標", "単位", "方向", "基準値", "基準年度", "目標値", "目標年度")
SCHEDULE_COLUMNS = ("施策番号", "施策名", "年度", "記載", "段階")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (numbers such as -5 stay numbers). The CSV
    gets a leading apostrophe for it; a workbook cell (keikaku.export.plan_xlsx) Excel's quote prefix."""
    if not text.startswith(_FORMULA_START):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def safe_cell(value: object) -> str:
    """The cell as text; formula-looking text made inert (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    return "'" + text if formula_like(text) else text


def _or_none(items: Sequence[T]) -> Sequence[T | None]:
    """``items``, or one None (a KPI without targets still gets its row)."""
    return items if items else [None]


def _rows(plan: Plan, table: str) -> tuple[Sequence[str], Iterable[Sequence[object]]]:
    if table == "measures":
        return MEASURE_COLUMNS, (
            (
                m.key,
                m.policy_key,
                m.title,
                m.description,
                "|".join(p.code for p in m.pillars),
                "|".join(m.priority_areas),
                m.priority,
                m.reposted,
                "|".join(m.departments),
                m.deadline_fy,
                "|".join(m.national_measures),
                len(m.kpis),
                m.provenance.page if m.provenance else None,
            )
            for m in plan.measures
        )
    if table == "kpis":
        return KPI_COLUMNS, (
            (
                m.key,
                m.title,
                k.indicator,
                k.unit,
                k.direction.value if k.direction else None,
                k.baseline.value if k.baseline else None,
                k.baseline.fiscal_year if k.baseline else None,
                t.value if t else None,
                t.fiscal_year if t else None,
            )
            for m in plan.measures
            for k in m.kpis
            for t in _or_none(k.targets)
        )
    if table == "schedule":
        return SCHEDULE_COLUMNS, (
            (m.key, m.title, e.fiscal_year, e.written, e.phase) for m in plan.measures for e in m.schedule
        )
    raise ValueError(f"unknown table {table!r} (one of {', '.join(TABLES)})")


def plan_csv(plan: Plan, table: str = "measures", *, bom: bool = True) -> str:
    """One table of the plan as CSV text: ``measures`` (one row per measure), ``kpis`` (one row per KPI
    target; a KPI without targets gets one row), ``schedule`` (one row per measure and fiscal year)."""
    columns, rows = _rows(plan, table)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return (BOM if bom else "") + buf.getvalue()


def rows_csv(columns: Sequence[str], rows: Iterable[Sequence[object]], *, bom: bool = True) -> str:
    """Any table as CSV text, as :func:`plan_csv` writes it (BOM, CRLF, formula-safe cells)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return (BOM if bom else "") + buf.getvalue()
