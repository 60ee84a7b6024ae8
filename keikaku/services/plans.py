"""Use cases on plans: plan_save, plan_export, plan_list, plan_get, plan_publish, catalogue_save."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Prefetch

from keikaku.core import plan as core
from keikaku.db.plans import models as m
from keikaku.services import logs
from keikaku.services.errors import NotFound
from keikaku.services.people import Actor
from keikaku.services.rows import Rows

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanSummary:
    id: int
    title: str
    organisation: str
    prefecture: str
    period_start: int | None
    period_end: int | None
    measures: int
    status: str
    organisation_id: int = 0
    version: str | None = None
    published: str = ""  # 公表年月 as written (YYYY-MM)

    @property
    def status_label(self) -> str:
        return dict(m.Plan.STATUS).get(self.status, self.status)


def organisation_find(org: core.Organisation) -> m.Organisation | None:
    """The stored organisation a document's organisation is (the rule plan_save uses), or None when
    plan_save would create a new one. Changes nothing."""
    if org.code:
        obj = m.Organisation.objects.filter(code=org.code).first()
        if obj:
            return obj
    same_name = list(m.Organisation.objects.filter(name=org.name)[:2])
    if not org.prefecture and len(same_name) == 1:
        # a document that does not name its prefecture belongs to the one organisation of that name
        return same_name[0]
    if org.prefecture:
        obj = next((o for o in same_name if o.prefecture == org.prefecture), None)
        if obj is None and len(same_name) == 1 and not same_name[0].prefecture:
            obj = same_name[0]
        if obj is not None:
            return obj
    return m.Organisation.objects.filter(prefecture=org.prefecture or "", name=org.name).first()


def _organisation(org: core.Organisation) -> m.Organisation:
    obj = organisation_find(org)
    if obj is not None and org.prefecture and not obj.prefecture:
        obj.prefecture = org.prefecture
        obj.save()
    if obj is None:
        obj, _ = m.Organisation.objects.get_or_create(
            prefecture=org.prefecture or "",
            name=org.name,
            defaults={"code": org.code, "kind": org.kind.value if org.kind else ""},
        )
    changed = False
    if org.code and not obj.code:
        obj.code, changed = org.code, True
    if org.kind and not obj.kind:
        obj.kind, changed = org.kind.value, True
    if changed:
        obj.save()
    return obj


def department_resolve(organisation: m.Organisation, name: str) -> m.Department:
    """The department record for a name as written: exact name, then a known alias, else a new record."""
    name = name.strip()
    dept = m.Department.objects.filter(organisation=organisation, name=name).first()
    if dept:
        return dept
    for d in m.Department.objects.filter(organisation=organisation):
        if name in (d.aliases or []):
            return d
    return m.Department.objects.create(organisation=organisation, name=name)


def _prov(p: core.Provenance | None) -> dict | None:
    return p.model_dump(mode="json", exclude_none=True) if p else None


def _contact(c: core.Contact | None) -> dict[str, str]:
    return {k: v for k, v in (c.model_dump() if c else {}).items() if v}


def contact_to_core(d: dict | None) -> core.Contact | None:
    """The stored contact ({section, phone, email}) as the plan JSON's, None when it is empty."""
    d = {k: str(d[k]) for k in ("section", "phone", "email") if d and d.get(k)}
    return core.Contact(**d) if d else None


