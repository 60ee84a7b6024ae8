"""Public pages. Thin: parse the request, call a use case in keikaku.services.portal, render."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from keikaku.core import svg
from keikaku.core.pillars import PILLAR_BY_CODE, PRIORITY_AREAS, pillar_label
from keikaku.core.rollup import STATUS_KIND_LABELS, STATUS_KINDS
from keikaku.core.schema import SCHEMA_DIR, SCHEMAS
from keikaku.export.csv import plan_csv as csv_text
from keikaku.services import NotFound, open_data
from keikaku.services import portal as uc
from keikaku.services.plan_document import FORMATS as DOCUMENT_FORMATS
from keikaku.services.plan_document import plan_document as plan_document_build
from keikaku.services.plan_document import plan_document_render
from keikaku.services.plans import dump_document, plan_export
from keikaku.services.public_progress import measure_progress_public, plan_progress_public
from keikaku.web import clock
from keikaku.web.portal import catalogue_views
from keikaku.web.progress.dashboard import pct, trend_chart

MAX_ID = 2**62
MAX_PARAM = 200  # longer filter values are not ours: ignored
PAGE_CACHE_SECONDS = 3600  # the key changes with the plan's data; the timeout only frees memory


def _public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; ids out of range and NotFound become 404."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        for name in ("plan_id", "measure_id"):
            if name in kwargs and int(str(kwargs[name])) > MAX_ID:
                raise Http404("no such id")
        try:
            return view(request, *args, **kwargs)
        except NotFound as e:
            raise Http404(str(e)) from None

    return wrapper


def _params(request: HttpRequest) -> dict[str, str]:
    """The GET parameters a page may use: overlong values and NUL characters (which PostgreSQL refuses)
    are dropped, i.e. treated as no filter."""
    return {k: v for k, v in request.GET.items() if len(v) <= MAX_PARAM and "\x00" not in v}


@_public
def home(request: HttpRequest) -> HttpResponse:
    prefecture = _params(request).get("prefecture") or None
    groups = uc.organisations_by_prefecture(prefecture=prefecture)
    return render(
        request,
        "portal/home.html",
        {"groups": groups, "prefectures": uc.prefectures(), "prefecture": prefecture},
    )


def _cache_key(prefix: str, parts: tuple[object, ...]) -> str:
    return prefix + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


@_public
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan page. Its content (everything inside <main>) is the same for every visitor, so it is
    rendered once per plan state (:func:`keikaku.services.portal.plan_page_stamp`), language and filter
    and cached; the frame around it (language form with its CSRF token, per visitor) is rendered each time.
    Nothing visitor-specific may go into portal/_plan_body.html."""
    filters = uc.PlanFilters.parse(_params(request))
    base = catalogue_views.base_url(request)  # the JSON-LD's absolute URLs
    key = _cache_key("portal-plan:", (plan_id, uc.plan_page_stamp(plan_id), get_language(), filters, base))
    cached = cache.get(key)
    if cached is None:
        page = uc.plan_page(plan_id, filters)
        body = render_to_string(
            "portal/_plan_body.html",
            {
                "page": page,
                "plan": page.plan,
                "area_names": PRIORITY_AREAS,
                "pillar_info": PILLAR_BY_CODE,
                "progress": progress_context(plan_progress_public(plan_id)),
            },
        )
        cached = (page.plan.title, body, catalogue_views.plan_json_ld(request, plan_id))
        cache.set(key, cached, PAGE_CACHE_SECONDS)
    title, body, json_ld = cached
    return render(
        request,
        "portal/plan.html",
        # rendered by our own template, escaped there; the JSON-LD escaped by dcat.json_for_script
        {"title": title, "body": mark_safe(body), "json_ld": mark_safe(json_ld), "plan_id": plan_id},  # noqa: S308
    )


def _group_rows(groups: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": g.label,
            "measures": g.measures,
            "measured": g.measured,
            "progress": pct(g.progress),
            "width": round((g.progress or 0) * 100),
            "counts": ", ".join(
                f"{STATUS_KIND_LABELS[k]} {n}"
                for k, n in sorted(g.by_kind.items(), key=lambda kv: _KIND_ORDER[kv[0]])
            ),
        }
        for g in groups
    ]


_KIND_ORDER = {k: i for i, k in enumerate(STATUS_KINDS)}


def progress_context(progress: Any) -> dict[str, Any]:
    """The plan page's progress: each measure's status (for the measure table), the summary line and the
    weighted roll-up per 基本方針 and pillar; only ``reported: False`` before any report is approved."""
    if progress is None:
        return {"reported": False}
    return {
        "reported": progress.reported,
        "statuses": {
            mid: (res.status or STATUS_KIND_LABELS["unreported"], res.kind)
            for mid, res in progress.results.items()
        },
        "counts": progress.counts,
        "total": pct(progress.total.progress),
        "total_measured": progress.total.measured,
        "by_policy": _group_rows(progress.by_policy),
        "by_pillar": _group_rows(progress.by_pillar),
    }


@_public
def organisation(request: HttpRequest, code: str) -> HttpResponse:
    page = open_data.organisation_page(code)
    return render(request, "portal/organisation.html", {"page": page, "org": page.organisation})


