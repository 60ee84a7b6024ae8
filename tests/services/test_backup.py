"""`keikaku backup` / `keikaku restore` (issue 12, item 7), each run as its own process on its own database:
a backup taken while another process writes is consistent; SQLite → PostgreSQL → SQLite gives back every
row (plans, history, progress, users, tokens, lockouts) and every stored file, byte for byte; a non-empty
database, a damaged archive and an existing FILE are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("KEIKAKU_TEST_DATABASE_URL", "")


def _env(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["KEIKAKU_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _keikaku(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        [sys.executable, "-m", "keikaku.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert r.returncode == 0, r.stderr[-3000:]
    return r


def _world(env: dict[str, str], *args: str) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "tests.services.backup_world", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def _rows(archive: Path) -> dict[tuple[str, object], dict]:
    """Every row of an archive by (model, pk), many-to-many lists sorted (their order is not data)."""
    rows = {}
    with zipfile.ZipFile(archive) as zf:
        for line in zf.read("data.jsonl").decode().splitlines():
            obj = json.loads(line)
            fields = {
                k: sorted(v) if isinstance(v, list) and k in M2M else v for k, v in obj["fields"].items()
            }
            rows[(obj["model"], obj["pk"])] = fields
    return rows


M2M = {"groups", "user_permissions", "departments"}


def _files(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        return {f"{f['model']}/{f['pk']}/{f['field']}": zf.read(f["entry"]) for f in manifest["files"]}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A SQLite database with the test characters and a token (made once for the module), and its backup."""
    base = tmp_path_factory.mktemp("backup")
    env = _env(base / "sqlite-a")
    out = _world(env, "seed")
    token = out.split("TOKEN ", 1)[1].split()[0]
    _keikaku(env, "unlock", "nobody")  # the command runs on an empty lockout table
    _keikaku(env, "backup", str(base / "a.zip"))
    return base, token


def test_backup_holds_every_kind_of_record(seeded: tuple[Path, str]) -> None:
    base, _token = seeded
    rows = _rows(base / "a.zip")
    kinds = Counter(model for model, _pk in rows)
    for model in (
        "auth.user",
        "accounts.apitoken",
        "accounts.membership",
        "plans.plan",
        "plans.measure",
        "plans.historicalplan",
        "plans.historicalmeasure",
        "plans.sourcefile",
        "progress.progressreport",
        "progress.historicalprogressreport",
        "progress.kpiactual",
        "search.measuredocument",
    ):
        assert kinds[model] >= 1, model
    assert "sessions.session" not in kinds
    files = _files(base / "a.zip")
    assert len(files) == 1 and next(iter(files.values())).endswith(bytes(range(256)))
    assert all("content" not in f for (m, _), f in rows.items() if m == "plans.sourcefile")


def test_restore_refuses_a_non_empty_database_and_a_damaged_archive(seeded: tuple[Path, str]) -> None:
    base, _token = seeded
    r = _keikaku(_env(base / "sqlite-a"), "restore", str(base / "a.zip"), ok=False)
    assert r.returncode == 2 and "空ではありません" in r.stderr
    damaged = base / "damaged.zip"
    with zipfile.ZipFile(base / "a.zip") as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(
                item, data.replace(b'"alice"', b'"mallory"') if item.filename == "data.jsonl" else data
            )
    r = _keikaku(_env(base / "sqlite-damaged"), "restore", str(damaged), ok=False)
    assert r.returncode == 2 and "壊れています" in r.stderr
    assert not (base / "sqlite-damaged" / "keikaku.sqlite3").exists()  # checked before anything is made
    r = _keikaku(_env(base / "sqlite-a"), "backup", str(base / "a.zip"), ok=False)
    assert r.returncode == 2 and "--force" in r.stderr


def test_restore_into_sqlite_gives_everything_back(seeded: tuple[Path, str]) -> None:
    base, token = seeded
    env = _env(base / "sqlite-b")
    assert "checksums ok" in _keikaku(env, "restore", "--check", str(base / "a.zip")).stdout
    _keikaku(env, "restore", str(base / "a.zip"))
    _keikaku(env, "backup", str(base / "b.zip"))
    assert _rows(base / "b.zip") == _rows(base / "a.zip")
    assert _files(base / "b.zip") == _files(base / "a.zip")
    assert "TOKEN-USER alice" in _world(env, "check", token)


@pytest.fixture
def pg_database() -> str:
    """A new, empty PostgreSQL database on the server of KEIKAKU_TEST_DATABASE_URL (dropped afterwards)."""
    if not PG:
        pytest.skip("KEIKAKU_TEST_DATABASE_URL is not set: restore into PostgreSQL not tried")
    import psycopg

    name = f"keikaku_restore_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(PG)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sqlite_to_postgresql_and_back(seeded: tuple[Path, str], pg_database: str) -> None:
    base, token = seeded
    pg_env = _env(base / "pg-data", pg_database)
    _keikaku(pg_env, "restore", str(base / "a.zip"))
    _keikaku(pg_env, "backup", str(base / "pg.zip"))
    with zipfile.ZipFile(base / "pg.zip") as zf:
        assert json.loads(zf.read("manifest.json"))["database"] == "postgresql"
    assert _rows(base / "pg.zip") == _rows(base / "a.zip")
    assert _files(base / "pg.zip") == _files(base / "a.zip")
    out = _world(pg_env, "check", token)  # (after the backup: it records the token's use)
    assert "TOKEN-USER alice" in out and "PASSWORD-OK True" in out
    back = _env(base / "sqlite-from-pg")
    _keikaku(back, "restore", str(base / "pg.zip"))
    _keikaku(back, "backup", str(base / "back.zip"))
    assert _rows(base / "back.zip") == _rows(base / "a.zip")
    assert _files(base / "back.zip") == _files(base / "a.zip")
    assert "TOKEN-USER alice" in _world(back, "check", token)


def test_backup_while_another_process_writes(tmp_path: Path) -> None:
    env = _env(tmp_path / "busy")
    _keikaku(env, "migrate")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.services.backup_world", "write", str(stop)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        while int(writer.stdout.readline() or 0) < 5:  # writes are going on
            assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
        archives = []
        for i in range(2):
            archives.append(tmp_path / f"busy-{i}.zip")
            _keikaku(env, "backup", str(archives[-1]))
        stop.touch()
        assert writer.wait(timeout=60) == 0, writer.stderr.read() if writer.stderr else ""
    finally:
        stop.touch()
        if writer.poll() is None:
            writer.kill()
    counts = []
    for archive in archives:
        rows = _rows(archive)
        plans = {pk: f for (m, pk), f in rows.items() if m == "plans.plan"}
        measures = Counter(f["plan"] for (m, _), f in rows.items() if m == "plans.measure")
        sources = {f["plan"] for (m, _), f in rows.items() if m == "plans.sourcefile"}
        for pk, plan in plans.items():  # every plan whole: all its measures and its file, or not there at all
            assert measures[pk] == int(plan["title"].split()[-1]), plan["title"]
            assert pk in sources
        assert set(measures) <= set(plans)
        counts.append(len(plans))
    # the last one loads: no row without the rows it refers to
    _keikaku(_env(tmp_path / "restored"), "restore", str(archives[-1]))
    assert (
        counts == sorted(counts) and counts[0] >= 5 and counts[-1] > counts[0]
    )  # taken while plans were added
