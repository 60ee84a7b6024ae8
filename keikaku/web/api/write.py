"""Write API for plans: edit a draft version (plan fields, policies, measures, KPIs, schedule), move it
through the workflow (submit, approve, publish, withdraw) and start the next version (revise).

Every write needs ``Authorization: Bearer <token>`` (from /accounts/profile/ or ``keikaku token``) and
names the ``revision`` it read: the plan's for plan fields, policies, new measures and the workflow, the
measure's for a measure, its KPIs and its schedule. A stale revision is answered with 409. The thin
handlers only call the use cases in keikaku.services (editing, plan_editing, workflow, revision), which
check permission (403), refuse bad input (400) and find nothing (404).
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from keikaku.db.plans import models as pm
from keikaku.services import editing, plan_editing, workflow
from keikaku.services.errors import NotFound
from keikaku.services.people import can, organisation_lookup
from keikaku.services.plans import plan_get
from keikaku.services.revision import plan_create, plan_revise
from keikaku.web import clock
from keikaku.web.api import read
from keikaku.web.api.pdca import WRITE, _call

router = Router(tags=["write"])
# Paths that also answer a GET in read.py are added to read's router: django-ninja resolves a path in the
# first router that has it, so a PATCH on a second router's /plans/{plan_id} would be a 405.
shared = read.router
TAGS = ["write"]

MAX_ID = 2**63 - 1
Direction = Literal["", "increase", "decrease", "keep", "qualitative"]
PillarCode = Literal["A", "B", "C", "D", "E", "other"]


def _id(value: int, what: str) -> int:
    if not 1 <= value <= MAX_ID:
        raise HttpError(404, f"{what}がありません / no such {what}")
    return value


def _visible(request: HttpRequest, plan: pm.Plan, what: str) -> None:
    """404 for a plan the caller may not even see (a draft of another organisation)."""
    if not can(request.user, "plan.view", plan):
        raise HttpError(404, f"{what}がありません / not found")


def _plan(request: HttpRequest, plan_id: int) -> pm.Plan:
    plan = _call(plan_get, _id(plan_id, "計画"))
    _visible(request, plan, "計画")
    return plan


def _measure(request: HttpRequest, measure_id: int) -> pm.Measure:
    ms = _call(editing.measure_get, _id(measure_id, "施策"))
    _visible(request, ms.plan, "施策")
    return ms


def _kpi(request: HttpRequest, kpi_id: int) -> pm.Kpi:
    k = _call(editing.kpi_get, _id(kpi_id, "KPI"))
    _visible(request, k.measure.plan, "KPI")
    return k


def _policy(request: HttpRequest, policy_id: int) -> pm.Policy:
    p = _call(plan_editing.policy_get, _id(policy_id, "施策体系"))
    _visible(request, p.plan, "施策体系")
    return p


# ---------------------------------------------------------------- schemas


class PlanVersionOut(Schema):
    id: int
    title: str
    organisation_id: int
    status: str = Field(description="draft / review / approved / published")
    version: str | None
    period_start: int | None
    period_end: int | None
    previous_id: int | None
    revision: int


class PlanPatch(Schema):
    revision: int
    title: str | None = Field(None, max_length=1000)
    kinds: list[str] | None = None
    period_start: int | None = Field(None, ge=1900, le=2200)
    period_end: int | None = Field(None, ge=1900, le=2200)
    period_note: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, description="YYYY-MM", max_length=7)
    version: str | None = Field(None, max_length=100)
    contact_section: str | None = Field(None, max_length=200)
    contact_phone: str | None = Field(None, max_length=100)
    contact_email: str | None = Field(None, max_length=254)
    related_plans: list[str] | None = None


class RevisionIn(Schema):
    revision: int
    comment: str = Field("", max_length=4000)


class ReviseIn(Schema):
    revision: int
    fiscal_year: int | None = Field(None, ge=1900, le=2200)
    title: str | None = Field(None, max_length=1000)
    version: str | None = Field(None, max_length=100)


class PolicyIn(Schema):
    revision: int = Field(description="計画の revision / the plan's revision")
    key: str = Field(max_length=100, description="番号 / number, e.g. (1)")
    title: str = Field(max_length=500)
    parent_id: int | None = None


class PolicyPatch(Schema):
    revision: int = Field(description="計画の revision / the plan's revision")
    key: str | None = Field(None, max_length=100)
    title: str | None = Field(None, max_length=500)


class PolicyOut(Schema):
    id: int
    plan_id: int
    parent_id: int | None
    key: str | None
    title: str
    plan_revision: int


class MeasureFields(Schema):
    key: str | None = Field(None, max_length=100)
    title: str | None = Field(None, max_length=1000)
    description: str | None = Field(None, max_length=20000)
    policy_id: int | None = None
    pillars: list[PillarCode] | None = None
    pillars_confirmed: bool | None = None
    priority_areas: list[str] | None = None
    priority: bool | None = None
    reposted: bool | None = None
    departments: list[str] | None = None
    deadline_fy: int | None = Field(None, ge=1900, le=2200)
    national_measures: list[str] | None = None


class MeasureIn(MeasureFields):
    revision: int = Field(description="計画の revision / the plan's revision")
    title: str = Field(max_length=1000)  # type: ignore[assignment]


class MeasurePatch(MeasureFields):
    revision: int = Field(description="施策の revision / the measure's revision")


class MeasureEditOut(Schema):
    id: int
    plan_id: int
    key: str | None
    title: str
    policy_id: int | None
    pillars: list[str]
    departments: list[str]
    revision: int


class TargetIn(Schema):
    value: str = Field(max_length=200)
    fiscal_year: int | None = Field(None, ge=1900, le=2200)


class KpiFields(Schema):
    indicator: str | None = Field(None, max_length=1000)
    unit: str | None = Field(None, max_length=50)
    direction: Direction | None = None
    baseline_value: str | None = Field(None, max_length=200)
    baseline_fy: int | None = Field(None, ge=1900, le=2200)
    targets: list[TargetIn] | None = None


class KpiIn(KpiFields):
    revision: int = Field(description="施策の revision / the measure's revision")
    indicator: str = Field(max_length=1000)  # type: ignore[assignment]


class KpiPatch(KpiFields):
    revision: int = Field(description="施策の revision / the measure's revision")


class KpiOut(Schema):
    id: int
    measure_id: int
    indicator: str
    unit: str | None
    direction: str | None
    baseline_value: str | None
    baseline_fy: int | None
    targets: list[TargetIn]
    measure_revision: int


class ScheduleCell(Schema):
    fiscal_year: int = Field(ge=1900, le=2200)
    written: str = Field("", max_length=200, description="検討・実施・→・○ または自由記述 / phase word")


class ScheduleIn(Schema):
    revision: int = Field(description="施策の revision / the measure's revision")
    cells: list[ScheduleCell]


class ScheduleOut(Schema):
    measure_id: int
    cells: list[ScheduleCell]
    revision: int


class DeletedOut(Schema):
    id: int
    revision: int = Field(description="計画または施策の新しい revision / the parent's new revision")


# ---------------------------------------------------------------- converters


def _plan_out(p: pm.Plan) -> PlanVersionOut:
    return PlanVersionOut(
        id=p.pk,
        title=p.title,
        organisation_id=p.organisation_id,
        status=p.status,
        version=p.version,
        period_start=p.period_start,
        period_end=p.period_end,
        previous_id=p.previous_id,
        revision=p.revision,
    )


def _policy_out(p: pm.Policy) -> PolicyOut:
    return PolicyOut(
        id=p.pk,
        plan_id=p.plan_id,
        parent_id=p.parent_id,
        key=p.key,
        title=p.title,
        plan_revision=pm.Plan.objects.get(pk=p.plan_id).revision,
    )


def _measure_out(ms: pm.Measure) -> MeasureEditOut:
    return MeasureEditOut(
        id=ms.pk,
        plan_id=ms.plan_id,
        key=ms.key,
        title=ms.title,
        policy_id=ms.policy_id,
        pillars=[r.code for r in ms.pillar_refs.order_by("order")],
        departments=[d.written for d in ms.department_links.order_by("order")],
        revision=ms.revision,
    )


def _kpi_out(k: pm.Kpi) -> KpiOut:
    return KpiOut(
        id=k.pk,
        measure_id=k.measure_id,
        indicator=k.indicator,
        unit=k.unit,
        direction=k.direction,
        baseline_value=k.baseline_value,
        baseline_fy=k.baseline_fy,
        targets=[TargetIn(value=t.value, fiscal_year=t.fiscal_year) for t in k.targets.order_by("order")],
        measure_revision=pm.Measure.objects.get(pk=k.measure_id).revision,
    )


def _changes(body: Schema) -> dict[str, Any]:
    """The fields the caller sent (a PATCH changes only those), without ``revision``."""
    sent = body.model_dump(exclude_unset=True)
    sent.pop("revision", None)
    return sent


def _plan_current(p: pm.Plan) -> plan_editing.PlanInput:
    contact = p.contact or {}
    return plan_editing.PlanInput(
        title=p.title,
        kinds=list(p.kinds),
        period_start=p.period_start,
        period_end=p.period_end,
        period_note=p.period_note or "",
        published=p.published or "",
        version=p.version or "",
        contact_section=contact.get("section", ""),
        contact_phone=contact.get("phone", ""),
        contact_email=contact.get("email", ""),
        related_plans=list(p.related_plans or []),
    )


def _kpi_current(k: pm.Kpi) -> editing.KpiInput:
    return editing.KpiInput(
        indicator=k.indicator,
        unit=k.unit or "",
        direction=k.direction or "",
        baseline_value=k.baseline_value or "",
        baseline_fy=k.baseline_fy,
        targets=[(t.value, t.fiscal_year) for t in k.targets.order_by("order")],
        kind=k.kind or "",
    )


def _none_to_empty(fields: dict[str, Any], base: Any) -> dict[str, Any]:
    """A field sent as null means "empty" for the text and list fields of ``base``."""
    defaults = asdict(base)
    out = {}
    for name, value in fields.items():
        if value is None and isinstance(defaults.get(name), str | list | bool):
            value = type(defaults[name])()
        out[name] = value
    return out


def _kpi_input(base: editing.KpiInput, fields: dict[str, Any]) -> editing.KpiInput:
    if "targets" in fields:
        fields["targets"] = [(t["value"], t.get("fiscal_year")) for t in fields["targets"] or []]
    return replace(base, **_none_to_empty(fields, base))


# ---------------------------------------------------------------- plans

NOTE = (
    "revision: 読んだときの値。古ければ 409 / the revision you read; 409 when it changed since."
    " 下書きの版だけ編集できます（ほかは 400） / only a draft version is edited (else 400)."
)


class PlanCreateIn(Schema):
    organisation_id: int = Field(ge=1, le=MAX_ID, description="団体の ID / the organisation's id")
    title: str = Field(min_length=1, max_length=1000)
    start_fy: int | None = Field(None, ge=1900, le=2200, description="計画期間の初年度 / first fiscal year")
    end_fy: int | None = Field(None, ge=1900, le=2200, description="最終年度 / last fiscal year")


@shared.post(
    "/plans",
    tags=TAGS,
    response=PlanVersionOut,
    auth=WRITE,
    summary="下書きの計画を作る / create an empty draft plan",
    description="団体の編集者・管理者だけ / editors and admins of the organisation only.",
)
def plan_create_op(request: HttpRequest, body: PlanCreateIn):
    try:
        organisation = organisation_lookup(str(body.organisation_id))
    except NotFound:
        organisation = None
    if organisation is None or not can(request.user, "plan.edit", organisation):
        raise HttpError(404, "団体がありません / organisation not found")
    row = _call(
        plan_create,
        request.user,
        organisation,
        title=body.title,
        now=clock.now(),
        start_fy=body.start_fy,
        end_fy=body.end_fy,
    )
    return _plan_out(row)


@shared.patch(
    "/plans/{plan_id}",
    tags=TAGS,
    response=PlanVersionOut,
    auth=WRITE,
    summary="計画（版）の項目を変更 / edit a draft plan version",
    description="送った項目だけを変えます / changes only the fields sent. " + NOTE,
)
def plan_patch(request: HttpRequest, plan_id: int, body: PlanPatch):
    plan = _plan(request, plan_id)
    base = _plan_current(plan)
    data = replace(base, **_none_to_empty(_changes(body), base))
    return _plan_out(
        _call(plan_editing.plan_update, request.user, plan, data, revision=body.revision, now=clock.now())
    )


def _workflow(request: HttpRequest, plan_id: int, body: RevisionIn, fn: Any) -> PlanVersionOut:
    plan = _plan(request, plan_id)
    row = _call(fn, request.user, plan, revision=body.revision, now=clock.now(), comment=body.comment)
    return _plan_out(row)


@router.post(
    "/plans/{plan_id}/submit",
    response=PlanVersionOut,
    auth=WRITE,
    summary="確認依頼 / submit a draft for review",
    description="編集者・管理者 / editors and the admin. revision: 計画の / the plan's.",
)
def plan_submit(request: HttpRequest, plan_id: int, body: RevisionIn):
    return _workflow(request, plan_id, body, workflow.plan_submit)


@router.post(
    "/plans/{plan_id}/approve",
    response=PlanVersionOut,
    auth=WRITE,
    summary="承認 / approve a version in review",
    description="承認者（団体の管理者）だけ / the approver (the organisation's admin) only.",
)
def plan_approve(request: HttpRequest, plan_id: int, body: RevisionIn):
    return _workflow(request, plan_id, body, workflow.plan_approve)


@router.post(
    "/plans/{plan_id}/return",
    response=PlanVersionOut,
    auth=WRITE,
    summary="差戻し / return a version in review (or approved) to draft",
    description="承認者だけ。comment（直してほしいこと）が必要 / the approver only; comment required.",
)
def plan_return(request: HttpRequest, plan_id: int, body: RevisionIn):
    return _workflow(request, plan_id, body, workflow.plan_return)


@router.post(
    "/plans/{plan_id}/publish",
    response=PlanVersionOut,
    auth=WRITE,
    summary="公開 / publish an approved version",
    description="承認者だけ。承認済みの版だけ / the approver only; approved versions only.",
)
def plan_publish(request: HttpRequest, plan_id: int, body: RevisionIn):
    return _workflow(request, plan_id, body, workflow.plan_publish)


@router.post(
    "/plans/{plan_id}/withdraw",
    response=PlanVersionOut,
    auth=WRITE,
    summary="公開の取り下げ / withdraw a published version to draft",
    description="承認者だけ / the approver only.",
)
def plan_withdraw(request: HttpRequest, plan_id: int, body: RevisionIn):
    return _workflow(request, plan_id, body, workflow.plan_withdraw)


@router.post(
    "/plans/{plan_id}/revise",
    response=PlanVersionOut,
    auth=WRITE,
    summary="次の版（下書き）を作る / create the next version as a draft",
    description=(
        "評価（継続・見直し・完了・終了・統合）を反映した下書きを作ります。次の版がすでにあれば 409"
        " / a draft of the next version from the evaluations; 409 when one exists."
    ),
)
def plan_revise_op(request: HttpRequest, plan_id: int, body: ReviseIn):
    plan = _plan(request, plan_id)
    row = _call(
        plan_revise,
        request.user,
        plan,
        now=clock.now(),
        fiscal_year=body.fiscal_year,
        title=body.title,
        version=body.version,
        revision=body.revision,
    )
    return _plan_out(row)


# ---------------------------------------------------------------- policies


@router.post(
    "/plans/{plan_id}/policies",
    response=PolicyOut,
    auth=WRITE,
    summary="施策体系を追加 / add a policy",
    description=NOTE,
)
def policy_create(request: HttpRequest, plan_id: int, body: PolicyIn):
    plan = _plan(request, plan_id)
    parent = _policy(request, body.parent_id) if body.parent_id is not None else None
    p = _call(
        plan_editing.policy_create,
        request.user,
        plan,
        key=body.key,
        title=body.title,
        parent=parent,
        revision=body.revision,
        now=clock.now(),
    )
    return _policy_out(p)


@router.patch(
    "/policies/{policy_id}",
    response=PolicyOut,
    auth=WRITE,
    summary="施策体系の番号・名前を変更 / rename a policy",
    description=NOTE,
)
def policy_patch(request: HttpRequest, policy_id: int, body: PolicyPatch):
    p = _policy(request, policy_id)
    key = body.key if body.key is not None else (p.key or "")
    title = body.title if body.title is not None else p.title
    _call(
        plan_editing.policy_update,
        request.user,
        p,
        key=key,
        title=title,
        revision=body.revision,
        now=clock.now(),
    )
    return _policy_out(_call(plan_editing.policy_get, p.pk))


@router.delete(
    "/policies/{policy_id}",
    response=DeletedOut,
    auth=WRITE,
    summary="施策体系を削除 / delete a policy",
    description="下位のない施策体系だけ。施策は計画に残ります / only one without children. " + NOTE,
)
def policy_delete(request: HttpRequest, policy_id: int, revision: int):
    p = _policy(request, policy_id)
    _call(plan_editing.policy_delete, request.user, p, revision=revision, now=clock.now())
    return DeletedOut(id=policy_id, revision=pm.Plan.objects.get(pk=p.plan_id).revision)


# ---------------------------------------------------------------- measures


@shared.post(
    "/plans/{plan_id}/measures",
    tags=TAGS,
    response=MeasureEditOut,
    auth=WRITE,
    summary="施策を追加 / add a measure",
    description="revision: 計画の / the plan's. " + NOTE,
)
def measure_create(request: HttpRequest, plan_id: int, body: MeasureIn):
    plan = _plan(request, plan_id)
    base = editing.MeasureInput(title=body.title)
    data = replace(base, **_none_to_empty(_changes(body), base))
    ms = _call(editing.measure_create, request.user, plan, data, revision=body.revision, now=clock.now())
    return _measure_out(ms)


@shared.patch(
    "/measures/{measure_id}",
    tags=TAGS,
    response=MeasureEditOut,
    auth=WRITE,
    summary="施策を変更 / edit a measure",
    description="送った項目だけを変えます / changes only the fields sent. revision: 施策の / the measure's. "
    + NOTE,
)
def measure_patch(request: HttpRequest, measure_id: int, body: MeasurePatch):
    ms = _measure(request, measure_id)
    base = editing.measure_input_of(ms)
    data = replace(base, **_none_to_empty(_changes(body), base))
    row = _call(editing.measure_update, request.user, ms, data, revision=body.revision, now=clock.now())
    return _measure_out(row)


@shared.delete(
    "/measures/{measure_id}",
    tags=TAGS,
    response=DeletedOut,
    auth=WRITE,
    summary="施策を削除 / delete a measure",
    description="KPI とスケジュールも削除 / its KPIs and schedule too. revision: 施策の / the measure's. "
    + NOTE,
)
def measure_delete(request: HttpRequest, measure_id: int, revision: int):
    ms = _measure(request, measure_id)
    _call(editing.measure_delete, request.user, ms, revision=revision, now=clock.now())
    return DeletedOut(id=measure_id, revision=pm.Plan.objects.get(pk=ms.plan_id).revision)


# ---------------------------------------------------------------- KPIs and schedule


@router.post(
    "/measures/{measure_id}/kpis",
    response=KpiOut,
    auth=WRITE,
    summary="KPI を追加 / add a KPI",
    description="revision: 施策の / the measure's. " + NOTE,
)
def kpi_create(request: HttpRequest, measure_id: int, body: KpiIn):
    ms = _measure(request, measure_id)
    data = _kpi_input(editing.KpiInput(indicator=body.indicator), _changes(body))
    k = _call(editing.kpi_create, request.user, ms, data, revision=body.revision, now=clock.now())
    return _kpi_out(k)


@router.patch(
    "/kpis/{kpi_id}",
    response=KpiOut,
    auth=WRITE,
    summary="KPI を変更（目標値など） / edit a KPI (targets …)",
    description="送った項目だけを変えます。targets は全体を置き換えます / changes only the fields sent;"
    " targets replaces the whole list. revision: 施策の / the measure's. " + NOTE,
)
def kpi_patch(request: HttpRequest, kpi_id: int, body: KpiPatch):
    k = _kpi(request, kpi_id)
    data = _kpi_input(_kpi_current(k), _changes(body))
    row = _call(editing.kpi_update, request.user, k, data, revision=body.revision, now=clock.now())
    return _kpi_out(row)


@router.delete(
    "/kpis/{kpi_id}",
    response=DeletedOut,
    auth=WRITE,
    summary="KPI を削除 / delete a KPI",
    description="revision: 施策の / the measure's. " + NOTE,
)
def kpi_delete(request: HttpRequest, kpi_id: int, revision: int):
    k = _kpi(request, kpi_id)
    _call(editing.kpi_delete, request.user, k, revision=revision, now=clock.now())
    return DeletedOut(id=kpi_id, revision=pm.Measure.objects.get(pk=k.measure_id).revision)


@router.put(
    "/measures/{measure_id}/schedule",
    response=ScheduleOut,
    auth=WRITE,
    summary="スケジュールを置き換え / replace a measure's schedule",
    description="年度ごとの語（空なら記載なし） / one phase word per fiscal year (empty: none)."
    " revision: 施策の / the measure's. " + NOTE,
)
def schedule_put(request: HttpRequest, measure_id: int, body: ScheduleIn):
    ms = _measure(request, measure_id)
    cells = [(c.fiscal_year, c.written) for c in body.cells]
    row = _call(editing.schedule_set, request.user, ms, cells, revision=body.revision, now=clock.now())
    return ScheduleOut(
        measure_id=row.pk,
        cells=[
            ScheduleCell(fiscal_year=e.fiscal_year, written=e.written)
            for e in row.schedule.order_by("fiscal_year")
        ],
        revision=row.revision,
    )
