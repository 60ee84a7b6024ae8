"""Manage pages of the year-end evaluation (評価) of a measure: write it (the planning office), decide,
publish or take it back to draft (the approver role), one measure or a whole year of a plan at once.
Thin: the rules are in keikaku.services.progress.evaluation_save and keikaku.services.evaluations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from keikaku.services import evaluations as ev_svc
from keikaku.services import progress as svc
from keikaku.services.errors import NotFound, PermissionDenied, ServiceError
from keikaku.services.people import can, require
from keikaku.services.plans import plan_get
from keikaku.web import clock
from keikaku.web.progress import forms as f
from keikaku.web.progress.guards import guarded
from keikaku.web.progress.views import _refused
from keikaku.web.progress.wording import kpi_reference

ACTIONS = {
    "decide": ev_svc.evaluation_decide,
    "publish": ev_svc.evaluation_publish,
    "withdraw": ev_svc.evaluation_withdraw,
}
YEAR_ACTIONS = {"decide": ev_svc.evaluations_decide, "publish": ev_svc.evaluations_publish}
DONE = {
    "decide": gettext_lazy("評価を決定しました（%(state)s）。公開するまで団体の外には見えません。"),
    "publish": gettext_lazy("評価を公開しました（%(state)s）。"),
    "withdraw": gettext_lazy("評価を下書きに戻しました（%(state)s）。公開をやめました。"),
}
YEAR_DONE = {
    "decide": gettext_lazy("下書きの評価 %(n)s 件を決定しました。"),
    "publish": gettext_lazy("決定した評価 %(n)s 件を公開しました。"),
}


def _year(fiscal_year: int) -> int:
    if not 1900 <= fiscal_year <= 2200:
        raise NotFound("fiscal year")
    return fiscal_year


def _page(
    request: HttpRequest, measure: Any, fiscal_year: int, form: Any, *, status: int = 200, errors: Any = ()
) -> HttpResponse:
    ev = ev_svc.evaluation_get(measure, fiscal_year)
    report = (
        svc.reports_visible(request.user, measure.plan)
        .filter(measure=measure, period__fiscal_year=fiscal_year)
        .order_by("-period__quarter")
        .first()
    )  # the year's report (a yearly period sorts before quarters)
    actuals = {a.kpi_id: a for a in report.actuals.all()} if report else {}
    kpis = [
        {"kpi": k, "actual": actuals.get(k.pk), "reference": kpi_reference(k)}
        for k in measure.kpis.prefetch_related("targets").order_by("order")
    ]
    ctx = {
        "kpis": kpis,
        "report": report,
        "title": gettext("評価: %(measure)s") % {"measure": measure},
        "plan": measure.plan,
        "measure": measure,
        "fiscal_year": fiscal_year,
        "evaluation": ev,
        "form": form,
        "action_form": f.RevisionForm(initial={"revision": ev.revision if ev else 0}),
        "can_decide": can(request.user, "evaluation.decide", measure.plan),
        "action_errors": errors,
    }
    return render(request, "progress/evaluation.html", ctx, status=status)


@guarded
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, measure_id: int, fiscal_year: int) -> HttpResponse:
    measure = svc.measure_get(measure_id)
    require(request.user, "evaluation.edit", measure.plan)
    _year(fiscal_year)
    ev = ev_svc.evaluation_get(measure, fiscal_year)
    initial: dict[str, Any] = {"revision": ev.revision if ev else 0}
    if ev:
        initial.update(decision=ev.decision, rationale=ev.rationale, merge_into=ev.merge_into_id)
    others = list(measure.plan.measures.exclude(pk=measure.pk).order_by("order"))
    form = f.EvaluationForm(request.POST or None, initial=initial, measures=others)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        target = next((m for m in others if m.pk == cd["merge_into"]), None)
        try:
            svc.evaluation_save(
                request.user,
                measure,
                fiscal_year,
                decision=cd["decision"],
                rationale=cd["rationale"],
                merge_into=target,
                revision=cd["revision"],
                now=clock.now(),
            )
            messages.success(request, gettext("評価を保存しました（下書き）。"))
            return redirect(f"/manage/measures/{measure.pk}/evaluations/{fiscal_year}/")
        except ServiceError as e:
            status = _refused(form, e)
    return _page(request, measure, fiscal_year, form, status=status)


@guarded
@require_POST
def evaluation_action(request: HttpRequest, measure_id: int, fiscal_year: int, action: str) -> HttpResponse:
    """決定 / 公開 / 下書きに戻す of one evaluation (the approver role)."""
    if action not in ACTIONS:
        raise NotFound(f"unknown action {action[:20]}")
    measure = svc.measure_get(measure_id)
    require(request.user, "evaluation.decide", measure.plan)
    ev = ev_svc.evaluation_get(measure, _year(fiscal_year))
    if ev is None:
        raise NotFound("no evaluation")
    form = f.RevisionForm(request.POST)
    if form.is_valid():
        try:
            done = ACTIONS[action](request.user, ev, revision=form.cleaned_data["revision"], now=clock.now())
            messages.success(request, DONE[action] % {"state": done.get_state_display()})
            return redirect(f"/manage/measures/{measure.pk}/evaluations/{fiscal_year}/")
        except ServiceError as e:
            status = _refused(form, e)
    else:
        status = 400
    others = list(measure.plan.measures.exclude(pk=measure.pk).order_by("order"))
    edit = f.EvaluationForm(
        initial={"revision": ev.revision, "decision": ev.decision, "rationale": ev.rationale}, measures=others
    )
    errors = list(form.non_field_errors()) or [gettext("読み込み直してから操作してください。")]
    return _page(request, measure, fiscal_year, edit, status=status, errors=errors)


@guarded
@require_POST
def evaluations_year_action(
    request: HttpRequest, plan_id: int, fiscal_year: int, action: str
) -> HttpResponse:
    """Decide every draft, or publish every decided evaluation of a plan's fiscal year."""
    if action not in YEAR_ACTIONS:
        raise NotFound(f"unknown action {action[:20]}")
    plan = plan_get(plan_id)
    if not can(request.user, "plan.view", plan):
        raise NotFound("not visible")
    require(request.user, "evaluation.decide", plan)
    try:
        n = YEAR_ACTIONS[action](request.user, plan, _year(fiscal_year), now=clock.now())
        messages.success(request, YEAR_DONE[action] % {"n": n})
    except PermissionDenied:
        raise
    except ServiceError as e:  # nothing to decide / publish
        messages.info(request, str(e).split(" / ")[0])
    period = request.POST.get("period", "")  # back to the period the page showed
    query = f"?period={period}" if period.isdigit() else ""
    return redirect(f"/manage/plans/{plan.pk}/{query}#h-evaluations")
