"""PDCA API: periods, progress reports (submit, approve, return), evaluations and a per-plan status count.

Writes need ``Authorization: Bearer <token>`` (tokens from /accounts/profile/, stored hashed). Reads work
without a token and then show only what the public may see (approved progress of published plans).
Every write names the ``revision`` it read; a stale write is answered with HTTP 409.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from keikaku.db.progress import models as gm
from keikaku.services import evaluations as ev_svc
from keikaku.services import progress as svc
from keikaku.services.errors import ServiceError
from keikaku.services.people import can, token_authenticate
from keikaku.services.plans import plan_get
from keikaku.web import clock

router = Router(tags=["pdca"])


class TokenAuth(HttpBearer):
    openapi_description = "API トークン (/accounts/profile/ で発行) / API token"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token, now=clock.now())
        if user is not None:
            request.user = user
        return user


def _public(request: HttpRequest) -> Any:
    """No token: the anonymous public (a truthy marker so that reads go through)."""
    if request.headers.get("Authorization"):
        return None  # a token was sent but did not authenticate → 401
    request.user = AnonymousUser()
    return "anonymous"


# the words the API speaks, as enums in the OpenAPI document (keikaku.db.progress.models)
PeriodState = Literal["planned", "open", "closed"]
ReportState = Literal["draft", "submitted", "approved", "returned"]
DecisionWord = Literal["継続", "完了", "終了", "見直し", "統合"]
EvaluationState = Literal["draft", "decided", "published"]
STATUS_WORDS = "、".join(label for label, _kind in gm.DEFAULT_STATUSES)
STATUS_DESCRIPTION = (
    f"進捗状況: 団体の語彙の語（既定は {STATUS_WORDS}。団体が語彙を定めていればその語）。ほかの語は 400"
    f" / progress status: a word of the organisation's vocabulary (by default {STATUS_WORDS}); another word is a 400"
)

READ = [TokenAuth(), _public]
WRITE = TokenAuth()


def _call(fn: Any, *args: Any, **kw: Any) -> Any:
    try:
        return fn(*args, **kw)
    except ServiceError as e:
        raise HttpError(e.http_status, str(e)) from None


def _plan(request: HttpRequest, plan_id: int):
    plan = _call(plan_get, plan_id)
    if not can(request.user, "plan.view", plan):
        raise HttpError(404, "計画がありません / no such plan")
    return plan


def _period(plan: Any, period_id: int) -> gm.ReportingPeriod:
    """The reporting period ``period_id`` of ``plan``; 404 when it is missing or another plan's."""
    period = _call(svc.period_get, period_id)
    if period.plan_id != plan.pk:
        raise HttpError(404, "報告期間がありません / no such period")
    return period


def _measure(request: HttpRequest, measure_id: int):
    """The measure ``measure_id``; 404 when it is missing or the user may not see its plan."""
    measure = _call(svc.measure_get, measure_id)
    if not can(request.user, "plan.view", measure.plan):
        raise HttpError(404, "施策がありません / no such measure")
    return measure


class PeriodOut(Schema):
    id: int
    plan_id: int
    fiscal_year: int
    quarter: int | None
    due_date: date | None
    state: PeriodState
    revision: int


class ActualIn(Schema):
    kpi_id: int
    number: Decimal | None = Field(default=None, description="数値（unit とともに） / a number, with unit")
    unit: str = ""
    text: str = Field(
        default="",
        description="書いたままの実績（'30 ％'、'1.2万件'、定性の KPI なら 実施）。画面・Excel と同じ規則で読み、"
        "読めなければ 400 / the actual as typed, read by the same rule as the form and the workbook",
    )


class ActualOut(ActualIn):
    indicator: str


class ReportIn(Schema):
    revision: int = 0
    status: str = Field(description=STATUS_DESCRIPTION, examples=[w for w, _k in gm.DEFAULT_STATUSES])
    narrative: str = ""
    evidence: list[str] = []
    actuals: list[ActualIn] = []
    submit: bool = False


class ReportOut(Schema):
    id: int
    measure_id: int
    measure_key: str | None
    period_id: int
    status: str = Field(description=STATUS_DESCRIPTION)
    narrative: str
    evidence: list[str]
    state: ReportState
    review_comment: str
    revision: int
    updated_at: datetime
    actuals: list[ActualOut]