@transaction.atomic
def plan_save(
    plan: core.Plan,
    *,
    now: datetime,
    status: str = m.PUBLISHED,
    source_bytes: bytes | None = None,
    previous: m.Plan | None = None,
    organisation: m.Organisation | None = None,
) -> m.Plan:
    """Store a validated plan document. Atomic: the plan lands whole or not at all. ``organisation``: the
    stored organisation it belongs to (the importer's choice), else the one its document names (found or
    created)."""
    org = organisation or _organisation(plan.organisation)
    row = m.Plan.objects.create(
        organisation=org,
        title=plan.title,
        kinds=[k.value for k in plan.kinds],
        published=plan.published or "",
        period_start=plan.period.start_fy,
        period_end=plan.period.end_fy,
        period_note=plan.period.note,
        version=plan.version,
        status=status,
        previous=previous,
        source=plan.source.model_dump(mode="json", exclude_none=True) if plan.source else None,
        contact=_contact(plan.contact),
        created_at=now,
        updated_at=now,
    )
    if source_bytes is not None:
        m.SourceFile.objects.create(
            plan=row,
            filename=plan.source.filename if plan.source else "",
            sha256=hashlib.sha256(source_bytes).hexdigest(),
            size=len(source_bytes),
            content=source_bytes,
        )
    m.Section.objects.bulk_create(
        m.Section(plan=row, order=i, key=s.key, title=s.title, kind=s.kind, text=s.text)
        for i, s in enumerate(plan.sections)
    )
    policy_rows: dict[str, m.Policy] = {}
    counter = 0

    def add_policies(policies: list[core.Policy], parent: m.Policy | None, depth: int) -> None:
        nonlocal counter
        for p in policies:
            obj = m.Policy.objects.create(
                plan=row,
                parent=parent,
                order=counter,
                depth=depth,
                key=p.key,
                title=p.title,
                pillars=p.pillars,
            )
            counter += 1
            policy_rows.setdefault(p.key, obj)
            add_policies(p.children, obj, depth + 1)

    add_policies(plan.policies, None, 0)

    departments: dict[str, m.Department] = {}
    for i, ms in enumerate(plan.measures):
        mrow = m.Measure.objects.create(
            plan=row,
            order=i,
            key=ms.key,
            policy_key=ms.policy_key,
            policy=policy_rows.get(ms.policy_key) if ms.policy_key else None,
            title=ms.title,
            description=ms.description,
            priority_areas=ms.priority_areas,
            priority=ms.priority,
            reposted=ms.reposted,
            deadline_fy=ms.deadline_fy,
            national_measures=ms.national_measures,
            notes=ms.notes or "",
            provenance=_prov(ms.provenance),
        )
        m.MeasurePillar.objects.bulk_create(
            m.MeasurePillar(
                measure=mrow, order=j, code=r.code, source=r.source.value, confidence=r.confidence
            )
            for j, r in enumerate(ms.pillars)
        )
        links = []
        for j, name in enumerate(ms.departments):
            if name not in departments:
                departments[name] = department_resolve(org, name)
            links.append(
                m.MeasureDepartment(measure=mrow, department=departments[name], order=j, written=name)
            )
        m.MeasureDepartment.objects.bulk_create(links)
        for j, k in enumerate(ms.kpis):
            krow = m.Kpi.objects.create(
                measure=mrow,
                order=j,
                indicator=k.indicator,
                unit=k.unit,
                has_baseline=k.baseline is not None,
                baseline_value=k.baseline.value if k.baseline else None,
                baseline_fy=k.baseline.fiscal_year if k.baseline else None,
                direction=k.direction.value if k.direction else None,
                kind=k.kind.value if k.kind else None,
                provenance=_prov(k.provenance),
            )
            m.KpiTarget.objects.bulk_create(
                m.KpiTarget(kpi=krow, order=t_i, value=t.value, fiscal_year=t.fiscal_year)
                for t_i, t in enumerate(k.targets)
            )
        m.ScheduleEntry.objects.bulk_create(
            m.ScheduleEntry(
                measure=mrow,
                order=j,
                fiscal_year=e.fiscal_year,
                written=e.written,
                phase=e.phase,
                provenance=_prov(e.provenance),
            )
            for j, e in enumerate(ms.schedule)
        )
    m.PreviousPlanReview.objects.bulk_create(
        m.PreviousPlanReview(
            plan=row,
            order=i,
            item=e.item,
            groups=e.groups,
            status=e.status,
            decision=e.decision.value if e.decision else None,
            decision_written=e.decision_written,
            direction=e.direction,
            reference=e.reference,
            provenance=_prov(e.provenance),
        )
        for i, e in enumerate(plan.evaluations)
    )
    from keikaku.services.search import search_index_plan  # search builds on plans; imported late

    search_index_plan(row.pk)
    _done = row
    logger.info("plan_save: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), "operator")
    return _done


def plan_get(plan_id: int) -> m.Plan:
    try:
        return m.Plan.objects.select_related("organisation").get(pk=plan_id)
    except (m.Plan.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"計画 {plan_id} はありません / no plan with id {plan_id}") from None


def _measures_qs():
    return m.Measure.objects.prefetch_related(
        "pillar_refs",
        Prefetch("department_links", queryset=m.MeasureDepartment.objects.order_by("order")),
        Prefetch("kpis", queryset=m.Kpi.objects.prefetch_related("targets")),
        "schedule",
    )


def _prov_model(d: dict | None) -> core.Provenance | None:
    return core.Provenance.model_validate(d) if d else None


def measure_to_core(ms: m.Measure) -> core.Measure:
    return core.Measure(
        key=ms.key,
        policy_key=ms.policy_key,
        title=ms.title,
        description=ms.description,
        pillars=[
            core.PillarRef(code=r.code, source=core.PillarSource(r.source), confidence=r.confidence)
            for r in ms.pillar_refs.all()
        ],
        priority_areas=list(ms.priority_areas),
        priority=ms.priority,
        reposted=ms.reposted,
        departments=[link.written for link in ms.department_links.all()],
        kpis=[
            core.Kpi(
                indicator=k.indicator,
                unit=k.unit,
                baseline=core.Value(value=k.baseline_value or "", fiscal_year=k.baseline_fy)
                if k.has_baseline
                else None,
                targets=[core.Value(value=t.value, fiscal_year=t.fiscal_year) for t in k.targets.all()],
                direction=core.Direction(k.direction) if k.direction else None,
                kind=core.KpiKind(k.kind) if k.kind else None,
                provenance=_prov_model(k.provenance),
            )
            for k in ms.kpis.all()
        ],
        schedule=[
            core.ScheduleEntry(
                fiscal_year=e.fiscal_year,
                written=e.written,
                phase=e.phase,
                provenance=_prov_model(e.provenance),
            )
            for e in ms.schedule.all()
        ],
        deadline_fy=ms.deadline_fy,
        national_measures=list(ms.national_measures),
        notes=ms.notes or None,
        provenance=_prov_model(ms.provenance),
    )


def plan_to_core(row: m.Plan) -> core.Plan:
    org = row.organisation
    policies = list(row.policies.order_by("order"))
    children: dict[int | None, list[m.Policy]] = {}
    for p in policies:
        children.setdefault(p.parent_id, []).append(p)

    def tree(parent_id: int | None) -> list[core.Policy]:
        return [
            core.Policy(key=p.key, title=p.title, pillars=list(p.pillars), children=tree(p.pk))
            for p in children.get(parent_id, [])
        ]

    return core.Plan(
        title=row.title,
        organisation=core.Organisation(
            name=org.name,
            prefecture=org.prefecture or None,
            code=org.code or None,
            kind=core.OrganisationKind(org.kind) if org.kind else None,
        ),
        kinds=[core.PlanKind(k) for k in row.kinds],
        published=row.published or None,
        period=core.Period(start_fy=row.period_start, end_fy=row.period_end, note=row.period_note),
        version=row.version,
        contact=contact_to_core(row.contact),
        sections=[
            core.Section(key=s.key, title=s.title, kind=s.kind, text=s.text)
            for s in row.sections.order_by("order")
        ],
        policies=tree(None),
        measures=[measure_to_core(ms) for ms in _measures_qs().filter(plan=row).order_by("order")],
        evaluations=[
            core.Evaluation(
                item=e.item,
                groups=list(e.groups),
                status=e.status,
                decision=core.Decision(e.decision) if e.decision else None,
                decision_written=e.decision_written,
                direction=e.direction,
                reference=e.reference,
                provenance=_prov_model(e.provenance),
            )
            for e in row.reviews.order_by("order")
        ],
        source=core.SourceDocument.model_validate(row.source) if row.source else None,
    )


def plan_export(plan_id: int) -> core.Plan:
    """The stored plan as a plan JSON document (the same document that was saved)."""
    return plan_to_core(plan_get(plan_id))


def _plan_summary(p: m.Plan) -> PlanSummary:
    return PlanSummary(
        id=p.pk,
        title=p.title,
        organisation=p.organisation.name,
        prefecture=p.organisation.prefecture,
        period_start=p.period_start,
        period_end=p.period_end,
        measures=p.n,
        status=p.status,
        organisation_id=p.organisation_id,
        version=p.version,
        published=p.published,
    )


def plan_list(
    *,
    prefecture: str | None = None,
    organisation: int | None = None,
    organisations: list[m.Organisation] | None = None,
    public_only: bool = False,
) -> Rows[PlanSummary]:
    """Plans with their measure counts, by prefecture, organisation, newest period first: all of them, of
    one ``prefecture``, one ``organisation`` (id) or of ``organisations`` (a member's); ``public_only``:
    published plans only. Lazy: a slice is one query."""
    qs = m.Plan.objects.select_related("organisation").annotate(n=Count("measures"))
    if prefecture:
        qs = qs.filter(organisation__prefecture=prefecture)
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation)
    if organisations is not None:
        qs = qs.filter(organisation__in=organisations)
    if public_only:
        qs = qs.published()
    order = ("organisation__prefecture", "organisation__name", "-period_start", "pk")
    return Rows(qs.order_by(*order), _plan_summary)


