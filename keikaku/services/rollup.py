"""Roll-up queries: a plan's progress for a period by pillar, policy and department, KPI attainment,
timeliness, and KPI trends across periods. The arithmetic is :mod:`keikaku.core.rollup`; this module only
loads rows (a fixed handful of queries whatever the plan's size) and respects who may see what: members
of the plan's organisation see every report, everyone else only approved reports of a published plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from keikaku.core import rollup as r
from keikaku.core.pillars import pillar_label
from keikaku.core.text import normalise_unit
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services.errors import NotFound
from keikaku.services.people import can, membership
from keikaku.services.plans import plan_get
from keikaku.services.stamps import history_max_sql

State = gm.ProgressReport.State


def status_kinds(organisation: pm.Organisation) -> dict[str, str]:
    """Status word → kind (not_started, on_track …) of the organisation's vocabulary."""
    rows = list(gm.ProgressStatus.objects.filter(organisation=organisation).values_list("label", "kind"))
    return dict(rows) if rows else dict(gm.DEFAULT_STATUSES)


def plan_visible(user: Any, plan_id: Any) -> pm.Plan:
    """The plan if ``user`` may see it; a draft plan is NotFound for outsiders (no existence leak)."""
    plan = plan_get(plan_id)
    if not can(user, "plan.view", plan):
        raise NotFound(f"計画 {plan_id} はありません / no plan with id {plan_id}")
    return plan


def visible_reports(user: Any, plan: pm.Plan):
    qs = gm.ProgressReport.objects.filter(measure__plan=plan)
    if membership(user, plan.organisation) is None:
        if not plan.is_published:
            return qs.none()
        qs = qs.filter(state=State.APPROVED)
    return qs


def plan_status_counts(user: Any, plan: pm.Plan, period: gm.ReportingPeriod | None = None) -> dict[str, int]:
    """Number of measures per status word in a period (the latest period when none is given), counting
    the reports the user may see (:func:`visible_reports`, as the dashboard); measures without one count
    as 未報告. One query for the counts (GROUP BY), one for the number of measures."""
    if period is None:
        period = plan.reporting_periods.order_by("-fiscal_year", "-quarter").first()
    counts: dict[str, int] = {}
    if period is not None:
        rows = visible_reports(user, plan).filter(period=period).values_list("status").annotate(n=Count("pk"))
        counts = {status: n for status, n in rows.order_by()}
    counts["未報告"] = plan.measures.count() - sum(counts.values())
    return counts


def _measures(plan: pm.Plan) -> list[pm.Measure]:
    """The plan's measures with ``kpis_list``, ``pillar_codes`` and ``department_pairs`` attached —
    plain queries instead of prefetch_related, which costs more than the page itself at 100 measures."""
    measures = list(plan.measures.order_by("order"))
    by_id = {ms.pk: ms for ms in measures}
    for ms in measures:
        ms.kpis_list, ms.pillar_codes, ms.department_pairs = [], [], []
    targets: dict[int, list[r.Target]] = defaultdict(list)
    for kpi_id, value, fy in (
        pm.KpiTarget.objects.filter(kpi__measure__plan=plan)
        .order_by("kpi_id", "order")
        .values_list("kpi_id", "value", "fiscal_year")
    ):
        targets[kpi_id].append(r.Target(value, fy))
    for k in pm.Kpi.objects.filter(measure__plan=plan).order_by("measure_id", "order"):
        k.targets_list = targets.get(k.pk, [])
        by_id[k.measure_id].kpis_list.append(k)
    for mid, code in (
        pm.MeasurePillar.objects.filter(measure__plan=plan)
        .order_by("measure_id", "order")
        .values_list("measure_id", "code")
    ):
        by_id[mid].pillar_codes.append(code)
    for mid, did, name in (
        pm.MeasureDepartment.objects.filter(measure__plan=plan)
        .order_by("measure_id", "order")
        .values_list("measure_id", "department_id", "department__name")
    ):
        by_id[mid].department_pairs.append((did, name))
    return measures


def _top_policies(plan: pm.Plan) -> dict[int, pm.Policy]:
    """Policy id → its top-level ancestor (基本方針)."""
    rows = {p.pk: p for p in pm.Policy.objects.filter(plan=plan)}
    top: dict[int, pm.Policy] = {}
    for pk, p in rows.items():
        q, seen = p, set()
        while q.parent_id is not None and q.parent_id in rows and q.pk not in seen:
            seen.add(q.pk)
            q = rows[q.parent_id]
        top[pk] = q
    return top