class ActionIn(Schema):
    revision: int
    comment: str = ""


class EvaluationIn(Schema):
    revision: int = 0
    decision: DecisionWord
    rationale: str = ""
    merge_into: int | None = None


class EvaluationOut(Schema):
    id: int
    measure_id: int
    fiscal_year: int
    decision: DecisionWord
    rationale: str
    merge_into: int | None
    state: EvaluationState = Field(
        description="draft 下書き / decided 決定 / published 公開。トークンなし・団体外には published だけ"
        " / without a token or outside the organisation only published ones are listed"
    )
    revision: int


class StatusCountsOut(Schema):
    plan_id: int
    period_id: int | None
    counts: dict[str, int]


def _report_out(r: gm.ProgressReport) -> ReportOut:
    return ReportOut(
        id=r.pk,
        measure_id=r.measure_id,
        measure_key=r.measure.key,
        period_id=r.period_id,
        status=r.status,
        narrative=r.narrative,
        evidence=list(r.evidence),
        state=r.state,
        review_comment=r.review_comment,
        revision=r.revision,
        updated_at=r.updated_at,
        actuals=[
            ActualOut(
                kpi_id=a.kpi_id,
                indicator=a.kpi.indicator,
                number=a.value_number,
                unit=a.unit,
                text=a.value_text,
            )
            for a in r.actuals.select_related("kpi").order_by("kpi__order")
        ],
    )


def _eval_out(e: gm.Evaluation) -> EvaluationOut:
    return EvaluationOut(
        id=e.pk,
        measure_id=e.measure_id,
        fiscal_year=e.fiscal_year,
        decision=e.decision,
        rationale=e.rationale,
        merge_into=e.merge_into_id,
        state=e.state,
        revision=e.revision,
    )


@router.get(
    "/plans/{plan_id}/periods",
    response=list[PeriodOut],
    auth=READ,
    summary="報告期間の一覧 / reporting periods",
)
def periods(request: HttpRequest, plan_id: int):
    plan = _plan(request, plan_id)
    return [
        PeriodOut(
            id=p.pk,
            plan_id=p.plan_id,
            fiscal_year=p.fiscal_year,
            quarter=p.quarter,
            due_date=p.due_date,
            state=p.state,
            revision=p.revision,
        )
        for p in plan.reporting_periods.order_by("fiscal_year", "quarter")
    ]


@router.get(
    "/plans/{plan_id}/progress",
    response=list[ReportOut],
    auth=READ,
    summary="進捗報告の一覧 / progress reports",
)
def reports(request: HttpRequest, plan_id: int, period_id: int | None = None):
    plan = _plan(request, plan_id)
    period = _period(plan, period_id) if period_id is not None else None
    return [_report_out(r) for r in svc.reports_visible(request.user, plan, period)]


@router.get("/progress/{report_id}", response=ReportOut, auth=READ, summary="進捗報告 / one progress report")
def report(request: HttpRequest, report_id: int):
    r = _call(svc.report_get, report_id)
    if not can(request.user, "progress.view", r):
        raise HttpError(404, "進捗報告がありません / no such report")
    return _report_out(r)


@router.put(
    "/periods/{period_id}/measures/{measure_id}/progress",
    response=ReportOut,
    auth=WRITE,
    summary="進捗報告を保存・提出 / save (and submit) the report of a measure",
    description="revision: 0 for a new report, else the revision you read. 409 when it changed since.",
)
def report_save(request: HttpRequest, period_id: int, measure_id: int, body: ReportIn):
    period = _call(svc.period_get, period_id)
    measure = _measure(request, measure_id)
    data = svc.ReportInput(
        status=body.status,
        narrative=body.narrative,
        evidence=body.evidence,
        actuals=[
            svc.ActualInput(kpi_id=a.kpi_id, number=a.number, unit=a.unit, text=a.text) for a in body.actuals
        ],
    )
    r = _call(
        svc.progress_save,
        request.user,
        measure,
        period,
        data,
        revision=body.revision,
        now=clock.now(),
        submit=body.submit,
    )
    return _report_out(r)


def _action(request: HttpRequest, report_id: int, body: ActionIn, fn: Any, **kw: Any) -> ReportOut:
    r = _call(svc.report_get, report_id)
    if not can(request.user, "plan.view", r.measure.plan):
        raise HttpError(404, "進捗報告がありません / no such report")
    return _report_out(_call(fn, request.user, r, revision=body.revision, now=clock.now(), **kw))


