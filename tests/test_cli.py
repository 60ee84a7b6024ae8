"""The keikaku command, run in-process against the test database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
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


def test_validate_strict_turns_consistency_warnings_into_exit_1(tmp_path: Path) -> None:
    from tests.core.test_compliance import complete_plan

    data = json.loads(dump_document(complete_plan()))
    data["measures"][1]["key"] = data["measures"][0]["key"]  # a duplicate key: a warning, not the guide's
    path = tmp_path / "warn.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert main(["validate", "--strict", str(path)]) == 1


def test_validate_prints_the_guide_rules_in_japanese_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Done-when of issue 10: no security chapter and a KPI without a target → two Japanese lines naming
    the rule and the guide's section, exit 2; --lang en prints them in English."""
    from tests.core.test_compliance import complete_plan

    plan = complete_plan()
    plan.sections = [s for s in plan.sections if s.title != "第7章 情報セキュリティと個人情報の保護"]
    plan.measures[3].kpis[0].targets = []
    path = tmp_path / "plan.json"
    path.write_text(dump_document(plan), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2, out
    assert out[0] == "[security-chapter] 総論9: 「セキュリティ及び個人情報の適正な取扱い」の章がありません"
    assert out[1].startswith("[kpi-target] 総論6: 施策「4-① 施策4") and out[1].endswith(
        "に目標値がありません"
    )
    assert main(["validate", "--lang", "en", str(path)]) == 2
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "[security-chapter] 総論9: no chapter on the security and personal information"
    assert "has no target value" in out[1]
    plan.sections = complete_plan().sections
    plan.measures[3].kpis[0].targets = complete_plan().measures[3].kpis[0].targets
    path.write_text(dump_document(plan), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_validate_a_stored_plan_by_id(capsys: pytest.CaptureFixture[str]) -> None:
    from keikaku.services.plans import plan_save
    from tests.core.test_compliance import complete_plan

    plan = complete_plan(contact=None)
    row = plan_save(plan, now=datetime(2026, 4, 1, tzinfo=UTC))
    assert m.Plan.objects.get(pk=row.pk).contact == {}
    capsys.readouterr()
    assert main(["validate", str(row.pk)]) == 2
    assert (
        capsys.readouterr().out.strip()
        == "[contact] 総論4: 問い合わせ先（担当課・電話・電子メール）がありません"
    )


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
