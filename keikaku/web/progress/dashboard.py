"""The progress dashboard of a plan: status by pillar, roll-ups by policy and department, KPI attainment
for a period and a KPI's trend against its target. Anyone who may see the plan may see its dashboard;
outsiders see approved reports only (keikaku.services.rollup decides)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from keikaku.core import rollup as r
from keikaku.core.charts import StatusRow, TrendPoint, kpi_trend_svg, status_bars_svg
from keikaku.core.fiscal import display
from keikaku.core.rollup import GroupSummary
from keikaku.services.errors import NotFound
from keikaku.services.people import can
from keikaku.services.rollup import (
    KpiTrend,
    change_stamp,
    kpi_trends,
    plan_rollup,
    plan_visible,
    status_kinds,
)
from keikaku.web import clock

# a rendered dashboard is kept this long, keyed by everything it shows (change_stamp: any edit)
CACHE_SECONDS = 600


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise ValueError(name)
    return int(raw)


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def group_rows(groups: list[GroupSummary], kinds: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "label": g.label,
            "measures": g.measures,
            "reported": g.reported,
            "counts": [(label, g.by_kind.get(k, 0)) for k, label in kinds],  # (column name, count)
            "kpis": f"{g.kpis_met} / {g.kpis_measured}" if g.kpis else "—",
            "attainment": pct(g.mean_attainment),
            "on_time": pct(g.on_time_share),
        }
        for g in groups
    ]


def status_chart(
    groups: list[GroupSummary], kinds: list[tuple[str, str]], plan_title: str, period: str
) -> str:
    rows = [StatusRow(g.label, dict(g.by_kind)) for g in groups]
    desc = "。".join(
        f"{g.label}: "
        + "、".join(f"{label} {g.by_kind.get(k, 0)}" for k, label in kinds if g.by_kind.get(k, 0))
        for g in groups
    )
    return status_bars_svg(
        rows,
        kinds,
        title=gettext("%(plan)s 施策の柱別の進捗状況（%(period)s）") % {"plan": plan_title, "period": period},
        desc=desc or gettext("報告はまだありません"),
        id_prefix="status-pillar",
    )


def trend_chart(t: KpiTrend) -> tuple[str, list[dict[str, str]]]:
    """The SVG and its table alternative (fiscal year, actual, target) for one KPI."""
    actuals = [TrendPoint(fy, q.number) for fy, q in t.actuals if q.number is not None]
    unit = t.kpi.unit or ""
    targets = []
    for tg in t.targets:
        q = r.parse_value(tg.value, unit)
        if q.number is not None and tg.fiscal_year is not None:
            targets.append(TrendPoint(tg.fiscal_year, q.number))
    base = None
    if t.baseline is not None and t.baseline.number is not None and t.kpi.baseline_fy is not None:
        base = TrendPoint(t.kpi.baseline_fy, t.baseline.number)
    desc_parts = [
        gettext("%(year)s 実績 %(value)s") % {"year": display(fy), "value": q.written} for fy, q in t.actuals
    ]
    desc_parts += [
        gettext("目標 %(value)s（%(year)s）")
        % {"value": tg.value, "year": display(tg.fiscal_year) if tg.fiscal_year else gettext("年度なし")}
        for tg in t.targets
    ]
    svg = kpi_trend_svg(
        actuals,
        targets,
        baseline=base,
        unit=unit,
        title=gettext("%(indicator)s の実績と目標") % {"indicator": t.kpi.indicator},
        desc="、".join(desc_parts) or gettext("実績はまだありません"),
        id_prefix=f"trend-{t.kpi.pk}",
    )
    years = sorted({fy for fy, _ in t.actuals} | {tg.fiscal_year for tg in t.targets if tg.fiscal_year})
    by_year = dict(t.actuals)
    table = [
        {
            "year": display(fy),
            "actual": by_year[fy].written if fy in by_year else "",
            "target": "、".join(tg.value for tg in t.targets if tg.fiscal_year == fy),
        }
        for fy in years
    ]
    if t.baseline is not None:
        table.insert(
            0,
            {
                "year": gettext("%(year)s（基準値）") % {"year": display(t.kpi.baseline_fy)}
                if t.kpi.baseline_fy
                else gettext("基準値"),
                "actual": t.baseline.written,
                "target": "",
            },
        )
    return svg, table


def _digest(parts: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _body(request: HttpRequest, plan: Any, period: Any, kpi_id: int | None, today: date, member: bool) -> str:
    """The dashboard's content (everything below the heading), rendered."""
    data = plan_rollup(request.user, plan, period, today=today)
    kinds = data.kinds
    used = [(k, label) for k, label in kinds if data.total.by_kind.get(k, 0)] or kinds
    period_label = str(data.period) if data.period else gettext("報告期間なし")
    kpi_rows = [
        {
            "measure": m.measure,
            "kpi": k.kpi,
            "target": f"{k.target.value}（{display(k.target.fiscal_year)}）"
            if k.target and k.target.fiscal_year
            else (k.target.value if k.target else ""),
            "actual": k.actual,
            "ratio": pct(k.attainment.ratio),
            "met": {True: gettext("達成"), False: gettext("未達成"), None: "—"}[k.attainment.met],
            "on_track": {True: gettext("順調"), False: gettext("遅れ"), None: "—"}[k.attainment.on_track],
        }
        for m in data.measures
        for k in m.kpis
    ]
    all_kpis = [row["kpi"].pk for row in kpi_rows]
    chosen = kpi_id if kpi_id in all_kpis else None
    if chosen is None:
        with_actual = [row["kpi"].pk for row in kpi_rows if row["actual"]]
        chosen = (with_actual or all_kpis or [None])[0]
    trend_svg, trend, trend_table = "", None, []  # type: tuple[str, KpiTrend | None, list[Any]]
    if chosen is not None:
        trend = kpi_trends(request.user, plan, [chosen]).get(chosen)
        if trend is not None:
            trend_svg, trend_table = trend_chart(trend)
    context = {
        "plan": plan,
        "data": data,
        "period_label": period_label,
        "kinds": used,
        "total": data.total,
        "total_attainment": pct(data.total.mean_attainment),
        "total_on_time": pct(data.total.on_time_share),
        "pillar_svg": mark_safe(status_chart(data.by_pillar, used, plan.title, period_label)),  # noqa: S308 - escaped in charts
        "pillar_rows": group_rows(data.by_pillar, used),
        "policy_rows": group_rows(data.by_policy, used),
        "department_rows": group_rows(data.by_department, used),
        "kpi_rows": kpi_rows,
        "trend": trend,
        "trend_svg": mark_safe(trend_svg),  # noqa: S308 - escaped in charts
        "trend_table": trend_table,
        "member": member,
        "timeliness": [(r.TIMELINESS_LABELS[k], data.total.by_timeliness.get(k, 0)) for k in r.TIMELINESS],
    }
    return render_to_string("progress/dashboard/_body.html", context, request)


