"""`keikaku serve --workers N`: gunicorn with N worker processes (POSIX); the default stays waitress."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from keikaku.web.server import gunicorn_options

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def test_gunicorn_options() -> None:
    o = gunicorn_options(host="0.0.0.0", port=8123, threads=4, workers=3)
    assert (o["bind"], o["workers"], o["worker_class"], o["threads"]) == ("0.0.0.0:8123", 3, "gthread", 4)
    assert gunicorn_options(host="h", port=1, threads=1, workers=2)["worker_class"] == "sync"


@pytest.mark.skipif(os.name != "posix" or not Path("/proc").is_dir(), reason="gunicorn: POSIX with /proc")
def test_serve_with_workers_runs_gunicorn_processes(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(KEIKAKU_DATA_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-m", "keikaku.cli", "migrate"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "keikaku.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    body = r.read().decode()
                break
            except (OSError, urllib.error.URLError):
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert r.status == 200 and '<html lang="ja">' in body
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/plans/999/", timeout=5)
        assert e.value.code == 404
        children = {
            pid: Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in _children(proc.pid)
        }
        job_workers = [pid for pid, cmd in children.items() if b"worker" in cmd and b"keikaku.cli" in cmd]
        assert len(children) - len(job_workers) == 2  # the gunicorn arbiter and its two workers
        assert len(job_workers) == 1  # and beside them the import-job worker (keikaku worker)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
