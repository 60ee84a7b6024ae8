"""The public portal as static files (``keikaku export-site DIR``): for a clerk who runs keikaku on the
LGWAN side and copies the folder to the internet-side web server or CMS.

Every page is the live page: rendered by this site's own views through Django's test client (so a file is
what the server would send), then :func:`relativise` makes its links relative and takes out what only a
server can do:

* links to pages the copy holds become relative file paths (``../../measures/5/index.html``);
* ``/static/…`` assets are copied and linked relatively;
* links to pages it does not hold (management pages, the language switch, filtered views) are taken out:
  an item of a list that holds only that link goes, any other link keeps its text;
* forms go (the filters of the home and plan pages, the comparison form), except the search form, which
  searches a small index in the browser (``search/index.json`` and ``static/keikaku/site-search.js``, an
  ordinary script file: no inline script);
* lists and sections left empty go.

What the copy holds: the home page (with ``--org``, the organisation's page takes its place), the
organisation pages, every published plan's page, coverage, Gantt chart (page and SVG), progress page when
the site has one, its measures' pages, the comparison of each plan with its previous version, every
download of the catalogue (plan.json, the CSVs, and DOCX / PDF / workbook / progress / feed when the site
serves them), the JSON Schema, the DCAT-AP catalogues and the search page.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.utils.translation import gettext as _
from selectolax.lexbor import LexborHTMLParser, LexborNode

from keikaku.services import open_data
from keikaku.web.portal.catalogue_views import catalogue_text, downloads

SEARCH_SCRIPT = "keikaku/site-search.js"
EXTERNAL = ("#", "mailto:", "tel:", "http:", "https:", "data:", "//")
# per-plan pages other apps may add: exported when this site has the route
OPTIONAL_PLAN_PAGES = ("progress/",)


@dataclass
class Site:
    """What was written: files by kind, and pages the site could not render (status ≠ 200)."""

    pages: int = 0
    files: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)


def _file_for(path: str) -> str:
    """/plans/3/ → plans/3/index.html; /plans/3/plan.json → plans/3/plan.json."""
    path = path.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


@dataclass(frozen=True)
class Routes:
    pages: dict[str, str]  # live URL (path and query as the templates write it) → file in DIR
    links: dict[str, str]  # the same, and other URLs that link to one of these files
    home: str  # the live page that becomes index.html


def routes_for(plans: list[open_data.SitePlan], organisation_code: str | None = None) -> Routes:
    """Which live URLs the copy holds, and as which files."""
    routes: dict[str, str] = {}
    aliases: dict[str, str] = {}
    codes = sorted({p.organisation_code for p in plans if p.organisation_code})
    home = f"/orgs/{organisation_code}/" if organisation_code else "/"
    routes["/"] = "index.html"
    for code in codes:
        for url in (f"/orgs/{code}/", f"/orgs/{code}/catalog.ttl", f"/orgs/{code}/catalog.jsonld"):
            routes[url] = _file_for(url)
    if not organisation_code:
        routes["/catalog.ttl"], routes["/catalog.jsonld"] = "catalog.ttl", "catalog.jsonld"
    routes["/schema/plan-v1.schema.json"] = "schema/plan-v1.schema.json"
    routes["/search/"] = "search/index.html"
    for p in plans:
        pages = [
            f"/plans/{p.id}/",
            f"/plans/{p.id}/coverage/",
            f"/plans/{p.id}/gantt/",
            f"/plans/{p.id}/gantt.svg",
        ]
        pages += [
            f"/plans/{p.id}/{extra}" for extra in OPTIONAL_PLAN_PAGES if _exists(f"/plans/{p.id}/{extra}")
        ]
        pages += [d.path(p.id) for d in downloads()]
        pages += [f"/measures/{m}/" for m in p.measure_ids]
        for url in pages:
            routes[url] = _file_for(url)
        if p.previous_id:
            pair = f"compare/{p.id}-{p.previous_id}/index.html"
            routes[f"/compare/?plans={p.id}&plans={p.previous_id}"] = pair
            aliases.setdefault(f"/compare/?plans={p.id}", pair)  # the plan page's 「他の計画と比較」
    return Routes(routes, {**aliases, **routes}, home)


def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _relative(target: str, here: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def _drop_link(a: LexborNode) -> None:
    """A link to a page the copy does not hold: the list item it opens goes (a menu entry, a download, a
    similar measure of a plan not copied), any other link keeps its text."""
    parent = a.parent
    first = parent.child if parent is not None else None
    while first is not None and first.tag == "-text" and not (first.text_content or "").strip():
        first = first.next
    if parent is not None and parent.tag == "li" and first is not None and first.mem_id == a.mem_id:
        parent.decompose()
    else:
        a.unwrap()


def relativise(html: str, here: str, routes: dict[str, str], assets: set[str] | None = None) -> str:
    """The live page ``html`` as the file ``here`` of the copy (see the module docstring)."""
    tree = LexborHTMLParser(html)
    for node in tree.css("nav.lang"):
        node.decompose()
    for form in tree.css("form"):
        if "data-index" not in form.attributes:
            form.decompose()
        elif (form.attributes.get("action") or "") in routes:  # the static search: submits to itself
            form.attrs["action"] = _relative(routes[form.attributes["action"] or ""], here)
    for node in tree.css("[href], [src]"):
        attr = "href" if "href" in node.attributes else "src"
        value = node.attributes.get(attr) or ""
        if value.startswith(EXTERNAL):
            continue
        url, _, fragment = value.partition("#")
        suffix = "#" + fragment if fragment else ""
        if url.startswith(settings.STATIC_URL):
            name = urlsplit(url).path[len(settings.STATIC_URL) :]
            if assets is not None:
                assets.add(name)
            node.attrs[attr] = _relative("static/" + name, here) + suffix
        elif url in routes:
            node.attrs[attr] = _relative(routes[url], here) + suffix
        elif node.tag == "a":
            _drop_link(node)
        else:
            node.decompose()
    for _ in range(2):  # a list emptied, then the section it was alone in
        for node in tree.css("ul, ol"):
            if not node.css_first("li"):
                node.decompose()
        for node in tree.css("main section"):
            if not node.text(strip=True) or all(
                c.tag in ("h2", "h3", "-text") for c in node.iter(include_text=False)
            ):
                node.decompose()
    return "<!DOCTYPE html>\n" + (tree.html or "").removeprefix("<!DOCTYPE html>")


def _element(markup: str, tag: str) -> LexborNode:
    node = LexborHTMLParser(markup).css_first(tag)
    assert node is not None, markup
    return node


def _search_page(html: str) -> str:
    """The live search page with its server part replaced: the form submits to itself and
    site-search.js (an ordinary script file) shows the results from search/index.json."""
    tree = LexborHTMLParser(html)
    form = tree.css_first('form[role="search"]')
    if form is None:
        return html
    form.attrs["action"] = "/search/"
    form.attrs["data-index"] = "index.json"
    for node in tree.css("main section"):  # a server's results, if any
        node.decompose()
    heading, none, count = (escape(_(t)) for t in ("検索結果", "該当する施策はありません。", "{n} 件"))
    form.insert_after(
        _element(
            f'<div id="static-results" aria-live="polite" data-heading="{heading}" data-none="{none}"'
            f' data-count="{count}"></div>',
            "div",
        )
    )
    head = tree.css_first("head")
    if head is not None:
        head.insert_child(
            _element(f'<script src="{settings.STATIC_URL}{SEARCH_SCRIPT}" defer></script>', "script")
        )
    return tree.html or html


def _index(plans: list[open_data.SitePlan], routes: dict[str, str]) -> bytes:
    here = "search/index.html"  # the URLs are relative to the page that fetches the index
    rows = [
        {
            "url": _relative(routes[f"/measures/{m.id}/"], here),
            "plan_url": _relative(routes[f"/plans/{m.plan_id}/"], here),
            "key": m.key,
            "title": m.title,
            "description": m.description,
            "plan_title": m.plan_title,
            "prefecture": m.prefecture,
            "organisation": m.organisation,
            "pillars": list(m.pillars),
            "priority_areas": list(m.priority_areas),
            "fiscal_years": list(m.fiscal_years),
            "departments": list(m.departments),
        }
        for m in open_data.site_search_entries(p.id for p in plans)
    ]
    return json.dumps({"measures": rows}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _write(out: Path, name: str, content: bytes, site: Site) -> None:
    target = out / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    site.files += 1
    site.bytes += len(content)


def _copy_assets(out: Path, names: Iterable[str], site: Site) -> None:
    for name in sorted(set(names)):
        found = finders.find(name)
        if found:
            _write(out, "static/" + name, Path(str(found)).read_bytes(), site)


def catalogue_page_file(name: str, page: int) -> str:
    """The file of page ``page`` of the catalogue ``name``: catalog.ttl, catalog-2.ttl, catalog-3.ttl …"""
    if page == 1:
        return name
    stem, ext = posixpath.splitext(name)
    return f"{stem}-{page}{ext}"


def _catalogue_pages(out: Path, url: str, name: str, base_url: str, site: Site) -> bool:
    """A catalogue URL: write its pages as files (``catalogue_page_file``), their Hydra links the files'
    absolute URLs at ``base_url`` (a harvester reads the document without its address, so a relative
    link would not lead it on); False for any other URL."""
    match = resolve(urlsplit(url).path)
    if match.url_name not in ("catalogue", "organisation_catalogue"):
        return False
    fmt, code = match.kwargs["fmt"], match.kwargs.get("code")
    size = int(settings.KEIKAKU_CATALOG_PAGE_SIZE)
    base = base_url.rstrip("/")
    pages = open_data.Pages(size, lambda n: f"{base}/{catalogue_page_file(name, n)}") if size > 0 else None
    page = 1
    while True:
        try:
            text = catalogue_text(base, fmt, code, page, pages)
        except open_data.NotFound:
            if page == 1:
                site.skipped.append(f"{url} (404)")
            return True
        _write(out, catalogue_page_file(name, page), text.encode("utf-8"), site)
        if pages is None:
            return True
        page += 1


def export_site(out: Path, *, base_url: str, organisation_code: str | None = None) -> Site:
    """Write the public portal for the published plans (one organisation's with ``organisation_code``)
    into ``out``; the catalogue and the pages' linked data use ``base_url``, the internet-side address.
    Raises NotFound when there is nothing to publish."""
    plans = open_data.site_plans(organisation_code)
    if not plans:
        raise open_data.NotFound("公開された計画がありません / no published plans")
    routes = routes_for(plans, organisation_code)
    site, assets = Site(), {SEARCH_SCRIPT}
    open_data.download_sizes_warm((p.id for p in plans), downloads())  # every size in the catalogue
    # the pages are asked for as if at the internet-side address, so that any absolute URL a view builds
    # from the request (a feed's links) names it too
    address = urlsplit(base_url)
    hosts = [*settings.ALLOWED_HOSTS, address.hostname or "testserver"]
    with override_settings(ALLOWED_HOSTS=hosts, KEIKAKU_PUBLIC_URL=base_url.rstrip("/")):
        client = Client(HTTP_ACCEPT_LANGUAGE=settings.LANGUAGE_CODE, HTTP_HOST=address.netloc)
        secure = address.scheme == "https"
        for url, name in sorted(routes.pages.items()):
            if _catalogue_pages(out, url, name, base_url, site):
                continue
            response = client.get(routes.home if url == "/" else url, secure=secure)
            if response.status_code != 200:
                site.skipped.append(f"{url} ({response.status_code})")
                continue
            body = response.content
            if response["Content-Type"].startswith("text/html"):
                html = body.decode("utf-8")
                if url == "/search/":
                    html = _search_page(html)
                body = relativise(html, name, routes.links, assets).encode("utf-8")
                site.pages += 1
            _write(out, name, body, site)
        _write(out, "search/index.json", _index(plans, routes.pages), site)
    _copy_assets(out, assets, site)
    return site
