"""The plan version's own fields, sections and policy tree (keikaku.services.plan_editing)."""

from __future__ import annotations

import pytest

from keikaku.db.plans import models as pm
from keikaku.services import changes
from keikaku.services import plan_editing as pe
from keikaku.services.errors import Conflict, PermissionDenied, ServiceError
from tests.people import NOW, People

pytestmark = pytest.mark.django_db


def _draft(p: People) -> pm.Plan:
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    p.plan_a.refresh_from_db()
    return p.plan_a


def test_plan_update_contact_and_related_plans(people: People) -> None:
    p = people
    plan = _draft(p)
    data = pe.PlanInput(
        title="テスト市DX推進計画",
        kinds=["DX推進計画"],
        period_start=2025,
        period_end=2030,
        published="2025-04",
        contact_section="企画課 DX推進係",
        contact_phone="0123-45-6789",
        contact_email="dx@example.jp",
        related_plans=["第6次総合計画", "静岡県官民データ活用推進計画"],
    )
    with pytest.raises(PermissionDenied):
        pe.plan_update(p.bob, plan, data, revision=plan.revision, now=NOW)
    row = pe.plan_update(p.alice, plan, data, revision=plan.revision, now=NOW)
    assert row.contact == {"section": "企画課 DX推進係", "phone": "0123-45-6789", "email": "dx@example.jp"}
    (entry,) = changes.plan_changes(p.alice, row)
    assert (
        "計画期間: 令和7年度 (2025) 〜 令和11年度 (2029) → 令和7年度 (2025) 〜 令和12年度 (2030)"
        in entry.lines
    )
    with pytest.raises(Conflict):
        pe.plan_update(p.alice, plan, data, revision=plan.revision, now=NOW)
    with pytest.raises(ServiceError, match="公表年月"):
        pe.plan_update(
            p.alice, row, pe.PlanInput(title="x", published="2025/4"), revision=row.revision, now=NOW
        )


def test_sections_add_edit_move_delete(people: People) -> None:
    p = people
    plan = _draft(p)
    s = pe.section_create(
        p.alice, plan, title="推進体制", text="- CIO\n- PT", revision=plan.revision, now=NOW
    )
    plan.refresh_from_db()
    pe.section_move(p.alice, s, step=-1, revision=plan.revision, now=NOW)
    plan.refresh_from_db()
    assert list(plan.sections.order_by("order").values_list("title", flat=True))[0] == "推進体制"
    pe.section_update(p.alice, s, title="推進体制", text="CIO と PT", revision=plan.revision, now=NOW)
    plan.refresh_from_db()
    pe.section_delete(p.alice, s, revision=plan.revision, now=NOW)
    assert plan.sections.count() == 1
    assert [c.action for c in changes.plan_changes(p.alice, plan)] == ["delete", "edit", "move", "create"]


def test_policy_tree(people: People) -> None:
    p = people
    plan = _draft(p)
    top = plan.policies.get()
    child = pe.policy_create(p.alice, plan, key="(2)", title="デジタル人材", revision=plan.revision, now=NOW)
    plan.refresh_from_db()
    sub = pe.policy_create(
        p.alice, plan, key="1-①", title="研修", parent=top, revision=plan.revision, now=NOW
    )
    plan.refresh_from_db()
    assert [(x.key, x.depth) for x in plan.policies.order_by("order")] == [("(1)", 0), ("1-①", 1), ("(2)", 0)]
    pe.policy_move(p.alice, sub, parent=child, revision=plan.revision, now=NOW)
    plan.refresh_from_db()
    assert [(x.key, x.depth) for x in plan.policies.order_by("order")] == [("(1)", 0), ("(2)", 0), ("1-①", 1)]
    with pytest.raises(ServiceError):
        pe.policy_move(p.alice, child, parent=sub, revision=plan.revision, now=NOW)
    pe.policy_update(p.alice, top, key="I", title="基本方針", revision=plan.revision, now=NOW)
    plan.refresh_from_db()
    assert set(plan.measures.values_list("policy_key", flat=True)) == {"I"}
    with pytest.raises(ServiceError, match="下位"):
        pe.policy_delete(p.alice, child, revision=plan.revision, now=NOW)
    pe.policy_delete(p.alice, top, revision=plan.revision, now=NOW)
    assert set(plan.measures.values_list("policy_key", flat=True)) == {None}
