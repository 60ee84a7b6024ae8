"""`keikaku export PLAN --to xlsx` and `keikaku update PLAN FILE.xlsx` (the done-when of issue 9 item 4):
the untouched workbook reports no change, an edited target cell changes exactly that target, a broken
cell changes nothing and names the cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from keikaku.cli import main
from keikaku.db.plans import models as pm
from keikaku.export.plan_xlsx import FIRST_ROW, KPIS
from keikaku.services.plans import dump_document, plan_export
from tests.people import People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    p = make_people()
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    return p


def _cell(path: Path, header: str, kpi_id: int):
    wb = load_workbook(path)
    ws = wb[KPIS]
    cols = {c.value: c.column for c in ws[4]}
    row = next(
        r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=cols["KPI ID"]).value == kpi_id
    )
    return wb, ws.cell(row=row, column=cols[header])


def test_export_update_roundtrip(people: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = str(people.plan_a.pk)
    path = tmp_path / "plan.xlsx"
    assert main(["export", plan, "--to", "xlsx", "-o", str(path)]) == 0
    before = dump_document(plan_export(people.plan_a.pk))
    capsys.readouterr()
    assert main(["update", plan, str(path), "--user", "alice"]) == 0
    assert "変更はありません" in capsys.readouterr().out
    assert dump_document(plan_export(people.plan_a.pk)) == before

    kpi = people.other_measure.kpis.get()
    wb, cell = _cell(path, "目標値1", kpi.pk)
    cell.value = "55件"
    wb.save(tmp_path / "edited.xlsx")
    assert main(["update", plan, str(tmp_path / "edited.xlsx"), "--user", "alice"]) == 0
    assert "KPI の更新 1 件" in capsys.readouterr().out
    assert list(kpi.targets.values_list("value", flat=True)) == ["55件"]
    other = [k for k in pm.Kpi.objects.filter(measure__plan=people.plan_a).exclude(pk=kpi.pk)]
    assert all(list(k.targets.values_list("value", flat=True)) == ["40件"] for k in other)

    after_edit = dump_document(plan_export(people.plan_a.pk))
    assert main(["export", plan, "--to", "xlsx", "-o", str(path)]) == 0
    wb, cell = _cell(path, "目標年度1", kpi.pk)
    cell.value = "そのうち"
    wb.save(tmp_path / "broken.xlsx")
    capsys.readouterr()
    assert main(["update", plan, str(tmp_path / "broken.xlsx"), "--user", "alice"]) == 2
    out = capsys.readouterr()
    assert f"broken.xlsx: KPI!{cell.coordinate}: 西暦の年度" in out.out and "nothing saved" in out.err
    assert dump_document(plan_export(people.plan_a.pk)) == after_edit


def test_update_refuses_other_users_and_plans(people: People, tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    assert main(["export", str(people.plan_b.pk), "--to", "xlsx", "-o", str(path)]) == 0
    assert main(["update", str(people.plan_a.pk), str(path), "--user", "alice"]) == 2  # another plan
    assert (
        main(["update", str(people.plan_b.pk), str(path), "--user", "alice"]) == 4
    )  # published, not hers to edit
    assert main(["update", str(people.plan_b.pk), str(path), "--user", "nobody"]) == 3
    assert main(["update", str(people.plan_b.pk), str(tmp_path / "missing.xlsx"), "--user", "charlie"]) == 2
