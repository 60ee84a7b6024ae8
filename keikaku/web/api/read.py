"""Read-only API: organisations, plans, measures, search, similar measures (published plans only).

Lists are paginated with ``limit`` (1–100) and ``offset``; unknown ids give 404, malformed parameters 422.
Plans and measures are returned in the plan JSON format (keikaku.core.plan; schema at /schema/…).
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from keikaku.core.pillars import PRIORITY_AREA_NAMES
from keikaku.db.plans import models as m
from keikaku.services.directory import measure_list, organisation_get, organisation_list
from keikaku.services.errors import NotFound
from keikaku.services.plans import measure_to_core, plan_list, plan_to_core
from keikaku.services.portal import measure_similar, published_measure, published_plan
from keikaku.services.public_progress import progress_data, progress_document
from keikaku.services.search import MAX_LIMIT, MAX_OFFSET, measure_search

router = Router(tags=["read"])

MAX_ID = 2**63 - 1
PillarCode = Literal["A", "B", "C", "D", "E", "other"]


class Pagination(LimitOffsetPagination):
    """limit 1–100 (default 20), offset 0–1,000,000 (larger values are a 422, not a database error)."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=1_000_000)


def _check_id(value: int, what: str) -> int:
    if not 1 <= value <= MAX_ID:
        raise HttpError(404, f"{what} {value} はありません / not found")
    return value


def _published_plan(plan_id: int) -> m.Plan:
    _check_id(plan_id, "計画")
    try:
        return published_plan(plan_id)
    except NotFound as e:
        raise HttpError(404, str(e)) from None


def _published_measure(measure_id: int) -> m.Measure:
    _check_id(measure_id, "施策")
    try:
        return published_measure(measure_id)
    except NotFound as e:
        raise HttpError(404, str(e)) from None


# ---------------------------------------------------------------- schemas


class OrganisationOut(Schema):
    id: int
    name: str
    prefecture: str
    kind: str
    code: str | None
    plans: int = Field(..., description="公開されている計画の数 / published plans")


class PlanOut(Schema):
    id: int
    title: str
    organisation_id: int
    organisation: str
    prefecture: str
    period_start: int | None
    period_end: int | None
    version: str | None
    published: str
    measures: int


class OrganisationDetail(Schema):
    id: int
    name: str
    prefecture: str
    kind: str
    code: str | None
    plans: list[PlanOut]


class MeasureOut(Schema):
    id: int
    plan_id: int
    key: str | None
    title: str
    description: str
    pillars: list[str]
    priority_areas: list[str]
    priority: bool
    reposted: bool
    departments: list[str]


class MeasureDetail(Schema):
    id: int
    plan_id: int
    plan_title: str
    organisation: str
    prefecture: str
    measure: dict[str, Any] = Field(
        ..., description="plan JSON の measures[] の 1 件 / one plan-format measure"
    )


class SearchHitOut(Schema):
    measure_id: int
    plan_id: int
    plan_title: str
    organisation: str
    prefecture: str
    key: str
    title: str
    snippet: str
    pillars: list[str]
    priority_areas: list[str]
    title_match: bool
    score: float = Field(description="relevance within its group (title matches first); 0 without words")


class SuggestionOut(Schema):
    query: str = Field(
        description="「もしかして」: the query with unknown words replaced by the nearest indexed words"
    )
    count: int
    total_capped: bool


class SearchOut(Schema):
    query: str
    terms: list[str]
    count: int = Field(description="matches; a lower bound when total_capped is true")
    total_capped: bool = Field(
        description="true when counting stopped at the cap (1,000 or the end of the requested page): "
        "there are at least `count` matches"
    )
    limit: int
    offset: int
    items: list[SearchHitOut]
    suggestion: SuggestionOut | None = None


class SimilarOut(Schema):
    id: int
    key: str | None
    title: str
    plan_id: int
    plan_title: str
    organisation: str
    prefecture: str
    score: float


