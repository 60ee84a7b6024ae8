"""The measure editor (/manage/measures/<id>/edit/ and the KPI, schedule, copy, move and delete forms).

Thin: every write is a use case of keikaku.services.editing (permission, draft-only, revision); a refused
write re-renders the page with the reason (400), a stale one (409) with the other person's change and the
form keeping what was typed, ready to be sent again over the newer version. Works without JavaScript:
each form posts, then redirects back to the page (Post/Redirect/Get)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST

from keikaku.core.schedule import PHASE_WORDS
from keikaku.db.plans import models as pm
from keikaku.services import changes
from keikaku.services import editing as svc
from keikaku.services.errors import Conflict, PermissionDenied, ServiceError
from keikaku.web import clock
from keikaku.web.progress import editor_forms as ef
from keikaku.web.progress.forms import RevisionForm
from keikaku.web.progress.guards import guarded
from keikaku.web.progress.wording import said


def refused(request: HttpRequest, form: Form, e: ServiceError) -> int:
    """The reason of a refused write on ``form``; 409 for a stale write, with the form's revision moved
    to the current one so that sending it again saves over the other person's change."""
    if isinstance(e, PermissionDenied):
        raise e
    form.add_error(None, said(e))
    return 409 if isinstance(e, Conflict) else 400


def _with_revision(form: Form, revision: int) -> None:
    data = form.data.copy()
    data[form.add_prefix("revision")] = str(revision)
    form.data = data


def _targets(k: pm.Kpi | None) -> int:
    return max(2, (len(k.targets.all()) if k else 0) + 1)


def _page(request: HttpRequest, ed: svc.MeasureEditor, *, status: int = 200, **bound: Any) -> HttpResponse:
    ms, plan = ed.measure, ed.plan
    conflict = any(getattr(f, "conflict", False) for f in bound.values())
    if conflict:
        for f in bound.values():
            if f.is_bound:
                _with_revision(f, ms.revision)
    measure_form = bound.get("measure") or _measure_form(ed)
    kpi_forms = []
    guessed = {k.pk: fields for k, fields in ed.unconfirmed.kpis}
    for k in ms.kpis.all():
        name = f"kpi{k.pk}"
        form = bound.get(name) or ef.KpiForm(
            initial=ef.KpiForm.initial_for(k, ms.revision), prefix=name, targets=_targets(k)
        )
        delete = RevisionForm(initial={"revision": ms.revision}, prefix=f"del{k.pk}")
        kpi_forms.append((k, form, delete, guessed.get(k.pk, [])))
    new_kpi = bound.get("new_kpi") or ef.KpiForm(initial={"revision": ms.revision}, prefix="newkpi")
    schedule_initial: dict[str, Any] = {"revision": ms.revision}
    schedule_initial.update({f"fy_{e.fiscal_year}": e.written for e in ms.schedule.all()})
    schedule = bound.get("schedule") or ef.ScheduleForm(
        initial=schedule_initial, prefix="schedule", years=ed.years, language=get_language()
    )
    ctx = {
        "measure": ms,
        "plan": plan,
        "editable": ed.editable,
        "measure_form": measure_form,
        "kpi_forms": kpi_forms,
        "new_kpi_form": new_kpi,
        "schedule_form": schedule,
        "phase_words": PHASE_WORDS,
        "inferred": sorted(r.code for r in ms.pillar_refs.all() if r.source == "inferred"),
        "unconfirmed": ed.unconfirmed,
        "source": ms.provenance or {},
        "confirm_form": bound.get("confirm")
        or RevisionForm(initial={"revision": ms.revision}, prefix="confirm"),
        "delete_form": bound.get("delete")
        or RevisionForm(initial={"revision": ms.revision}, prefix="delete"),
        "recent": changes.measure_changes(request.user, ms, limit=5 if conflict else 3),
        "conflict": conflict,
    }
    return render(request, "editor/measure_edit.html", ctx, status=status)


def _measure_form(ed: svc.MeasureEditor, data: Any = None) -> ef.MeasureForm:
    initial = None if data is not None else ef.MeasureForm.initial_for(ed.measure)
    return ef.MeasureForm(
        data, initial=initial, policies=ed.policies, departments=ed.departments, national=ed.national
    )


def _saved(request: HttpRequest, measure: pm.Measure, anchor: str = "") -> HttpResponse:
    messages.success(request, gettext("保存しました。"))
    return redirect(f"/manage/measures/{measure.pk}/edit/{anchor}")


def _try(request: HttpRequest, form: Form, use_case: Any, *args: Any, **kw: Any) -> int | None:
    """Run ``use_case(request.user, *args, revision=…, now=…, **kw)`` with the form's revision; None
    when it succeeded, else the status to answer with (the reason is on the form)."""
    try:
        use_case(request.user, *args, revision=form.cleaned_data["revision"], now=clock.now(), **kw)
        return None
    except ServiceError as e:
        status = refused(request, form, e)
        form.conflict = status == 409  # type: ignore[attr-defined]
        return status


@guarded
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, measure_id: int) -> HttpResponse:
    ed = svc.measure_editor(request.user, measure_id)
    measure = ed.measure
    if request.method == "GET":
        return _page(request, ed)
    form = _measure_form(ed, request.POST)
    status = 400
    if form.is_valid():
        status = _try(request, form, svc.measure_update, measure, form.to_input()) or 0
        if not status:
            return _saved(request, measure)
    return _page(request, svc.measure_editor(request.user, measure_id), status=status, measure=form)


