"""progress_save_many: the bulk path keeps every rule of progress_save — permissions, stale revisions,
state rules, status vocabulary, KPI actual parsing — writes history with who and when, all or nothing,
in a fixed number of queries whatever the batch size."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from keikaku.services.plans import plan_save
from keikaku.services.progress import (
    ReportInput,
    ReportSave,
    parse_actual,
    progress_approve,
    progress_return,
    progress_save,
    progress_save_many,
    progress_submit,
)
from tests.factories import make_measure, make_plan
from tests.people import NOW, People, qualitative, report_input

pytestmark = pytest.mark.django_db


def _measures(p: People) -> list[pm.Measure]:
    return list(p.plan_a.measures.order_by("order"))


def _nothing_saved() -> bool:
    return not gm.ProgressReport.objects.exists() and not gm.KpiActual.objects.exists()


def test_creates_and_updates_with_history_who_and_when(people: People) -> None:
    p = people
    ms = _measures(p)
    first = progress_save(p.alice, ms[0], p.period_a, report_input(ms[0], value="5"), revision=0, now=NOW)
    later = NOW + timedelta(hours=1)
    qualitative(ms[1])
    items = [
        ReportSave(ms[0], report_input(ms[0], value="１，２３４"), revision=first.revision),
        ReportSave(ms[1], report_input(ms[1], status="遅れ", value="実施"), revision=0),
    ]
    out = progress_save_many(p.alice, p.period_a, items, now=later)
    assert [r.measure_id for r in out] == [ms[0].pk, ms[1].pk] and all(r.pk for r in out)
    a0 = gm.KpiActual.objects.get(report__measure=ms[0])
    assert (a0.value_number, a0.unit, a0.value_text) == (Decimal("1234"), "件", "")
    a1 = gm.KpiActual.objects.get(report__measure=ms[1])
    assert (a1.value_number, a1.value_text) == (None, "実施")
    r0, r1 = (gm.ProgressReport.objects.get(measure=m, period=p.period_a) for m in ms[:2])
    assert (r0.revision, r0.updated_at, r0.updated_by, r0.created_at) == (2, later, p.alice, NOW)
    assert (r1.revision, r1.status, r1.state, r1.created_by) == (1, "遅れ", "draft", p.alice)
    assert r1.evidence == ["https://example.jp/a"] and r1.narrative == "進めた<script>x</script>"
    for rep in (r0, r1):
        h = rep.history.order_by("-history_id").first()
        assert (h.history_user, h.history_date, h.revision) == (p.alice, later, rep.revision)
    for a in (a0, a1):
        h = a.history.order_by("-history_id").first()
        assert (h.history_user, h.history_date) == (p.alice, later)
    assert r0.history.count() == 2 and a0.history.count() == 2
    # an unchanged actual writes no history row; a submit moves the state
    again = [ReportSave(ms[0], report_input(ms[0], value="1234"), revision=2)]
    (r,) = progress_save_many(p.alice, p.period_a, again, now=later, submit=True)
    assert (r.state, r.submitted_at, r.revision) == ("submitted", later, 3)
    assert a0.history.count() == 2 and r0.history.count() == 3


def test_permissions_reporter_outsider_anonymous(people: People) -> None:
    p = people
    bob_ok = ReportSave(p.bob_measure, report_input(p.bob_measure), revision=0)
    not_bobs = ReportSave(p.other_measure, report_input(p.other_measure), revision=0)
    with pytest.raises(PermissionDenied) as e:
        progress_save_many(p.bob, p.period_a, [bob_ok, not_bobs], now=NOW)
    assert e.value.item == 1 and _nothing_saved()
    for outsider in (p.charlie, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            progress_save_many(outsider, p.period_a, [bob_ok], now=NOW)
    assert _nothing_saved()
    (r,) = progress_save_many(p.bob, p.period_a, [bob_ok], now=NOW)
    assert r.created_by == p.bob and r.history.get().history_user == p.bob
    with pytest.raises(NotFound):  # a measure of another plan (and organisation)
        progress_save_many(
            p.alice, p.period_a, [ReportSave(p.measure_b, report_input(p.measure_b), 0)], now=NOW
        )


def test_stale_revisions_conflict_and_nothing_is_saved(people: People) -> None:
    p = people
    ms = _measures(p)
    r = progress_save(p.alice, ms[0], p.period_a, report_input(ms[0]), revision=0, now=NOW)
    progress_save(p.bob, ms[0], p.period_a, report_input(ms[0], value="30"), revision=r.revision, now=NOW)
    fresh = ReportSave(ms[2], report_input(ms[2]), revision=0)
    with pytest.raises(Conflict, match="他の人が先に更新") as e:
        progress_save_many(p.alice, p.period_a, [fresh, ReportSave(ms[0], report_input(ms[0]), 1)], now=NOW)
    assert e.value.item == 1
    with pytest.raises(Conflict):  # a second "create" of an existing report
        progress_save_many(p.alice, p.period_a, [fresh, ReportSave(ms[0], report_input(ms[0]), 0)], now=NOW)
    with pytest.raises(Conflict, match="見つかりません"):  # a revision for a report that does not exist
        progress_save_many(p.alice, p.period_a, [ReportSave(ms[3], report_input(ms[3]), 4)], now=NOW)
    assert not gm.ProgressReport.objects.filter(measure=ms[2]).exists()
    assert gm.KpiActual.objects.get(report__measure=ms[0]).value_number == Decimal("30")


def test_submitted_and_approved_are_not_editable_returned_is(people: People) -> None:
    p = people
    ms = _measures(p)
    r = progress_save(p.alice, ms[0], p.period_a, report_input(ms[0]), revision=0, now=NOW, submit=True)
    with pytest.raises(Conflict, match="提出済・承認済"):
        progress_save_many(p.alice, p.period_a, [ReportSave(ms[0], report_input(ms[0]), r.revision)], now=NOW)
    r = progress_approve(p.alice, r, revision=r.revision, now=NOW)
    with pytest.raises(Conflict, match="提出済・承認済"):
        progress_save_many(p.alice, p.period_a, [ReportSave(ms[0], report_input(ms[0]), r.revision)], now=NOW)
    r2 = progress_save(p.alice, ms[1], p.period_a, report_input(ms[1]), revision=0, now=NOW)
    r2 = progress_submit(p.alice, r2, revision=r2.revision, now=NOW)
    r2 = progress_return(p.alice, r2, revision=r2.revision, now=NOW, comment="根拠を")
    (out,) = progress_save_many(
        p.alice, p.period_a, [ReportSave(ms[1], report_input(ms[1]), r2.revision)], now=NOW
    )
    assert out.state == "draft"


def test_vocabulary_kpis_evidence_duplicates_and_closed_period(people: People) -> None:
    p = people
    ms = _measures(p)
    good = ReportSave(ms[0], report_input(ms[0]), 0)
    with pytest.raises(ServiceError, match="進捗状況は") as e:
        progress_save_many(
            p.alice, p.period_a, [good, ReportSave(ms[1], report_input(ms[1], "絶好調"), 0)], now=NOW
        )
    assert e.value.item == 1
    foreign_kpi = ReportInput(status="順調", actuals=[parse_actual(ms[1].kpis.first().pk, "3")])
    with pytest.raises(ServiceError, match="KPI"):
        progress_save_many(p.alice, p.period_a, [ReportSave(ms[0], foreign_kpi, 0)], now=NOW)
    bad_link = ReportInput(status="順調", evidence=["javascript:alert(1)"])
    with pytest.raises(ServiceError, match="http"):
        progress_save_many(p.alice, p.period_a, [ReportSave(ms[0], bad_link, 0)], now=NOW)
    with pytest.raises(ServiceError, match="二度"):
        progress_save_many(p.alice, p.period_a, [good, good], now=NOW)
    assert _nothing_saved()
    p.period_a.state = "closed"
    p.period_a.save()
    with pytest.raises(ServiceError, match="受付中"):
        progress_save_many(p.alice, p.period_a, [good], now=NOW)
    assert _nothing_saved() and progress_save_many(p.alice, p.period_a, [], now=NOW) == []


def test_query_count_does_not_grow_with_the_batch(people: People) -> None:
    p = people
    measures = [make_measure(i, departments=["市民課"]) for i in range(1, 41)]
    plan = plan_save(make_plan(40, org="テスト市A", measures=measures), now=NOW)
    period = gm.ReportingPeriod.objects.create(plan=plan, fiscal_year=2025, state="open")
    ms = list(plan.measures.order_by("order"))
    items = {m.pk: ReportSave(m, report_input(m), 0) for m in ms}
    counts = []
    for batch in (ms[:2], ms[2:6], ms[6:40]):  # the first also reads the membership and plan
        with CaptureQueriesContext(connection) as q:
            progress_save_many(p.alice, period, [items[m.pk] for m in batch], now=NOW)
        counts.append(len(q))
    assert counts[1] == counts[2] and counts[2] < 20
    updates = [ReportSave(m, report_input(m, value="99"), 1) for m in ms]
    with CaptureQueriesContext(connection) as q:
        progress_save_many(p.alice, period, updates, now=NOW)
    assert len(q) < 20
    assert set(gm.KpiActual.objects.filter(report__period=period).values_list("value_number", flat=True)) == {
        Decimal("99")
    }
