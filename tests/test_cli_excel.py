"""`keikaku progress-export`, `progress-import` and `evaluation-report` on the shared test characters."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from keikaku.cli import main
from keikaku.db.progress import models as gm
from keikaku.export.progress_xlsx import FIRST_ROW, SHEET
from tests.people import People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


def test_export_fill_import(people: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress-export", str(people.period_a.pk), "--user", "bob", "-o", str(tmp_path)]) == 0
    files = sorted(tmp_path.glob("*.xlsx"))
    assert len(files) == 1  # Bob's one department
    wb = load_workbook(io.BytesIO(files[0].read_bytes()))
    wb[SHEET][f"G{FIRST_ROW}"] = "完了"
    wb[SHEET][f"H{FIRST_ROW}"] = 41
    wb.save(files[0])
    capsys.readouterr()
    assert main(["progress-import", str(people.period_a.pk), str(files[0]), "--user", "bob"]) == 0
    assert "changed 1" in capsys.readouterr().out
    assert gm.ProgressReport.objects.get(measure=people.bob_measure).status == "完了"
    assert main(["progress-import", str(people.period_a.pk), str(files[0]), "--user", "bob"]) == 0
    assert "changed 0, unchanged 1" in capsys.readouterr().out


def test_import_problems_exit_2(people: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["progress-export", str(people.period_a.pk), "--user", "alice", "-o", str(tmp_path)])
    path = sorted(tmp_path.glob("*.xlsx"))[0]
    wb = load_workbook(path)
    wb[SHEET][f"G{FIRST_ROW}"] = "順調"
    wb[SHEET][f"H{FIRST_ROW}"] = "たくさん"
    wb.save(path)
    capsys.readouterr()
    assert main(["progress-import", str(people.period_a.pk), str(path), "--user", "alice"]) == 2
    out = capsys.readouterr()
    assert f"{path.name}: 進捗報告!H{FIRST_ROW}: この KPI は数値の指標です。実績は数値で" in out.out
    assert "nothing saved" in out.err
    assert gm.ProgressReport.objects.count() == 0


def test_permissions_and_unknown_ids(
    people: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["progress-export", str(people.period_a.pk), "--user", "charlie", "-o", str(tmp_path)]) == 4
    assert main(["progress-export", "999999", "--user", "alice", "-o", str(tmp_path)]) == 3
    assert main(["progress-export", str(people.period_a.pk), "--user", "nobody", "-o", str(tmp_path)]) == 3


def test_evaluation_report(people: People, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    assert (
        main(["evaluation-report", str(people.plan_a.pk), "--fy", "2025", "--to", "docx", "-o", str(out)])
        == 0
    )
    assert out.read_bytes()[:2] == b"PK"
