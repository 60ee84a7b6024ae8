"""Progress as residents see it (公開の進捗): each measure's latest approved status and KPI actuals
against their targets, its published evaluations and those of its predecessor in the previous plan
version, a plan's status counts and progress per 基本方針 and pillar, and the same as open data (CSV, JSON,
an Atom feed).

Only **approved** reports of **published** plans and **published** evaluations
(``Evaluation.objects.published()``, read through :func:`published_evaluations` only) appear here,
whoever asks: these reads back public pages, cached for everyone alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from keikaku.core import progress_weights as w
from keikaku.core import rollup as r
from keikaku.core.pillars import pillar_label
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.export.csv import rows_csv
from keikaku.services.portal import published_measure, published_plan
from keikaku.services.rollup import (
    KpiTrend,
    _measures,
    _top_policies,
    actual_quantity,
    kpi_attainment,
    kpi_trends,
    status_kinds,
)

State = gm.ProgressReport.State


def published_evaluations() -> Any:
    """Every public read of evaluations goes through here: 公開 evaluations only."""
    return gm.Evaluation.objects.published()


def _approved(plan: pm.Plan) -> Any:
    return gm.ProgressReport.objects.filter(measure__plan=plan, state=State.APPROVED).select_related("period")


def _rank(p: gm.ReportingPeriod) -> tuple[int, int]:
    """Order of periods: by year, a year's quarters before the whole year."""
    return (p.fiscal_year, 5 if p.quarter is None else p.quarter)


# ---- one measure's results ------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiResult:
    kpi: pm.Kpi
    actual: str  # as reported ("" when none)
    target: r.Target | None  # the target the actual is measured against
    attainment: r.Attainment


@dataclass(frozen=True)
class MeasureResult:
    """A measure's latest approved report (None: 未報告) and its KPIs against their targets."""

    measure_id: int
    report: gm.ProgressReport | None
    status: str
    kind: str  # status kind (on_track …) or "unreported"
    kpis: list[KpiResult]
    progress: float | None  # keikaku.core.progress_weights.measure_progress


def _results(
    plan: pm.Plan, measures: list[pm.Measure], kinds_of: dict[str, str]
) -> tuple[dict[int, MeasureResult], list[gm.ProgressReport]]:
    """Each measure's latest approved report with its KPI results; also every approved report, oldest first."""
    reports = sorted(_approved(plan), key=lambda rep: (_rank(rep.period), rep.pk))
    latest: dict[int, gm.ProgressReport] = {}
    for rep in reports:
        latest[rep.measure_id] = rep
    actuals: dict[int, dict[int, gm.KpiActual]] = defaultdict(dict)
    for a in gm.KpiActual.objects.filter(report__in=[rep.pk for rep in latest.values()]):
        actuals[a.report_id][a.kpi_id] = a
    out = {}
    for ms in measures:
        rep = latest.get(ms.pk)
        kind = (kinds_of.get(rep.status, "other") or "other") if rep else "unreported"
        rows = []
        for k in ms.kpis_list:
            a = actuals.get(rep.pk, {}).get(k.pk) if rep else None
            q = actual_quantity(a, k) if a else None
            fy = rep.period.fiscal_year if rep else (plan.period_start or 0)
            target, att = kpi_attainment(k, q, fy)
            rows.append(KpiResult(k, q.written if q else "", target, att))
        progress = w.measure_progress(kind, [k.attainment.ratio for k in rows]) if rep else None
        out[ms.pk] = MeasureResult(ms.pk, rep, rep.status if rep else "", kind, rows, progress)
    return out, reports


# ---- a plan -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanProgress:
    plan: pm.Plan
    results: dict[int, MeasureResult]  # by measure id
    counts: list[tuple[str, str, int]]  # (kind, label, number of measures) for kinds present
    by_policy: list[w.GroupProgress]
    by_pillar: list[w.GroupProgress]
    total: w.GroupProgress
    reported: bool  # any approved report at all


