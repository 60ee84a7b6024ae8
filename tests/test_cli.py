"""The keikaku command, run in-process against the test database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from keikaku.cli import main
from keikaku.db.plans import models as m
from keikaku.services.plans import dump_document
from tests.factories import make_plan


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(dump_document(make_plan(6)), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_load_then_export_reproduces_the_input_exactly(
    sample_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", str(sample_file)]) == 0
    plan_id = int(capsys.readouterr().out.strip())
    assert main(["export", str(plan_id), "--to", "json"]) == 0
    assert capsys.readouterr().out == sample_file.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_validate_broken_file_exits_2_with_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(dump_document(make_plan(3)))
    data["measures"][1]["pillars"] = [{"code": "X"}]
    data["measures"][2]["schedule"][0]["fiscal_year"] = 1800
    del data["organisation"]["name"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = m.Plan.objects.count()
    assert main(["validate", str(bad)]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert any("measures[1].pillars[0].code" in x for x in lines)
    assert any("measures[2].schedule[0].fiscal_year" in x and "impossible fiscal year" in x for x in lines)
    assert any("organisation.name" in x for x in lines)
    assert main(["load", str(bad)]) == 2
    assert m.Plan.objects.count() == before


def test_validate_strict_turns_warnings_into_exit_1(tmp_path: Path) -> None:
    data = json.loads(dump_document(make_plan(2)))
    data["measures"][0]["kpis"] = []
    path = tmp_path / "warn.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert main(["validate", "--strict", str(path)]) == 1


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe\x00garbage", b"[1,2]", b'"just a string"'])
def test_validate_never_tracebacks(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    assert main(["validate", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_validate_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "/nonexistent/plan.json"]) == 2
    assert "No such file" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_unknown_plan_is_not_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "999999"]) == 3
    assert "999999" in capsys.readouterr().err


@pytest.mark.django_db
def test_list_shows_stored_plans(sample_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["load", str(sample_file)])
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["organisation"] == "テスト市A" and rows[0]["measures"] == 6


def test_cli_runs_as_a_real_process(tmp_path: Path, sample_file: Path) -> None:
    """The installed entry point on a fresh SQLite data directory: load, then export identical text."""
    env = {"KEIKAKU_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    exe = [sys.executable, "-m", "keikaku.cli"]
    load = subprocess.run(
        [*exe, "load", str(sample_file)], capture_output=True, text=True, env=env, check=False
    )
    assert load.returncode == 0, load.stderr
    out = subprocess.run(
        [*exe, "export", load.stdout.strip()], capture_output=True, text=True, env=env, check=False
    )
    assert out.stdout == sample_file.read_text(encoding="utf-8")
