"""Use cases that draft a plan from the guide's catalogue: plan_draft (a new draft: chapters with the
記載例 filled and the picked example measures), gap_report (パターン2: what an existing plan lacks against the
guide, with what the catalogue offers for each gap) and gap_fill (add one missing chapter or example
measure to a draft). Pure drafting is keikaku.core.drafting; the rules are keikaku.core.compliance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F

from keikaku.core import plan as core
from keikaku.core.compliance import CHAPTER_BY_KIND, Finding, check_plan
from keikaku.core.drafting import chapter_section, draft_plan, example_measure
from keikaku.db.plans import models as m
from keikaku.services import changes
from keikaku.services.catalogues import catalogue_get
from keikaku.services.editing import bump_plan, locked_plan
from keikaku.services.errors import NotFound, PermissionDenied, ServiceError
from keikaku.services.people import Actor, can, organisations_of, require
from keikaku.services.plans import plan_save, plan_to_core

KIND_CHOICES = {"johoka": core.PlanKind.JOHOKA, "dx": core.PlanKind.DX}


def organisation_resolve(text: str) -> m.Organisation:
    """The stored organisation ``text`` names: its id, its 団体コード, or its name (unique)."""
    text = text.strip()
    qs = m.Organisation.objects.all()
    found = None
    if text.isdigit():
        found = qs.filter(code=text).first() if len(text) == 6 else None
        found = found or qs.filter(pk=int(text)).first()
    if found is None:
        named = list(qs.filter(name=text)[:2])
        if len(named) > 1:
            raise ServiceError(f"「{text}」という団体が複数あります。ID か団体コードで指定してください。")
        found = named[0] if named else None
    if found is None:
        raise NotFound(f"団体「{text}」は登録されていません / no organisation {text!r}")
    return found


def _org_core(org: m.Organisation) -> core.Organisation:
    return core.Organisation(
        name=org.name,
        prefecture=org.prefecture or None,
        code=org.code or None,
        kind=core.OrganisationKind(org.kind) if org.kind else None,
    )


@transaction.atomic
def plan_draft(
    actor: Actor,
    organisation: m.Organisation,
    *,
    catalogue_id: int | None,
    start_fy: int,
    end_fy: int,
    also: list[core.PlanKind],
    measure_keys: list[str],
    now: datetime,
) -> m.Plan:
    """A new draft plan of ``organisation`` from the catalogue (the newest when ``catalogue_id`` is None):
    the seven chapters with their 記載例 filled from the choices, and one draft measure per picked example
    (``measure_keys``, in the catalogue's order). ``also``: the kinds the plan serves besides the
    官民データ活用推進計画 (兼 情報化推進計画 / DX推進計画). Editors and admins of the organisation; ``actor``
    None is the operator at the command line (``keikaku draft``)."""
    if actor is not None:
        require(actor, "plan.edit", organisation)
    _summary, catalogue = catalogue_get(catalogue_id)
    try:
        doc = draft_plan(
            catalogue,
            organisation=_org_core(organisation),
            start_fy=start_fy,
            end_fy=end_fy,
            kinds=also,
            measure_keys=measure_keys,
        )
    except ValueError as e:
        raise ServiceError(str(e)) from None
    row = plan_save(doc, now=now, status=m.DRAFT)
    if row.organisation_id != organisation.pk:  # pragma: no cover - plan_save finds it by code or name
        raise ServiceError("団体を特定できません / the organisation is ambiguous")
    changes.log(
        actor, row, "create", "計画", [f"手引から起草: 施策例 {len(doc.measures)} 件"], now=now, comment=""
    )
    return row


@dataclass(frozen=True)
class Gap:
    """One finding, and what the catalogue can add for it (a chapter's 記載例, the example measures of a
    pillar that has none)."""

    finding: Finding
    chapter: str = ""  # a chapter kind the catalogue has a 記載例 for
    examples: tuple[core.ExampleMeasure, ...] = ()


@dataclass(frozen=True)
class GapReport:
    plan: m.Plan
    catalogue_id: int | None
    gaps: list[Gap] = field(default_factory=list)
    examples: tuple[core.ExampleMeasure, ...] = ()  # every example measure the plan does not have yet
    editable: bool = False  # a draft the actor may edit: the add buttons are shown


def gap_report(actor: Actor, plan: m.Plan, *, catalogue_id: int | None = None) -> GapReport:
    """パターン2: what ``plan`` (an imported 情報化計画 …) lacks against the guide, each gap with what the
    catalogue offers to fill it. Members of the organisation (``plan.view`` on a draft)."""
    if not can(actor, "plan.view", plan):
        raise NotFound(f"計画 {plan.pk} はありません。")
    require(actor, "manage", plan.organisation)
    editable = plan.status == m.DRAFT and can(actor, "plan.edit", plan)
    try:
        summary, cat = catalogue_get(catalogue_id)
    except NotFound:
        findings = check_plan(plan_to_core(plan))
        return GapReport(plan, None, [Gap(f) for f in findings], editable=editable)
    doc = plan_to_core(plan)
    have = {ms.title for ms in doc.measures}
    missing = tuple(ex for ex in cat.measures if ex.title not in have)
    kinds = {s.kind for s in cat.template_sections}
    gaps = []
    for f in check_plan(doc, catalogue=cat):
        what, _, arg = f.fix.partition(":")
        if what == "chapter" and arg in kinds:
            gaps.append(Gap(f, chapter=arg))
        elif what == "pillar":
            gaps.append(
                Gap(f, examples=tuple(ex for ex in missing if any(r.code == arg for r in ex.pillars)))
            )
        else:
            gaps.append(Gap(f))
    return GapReport(plan, summary.id, gaps, missing, editable)


def draft_organisations(actor: Actor) -> list[m.Organisation]:
    """The organisations ``actor`` may draft a plan for (editor or admin). PermissionDenied for none."""
    orgs = [o for o in organisations_of(actor) if can(actor, "plan.edit", o)]
    if not orgs:
        e = PermissionDenied("権限がありません / not allowed: plan.edit")
        e.action = "plan.edit"
        raise e
    return orgs


@transaction.atomic
def gap_fill(
    actor: Actor,
    plan: m.Plan,
    *,
    item: str,
    catalogue_id: int | None,
    revision: int,
    now: datetime,
) -> str:
    """Add one thing from the catalogue to the draft ``plan``: ``chapter:<kind>`` (the chapter with its
    記載例 filled, after the chapters before it) or ``measure:<key>`` (the example measure, at the end).
    Returns what was added (「日本語 / English」). Editors and admins; drafts only; a stale revision →
    Conflict."""
    if not can(actor, "plan.view", plan):
        raise NotFound(f"計画 {plan.pk} はありません。")
    require(actor, "plan.edit", plan)
    row = locked_plan(plan, revision)
    _summary, cat = catalogue_get(catalogue_id)
    org = _org_core(row.organisation)
    start = row.period_start or now.year
    end = row.period_end or start
    what, _, arg = item.partition(":")
    if what == "chapter":
        template = next((s for s in cat.template_sections if s.kind == arg), None)
        if template is None or arg not in CHAPTER_BY_KIND:
            raise ServiceError("手引にその章の記載例がありません。")
        section = chapter_section(template, organisation=org, start_fy=start, end_fy=end)
        number = CHAPTER_BY_KIND[arg].number
        order = 0
        for s in row.sections.order_by("order"):
            c = CHAPTER_BY_KIND.get(s.kind or "")
            if c is not None and c.number < number:
                order = s.order + 1
        row.sections.filter(order__gte=order).update(order=F("order") + 1)
        m.Section.objects.create(
            plan=row, order=order, key=section.key, title=section.title, kind=section.kind, text=section.text
        )
        line = f"本文の節を追加: {section.title} / chapter added: {section.title}"
    elif what == "measure":
        example = next((ex for ex in cat.measures if ex.key == arg), None)
        if example is None:
            raise ServiceError("手引にその施策例がありません。")
        _add_measure(row, example_measure(example, organisation=org, start_fy=start, end_fy=end))
        line = f"施策を追加: {example.title} / measure added: {example.title}"
    else:
        raise ServiceError("追加するものが分かりません。")
    bump_plan(row, actor, now)
    changes.log(actor, row, "update", "計画", [f"手引から{line.partition(' / ')[0]}"], now=now)
    return line


def _add_measure(row: m.Plan, measure: core.Measure) -> None:
    """Store one drafted measure at the end of the plan, under the first policy of its pillar (if any)."""
    code = measure.pillars[0].code if measure.pillars else "other"
    policy = next((p for p in row.policies.order_by("order") if code in (p.pillars or [])), None)
    last = row.measures.order_by("-order").first()
    mrow = m.Measure.objects.create(
        plan=row,
        order=(last.order + 1) if last else 0,
        key=measure.key,
        policy_key=policy.key if policy else None,
        policy=policy,
        title=measure.title,
        description=measure.description,
        priority_areas=measure.priority_areas,
        national_measures=measure.national_measures,
    )
    m.MeasurePillar.objects.bulk_create(
        m.MeasurePillar(measure=mrow, order=j, code=r.code, source=r.source.value, confidence=r.confidence)
        for j, r in enumerate(measure.pillars)
    )
    for j, k in enumerate(measure.kpis):
        m.Kpi.objects.create(measure=mrow, order=j, indicator=k.indicator, unit=k.unit)
