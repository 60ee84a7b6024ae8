"""Editing a draft plan version's measures: the measure itself, its KPIs and its schedule; add, copy, move
and delete measures. Called alike by the editor pages, the workbook upload and the write API.

Every write takes ``actor`` first and checks ``plan.edit`` before writing; only a 下書き (draft) version
changes (a version in review, approved or published is refused: return it to draft, or make the next
version). Each takes the ``revision`` the caller read — the measure's for its content, KPIs and schedule,
the plan's for adding, copying and moving measures — and raises :class:`Conflict` when it is stale. Every
change goes into the change log (keikaku.services.changes) old → new in Japanese.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max

from keikaku.core.pillars import PILLAR_CODES, PRIORITY_AREA_NAMES, PRIORITY_AREAS
from keikaku.core.plan import MAX_FY, MIN_FY
from keikaku.core.schedule import normalise_phase
from keikaku.core.text import one_line
from keikaku.db.plans import models as pm
from keikaku.services import changes as log
from keikaku.services import logs
from keikaku.services.catalogues import catalogue_national_measures
from keikaku.services.confidence import Unconfirmed, measure_unconfirmed
from keikaku.services.errors import Conflict, NotFound, ServiceError
from keikaku.services.people import Actor, can, require
from keikaku.services.plans import department_resolve

logger = logging.getLogger(__name__)

DIRECTIONS = {"increase": "増やす", "decrease": "減らす", "keep": "維持する", "qualitative": "実施・完了など"}
EDITED = "edited"  # MeasurePillar.source of a pillar a person chose

MEASURE_LABELS = {
    "key": "番号",
    "title": "施策名",
    "description": "内容",
    "policy": "施策体系",
    "pillars": "柱",
    "priority_areas": "重点分野",
    "priority": "重点取組",
    "reposted": "再掲",
    "departments": "担当部署",
    "deadline": "期限年度",
    "national_measures": "国の施策",
    "notes": "備考",
}
KPI_LABELS = {
    "indicator": "指標",
    "unit": "単位",
    "direction": "方向",
    "baseline": "基準値",
    "baseline_fy": "基準年度",
    "targets": "目標値",
    "kind": "指標の種類",
}
KPI_KINDS = {"activity": "活動指標", "outcome": "成果指標"}


# ---- inputs ------------------------------------------------------------------------------------


@dataclass
class MeasureInput:
    title: str
    key: str = ""
    description: str = ""
    policy_id: int | None = None
    pillars: list[str] = field(default_factory=list)
    pillars_confirmed: bool = False  # a person looked at the pillars: inferred ones become edited
    priority_areas: list[str] = field(default_factory=list)
    priority: bool = False
    reposted: bool = False
    departments: list[str] = field(default_factory=list)  # names: existing ones or a new one
    deadline_fy: int | None = None
    national_measures: list[str] = field(default_factory=list)
    notes: str = ""


@dataclass
class KpiInput:
    indicator: str
    unit: str = ""
    direction: str = ""
    baseline_value: str = ""
    baseline_fy: int | None = None
    targets: list[tuple[str, int | None]] = field(default_factory=list)  # (value, fiscal year)
    kind: str = ""  # activity (活動指標), outcome (成果指標) or "" (not said)


def _fy(value: int | None, label: str) -> int | None:
    if value is not None and not MIN_FY <= value <= MAX_FY:
        raise ServiceError(f"{label}は {MIN_FY}〜{MAX_FY} の西暦で入力してください。")
    return value


def _clean_measure(plan: pm.Plan, data: MeasureInput) -> tuple[MeasureInput, pm.Policy | None]:
    title = one_line(data.title)
    if not title:
        raise ServiceError("施策名を入力してください。")
    if len(title) > 1000 or len(data.key) > 100:
        raise ServiceError("施策名は 1000 字、番号は 100 字までです。")
    unknown = [c for c in data.pillars if c not in PILLAR_CODES]
    if unknown:
        raise ServiceError("柱は A〜E または「その他」から選んでください。")
    if any(a not in PRIORITY_AREA_NAMES for a in data.priority_areas):
        raise ServiceError("重点分野は一覧から選んでください。")
    departments = list(dict.fromkeys(one_line(d) for d in data.departments if d.strip()))
    if any(len(d) > 200 for d in departments):
        raise ServiceError("部署名は 200 字までです。")
    policy = None
    if data.policy_id is not None:
        policy = pm.Policy.objects.filter(plan=plan, pk=data.policy_id).first()
        if policy is None:
            raise ServiceError("施策体系がこの計画にありません。")
    order = {c: i for i, c in enumerate(["A", "B", "C", "D", "E", "other"])}
    areas = [a for a in (*PRIORITY_AREAS, "その他") if a in data.priority_areas]
    cleaned = MeasureInput(
        title=title,
        key=data.key.strip(),
        description=data.description.strip(),
        policy_id=policy.pk if policy else None,
        pillars=sorted(dict.fromkeys(data.pillars), key=order.__getitem__),
        pillars_confirmed=data.pillars_confirmed,
        priority_areas=areas,
        priority=data.priority,
        reposted=data.reposted,
        departments=departments,
        deadline_fy=_fy(data.deadline_fy, "期限年度"),
        national_measures=[n.strip() for n in data.national_measures if n.strip()],
        notes=data.notes.strip()[:10_000],
    )
    return cleaned, policy


def _clean_kpi(data: KpiInput) -> KpiInput:
    indicator = one_line(data.indicator)
    if not indicator:
        raise ServiceError("KPI の指標を入力してください。")
    if data.direction and data.direction not in DIRECTIONS:
        raise ServiceError("KPI の方向は一覧から選んでください。")
    if data.kind and data.kind not in KPI_KINDS:
        raise ServiceError("指標の種類は 活動指標 か 成果指標 から選んでください。")
    targets = []
    for value, fy in data.targets:
        value = value.strip()
        if value or fy:
            if not value:
                raise ServiceError("目標年度だけでなく目標値も入力してください。")
            targets.append((value[:200], _fy(fy, "目標年度")))
    return KpiInput(
        indicator=indicator[:1000],
        unit=data.unit.strip()[:50],
        direction=data.direction,
        baseline_value=data.baseline_value.strip()[:200],
        baseline_fy=_fy(data.baseline_fy, "基準年度"),
        targets=targets,
        kind=data.kind,
    )


# ---- guards ------------------------------------------------------------------------------------


def require_draft(plan: pm.Plan) -> None:
    """Only a draft version is edited: one in review or approved goes back to draft first (差戻し), a
    published one is withdrawn or revised into a next version."""
    if plan.status != pm.DRAFT:
        state = dict(pm.Plan.STATUS).get(plan.status, plan.status)
        raise ServiceError(
            f"この版は「{state}」のため編集できません。下書きに戻すか、次の版を作って編集してください。"
        )


def _locked_measure(measure: pm.Measure, revision: int) -> pm.Measure:
    row = pm.Measure.objects.select_for_update().select_related("plan__organisation").get(pk=measure.pk)
    if row.revision != revision:
        raise Conflict(
            "他の人がこの施策を先に更新しました。最新の内容を確かめてから、もう一度保存してください。"
        )
    require_draft(row.plan)
    return row


def locked_plan(plan: pm.Plan, revision: int) -> pm.Plan:
    row = pm.Plan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    if row.revision != revision:
        raise Conflict(
            "他の人がこの計画を先に更新しました。最新の内容を確かめてから、もう一度操作してください。"
        )
    require_draft(row)
    return row


def _bump_measure(row: pm.Measure, actor: Actor) -> None:
    row.revision += 1
    if actor is not None and getattr(actor, "is_authenticated", False):
        row._history_user = actor  # type: ignore[attr-defined]
    row.save()


def bump_plan(row: pm.Plan, actor: Actor, now: datetime) -> None:
    row.revision += 1
    row.updated_at = now
    if actor is not None and getattr(actor, "is_authenticated", False):
        row._history_user = actor  # type: ignore[attr-defined]
    row.save(update_fields=["revision", "updated_at"])


# ---- reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureEditor:
    """What the measure editor shows: the measure with its pillars, departments, KPIs (targets) and
    schedule loaded, the plan's policies, the department names to choose from and the schedule's years."""

    measure: pm.Measure
    plan: pm.Plan
    policies: list[pm.Policy]
    departments: list[str]  # the measure's own as written, then the organisation's
    years: list[int]
    editable: bool  # a draft: the forms are offered
    national: list[str] = field(default_factory=list)  # the loaded catalogue's national measures
    unconfirmed: Unconfirmed = field(default_factory=Unconfirmed)  # 要確認: inferred pillars, guessed KPIs


def measure_editor(actor: Actor, measure_id: int) -> MeasureEditor:
    """The measure for the editor: NotFound outside its organisation, PermissionDenied without the
    editor role."""
    ms = measure_get(measure_id)
    if not can(actor, "plan.view", ms.plan):
        raise NotFound(f"施策 {measure_id} はありません。")
    require(actor, "plan.edit", ms.plan)
    ms = (
        pm.Measure.objects.select_related("plan__organisation", "policy")
        .prefetch_related("pillar_refs", "department_links", "kpis__targets", "schedule")
        .get(pk=ms.pk)
    )
    plan = ms.plan
    names = plan.organisation.departments.order_by("name").values_list("name", flat=True)
    return MeasureEditor(
        measure=ms,
        plan=plan,
        policies=list(plan.policies.order_by("order")),
        departments=list(dict.fromkeys([*(d.written for d in ms.department_links.all()), *names])),
        years=schedule_years(plan, ms),
        editable=plan.status == pm.DRAFT,
        national=catalogue_national_measures(),
        unconfirmed=measure_unconfirmed(ms),
    )


def kpi_editor(actor: Actor, kpi_id: int) -> tuple[pm.Kpi, MeasureEditor]:
    """A KPI and its measure's editor (the same checks as :func:`measure_editor`)."""
    k = kpi_get(kpi_id)
    return k, measure_editor(actor, k.measure_id)


