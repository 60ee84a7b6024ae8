"""The evaluation grid page: a whole fiscal year of a plan's evaluations in one form (one row per measure,
labelled fields in document order, so Tab walks it). Thin: keikaku.services.evaluation_grid."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from keikaku.db.progress.models import Decision
from keikaku.services import evaluation_grid as grid
from keikaku.services.errors import NotFound, PermissionDenied, ServiceError
from keikaku.services.people import can
from keikaku.services.plans import plan_get
from keikaku.web import clock
from keikaku.web.progress.guards import guarded
from keikaku.web.progress.wording import said


@guarded
@require_http_methods(["GET", "POST"])
def evaluation_grid(request: HttpRequest, plan_id: int, fiscal_year: int) -> HttpResponse:
    if not 1900 <= fiscal_year <= 2200:
        raise NotFound("fiscal year")
    plan = plan_get(plan_id)
    if not can(request.user, "plan.view", plan):
        raise NotFound("not visible")
    rows = grid.evaluation_grid(request.user, plan, fiscal_year)
    error, status, typed = "", 200, {}
    if request.method == "POST":
        inputs = grid.grid_inputs(request.POST, [r.measure.pk for r in rows])
        typed = {i.measure_id: i for i in inputs}
        try:
            n = grid.evaluation_grid_save(request.user, plan, fiscal_year, inputs, now=clock.now())
            messages.success(request, gettext("評価を %(n)s 件保存しました（下書き）。") % {"n": n})
            return redirect(f"/manage/plans/{plan.pk}/evaluations/{fiscal_year}/")
        except PermissionDenied:
            raise
        except ServiceError as e:
            error, status = said(e), 409 if "revision" in str(e) or "版" in str(e) else 400
    table = [
        {
            "row": r,
            "decision": typed[r.measure.pk].decision
            if r.measure.pk in typed
            else (r.evaluation.decision if r.evaluation else ""),
            "rationale": typed[r.measure.pk].rationale
            if r.measure.pk in typed
            else (r.evaluation.rationale if r.evaluation else ""),
            "revision": r.evaluation.revision if r.evaluation else 0,
        }
        for r in rows
    ]
    ctx = {
        "plan": plan,
        "fiscal_year": fiscal_year,
        "table": table,
        "decisions": Decision.choices,
        "error": error,
    }
    return render(request, "progress/evaluation_grid.html", ctx, status=status)
