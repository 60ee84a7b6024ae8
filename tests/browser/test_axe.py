"""Accessibility in a real browser: the real server (waitress, ``keikaku demo``) on the demo data, Debian's
headless Chromium driven by playwright-core (tests/browser/js/audit.mjs), axe-core at WCAG 2.1 AA over
every public page type, and keyboard-only navigation (skip link, focus order).

Skips with the reason when chromium, node or the npm packages (``npm ci --prefix tests/browser/js``)
are absent; nothing downloads a browser.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.conftest import JS, axe_failures, get, tools

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_server: tuple[str, Path]) -> str:
    return demo_server[0]


def _pages(base: str) -> list[dict[str, str]]:
    """One URL of every public page type, found by following the demo data's own links."""
    _status, home = get(base + "/")
    plan_ids = sorted({int(x) for x in re.findall(r'href="/plans/(\d+)/"', home)})
    assert len(plan_ids) >= 2, "the demo data should hold two plans"
    plan = f"{base}/plans/{plan_ids[0]}/"
    _status, plan_html = get(plan)
    measure_id = re.findall(r'href="/measures/(\d+)/"', plan_html)[0]
    both = "&".join(f"plans={i}" for i in plan_ids[:2])
    org = re.findall(r'href="/orgs/(\d+)/"', home)[0]
    pages = [
        {"name": "home", "url": base + "/"},
        {"name": "plan", "url": plan},
        {"name": "plan-filtered", "url": plan + "?pillar=A&flag=priority"},
        {"name": "measure", "url": f"{base}/measures/{measure_id}/"},
        {"name": "organisation", "url": f"{base}/orgs/{org}/"},
        {"name": "coverage", "url": plan + "coverage/"},
        {"name": "gantt", "url": plan + "gantt/"},
        {"name": "compare-form", "url": base + "/compare/"},
        {"name": "compare", "url": f"{base}/compare/?{both}"},
        {"name": "compare-bad", "url": base + "/compare/?plans=%3Cscript%3E"},
        {"name": "search", "url": base + "/search/?q=" + quote("マイナンバーカード")},  # <mark> in results
        {"name": "search-suggestion", "url": base + "/search/?q=" + quote("オンラン")},  # 「もしかして」
        {"name": "not-found", "url": base + "/plans/999999/"},
        {"name": "progress", "url": plan + "progress/"},
    ]
    # every page again on a phone (390 px): tables as cards, charts in keyboard-reachable regions
    phone = [{**p, "name": p["name"] + "-390", "width": 390} for p in pages]
    english = [
        {"name": "home-en", "url": base + "/", "locale": "en-US"},
        {"name": "plan-en", "url": plan, "locale": "en-US"},
        {"name": "gantt-390-en", "url": plan + "gantt/", "locale": "en-US", "width": 390},
    ]
    return pages + phone + english


def _audit(mode: str, pages: list[dict[str, str]]) -> list[dict]:
    node, chromium = tools()
    config = json.dumps({"chromium": chromium, "mode": mode, "pages": pages})
    run = subprocess.run(
        [node, str(JS / "audit.mjs"), config], cwd=JS, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)["pages"]


def test_axe_wcag21aa_no_violations(server: str) -> None:
    pages = _pages(server)
    results = _audit("axe", pages)
    assert [r["name"] for r in results] == [p["name"] for p in pages]
    expected = {"not-found": 404, "compare-bad": 400}
    for r in results:
        assert r["status"] == expected.get(r["name"].removesuffix("-390"), 200), r
        # the page itself never scrolls sideways (scrolling inside a focusable region is fine)
        assert r["scrollWidth"] <= r["width"] + 1, (r["name"], r["width"], r["scrollWidth"])
        # on a phone every table is shown as cards (one per row), on a desktop none is
        assert r["cards"] == (r["tables"] if r["width"] == 390 else 0), r
    assert {r["width"] for r in results} == {1280, 390}
    tables = {r["name"]: r["tables"] for r in results}
    for name in ("coverage", "gantt", "compare", "measure", "progress"):  # pages whose tables were audited
        assert tables[name] >= 1 and tables[name + "-390"] == tables[name], tables
    assert {r["lang"] for r in results if r["name"].endswith("-en")} == {"en"}
    assert {r["lang"] for r in results if not r["name"].endswith("-en")} == {"ja"}
    failures = axe_failures(results)
    assert failures == {}, json.dumps(failures, ensure_ascii=False, indent=1)


def test_keyboard_skip_link_and_focus_order(server: str) -> None:
    pages = [
        p for p in _pages(server) if p["name"] in ("home", "plan", "measure", "coverage", "gantt", "compare")
    ]
    for r in _audit("keyboard", pages):
        name = r["name"]
        first = r["first"]
        assert first and first["href"] == "#main" and "skip-link" in (first["cls"] or ""), (name, first)
        assert first["onScreen"] and first["outline"], (
            f"{name}: the focused skip link must be visible: {first}"
        )
        assert r["afterSkip"] and r["afterSkip"]["id"] == "main", (name, r["afterSkip"])
        nxt = r["next"]
        assert nxt and nxt["inMain"], f"{name}: Tab after the skip link should stay in main: {nxt}"
        stops = [s for s in r["stops"] if s]
        assert len(stops) >= 5, (name, r["stops"])
        assert r["inDocumentOrder"]["ok"], (name, r["inDocumentOrder"], stops)
        # every control reached is visible and shows where focus is
        for s in stops:
            assert s["onScreen"], (name, s)
            assert s["outline"] or s["tag"] == "main", f"{name}: no visible focus on {s}"
