"""The search page (/search/): a GET form over measure_search; malformed parameters are dropped, never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keikaku.core.pillars import PILLAR_CODES, PILLARS, PRIORITY_AREA_NAMES, PRIORITY_AREAS
from keikaku.core.prefectures import PREFECTURES
from keikaku.services.portal import prefectures
from keikaku.services.search import MAX_OFFSET, measure_search

PER_PAGE = 20


def _int(value: str | None, lo: int, hi: int) -> int | None:
    try:
        n = int((value or "").strip())
    except ValueError:
        return None
    return n if lo <= n <= hi else None


def search(request: HttpRequest) -> HttpResponse:
    get = request.GET
    q = get.get("q", "")[:1000]
    order = {name: i for i, name in enumerate(PREFECTURES)}
    prefs = sorted(prefectures(), key=lambda p: (order.get(p[0], 99), p[0]))
    pref_names = {p for p, _ in prefs}
    prefecture = get.get("prefecture") if get.get("prefecture") in pref_names else None
    pillar = get.get("pillar") if get.get("pillar") in PILLAR_CODES else None
    area = get.get("priority_area") if get.get("priority_area") in PRIORITY_AREA_NAMES else None
    fiscal_year = _int(get.get("fiscal_year"), 1900, 2200)
    page_no = _int(get.get("page"), 1, MAX_OFFSET // PER_PAGE + 1) or 1
    searched = bool(q.strip() or prefecture or pillar or area or fiscal_year)
    page = measure_search(
        q,
        prefecture=prefecture,
        pillar=pillar,
        priority_area=area,
        fiscal_year=fiscal_year,
        limit=PER_PAGE,
        offset=(page_no - 1) * PER_PAGE,
    )
    params = {
        k: v
        for k, v in (
            ("q", q),
            ("prefecture", prefecture),
            ("pillar", pillar),
            ("priority_area", area),
            ("fiscal_year", fiscal_year),
        )
        if v
    }
    last_page = max(1, min((page.total + PER_PAGE - 1) // PER_PAGE, MAX_OFFSET // PER_PAGE + 1))
    return render(
        request,
        "search/search.html",
        {
            "q": q,
            "page": page,
            "total_label": f"{page.total:,}+" if page.total_capped else page.total,  # capped count: "1,000+"
            "searched": searched,
            "prefectures": prefs,
            "prefecture": prefecture,
            "pillars": PILLARS,
            "pillar": pillar,
            "areas": PRIORITY_AREAS,
            "area": area,
            "fiscal_year": fiscal_year,
            "page_no": page_no,
            "last_page": last_page,
            "first": page.offset + 1,
            "last": page.offset + len(page.hits),
            "suggestion_url": "?" + urlencode({**params, "q": page.suggestion.query})
            if page.suggestion
            else None,
            "prev_url": "?" + urlencode({**params, "page": page_no - 1}) if page_no > 1 else None,
            "next_url": "?" + urlencode({**params, "page": page_no + 1}) if page_no < last_page else None,
        },
    )
