"""The plan version's own fields, its narrative sections and its policy tree
(/manage/plans/<id>/edit/plan/, …/edit/sections/, …/edit/policies/). Thin: keikaku.services.plan_editing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from keikaku.services import plan_editing as pe
from keikaku.services.changes import plan_changes
from keikaku.services.errors import NotFound
from keikaku.web.progress import editor_forms as ef
from keikaku.web.progress.editor_views import _try
from keikaku.web.progress.forms import RevisionForm
from keikaku.web.progress.guards import guarded


def _back(request: HttpRequest, plan_id: int, page: str, anchor: str = "") -> HttpResponse:
    messages.success(request, gettext("保存しました。"))
    return redirect(f"/manage/plans/{plan_id}/edit/{page}/{anchor}")


@guarded
@require_http_methods(["GET", "POST"])
def plan_fields(request: HttpRequest, plan_id: int) -> HttpResponse:
    ed = pe.plan_editor(request.user, plan_id)
    form = ef.PlanForm(request.POST or None, initial=ef.PlanForm.initial_for(ed.plan), prefix="plan")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status = _try(request, form, pe.plan_update, ed.plan, form.to_input()) or 0
            if not status:
                return _back(request, plan_id, "plan")
        if status == 409:
            _fresh_revision(form, pe.plan_editor(request.user, plan_id).plan.revision)
    ctx = {"plan": ed.plan, "editable": ed.editable, "form": form, "recent": _recent(request, ed)}
    return render(request, "editor/plan_fields.html", ctx, status=status)


def _fresh_revision(form: Form, revision: int) -> None:
    data = form.data.copy()
    data[form.add_prefix("revision")] = str(revision)
    form.data = data


def _recent(request: HttpRequest, ed: pe.PlanEditor) -> list:
    return plan_changes(request.user, ed.plan, limit=5)


def _sections_page(
    request: HttpRequest, ed: pe.PlanEditor, *, status: int = 200, **bound: Any
) -> HttpResponse:
    rev = {"revision": ed.plan.revision}
    rows = []
    for s in ed.sections:
        name = f"s{s.pk}"
        form = bound.get(name) or ef.SectionForm(
            initial={**rev, "key": s.key or "", "title": s.title, "text": s.text}, prefix=name
        )
        rows.append((s, form))
    ctx = {
        "plan": ed.plan,
        "editable": ed.editable,
        "rows": rows,
        "new_form": bound.get("new") or ef.SectionForm(initial=rev, prefix="new"),
        "list_form": bound.get("list") or RevisionForm(initial=rev, prefix="list"),
        "preview": bound.get("preview"),
        "recent": _recent(request, ed),
    }
    return render(request, "editor/sections.html", ctx, status=status)


@guarded
@require_http_methods(["GET", "POST"])
def sections(request: HttpRequest, plan_id: int) -> HttpResponse:
    """GET: the sections; POST: a new section (or, with ``preview``, the typed text rendered, unsaved)."""
    ed = pe.plan_editor(request.user, plan_id)
    if request.method == "GET":
        return _sections_page(request, ed)
    form = ef.SectionForm(request.POST, prefix="new")
    if "preview" in request.POST and form.is_valid():
        return _sections_page(request, ed, new=form, preview=("new", form.cleaned_data["text"]))
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        status = (
            _try(request, form, pe.section_create, ed.plan, title=cd["title"], text=cd["text"], key=cd["key"])
            or 0
        )
        if not status:
            return _back(request, plan_id, "sections")
    return _sections_page(request, pe.plan_editor(request.user, plan_id), status=status, new=form)


@guarded
@require_POST
def section_edit(request: HttpRequest, section_id: int) -> HttpResponse:
    section = pe.section_get(section_id)
    ed = pe.plan_editor(request.user, section.plan_id)
    name = f"s{section.pk}"
    form = ef.SectionForm(request.POST, prefix=name)
    if "preview" in request.POST and form.is_valid():
        return _sections_page(request, ed, **{name: form}, preview=(name, form.cleaned_data["text"]))
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        status = (
            _try(request, form, pe.section_update, section, title=cd["title"], text=cd["text"], key=cd["key"])
            or 0
        )
        if not status:
            return _back(request, ed.plan.pk, "sections", f"#sec-{section.pk}")
    return _sections_page(request, pe.plan_editor(request.user, ed.plan.pk), status=status, **{name: form})


@guarded
@require_POST
def section_action(request: HttpRequest, section_id: int, action: str) -> HttpResponse:
    """up / down / delete."""
    if action not in ("up", "down", "delete"):
        raise NotFound("unknown action")
    section = pe.section_get(section_id)
    ed = pe.plan_editor(request.user, section.plan_id)
    form = RevisionForm(request.POST, prefix="list")
    status = 400
    if form.is_valid():
        if action == "delete":
            status = _try(request, form, pe.section_delete, section) or 0
        else:
            status = _try(request, form, pe.section_move, section, step=-1 if action == "up" else 1) or 0
        if not status:
            return _back(request, ed.plan.pk, "sections")
    return _sections_page(request, pe.plan_editor(request.user, ed.plan.pk), status=status, list=form)


def _policies_page(
    request: HttpRequest, ed: pe.PlanEditor, *, status: int = 200, **bound: Any
) -> HttpResponse:
    rev = {"revision": ed.plan.revision}
    rows = []
    for p in ed.policies:
        name = f"p{p.pk}"
        form = bound.get(name) or ef.PolicyForm(initial={**rev, "key": p.key, "title": p.title}, prefix=name)
        others = [o for o in ed.policies if o.pk != p.pk]
        move = bound.get(f"m{p.pk}") or ef.PolicyMoveForm(
            initial={**rev, "parent": p.parent_id}, prefix=f"m{p.pk}", policies=others
        )
        rows.append((p, form, move))
    ctx = {
        "plan": ed.plan,
        "editable": ed.editable,
        "rows": rows,
        "new_form": bound.get("new") or ef.NewPolicyForm(initial=rev, prefix="new", policies=ed.policies),
        "list_form": bound.get("list") or RevisionForm(initial=rev, prefix="list"),
        "recent": _recent(request, ed),
    }
    return render(request, "editor/policies.html", ctx, status=status)


@guarded
@require_http_methods(["GET", "POST"])
def policies(request: HttpRequest, plan_id: int) -> HttpResponse:
    ed = pe.plan_editor(request.user, plan_id)
    if request.method == "GET":
        return _policies_page(request, ed)
    form = ef.NewPolicyForm(request.POST, prefix="new", policies=ed.policies)
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        parent = next((p for p in ed.policies if p.pk == cd["parent"]), None)
        status = (
            _try(request, form, pe.policy_create, ed.plan, key=cd["key"], title=cd["title"], parent=parent)
            or 0
        )
        if not status:
            return _back(request, plan_id, "policies")
    return _policies_page(request, pe.plan_editor(request.user, plan_id), status=status, new=form)


@guarded
@require_POST
def policy_edit(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = pe.policy_get(policy_id)
    ed = pe.plan_editor(request.user, policy.plan_id)
    name = f"p{policy.pk}"
    form = ef.PolicyForm(request.POST, prefix=name)
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        status = _try(request, form, pe.policy_update, policy, key=cd["key"], title=cd["title"]) or 0
        if not status:
            return _back(request, ed.plan.pk, "policies", f"#pol-{policy.pk}")
    return _policies_page(request, pe.plan_editor(request.user, ed.plan.pk), status=status, **{name: form})


@guarded
@require_POST
def policy_action(request: HttpRequest, policy_id: int, action: str) -> HttpResponse:
    """up / down / delete (list form), parent (the move form)."""
    if action not in ("up", "down", "delete", "parent"):
        raise NotFound("unknown action")
    policy = pe.policy_get(policy_id)
    ed = pe.plan_editor(request.user, policy.plan_id)
    if action == "parent":
        others = [o for o in ed.policies if o.pk != policy.pk]
        form: Form = ef.PolicyMoveForm(request.POST, prefix=f"m{policy.pk}", policies=others)
        key = f"m{policy.pk}"
    else:
        form, key = RevisionForm(request.POST, prefix="list"), "list"
    status = 400
    if form.is_valid():
        if action == "delete":
            status = _try(request, form, pe.policy_delete, policy) or 0
        elif action == "parent":
            parent = next((p for p in ed.policies if p.pk == form.cleaned_data["parent"]), None)
            status = _try(request, form, pe.policy_move, policy, parent=parent, to_top=parent is None) or 0
        else:
            status = _try(request, form, pe.policy_move, policy, step=-1 if action == "up" else 1) or 0
        if not status:
            return _back(request, ed.plan.pk, "policies")
    return _policies_page(request, pe.plan_editor(request.user, ed.plan.pk), status=status, **{key: form})