def _kpi_targets(kpi: pm.Kpi) -> list[r.Target]:
    cached = getattr(kpi, "targets_list", None)
    if cached is not None:
        return cached
    return [r.Target(t.value, t.fiscal_year) for t in kpi.targets.all()]


def _actual_text(a: gm.KpiActual) -> str:
    if a.value_number is not None:
        n = a.value_number.normalize()
        text = format(n, "f")
        return f"{text}{a.unit or ''}"
    return a.value_text


def actual_quantity(a: gm.KpiActual, kpi: pm.Kpi) -> r.Quantity:
    if a.value_number is not None:
        return r.Quantity(
            written=_actual_text(a), number=float(a.value_number), unit=normalise_unit(a.unit or kpi.unit)
        )
    return r.parse_value(a.value_text, kpi.unit)


def kpi_attainment(
    kpi: pm.Kpi, actual: r.Quantity | None, fiscal_year: int
) -> tuple[r.Target | None, r.Attainment]:
    target = r.target_for(_kpi_targets(kpi), fiscal_year)
    baseline = (
        r.parse_value(kpi.baseline_value, kpi.unit) if kpi.has_baseline and kpi.baseline_value else None
    )
    tq = r.parse_value(target.value, kpi.unit) if target else None
    return target, r.attainment(
        kpi.direction,
        actual,
        tq,
        baseline,
        fiscal_year=fiscal_year,
        target_year=target.fiscal_year if target else None,
        baseline_year=kpi.baseline_fy if baseline else None,
    )


@dataclass
class KpiRow:
    kpi: pm.Kpi
    target: r.Target | None
    actual: str
    attainment: r.Attainment


@dataclass
class MeasureRow:
    measure: pm.Measure
    report: gm.ProgressReport | None
    status: str
    status_kind: str
    timeliness: str
    kpis: list[KpiRow]
    progress: r.MeasureProgress


@dataclass
class PlanRollup:
    plan: pm.Plan
    period: gm.ReportingPeriod | None
    periods: list[gm.ReportingPeriod]
    measures: list[MeasureRow]
    total: r.GroupSummary
    by_pillar: list[r.GroupSummary]
    by_policy: list[r.GroupSummary]
    by_department: list[r.GroupSummary]
    kinds: list[tuple[str, str]] = field(default_factory=list)  # (kind, label) in display order


def plan_rollup(
    user: Any, plan: pm.Plan, period: gm.ReportingPeriod | None = None, *, today: date
) -> PlanRollup:
    """Everything the dashboard shows for one period (the latest period when none is given)."""
    periods = list(plan.reporting_periods.order_by("fiscal_year", "quarter"))
    if period is None and periods:
        period = periods[-1]
    if period is not None and period.plan_id != plan.pk:
        raise NotFound("この報告期間はこの計画のものではありません / period of another plan")
    kinds_of = status_kinds(plan.organisation)
    measures = _measures(plan)
    tops = _top_policies(plan)
    reports: dict[int, gm.ProgressReport] = {}
    actuals: dict[int, dict[int, gm.KpiActual]] = defaultdict(dict)
    if period is not None:
        qs = visible_reports(user, plan).filter(period=period)
        reports = {rep.measure_id: rep for rep in qs}
        for a in gm.KpiActual.objects.filter(report__in=list(reports.values())):
            actuals[a.report_id][a.kpi_id] = a
    fy = period.fiscal_year if period else (plan.period_start or today.year)
    rows: list[MeasureRow] = []
    for ms in measures:
        rep = reports.get(ms.pk)
        status = rep.status if rep else ""
        kind = (kinds_of.get(status, "other") if rep else "unreported") or "other"
        # the submission's date where the organisation is (settings.TIME_ZONE), as ``today`` is
        submitted = (
            timezone.localdate(rep.submitted_at)
            if rep and rep.submitted_at and rep.state != State.DRAFT
            else None
        )
        when = r.timeliness(period.due_date if period else None, submitted, today)
        kpi_rows = []
        for k in ms.kpis_list:
            a = actuals.get(rep.pk, {}).get(k.pk) if rep else None
            q = actual_quantity(a, k) if a else None
            target, att = kpi_attainment(k, q, fy)
            kpi_rows.append(KpiRow(k, target, q.written if q else "", att))
        top = tops.get(ms.policy_id) if ms.policy_id else None
        groups: dict[str, Sequence[tuple[str, str]]] = {
            "pillar": [(code, pillar_label(code)) for code in ms.pillar_codes],
            "policy": [(str(top.pk), f"{top.key} {top.title}")] if top else [],
            "department": [(str(did), name) for did, name in ms.department_pairs],
        }
        mp = r.MeasureProgress(ms.pk, kind, [k.attainment for k in kpi_rows], when, groups)
        rows.append(MeasureRow(ms, rep, status, kind, when, kpi_rows, mp))
    items = [m.progress for m in rows]
    policy_order = [
        str(p.pk) for p in sorted({t.pk: t for t in tops.values()}.values(), key=lambda p: p.order)
    ]
    return PlanRollup(
        plan=plan,
        period=period,
        periods=periods,
        measures=rows,
        total=r.total(items),
        by_pillar=r.aggregate(items, "pillar", order=["A", "B", "C", "D", "E", "other"]),
        by_policy=r.aggregate(items, "policy", order=policy_order),
        by_department=sorted(r.aggregate(items, "department"), key=lambda g: (g.key == "", g.label)),
        kinds=[(k, r.STATUS_KIND_LABELS[k]) for k in r.STATUS_KINDS],
    )


