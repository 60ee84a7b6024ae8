"""PDCA use cases: workflow, permissions at the use-case level, stale writes, late measures, reminders,
evaluations, plan revision with lineage, diff, department merge, tokens."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services.errors import Conflict, PermissionDenied, ServiceError
from keikaku.services.evaluations import evaluations_decide, evaluations_publish
from keikaku.services.people import can, department_merge, token_authenticate, token_create
from keikaku.services.progress import (
    evaluation_save,
    late_measures,
    period_create,
    period_update,
    plan_status_counts,
    progress_approve,
    progress_return,
    progress_save,
    progress_submit,
    reminders_send,
    reports_visible,
    status_vocabulary,
    status_vocabulary_set,
)
from keikaku.services.revision import plan_diff, plan_revise
from tests.people import NOW, People, qualitative, report_input

pytestmark = pytest.mark.django_db


def test_workflow_draft_submit_return_resubmit_approve(people: People) -> None:
    p = people
    r = progress_save(p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW)
    assert (r.state, r.revision) == ("draft", 1)
    assert r.actuals.get().value_number == Decimal("25") and r.actuals.get().unit == "件"
    r = progress_submit(p.bob, r, revision=1, now=NOW)
    assert r.state == "submitted"
    with pytest.raises(PermissionDenied):
        progress_approve(p.bob, r, revision=r.revision, now=NOW)  # reporters never approve
    with pytest.raises(ServiceError):
        progress_return(p.alice, r, revision=r.revision, now=NOW, comment=" ")
    r = progress_return(p.alice, r, revision=r.revision, now=NOW, comment="数値の根拠を")
    assert (r.state, r.review_comment) == ("returned", "数値の根拠を")
    with pytest.raises(ServiceError, match="数値の指標"):  # a word for a numeric KPI: refused, saying why
        progress_save(
            p.bob,
            p.bob_measure,
            p.period_a,
            report_input(p.bob_measure, value="実施"),
            revision=r.revision,
            now=NOW,
        )
    qualitative(p.bob_measure)
    r = progress_save(
        p.bob,
        p.bob_measure,
        p.period_a,
        report_input(p.bob_measure, value="実施"),
        revision=r.revision,
        now=NOW,
        submit=True,
    )
    assert (
        r.state == "submitted"
        and r.actuals.get().value_text == "実施"
        and r.actuals.get().value_number is None
    )
    r = progress_approve(p.alice, r, revision=r.revision, now=NOW)
    assert r.state == "approved" and r.reviewed_by == p.alice
    assert r.history.count() >= 5 and r.history.first().history_user == p.alice


def test_reporter_is_limited_to_their_departments_and_organisations_are_isolated(people: People) -> None:
    p = people
    with pytest.raises(PermissionDenied):
        progress_save(p.bob, p.other_measure, p.period_a, report_input(p.other_measure), revision=0, now=NOW)
    with pytest.raises(PermissionDenied):
        progress_save(p.charlie, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW)
    with pytest.raises(PermissionDenied):
        progress_save(
            AnonymousUser(), p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW
        )
    progress_save(p.alice, p.other_measure, p.period_a, report_input(p.other_measure), revision=0, now=NOW)


def test_stale_write_is_refused(people: People) -> None:
    p = people
    r = progress_save(p.alice, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW)
    progress_save(
        p.bob,
        p.bob_measure,
        p.period_a,
        report_input(p.bob_measure, value="30"),
        revision=r.revision,
        now=NOW,
    )
    with pytest.raises(Conflict, match="他の人が先に更新"):
        progress_save(
            p.alice,
            p.bob_measure,
            p.period_a,
            report_input(p.bob_measure, value="31"),
            revision=r.revision,
            now=NOW,
        )
    with pytest.raises(Conflict):  # a second "create" of the same report
        progress_save(p.alice, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW)
    assert gm.KpiActual.objects.get(report=r).value_number == Decimal("30")


def test_closed_period_and_vocabulary(people: People) -> None:
    p = people
    assert [w for w, _ in status_vocabulary(p.plan_a.organisation)] == [
        "未着手",
        "順調",
        "遅れ",
        "完了",
        "中止",
    ]
    with pytest.raises(ServiceError):
        progress_save(
            p.alice,
            p.bob_measure,
            p.period_a,
            report_input(p.bob_measure, status="絶好調"),
            revision=0,
            now=NOW,
        )
    status_vocabulary_set(p.dana, p.plan_a.organisation, [("概ね順調", "on_track"), ("要注意", "delayed")])
    progress_save(
        p.alice, p.bob_measure, p.period_a, report_input(p.bob_measure, status="要注意"), revision=0, now=NOW
    )
    with pytest.raises(PermissionDenied):
        period_update(
            p.alice, p.period_a, revision=1, state="closed", now=NOW
        )  # editors do not close periods
    period = period_update(p.dana, p.period_a, revision=1, state="closed", now=NOW)
    assert period.state == "closed" and period.closed_at == NOW
    with pytest.raises(ServiceError, match="受付中"):
        progress_save(
            p.alice,
            p.other_measure,
            period,
            report_input(p.other_measure, status="要注意"),
            revision=0,
            now=NOW,
        )
    with pytest.raises(Conflict):
        period_update(p.dana, p.period_a, revision=1, state="open", now=NOW)
    q = period_create(p.dana, p.plan_a, 2026, quarter=1, due_date=date(2026, 7, 15))
    assert str(q) == "令和8年度 (2026) 第1四半期"
    with pytest.raises(Conflict):
        period_create(p.dana, p.plan_a, 2026, quarter=1)


def test_late_measures_and_reminders(people: People) -> None:
    p = people
    due = p.period_a.due_date
    assert late_measures(p.period_a, today=due) == []
    r = progress_save(
        p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW, submit=True
    )
    late = late_measures(p.period_a, today=due + timedelta(days=1))
    assert p.bob_measure not in late and len(late) == 3
    assert r.state == "submitted"
    mail.outbox.clear()
    assert reminders_send(today=due - timedelta(days=30)).messages == 0
    res = reminders_send(today=due + timedelta(days=1))
    assert res.late_measures == 3 + 4  # 市A: 3 left; 市B: all 4
    to = {m.to[0]: m for m in mail.outbox}
    # Bob's other department measure (3) goes to Bob; 市民課 measures have no reporter → the planners
    assert "bob@example.jp" in to and "alice@example.jp" in to and "charlie@example.jp" in to
    assert "期限を過ぎています" in to["bob@example.jp"].body


def test_evaluation_and_revision_with_lineage_and_diff(people: People) -> None:
    p = people
    ms = list(p.plan_a.measures.order_by("order"))
    evaluation_save(p.alice, ms[0], 2025, decision="継続", rationale="順調", revision=0, now=NOW)
    evaluation_save(p.alice, ms[1], 2025, decision="完了", rationale="達成", revision=0, now=NOW)
    evaluation_save(
        p.alice, ms[2], 2025, decision="統合", rationale="一本化", merge_into=ms[3], revision=0, now=NOW
    )
    e = evaluation_save(p.alice, ms[3], 2025, decision="継続", rationale="", revision=0, now=NOW)
    with pytest.raises(Conflict):
        evaluation_save(p.alice, ms[3], 2025, decision="見直し", rationale="", revision=0, now=NOW)
    evaluation_save(
        p.alice, ms[3], 2025, decision="見直し", rationale="指標を改める", revision=e.revision, now=NOW
    )
    with pytest.raises(ServiceError):
        evaluation_save(
            p.alice, ms[0], 2025, decision="統合", rationale="", merge_into=p.measure_b, revision=1, now=NOW
        )
    with pytest.raises(PermissionDenied):
        evaluation_save(p.bob, ms[0], 2025, decision="終了", rationale="", revision=1, now=NOW)
    with pytest.raises(PermissionDenied):
        plan_revise(p.charlie, p.plan_a, now=NOW)
    assert evaluations_decide(p.dana, p.plan_a, 2025, now=NOW) == 4
    assert evaluations_publish(p.dana, p.plan_a, 2025, now=NOW) == 4  # the revision follows published ones
    new = plan_revise(p.alice, p.plan_a, now=NOW, fiscal_year=2025)
    assert (
        new.previous == p.plan_a and new.status == "draft" and new.version == "2" and new.period_start == 2026
    )
    new_ms = list(new.measures.order_by("order"))
    assert [m.title for m in new_ms] == [ms[0].title, ms[3].title]
    lin = {ln.from_measure_id: ln for ln in gm.MeasureLineage.objects.filter(to_plan=new)}
    assert lin[ms[0].pk].to_measure == new_ms[0] and lin[ms[1].pk].to_measure is None
    assert lin[ms[2].pk].decision == "統合" and lin[ms[2].pk].to_measure == new_ms[1]
    reviews = list(new.reviews.order_by("order"))
    assert reviews[2].reference == new_ms[1].key and "次期計画に引き継ぐ" in reviews[2].direction
    with pytest.raises(Conflict):
        plan_revise(p.alice, p.plan_a, now=NOW)
    # edit the new version, then diff
    new_ms[1].title = "改めた施策名"
    new_ms[1].save()
    d = plan_diff(p.plan_a, new)
    assert d.matched_by == "lineage" and d.unchanged == 1 and d.added == []
    assert {r[0] for r in d.removed} == {ms[1].pk, ms[2].pk}
    assert [c.field for c in d.changed[0].changes] == ["title"]
    d2 = plan_diff(p.plan_a, p.plan_b)  # no lineage: by key
    assert d2.matched_by == "key" and d2.unchanged == 0 and len(d2.changed) == 4


def test_visibility_and_status_counts(people: People) -> None:
    p = people
    r = progress_save(
        p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW, submit=True
    )
    anon = AnonymousUser()
    assert (
        not can(anon, "progress.view", r)
        and can(p.bob, "progress.view", r)
        and not can(p.charlie, "progress.view", r)
    )
    assert list(reports_visible(anon, p.plan_a)) == []
    assert plan_status_counts(p.alice, p.plan_a) == {"順調": 1, "未報告": 3}
    progress_approve(p.dana, r, revision=r.revision, now=NOW)
    assert plan_status_counts(anon, p.plan_a) == {"順調": 1, "未報告": 3}
    p.plan_a.status = "draft"
    p.plan_a.save()
    assert list(reports_visible(anon, p.plan_a)) == [] and not can(anon, "plan.view", p.plan_a)


def test_department_merge_moves_links_and_records_alias(people: People) -> None:
    p = people
    org = p.plan_a.organisation
    other = pm.Department.objects.get(organisation=org, name="市民課")
    with pytest.raises(PermissionDenied):
        department_merge(p.bob, p.department, other)
    with pytest.raises(PermissionDenied):
        department_merge(p.charlie, p.department, other)
    res = department_merge(p.alice, p.department, other)
    assert res.links_moved == 2 and "市民課" in res.department.aliases
    assert not pm.Department.objects.filter(pk=other.pk).exists()
    assert can(p.bob, "progress.edit", p.other_measure)  # Bob now covers the merged department's measures


def test_tokens_are_hashed_and_checked(people: People) -> None:
    p = people
    row, token = token_create(p.alice, "ci", now=NOW, expires_at=NOW + timedelta(days=1))
    assert token not in row.token_hash and row.token_hash != token
    assert token_authenticate(token, now=NOW) == p.alice
    assert token_authenticate(token, now=NOW + timedelta(days=2)) is None
    assert token_authenticate(token + "x", now=NOW) is None
    assert token_authenticate("", now=NOW) is None


def test_a_new_evaluation_is_a_draft_and_only_published_ones_are_listed_as_published(people: People) -> None:
    p = people
    ms = list(p.plan_a.measures.order_by("order"))
    e = evaluation_save(p.alice, ms[0], 2025, decision="継続", rationale="順調", revision=0, now=NOW)
    assert e.state == gm.Evaluation.State.DRAFT
    assert list(gm.Evaluation.objects.published()) == []
    gm.Evaluation.objects.filter(pk=e.pk).update(state=gm.Evaluation.State.PUBLISHED)
    assert list(gm.Evaluation.objects.filter(measure__plan=p.plan_a).published()) == [e]
