"""The plan as a workbook, both ways (keikaku.services.plan_workbook over export/ingest plan_xlsx): real
XLSX files written, edited with openpyxl as a person would in Excel, and read back."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from keikaku.db.plans import models as pm
from keikaku.export.plan_xlsx import FIRST_ROW, KPIS, MEASURES, META_SHEET, SCHEDULE
from keikaku.services import changes
from keikaku.services.errors import NotFound, PermissionDenied
from keikaku.services.plan_workbook import (
    PlanWorkbookRejected,
    plan_workbook_export,
    plan_workbook_update,
)
from keikaku.services.plans import dump_document, plan_export
from tests.factories import XSS
from tests.people import NOW, People

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(people: People) -> pm.Plan:
    pm.Plan.objects.filter(pk=people.plan_a.pk).update(status=pm.DRAFT)
    people.plan_a.refresh_from_db()
    return people.plan_a


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _col(ws, header: str) -> int:
    return next(c.column for c in ws[4] if c.value == header)


def _row_of(ws, header: str, value: object) -> int:
    col = _col(ws, header)
    return next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=col).value == value)


def test_the_workbook_has_the_three_sheets_hidden_ids_drop_downs_and_protection(
    people: People, draft: pm.Plan
) -> None:
    name, data = plan_workbook_export(people.alice, draft.pk)
    assert name == f"plan{draft.pk}_rev{draft.revision}.xlsx"
    wb = _book(data)
    assert wb.sheetnames == [MEASURES, KPIS, SCHEDULE, META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    ws = wb[MEASURES]
    id_col = _col(ws, "施策ID")
    letter = ws.cell(row=4, column=id_col).column_letter
    assert ws.column_dimensions[letter].hidden
    assert ws.protection.sheet
    first = ws.cell(row=FIRST_ROW, column=id_col)
    assert first.value == people.bob_measure.pk and first.protection.locked
    assert not ws.cell(row=FIRST_ROW, column=_col(ws, "施策名")).protection.locked
    # the title keeps its <script> as text, never a formula
    assert XSS in ws.cell(row=FIRST_ROW, column=_col(ws, "施策名")).value
    lists = {str(dv.formula1) for dv in ws.data_validations.dataValidation}
    assert (
        any("$D$1" in f for f in lists)
        and any("$E$1" in f for f in lists)
        and any("$G$1" in f for f in lists)
    )
    s = wb[SCHEDULE]
    assert [c.value for c in s[4]][2:7] == [f"令和{n}年度 ({2018 + n})" for n in range(7, 12)]
    assert s.data_validations.dataValidation  # the phase words


def test_an_untouched_workbook_changes_nothing(people: People, draft: pm.Plan) -> None:
    before = dump_document(plan_export(draft.pk))
    revisions = list(draft.measures.order_by("pk").values_list("revision", flat=True))
    _name, data = plan_workbook_export(people.alice, draft.pk)
    result = plan_workbook_update(people.alice, draft.pk, data, now=NOW)
    assert result.changed == 0 and "変更はありません" in result.summary()
    assert dump_document(plan_export(draft.pk)) == before
    assert list(draft.measures.order_by("pk").values_list("revision", flat=True)) == revisions


def test_an_edited_target_cell_changes_exactly_that_target(people: People, draft: pm.Plan) -> None:
    kpi = people.bob_measure.kpis.get()
    before = dump_document(plan_export(draft.pk))
    _name, data = plan_workbook_export(people.alice, draft.pk)
    wb = _book(data)
    ws = wb[KPIS]
    row = _row_of(ws, "KPI ID", kpi.pk)
    ws.cell(row=row, column=_col(ws, "目標値1")).value = 120  # typed as a number in Excel
    result = plan_workbook_update(people.alice, draft.pk, _save(wb), now=NOW)
    assert (result.kpis_changed, result.changed) == (1, 1)
    assert list(kpi.targets.values_list("value", "fiscal_year")) == [("120", 2027)]
    after = dump_document(plan_export(draft.pk))
    diff = [
        (a.strip(), b.strip()) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert diff == [('"value": "40件",', '"value": "120",')]
    log = changes.plan_changes(people.alice, draft, limit=5)
    assert any("40件（令和9年度 (2027)） → 120（令和9年度 (2027)）" in line for c in log for line in c.lines)


def test_a_broken_cell_changes_nothing_and_names_the_cell(people: People, draft: pm.Plan) -> None:
    before = dump_document(plan_export(draft.pk))
    _name, data = plan_workbook_export(people.alice, draft.pk)
    wb = _book(data)
    ws = wb[MEASURES]
    ws.cell(row=FIRST_ROW, column=_col(ws, "施策名")).value = "直した施策名"  # a good edit …
    ws.cell(row=FIRST_ROW + 1, column=_col(ws, "期限年度（西暦）")).value = "来年"  # … and a broken cell
    k = wb[KPIS]
    k.cell(row=FIRST_ROW, column=_col(k, "方向")).value = "上げる"
    with pytest.raises(PlanWorkbookRejected) as e:
        plan_workbook_update(people.alice, draft.pk, _save(wb), now=NOW)
    where = [p.where for p in e.value.problems]
    assert where == [f"施策!J{FIRST_ROW + 1}", f"KPI!E{FIRST_ROW}"]
    assert "西暦の年度" in str(e.value.problems[0]) and "来年" in str(e.value.problems[0])
    assert dump_document(plan_export(draft.pk)) == before


def test_new_rows_become_new_measures_with_their_kpis_and_schedule(people: People, draft: pm.Plan) -> None:
    n = draft.measures.count()
    _name, data = plan_workbook_export(people.alice, draft.pk)
    wb = _book(data)
    ws = wb[MEASURES]
    row = FIRST_ROW + n
    for header, value in (
        ("番号", "9-①"),
        ("施策名", '=HYPERLINK("http://example.com") 新しい施策'),
        ("柱", "A: オンライン化原則\nC"),
        ("担当部署", "新設のDX推進室"),
        ("重点取組", "○"),
    ):
        ws.cell(row=row, column=_col(ws, header)).value = value
    ws.cell(row=row, column=_col(ws, "施策名")).data_type = "s"
    k = wb[KPIS]
    krow = FIRST_ROW + draft.measures.count()  # one KPI per measure in the fixture
    for header, value in (
        ("施策番号", "9-①"),
        ("指標", "新しい指標"),
        ("目標値1", "50件"),
        ("目標年度1", 2028),
    ):
        k.cell(row=krow, column=_col(k, header)).value = value
    s = wb[SCHEDULE]
    srow = FIRST_ROW + n
    s.cell(row=srow, column=1).value = "9-①"
    s.cell(row=srow, column=3).value = "準備"
    result = plan_workbook_update(people.alice, draft.pk, _save(wb), now=NOW)
    assert (result.measures_created, result.kpis_created, result.schedules_changed) == (1, 1, 1)
    ms = draft.measures.order_by("order").last()
    assert ms.title.startswith("=HYPERLINK") and ms.key == "9-①" and ms.priority
    assert [(r.code, r.source) for r in ms.pillar_refs.order_by("order")] == [
        ("A", "edited"),
        ("C", "edited"),
    ]
    assert [d.written for d in ms.department_links.all()] == ["新設のDX推進室"]
    assert list(ms.kpis.get().targets.values_list("value", "fiscal_year")) == [("50件", 2028)]
    assert list(ms.schedule.values_list("fiscal_year", "written", "phase")) == [(2025, "準備", "prepare")]
    # written back as text with Excel's quote prefix, not as a formula
    _name, data = plan_workbook_export(people.alice, draft.pk)
    cell = _book(data)[MEASURES].cell(row=FIRST_ROW + n, column=2)
    assert cell.data_type == "s" and cell.quotePrefix


def test_a_formula_is_refused_at_its_cell(people: People, draft: pm.Plan) -> None:
    _name, data = plan_workbook_export(people.alice, draft.pk)
    wb = _book(data)
    wb[MEASURES].cell(row=FIRST_ROW, column=3).value = "=1+1"
    with pytest.raises(PlanWorkbookRejected) as e:
        plan_workbook_update(people.alice, draft.pk, _save(wb), now=NOW)
    assert [str(p) for p in e.value.problems] == [
        f"施策!C{FIRST_ROW}: 数式は使えません。値を入力してください"
    ]


def test_another_plans_workbook_is_refused(people: People, draft: pm.Plan) -> None:
    _name, data = plan_workbook_export(people.charlie, people.plan_b.pk)
    with pytest.raises(PlanWorkbookRejected) as e:
        plan_workbook_update(people.alice, draft.pk, data, now=NOW)
    assert "別の計画" in str(e.value.problems[0]) and e.value.problems[0].where == ""
    with pytest.raises(PlanWorkbookRejected) as e:
        plan_workbook_update(people.alice, draft.pk, _save(Workbook()), now=NOW)
    assert "keikaku で書き出した計画のブックではありません" in str(e.value)
    with pytest.raises(PlanWorkbookRejected):
        plan_workbook_update(people.alice, draft.pk, b"not a workbook", now=NOW)


def test_a_measure_changed_by_someone_else_after_the_export_is_refused(
    people: People, draft: pm.Plan
) -> None:
    from keikaku.services import editing

    _name, data = plan_workbook_export(people.alice, draft.pk)
    ms = people.bob_measure
    editing.schedule_set(people.dana, ms, [(2025, "実施")], revision=ms.revision, now=NOW)
    with pytest.raises(PlanWorkbookRejected) as e:  # the untouched workbook would undo Dana's change
        plan_workbook_update(people.alice, draft.pk, data, now=NOW)
    assert [p.where for p in e.value.problems] == [f"スケジュール!A{FIRST_ROW}"]
    assert "他の人" in e.value.problems[0].message
    ms.refresh_from_db()
    assert list(ms.schedule.values_list("written", flat=True)) == ["実施"]


def test_permissions_and_drafts_only(people: People, draft: pm.Plan) -> None:
    _name, data = plan_workbook_export(people.alice, draft.pk)
    with pytest.raises(PermissionDenied):
        plan_workbook_export(people.bob, draft.pk)
    with pytest.raises(NotFound):
        plan_workbook_export(people.charlie, draft.pk)
    with pytest.raises(PermissionDenied):
        plan_workbook_update(people.bob, draft.pk, data, now=NOW)
    assert plan_workbook_export(None, draft.pk)[1][:2] == b"PK"  # the operator (keikaku export)
    pm.Plan.objects.filter(pk=draft.pk).update(status=pm.PUBLISHED)
    assert plan_workbook_update(people.alice, draft.pk, data, now=NOW).changed == 0
    wb = _book(data)
    wb[MEASURES].cell(row=FIRST_ROW, column=2).value = "変えた"
    with pytest.raises(PlanWorkbookRejected) as e:
        plan_workbook_update(people.alice, draft.pk, _save(wb), now=NOW)
    assert "編集できません" in str(e.value.problems[0])
