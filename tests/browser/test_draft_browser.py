"""Drafting a plan from the guide in a real browser (``keikaku demo``: its fictional catalogue and the
village with no plan yet, ひなた村; Chromium, axe-core): the demo user alice walks the wizard with the
keyboard alone and picks eight example measures; the draft opens in the plan editor with the compliance
panel; the wizard's pages, the editor and the gap report have no axe violation at 1280 and 390 px and do
not scroll sideways on a phone.

Skips like test_axe.py when chromium, node or the npm packages are absent."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from keikaku.services.demo import DEMO_PASSWORD
from tests.browser.conftest import JS, tools

pytestmark = pytest.mark.browser


def test_the_wizard_by_keyboard_and_its_pages_have_no_axe_violations(demo_server: tuple[str, Path]) -> None:
    base, _data = demo_server
    node, chromium = tools()
    config = {
        "chromium": chromium,
        "base": base,
        "username": "alice",
        "password": DEMO_PASSWORD,
        "organisation": "ひなた村",
        "picks": 8,
    }
    run = subprocess.run(
        [node, str(JS / "draft_flow.mjs"), json.dumps(config)],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)
    walk = out["walk"]
    assert walk["organisation"].endswith("ひなた村") and walk["offered"] == 11, walk
    assert len(walk["picked"]) == 8 and walk["rows"] == 8, walk
    assert walk["h1"] == "計画の編集" and walk["editor"].endswith("/edit/"), walk
    assert walk["status"].startswith("手引から計画の下書きを作りました（施策 8 件）"), walk
    assert walk["panel"] == "手引への適合", walk
    assert "ひなた村官民データ活用推進計画（兼 ひなた村DX推進計画）" in walk["lead"], walk
    assert len(out["pages"]) == 8
    for r in out["pages"]:
        assert r["status"] == 200 and r["h1"], r
        assert r["scrollWidth"] <= r["width"] + 1, (r["name"], r["width"], r["scrollWidth"])
    failures = {f"{r['name']}@{r['width']}": r["violations"] for r in out["pages"] if r["violations"]}
    assert failures == {}, json.dumps(failures, ensure_ascii=False, indent=1)
