"""Pages for the evaluation report (HTML / DOCX / PDF) and the Excel round-trip of progress reports
(download a department's workbook, upload filled workbooks). Thin over keikaku.services.reports and
keikaku.services.excel."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from keikaku.services.errors import NotFound, PermissionDenied, ServiceError
from keikaku.services.excel import (
    WorkbookRejected,
    department_workbooks,
    progress_workbook_export,
    progress_workbook_import,
    progress_workbooks_export,
)
from keikaku.services.progress import period_get
from keikaku.services.reports import FORMATS, default_year, evaluation_report, evaluation_report_render
from keikaku.services.rollup import plan_visible
from keikaku.web import clock
from keikaku.web.progress.guards import guarded
from keikaku.web.progress.wording import said

MAX_UPLOAD_FILES = 50


def _download(data: bytes, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@guarded
def evaluation_report_view(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("unknown format")
    plan = plan_visible(request.user, plan_id)
    raw = request.GET.get("fy", "").strip()
    if raw and (not raw.isdigit() or not 1900 <= int(raw) <= 2200):
        return HttpResponseBadRequest(
            b"400: fy must be a fiscal year such as 2025", content_type="text/plain"
        )
    today = clock.today()
    fy = int(raw) if raw else default_year(plan, today)
    report = evaluation_report(request.user, plan, fy, today=today)
    data = evaluation_report_render(report, fmt)
    resp = _download(
        data, f"evaluation_plan{plan.pk}_{fy}.{fmt}", FORMATS[fmt], inline=fmt in ("html", "pdf")
    )
    if fmt == "html":
        resp["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return resp


def _period_for_member(request: HttpRequest, period_id: int):
    if not request.user.is_authenticated:
        raise PermissionDenied("login required")
    period = period_get(period_id)
    return period


@guarded
@require_http_methods(["GET", "POST"])
def workbooks(request: HttpRequest, period_id: int) -> HttpResponse:
    """List the workbooks the user may download for a period, and take filled ones back."""
    period = _period_for_member(request, period_id)
    try:
        available = department_workbooks(request.user, period)
    except PermissionDenied:
        if not request.user.is_authenticated:
            raise
        # a viewer or an outsider: outsiders must not learn the period exists
        from keikaku.services.people import membership

        if membership(request.user, period.plan.organisation) is None:
            raise NotFound("no such period") from None
        raise
    context: dict[str, Any] = {"period": period, "plan": period.plan, "workbooks": available, "problems": []}
    status = 200
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            context["error"] = gettext("ファイルを選んでください")
            status = 400
        elif len(files) > MAX_UPLOAD_FILES:
            context["error"] = gettext("一度に %(n)s ファイルまでです") % {"n": MAX_UPLOAD_FILES}
            status = 400
        else:
            payload = [(f.name[:200], f.read()) for f in files]
            try:
                result = progress_workbook_import(
                    request.user,
                    period,
                    payload,
                    now=clock.now(),
                    submit=request.POST.get("submit") == "on",
                )
                context["result"] = result
            except WorkbookRejected as e:
                context["problems"] = e.problems
                status = 400
            except (ServiceError, PermissionDenied) as e:
                context["error"] = said(e)
                status = 400 if not isinstance(e, PermissionDenied) else 403
    return render(request, "progress/dashboard/workbooks.html", context, status=status)


@guarded
def workbook_download(request: HttpRequest, period_id: int, department_id: int) -> HttpResponse:
    period = _period_for_member(request, period_id)
    name, data = progress_workbook_export(request.user, period, department_id)
    return _download(data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@guarded
def workbooks_zip(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period_for_member(request, period_id)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in progress_workbooks_export(request.user, period):
            z.writestr(name, data)
    return _download(buf.getvalue(), f"progress_period{period.pk}.zip", "application/zip")
