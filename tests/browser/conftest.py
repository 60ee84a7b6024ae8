"""Shared by the browser tests: the tools they need (skipping with the reason when absent) and the real
server (``keikaku demo``: migrate, load the sample plans, serve with waitress) on a fresh SQLite file."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"
ROOT = JS.parent.parent.parent
CHROMIUM = os.environ.get("KEIKAKU_CHROMIUM", "/usr/bin/chromium")


def tools() -> tuple[str, str]:
    """node and chromium, or a skip saying which is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (apt-get install nodejs npm)")
    for pkg in ("axe-core", "playwright-core"):
        if not (JS / "node_modules" / pkg).is_dir():
            pytest.skip(f"{pkg} is not installed: npm ci --prefix tests/browser/js")
    return node, CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def server_env(data: Path) -> dict[str, str]:
    """This process's environment for a server (or a script) on the SQLite database in ``data``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(KEIKAKU_DATA_DIR=str(data), KEIKAKU_DEBUG="0")
    return env


def axe_failures(results: list[dict]) -> dict[str, list[str]]:
    """Page name → one line per axe violation, for the pages that have any."""
    return {
        r["name"]: [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in r["violations"]
        ]
        for r in results
        if r["violations"]
    }


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``keikaku demo`` on a fresh SQLite file, one per test module: (base URL, its KEIKAKU_DATA_DIR)."""
    tools()
    data = tmp_path_factory.mktemp("browser-data")
    port = free_port()
    log = (data / "server.log").open("w")
    cmd = [sys.executable, "-m", "keikaku.cli", "demo", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--threads", "4"], cwd=ROOT, env=server_env(data), stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {(data / 'server.log').read_text()[-2000:]}")
            try:
                if get(base + "/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not start in 90 s")
            time.sleep(0.3)
        yield base, data
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