def plan_progress_public(plan_id: int) -> PlanProgress | None:
    """A published plan's progress as the public sees it. None when there is no approved report of a
    published plan with this id (one query: most plans have none yet; the plan page has found the plan
    already); NotFound only when reports exist but the plan is not public (never: approval needs none)."""
    approved = gm.ProgressReport.objects.filter(
        measure__plan_id=plan_id, measure__plan__status=pm.PUBLISHED, state=State.APPROVED
    )
    if not approved.exists():
        return None
    plan = published_plan(plan_id)
    measures = _measures(plan)
    results, reports = _results(plan, measures, status_kinds(plan.organisation))
    tops = _top_policies(plan)
    by_policy, by_pillar, total = [], [], w.GroupProgress("*", "全体")
    items_policy, items_pillar = [], []
    for ms in measures:
        res = results[ms.pk]
        top = tops.get(ms.policy_id) if ms.policy_id else None
        items_policy.append(
            ([(str(top.pk), f"{top.key} {top.title}")] if top else [], res.kind, res.progress)
        )
        items_pillar.append(([(c, pillar_label(c)) for c in ms.pillar_codes], res.kind, res.progress))
        total.add(res.kind, res.progress)
    order = [str(p.pk) for p in sorted({t.pk: t for t in tops.values()}.values(), key=lambda p: p.order)]
    by_policy = w.roll_up(items_policy, order=order)
    by_pillar = w.roll_up(items_pillar, order=["A", "B", "C", "D", "E", "other"])
    counts = [
        (k, r.STATUS_KIND_LABELS[k], total.by_kind[k]) for k in r.STATUS_KINDS if total.by_kind.get(k, 0)
    ]
    return PlanProgress(plan, results, counts, by_policy, by_pillar, total, bool(reports))


# ---- a measure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    """One fiscal year of a measure's timeline: its approved reports (a year, or its quarters) and its
    published evaluation."""

    fiscal_year: int
    reports: list[gm.ProgressReport]
    evaluation: gm.Evaluation | None


@dataclass(frozen=True)
class PreviousEvaluation:
    """How the previous plan version's measure that this one carries on was evaluated."""

    measure: pm.Measure
    plan: pm.Plan
    evaluation: gm.Evaluation


@dataclass(frozen=True)
class MeasureProgress:
    measure: pm.Measure
    latest: MeasureResult
    trends: list[KpiTrend]  # each KPI's approved actuals per year, its targets and baseline
    timeline: list[YearRow]  # oldest first
    evaluation: gm.Evaluation | None  # the latest published evaluation
    previous: list[PreviousEvaluation] = field(default_factory=list)


def measure_progress_public(measure_id: int) -> MeasureProgress:
    """A published measure's progress as the public sees it (NotFound for any other measure)."""
    row = published_measure(measure_id)
    plan = row.plan
    ms = next(m for m in _measures(plan) if m.pk == row.pk)  # with kpis_list (targets) attached
    reports = sorted(_approved(plan).filter(measure_id=ms.pk), key=lambda rep: _rank(rep.period))
    latest_rep = reports[-1] if reports else None
    actuals = {a.kpi_id: a for a in gm.KpiActual.objects.filter(report=latest_rep)} if latest_rep else {}
    kinds_of = status_kinds(plan.organisation)
    rows = []
    for k in ms.kpis_list:
        a = actuals.get(k.pk)
        q = actual_quantity(a, k) if a else None
        target, att = kpi_attainment(k, q, latest_rep.period.fiscal_year if latest_rep else 0)
        rows.append(KpiResult(k, q.written if q else "", target, att))
    kind = (kinds_of.get(latest_rep.status, "other") or "other") if latest_rep else "unreported"
    latest = MeasureResult(
        ms.pk,
        latest_rep,
        latest_rep.status if latest_rep else "",
        kind,
        rows,
        w.measure_progress(kind, [k.attainment.ratio for k in rows]) if latest_rep else None,
    )
    trends = kpi_trends(None, plan, [k.pk for k in ms.kpis_list])
    evaluations = {e.fiscal_year: e for e in published_evaluations().filter(measure=ms)}
    years = sorted({rep.period.fiscal_year for rep in reports} | set(evaluations))
    timeline = [
        YearRow(fy, [rep for rep in reports if rep.period.fiscal_year == fy], evaluations.get(fy))
        for fy in years
    ]
    previous = [
        PreviousEvaluation(ln.from_measure, ln.from_plan, ev)
        for ln in gm.MeasureLineage.objects.filter(to_measure=ms, from_plan__status=pm.PUBLISHED)
        .select_related("from_measure", "from_plan")
        .order_by("from_measure__order")
        if (ev := published_evaluations().filter(measure=ln.from_measure).order_by("-fiscal_year").first())
    ]
    return MeasureProgress(
        measure=ms,
        latest=latest,
        trends=[trends[k.pk] for k in ms.kpis_list if k.pk in trends],
        timeline=timeline,
        evaluation=max(evaluations.values(), key=lambda e: e.fiscal_year) if evaluations else None,
        previous=previous,
    )


