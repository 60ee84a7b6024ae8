"""Drafting a plan from the guide's catalogue (/manage/plans/new/, a two-step wizard of plain forms that
works without JavaScript) and the gap report of an existing plan against the guide (パターン2,
/manage/plans/<id>/gaps/, one POST button per chapter or example measure to add). Thin: the use cases are
keikaku.services.drafting."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keikaku.core.fiscal import fiscal_year_of_date, wareki
from keikaku.core.pillars import PILLARS
from keikaku.services import drafting as svc
from keikaku.services.catalogues import catalogue_get, catalogue_list
from keikaku.services.errors import NotFound, PermissionDenied, ServiceError
from keikaku.services.plans import plan_get
from keikaku.web import clock
from keikaku.web.progress.guards import guarded
from keikaku.web.progress.wording import said

MAX_SPAN = 15


class DraftForm(forms.Form):
    """Step 1: the organisation, the period, what the plan is and the catalogue."""

    organisation = forms.TypedChoiceField(label=_("団体"), coerce=int)
    start_fy = forms.IntegerField(label=_("計画期間の最初の年度（西暦）"), min_value=2000, max_value=2100)
    end_fy = forms.IntegerField(label=_("計画期間の最後の年度（西暦）"), min_value=2000, max_value=2100)
    also = forms.MultipleChoiceField(
        label=_("官民データ活用推進計画と兼ねる計画（任意）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("johoka", _("情報化推進計画を兼ねる")), ("dx", _("DX推進計画を兼ねる"))],
    )
    catalogue = forms.TypedChoiceField(label=_("もとにする手引（カタログ）"), coerce=int)

    def __init__(self, *args, organisations, catalogues, **kw) -> None:
        super().__init__(*args, **kw)
        self.fields["organisation"].choices = [(o.pk, str(o)) for o in organisations]
        self.fields["catalogue"].choices = [
            (c.id, gettext("%(title)s（施策例 %(n)s 件）") % {"title": c.title, "n": c.measures})
            for c in catalogues
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_fy"), data.get("end_fy")
        if start and end:
            if end < start:
                self.add_error("end_fy", gettext("最後の年度は最初の年度より後にしてください。"))
            elif end - start + 1 > MAX_SPAN:
                self.add_error(
                    "end_fy", gettext("計画期間は %(n)s 年度までにしてください。") % {"n": MAX_SPAN}
                )
        return data


def _start_form(request: HttpRequest, data=None) -> DraftForm:
    """Step 1's form; an organisation the user may not draft for is refused (403), not a form error."""
    organisations = svc.draft_organisations(request.user)
    chosen = (data or {}).get("organisation")
    if chosen and chosen not in {str(o.pk) for o in organisations}:
        e = PermissionDenied("plan.edit")
        e.action = "plan.edit"
        raise e
    fy = fiscal_year_of_date(clock.today().year, clock.today().month) + 1
    initial = {"start_fy": fy, "end_fy": fy + 4}
    return DraftForm(data, initial=initial, organisations=organisations, catalogues=catalogue_list())


def _choices(form: DraftForm) -> str:
    cd = form.cleaned_data
    pairs = [(k, cd[k]) for k in ("organisation", "start_fy", "end_fy", "catalogue")]
    pairs += [("also", a) for a in cd["also"]]
    return urlencode(pairs)


@guarded
@require_GET
def draft_start(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET; the form sends GET to step 2, so the browser's back button keeps the choices)."""
    form = _start_form(request, request.GET or None)
    if request.GET:
        form.is_valid()  # coming back from step 2: show the choices and their errors
    return render(request, "editor/draft_start.html", {"form": form, "no_catalogue": not catalogue_list()})


def _pillar_groups(catalogue) -> list[dict]:
    groups = []
    for p in PILLARS:
        examples = [
            ex for ex in catalogue.measures if (ex.pillars[0].code if ex.pillars else "other") == p.code
        ]
        if examples:
            groups.append({"pillar": p, "examples": examples})
    return groups


@guarded
@require_http_methods(["GET", "POST"])
def draft_measures(request: HttpRequest) -> HttpResponse:
    """Step 2: pick example measures per pillar (GET, with step 1's choices in the query), then create the
    draft (POST) and open it in the plan editor."""
    data = request.POST if request.method == "POST" else request.GET
    form = _start_form(request, data)
    if not form.is_valid():
        return render(
            request,
            "editor/draft_start.html",
            {"form": form, "no_catalogue": not catalogue_list()},
            status=400,
        )
    cd = form.cleaned_data
    summary, catalogue = catalogue_get(cd["catalogue"])
    picked = data.getlist("measures")
    error = ""
    if request.method == "POST":
        organisation = next(o for o in svc.draft_organisations(request.user) if o.pk == cd["organisation"])
        try:
            row = svc.plan_draft(
                request.user,
                organisation,
                catalogue_id=summary.id,
                start_fy=cd["start_fy"],
                end_fy=cd["end_fy"],
                also=[svc.KIND_CHOICES[k] for k in cd["also"]],
                measure_keys=picked,
                now=clock.now(),
            )
        except ServiceError as e:
            error = said(e)
        else:
            messages.success(
                request,
                gettext(
                    "手引から計画の下書きを作りました（施策 %(n)s 件）。【要記入】の箇所を埋めてください。"
                )
                % {"n": len(picked)},
            )
            return redirect("editor:plan", plan_id=row.pk)
    ctx = {
        "form": form,
        "choices": _choices(form),
        "catalogue": catalogue,
        "summary": summary,
        "groups": _pillar_groups(catalogue),
        "picked": set(picked),
        "period": f"{wareki(cd['start_fy'])}〜{wareki(cd['end_fy'])}",
        "organisation": dict(form.fields["organisation"].choices).get(cd["organisation"], ""),
        "error": error,
    }
    return render(request, "editor/draft_measures.html", ctx, status=400 if error else 200)


@guarded
@require_GET
def gaps(request: HttpRequest, plan_id: int) -> HttpResponse:
    """パターン2: what the plan lacks against the guide, with what the catalogue offers for each gap."""
    report = svc.gap_report(request.user, plan_get(plan_id))
    lang = "en" if (get_language() or "ja").startswith("en") else "ja"
    items = [(g, g.finding.message(lang)) for g in report.gaps]
    return render(request, "editor/gaps.html", {"report": report, "plan": report.plan, "items": items})


@guarded
@require_POST
def gap_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """One click: add the chapter or example measure named by ``item`` to the draft."""
    plan = plan_get(plan_id)
    try:
        revision = int(request.POST.get("revision", ""))
        catalogue_id = int(request.POST.get("catalogue", ""))
    except ValueError:
        raise NotFound("no such form") from None
    try:
        line = svc.gap_fill(
            request.user,
            plan,
            item=request.POST.get("item", ""),
            catalogue_id=catalogue_id,
            revision=revision,
            now=clock.now(),
        )
    except ServiceError as e:
        if isinstance(e, NotFound | PermissionDenied):
            raise
        messages.error(request, said(e))
        return redirect("editor:gaps", plan_id=plan_id)
    messages.success(request, gettext("手引から追加しました: %(what)s") % {"what": said(Exception(line))})
    return redirect("editor:gaps", plan_id=plan_id)
