"""Manage pages (/manage/): reporting periods, progress reports, review, evaluations, revision, diff,
history, department merge. Thin: permissions and rules live in keikaku.services (people, progress,
revision); a stale write comes back as a form error."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services import history
from keikaku.services import progress as svc
from keikaku.services.catalogues import compliance_check
from keikaku.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from keikaku.services.evaluations import evaluation_state_counts
from keikaku.services.imports import may_import
from keikaku.services.people import can, department_merge, organisations_of, require
from keikaku.services.plans import plan_get, plan_list, plan_publish
from keikaku.services.revision import plan_diff, plan_revise
from keikaku.services.worklists import work_lists
from keikaku.web import clock
from keikaku.web.progress import forms as f
from keikaku.web.progress.guards import guarded
from keikaku.web.progress.wording import MATCHED_BY, diff_rows, kpi_reference, said


def _visible_plan(request: HttpRequest, plan_id: int) -> pm.Plan:
    plan = plan_get(plan_id)
    if not can(request.user, "plan.view", plan):
        raise NotFound("not visible")
    return plan


def _refused(form: Form, e: ServiceError) -> int:
    """A write the use case refused: its reason as a form error, and the status to answer with (409 for a
    stale write, else 400). PermissionDenied goes on to ``guarded`` (login page or 403)."""
    if isinstance(e, PermissionDenied):
        raise e
    form.add_error(None, said(e))
    return 409 if isinstance(e, Conflict) else 400


def _form_page(
    request: HttpRequest, form: Form, title: str, plan: pm.Plan, *, status: int, **extra: Any
) -> HttpResponse:
    """progress/form.html: one form of a plan's manage pages under ``title``."""
    return render(
        request, "progress/form.html", {"form": form, "title": title, "plan": plan, **extra}, status=status
    )


@guarded
def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    orgs = organisations_of(request.user)
    plans = plan_list(organisations=orgs).fetch()
    ctx = {
        "orgs": orgs,
        "plans": plans,
        "may_import": may_import(request.user),
        "work": work_lists(request.user),
    }
    return render(request, "progress/index.html", ctx)