def measure_get(measure_id: int) -> pm.Measure:
    try:
        return pm.Measure.objects.select_related("plan__organisation", "policy").get(pk=measure_id)
    except (pm.Measure.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"施策 {measure_id} はありません。") from None


def kpi_get(kpi_id: int) -> pm.Kpi:
    try:
        return pm.Kpi.objects.select_related("measure__plan__organisation").get(pk=kpi_id)
    except (pm.Kpi.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"KPI {kpi_id} はありません。") from None


def _measure_values(ms: pm.Measure) -> dict[str, Any]:
    policy = ms.policy
    return {
        "key": ms.key or "",
        "title": ms.title,
        "description": ms.description,
        "policy": f"{policy.key} {policy.title}" if policy else "",
        "pillars": [log_pillar(r.code) for r in ms.pillar_refs.order_by("order")],
        "priority_areas": list(ms.priority_areas),
        "priority": ms.priority,
        "reposted": ms.reposted,
        "departments": [d.written for d in ms.department_links.order_by("order")],
        "deadline": log.fiscal(ms.deadline_fy) if ms.deadline_fy else "",
        "national_measures": list(ms.national_measures),
        "notes": ms.notes or "",
    }


def measure_input_of(ms: pm.Measure) -> MeasureInput:
    """The measure as it is stored, as an input (to change one field of it)."""
    return MeasureInput(
        title=ms.title,
        key=ms.key or "",
        description=ms.description,
        policy_id=ms.policy_id,
        pillars=[r.code for r in ms.pillar_refs.order_by("order")],
        priority_areas=list(ms.priority_areas),
        priority=ms.priority,
        reposted=ms.reposted,
        departments=[d.written for d in ms.department_links.order_by("order")],
        deadline_fy=ms.deadline_fy,
        national_measures=list(ms.national_measures),
        notes=ms.notes or "",
    )


