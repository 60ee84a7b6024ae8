from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from keikaku.services import NotFound
from keikaku.services.plans import dump_document, plan_export, plan_get, plan_list


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"plans": plan_list(public_only=True)})


def _public_plan(plan_id: int):
    try:
        row = plan_get(plan_id)
    except NotFound as e:
        raise Http404(str(e)) from None
    if row.status != "published":
        raise Http404("not published")
    return row


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    row = _public_plan(plan_id)
    doc = plan_export(row.pk)
    return render(request, "portal/plan.html", {"row": row, "plan": doc})


def plan_json(request: HttpRequest, plan_id: int) -> HttpResponse:
    row = _public_plan(plan_id)
    return HttpResponse(dump_document(plan_export(row.pk)), content_type="application/json; charset=utf-8")
