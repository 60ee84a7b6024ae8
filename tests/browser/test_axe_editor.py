"""The plan editor and the version workflow in a real browser (``keikaku demo``, Chromium, axe-core):
every new page (the workflow page with its three tables of changes, the workbook page with the problems of
a refused upload) has no axe violation (WCAG 2.1 AA and best practice) at 1280 and 390 px wide and does not
scroll sideways on a phone, and a measure is edited with the keyboard alone.

Skips like test_axe.py when chromium, node or the npm packages are absent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import JS, ROOT, server_env, tools

pytestmark = pytest.mark.browser

USERNAME = "axe-editor"
PASSWORD = "axe-Editor-Horse-2026"
NEW_TITLE = "キーボードだけで直した施策名"


@pytest.fixture(scope="module")
def site(demo_server: tuple[str, Path]) -> tuple[str, dict]:
    base, data = demo_server
    setup = subprocess.run(
        [sys.executable, "-m", "tests.browser.editor_setup", USERNAME, PASSWORD],
        cwd=ROOT,
        env=server_env(data),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    return base, json.loads(setup.stdout.strip().splitlines()[-1])


def test_editor_pages_have_no_axe_violations_and_a_measure_is_edited_by_keyboard(
    site: tuple[str, dict],
) -> None:
    base, ids = site
    m, plan, measure = f"{base}/manage", ids["plan"], ids["measure"]
    pages = [
        ("plan-editor", f"{m}/plans/{plan}/edit/"),
        ("measure-editor", f"{m}/measures/{measure}/edit/"),
        ("plan-fields", f"{m}/plans/{plan}/edit/plan/"),
        ("sections", f"{m}/plans/{plan}/edit/sections/"),
        ("policies", f"{m}/plans/{plan}/edit/policies/"),
        ("plan-workbook", f"{m}/plans/{plan}/edit/workbook/"),
        ("measure-title", f"{m}/measures/{measure}/edit/title/"),
        ("workflow", f"{m}/plans/{plan}/workflow/"),
        ("preview", f"{m}/plans/{plan}/preview/"),
        ("history", f"{m}/measures/{measure}/history/"),
    ]
    node, chromium = tools()
    config = {
        "chromium": chromium,
        "base": base,
        "username": USERNAME,
        "password": PASSWORD,
        "pages": [{"name": n, "url": u} for n, u in pages]
        + [  # the workbook page after a refused upload: its problems in a table
            {
                "name": "plan-workbook-problems",
                "url": f"{m}/plans/{plan}/edit/workbook/",
                "upload": {
                    "input": "#workbook-file",
                    "file": ids["bad_workbook"],
                    "submit": "main form.editor button",
                },
            }
        ],
        "keyboard": {"url": f"{m}/measures/{measure}/edit/", "title": NEW_TITLE},
        "reorder": {"url": f"{m}/plans/{plan}/edit/"},
    }
    run = subprocess.run(
        [node, str(JS / "audit_editor.mjs"), json.dumps(config)],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=500,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)
    assert len(out["pages"]) == 2 * (len(pages) + 1)
    for r in out["pages"]:
        assert r["status"] == (400 if r["name"] == "plan-workbook-problems" else 200) and r["h1"], r
        # no sideways scrolling of the page on a phone: every table becomes cards (scrolling inside a
        # focusable region is fine)
        assert r["scrollWidth"] <= r["width"] + 1, (r["name"], r["width"], r["scrollWidth"])
        assert r["cards"] == (r["tables"] if r["width"] == 390 else 0), r  # tables as cards on a phone
    tables = {(r["name"], r["width"]): r["tables"] for r in out["pages"]}
    for width in (1280, 390):  # the pages' tables were there to be audited
        assert tables["workflow", width] == 3, tables  # added, deleted and changed measures
        assert tables["plan-workbook-problems", width] == 1 and tables["plan-editor", width] == 1, tables
    failures = {f"{r['name']}@{r['width']}": r["violations"] for r in out["pages"] if r["violations"]}
    assert failures == {}, json.dumps(failures, ensure_ascii=False, indent=1)
    kb = out["keyboard"]
    assert kb["status"] == "保存しました。" and kb["title"] == NEW_TITLE, kb
    # htmx: reordered in place (no page load), focus kept on the button pressed, the result announced
    ro = out["reorder"]
    assert ro["after"] != ro["before"] and ro["focused"] == ro["downId"], ro
    assert ro["status"] == "順番を変えました。", ro
