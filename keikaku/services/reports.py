"""The yearly evaluation report of a plan (評価報告書) — assembled from the roll-up, the year's reports,
evaluations and lineage — and written as HTML, DOCX or PDF by keikaku.export.report_*."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from keikaku.core import rollup as r
from keikaku.core.charts import StatusRow, TrendPoint, kpi_trend_svg, status_bars_svg
from keikaku.core.fiscal import display, wareki
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.export.report_model import EvaluationReport, PillarRow, ReportKpi, ReportMeasure
from keikaku.services.errors import ServiceError
from keikaku.services.evaluations import NOT_EVALUATED, evaluation_state_label, evaluations_visible
from keikaku.services.rollup import KpiTrend, kpi_trends, plan_rollup

FORMATS = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _period_of_year(plan: pm.Plan, fiscal_year: int) -> gm.ReportingPeriod | None:
    periods = list(plan.reporting_periods.filter(fiscal_year=fiscal_year))
    yearly = [p for p in periods if p.quarter is None]
    if yearly:
        return yearly[0]
    return max(periods, key=lambda p: p.quarter or 0, default=None)


def default_year(plan: pm.Plan, today: date) -> int:
    """The latest fiscal year with a reporting period, else the plan's first year, else this year."""
    last = plan.reporting_periods.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    return last or plan.period_start or (today.year if today.month >= 4 else today.year - 1)


def _trend_svg(t: KpiTrend) -> str:
    actuals = [TrendPoint(fy, q.number) for fy, q in t.actuals if q.number is not None]
    if not actuals:
        return ""
    targets = []
    for tg in t.targets:
        q = r.parse_value(tg.value, t.kpi.unit)
        if q.number is not None and tg.fiscal_year is not None:
            targets.append(TrendPoint(tg.fiscal_year, q.number))
    base = None
    if t.baseline is not None and t.baseline.number is not None and t.kpi.baseline_fy:
        base = TrendPoint(t.kpi.baseline_fy, t.baseline.number)
    desc = "、".join(f"{display(fy)} {q.written}" for fy, q in t.actuals)
    return kpi_trend_svg(
        actuals,
        targets,
        baseline=base,
        unit=t.kpi.unit or "",
        title=f"{t.kpi.indicator} の推移",
        desc=desc + ("。目標 " + "、".join(tg.value for tg in t.targets) if t.targets else ""),
        id_prefix=f"kpi-{t.kpi.pk}",
        width=520,
        height=240,
    )


def evaluation_report(
    user: Any, plan: pm.Plan, fiscal_year: int, *, today: date, charts: bool = True
) -> EvaluationReport:
    """The report for ``fiscal_year`` with what ``user`` may see (approved reports and published evaluations
    only for outsiders; a measure without a visible evaluation is 未評価)."""
    if not 1900 <= fiscal_year <= 2200:
        raise ServiceError("年度が不正です / fiscal year out of range")
    period = _period_of_year(plan, fiscal_year)
    data = (
        plan_rollup(user, plan, period, today=today) if period else plan_rollup(user, plan, None, today=today)
    )
    if period is None:  # no period that year: measures without progress
        data.period = None
        for m in data.measures:
            m.report, m.status = None, ""
    # published evaluations for everyone; members also see drafts and decided ones, marked as such
    evaluations = {e.measure_id: e for e in evaluations_visible(user, plan, fiscal_year)}
    lineage = {
        row.from_measure_id: row
        for row in gm.MeasureLineage.objects.filter(from_plan=plan).select_related("to_measure", "to_plan")
    }
    trends = kpi_trends(user, plan) if charts else {}
    measures = []
    decisions: Counter[str] = Counter()
    for row in data.measures:
        ms = row.measure
        ev = evaluations.get(ms.pk)
        ln = lineage.get(ms.pk)
        direction = ev.rationale if ev else ""
        if ev and ev.decision == gm.Decision.MERGE and ev.merge_into:
            direction = (direction + "\n" if direction else "") + f"統合先: {ev.merge_into}"
        ref = ""
        if ln is not None and ln.to_measure is not None:
            ref = f"次期計画に引き継ぐ {ln.to_measure.key or ln.to_measure.title}"
        decisions[ev.decision if ev else NOT_EVALUATED] += 1
        kpis = []
        for k in row.kpis:
            kpi = k.kpi
            baseline = ""
            if kpi.has_baseline and kpi.baseline_value:
                baseline = kpi.baseline_value + (f"（{wareki(kpi.baseline_fy)}）" if kpi.baseline_fy else "")
            target = ""
            if k.target:
                target = k.target.value + (
                    f"（{wareki(k.target.fiscal_year)}）" if k.target.fiscal_year else ""
                )
            kpis.append(
                ReportKpi(
                    indicator=kpi.indicator,
                    unit=kpi.unit or "",
                    baseline=baseline,
                    target=target,
                    actual=k.actual if row.report else "",
                    attainment=_pct(k.attainment.ratio) if row.report else "—",
                    met={True: "達成", False: "未達成", None: "—"}[k.attainment.met] if row.report else "—",
                    trend_svg=_trend_svg(trends[kpi.pk]) if kpi.pk in trends else "",
                )
            )
        policy = ms.policy_key or ""
        measures.append(
            ReportMeasure(
                key=ms.key or "",
                title=ms.title,
                policy=policy,
                departments=[name for _id, name in ms.department_pairs],
                status=row.status if row.report else "",
                current=row.report.narrative if row.report else "",
                decision=ev.decision if ev else "",
                decision_state=(
                    ""
                    if ev is None or ev.state == gm.Evaluation.State.PUBLISHED
                    else evaluation_state_label(ev.state)
                ),
                direction=direction,
                next_reference=ref,
                kpis=kpis,
            )
        )
    used = [(k, label) for k, label in data.kinds if data.total.by_kind.get(k, 0)] or data.kinds
    pillars = [
        PillarRow(g.label, [g.by_kind.get(k, 0) for k, _ in used], g.measures, _pct(g.mean_attainment))
        for g in data.by_pillar
    ]
    svg = ""
    if charts:
        svg = status_bars_svg(
            [StatusRow(g.label, dict(g.by_kind)) for g in data.by_pillar],
            used,
            title=f"施策の柱別の進捗状況（{wareki(fiscal_year)}）",
            desc="。".join(
                f"{p.label}: "
                + "、".join(f"{label} {n}" for (_k, label), n in zip(used, p.counts, strict=True) if n)
                for p in pillars
            ),
            id_prefix="report-pillars",
        )
    return EvaluationReport(
        plan_title=plan.title,
        organisation=str(plan.organisation),
        fiscal_year=fiscal_year,
        fiscal_year_label=display(fiscal_year),
        generated=today.isoformat(),
        measures=measures,
        kinds=[label for _k, label in used],
        pillars=pillars,
        pillar_svg=svg,
        decisions=dict(decisions),
    )


def evaluation_report_render(report: EvaluationReport, fmt: str) -> bytes:
    """The report as ``fmt`` (html, docx, pdf)."""
    if fmt == "html":
        from keikaku.export.report_html import render

        return render(report).encode("utf-8")
    if fmt == "docx":
        from keikaku.export.report_docx import render as render_docx

        return render_docx(report)
    if fmt == "pdf":
        from keikaku.export.report_pdf import render as render_pdf

        return render_pdf(report)
    raise ServiceError(f"形式は {' / '.join(FORMATS)} のいずれかです / unknown format {fmt}")