def dashboard_moved(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The dashboard's old address under /manage/: it is public now, at /plans/<id>/progress/."""
    query = request.META.get("QUERY_STRING", "")
    target = reverse("portal:progress", args=[plan_id]) + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(target)


def dashboard(request: HttpRequest, plan_id: int) -> HttpResponse:
    try:
        plan = plan_visible(request.user, plan_id)
        period_id = _int_param(request, "period")
        kpi_id = _int_param(request, "kpi")
    except NotFound as e:
        raise Http404(str(e)) from None
    except ValueError as e:
        return HttpResponseBadRequest(
            f"400: bad parameter {e}".encode(), content_type="text/plain; charset=utf-8"
        )
    period = None
    if period_id is not None:
        period = plan.reporting_periods.filter(pk=period_id).first()
        if period is None:
            raise Http404("no such period in this plan")
    today = clock.today()
    member = can(request.user, "manage", plan.organisation)
    key = "pdca-dashboard:" + _digest(
        (
            plan.pk,
            period.pk if period else None,
            kpi_id,
            member,
            today.isoformat(),
            get_language(),
            sorted(status_kinds(plan.organisation).items()),
            change_stamp(),
        )
    )
    body = cache.get(key)
    if body is None:
        body = _body(request, plan, period, kpi_id, today, member)
        cache.set(key, body, CACHE_SECONDS)
    return render(
        request,
        "progress/dashboard/dashboard.html",
        {"plan": plan, "body": mark_safe(body)},  # noqa: S308 - rendered by our own template
    )