# ---- trends --------------------------------------------------------------------------------------


@dataclass
class KpiTrend:
    kpi: pm.Kpi
    measure: pm.Measure
    actuals: list[tuple[int, r.Quantity]]  # (fiscal year, value) in year order
    targets: list[r.Target]
    baseline: r.Quantity | None


def kpi_trends(user: Any, plan: pm.Plan, kpi_ids: list[int] | None = None) -> dict[int, KpiTrend]:
    """Each KPI's actual per fiscal year: the yearly period's report, else the year's latest quarter."""
    kpis = pm.Kpi.objects.filter(measure__plan=plan).select_related("measure").prefetch_related("targets")
    if kpi_ids is not None:
        kpis = kpis.filter(pk__in=kpi_ids)
    out = {
        k.pk: KpiTrend(
            kpi=k,
            measure=k.measure,
            actuals=[],
            targets=_kpi_targets(k),
            baseline=r.parse_value(k.baseline_value, k.unit) if k.has_baseline and k.baseline_value else None,
        )
        for k in kpis
    }
    if not out:
        return out
    reports = visible_reports(user, plan)
    rows = (
        gm.KpiActual.objects.filter(report__in=reports, kpi_id__in=list(out))
        .select_related("report__period")
        .order_by("report__period__fiscal_year", "report__period__quarter")
    )
    best: dict[tuple[int, int], tuple[int, gm.KpiActual]] = {}
    for a in rows:
        p = a.report.period
        rank = 5 if p.quarter is None else p.quarter
        key = (a.kpi_id, p.fiscal_year)
        if key not in best or rank >= best[key][0]:
            best[key] = (rank, a)
    for (kpi_id, fy), (_rank, a) in sorted(best.items()):
        out[kpi_id].actuals.append((fy, actual_quantity(a, out[kpi_id].kpi)))
    return out


# ---- cache stamp ---------------------------------------------------------------------------------

_STAMPED = (pm.Organisation, pm.Department, pm.Plan, gm.ReportingPeriod, gm.ProgressReport, gm.KpiActual)
_generation = [0]


def changed(**_kw: Any) -> None:
    """Count a change in this process: every history row simple-history writes one by one (a signal) and
    every bulk save (progress_save_many calls this). Covers rows rolled back and re-made with the same
    ids (SQLite reuses them after a rollback, as in tests), which :func:`change_stamp` alone cannot see."""
    _generation[0] += 1


post_create_historical_record.connect(changed, dispatch_uid="keikaku-rollup-changed")


def change_stamp() -> tuple[int | None, ...]:
    """The newest history row of every model a dashboard shows (one query) and this process's change
    count: any save, bulk save with history, delete or plan revision — in any process — moves it, so a
    dashboard cached under it is never stale."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT {history_max_sql(_STAMPED)}")  # noqa: S608 - table names from the models, no user input
        return (*cur.fetchone(), _generation[0])
