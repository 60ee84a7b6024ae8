"""The plan version's workflow page (/manage/plans/<id>/workflow/): its state, 確認依頼 · 承認 · 差戻し ·
公開 · 公開の取り下げ with comments, a confirmation before publishing or withdrawing, 「公開中の版からの変更」,
and the draft's preview with the public pages' look (/manage/plans/<id>/preview/). Thin: the use cases are
keikaku.services.workflow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from keikaku.core.pillars import PILLAR_BY_CODE, PRIORITY_AREAS
from keikaku.services import portal as uc
from keikaku.services import workflow as wf
from keikaku.services.errors import NotFound, ServiceError
from keikaku.web import clock
from keikaku.web.progress.editor_views import refused
from keikaku.web.progress.forms import RevisionForm
from keikaku.web.progress.guards import guarded

FIELD_LABELS = {
    "key": _("番号"),
    "policy_key": _("施策体系"),
    "title": _("施策名"),
    "description": _("内容"),
    "pillars": _("柱"),
    "priority_areas": _("重点分野"),
    "priority": _("重点取組"),
    "reposted": _("再掲"),
    "departments": _("担当部署"),
    "kpis": "KPI",
    "schedule": _("スケジュール"),
    "deadline_fy": _("期限年度"),
    "national_measures": _("国の施策"),
    "notes": _("備考"),
}


class StepForm(RevisionForm):
    comment = forms.CharField(label=_("コメント"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(StepForm):
    confirm = forms.BooleanField(label=_("内容を確認しました"), required=True)


ACTIONS = {
    "submit": (wf.plan_submit, StepForm),
    "approve": (wf.plan_approve, StepForm),
    "return": (wf.plan_return, StepForm),
    "publish": (wf.plan_publish, ConfirmForm),
    "withdraw": (wf.plan_withdraw, ConfirmForm),
}


def _value(field: str, v: Any) -> str:
    """A diff value as a clerk reads it."""
    if v is None or v == [] or v == "":
        return gettext("（なし）")
    if isinstance(v, bool):
        return gettext("あり") if v else gettext("なし")
    if field == "kpis":
        parts = []
        for k in v:
            targets = "、".join(
                f"{t['value']}（{t['fiscal_year']}）" if t.get("fiscal_year") else t["value"]
                for t in k["targets"]
            )
            parts.append(f"{k['indicator']}: {targets}" if targets else k["indicator"])
        return " ／ ".join(parts)
    if field == "schedule":
        return "、".join(f"{e['fiscal_year']}: {e['written']}" for e in v)
    if isinstance(v, list):
        return "、".join(str(x) for x in v)
    return str(v)


def _page(request: HttpRequest, plan_id: int, *, status: int = 200, **bound: Any) -> HttpResponse:
    review = wf.plan_review(request.user, plan_id)
    plan = review.plan
    rev = {"revision": plan.revision}
    forms_ = {name: bound.get(name) or cls(initial=rev, prefix=name) for name, (_uc, cls) in ACTIONS.items()}
    changed = []
    if review.diff:
        for c in review.diff.changed:
            rows = [
                (
                    str(FIELD_LABELS.get(ch.field, ch.field)),
                    _value(ch.field, ch.old),
                    _value(ch.field, ch.new),
                )
                for ch in c.changes
            ]
            changed.append({"key": c.key, "title": c.title, "rows": rows})
    ctx = {
        "plan": plan,
        "review": review,
        "forms": forms_,
        "changed": changed,
        "states": [
            ("draft", gettext("下書き")),
            ("review", gettext("確認依頼")),
            ("approved", gettext("承認")),
            ("published", gettext("公開")),
        ],
    }
    return render(request, "editor/workflow.html", ctx, status=status)


@guarded
@require_http_methods(["GET"])
def workflow(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _page(request, plan_id)


@guarded
@require_POST
def workflow_action(request: HttpRequest, plan_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise NotFound("unknown action")
    use_case, cls = ACTIONS[action]
    plan = wf.plan_review(request.user, plan_id).plan
    form = cls(request.POST, prefix=action)
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            use_case(request.user, plan, revision=cd["revision"], now=clock.now(), comment=cd["comment"])
            messages.success(request, gettext("手続を進めました。"))
            return redirect(f"/manage/plans/{plan.pk}/workflow/")
        except ServiceError as e:
            status = refused(request, form, e)
    return _page(request, plan_id, status=status, **{action: form})


@guarded
@require_http_methods(["GET"])
def preview(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as residents would see it once published, for the organisation's members."""
    filters = uc.PlanFilters.parse(
        {k: v for k, v in request.GET.items() if len(v) <= 200 and "\x00" not in v}
    )
    page = uc.plan_preview_page(request.user, plan_id, filters)
    ctx = {
        "page": page,
        "plan": page.plan,
        "area_names": PRIORITY_AREAS,
        "pillar_info": PILLAR_BY_CODE,
        "version": wf.plan_review(request.user, plan_id).plan,
    }
    return render(request, "editor/preview.html", ctx)