def log_pillar(code: str) -> str:
    return "その他" if code == "other" else code


def _target_text(value: str, fy: int | None) -> str:
    return f"{value}（{log.fiscal(fy)}）" if fy else value


def _kpi_values(k: pm.Kpi | None) -> dict[str, Any]:
    if k is None:
        return {}
    return {
        "indicator": k.indicator,
        "unit": k.unit or "",
        "direction": DIRECTIONS.get(k.direction or "", ""),
        "baseline": k.baseline_value or "",
        "baseline_fy": log.fiscal(k.baseline_fy) if k.baseline_fy else "",
        "targets": [_target_text(t.value, t.fiscal_year) for t in k.targets.order_by("order")],
        "kind": KPI_KINDS.get(k.kind or "", ""),
    }


# ---- measures ----------------------------------------------------------------------------------


def _write_measure(row: pm.Measure, data: MeasureInput, policy: pm.Policy | None) -> None:
    """Set ``row``'s fields, pillars and departments from cleaned ``data`` (not saved: the caller bumps)."""
    row.key = data.key or None
    row.title = data.title
    row.description = data.description
    if policy is not None:
        row.policy_key = policy.key
    elif row.policy_id is not None:  # the person took the measure out of its policy
        row.policy_key = None
    # else: keep a policy key the document wrote without a matching policy
    row.policy = policy
    row.priority_areas = data.priority_areas
    row.priority = data.priority
    row.reposted = data.reposted
    row.deadline_fy = data.deadline_fy
    row.national_measures = data.national_measures
    row.notes = data.notes