@router.post("/progress/{report_id}/submit", response=ReportOut, auth=WRITE, summary="提出 / submit")
def report_submit(request: HttpRequest, report_id: int, body: ActionIn):
    return _action(request, report_id, body, svc.progress_submit)


@router.post("/progress/{report_id}/approve", response=ReportOut, auth=WRITE, summary="承認 / approve")
def report_approve(request: HttpRequest, report_id: int, body: ActionIn):
    return _action(request, report_id, body, svc.progress_approve, comment=body.comment)


@router.post(
    "/progress/{report_id}/return", response=ReportOut, auth=WRITE, summary="差戻し / return with a comment"
)
def report_return(request: HttpRequest, report_id: int, body: ActionIn):
    return _action(request, report_id, body, svc.progress_return, comment=body.comment)


@router.get(
    "/plans/{plan_id}/evaluations",
    response=list[EvaluationOut],
    auth=READ,
    summary="評価の一覧 / evaluations",
    description="公開された評価（団体のメンバーには下書き・決定も） / published evaluations (members see all)",
)
def evaluations(request: HttpRequest, plan_id: int, fiscal_year: int | None = None):
    plan = _plan(request, plan_id)
    return [_eval_out(e) for e in ev_svc.evaluations_visible(request.user, plan, fiscal_year)]


def _eval_action(request: HttpRequest, evaluation_id: int, body: ActionIn, fn: Any) -> EvaluationOut:
    e = _call(ev_svc.evaluation_by_id, evaluation_id)
    if not ev_svc.evaluation_visible(request.user, e):
        raise HttpError(404, "評価がありません / no such evaluation")
    return _eval_out(_call(fn, request.user, e, revision=body.revision, now=clock.now()))


@router.post(
    "/evaluations/{evaluation_id}/decide",
    response=EvaluationOut,
    auth=WRITE,
    summary="評価の決定 / decide an evaluation (the organisation's admin)",
)
def evaluation_decide(request: HttpRequest, evaluation_id: int, body: ActionIn):
    return _eval_action(request, evaluation_id, body, ev_svc.evaluation_decide)


@router.post(
    "/evaluations/{evaluation_id}/publish",
    response=EvaluationOut,
    auth=WRITE,
    summary="評価の公開 / publish a decided evaluation (the organisation's admin)",
)
def evaluation_publish(request: HttpRequest, evaluation_id: int, body: ActionIn):
    return _eval_action(request, evaluation_id, body, ev_svc.evaluation_publish)


@router.post(
    "/evaluations/{evaluation_id}/withdraw",
    response=EvaluationOut,
    auth=WRITE,
    summary="評価を下書きに戻す / take an evaluation back to draft (the organisation's admin)",
)
def evaluation_withdraw(request: HttpRequest, evaluation_id: int, body: ActionIn):
    return _eval_action(request, evaluation_id, body, ev_svc.evaluation_withdraw)


@router.put(
    "/measures/{measure_id}/evaluations/{fiscal_year}",
    response=EvaluationOut,
    auth=WRITE,
    summary="評価を保存 / save the year-end evaluation of a measure",
)
def evaluation_save(request: HttpRequest, measure_id: int, fiscal_year: int, body: EvaluationIn):
    measure = _measure(request, measure_id)
    target = None
    if body.merge_into is not None:
        target = _call(svc.measure_get, body.merge_into)
    e = _call(
        svc.evaluation_save,
        request.user,
        measure,
        fiscal_year,
        decision=body.decision,
        rationale=body.rationale,
        merge_into=target,
        revision=body.revision,
        now=clock.now(),
    )
    return _eval_out(e)


@router.get(
    "/plans/{plan_id}/status-counts",
    response=StatusCountsOut,
    auth=READ,
    summary="状況別の施策数 / measures by status",
)
def status_counts(request: HttpRequest, plan_id: int, period_id: int | None = None):
    plan = _plan(request, plan_id)
    if period_id is not None:
        period = _period(plan, period_id)
    else:
        period = plan.reporting_periods.order_by("-fiscal_year", "-quarter").first()
    return StatusCountsOut(
        plan_id=plan.pk,
        period_id=period.pk if period else None,
        counts=svc.plan_status_counts(request.user, plan, period),
    )
