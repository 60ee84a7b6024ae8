"""/manage/import/: upload a plan document, review what was read, store it as a draft.

Thin: reading, validation, the temporary file and the permission rules live in keikaku.services.imports.
The upload is carried to the save request by a random token kept in the uploader's session (and recorded
with the uploader's id next to the file); a path never comes from the form."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from keikaku.services import imports as svc
from keikaku.services.errors import InvalidDocument, NotFound, PermissionDenied
from keikaku.web import clock
from keikaku.web.progress.guards import guarded

SESSION_KEY = "keikaku_imports"
MAX_PENDING = 10


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
    }
    return render(request, "progress/import_form.html", ctx, status=status)


def _require_importer(request: HttpRequest) -> None:
    if not svc.may_import(request.user):
        raise PermissionDenied(gettext("計画の取り込みは計画担当 (管理者・編集者) だけができます"))


@guarded
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: read the upload and show the review page (400 with the form again when
    the file cannot be read as a plan)."""
    _require_importer(request)
    if request.method == "GET":
        return _form_page(request, UploadForm(), status=200)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    upload = form.cleaned_data["document"]
    try:
        preview = svc.import_preview(request.user, upload.name, upload.chunks(), now=clock.now())
    except svc.ImportFailed as e:
        return _form_page(request, form, status=400, error=str(e))
    except InvalidDocument as e:
        return _form_page(request, UploadForm(), status=400, error=str(e))
    pending = [t for t in request.session.get(SESSION_KEY, []) if t != preview.token][-(MAX_PENDING - 1) :]
    request.session[SESSION_KEY] = [*pending, preview.token]
    plan = preview.plan
    ctx = {
        "preview": preview,
        "plan": plan,
        "warnings": [p for p in preview.problems if p.severity == "warning"],
        "counts": {
            "measures": len(plan.measures),
            "kpis": sum(len(m.kpis) for m in plan.measures),
            "schedule": sum(len(m.schedule) for m in plan.measures),
            "departments": len({d for m in plan.measures for d in m.departments}),
        },
        "low_confidence": svc.LOW_CONFIDENCE,
    }
    return render(request, "progress/import_review.html", ctx)


@guarded
@require_POST
def import_save(request: HttpRequest) -> HttpResponse:
    """Store the reviewed upload as a draft (action=save) or throw it away (action=discard)."""
    _require_importer(request)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, [])
    if token not in pending:
        raise NotFound("no such upload in this session")
    if request.POST.get("action") == "discard":
        svc.upload_discard(token)
        request.session[SESSION_KEY] = [t for t in pending if t != token]
        return redirect("progress:import")
    plan = svc.import_store(request.user, token, now=clock.now())
    request.session[SESSION_KEY] = [t for t in pending if t != token]
    return redirect("progress:plan", plan_id=plan.pk)