@_public
def plan_json(request: HttpRequest, plan_id: int) -> HttpResponse:
    row = uc.published_plan(plan_id)
    response = HttpResponse(
        dump_document(plan_export(row.pk)), content_type="application/json; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_public
def plan_csv(request: HttpRequest, plan_id: str, table: str) -> HttpResponse:
    row = uc.published_plan(int(plan_id))
    response = HttpResponse(csv_text(plan_export(row.pk), table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{row.pk}-{table}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_public
def plan_document(request: HttpRequest, plan_id: str, fmt: str) -> HttpResponse:
    """The plan as a document (計画書, DOCX or PDF): a published plan for everyone, a draft for the members
    of its organisation (404 for everyone else). A published plan's file is cached per data stamp."""
    pid = int(plan_id)
    document = plan_document_build(request.user, pid, today=clock.today())
    stamp = uc.public_page_stamp(plan_id=pid)  # None: not published (a member's draft): not cached
    key = _cache_key("portal-plandoc:", (pid, stamp, fmt, document.date)) if stamp else None
    data = cache.get(key) if key else None
    if data is None:
        data = plan_document_render(document, fmt)
        if key:
            cache.set(key, data, PAGE_CACHE_SECONDS)
    response = HttpResponse(data, content_type=DOCUMENT_FORMATS[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="plan-{pid}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    if stamp is None:
        response["Cache-Control"] = "private, no-store"
    return response


@_public
def coverage(request: HttpRequest, plan_id: int) -> HttpResponse:
    cov = uc.plan_coverage(plan_id)
    maximum = max((n for r in cov.counts for n in r), default=0)
    rows = [
        {
            "code": code,
            "label": _pillar_label(code),
            "cells": [
                {"n": n, "area": area or _("未設定"), "colour": svg.heat_colour(n, maximum)}
                for n, area in zip(counts, cov.areas, strict=True)
            ],
            "total": total,
        }
        for code, counts, total in zip(cov.pillars, cov.counts, cov.pillar_totals, strict=True)
    ]
    chart = svg.heatmap_svg(
        [str(r["label"]) for r in rows],
        [a or _("未設定") for a in cov.areas],
        cov.counts,
        title=_("柱 × 重点分野の施策数: %(plan)s") % {"plan": cov.plan.title},
        desc=_("色の濃さと数字で施策数を示します。同じ内容を下の表でも示します。"),
        id_prefix="coverage-chart",
    )
    return render(
        request, "portal/coverage.html", {"cov": cov, "plan": cov.plan, "rows": rows, "chart": chart}
    )


def _pillar_label(code: str) -> str:
    p = PILLAR_BY_CODE.get(code)
    return pillar_label(code) if p else _("柱の指定なし")


def _gantt_chart(g: uc.Gantt) -> str:
    rows = [svg.GanttRow(f"{ln.key or ''} {ln.title}".strip(), ln.cells) for ln in g.lines]
    return svg.gantt_svg(
        rows,
        g.years,
        title=_("年度別の工程表: %(plan)s") % {"plan": g.plan.title},
        desc=_("施策ごとに、各年度の取組段階を帯で示します。同じ内容を表でも示します。"),
        id_prefix="gantt-chart",
    )


@_public
def gantt(request: HttpRequest, plan_id: int) -> HttpResponse:
    g = uc.plan_gantt(plan_id)
    table = [
        {"line": ln, "cells": [dict((fy, (w, p)) for fy, w, p in ln.cells).get(fy) for fy in g.years]}
        for ln in g.lines
    ]
    return render(
        request, "portal/gantt.html", {"g": g, "plan": g.plan, "chart": _gantt_chart(g), "table": table}
    )


@_public
def gantt_svg(request: HttpRequest, plan_id: int) -> HttpResponse:
    g = uc.plan_gantt(plan_id)
    return HttpResponse(_gantt_chart(g), content_type="image/svg+xml; charset=utf-8")


@_public
def measure_detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    page = uc.measure_page(measure_id)
    json_ld = mark_safe(catalogue_views.measure_json_ld(request, measure_id))  # noqa: S308 - escaped JSON
    progress = measure_progress_public(measure_id)
    charts = []
    for t in progress.trends:
        if t.actuals:
            chart, table = trend_chart(t)
            charts.append({"trend": t, "svg": mark_safe(chart), "table": table})  # noqa: S308 - escaped in charts
    ctx = {
        "page": page,
        "plan": page.plan,
        "ms": page.measure,
        "json_ld": json_ld,
        "progress": progress,
        "charts": charts,
    }
    return render(request, "portal/measure.html", ctx)


@_public
def compare(request: HttpRequest) -> HttpResponse:
    raw = request.GET.getlist("plans")
    choices = uc.plan_choices()
    ctx: dict[str, object] = {
        "choices": choices,
        "selected": [],
        "result": None,
        "error": None,
        "max": uc.MAX_COMPARE,
    }
    values = [v.strip() for v in raw if v.strip()]
    if any(not (v.isascii() and v.isdigit() and len(v) <= 12) for v in values):
        ctx["error"] = _("計画の番号が正しくありません。")
        return render(request, "portal/compare.html", ctx, status=400)
    ids = list(dict.fromkeys(int(v) for v in values))
    ctx["selected"] = ids
    if len(ids) > uc.MAX_COMPARE:
        ctx["error"] = _("比較できる計画は %(n)s 件までです。") % {"n": uc.MAX_COMPARE}
        return render(request, "portal/compare.html", ctx, status=400)
    if len(ids) >= 2:
        ctx["result"] = uc.plans_compare(ids)
    return render(request, "portal/compare.html", ctx)


@_public
def schema(request: HttpRequest, name: str) -> HttpResponse:
    if name not in SCHEMAS:
        raise Http404("no such schema")
    body = (SCHEMA_DIR / name).read_bytes()
    response = HttpResponse(body, content_type="application/schema+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page links: the site's SVG icon."""
    return HttpResponsePermanentRedirect(static("keikaku/favicon.svg"))


@never_cache
@require_safe
def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the language by a plain link (GET): set Django's language cookie and go back to ``next``
    when it is a page of this site, else to the home page. Public pages carry these links instead of a form
    with a CSRF token, so that they are the same for every anonymous visitor (and cacheable)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("no such language")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
