"""Editing a draft plan version itself: its fields (title, organisation, kinds, period, published date,
contact, related plans), its narrative sections and its policy tree. The same rules as
keikaku.services.editing: ``actor`` first and ``plan.edit`` before writing, drafts only, the plan's
``revision`` as the caller read it (Conflict when stale), every change logged old → new in Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass

from keikaku.db.plans import models as pm
from keikaku.services.errors import NotFound
from keikaku.services.people import Actor, can, require
from keikaku.services.plans import plan_get


@dataclass(frozen=True)
class PlanEditor:
    """What the plan editor shows."""

    plan: pm.Plan
    sections: list[pm.Section]
    policies: list[pm.Policy]  # in tree order, with ``depth``
    measures: list[pm.Measure]  # in the plan's order, with ``policy``
    departments: list[str]  # the organisation's department names
    editable: bool  # a draft: the forms are offered
    may_approve: bool


def plan_editor(actor: Actor, plan_id: int) -> PlanEditor:
    """The plan for the editor: NotFound outside its organisation, PermissionDenied without the editor
    role."""
    plan = plan_get(plan_id)
    if not can(actor, "plan.view", plan):
        raise NotFound(f"計画 {plan_id} はありません。")
    require(actor, "plan.edit", plan)
    return PlanEditor(
        plan=plan,
        sections=list(plan.sections.order_by("order")),
        policies=list(plan.policies.order_by("order")),
        measures=list(plan.measures.select_related("policy").order_by("order")),
        departments=list(plan.organisation.departments.order_by("name").values_list("name", flat=True)),
        editable=plan.status == pm.DRAFT,
        may_approve=can(actor, "plan.approve", plan),
    )