# ---- open data: rows of actuals and evaluations ---------------------------------------------------


@dataclass(frozen=True)
class ActualRow:
    """One approved KPI actual (or an approved report without KPIs), with its measure's evaluation of
    the same fiscal year when it is published."""

    fiscal_year: int
    quarter: int | None
    measure_id: int
    measure_key: str | None
    measure_title: str
    status: str
    narrative: str
    reviewed_at: datetime | None
    kpi_id: int | None
    indicator: str
    unit: str
    actual: str
    target: str
    target_fiscal_year: int | None
    attainment: float | None
    evaluation: gm.Evaluation | None


@dataclass(frozen=True)
class ProgressData:
    plan: pm.Plan
    rows: list[ActualRow]
    evaluations: list[gm.Evaluation]  # published, with their measure


def progress_data(plan_id: int) -> ProgressData:
    """Every approved actual and published evaluation of a published plan, in period and measure order —
    what progress.csv, progress.json and the API give."""
    plan = published_plan(plan_id)
    measures = {ms.pk: ms for ms in _measures(plan)}
    reports = sorted(_approved(plan), key=lambda rep: (_rank(rep.period), measures[rep.measure_id].order))
    actuals: dict[int, dict[int, gm.KpiActual]] = defaultdict(dict)
    for a in gm.KpiActual.objects.filter(report__in=[rep.pk for rep in reports]):
        actuals[a.report_id][a.kpi_id] = a
    evaluations = list(
        published_evaluations().filter(measure__plan=plan).select_related("measure", "merge_into")
    )
    ev_by = {(e.measure_id, e.fiscal_year): e for e in evaluations}
    rows = []
    for rep in reports:
        ms, p = measures[rep.measure_id], rep.period
        ev = ev_by.get((ms.pk, p.fiscal_year))
        base = dict(
            fiscal_year=p.fiscal_year,
            quarter=p.quarter,
            measure_id=ms.pk,
            measure_key=ms.key,
            measure_title=ms.title,
            status=rep.status,
            narrative=rep.narrative,
            reviewed_at=rep.reviewed_at,
            evaluation=ev,
        )
        kpis = [k for k in ms.kpis_list if k.pk in actuals.get(rep.pk, {})]
        if not kpis:
            rows.append(ActualRow(**base, kpi_id=None, indicator="", unit="", actual="", target="",
                                  target_fiscal_year=None, attainment=None))  # fmt: skip
        for k in kpis:
            q = actual_quantity(actuals[rep.pk][k.pk], k)
            target, att = kpi_attainment(k, q, p.fiscal_year)
            rows.append(
                ActualRow(
                    **base,
                    kpi_id=k.pk,
                    indicator=k.indicator,
                    unit=k.unit or "",
                    actual=q.written,
                    target=target.value if target else "",
                    target_fiscal_year=target.fiscal_year if target else None,
                    attainment=att.ratio,
                )
            )
    evaluations.sort(key=lambda e: (e.fiscal_year, measures[e.measure_id].order))
    return ProgressData(plan, rows, evaluations)


# ---- the feed -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    kind: str  # "report" or "evaluation"
    id: int
    measure: pm.Measure
    fiscal_year: int
    quarter: int | None
    word: str  # the status word or the evaluation's decision
    text: str  # narrative or rationale
    when: datetime


