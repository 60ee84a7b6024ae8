"""keikaku export-site: the public portal as static files. Every link and asset resolves inside the folder,
each file is the live page with its links made relative (and its server-only parts taken out), the
downloads are byte for byte the live ones, drafts stay out, --org keeps to one organisation."""

from __future__ import annotations

import json
import posixpath
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

from keikaku.cli import main
from keikaku.services import open_data
from keikaku.services.plans import plan_save
from keikaku.web import static_site
from tests.factories import XSS, make_plan

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, tzinfo=UTC)
BASE = "https://keikaku.example.lg.jp"


def _data() -> dict:
    v1 = plan_save(make_plan(2, org="テスト市A"), now=NOW)
    v1.organisation.code = "221309"
    v1.organisation.save()
    v2 = plan_save(make_plan(3, org="テスト市A", version="2.0"), now=NOW, previous=v1)
    b = plan_save(make_plan(2, org="テスト町B", prefecture="岡山県"), now=NOW)
    b.organisation.code = "336998"
    b.organisation.save()
    draft = plan_save(make_plan(1, org="テスト町B", prefecture="岡山県"), now=NOW, status="draft")
    return {"v1": v1, "v2": v2, "b": b, "draft": draft}


def _links(path: Path) -> list[str]:
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    out = [n.attributes.get("href") or "" for n in tree.css("[href]")]
    out += [n.attributes.get("src") or "" for n in tree.css("[src]")]
    out += [n.attributes.get("action") or "" for n in tree.css("form[action]")]
    out += [n.attributes.get("data-index") or "" for n in tree.css("[data-index]")]
    return out


def _broken(out: Path) -> list[str]:
    """Every internal link of every page (and of the search index) that does not name a file in ``out``."""
    broken = []
    for page in out.rglob("*.html"):
        here = page.relative_to(out).as_posix()
        for link in _links(page):
            if link.startswith(("mailto:", "tel:", "https://", "http://")) or link.startswith("#"):
                continue
            path = unquote(urlsplit(link).path)
            if link.startswith("/") or not path:
                broken.append(f"{here}: {link}")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
            if target.startswith("..") or not (out / target).is_file():
                broken.append(f"{here}: {link}")
    index = json.loads((out / "search/index.json").read_text(encoding="utf-8"))
    for row in index["measures"]:
        for link in (row["url"], row["plan_url"]):
            if not (out / posixpath.normpath(posixpath.join("search", link))).is_file():
                broken.append(f"search/index.json: {link}")
    return broken


def test_export_site_is_the_live_portal_with_relative_links(tmp_path: Path, settings) -> None:
    d = _data()
    site = static_site.export_site(tmp_path, base_url=BASE)
    assert site.skipped == [] and site.pages > 0
    assert _broken(tmp_path) == []
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    for p in (d["v1"], d["v2"], d["b"]):
        for name in (
            "index.html",
            "coverage/index.html",
            "gantt/index.html",
            "gantt.svg",
            "plan.json",
            "measures.csv",
        ):
            assert f"plans/{p.pk}/{name}" in files
        for ms in p.measures.all():
            assert f"measures/{ms.pk}/index.html" in files
    assert not any(f.startswith(f"plans/{d['draft'].pk}/") for f in files)
    assert {"index.html", "catalog.ttl", "orgs/221309/index.html", "orgs/336998/catalog.ttl"} <= files
    assert f"compare/{d['v2'].pk}-{d['v1'].pk}/index.html" in files  # the new version against the old
    assert {
        "search/index.html",
        "search/index.json",
        "static/keikaku/site.css",
        "static/keikaku/site-search.js",
    } <= files

    # each page is the live page, its links made relative and its server-only parts out
    settings.KEIKAKU_PUBLIC_URL = BASE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "keikaku.example.lg.jp"]
    client = Client(HTTP_HOST="keikaku.example.lg.jp")  # the live site at the internet-side address
    routes = static_site.routes_for(open_data.site_plans())
    for url, name in routes.pages.items():
        live = client.get(url, secure=True)
        body = (tmp_path / name).read_bytes()
        if not live["Content-Type"].startswith("text/html"):
            assert body == live.content, url  # downloads, SVG, catalogue: byte for byte
            continue
        html = live.content.decode("utf-8")
        if url == "/search/":
            html = static_site._search_page(html)
        assert body.decode("utf-8") == static_site.relativise(html, name, routes.links), url
        live_text = LexborHTMLParser(html).css_first("main").text(separator="\n")
        static_text = LexborHTMLParser(body.decode("utf-8")).css_first("main").text(separator="\n")
        missing = [t for t in static_text.split("\n") if t.strip() and t not in live_text]
        assert missing == [], url  # no words of its own

    plan_page = (tmp_path / f"plans/{d['v2'].pk}/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in plan_page and XSS not in plan_page  # still escaped
    assert re.findall(r"<script\b[^>]*>", plan_page) == ['<script type="application/ld+json">']
    assert f'"@id":"{BASE}/plans/{d["v2"].pk}/#dataset"' in plan_page
    assert "/manage/" not in plan_page and "/language/" not in plan_page and "<form" not in plan_page
    assert 'href="../../index.html"' in plan_page  # the home page, relatively
    assert f"{BASE}/plans/{d['v2'].pk}/plan.json" in (tmp_path / "catalog.ttl").read_text(encoding="utf-8")
    feed = tmp_path / f"plans/{d['v2'].pk}/feed.xml"
    if feed.is_file():  # the progress feed, where the site has one: its links name the public address
        assert "testserver" not in feed.read_text(encoding="utf-8")
    compare = (tmp_path / f"plans/{d['v2'].pk}/index.html").read_text(encoding="utf-8")
    assert f'href="../../compare/{d["v2"].pk}-{d["v1"].pk}/index.html"' in compare

    # the search: the form submits to its own page, site-search.js searches search/index.json
    page = (tmp_path / "search/index.html").read_text(encoding="utf-8")
    assert '<form method="get" action="index.html"' in page and 'data-index="index.json"' in page
    assert '<script src="../static/keikaku/site-search.js" defer' in page
    assert 'id="static-results"' in page
    rows = json.loads((tmp_path / "search/index.json").read_text(encoding="utf-8"))["measures"]
    assert len(rows) == sum(p.measures.count() for p in (d["v1"], d["v2"], d["b"]))
    first = d["v2"].measures.order_by("order").first()
    row = next(r for r in rows if r["url"] == f"../measures/{first.pk}/index.html")
    assert row["title"] == first.title and row["plan_url"] == f"../plans/{d['v2'].pk}/index.html"
    assert row["prefecture"] == "静岡県" and 2025 in row["fiscal_years"]


def test_export_site_for_one_organisation_by_the_command(tmp_path: Path, capsys) -> None:
    d = _data()
    out = tmp_path / "site"
    assert main(["export-site", str(out), "--org", "336998", "--base-url", BASE]) == 0
    assert "ページ" in capsys.readouterr().out
    assert _broken(out) == []
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert f"plans/{d['b'].pk}/index.html" in files
    assert not any(
        f.startswith((f"plans/{d['v1'].pk}/", f"plans/{d['v2'].pk}/", "orgs/221309/")) for f in files
    )
    assert "catalog.ttl" not in files and "orgs/336998/catalog.ttl" in files
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "テスト町B" in home and "テスト市A" not in home  # the organisation's page is the home page
    assert main(["export-site", str(tmp_path / "none"), "--org", "999999"]) == 3
    assert main(["export-site", str(tmp_path / "x"), "--base-url", "ftp://example.jp"]) == 2
