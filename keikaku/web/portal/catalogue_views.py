"""The open-data catalogue (DCAT-AP 3.0: /catalog.ttl, /catalog.jsonld, /orgs/<code>/catalog.ttl and .jsonld,
in pages of KEIKAKU_CATALOG_PAGE_SIZE plans: ``?page=N``, linked with Hydra) and the linked data (JSON-LD)
of the plan and measure pages. Thin: which downloads the site offers and its
address are decided here; the plans are read by keikaku.services.open_data, the RDF is built by
keikaku.export.dcat. docs/open-data.md."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_safe

from keikaku.export import dcat
from keikaku.services import NotFound
from keikaku.services.open_data import (
    Download,
    Pages,
    catalogue_read,
    measure_link_read,
    plan_dataset_read,
)

# Downloads that exist for every published plan, when the site has their route (probed with a plan id):
# (file name, title, description, media type, EU file type, size to compute here)
_OPTIONAL = (
    (
        "plan.docx",
        "計画書（Word）",
        "計画の本文・施策・KPI・工程表の文書 (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
    ("plan.pdf", "計画書（PDF）", "計画の本文・施策・KPI・工程表の文書 (PDF)", "application/pdf", "PDF"),
    (
        "plan.xlsx",
        "計画のワークブック（Excel）",
        "施策・KPI・工程の一覧表 (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
    ("progress.csv", "進捗状況（CSV）", "承認された進捗報告の実績と評価 (CSV)", "text/csv", "CSV"),
    (
        "progress.json",
        "進捗状況（JSON）",
        "承認された進捗報告の実績と評価 (JSON)",
        "application/json",
        "JSON",
    ),
    (
        "feed.xml",
        "更新情報（Atom）",
        "承認された進捗報告と改訂のフィード (Atom)",
        "application/atom+xml",
        "ATOM",
    ),
)


def _plan_path(name: str) -> Callable[[int], str]:
    return lambda plan_id: f"/plans/{plan_id}/{name}"


def _csv_path(table: str) -> Callable[[int], str]:
    return lambda plan_id: reverse("portal:plan_csv", args=[plan_id, table])


@cache
def downloads() -> tuple[Download, ...]:
    """plan.json and the three CSVs always; the other files when this site serves them."""
    out = [
        Download(
            "plan.json",
            lambda plan_id: reverse("portal:plan_json", args=[plan_id]),
            "計画データ（JSON）",
            "計画の全体（施策体系・施策・KPI・工程・出典）。JSON Schema に従う",
            "application/json",
            "JSON",
            size="json",
            conforms_to=reverse("portal:schema", args=["plan-v1.schema.json"]),
        )
    ]
    for table, title in (("measures", "施策の一覧"), ("kpis", "KPI の一覧"), ("schedule", "年度別工程")):
        out.append(
            Download(
                f"{table}.csv",
                _csv_path(table),
                f"{title}（CSV）",
                f"{title}。UTF-8（BOM 付き）の CSV",
                "text/csv",
                "CSV",
                size=f"csv:{table}",
            )
        )
    for name, title, description, media, file_type in _OPTIONAL:
        try:
            resolve(_plan_path(name)(1))
        except Resolver404:
            continue
        out.append(Download(name, _plan_path(name), title, description, media, file_type))
    return tuple(out)


def base_url(request: HttpRequest) -> str:
    """KEIKAKU_PUBLIC_URL, else the address the request came to."""
    return settings.KEIKAKU_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def _licence() -> str:
    return str(settings.KEIKAKU_OPEN_DATA_LICENSE)


FORMATS = {
    "ttl": ("text/turtle; charset=utf-8", dcat.catalogue_turtle),
    "jsonld": ("application/ld+json; charset=utf-8", dcat.catalogue_jsonld),
}
PAGE = re.compile(r"[1-9][0-9]{0,8}\Z")  # ?page=N: 1-based, one spelling per page


def catalogue_path(fmt: str, code: str | None) -> str:
    if code is None:
        return reverse("portal:catalogue", args=[fmt])
    return reverse("portal:organisation_catalogue", args=[code, fmt])


def live_pages(base: str, fmt: str, code: str | None) -> Pages | None:
    """The pages of a catalogue on the live site: page 1 at the catalogue's own URL, page N at ``?page=N``;
    None when KEIKAKU_CATALOG_PAGE_SIZE is 0 (one document)."""
    size = int(settings.KEIKAKU_CATALOG_PAGE_SIZE)
    if size <= 0:
        return None
    url = base + catalogue_path(fmt, code)
    return Pages(size, lambda n: url if n == 1 else f"{url}?page={n}")


def catalogue_text(base: str, fmt: str, code: str | None, page: int, pages: Pages | None) -> str:
    """One page (or, without ``pages``, the whole) of the site's or an organisation's catalogue in ``fmt``.
    Raises NotFound for an unknown organisation or a page beyond the last."""
    cat = catalogue_read(
        base_url=base,
        downloads=downloads(),
        licence=_licence(),
        organisation_code=code,
        publisher_name=settings.KEIKAKU_CATALOG_PUBLISHER,
        page=page,
        pages=pages,
    )
    return FORMATS[fmt][1](cat)


def _catalogue(request: HttpRequest, fmt: str, code: str | None) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("no such format")
    asked = request.GET.getlist("page")
    if len(asked) > 1 or (asked and not PAGE.match(asked[0])):
        raise Http404("ページの指定が正しくありません / bad page number")
    base = base_url(request)
    try:
        text = catalogue_text(base, fmt, code, int(asked[0]) if asked else 1, live_pages(base, fmt, code))
    except NotFound as e:
        raise Http404(str(e)) from None
    response = HttpResponse(text, content_type=FORMATS[fmt][0])
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def catalogue(request: HttpRequest, fmt: str) -> HttpResponse:
    return _catalogue(request, fmt, None)


@require_safe
def organisation_catalogue(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return _catalogue(request, fmt, code)


def plan_json_ld(request: HttpRequest, plan_id: int) -> str:
    """The plan page's JSON-LD (schema.org Dataset), escaped for an inline data block."""
    ds = plan_dataset_read(plan_id, base_url=base_url(request), downloads=downloads(), licence=_licence())
    return dcat.json_for_script(dcat.dataset_schema_org(ds))


def measure_json_ld(request: HttpRequest, measure_id: int) -> str:
    """The measure page's JSON-LD (schema.org CreativeWork, part of the plan's Dataset)."""
    link, plan = measure_link_read(measure_id, base_url=base_url(request), licence=_licence())
    return dcat.json_for_script(dcat.measure_schema_org(link, plan))