@guarded
@require_POST
def kpi_new(request: HttpRequest, measure_id: int) -> HttpResponse:
    ed = svc.measure_editor(request.user, measure_id)
    measure = ed.measure
    form = ef.KpiForm(request.POST, prefix="newkpi")
    status = 400
    if form.is_valid():
        status = _try(request, form, svc.kpi_create, measure, form.to_input()) or 0
        if not status:
            return _saved(request, measure, "#h-kpis")
    return _page(request, svc.measure_editor(request.user, measure_id), status=status, new_kpi=form)


@guarded
@require_POST
def kpi_edit(request: HttpRequest, kpi_id: int) -> HttpResponse:
    kpi, ed = svc.kpi_editor(request.user, kpi_id)
    measure = ed.measure
    name = f"kpi{kpi.pk}"
    form = ef.KpiForm(request.POST, prefix=name, targets=_targets(kpi))
    status = 400
    if form.is_valid():
        status = _try(request, form, svc.kpi_update, kpi, form.to_input()) or 0
        if not status:
            return _saved(request, measure, f"#kpi-{kpi.pk}")
    return _page(request, svc.measure_editor(request.user, measure.pk), status=status, **{name: form})


@guarded
@require_POST
def kpi_delete(request: HttpRequest, kpi_id: int) -> HttpResponse:
    kpi, ed = svc.kpi_editor(request.user, kpi_id)
    measure = ed.measure
    form = RevisionForm(request.POST, prefix=f"del{kpi.pk}")
    status = 400
    if form.is_valid():
        status = _try(request, form, svc.kpi_delete, kpi) or 0
        if not status:
            messages.success(request, gettext("KPI を削除しました。"))
            return redirect(f"/manage/measures/{measure.pk}/edit/#h-kpis")
    return _page(
        request, svc.measure_editor(request.user, measure.pk), status=status, **{f"del{kpi.pk}": form}
    )


@guarded
@require_POST
def schedule_edit(request: HttpRequest, measure_id: int) -> HttpResponse:
    ed = svc.measure_editor(request.user, measure_id)
    measure = ed.measure
    form = ef.ScheduleForm(request.POST, prefix="schedule", years=ed.years, language=get_language())
    status = 400
    if form.is_valid():
        status = _try(request, form, svc.schedule_set, measure, form.cells()) or 0
        if not status:
            return _saved(request, measure, "#h-schedule")
    return _page(request, svc.measure_editor(request.user, measure_id), status=status, schedule=form)


@guarded
@require_POST
def measure_delete(request: HttpRequest, measure_id: int) -> HttpResponse:
    ed = svc.measure_editor(request.user, measure_id)
    measure = ed.measure
    form = RevisionForm(request.POST, prefix="delete")
    status = 400
    if form.is_valid():
        status = _try(request, form, svc.measure_delete, measure) or 0
        if not status:
            messages.success(request, gettext("施策を削除しました。"))
            return redirect(f"/manage/plans/{measure.plan_id}/edit/#h-measures")
    return _page(request, svc.measure_editor(request.user, measure_id), status=status, delete=form)


@guarded
@require_POST
def measure_confirm(request: HttpRequest, measure_id: int) -> HttpResponse:
    """「確認した」: the measure's inferred pillars and guessed KPI values kept as the person's choice."""
    ed = svc.measure_editor(request.user, measure_id)
    form = RevisionForm(request.POST, prefix="confirm")
    status = 400
    if form.is_valid():
        status = _try(request, form, svc.measure_confirm, ed.measure) or 0
        if not status:
            messages.success(request, gettext("確認済みにしました。"))
            return redirect(f"/manage/measures/{measure_id}/edit/")
    return _page(request, svc.measure_editor(request.user, measure_id), status=status, confirm=form)


@guarded
@require_http_methods(["GET", "POST"])
def measure_title(request: HttpRequest, measure_id: int) -> HttpResponse:
    """Inline editing of a measure's title on the plan editor's list: with htmx the list cell turns into a
    one-field form and back (hx-get / hx-post swap the cell); without JavaScript the same form is a page
    of its own that saves and returns to the list."""
    ed = svc.measure_editor(request.user, measure_id)
    ms = ed.measure
    htmx = bool(getattr(request, "htmx", False))
    prefix = f"t{ms.pk}"
    status = 200
    if request.method == "GET":
        form: ef.TitleForm | None = (
            None
            if request.GET.get("show")
            else ef.TitleForm(initial={"revision": ms.revision, "title": ms.title}, prefix=prefix)
        )
    else:
        form = ef.TitleForm(request.POST, prefix=prefix)
        status = 400
        if form.is_valid():
            data = replace(svc.measure_input_of(ms), title=form.cleaned_data["title"])
            status = _try(request, form, svc.measure_update, ms, data) or 0
            if not status:
                if not htmx:
                    messages.success(request, gettext("施策名を保存しました。"))
                    return redirect(f"/manage/plans/{ms.plan_id}/edit/#m-{ms.pk}")
                form, status = None, 200
                ms = svc.measure_editor(request.user, measure_id).measure
        if status == 409 and form is not None:
            _with_revision(form, svc.measure_get(measure_id).revision)
    ms.to_check = []  # type: ignore[attr-defined]
    ctx = {"m": ms, "form": form, "editable": ed.editable}
    template = "editor/_title_cell.html" if htmx else "editor/measure_title.html"
    return render(request, template, ctx, status=status)
