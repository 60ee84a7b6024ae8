"""Accessibility of the logged-in pages in a real browser: the real server (``keikaku demo``, started as
in test_axe.py) with a user holding the admin role, an open reporting period, a submitted report and a
next plan version (tests/browser/manage_setup.py, run with the server's KEIKAKU_DATA_DIR); Chromium logs
in through the real login form (tests/browser/js/audit_manage.mjs) and axe-core checks every manage page
at WCAG 2.1 AA, in Japanese and, for a few pages, in English.

Skips like test_axe.py when chromium, node or the npm packages are absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_axe import JS, _free_port, _get, _tools

pytestmark = pytest.mark.browser

ROOT = JS.parent.parent.parent
USERNAME = "axe-admin"
PASSWORD = "axe-Correct-Horse-2026"


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(KEIKAKU_DATA_DIR=str(data), KEIKAKU_DEBUG="0")
    return env


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    """``keikaku demo`` on a fresh SQLite file, then the admin user and PDCA records in the same database."""
    _tools()
    data = tmp_path_factory.mktemp("browser-manage-data")
    port = _free_port()
    log = (data / "server.log").open("w")
    cmd = [sys.executable, "-m", "keikaku.cli", "demo", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--threads", "4"], cwd=ROOT, env=_env(data), stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {(data / 'server.log').read_text()[-2000:]}")
            try:
                if _get(base + "/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not start in 90 s")
            time.sleep(0.3)
        setup = subprocess.run(
            [sys.executable, "-m", "tests.browser.manage_setup", USERNAME, PASSWORD],
            cwd=ROOT,
            env=_env(data),
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert setup.returncode == 0, setup.stderr[-3000:]
        yield base, json.loads(setup.stdout.strip().splitlines()[-1])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _pages(base: str, ids: dict[str, int]) -> list[dict[str, str]]:
    plan, period, measure, fy = ids["plan"], ids["period"], ids["measure"], ids["fiscal_year"]
    m = f"{base}/manage"
    pages = [
        ("index", f"{m}/"),
        ("plan-progress", f"{m}/plans/{plan}/?period={period}"),
        ("period-edit", f"{m}/periods/{period}/"),
        ("report-edit", f"{m}/periods/{period}/measures/{measure}/report/"),
        ("report-detail", f"{m}/reports/{ids['report']}/"),
        ("evaluation", f"{m}/measures/{measure}/evaluations/{fy}/"),
        ("dashboard", f"{m}/plans/{plan}/dashboard/?period={period}"),
        ("workbooks", f"{m}/periods/{period}/workbooks/"),
        ("history", f"{m}/measures/{measure}/history/"),
        ("diff", f"{m}/plans/{plan}/diff/{ids['new_plan']}/"),
        ("departments", f"{m}/organisations/{ids['organisation']}/departments/"),
        ("profile", f"{base}/accounts/profile/"),
    ]
    english = ("index", "plan-progress", "report-edit", "dashboard", "workbooks", "profile")
    specs: list[dict] = [{"name": name, "url": url, "locale": "ja-JP"} for name, url in pages]
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


def _audit(base: str, pages: list[dict[str, str]]) -> dict:
    node, chromium = _tools()
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


def _failures(results: list[dict]) -> dict[str, list[str]]:
    return {
        r["name"]: [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in r["violations"]
        ]
        for r in results
        if r["violations"]
    }


def test_logged_in_pages_have_no_axe_violations(site: tuple[str, dict[str, int]]) -> None:
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
    headings = {r["name"]: r["h1"] for r in results}
    assert headings["index"] == "進行管理" and headings["index-en"] == "Progress management"
    assert headings["dashboard-en"] == "Progress dashboard"
    logins = [out["login"][loc]["audit"] for loc in ("ja-JP", "en-US")]
    assert _failures(logins + results) == {}, json.dumps(
        _failures(logins + results), ensure_ascii=False, indent=1
    )
