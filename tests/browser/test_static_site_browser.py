"""The static copy of the portal (``keikaku export-site``) on the demo data, served by a plain static file
server (``python -m http.server``): every link of every page answers 200 from that server, axe-core
finds no WCAG 2.1 AA violation on any page type at 1280 and 390 px (where no page scrolls sideways), and
the search page finds measures in the browser (site-search.js over search/index.json, no server)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.browser.conftest import JS, ROOT, axe_failures, free_port, get, server_env, tools

pytestmark = pytest.mark.browser

# a second version of the first sample plan, so that the copy holds a comparison of versions
REVISE = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "keikaku.web.settings"
django.setup()
from datetime import UTC, datetime
from keikaku.db.plans.models import Plan
from keikaku.services.plans import plan_export, plan_save
first = Plan.objects.order_by("pk").first()
doc = plan_export(first.pk).model_copy(update={"version": "2.0", "published": "2026-04"})
doc = doc.model_copy(update={"measures": doc.measures[:-3]})
plan_save(doc, now=datetime(2026, 4, 1, tzinfo=UTC), previous=first)
"""


def _status(url: str) -> int:
    """The status of a GET (the body may be a PDF: not decoded)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _run(args: list[str], env: dict[str, str]) -> None:
    run = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo (and a second version of its first plan) exported, served by python -m http.server."""
    tools()
    data, out = tmp_path_factory.mktemp("static-data"), tmp_path_factory.mktemp("static-site")
    env = server_env(data)
    _run([sys.executable, "-m", "keikaku.cli", "demo", "--no-serve"], env)
    _run([sys.executable, "-c", REVISE], env)
    _run(
        [
            sys.executable,
            "-m",
            "keikaku.cli",
            "export-site",
            str(out),
            "--base-url",
            "https://keikaku.example.lg.jp",
        ],
        env,
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(base)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "http.server did not start"
            time.sleep(0.2)
        yield base, out
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_every_link_answers_from_the_static_server(static_site: tuple[str, Path]) -> None:
    base, out = static_site
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(pages) > 40
    checked: dict[str, int] = {}
    for page in pages:
        url = base + quote(page)
        status, html = get(url)
        assert status == 200, page
        tree = LexborHTMLParser(html)
        links = [n.attributes.get("href") or "" for n in tree.css("[href]")]
        links += [n.attributes.get("src") or "" for n in tree.css("[src]")]
        for link in links:
            if link.startswith(("#", "mailto:", "tel:")) or urlsplit(link).scheme in ("http", "https"):
                continue
            target = urljoin(url, link).split("#")[0]
            assert target.startswith(base), f"{page}: {link} leaves the folder"
            if target not in checked:
                checked[target] = _status(target)
            assert checked[target] == 200, f"{page}: {link}"
    assert any(t.endswith("plan.json") for t in checked) and any(t.endswith(".css") for t in checked)


def test_axe_on_every_static_page_type(static_site: tuple[str, Path]) -> None:
    base, out = static_site
    plan = min(out.glob("plans/*/index.html"), key=lambda p: int(p.parent.name)).parent.name
    measure = next(iter(sorted(out.glob("measures/*/index.html")))).parent.name
    compare = next(iter(out.glob("compare/*/index.html"))).parent.name
    org = next(iter(out.glob("orgs/*/index.html"))).parent.name
    types = {
        "home": "index.html",
        "organisation": f"orgs/{org}/index.html",
        "plan": f"plans/{plan}/index.html",
        "coverage": f"plans/{plan}/coverage/index.html",
        "gantt": f"plans/{plan}/gantt/index.html",
        "measure": f"measures/{measure}/index.html",
        "compare": f"compare/{compare}/index.html",
        "search": "search/index.html",
    }
    if (
        out / f"plans/{plan}/progress/index.html"
    ).is_file():  # the public progress page, where the site has it
        types["progress"] = f"plans/{plan}/progress/index.html"
    pages = [
        {"name": f"{name}-{width}", "url": base + path, "width": width}
        for name, path in types.items()
        for width in (1280, 390)
    ]
    # the search in the browser: results for a word the demo plans use
    pages.append(
        {
            "name": "search-results",
            "url": base + "search/index.html?q=" + quote("電子申請"),
            "waitFor": "#static-results ol.results li a",
        }
    )
    node, chromium = tools()
    config = json.dumps({"chromium": chromium, "mode": "axe", "pages": pages})
    run = subprocess.run(
        [node, str(JS / "audit.mjs"), config], cwd=JS, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout)["pages"]
    assert [r["status"] for r in results] == [200] * len(pages)
    for r in results:  # no page scrolls sideways, on a phone either: its tables become cards
        assert r["scrollWidth"] <= r["width"] + 1, (r["name"], r["width"], r["scrollWidth"])
        assert r["cards"] == (r["tables"] if r["width"] == 390 else 0), r  # tables as cards on a phone
    tables = {r["name"]: r["tables"] for r in results}
    for name in ("coverage", "gantt", "measure", "compare"):
        assert tables[f"{name}-390"] == tables[f"{name}-1280"] >= 1, tables
    failures = axe_failures(results)
    assert failures == {}, json.dumps(failures, ensure_ascii=False, indent=1)
