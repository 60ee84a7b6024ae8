"""The public directory, as lists a caller pages through: organisations with published plans, one
organisation with its plans, the measures of a published plan. The read API (web/api/read.py)
shows these; plan lists are keikaku.services.plans.plan_list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from keikaku.db.plans import models as m
from keikaku.services.errors import NotFound
from keikaku.services.plans import PlanSummary, plan_list
from keikaku.services.portal import published_plan
from keikaku.services.rows import Rows


@dataclass(frozen=True)
class OrganisationSummary:
    id: int
    name: str
    prefecture: str
    kind: str
    code: str | None
    plans: int  # published plans


@dataclass(frozen=True)
class OrganisationDetail:
    id: int
    name: str
    prefecture: str
    kind: str
    code: str | None
    plans: list[PlanSummary]  # published, newest period first


@dataclass(frozen=True)
class MeasureLine:
    id: int
    plan_id: int
    key: str | None
    title: str
    description: str
    pillars: list[str]
    priority_areas: list[str]
    priority: bool
    reposted: bool
    departments: list[str]  # as written in the plan


def _organisation_summary(o: m.Organisation) -> OrganisationSummary:
    return OrganisationSummary(o.pk, o.name, o.prefecture, o.kind, o.code, o.n)


def organisation_list(*, prefecture: str | None = None) -> Rows[OrganisationSummary]:
    """Organisations with at least one published plan, by prefecture and name."""
    qs = (
        m.Organisation.objects.annotate(n=Count("plans", filter=Q(plans__status=m.PUBLISHED)))
        .filter(n__gt=0)
        .order_by("prefecture", "name", "pk")
    )
    if prefecture:
        qs = qs.filter(prefecture=prefecture)
    return Rows(qs, _organisation_summary)


def organisation_get(organisation_id: int) -> OrganisationDetail:
    """An organisation and its published plans; NotFound when it has none (drafts are not shown)."""
    org = m.Organisation.objects.filter(pk=organisation_id).first()
    plans = sorted(
        plan_list(organisation=organisation_id, public_only=True).fetch() if org else [],
        key=lambda p: (p.period_start is None, -(p.period_start or 0), -p.id),
    )
    if org is None or not plans:
        raise NotFound(f"団体 {organisation_id} はありません / no organisation with id {organisation_id}")
    return OrganisationDetail(org.pk, org.name, org.prefecture, org.kind, org.code, plans)


def _measure_line(ms: m.Measure) -> MeasureLine:
    return MeasureLine(
        id=ms.pk,
        plan_id=ms.plan_id,
        key=ms.key,
        title=ms.title,
        description=ms.description,
        pillars=[r.code for r in ms.pillar_refs.all()],
        priority_areas=list(ms.priority_areas or []),
        priority=ms.priority,
        reposted=ms.reposted,
        departments=[d.written for d in ms.department_links.all()],
    )


def measure_list(plan_id: int) -> Rows[MeasureLine]:
    """The measures of a published plan in the document's order (NotFound for a draft or no plan)."""
    row = published_plan(plan_id)
    qs = (
        m.Measure.objects.filter(plan=row)
        .prefetch_related("pillar_refs", "department_links")
        .order_by("order")
    )
    return Rows(qs, _measure_line)
