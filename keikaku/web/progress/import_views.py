"""/manage/import/: upload a plan document, follow its import job, review what was read, store it as a draft.

Thin: the upload, the job, reading (in a bounded child process, by the worker), validation and the
permission rules live in keikaku.services.imports and keikaku.services.jobs. The upload is named by a random
token recorded with its uploader's id: only the uploader sees the job and its review, from any session; a
path never comes from the form.

The job page refreshes itself while the job runs: htmx polls the status region (``role="status"``, polite)
and reloads the page when the job has finished; without JavaScript a ``<noscript>`` meta refresh and a
reload link do the same.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keikaku.core.prefectures import PREFECTURES
from keikaku.services import imports as svc
from keikaku.services import jobs
from keikaku.services.catalogues import compliance_of
from keikaku.services.errors import InvalidDocument, PermissionDenied, ServiceError
from keikaku.services.organisations import NewOrganisation
from keikaku.web import clock
from keikaku.web.progress.guards import guarded

POLL_SECONDS = 2


class UploadForm(forms.Form):
    document = forms.FileField(
        allow_empty_file=True,  # the reader explains an empty file
        label=gettext_lazy("計画書のファイル"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(svc.ACCEPTED_SUFFIXES)}),
    )


def _limit_mb() -> str:
    return f"{settings.KEIKAKU_IMPORT_MAX_BYTES / (1024 * 1024):g}"


def _form_page(request: HttpRequest, form: UploadForm, *, status: int, error: str = "") -> HttpResponse:
    ctx = {
        "form": form,
        "error": error,
        "formats": " / ".join(s.lstrip(".") for s in svc.ACCEPTED_SUFFIXES),
        "limit_mb": _limit_mb(),
        "jobs": jobs.import_jobs_list(request.user, now=clock.now()),
    }
    return render(request, "progress/import_form.html", ctx, status=status)


def _require_importer(request: HttpRequest) -> None:
    if not svc.may_import(request.user):
        raise PermissionDenied(gettext("計画の取り込みは計画担当 (管理者・編集者) だけができます"))


@guarded
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and the user's unfinished imports. POST: receive the upload, queue its job and
    go to the job's page at once (400 with the form again when the file is refused on arrival)."""
    _require_importer(request)
    if request.method == "GET":
        return _form_page(request, UploadForm(), status=200)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    upload = form.cleaned_data["document"]
    try:
        job = jobs.import_submit(request.user, upload.name, upload.chunks(), now=clock.now())
    except svc.ImportFailed as e:
        return _form_page(request, form, status=400, error=str(e))
    return redirect("progress:import_job", token=job.token)


def _review_context(request: HttpRequest, job: jobs.ImportJob) -> dict:
    preview = svc.import_get(request.user, job.token)
    plan = preview.plan
    lang = "en" if (get_language() or "ja").startswith("en") else "ja"
    return {
        "job": job,
        "preview": preview,
        "plan": plan,
        "warnings": [p.text(lang) for p in preview.problems if p.severity == "warning"],
        "compliance": compliance_of(plan),
        "counts": {
            "measures": len(plan.measures),
            "kpis": sum(len(m.kpis) for m in plan.measures),
            "schedule": sum(len(m.schedule) for m in plan.measures),
            "departments": len({d for m in plan.measures for d in m.departments}),
        },
        "low_confidence": svc.LOW_CONFIDENCE,
        "prefectures": PREFECTURES,
    }


@guarded
@require_GET
def import_job(request: HttpRequest, token: str) -> HttpResponse:
    """The job's page: its progress while it runs (an htmx request gets the status region alone, or a
    reload when it has finished), the review when it has read the plan, the reason when it could not (400).
    Only the uploader (404 for anyone else)."""
    _require_importer(request)
    job = jobs.import_job_get(request.user, token, now=clock.now())
    if getattr(request, "htmx", False):
        if job.finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "progress/_import_status.html", {"job": job})
    if job.state == jobs.READY:
        return render(request, "progress/import_review.html", _review_context(request, job))
    ctx = {"job": job, "poll": POLL_SECONDS}
    return render(request, "progress/import_job.html", ctx, status=400 if job.state == jobs.FAILED else 200)


@guarded
@require_POST
def import_save(request: HttpRequest) -> HttpResponse:
    """Store the reviewed upload as a draft (action=save; action=save_version stores the same file again
    as a new version of the plan it was stored as) or throw it away (action=discard)."""
    _require_importer(request)
    token = request.POST.get("token", "")
    svc.import_owned(request.user, token)  # NotFound for anyone else's upload
    action = request.POST.get("action")
    if action == "discard":
        svc.upload_discard(token)
        return redirect("progress:import")
    choice = request.POST.get("organisation", "")
    new_org = None
    if choice == "new":
        new_org = NewOrganisation(
            name=request.POST.get("new_name", ""),
            prefecture=request.POST.get("new_prefecture", ""),
            code=request.POST.get("new_code", ""),
        )
    try:
        plan = svc.import_store(
            request.user,
            token,
            now=clock.now(),
            force=action == "save_version",
            organisation_id=int(choice) if choice.isdigit() else None,
            new_organisation=new_org,
        )
    except svc.DuplicateDocument:
        return redirect("progress:import_job", token=token)  # the review names the stored plan
    except PermissionDenied:
        raise
    except ServiceError as e:  # the new organisation's name, prefecture or code
        job = jobs.import_job_get(request.user, token, now=clock.now())
        ctx = {**_review_context(request, job), "error": str(e), "posted": request.POST}
        return render(request, "progress/import_review.html", ctx, status=400)
    except InvalidDocument as e:  # pragma: no cover - read and checked before; a rule changed meanwhile
        return _form_page(request, UploadForm(), status=400, error=str(e))
    return redirect("progress:plan", plan_id=plan.pk)