def _set_pillars(row: pm.Measure, data: MeasureInput) -> None:
    refs = list(row.pillar_refs.order_by("order"))
    if [r.code for r in refs] == data.pillars and not data.pillars_confirmed:
        return  # unchanged: keep where they came from (document / inferred)
    row.pillar_refs.all().delete()
    pm.MeasurePillar.objects.bulk_create(
        pm.MeasurePillar(measure=row, order=i, code=c, source=EDITED, confidence=1.0)
        for i, c in enumerate(data.pillars)
    )


def _set_departments(row: pm.Measure, names: list[str]) -> None:
    if [d.written for d in row.department_links.order_by("order")] == names:
        return
    org = row.plan.organisation
    row.department_links.all().delete()
    pm.MeasureDepartment.objects.bulk_create(
        pm.MeasureDepartment(measure=row, department=department_resolve(org, n), order=i, written=n)
        for i, n in enumerate(names)
    )


@transaction.atomic
def measure_update(
    actor: Actor, measure: pm.Measure, data: MeasureInput, *, revision: int, now: datetime
) -> pm.Measure:
    """Change a measure's key, title, description, policy, pillars (a person's choice: source
    ``edited``), 重点分野, flags, departments (an unknown name becomes a new department), deadline and
    national measures."""
    require(actor, "plan.edit", measure.plan)
    row = _locked_measure(measure, revision)
    data, policy = _clean_measure(row.plan, data)
    before = _measure_values(row)
    _write_measure(row, data, policy)
    _set_pillars(row, data)
    _set_departments(row, data.departments)
    _bump_measure(row, actor)
    row.refresh_from_db()
    lines = log.describe(MEASURE_LABELS, before, _measure_values(row))
    if data.pillars_confirmed and not any(line.startswith("柱:") for line in lines):
        lines.append("柱: 確認済み")
    log.log(actor, row.plan, "edit", log.measure_label(row), lines, now=now, measure=row)
    _done = row
    logger.info("measure_update: %s -> %s (by %s)", logs.ref(measure), logs.ref(_done), logs.by(actor))
    return _done


def _next_order(plan: pm.Plan) -> int:
    top = pm.Measure.objects.filter(plan=plan).aggregate(n=Max("order"))["n"]
    return 0 if top is None else top + 1


def _shift_after(plan: pm.Plan, order: int) -> None:
    """Make room at ``order + 1``: measures after ``order`` move down one place (highest first, so that
    no two rows share an order at any moment)."""
    for ms in pm.Measure.objects.filter(plan=plan, order__gt=order).order_by("-order"):
        pm.Measure.objects.filter(pk=ms.pk).update(order=ms.order + 1)


