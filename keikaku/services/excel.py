"""Excel round-trip of progress reports (進捗報告の Excel 入出力), used alike by the web pages and the CLI.

- :func:`progress_workbooks_export` — for a period, one workbook per department (the measures it is
  responsible for, their KPIs and the reports stored so far);
- :func:`progress_workbook_import` — filled workbooks back: every row checked, every problem reported
  with file, sheet, row and column, and nothing saved if any is wrong; rows equal to what is stored change
  nothing, so an untouched workbook (or the same one twice) is accepted and changes nothing; changed rows of
  reports already submitted or approved are skipped with a note (``ImportResult.skipped``), not refused.
  Actuals follow the one rule of keikaku.core.actuals, as in the web form and the API.

A department reporter exports and imports only their departments' workbooks; planners all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from keikaku.core.actuals import kpi_rule
from keikaku.core.fiscal import wareki
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.export.progress_xlsx import KpiLine, MeasureBlock, WorkbookSpec, filename, workbook_bytes
from keikaku.ingest.progress_xlsx import MeasureIn, WorkbookProblem, check, read_workbook
from keikaku.services import logs
from keikaku.services.errors import NotFound, PermissionDenied, ServiceError
from keikaku.services.people import Actor, can, membership, reportable_departments
from keikaku.services.progress import (
    ActualInput,
    ReportInput,
    ReportSave,
    progress_save_many,
    status_vocabulary,
)

logger = logging.getLogger(__name__)

NO_DEPARTMENT = 0
NO_DEPARTMENT_NAME = "（担当部署の記載なし）"


class WorkbookRejected(ServiceError):
    """Some rows of the workbooks are wrong; nothing was saved. ``problems`` lists every one, located."""

    def __init__(self, problems: Sequence[WorkbookProblem]) -> None:
        self.problems = list(problems)
        head = "; ".join(str(p) for p in self.problems[:3])
        super().__init__(
            f"{len(self.problems)} 件の問題があるため何も保存しませんでした / nothing saved: {head}"
        )


@dataclass(frozen=True)
class DepartmentWorkbook:
    department_id: int
    name: str
    measures: int


@dataclass(frozen=True)
class ImportResult:
    changed: int  # reports created or updated
    unchanged: int  # rows equal to what is stored
    empty: int  # measures left blank
    skipped: tuple[str, ...] = ()  # notes: changed rows of reports already submitted or approved, not saved


def _departments_allowed(actor: Actor, period: gm.ReportingPeriod) -> set[int] | None:
    """Department ids ``actor`` may report for (None = all); PermissionDenied for outsiders and viewers."""
    org = period.plan.organisation
    if membership(actor, org) is None:
        raise PermissionDenied("この団体の進捗報告の権限がありません / not a member of this organisation")
    allowed = reportable_departments(actor, org)
    if allowed == []:
        raise PermissionDenied("進捗を報告する権限がありません / not allowed to report progress")
    return None if allowed is None else set(allowed)


def _measures(period: gm.ReportingPeriod, department_id: int | None = None) -> list[pm.Measure]:
    qs = period.plan.measures.order_by("order").prefetch_related(
        Prefetch(
            "department_links",
            queryset=pm.MeasureDepartment.objects.select_related("department").order_by("order"),
        ),
        Prefetch("kpis", queryset=pm.Kpi.objects.order_by("order").prefetch_related("targets")),
    )
    if department_id == NO_DEPARTMENT:
        qs = qs.filter(department_links__isnull=True)
    elif department_id is not None:
        qs = qs.filter(department_links__department_id=department_id).distinct()
    return list(qs)


def department_workbooks(actor: Actor, period: gm.ReportingPeriod) -> list[DepartmentWorkbook]:
    """The workbooks ``actor`` may download for ``period``: one per department with measures."""
    allowed = _departments_allowed(actor, period)
    counts: dict[int, int] = {}
    names: dict[int, str] = {}
    for ms in _measures(period):
        links = list(ms.department_links.all())
        for link in links:
            counts[link.department_id] = counts.get(link.department_id, 0) + 1
            names[link.department_id] = link.department.name
        if not links:
            counts[NO_DEPARTMENT] = counts.get(NO_DEPARTMENT, 0) + 1
            names[NO_DEPARTMENT] = NO_DEPARTMENT_NAME
    out = [
        DepartmentWorkbook(d, names[d], n)
        for d, n in counts.items()
        if allowed is None or (d != NO_DEPARTMENT and d in allowed)
    ]
    return sorted(out, key=lambda w: (w.department_id == NO_DEPARTMENT, w.name))


def _value_with_year(value: str | None, fy: int | None) -> str:
    if not value:
        return ""
    return f"{value}（{wareki(fy)}）" if fy else value


def workbook_spec(period: gm.ReportingPeriod, department_id: int) -> WorkbookSpec:
    """The workbook of one department as the database would write it now."""
    plan = period.plan
    if department_id == NO_DEPARTMENT:
        dept_name = NO_DEPARTMENT_NAME
    else:
        dept = pm.Department.objects.filter(pk=department_id, organisation=plan.organisation).first()
        if dept is None:
            raise NotFound(f"部署 {department_id} はありません / no department {department_id}")
        dept_name = dept.name
    measures = _measures(period, department_id)
    reports = {
        rep.measure_id: rep
        for rep in gm.ProgressReport.objects.filter(period=period, measure__in=measures).prefetch_related(
            "actuals"
        )
    }
    blocks = []
    for ms in measures:
        rep = reports.get(ms.pk)
        stored = {a.kpi_id: a for a in rep.actuals.all()} if rep else {}
        lines = []
        for k in ms.kpis.all():
            targets = list(k.targets.all())
            rule = kpi_rule(
                k.unit, k.direction, k.baseline_value if k.has_baseline else None, [t.value for t in targets]
            )
            a = stored.get(k.pk)
            actual: float | str | None = None
            if a is not None:
                actual = float(a.value_number) if a.value_number is not None else (a.value_text or None)
            lines.append(
                KpiLine(
                    kpi_id=k.pk,
                    indicator=k.indicator,
                    unit=k.unit or "",
                    baseline=_value_with_year(k.baseline_value, k.baseline_fy) if k.has_baseline else "",
                    target="、".join(_value_with_year(t.value, t.fiscal_year) for t in targets),
                    actual=actual,
                    numeric=not rule.qualitative,
                    units=rule.units,
                )
            )
        blocks.append(
            MeasureBlock(
                measure_id=ms.pk,
                key=ms.key or "",
                title=ms.title,
                kpis=lines,
                status=rep.status if rep else "",
                narrative=rep.narrative if rep else "",
                evidence=list(rep.evidence or []) if rep else [],
                report_revision=rep.revision if rep else 0,
            )
        )
    return WorkbookSpec(
        plan_id=plan.pk,
        plan_revision=plan.revision,
        plan_title=plan.title,
        organisation=str(plan.organisation),
        period_id=period.pk,
        period_label=str(period),
        department_id=department_id,
        department_name=dept_name,
        statuses=[w for w, _k in status_vocabulary(plan.organisation)],
        measures=blocks,
    )


def progress_workbook_export(
    actor: Actor, period: gm.ReportingPeriod, department_id: int
) -> tuple[str, bytes]:
    allowed = _departments_allowed(actor, period)
    if allowed is not None and department_id not in allowed:
        raise PermissionDenied("この部署の進捗を報告する権限がありません / not your department")
    spec = workbook_spec(period, department_id)
    if not spec.measures:
        raise NotFound("この部署の施策はありません / no measures for this department")
    return filename(spec), workbook_bytes(spec)


def progress_workbooks_export(actor: Actor, period: gm.ReportingPeriod) -> list[tuple[str, bytes]]:
    """Every workbook ``actor`` may download for ``period`` as (file name, bytes)."""
    out = []
    for w in department_workbooks(actor, period):
        spec = workbook_spec(period, w.department_id)
        out.append((filename(spec), workbook_bytes(spec)))
    return out


# ---- import --------------------------------------------------------------------------------------


def _same_as_stored(m: MeasureIn, rep: gm.ProgressReport | None) -> bool:
    if rep is None:
        return False
    if (m.status, m.narrative, m.evidence) != (rep.status, rep.narrative.strip(), list(rep.evidence or [])):
        return False
    stored = {a.kpi_id: a for a in rep.actuals.all()}
    for a in m.actuals:
        s = stored.get(a.kpi_id)
        if s is None:
            return False
        if a.as_stored:
            continue
        if a.number is not None:
            if s.value_number is None or Decimal(s.value_number) != a.number:
                return False
        elif s.value_number is not None or s.value_text != a.text:
            return False
    return True


def progress_workbook_import(
    actor: Actor,
    period: gm.ReportingPeriod,
    files: Sequence[tuple[str, bytes]],
    *,
    now: datetime,
    submit: bool = False,
) -> ImportResult:
    """Import filled workbooks into ``period``: all rows of all files are saved, or none (WorkbookRejected)."""
    allowed = _departments_allowed(actor, period)
    problems: list[WorkbookProblem] = []
    inputs: list[tuple[str, MeasureIn]] = []
    if not files:
        raise ServiceError("ファイルがありません / no files")
    if period.state != gm.ReportingPeriod.State.OPEN:
        raise ServiceError(f"{period} は受付中ではありません / the period is not open")
    for name, data in files:
        wb, found = read_workbook(name, data)
        problems += found
        if wb is None:
            continue
        dept = wb.meta.get("department_id")
        dept_id = dept if isinstance(dept, int) else -1
        if isinstance(dept, float) and dept.is_integer():
            dept_id = int(dept)
        if wb.meta.get("plan_id") == period.plan_id and dept_id >= 0:
            if allowed is not None and dept_id not in allowed:
                problems.append(WorkbookProblem(name, "この部署の進捗を報告する権限がありません", "_keikaku"))
                continue
            try:
                spec = workbook_spec(period, dept_id)
            except NotFound:
                problems.append(WorkbookProblem(name, f"部署 {dept_id} はこの団体にありません", "_keikaku"))
                continue
        else:  # another plan's workbook: check() says so, located
            spec = WorkbookSpec(0, 0, "", "", 0, "", dept_id, "", [])
        rows, found = check(wb, spec, expected_plan=period.plan_id, expected_period=period.pk)
        problems += found
        inputs += [(name, m) for m in rows]
    measures = {
        ms.pk: ms
        for ms in period.plan.measures.filter(pk__in=[m.measure_id for _n, m in inputs]).select_related(
            "plan__organisation"
        )
    }
    reports = {
        rep.measure_id: rep
        for rep in gm.ProgressReport.objects.filter(
            period=period, measure_id__in=list(measures)
        ).prefetch_related("actuals")
    }
    todo: list[tuple[str, pm.Measure, MeasureIn, gm.ProgressReport | None]] = []
    unchanged = empty = 0
    skipped: list[str] = []
    claimed: dict[int, str] = {}
    for name, m in inputs:
        ms, rep = measures.get(m.measure_id), reports.get(m.measure_id)
        if ms is None:
            problems.append(WorkbookProblem(name, "不明な施策です", "進捗報告", m.row, "K"))
            continue
        if m.empty:
            empty += 1
            continue
        if _same_as_stored(m, rep):
            unchanged += 1
            continue
        where: dict[str, Any] = {"file": name, "sheet": "進捗報告", "row": m.row, "column": "G"}
        if m.measure_id in claimed:
            problems.append(
                WorkbookProblem(
                    message=f"同じ施策が {claimed[m.measure_id]} にもあり、内容が違います", **where
                )
            )
            continue
        claimed[m.measure_id] = name
        if not can(actor, "progress.edit", ms):
            problems.append(WorkbookProblem(message="この施策の進捗を報告する権限がありません", **where))
        elif rep is None and m.revision != 0:
            problems.append(WorkbookProblem(message="書き出した後にこの施策の報告が削除されました", **where))
        elif rep is not None and rep.revision != m.revision:
            problems.append(
                WorkbookProblem(
                    message=f"書き出した後に他の人がこの報告を更新しました（版 {m.revision} → {rep.revision}）。"
                    "もう一度書き出して入力し直してください",
                    **where,
                )
            )
        elif rep is not None and rep.state in (
            gm.ProgressReport.State.SUBMITTED,
            gm.ProgressReport.State.APPROVED,
        ):  # not an error: the rest of the department's rows are imported
            label = f"{ms.key} {ms.title}".strip()[:60]
            skipped.append(
                f"{WorkbookProblem(**where, message='').where}: 施策「{label}」の報告は"
                f"{rep.get_state_display()}のため取り込みませんでした（変更は差戻し後に入力してください）"
            )
        else:
            todo.append((name, ms, m, rep))
    if problems:
        raise WorkbookRejected(problems)
    units = dict(
        pm.Kpi.objects.filter(measure_id__in=[ms.pk for _n, ms, _m, _r in todo]).values_list("pk", "unit")
    )
    batch = [
        ReportSave(
            ms,
            ReportInput(
                status=m.status,
                narrative=m.narrative,
                evidence=m.evidence,
                actuals=[
                    ActualInput(a.kpi_id, a.number, a.unit or units.get(a.kpi_id) or "", a.text)
                    for a in m.actuals
                    if not a.as_stored  # left as stored
                ],
            ),
            revision=rep.revision if rep else 0,
        )
        for _n, ms, m, rep in todo
    ]
    try:
        progress_save_many(actor, period, batch, now=now, submit=submit)
    except ServiceError as e:
        i = getattr(e, "item", 0)
        name, _ms, m, _rep = todo[i] if 0 <= i < len(todo) else todo[0]
        raise WorkbookRejected([WorkbookProblem(name, str(e), "進捗報告", m.row, "G")]) from e
    _done = ImportResult(changed=len(todo), unchanged=unchanged, empty=empty, skipped=tuple(skipped))
    logger.info(
        "progress_workbook_import: %s -> %s (by %s)", logs.ref(period), logs.ref(_done), logs.by(actor)
    )
    return _done
