"""A real worker, no mocks: `keikaku serve` starts `keikaku worker` as its child, the worker takes the queued
import job from the database (SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL),
reads the document in the bounded child process, and the uploader stores the draft; `keikaku worker --batch`
runs alone. Every step is a separate process, as in production."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.database  # runs again in the PostgreSQL pass

# one step in its own process: set up Django on the environment's database and act as "alice"
STEP = r"""
import sys
from datetime import UTC, datetime
from pathlib import Path
from keikaku.web.bootstrap import setup
setup()
from django.contrib.auth import get_user_model
from keikaku.services import imports, jobs
now = datetime.now(UTC)
alice, _ = get_user_model().objects.get_or_create(username="alice", defaults={"is_superuser": True})
step = sys.argv[1]
if step == "submit":
    path = Path(sys.argv[2])
    print(jobs.import_submit(alice, path.name, [path.read_bytes()], now=now).token)
elif step == "state":
    job = jobs.import_job_get(alice, sys.argv[2], now=now)
    print(job.state, job.message)
elif step == "wait":  # the state once the job is no longer queued or being read (or after argv[3] seconds)
    import time
    deadline = time.monotonic() + float(sys.argv[3])
    while True:
        job = jobs.import_job_get(alice, sys.argv[2], now=datetime.now(UTC))
        if job.state not in ("queued", "reading") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    print(job.state, job.message)
elif step == "store":
    row = imports.import_store(alice, sys.argv[2], now=now)
    print(row.pk, row.status, row.measures.count())
"""


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of the processes: their own data dir and database (a SQLite file; on PostgreSQL a
    database made for this test and dropped after it)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KEIKAKU_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(ROOT)
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        yield env
        return
    import psycopg

    name = f"keikaku_worker_{secrets.token_hex(4)}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env["DATABASE_URL"] = f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    r = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout.strip()


def _step(env: dict[str, str], *args: str) -> str:
    return _run(env, "-c", STEP, *args)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree from /proc")
def test_serve_starts_a_worker_that_reads_the_upload(env: dict[str, str], tmp_path: Path) -> None:
    from tests.web.import_docs import write_town_plan_docx

    _run(env, "-m", "keikaku.cli", "migrate")
    token = _step(env, "submit", str(write_town_plan_docx(tmp_path / "さくら市計画.docx")))
    assert _step(env, "state", token).startswith("queued")

    serve = subprocess.Popen(
        [sys.executable, "-m", "keikaku.cli", "serve", "--port", str(_free_port())],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # one process watches the job (a new one for every look cost half a second of CPU each time)
        waiting = subprocess.Popen(
            [sys.executable, "-c", STEP, "wait", token, "120"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        workers: list[int] = []
        while waiting.poll() is None:
            workers = workers or _children(serve.pid)
            time.sleep(0.2)
        out, err = waiting.communicate()
        assert waiting.returncode == 0, err[-3000:]
        state = out.strip()
        assert state.startswith("ready"), state
        assert workers, "serve started no worker process"
    finally:
        serve.send_signal(signal.SIGINT)
        _, err = serve.communicate(timeout=30)
    assert "取り込みのワーカーを起動しました" in err.decode()
    time.sleep(0.5)
    assert not any(Path(f"/proc/{w}").exists() and "zombie" not in _status(w) for w in workers)

    pk, status, measures = _step(env, "store", token).split()
    assert status == "draft" and int(measures) == 2


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "zombie"


def test_worker_batch_runs_the_queue_alone(env: dict[str, str], tmp_path: Path) -> None:
    _run(env, "-m", "keikaku.cli", "migrate")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "diary.txt").write_text("今日は晴れ。散歩をした。\n", encoding="utf-8")
    tokens = [_step(env, "submit", str(tmp_path / n)) for n in ("empty.txt", "diary.txt")]
    _run(env, "-m", "keikaku.cli", "worker", "--batch")
    empty, diary = (_step(env, "state", t) for t in tokens)
    assert empty.startswith("failed") and "空" in empty
    assert diary.startswith("failed") and "施策が見つかりません" in diary
    assert not list((tmp_path / "data" / "uploads").glob("*/*.txt"))  # the documents are gone