@transaction.atomic
def measure_create(
    actor: Actor,
    plan: pm.Plan,
    data: MeasureInput,
    *,
    revision: int,
    now: datetime,
    after: pm.Measure | None = None,
) -> pm.Measure:
    """Add a measure to a draft plan: at the end, or just after ``after``. ``revision``: the plan's."""
    require(actor, "plan.edit", plan)
    plan_row = locked_plan(plan, revision)
    data, policy = _clean_measure(plan_row, data)
    if after is not None and after.plan_id != plan_row.pk:
        raise ServiceError("別の計画の施策の後には追加できません。")
    if after is not None:
        _shift_after(plan_row, after.order)
        order = after.order + 1
    else:
        order = _next_order(plan_row)
    row = pm.Measure(plan=plan_row, order=order)
    _write_measure(row, data, policy)
    row.revision = 0
    _bump_measure(row, actor)  # saved with revision 1
    _set_pillars(row, data)
    _set_departments(row, data.departments)
    bump_plan(plan_row, actor, now)
    lines = log.describe(MEASURE_LABELS, {}, _measure_values(row))
    log.log(actor, plan_row, "create", log.measure_label(row), lines, now=now, measure=row)
    _done = row
    logger.info("measure_create: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def measure_copy(actor: Actor, measure: pm.Measure, *, revision: int, now: datetime) -> pm.Measure:
    """A copy of the measure (KPIs, targets and schedule included) just after it, titled 「（複製）」.
    ``revision``: the plan's."""
    require(actor, "plan.edit", measure.plan)
    plan_row = locked_plan(measure.plan, revision)
    src = pm.Measure.objects.get(pk=measure.pk)
    _shift_after(plan_row, src.order)
    pillars = list(src.pillar_refs.order_by("order"))
    links = list(src.department_links.order_by("order"))
    kpis = list(src.kpis.order_by("order").prefetch_related("targets"))
    schedule = list(src.schedule.order_by("order"))
    row = pm.Measure.objects.get(pk=src.pk)
    row.pk = None
    row.id = None
    row._state.adding = True
    row.order = src.order + 1
    row.title = f"{src.title}（複製）"[:1000]
    row.revision = 0
    row.provenance = None
    _bump_measure(row, actor)
    for p in pillars:
        pm.MeasurePillar.objects.create(
            measure=row, order=p.order, code=p.code, source=p.source, confidence=p.confidence
        )
    for d in links:
        pm.MeasureDepartment.objects.create(
            measure=row, department_id=d.department_id, order=d.order, written=d.written
        )
    for k in kpis:
        targets = list(k.targets.order_by("order"))
        k.pk = None
        k.id = None
        k._state.adding = True
        k.measure = row
        k.save()
        for t in targets:
            pm.KpiTarget.objects.create(kpi=k, order=t.order, value=t.value, fiscal_year=t.fiscal_year)
    for e in schedule:
        pm.ScheduleEntry.objects.create(
            measure=row, order=e.order, fiscal_year=e.fiscal_year, written=e.written, phase=e.phase
        )
    bump_plan(plan_row, actor, now)
    log.log(
        actor,
        plan_row,
        "copy",
        log.measure_label(src),
        [f"複製: {log.measure_label(row)}"],
        now=now,
        measure=row,
    )
    return row


@transaction.atomic
def measure_move(
    actor: Actor,
    measure: pm.Measure,
    *,
    revision: int,
    now: datetime,
    position: int | None = None,
    step: int = 0,
) -> pm.Measure:
    """Move a measure in the plan's order: to ``position`` (0 = first), or ``step`` places (-1 up, +1
    down). ``revision``: the plan's."""
    require(actor, "plan.edit", measure.plan)
    plan_row = locked_plan(measure.plan, revision)
    rows = list(pm.Measure.objects.filter(plan=plan_row).order_by("order", "pk"))
    index = next((i for i, r in enumerate(rows) if r.pk == measure.pk), None)
    if index is None:
        raise NotFound("施策がこの計画にありません。")
    target = position if position is not None else index + step
    target = max(0, min(len(rows) - 1, target))
    row = rows.pop(index)
    rows.insert(target, row)
    if target != index:
        base = len(rows) + max((r.order for r in rows), default=0) + 1
        for i, r in enumerate(rows):  # two passes: never two rows with the same order in between
            pm.Measure.objects.filter(pk=r.pk).update(order=base + i)
        for i, r in enumerate(rows):
            pm.Measure.objects.filter(pk=r.pk).update(order=i)
        bump_plan(plan_row, actor, now)
        line = f"順番: {index + 1} 番目 → {target + 1} 番目"
        log.log(actor, plan_row, "move", log.measure_label(row), [line], now=now, measure=row)
    row.refresh_from_db()
    return row


@transaction.atomic
def measure_delete(actor: Actor, measure: pm.Measure, *, revision: int, now: datetime) -> None:
    """Delete a measure of a draft plan (its KPIs and schedule with it). ``revision``: the measure's."""
    require(actor, "plan.edit", measure.plan)
    row = _locked_measure(measure, revision)
    plan_row = pm.Plan.objects.select_for_update().get(pk=row.plan_id)
    label = log.measure_label(row)
    if actor is not None and getattr(actor, "is_authenticated", False):
        row._history_user = actor  # type: ignore[attr-defined]
    row.delete()
    bump_plan(plan_row, actor, now)
    log.log(actor, plan_row, "delete", label, [f"削除: {label}"], now=now)
    logger.info("measure_delete: %s -> %s (by %s)", logs.ref(measure), logs.ref(None), logs.by(actor))


# ---- KPIs --------------------------------------------------------------------------------------


def _write_kpi(k: pm.Kpi, data: KpiInput) -> None:
    k.indicator = data.indicator
    k.unit = data.unit or None
    k.direction = data.direction or None
    k.has_baseline = bool(data.baseline_value or data.baseline_fy)
    k.baseline_value = data.baseline_value or None
    k.baseline_fy = data.baseline_fy
    k.kind = data.kind or None
    k.confirmed = True  # a person wrote (or looked at and saved) these values
    k.save()
    k.targets.all().delete()
    pm.KpiTarget.objects.bulk_create(
        pm.KpiTarget(kpi=k, order=i, value=v, fiscal_year=fy) for i, (v, fy) in enumerate(data.targets)
    )


def _kpi_label(ms: pm.Measure, k: pm.Kpi | dict) -> str:
    indicator = k.indicator if isinstance(k, pm.Kpi) else k.get("indicator", "")
    return f"{log.measure_label(ms)} の KPI「{log.text(indicator)}」"


@transaction.atomic
def kpi_create(actor: Actor, measure: pm.Measure, data: KpiInput, *, revision: int, now: datetime) -> pm.Kpi:
    """Add a KPI to a measure. ``revision``: the measure's."""
    require(actor, "plan.edit", measure.plan)
    row = _locked_measure(measure, revision)
    data = _clean_kpi(data)
    top = row.kpis.aggregate(n=Max("order"))["n"]
    k = pm.Kpi(measure=row, order=0 if top is None else top + 1)
    if actor is not None and getattr(actor, "is_authenticated", False):
        k._history_user = actor  # type: ignore[attr-defined]
    _write_kpi(k, data)
    _bump_measure(row, actor)
    lines = log.describe(KPI_LABELS, {}, _kpi_values(k))
    log.log(actor, row.plan, "create", _kpi_label(row, k), lines, now=now, measure=row)
    _done = k
    logger.info("kpi_create: %s -> %s (by %s)", logs.ref(measure), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def kpi_update(actor: Actor, kpi: pm.Kpi, data: KpiInput, *, revision: int, now: datetime) -> pm.Kpi:
    """Change a KPI: indicator, unit, direction, baseline and its year, targets with their years.
    ``revision``: the measure's."""
    require(actor, "plan.edit", kpi.measure.plan)
    row = _locked_measure(kpi.measure, revision)
    data = _clean_kpi(data)
    k = pm.Kpi.objects.get(pk=kpi.pk)
    before = _kpi_values(k)
    if actor is not None and getattr(actor, "is_authenticated", False):
        k._history_user = actor  # type: ignore[attr-defined]
    _write_kpi(k, data)
    _bump_measure(row, actor)
    lines = log.describe(KPI_LABELS, before, _kpi_values(k))
    if lines:
        log.log(actor, row.plan, "edit", _kpi_label(row, before), lines, now=now, measure=row)
    _done = k
    logger.info("kpi_update: %s -> %s (by %s)", logs.ref(kpi), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def kpi_delete(actor: Actor, kpi: pm.Kpi, *, revision: int, now: datetime) -> None:
    """Delete a KPI (its targets and reported actuals with it). ``revision``: the measure's."""
    require(actor, "plan.edit", kpi.measure.plan)
    row = _locked_measure(kpi.measure, revision)
    k = pm.Kpi.objects.get(pk=kpi.pk)
    label = _kpi_label(row, k)
    if actor is not None and getattr(actor, "is_authenticated", False):
        k._history_user = actor  # type: ignore[attr-defined]
    k.delete()
    _bump_measure(row, actor)
    log.log(actor, row.plan, "delete", label, [f"削除: {label}"], now=now, measure=row)
    logger.info("kpi_delete: %s -> %s (by %s)", logs.ref(kpi), logs.ref(None), logs.by(actor))


# ---- schedule ----------------------------------------------------------------------------------


def schedule_years(plan: pm.Plan, measure: pm.Measure) -> list[int]:
    """The fiscal years the schedule form offers: the plan's period (five years from its start when it
    has no end), plus any year the measure's schedule already names."""
    have = list(measure.schedule.values_list("fiscal_year", flat=True))
    start = plan.period_start or (min(have) if have else None)
    if start is None:
        return sorted(set(have))
    end = plan.period_end if plan.period_end and plan.period_end >= start else start + 4
    return sorted(set(range(start, min(end, start + 20) + 1)) | set(have))


@transaction.atomic
def schedule_set(
    actor: Actor, measure: pm.Measure, cells: list[tuple[int, str]], *, revision: int, now: datetime
) -> pm.Measure:
    """Replace a measure's schedule: one phase word per fiscal year as written (検討, 実施, →, ○ or free
    text; empty: nothing that year), normalised to its phase. ``revision``: the measure's."""
    require(actor, "plan.edit", measure.plan)
    row = _locked_measure(measure, revision)
    entries: list[tuple[int, str]] = []
    for fy, written in sorted(cells):
        written = one_line(written)
        _fy(fy, "年度")
        if len(written) > 200:
            raise ServiceError("スケジュールの記載は 1 年度 200 字までです。")
        if written:
            entries.append((fy, written))
    before = {e.fiscal_year: e.written for e in row.schedule.all()}
    after = dict(entries)
    row.schedule.all().delete()
    pm.ScheduleEntry.objects.bulk_create(
        pm.ScheduleEntry(measure=row, order=i, fiscal_year=fy, written=w, phase=normalise_phase(w))
        for i, (fy, w) in enumerate(entries)
    )
    _bump_measure(row, actor)
    lines = [
        f"{log.fiscal(fy)}: {before.get(fy) or log.NONE} → {after.get(fy) or log.NONE}"
        for fy in sorted(set(before) | set(after))
        if before.get(fy) != after.get(fy)
    ]
    if lines:
        log.log(
            actor, row.plan, "edit", f"{log.measure_label(row)} のスケジュール", lines, now=now, measure=row
        )
    _done = row
    logger.info("schedule_set: %s -> %s (by %s)", logs.ref(measure), logs.ref(_done), logs.by(actor))
    return _done


# ---- confirming what the importer guessed --------------------------------------------------------


@transaction.atomic
def measure_confirm(actor: Actor, measure: pm.Measure, *, revision: int, now: datetime) -> pm.Measure:
    """A person checked the measure's low-confidence fields and keeps them: its pillars inferred at import
    become ``edited`` (the person's choice) and its KPIs confirmed (keikaku.core.guesses flags them no
    more). ``revision``: the measure's."""
    require(actor, "plan.edit", measure.plan)
    row = _locked_measure(measure, revision)
    inferred = list(row.pillar_refs.filter(source="inferred").order_by("order"))
    kpis = list(row.kpis.filter(confirmed=False).order_by("order"))
    lines = []
    if inferred:
        row.pillar_refs.filter(pk__in=[r.pk for r in inferred]).update(source=EDITED, confidence=1.0)
        lines.append(f"柱: {'、'.join(log_pillar(r.code) for r in inferred)}（推定）→ 確認済み")
    if kpis:
        pm.Kpi.objects.filter(pk__in=[k.pk for k in kpis]).update(confirmed=True)
        lines += [f"KPI「{log.text(k.indicator)}」の値: 確認済み" for k in kpis]
    _bump_measure(row, actor)
    log.log(actor, row.plan, "edit", log.measure_label(row), lines or ["確認済み"], now=now, measure=row)
    logger.info("measure_confirm: %s -> %s (by %s)", logs.ref(measure), logs.ref(row), logs.by(actor))
    return row
