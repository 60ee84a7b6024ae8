"""A plan version's workflow: 下書き → 確認依頼 → 承認 → 公開, who may take each step, comments, the
diff against the published version."""

from __future__ import annotations

import pytest

from keikaku.db.plans import models as pm
from keikaku.services import editing as ed
from keikaku.services import workflow as wf
from keikaku.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from keikaku.services.revision import plan_revise
from tests.people import NOW, People

pytestmark = pytest.mark.django_db


def test_the_whole_workflow(people: People) -> None:
    p = people
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    plan = pm.Plan.objects.get(pk=p.plan_a.pk)
    with pytest.raises(PermissionDenied):
        wf.plan_submit(p.bob, plan, revision=plan.revision, now=NOW)
    with pytest.raises(PermissionDenied):
        wf.plan_approve(p.alice, plan, revision=plan.revision, now=NOW)
    with pytest.raises(ServiceError):  # not in review yet
        wf.plan_approve(p.dana, plan, revision=plan.revision, now=NOW)
    plan = wf.plan_submit(p.alice, plan, revision=plan.revision, now=NOW, comment="確認お願いします")
    assert plan.status == pm.REVIEW
    with pytest.raises(ServiceError, match="編集できません"):  # no edits while in review
        ms = plan.measures.first()
        ed.schedule_set(p.alice, ms, [], revision=ms.revision, now=NOW)
    with pytest.raises(ServiceError, match="理由"):
        wf.plan_return(p.dana, plan, revision=plan.revision, now=NOW, comment=" ")
    plan = wf.plan_return(p.dana, plan, revision=plan.revision, now=NOW, comment="目標値を直してください")
    assert plan.status == pm.DRAFT
    plan = wf.plan_submit(p.alice, plan, revision=plan.revision, now=NOW)
    with pytest.raises(Conflict):
        wf.plan_approve(p.dana, plan, revision=plan.revision - 1, now=NOW)
    plan = wf.plan_approve(p.dana, plan, revision=plan.revision, now=NOW, comment="承認します")
    with pytest.raises(PermissionDenied):
        wf.plan_publish(p.alice, plan, revision=plan.revision, now=NOW)
    plan = wf.plan_publish(p.dana, plan, revision=plan.revision, now=NOW)
    assert plan.status == pm.PUBLISHED
    review = wf.plan_review(p.bob, plan.pk)  # a member reads the steps
    assert [s.action for s in review.steps] == ["publish", "approve", "submit", "return", "submit"]
    assert review.steps[3].comment == "目標値を直してください" and review.steps[3].who == "dana"
    with pytest.raises(NotFound):
        wf.plan_review(p.charlie, plan.pk)
    with pytest.raises(PermissionDenied):
        wf.plan_withdraw(p.alice, plan, revision=plan.revision, now=NOW)
    plan = wf.plan_withdraw(p.dana, plan, revision=plan.revision, now=NOW)
    assert plan.status == pm.DRAFT


def test_diff_against_the_published_version(people: People) -> None:
    p = people
    new = plan_revise(p.alice, p.plan_a, now=NOW, revision=p.plan_a.revision)
    kpi = pm.Kpi.objects.filter(measure__plan=new).order_by("measure__order").first()
    ms = kpi.measure
    data = ed.KpiInput(
        indicator=kpi.indicator, unit="件", baseline_value="10件", baseline_fy=2024, targets=[("120件", 2030)]
    )
    ed.kpi_update(p.alice, kpi, data, revision=ms.revision, now=NOW)
    review = wf.plan_review(p.alice, new.pk)
    assert review.published is not None and review.published.pk == p.plan_a.pk
    assert review.diff is not None and len(review.diff.changed) == 1
    (change,) = review.diff.changed[0].changes
    assert change.field == "kpis"
    assert change.old[0]["targets"] == [{"value": "40件", "fiscal_year": 2027}]
    assert change.new[0]["targets"] == [{"value": "120件", "fiscal_year": 2030}]
    # the contact carried over into the next version
    assert wf.plan_review(p.alice, p.plan_a.pk).diff is None