def progress_feed(plan_id: int, *, limit: int = 50) -> tuple[pm.Plan, list[FeedEntry]]:
    """The newest approved reports and published evaluations of a published plan, newest first."""
    plan = published_plan(plan_id)
    entries = [
        FeedEntry(
            "report",
            rep.pk,
            rep.measure,
            rep.period.fiscal_year,
            rep.period.quarter,
            rep.status,
            rep.narrative,
            rep.reviewed_at or rep.updated_at,
        )  # fmt: skip
        for rep in _approved(plan).select_related("measure").order_by("-reviewed_at", "-pk")[:limit]
    ]
    entries += [
        FeedEntry(
            "evaluation",
            ev.pk,
            ev.measure,
            ev.fiscal_year,
            None,
            ev.decision,
            ev.rationale,
            ev.published_at or ev.updated_at,
        )  # fmt: skip
        for ev in published_evaluations()
        .filter(measure__plan=plan)
        .select_related("measure")
        .order_by("-updated_at", "-pk")[:limit]
    ]
    entries.sort(key=lambda e: (e.when, e.kind, e.id), reverse=True)
    return plan, entries[:limit]


PROGRESS_COLUMNS = (
    "年度",
    "四半期",
    "施策番号",
    "施策名",
    "進捗状況",
    "取組の状況",
    "KPI",
    "単位",
    "実績値",
    "目標値",
    "目標年度",
    "達成率（%）",
    "評価（方向性）",
    "評価の理由",
)


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.0f}"


def progress_csv(data: ProgressData) -> str:
    """progress.csv: one row per approved KPI actual (UTF-8 with BOM, Japanese headers, formula-safe),
    then one row per published evaluation of a year without an approved report."""
    rows: list[tuple[object, ...]] = [
        (
            row.fiscal_year,
            row.quarter,
            row.measure_key,
            row.measure_title,
            row.status,
            row.narrative,
            row.indicator,
            row.unit,
            row.actual,
            row.target,
            row.target_fiscal_year,
            _pct(row.attainment),
            row.evaluation.decision if row.evaluation else "",
            row.evaluation.rationale if row.evaluation else "",
        )
        for row in data.rows
    ]
    reported = {(row.measure_id, row.fiscal_year) for row in data.rows}
    rows += [
        (
            ev.fiscal_year,
            None,
            ev.measure.key,
            ev.measure.title,
            "",
            "",
            "",
            "",
            "",
            "",
            None,
            "",
            ev.decision,
            ev.rationale,
        )  # fmt: skip
        for ev in data.evaluations
        if (ev.measure_id, ev.fiscal_year) not in reported
    ]
    return rows_csv(PROGRESS_COLUMNS, rows)


def progress_document(data: ProgressData) -> dict[str, Any]:
    """progress.json (and the API): the plan, every approved actual and every published evaluation."""
    return {
        "format": "keikaku-progress",
        "format_version": 1,
        "plan": {"id": data.plan.pk, "title": data.plan.title, "organisation": data.plan.organisation.name},
        "actuals": [
            {
                "fiscal_year": row.fiscal_year,
                "quarter": row.quarter,
                "measure": {"id": row.measure_id, "key": row.measure_key, "title": row.measure_title},
                "status": row.status,
                "narrative": row.narrative,
                "approved_at": row.reviewed_at.isoformat() if row.reviewed_at else None,
                "kpi": None
                if row.kpi_id is None
                else {"id": row.kpi_id, "indicator": row.indicator, "unit": row.unit},
                "actual": row.actual or None,
                "target": row.target or None,
                "target_fiscal_year": row.target_fiscal_year,
                "attainment": row.attainment,
            }
            for row in data.rows
        ],
        "evaluations": [
            {
                "fiscal_year": ev.fiscal_year,
                "measure": {"id": ev.measure_id, "key": ev.measure.key, "title": ev.measure.title},
                "decision": ev.decision,
                "rationale": ev.rationale,
                "merge_into": ev.merge_into_id,
                "published_at": ev.published_at.isoformat() if ev.published_at else None,
            }
            for ev in data.evaluations
        ],
    }