@guarded
def plan_progress(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Progress of a plan in a period: everyone sees approved reports of a published plan; members all."""
    plan = _visible_plan(request, plan_id)
    periods = list(plan.reporting_periods.order_by("-fiscal_year", "-quarter"))
    period = None
    wanted = request.GET.get("period", "")
    if wanted:
        period = next((p for p in periods if str(p.pk) == wanted), None)
        if period is None:
            raise NotFound("no such period")
    elif periods:
        period = periods[0]
    reports = {r.measure_id: r for r in svc.reports_visible(request.user, plan, period)} if period else {}
    measures = list(plan.measures.order_by("order"))
    member = can(request.user, "manage", plan.organisation)
    late = {m.pk for m in svc.late_measures(period, today=clock.today())} if period and member else set()
    rows = [
        {
            "measure": m,
            "report": reports.get(m.pk),
            "late": m.pk in late,
            "editable": member and can(request.user, "progress.edit", m),
        }
        for m in measures
    ]
    ctx = {
        "plan": plan,
        "periods": periods,
        "period": period,
        "rows": rows,
        "member": member,
        "counts": svc.plan_status_counts(request.user, plan, period) if period else {},
        "can_periods": can(request.user, "period.manage", plan),
        "can_edit": can(request.user, "plan.edit", plan),
        "can_decide": can(request.user, "evaluation.decide", plan),
        "evaluation_counts": evaluation_state_counts(plan, period.fiscal_year) if period and member else {},
        "compliance": compliance_check(plan) if member else None,
        "period_form": f.PeriodForm(),
        "revise_form": f.ReviseForm(initial={"revision": plan.revision}),
    }
    return render(request, "progress/plan.html", ctx)


@guarded
@require_POST
def period_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _visible_plan(request, plan_id)
    require(request.user, "period.manage", plan)
    form = f.PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = svc.period_create(
                request.user,
                plan,
                form.cleaned_data["fiscal_year"],
                quarter=form.cleaned_data["quarter"],
                due_date=form.cleaned_data["due_date"],
            )
            messages.success(request, gettext("報告期間 %(period)s を追加しました。") % {"period": period})
            return redirect(f"/manage/plans/{plan.pk}/?period={period.pk}")
        except ServiceError as e:
            _refused(form, e)
    return _form_page(request, form, gettext("報告期間を追加"), plan, status=400)


@guarded
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, period_id: int) -> HttpResponse:
    period = svc.period_get(period_id)
    require(request.user, "period.manage", period.plan)
    initial = {"revision": period.revision, "state": period.state, "due_date": period.due_date}
    form = f.PeriodEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            svc.period_update(
                request.user,
                period,
                revision=form.cleaned_data["revision"],
                state=form.cleaned_data["state"],
                due_date=form.cleaned_data["due_date"],
                now=clock.now(),
            )
            messages.success(request, gettext("報告期間 %(period)s を保存しました。") % {"period": period})
            return redirect(f"/manage/plans/{period.plan_id}/?period={period.pk}")
        except ServiceError as e:
            status = _refused(form, e)
    return _form_page(
        request, form, gettext("報告期間 %(period)s") % {"period": period}, period.plan, status=status
    )


def _report_form(request: HttpRequest, measure: pm.Measure, report: gm.ProgressReport | None) -> f.ReportForm:
    kpis = list(measure.kpis.order_by("order"))
    statuses = [w for w, _ in svc.status_vocabulary(measure.plan.organisation)]
    initial: dict[str, Any] = {"revision": report.revision if report else 0}
    if report:
        initial.update(status=report.status, narrative=report.narrative, evidence="\n".join(report.evidence))
        for a in report.actuals.all():
            num = a.value_number.normalize() if a.value_number is not None else None
            initial[f"kpi_{a.kpi_id}"] = f"{num:f}" if num is not None else a.value_text
    return f.ReportForm(request.POST or None, initial=initial, statuses=statuses, kpis=kpis)


@guarded
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, period_id: int, measure_id: int) -> HttpResponse:
    period = svc.period_get(period_id)
    measure = svc.measure_get(measure_id)
    if measure.plan_id != period.plan_id:
        raise NotFound("measure not in this plan")
    require(request.user, "progress.edit", measure)
    report = gm.ProgressReport.objects.filter(measure=measure, period=period).first()
    form = _report_form(request, measure, report)
    status = 200
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        checks = svc.kpi_checks([measure.pk])
        actuals = []
        for k in form.kpis:  # the one rule for an actual (keikaku.core.actuals), its message by the field
            try:
                a = svc.actual_check(checks[k.pk], k.pk, cd.get(f"kpi_{k.pk}", ""))
            except ServiceError as e:
                form.add_error(f"kpi_{k.pk}", str(e).split(": ", 1)[-1])
                continue
            if a is not None:
                actuals.append(a)
        data = svc.ReportInput(
            status=cd["status"], narrative=cd["narrative"], evidence=form.evidence_list(), actuals=actuals
        )
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.progress_save(
                request.user,
                measure,
                period,
                data,
                revision=cd["revision"],
                now=clock.now(),
                submit="submit" in request.POST,
            )
            done = gettext("報告を提出しました。確認を待っています。") if saved.state == "submitted" else None
            messages.success(request, done or gettext("報告を下書き保存しました。まだ提出していません。"))
            return redirect(f"/manage/reports/{saved.pk}/")
        except ServiceError as e:
            status = _refused(form, e)
    ctx = {"form": form, "measure": measure, "period": period, "report": report}
    return render(request, "progress/report_edit.html", ctx, status=status)


def _report_page(
    request: HttpRequest,
    report: gm.ProgressReport,
    *,
    review_form: Form | None = None,
    submit_form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    """The report with its KPIs (actual beside baseline and targets) and the forms the user may use; a
    refused review comes back here with its reason and the comment as typed."""
    actuals = {a.kpi_id: a for a in report.actuals.all()}
    kpis = [
        {"kpi": k, "actual": actuals.get(k.pk), "reference": kpi_reference(k)}
        for k in report.measure.kpis.prefetch_related("targets").order_by("order")
    ]
    ctx = {
        "report": report,
        "kpis": kpis,
        "can_edit": can(request.user, "progress.edit", report.measure),
        "can_review": can(request.user, "progress.review", report.measure.plan),
        "review_form": review_form or f.ReviewForm(initial={"revision": report.revision}),
        "submit_form": submit_form or f.RevisionForm(initial={"revision": report.revision}),
        "refused": submit_form if submit_form is not None and submit_form.errors else None,
    }
    return render(request, "progress/report.html", ctx, status=status)


@guarded
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = svc.report_get(report_id)
    if not can(request.user, "progress.view", report):
        raise NotFound("not visible")
    return _report_page(request, report)


DONE = {
    "submit": gettext_lazy("報告を提出しました。確認を待っています。"),
    "approve": gettext_lazy("報告を承認しました。公開の計画では住民にも見えます。"),
    "return": gettext_lazy("報告を差し戻しました。"),
}


@guarded
@require_POST
def report_action(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    """submit / approve / return."""
    if action not in ("submit", "approve", "return"):
        raise NotFound(f"unknown action {action[:20]}")
    report = svc.report_get(report_id)
    if action == "submit":
        require(request.user, "progress.edit", report.measure)
    else:
        require(request.user, "progress.review", report.measure.plan)
    form = f.ReviewForm(request.POST)
    status = 400
    if form.is_valid():
        rev, comment = form.cleaned_data["revision"], form.cleaned_data["comment"]
        try:
            if action == "submit":
                svc.progress_submit(request.user, report, revision=rev, now=clock.now())
            elif action == "approve":
                svc.progress_approve(request.user, report, revision=rev, now=clock.now(), comment=comment)
            else:
                svc.progress_return(request.user, report, revision=rev, now=clock.now(), comment=comment)
            messages.success(request, str(DONE[action]))
            return redirect(f"/manage/reports/{report.pk}/")
        except ServiceError as e:
            status = _refused(form, e)
    elif not form.non_field_errors():
        form.add_error(None, gettext("読み込み直してから操作してください。"))
    report.refresh_from_db()
    if action == "submit":
        return _report_page(request, report, submit_form=form, status=status)
    return _report_page(request, report, review_form=form, status=status)


@guarded
def measure_history(request: HttpRequest, measure_id: int) -> HttpResponse:
    """Who changed what and when: the measure, its KPIs, its progress reports and evaluations."""
    measure = svc.measure_get(measure_id)
    kinds = {
        "plan": gettext("計画"),
        "measure": gettext("施策"),
        "kpi": "KPI",
        "report": gettext("進捗報告"),
        "actual": "KPI " + gettext("実績"),
        "evaluation": gettext("評価"),
        "edit": gettext("編集"),
    }
    entries = [
        {"when": e.when, "who": e.who, "kind": kinds[e.kind], "type": e.type, "changes": e.changes}
        for e in history.measure_history(request.user, measure)
    ]
    return render(request, "progress/history.html", {"measure": measure, "entries": entries})


@guarded
@require_POST
def plan_revise_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _visible_plan(request, plan_id)
    require(request.user, "plan.edit", plan)
    form = f.ReviseForm(request.POST)
    if form.is_valid():
        try:
            new = plan_revise(
                request.user,
                plan,
                now=clock.now(),
                fiscal_year=form.cleaned_data["fiscal_year"],
                revision=form.cleaned_data["revision"],
            )
            messages.success(request, gettext("次の版を下書きとして作りました。前の版との差分です。"))
            return redirect(f"/manage/plans/{plan.pk}/diff/{new.pk}/")
        except ServiceError as e:
            _refused(form, e)
    return _form_page(request, form, gettext("次の版を作る"), plan, status=409)


@guarded
@require_POST
def plan_publish_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Publish a draft version (or withdraw a published one) — planners only, with the revision read."""
    plan = _visible_plan(request, plan_id)
    require(request.user, "plan.edit", plan)
    form = f.RevisionForm(request.POST)
    if form.is_valid():
        try:
            plan_publish(
                request.user,
                plan,
                revision=form.cleaned_data["revision"],
                now=clock.now(),
                publish=request.POST.get("action") != "withdraw",
            )
            withdrawn = request.POST.get("action") == "withdraw"
            messages.success(
                request, gettext("公開を取り下げました。") if withdrawn else gettext("公開しました。")
            )
            return redirect(f"/manage/plans/{plan.pk}/")
        except ServiceError as e:
            status = _refused(form, e)
            return _form_page(request, form, gettext("公開"), plan, status=status)
    return _form_page(request, form, gettext("公開"), plan, status=400)


@guarded
def plan_diff_view(request: HttpRequest, plan_id: int, other_id: int) -> HttpResponse:
    old, new = _visible_plan(request, plan_id), _visible_plan(request, other_id)
    diff = plan_diff(old, new)
    ctx = {
        "old": old,
        "new": new,
        "diff": diff,
        "rows": diff_rows(diff),
        "matched_by": MATCHED_BY.get(diff.matched_by, ""),
    }
    return render(request, "progress/diff.html", ctx)


@guarded
@require_http_methods(["GET", "POST"])
def departments(request: HttpRequest, org_id: int) -> HttpResponse:
    org = pm.Organisation.objects.filter(pk=org_id).first()
    if org is None:
        raise NotFound("organisation")
    require(request.user, "department.merge", org)
    depts = list(org.departments.order_by("name"))
    form = f.MergeForm(request.POST or None, departments=depts)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        by_id = {d.pk: d for d in depts}
        try:
            result = department_merge(
                request.user, by_id[form.cleaned_data["keep"]], by_id[form.cleaned_data["alias"]]
            )
            depts = list(org.departments.order_by("name"))
            form = f.MergeForm(departments=depts)
        except ServiceError as e:
            _refused(form, e)
            status = 400
    return render(
        request,
        "progress/departments.html",
        {"org": org, "departments": depts, "form": form, "result": result},
        status=status,
    )
