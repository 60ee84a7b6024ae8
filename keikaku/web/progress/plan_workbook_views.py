"""The plan as a workbook on the manage pages (/manage/plans/<id>/edit/workbook/): download the version's
measures, KPIs and schedule as an Excel workbook and upload it back. Thin over
keikaku.services.plan_workbook: a refused workbook re-renders the page (400) with every problem at its
sheet!cell and nothing saved; a saved one redirects back with what changed (Post/Redirect/Get)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from keikaku.services import plan_editing as pe
from keikaku.services.plan_workbook import PlanWorkbookRejected, plan_workbook_export, plan_workbook_update
from keikaku.web import clock
from keikaku.web.progress.guards import guarded

MAX_UPLOAD = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@guarded
@require_http_methods(["GET", "POST"])
def workbook(request: HttpRequest, plan_id: int) -> HttpResponse:
    ed = pe.plan_editor(request.user, plan_id)
    ctx: dict = {"plan": ed.plan, "editable": ed.editable, "problems": [], "error": ""}
    status = 200
    if request.method == "POST":
        status = 400
        upload = request.FILES.get("file")
        if upload is None:
            ctx["error"] = gettext("ブック (.xlsx) を選んでください。")
        elif upload.size and upload.size > MAX_UPLOAD:
            ctx["error"] = gettext("ファイルが大きすぎます（上限 20 MB）。")
        else:
            try:
                result = plan_workbook_update(request.user, plan_id, upload.read(), now=clock.now())
            except PlanWorkbookRejected as e:
                ctx["problems"] = e.problems
                ctx["file"] = upload.name
            else:
                messages.success(request, result.summary())
                return redirect("editor:workbook", plan_id=plan_id)
    return render(request, "editor/workbook.html", ctx, status=status)


@guarded
@require_GET
def workbook_download(request: HttpRequest, plan_id: int) -> HttpResponse:
    name, data = plan_workbook_export(request.user, plan_id)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