class SearchParams(Schema):
    q: str = Field("", description="検索語（空白区切りで AND）/ words, all must match")
    prefecture: str | None = Field(None, max_length=20)
    pillar: PillarCode | None = None
    priority_area: str | None = Field(None, description="重点分野", max_length=50)
    fiscal_year: int | None = Field(
        None, ge=1900, le=2200, description="年度（西暦）: スケジュールまたは計画期間"
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


# ---------------------------------------------------------------- endpoints


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    summary="団体の一覧 / organisations with published plans",
)
@paginate(Pagination)
def organisations(request: HttpRequest, prefecture: str | None = Query(None, max_length=20)) -> Any:
    return organisation_list(prefecture=prefecture)


@router.get(
    "/organisations/{organisation_id}", response=OrganisationDetail, summary="団体と計画 / an organisation"
)
def organisation_detail(request: HttpRequest, organisation_id: int) -> Any:
    _check_id(organisation_id, "団体")
    try:
        return organisation_get(organisation_id)
    except NotFound as e:
        raise HttpError(404, str(e)) from None


@router.get("/plans", response=list[PlanOut], summary="公開計画の一覧 / published plans")
@paginate(Pagination)
def plans(
    request: HttpRequest,
    prefecture: str | None = Query(None, max_length=20),
    organisation: int | None = Query(None, ge=1, le=MAX_ID),
) -> Any:
    return plan_list(prefecture=prefecture, organisation=organisation or None, public_only=True)


@router.get("/plans/{plan_id}", response=dict[str, Any], summary="計画 (plan JSON) / a plan as plan JSON")
def plan_detail(request: HttpRequest, plan_id: int) -> Any:
    row = _published_plan(plan_id)
    return plan_to_core(row).model_dump(mode="json", exclude_none=True)


@router.get("/plans/{plan_id}/measures", response=list[MeasureOut], summary="計画の施策 / measures of a plan")
@paginate(Pagination)
def plan_measures(request: HttpRequest, plan_id: int) -> Any:
    _check_id(plan_id, "計画")
    try:
        return measure_list(plan_id)
    except NotFound as e:
        raise HttpError(404, str(e)) from None


@router.get(
    "/plans/{plan_id}/actuals",
    response=dict[str, Any],
    summary="承認された実績と公開された評価 / approved KPI actuals and published evaluations",
)
def plan_actuals(request: HttpRequest, plan_id: int) -> Any:
    """The same document as /plans/{id}/progress.json: every approved report's KPI actuals (with the target
    they are measured against and the attainment) and every published evaluation."""
    _check_id(plan_id, "計画")
    try:
        return progress_document(progress_data(plan_id))
    except NotFound as e:
        raise HttpError(404, str(e)) from None


@router.get("/measures/{measure_id}", response=MeasureDetail, summary="施策 / a measure")
def measure_detail(request: HttpRequest, measure_id: int) -> Any:
    ms = _published_measure(measure_id)
    org = ms.plan.organisation
    return {
        "id": ms.pk,
        "plan_id": ms.plan_id,
        "plan_title": ms.plan.title,
        "organisation": org.name,
        "prefecture": org.prefecture,
        "measure": measure_to_core(ms).model_dump(mode="json", exclude_none=True),
    }


@router.get(
    "/measures/{measure_id}/similar",
    response=list[SimilarOut],
    summary="類似の施策 / similar measures elsewhere",
)
def measure_similar_list(request: HttpRequest, measure_id: int, limit: int = Query(5, ge=1, le=50)) -> Any:
    _check_id(measure_id, "施策")
    try:
        return [s.__dict__ for s in measure_similar(measure_id, limit=limit)]
    except NotFound as e:
        raise HttpError(404, str(e)) from None


@router.get("/search", response=SearchOut, summary="施策の全文検索 / full-text search over measures")
def search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    if params.priority_area and params.priority_area not in PRIORITY_AREA_NAMES:
        raise HttpError(422, f"unknown 重点分野: {params.priority_area}")
    page = measure_search(
        params.q,
        prefecture=params.prefecture,
        pillar=params.pillar,
        priority_area=params.priority_area,
        fiscal_year=params.fiscal_year,
        limit=params.limit,
        offset=params.offset,
    )
    return {
        "query": page.query[:200],
        "terms": page.terms,
        "count": page.total,
        "total_capped": page.total_capped,
        "limit": page.limit,
        "offset": page.offset,
        "items": [h.__dict__ for h in page.hits],
        "suggestion": (
            {"query": s.query, "count": s.total, "total_capped": s.total_capped}
            if (s := page.suggestion)
            else None
        ),
    }
