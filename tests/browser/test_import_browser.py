"""The web import in a real browser against the real server (``keikaku demo``, which starts the worker):
Alice uploads a plan document, the upload returns at once, the job page shows its progress in a polite status
region and turns into the review by itself — through htmx with JavaScript, through the ``<noscript>`` meta
refresh without — and both pages pass axe (WCAG 2.1 AA and best practices) at 1280 and 390 px with the
Content-Security-Policy on, without scrolling sideways. Skips like test_axe.py when chromium, node or the npm packages are absent."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import JS, tools
from tests.ingest import doc_fixtures as fixtures

pytestmark = pytest.mark.browser


def test_upload_progress_and_review_in_a_browser(demo_server: tuple[str, Path], tmp_path: Path) -> None:
    base, _data = demo_server
    node, chromium = tools()
    plan = fixtures.write_plan_docx(tmp_path / "みどり市計画.docx")
    slow = fixtures.write_plan_pdf(tmp_path / "みどり市計画（100ページ）.pdf", pages=100)
    config = {
        "chromium": chromium,
        "base": base,
        "username": "alice",
        "password": "keikaku-demo",
        "file": str(plan),
        "slowFile": str(slow),
    }
    run = subprocess.run(
        [node, str(JS / "import_flow.mjs"), json.dumps(config)],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    runs = json.loads(run.stdout)["runs"]
    assert [(r["js"], r["width"]) for r in runs] == [(True, 1280), (True, 390), (False, 1280)]
    for r in runs:
        assert r["answered"] < 5000, r  # the upload does not wait for the document to be read
        assert r["job"]["path"].startswith("/manage/import/jobs/"), r
        assert r["review"]["path"] == r["job"]["path"] and "取り込みの確認" in r["review"]["h1"], r
        if r["job"]["h1"].startswith("計画書の取り込み"):  # caught before it was read
            assert r["job"]["live"] == "polite" and r["job"]["status"], r
        # neither page scrolls sideways, on a phone either: the review's table of measures becomes cards
        for page in (r["job"], r["review"]):
            assert page["scrollWidth"] <= r["width"] + 1, (r["width"], page["path"], page["scrollWidth"])
            assert page["cards"] == (page["tables"] if r["width"] == 390 else 0), page  # cards on a phone
        assert r["review"]["tables"] >= 1, r["review"]
        assert r["job"]["violations"] == [] and r["review"]["violations"] == [], json.dumps(
            r, ensure_ascii=False, indent=1
        )
