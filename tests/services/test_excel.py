"""Excel round-trip of progress reports: export → fill with openpyxl → import → the same values stored;
bad workbooks rejected with located messages and nothing saved; idempotent re-import; permissions."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from keikaku.db.progress import models as gm
from keikaku.export.progress_xlsx import FIRST_ROW, META_SHEET, SHEET
from keikaku.services.errors import PermissionDenied
from keikaku.services.excel import (
    WorkbookRejected,
    department_workbooks,
    progress_workbook_export,
    progress_workbook_import,
    progress_workbooks_export,
)
from keikaku.services.progress import ActualInput, ReportInput, progress_save
from tests.factories import XSS
from tests.people import NOW, People

pytestmark = pytest.mark.django_db


def fill(data: bytes, edits: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    for ref, value in edits.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_for(people: People, user=None) -> tuple[str, bytes]:
    return progress_workbook_export(user or people.alice, people.period_a, people.department.pk)


def test_workbook_layout_protection_and_dropdown(people: People) -> None:
    name, data = export_for(people)
    assert name.endswith(".xlsx") and XSS not in name
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    assert ws.protection.sheet is True
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    assert ws[f"B{FIRST_ROW}"].value == people.bob_measure.title  # <script> kept as plain text
    assert ws[f"B{FIRST_ROW}"].protection.locked is True
    for col in "GHIJ":
        assert ws[f"{col}{FIRST_ROW}"].protection.locked is False
    assert ws.column_dimensions["K"].hidden
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1 and dvs[0].type == "list" and "順調" in dvs[0].formula1
    assert f"G{FIRST_ROW}" in str(dvs[0].sqref)
    rows = [r for r in range(FIRST_ROW, ws.max_row + 1) if ws[f"K{r}"].value]
    assert len(rows) == 2  # Bob's department: measures 1 and 3, one KPI each


def test_round_trip_stores_the_values_and_reimport_changes_nothing(people: People) -> None:
    _name, data = export_for(people)
    r1, r2 = FIRST_ROW, FIRST_ROW + 1
    filled = fill(
        data,
        {
            f"G{r1}": "順調",
            f"H{r1}": 25,
            f"I{r1}": f"電子申請を拡大した{XSS}",
            f"J{r1}": "https://example.jp/a\nhttps://example.jp/b",
            f"G{r2}": "遅れ",
            f"H{r2}": "１２件",
        },
    )
    result = progress_workbook_import(people.alice, people.period_a, [("a.xlsx", filled)], now=NOW)
    assert (result.changed, result.unchanged) == (2, 0)
    rep = gm.ProgressReport.objects.get(measure=people.bob_measure, period=people.period_a)
    assert rep.status == "順調" and rep.narrative == f"電子申請を拡大した{XSS}"
    assert rep.evidence == ["https://example.jp/a", "https://example.jp/b"]
    assert rep.actuals.get().value_number == Decimal("25") and rep.state == "draft"
    third = people.plan_a.measures.order_by("order")[2]
    assert gm.KpiActual.objects.get(report__measure=third).value_number == Decimal("12")
    history = gm.ProgressReport.history.count(), gm.KpiActual.history.count()
    revisions = sorted(gm.ProgressReport.objects.values_list("revision", flat=True))

    again = progress_workbook_import(
        people.alice, people.period_a, [("a.xlsx", filled)], now=NOW + timedelta(hours=1)
    )
    assert (again.changed, again.unchanged) == (0, 2)
    assert (gm.ProgressReport.history.count(), gm.KpiActual.history.count()) == history
    assert sorted(gm.ProgressReport.objects.values_list("revision", flat=True)) == revisions

    # a fresh export carries the stored values; importing it unchanged changes nothing either
    _n, fresh = export_for(people)
    ws = load_workbook(io.BytesIO(fresh))[SHEET]
    assert ws[f"G{r1}"].value == "順調" and ws[f"H{r1}"].value == 25
    assert progress_workbook_import(people.bob, people.period_a, [("b.xlsx", fresh)], now=NOW).changed == 0


def _rejected(people: People, files: list[tuple[str, bytes]], user=None) -> list[str]:
    before = (gm.ProgressReport.objects.count(), gm.KpiActual.objects.count())
    with pytest.raises(WorkbookRejected) as e:
        progress_workbook_import(user or people.alice, people.period_a, files, now=NOW)
    assert (gm.ProgressReport.objects.count(), gm.KpiActual.objects.count()) == before
    return [str(p) for p in e.value.problems]


def test_every_problem_is_located_and_nothing_is_saved(people: People) -> None:
    _name, data = export_for(people)
    r1, r2 = FIRST_ROW, FIRST_ROW + 1
    bad = fill(
        data,
        {
            f"G{r1}": "順調",
            f"H{r1}": "たくさん",  # wrong type
            f"J{r1}": "javascript:alert(1)",
            f"G{r2}": "まあまあ",  # not in the vocabulary
            f"B{r2}": "書き換えた施策名",  # a protected cell
        },
    )
    problems = _rejected(people, [("bad.xlsx", bad)])
    text = "\n".join(problems)
    assert (
        f"bad.xlsx: 進捗報告!H{r1}: この KPI は数値の指標です。実績は数値で入力してください（例: 30件。「たくさん」は読めません）"
        in text
    )
    assert f"bad.xlsx: 進捗報告!J{r1}: 根拠資料は" in text
    assert f"bad.xlsx: 進捗報告!B{r2}: 保護されたセルが変更されています" in text


def test_a_good_row_is_not_saved_when_another_is_wrong(people: People) -> None:
    _name, data = export_for(people)
    bad = fill(data, {f"G{FIRST_ROW}": "順調", f"H{FIRST_ROW}": 30, f"G{FIRST_ROW + 1}": "不明"})
    problems = _rejected(people, [("x.xlsx", bad)])
    assert problems == [
        f"x.xlsx: 進捗報告!G{FIRST_ROW + 1}: 進捗状況は 未着手 / 順調 / 遅れ / 完了 / 中止 から選んでください（「不明」）"
    ]


def test_unknown_measure_and_added_rows(people: People) -> None:
    _name, data = export_for(people)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    ws.protection.sheet = False  # someone unprotected the sheet
    ws[f"K{FIRST_ROW}"] = 999999
    ws[f"A{FIRST_ROW + 5}"] = "追加"
    out = io.BytesIO()
    wb.save(out)
    text = "\n".join(_rejected(people, [("u.xlsx", out.getvalue())]))
    assert f"u.xlsx: 進捗報告!K{FIRST_ROW}: 不明な施策です" in text
    assert f"u.xlsx: 進捗報告!A{FIRST_ROW + 5}: 表の外に入力があります" in text


def test_missing_status_and_a_qualitative_free_kpi(people: People) -> None:
    _name, data = export_for(people)
    text = "\n".join(_rejected(people, [("s.xlsx", fill(data, {f"H{FIRST_ROW}": 5}))]))
    assert f"s.xlsx: 進捗報告!G{FIRST_ROW}: 進捗状況を選んでください" in text


def test_another_plans_workbook_is_rejected(people: People) -> None:
    dept_b = people.measure_b.department_links.first().department_id
    _n, other = progress_workbook_export(people.charlie, people.period_b, dept_b)
    other = fill(other, {f"G{FIRST_ROW}": "順調"})
    text = "\n".join(_rejected(people, [("b.xlsx", other)]))
    assert "b.xlsx: _keikaku: 別の計画のブックです" in text


def test_not_a_workbook(people: People) -> None:
    assert _rejected(people, [("n.xlsx", b"PK\x03\x04 not really")]) == [
        "n.xlsx: Excel ブック (.xlsx) として読めません"
    ]


def test_stale_workbook_is_refused(people: People) -> None:
    _name, data = export_for(people)
    kpi = people.bob_measure.kpis.get()
    progress_save(
        people.bob,
        people.bob_measure,
        people.period_a,
        ReportInput(status="遅れ", actuals=[ActualInput(kpi.pk, Decimal("3"))]),
        revision=0,
        now=NOW,
    )
    text = "\n".join(_rejected(people, [("old.xlsx", fill(data, {f"G{FIRST_ROW}": "順調"}))]))
    assert f"old.xlsx: 進捗報告!G{FIRST_ROW}: 書き出した後に他の人がこの報告を更新しました" in text
    assert gm.ProgressReport.objects.get(measure=people.bob_measure).status == "遅れ"


def test_submitted_reports_cannot_be_changed_and_submit_option(people: People) -> None:
    _name, data = export_for(people)
    filled = fill(data, {f"G{FIRST_ROW}": "順調"})
    progress_workbook_import(people.bob, people.period_a, [("a.xlsx", filled)], now=NOW, submit=True)
    rep = gm.ProgressReport.objects.get(measure=people.bob_measure)
    assert rep.state == "submitted" and rep.created_by == people.bob
    _n, fresh = export_for(people)
    # a submitted report's changed row is skipped with a note; the department's other rows are saved
    third = people.plan_a.measures.order_by("order")[2]
    edits = {f"G{FIRST_ROW}": "遅れ", f"G{FIRST_ROW + 1}": "順調", f"H{FIRST_ROW + 1}": "３ 件"}
    result = progress_workbook_import(people.bob, people.period_a, [("c.xlsx", fill(fresh, edits))], now=NOW)
    assert (result.changed, len(result.skipped)) == (1, 1)
    assert result.skipped[0].startswith(f"c.xlsx: 進捗報告!G{FIRST_ROW}: 施策")
    assert "提出済のため取り込みませんでした" in result.skipped[0]
    assert gm.ProgressReport.objects.get(measure=people.bob_measure).status == "順調"  # not changed
    assert gm.KpiActual.objects.get(report__measure=third).value_number == Decimal("3")


def test_permissions(people: People) -> None:
    names = [w.name for w in department_workbooks(people.bob, people.period_a)]
    assert names == [people.department.name]
    assert len(progress_workbooks_export(people.alice, people.period_a)) == 2
    other_dept = people.other_measure.department_links.first().department_id
    with pytest.raises(PermissionDenied):
        progress_workbook_export(people.bob, people.period_a, other_dept)
    with pytest.raises(PermissionDenied):
        progress_workbook_export(people.charlie, people.period_a, people.department.pk)
    _n, data = progress_workbook_export(people.alice, people.period_a, other_dept)
    text = "\n".join(_rejected(people, [("o.xlsx", fill(data, {f"G{FIRST_ROW}": "順調"}))], user=people.bob))
    assert "o.xlsx: _keikaku: この部署の進捗を報告する権限がありません" in text
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        progress_workbook_import(AnonymousUser(), people.period_a, [("o.xlsx", data)], now=NOW)


def test_an_untouched_workbook_is_accepted_and_changes_nothing(people: People) -> None:
    """Values entered in the web form (18.5 %, １，２００件) and an older word in a numeric KPI come back
    in the workbook; uploaded unchanged, nothing is refused and nothing changes. Every target shows its year."""
    p = people
    kpi = p.bob_measure.kpis.first()
    kpi.unit = "%"
    kpi.save()
    kpi.targets.all().delete()
    kpi.targets.create(order=0, value="40%", fiscal_year=2025)
    kpi.targets.create(order=1, value="60%", fiscal_year=2027)
    progress_save(
        p.bob,
        p.bob_measure,
        p.period_a,
        ReportInput(status="順調", actuals=[ActualInput(kpi.pk, text="18.5 ％")]),
        revision=0,
        now=NOW,
        submit=True,
    )
    third = p.plan_a.measures.order_by("order")[2]
    rep = progress_save(
        p.alice,
        third,
        p.period_a,
        ReportInput(status="遅れ", actuals=[ActualInput(third.kpis.first().pk, text="１，２００件")]),
        revision=0,
        now=NOW,
    )
    gm.KpiActual.objects.filter(report=rep).update(
        value_number=None, unit="", value_text="実施"
    )  # entered before the rule
    history = (gm.ProgressReport.history.count(), gm.KpiActual.history.count())
    _n, data = export_for(p, p.bob)
    ws = load_workbook(io.BytesIO(data))[SHEET]
    assert ws[f"F{FIRST_ROW}"].value == "40%（令和7年度）、60%（令和9年度）"
    assert ws[f"H{FIRST_ROW}"].value == 18.5 and ws[f"H{FIRST_ROW + 1}"].value == "実施"
    result = progress_workbook_import(p.bob, p.period_a, [("same.xlsx", data)], now=NOW + timedelta(days=1))
    assert (result.changed, result.unchanged, result.skipped) == (0, 2, ())
    assert (gm.ProgressReport.history.count(), gm.KpiActual.history.count()) == history
    # the same rule as the form: a full-width percent is a number; a word for a numeric KPI is refused
    edits = {f"H{FIRST_ROW + 1}": "1.2万件"}
    assert (
        progress_workbook_import(p.alice, p.period_a, [("e.xlsx", fill(data, edits))], now=NOW).changed == 1
    )
    stored = gm.KpiActual.objects.get(report=rep)
    assert (stored.value_number, stored.unit, stored.value_text) == (Decimal("12000"), "件", "")