@transaction.atomic
def catalogue_save(cat: core.Catalogue, *, now: datetime) -> m.Catalogue:
    _done = m.Catalogue.objects.create(
        title=cat.title,
        published=cat.published or "",
        document=cat.model_dump(mode="json", exclude_none=True),
        created_at=now,
    )
    logger.info("catalogue_save: %s -> %s (by %s)", logs.ref(cat), logs.ref(_done), "operator")
    return _done


def dump_document(doc: core.Plan | core.Catalogue) -> str:
    """The canonical JSON text of a document (what export prints and what sample files hold)."""
    import json

    return json.dumps(doc.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"


@transaction.atomic
def plan_publish(
    actor: Actor, plan: m.Plan, *, revision: int, now: datetime, publish: bool = True, comment: str = ""
) -> m.Plan:
    """Publish an approved version (承認 → 公開), or withdraw a published one (``publish=False``: 公開 →
    下書き). The approver only (``plan.approve``: the organisation's admin); ``actor`` None — the operator
    at the server's command line (``keikaku publish``) — publishes or withdraws a version in any state.

    ``revision`` is the plan's revision as the caller read it; a stale one raises Conflict.
    """
    from keikaku.services import changes
    from keikaku.services.errors import Conflict, ServiceError
    from keikaku.services.people import require

    if actor is not None:  # None: the operator at the server's command line
        require(actor, "plan.approve", plan)
    row = m.Plan.objects.select_for_update().get(pk=plan.pk)
    if row.revision != revision:
        raise Conflict("他の人がこの計画を先に更新しました。画面を読み直してから、もう一度操作してください。")
    if actor is not None and publish and row.status != m.APPROVED:
        raise ServiceError("承認された版だけを公開できます。先に確認依頼と承認を済ませてください。")
    if actor is not None and not publish and row.status != m.PUBLISHED:
        raise ServiceError("この版は公開されていません。")
    before = row.get_status_display()
    row.status = m.PUBLISHED if publish else m.DRAFT
    row.revision += 1
    row.updated_at = now
    if actor is not None and getattr(actor, "is_authenticated", False):
        row._history_user = actor  # type: ignore[attr-defined]
    row.save(update_fields=["status", "revision", "updated_at"])
    line = f"状態: {before} → {row.get_status_display()}"
    changes.log(actor, row, "publish" if publish else "withdraw", "計画", [line], now=now, comment=comment)
    _done = row
    logger.info("plan_publish: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done
