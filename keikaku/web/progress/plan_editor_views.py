"""The plan editor (/manage/plans/<id>/edit/): the version's fields, sections, policies and its list of
measures (add, copy, move with keyboard-usable buttons, delete). Thin: the use cases are in
keikaku.services.plan_editing and keikaku.services.editing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from keikaku.services import changes
from keikaku.services import editing as svc
from keikaku.services import plan_editing as pe
from keikaku.services.catalogues import compliance_check
from keikaku.web import clock
from keikaku.web.progress import editor_forms as ef
from keikaku.web.progress.editor_views import _try, refused
from keikaku.web.progress.forms import RevisionForm
from keikaku.web.progress.guards import guarded


def _page(request: HttpRequest, ed: pe.PlanEditor, *, status: int = 200, **bound: Any) -> HttpResponse:
    plan = ed.plan
    rev = {"revision": plan.revision}
    for m in ed.measures:
        m.to_check = ed.to_check.get(m.pk, [])  # type: ignore[attr-defined]
    ctx = {
        "plan": plan,
        "ed": ed,
        "editable": ed.editable,
        "measures": ed.measures,
        "list_form": bound.get("list") or RevisionForm(initial=rev, prefix="list"),
        "new_measure_form": bound.get("new_measure")
        or ef.MeasureForm(initial=rev, policies=ed.policies, departments=ed.departments, prefix="new"),
        "recent": changes.plan_changes(request.user, plan, limit=10),
        "compliance": compliance_check(plan),
    }
    return render(request, "editor/plan_edit.html", ctx, status=status)


@guarded
@require_http_methods(["GET"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _page(request, pe.plan_editor(request.user, plan_id))


@guarded
@require_POST
def measure_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    ed = pe.plan_editor(request.user, plan_id)
    form = ef.MeasureForm(request.POST, policies=ed.policies, departments=ed.departments, prefix="new")
    status = 400
    if form.is_valid():
        try:
            ms = svc.measure_create(
                request.user,
                ed.plan,
                form.to_input(),
                revision=form.cleaned_data["revision"],
                now=clock.now(),
            )
            messages.success(request, gettext("施策を追加しました。"))
            return redirect(f"/manage/measures/{ms.pk}/edit/")
        except svc.ServiceError as e:
            status = refused(request, form, e)
    return _page(request, pe.plan_editor(request.user, plan_id), status=status, new_measure=form)


@guarded
@require_POST
def measure_list_action(request: HttpRequest, measure_id: int, action: str) -> HttpResponse:
    """up / down / copy on the plan editor's list of measures (one button each, no JavaScript)."""
    if action not in ("up", "down", "copy"):
        raise svc.NotFound("unknown action")
    ed = svc.measure_editor(request.user, measure_id)
    form = RevisionForm(request.POST, prefix="list")
    status = 400
    if form.is_valid():
        if action == "copy":
            status = _try(request, form, svc.measure_copy, ed.measure) or 0
        else:
            step = -1 if action == "up" else 1
            status = _try(request, form, svc.measure_move, ed.measure, step=step) or 0
        if not status:
            word = gettext("複製しました。") if action == "copy" else gettext("順番を変えました。")
            messages.success(request, word)
            return redirect(f"/manage/plans/{ed.plan.pk}/edit/#m-{ed.measure.pk}")
    return _page(request, pe.plan_editor(request.user, ed.plan.pk), status=status, list=form)
