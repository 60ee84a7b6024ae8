"""Accessibility of the logged-in pages in a real browser: the real server (``keikaku demo``, the demo_server
fixture in conftest.py) with a user holding the admin role, an open reporting period, a submitted report and a
next plan version (tests/browser/manage_setup.py, run with the server's KEIKAKU_DATA_DIR); Chromium logs
in through the real login form (tests/browser/js/audit_manage.mjs) and axe-core checks every manage page
at WCAG 2.1 AA at 1280 and 390 px (where the page must not scroll sideways: its tables become cards), in
Japanese and, for a few pages, in English.

Skips like test_axe.py when chromium, node or the npm packages are absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import JS, ROOT, axe_failures, server_env, tools

pytestmark = pytest.mark.browser

USERNAME = "axe-admin"
PASSWORD = "axe-Correct-Horse-2026"


@pytest.fixture(scope="module")
def site(demo_server: tuple[str, Path]) -> tuple[str, dict[str, Any]]:
    """The demo server, then the admin user and PDCA records in the same database."""
    base, data = demo_server
    setup = subprocess.run(
        [sys.executable, "-m", "tests.browser.manage_setup", USERNAME, PASSWORD],
        cwd=ROOT,
        env=server_env(data),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    return base, json.loads(setup.stdout.strip().splitlines()[-1])


def _pages(base: str, ids: dict[str, Any]) -> list[dict[str, Any]]:
    plan, period, measure, fy = ids["plan"], ids["period"], ids["measure"], ids["fiscal_year"]
    m = f"{base}/manage"
    pages = [
        ("index", f"{m}/"),
        ("plan-progress", f"{m}/plans/{plan}/?period={period}"),
        ("period-edit", f"{m}/periods/{period}/"),
        ("report-edit", f"{m}/periods/{period}/measures/{measure}/report/"),
        ("report-detail", f"{m}/reports/{ids['report']}/"),
        ("evaluation", f"{m}/measures/{measure}/evaluations/{fy}/"),
        ("dashboard", f"{base}/plans/{plan}/progress/?period={period}"),
        ("workbooks", f"{m}/periods/{period}/workbooks/"),
        ("history", f"{m}/measures/{measure}/history/"),
        ("diff", f"{m}/plans/{plan}/diff/{ids['new_plan']}/"),
        ("departments", f"{m}/organisations/{ids['organisation']}/departments/"),
        ("profile", f"{base}/accounts/profile/"),
        ("evaluation-grid", f"{m}/plans/{plan}/evaluations/{fy}/"),
        ("measure-progress", f"{base}/measures/{ids['approved_measure']}/"),  # the public page, with progress
        ("plan-public", f"{base}/plans/{plan}/"),
    ]
    english = ("index", "plan-progress", "report-edit", "dashboard", "workbooks", "profile")
    specs: list[dict] = [{"name": name, "url": url, "locale": "ja-JP"} for name, url in pages]
    # the same pages on a phone (390 px): stacked tables, scrollable charts reachable by keyboard
    specs += [{"name": f"{name}-390", "url": url, "locale": "ja-JP", "width": 390} for name, url in pages]
    specs += [{"name": f"{name}-en", "url": url, "locale": "en-US"} for name, url in pages if name in english]
    # error states: the same pages after a form is sent with something the server refuses
    evidence = {"ja-JP": "根拠資料のリンク（1 行に 1 件、http(s) の URL）", "en-US": "Links to evidence"}
    for locale, suffix in (("ja-JP", ""), ("en-US", "-en")):
        specs.append(
            {
                "name": f"report-edit-error{suffix}",
                "url": f"{m}/periods/{period}/measures/{measure}/report/",
                "locale": locale,
                "fill": {evidence[locale]: "ftp://example.jp/not-http"},
                "submit": "main button[name=save]",
            }
        )
    for width, suffix in ((1280, ""), (390, "-390")):  # a workbook refused: its problems in a table
        specs.append(
            {
                "name": f"workbooks-error{suffix}",
                "url": f"{m}/periods/{period}/workbooks/",
                "locale": "ja-JP",
                "width": width,
                "files": {"#files": ids["bad_workbook"]},
                "submit": "main form button[type=submit]",
            }
        )
    specs.append(  # a period for a year that already has one
        {
            "name": "period-new-error",
            "url": f"{m}/plans/{plan}/?period={period}",
            "locale": "ja-JP",
            "fill": {"年度（西暦）": str(fy)},
            "submit": "#h-new-period ~ form button[type=submit]",
        }
    )
    return specs


def _audit(base: str, pages: list[dict[str, Any]]) -> dict:
    node, chromium = tools()
    config = json.dumps(
        {
            "chromium": chromium,
            "base": base,
            "username": USERNAME,
            "password": PASSWORD,
            "pages": pages,
            "extraTags": ["best-practice"],
        }
    )
    run = subprocess.run(
        [node, str(JS / "audit_manage.mjs"), config], cwd=JS, capture_output=True, text=True, timeout=400
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_logged_in_pages_have_no_axe_violations(site: tuple[str, dict[str, Any]]) -> None:
    base, ids = site
    pages = _pages(base, ids)
    out = _audit(base, pages)
    # the real login form worked in both languages and led to the manage index
    assert set(out["login"]) == {"ja-JP", "en-US"}
    for locale, login in out["login"].items():
        assert login["landed"] == "/manage/", (locale, login)
        assert login["audit"]["status"] == 200
    assert out["login"]["ja-JP"]["audit"]["h1"] == "ログイン"
    assert out["login"]["en-US"]["audit"]["h1"] == "Log in"
    results = out["pages"]
    assert [r["name"] for r in results] == [p["name"] for p in pages]
    for r in results:
        # every page was shown to the logged-in user (no redirect to the login page, no error)
        assert not r["path"].startswith("/accounts/login"), r
        if "-error" in r["name"]:
            assert r["status"] in (400, 409) and r["alert"], r
        else:
            assert r["status"] == 200, r
        assert r["lang"] == ("en" if r["name"].endswith("-en") else "ja"), r
        # the page itself never scrolls sideways, on a phone either: tables become cards (scrolling inside
        # a focusable region, the dashboard's charts, is fine)
        width = 390 if "-390" in r["name"] else 1280
        assert r["scrollWidth"] <= width + 1, (r["name"], width, r["scrollWidth"])
        # on a phone every table is shown as cards (one per row), on a desktop none is
        assert r["cards"] == (r["tables"] if width == 390 else 0), r
    assert sum("-390" in r["name"] for r in results) >= 15
    tables = {r["name"]: r["tables"] for r in results}
    for name in ("index", "plan-progress", "dashboard", "workbooks", "diff", "departments", "profile"):
        assert tables[name] >= 1 and tables[name + "-390"] == tables[name], (name, tables)
    assert tables["workbooks-error"] == tables["workbooks-error-390"] == tables["workbooks"] + 1, tables
    headings = {r["name"]: r["h1"] for r in results}
    assert headings["index"] == "進行管理" and headings["index-en"] == "Progress management"
    assert headings["dashboard-en"] == "Progress dashboard"
    logins = [out["login"][loc]["audit"] for loc in ("ja-JP", "en-US")]
    assert axe_failures(logins + results) == {}, json.dumps(
        axe_failures(logins + results), ensure_ascii=False, indent=1
    )
