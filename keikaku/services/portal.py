"""Use cases of the public portal: the read-only views of published plans.

organisations_by_prefecture, plan_page, measure_page, plan_coverage, plan_gantt, plans_compare,
measure_similar. Every function takes ids and typed filters and returns plain dataclasses; unknown or
unpublished ids raise :class:`NotFound`. Queries are a fixed handful per page (prefetch, no N+1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_delete, post_save

from keikaku.core import plan as core
from keikaku.core import similarity
from keikaku.core.pillars import PILLAR_CODES, PILLARS, PRIORITY_AREA_NAMES, PRIORITY_AREAS
from keikaku.db.plans import models as m
from keikaku.db.progress import models as gm
from keikaku.services.errors import NotFound
from keikaku.services.people import Actor, can
from keikaku.services.plans import _measures_qs, measure_to_core
from keikaku.services.stamps import history_max_sql

FLAGS = ("priority", "reposted")
MAX_COMPARE = 5
UNSET = ""  # the "no 重点分野" column of the coverage matrix


# --- organisations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanVersion:
    id: int
    title: str
    version: str | None
    period_start: int | None
    period_end: int | None
    published: str
    measures: int


@dataclass(frozen=True)
class PlanLine:
    """A plan and its earlier versions (newest first)."""

    latest: PlanVersion
    older: list[PlanVersion]


@dataclass(frozen=True)
class OrganisationEntry:
    id: int
    name: str
    kind: str
    code: str | None
    plans: list[PlanLine]


@dataclass(frozen=True)
class PrefectureGroup:
    prefecture: str
    organisations: list[OrganisationEntry]


def organisations_by_prefecture(*, prefecture: str | None = None) -> list[PrefectureGroup]:
    """Organisations with published plans, grouped by prefecture; versions linked by ``previous`` folded
    under their newest version. One query."""
    qs = (
        m.Plan.objects.published()
        .select_related("organisation")
        .annotate(n=Count("measures"))
        .order_by("organisation__prefecture", "organisation__name", "-period_start", "-pk")
    )
    if prefecture:
        qs = qs.filter(organisation__prefecture=prefecture)
    rows = list(qs)
    by_id = {p.pk: p for p in rows}
    superseded = {p.previous_id for p in rows if p.previous_id in by_id}
    groups: dict[str, dict[int, OrganisationEntry]] = defaultdict(dict)

    def version(p: m.Plan) -> PlanVersion:
        return PlanVersion(p.pk, p.title, p.version, p.period_start, p.period_end, p.published, p.n)

    for p in rows:
        if p.pk in superseded:
            continue
        older, seen, prev = [], {p.pk}, p.previous_id
        while prev in by_id and prev not in seen:
            seen.add(prev)
            older.append(version(by_id[prev]))
            prev = by_id[prev].previous_id
        org = p.organisation
        entry = groups[org.prefecture].get(org.pk)
        if entry is None:
            entry = groups[org.prefecture][org.pk] = OrganisationEntry(
                org.pk, org.name, org.kind, org.code, []
            )
        entry.plans.append(PlanLine(version(p), older))
    return [PrefectureGroup(pref, list(orgs.values())) for pref, orgs in groups.items()]


def prefectures() -> list[tuple[str, int]]:
    """Prefectures with published plans and how many organisations each has."""
    qs = (
        m.Organisation.objects.filter(plans__status=m.PUBLISHED)
        .values_list("prefecture")
        .annotate(n=Count("id", distinct=True))
        .order_by("prefecture")
    )
    return [(p, n) for p, n in qs]


# --- one plan -------------------------------------------------------------------------------------


def published_plan(plan_id: int) -> m.Plan:
    try:
        row = m.Plan.objects.published().select_related("organisation").get(pk=plan_id)
    except (m.Plan.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"計画 {plan_id} はありません / no plan with id {plan_id}") from None
    return row


@dataclass(frozen=True)
class PlanFilters:
    """The plan page's measure filters (GET parameters). Unknown values are dropped, not errors."""

    pillar: str | None = None
    area: str | None = None
    department: int | None = None
    flag: str | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> PlanFilters:
        pillar = params.get("pillar") or None
        area = params.get("area") or None
        flag = params.get("flag") or None
        dept_text = (params.get("department") or "").strip()
        department = (
            int(dept_text) if dept_text.isascii() and dept_text.isdigit() and len(dept_text) < 16 else None
        )
        return cls(
            pillar=pillar if pillar in PILLAR_CODES else None,
            area=area if area in PRIORITY_AREA_NAMES else None,
            department=department,
            flag=flag if flag in FLAGS else None,
        )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.pillar, self.area, self.department, self.flag))


@dataclass(frozen=True)
class MeasureRow:
    id: int
    key: str | None
    title: str
    pillars: list[str]
    areas: list[str]
    departments: list[str]
    department_ids: list[int]
    priority: bool
    reposted: bool
    kpis: list[str]

    def matches(self, f: PlanFilters) -> bool:
        return (
            (f.pillar is None or f.pillar in self.pillars)
            and (f.area is None or f.area in self.areas)
            and (f.department is None or f.department in self.department_ids)
            and (f.flag is None or getattr(self, f.flag))
        )


@dataclass
class PolicyNode:
    key: str
    title: str
    pillars: list[str]
    measures: int = 0
    children: list[PolicyNode] = field(default_factory=list)


@dataclass(frozen=True)
class PlanHeader:
    id: int
    title: str
    organisation: str
    prefecture: str
    kinds: list[str]
    published: str
    period_start: int | None
    period_end: int | None
    period_note: str | None
    version: str | None
    previous_id: int | None
    next_ids: list[int]
    contact: dict[str, str] = field(default_factory=dict)  # 問い合わせ先: section, phone, email
    related_plans: list[str] = field(default_factory=list)  # 位置付け


@dataclass(frozen=True)
class PlanPage:
    plan: PlanHeader
    sections: list[core.Section]
    policies: list[PolicyNode]
    measures: list[MeasureRow]  # after filtering
    total: int
    filters: PlanFilters
    departments: list[tuple[int, str]]  # filter options
    pillars: list[str]
    areas: list[str]


def _header(row: m.Plan) -> PlanHeader:
    nexts = list(row.next_versions.published().order_by("pk").values_list("pk", flat=True))
    prev = row.previous_id if row.previous_id and row.previous and row.previous.is_published else None
    return PlanHeader(
        id=row.pk,
        title=row.title,
        organisation=row.organisation.name,
        prefecture=row.organisation.prefecture,
        kinds=list(row.kinds),
        published=row.published,
        period_start=row.period_start,
        period_end=row.period_end,
        period_note=row.period_note,
        version=row.version,
        previous_id=prev,
        next_ids=nexts,
        contact=dict(row.contact or {}),
        related_plans=list(row.related_plans or []),
    )


def _by_measure(qs, *fields: str) -> dict[int, list]:
    """Child rows of a plan's measures grouped by measure id, in document order: one flat query
    (values_list: no model instances, no per-measure managers — the prefetch overhead of 100 measures)."""
    out: dict[int, list] = defaultdict(list)
    for row in qs.order_by("measure_id", "order").values_list("measure_id", *fields):
        out[row[0]].append(row[1] if len(fields) == 1 else row[1:])
    return out


def _measure_rows(plan: m.Plan) -> list[MeasureRow]:
    """The plan's measures for lists, filters and coverage: four queries whatever the number of measures."""
    pillars = _by_measure(m.MeasurePillar.objects.filter(measure__plan=plan), "code")
    depts = _by_measure(m.MeasureDepartment.objects.filter(measure__plan=plan), "department_id", "written")
    kpis = _by_measure(m.Kpi.objects.filter(measure__plan=plan), "indicator")
    rows = (
        m.Measure.objects.filter(plan=plan)
        .order_by("order")
        .values_list("id", "key", "title", "priority_areas", "priority", "reposted")
    )
    return [
        MeasureRow(
            id=pk,
            key=key,
            title=title,
            pillars=pillars.get(pk, []),
            areas=list(areas or []),
            departments=[w for _d, w in depts.get(pk, [])],
            department_ids=[d for d, _w in depts.get(pk, [])],
            priority=priority,
            reposted=reposted,
            kpis=kpis.get(pk, []),
        )
        for pk, key, title, areas, priority, reposted in rows
    ]


def _policy_tree(plan: m.Plan, counts: Mapping[str | None, int]) -> list[PolicyNode]:
    nodes: dict[int, PolicyNode] = {}
    roots: list[PolicyNode] = []
    for p in m.Policy.objects.filter(plan=plan).order_by("order"):
        node = nodes[p.pk] = PolicyNode(p.key, p.title, list(p.pillars), counts.get(p.key, 0))
        parent = nodes.get(p.parent_id) if p.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def plan_page(plan_id: int, filters: PlanFilters = PlanFilters()) -> PlanPage:
    return _plan_page(published_plan(plan_id), filters)


def plan_preview_page(actor: Actor, plan_id: int, filters: PlanFilters = PlanFilters()) -> PlanPage:
    """The public plan page of any version — a draft, one in review or approved — for the members of its
    organisation (the preview before publishing); NotFound for everyone else."""
    try:
        row = m.Plan.objects.select_related("organisation").get(pk=plan_id)
    except m.Plan.DoesNotExist:
        raise NotFound(f"no plan {plan_id}") from None
    if not can(actor, "history.view", row):
        raise NotFound(f"no plan {plan_id}")
    return _plan_page(row, filters)


def _plan_page(row: m.Plan, filters: PlanFilters) -> PlanPage:
    rows = _measure_rows(row)
    depts = m.Department.objects.filter(measure_links__measure__plan=row).distinct().order_by("name")
    counts: dict[str | None, int] = defaultdict(int)
    for ms in m.Measure.objects.filter(plan=row).values_list("policy_key", flat=True):
        counts[ms] += 1
    present_pillars = {c for r in rows for c in r.pillars}
    present_areas = {a for r in rows for a in r.areas}
    return PlanPage(
        plan=_header(row),
        sections=[
            core.Section(key=s.key, title=s.title, kind=s.kind, text=s.text)
            for s in row.sections.order_by("order")
        ],
        policies=_policy_tree(row, counts),
        measures=[r for r in rows if r.matches(filters)],
        total=len(rows),
        filters=filters,
        departments=[(d.pk, d.name) for d in depts],
        pillars=[p.code for p in PILLARS if p.code in present_pillars],
        areas=[a for a in PRIORITY_AREAS if a in present_areas],
    )


# --- cache stamp of the public pages ---------------------------------------------------------------

# models with history tables: a save or delete in any process adds a history row. Progress (periods,
# reports, actuals, evaluations) is among them: public pages show approved progress and published evaluations
_HISTORY_MODELS = (
    m.Organisation,
    m.Department,
    m.Plan,
    m.Measure,
    m.Kpi,
    gm.ReportingPeriod,
    gm.ProgressReport,
    gm.KpiActual,
    gm.Evaluation,
)
# every model a plan page shows: in-process saves and deletes (admin included) bump the generation
_PAGE_MODELS = (
    *_HISTORY_MODELS,
    m.Section,
    m.Policy,
    m.MeasurePillar,
    m.MeasureDepartment,
    m.KpiTarget,
    m.ScheduleEntry,
)
_generation = [0]


def _bump(**_kw: object) -> None:
    _generation[0] += 1


def generation() -> int:
    """This process's count of saves and deletes of the models public pages show."""
    return _generation[0]


for _model in _PAGE_MODELS:
    post_save.connect(_bump, sender=_model, dispatch_uid=f"keikaku-portal-{_model.__name__}-save")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"keikaku-portal-{_model.__name__}-delete")


def _history_sql() -> str:
    return history_max_sql(_HISTORY_MODELS)


def plan_page_stamp(plan_id: int) -> tuple:
    """What a cached public page of this plan depends on (see :func:`public_page_stamp`): the plan's update
    time and revision, the newest history row of organisations, departments, plans, measures and KPIs (any
    save or delete in any process — plan_save, a revision, a department merge, an edit in the admin — moves
    one of them) and this process's count of saves and deletes of every model the page shows. Raises
    NotFound when the plan is not published."""
    stamp = public_page_stamp(plan_id=plan_id)
    if stamp is None:
        raise NotFound(f"計画 {plan_id} はありません / no plan with id {plan_id}")
    return stamp


def public_page_stamp(*, plan_id: int | None = None, measure_id: int | None = None) -> tuple | None:
    """The data stamp of any public page, for caching whole responses: the newest history rows and this
    process's change count (as :func:`plan_page_stamp`), plus — for a page of one plan or one measure — that
    plan's update time and revision. None when that plan or measure is not published (such a page is an
    error page, never cached). Changes made without the models (raw SQL, ``QuerySet.update`` of other
    plans) are not seen: callers bound their cache entries with a timeout."""
    sql = f"SELECT {_history_sql()}"
    params: list[int] = []
    plans, measures = connection.ops.quote_name(m.Plan._meta.db_table), m.Measure._meta.db_table
    if plan_id is not None:
        sql += f", p.updated_at, p.revision FROM {plans} p WHERE p.id = %s AND p.status = 'published'"
        params.append(int(plan_id))
    elif measure_id is not None:
        sql += (
            f", p.updated_at, p.revision FROM {connection.ops.quote_name(measures)} ms"
            f" JOIN {plans} p ON p.id = ms.plan_id WHERE ms.id = %s AND p.status = 'published'"
        )
        params.append(int(measure_id))
    with connection.cursor() as cur:
        cur.execute(sql, params)  # noqa: S608 - names from models, values bound
        row = cur.fetchone()
    return None if row is None else (*row, _generation[0])


# --- one measure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarMeasure:
    id: int
    key: str | None
    title: str
    plan_id: int
    plan_title: str
    organisation: str
    prefecture: str
    score: float


@dataclass(frozen=True)
class MeasurePage:
    id: int
    plan: PlanHeader
    measure: core.Measure
    policy_title: str | None
    similar: list[SimilarMeasure]


def published_measure(measure_id: int) -> m.Measure:
    try:
        return _measures_qs().select_related("plan__organisation", "policy").published().get(pk=measure_id)
    except (m.Measure.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"施策 {measure_id} はありません / no measure with id {measure_id}") from None


def measure_page(measure_id: int, *, similar: int = 5) -> MeasurePage:
    row = published_measure(measure_id)
    return MeasurePage(
        id=row.pk,
        plan=_header(row.plan),
        measure=measure_to_core(row),
        policy_title=row.policy.title if row.policy else None,
        similar=measure_similar(row.pk, limit=similar),
    )


MAX_CANDIDATES = 300  # measures compared in full with one measure: the memory and time of a page stay bounded


def measure_similar(measure_id: int, *, limit: int = 5, minimum: float = 0.1) -> list[SimilarMeasure]:
    """The measures of other published plans most similar in text to this one, best first.

    No index over every measure is held in memory (at national scale, ~110,000 measures, a TF-IDF matrix
    took ~190 MB and 10 s to build): candidates come from the search index (measures whose title shares
    3-character pieces with this title, keikaku.services.search.title_candidates), the best
    MAX_CANDIDATES of them by pieces shared are compared by TF-IDF cosine (keikaku.core.similarity)."""
    from keikaku.services.search import title_candidates

    row = published_measure(measure_id)  # raises NotFound
    counts = title_candidates(row.title)
    counts.pop(row.pk, None)
    ranked = sorted(counts, key=lambda i: (-counts[i], i))[: MAX_CANDIDATES * 2]
    rows = list(
        m.Measure.objects.published()
        .filter(pk__in=ranked)
        .exclude(plan_id=row.plan_id)
        .select_related("plan__organisation")
        .only(
            "id",
            "key",
            "title",
            "description",
            "plan__id",
            "plan__title",
            "plan__organisation__name",
            "plan__organisation__prefecture",
        )
    )
    rows.sort(key=lambda ms: (-counts[ms.pk], ms.pk))
    rows = rows[:MAX_CANDIDATES]
    if not rows:
        return []
    scores = similarity.cross_similarity(
        [similarity.measure_text(row.title, row.description)],
        [similarity.measure_text(ms.title, ms.description) for ms in rows],
    )[0]
    best = sorted(range(len(rows)), key=lambda j: (-float(scores[j]), rows[j].pk))[:limit]
    out = []
    for j in best:
        score = round(min(1.0, float(scores[j])), 4)
        if score <= minimum:
            continue
        ms = rows[j]
        org = ms.plan.organisation
        out.append(
            SimilarMeasure(
                ms.pk, ms.key, ms.title, ms.plan_id, ms.plan.title, org.name, org.prefecture, score
            )
        )
    return out


# --- coverage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    plan: PlanHeader
    pillars: list[str]  # row codes: A..E, other, then "" for measures without a pillar when any
    areas: list[str]  # column names: the 8 重点分野, then "" for measures without one
    counts: list[list[int]]  # [pillar][area]: measures serving both
    pillar_totals: list[int]  # measures per pillar (a measure counted once per pillar)
    area_totals: list[int]
    measures: int
    missing_pillars: list[str]  # the guide's warning: a pillar (A–E) with no measure


def _coverage(
    rows: Sequence[MeasureRow],
) -> tuple[list[str], list[str], list[list[int]], list[int], list[int]]:
    pillars = [p.code for p in PILLARS]
    if any(not r.pillars for r in rows):
        pillars.append(UNSET)
    areas = [*PRIORITY_AREAS, UNSET]
    counts = [[0] * len(areas) for _ in pillars]
    p_index = {c: i for i, c in enumerate(pillars)}
    a_index = {a: j for j, a in enumerate(areas)}
    pillar_totals = [0] * len(pillars)
    area_totals = [0] * len(areas)
    for r in rows:
        ps = sorted({p_index[c] for c in r.pillars if c in p_index}) or [p_index[UNSET]]
        as_ = sorted({a_index[a] for a in r.areas if a in a_index}) or [a_index[UNSET]]
        for i in ps:
            pillar_totals[i] += 1
            for j in as_:
                counts[i][j] += 1
        for j in as_:
            area_totals[j] += 1
    return pillars, areas, counts, pillar_totals, area_totals


def plan_coverage(plan_id: int) -> Coverage:
    row = published_plan(plan_id)
    rows = _measure_rows(row)
    pillars, areas, counts, p_tot, a_tot = _coverage(rows)
    missing = [c for c, n in zip(pillars, p_tot, strict=True) if c not in ("other", UNSET) and n == 0]
    return Coverage(_header(row), pillars, areas, counts, p_tot, a_tot, len(rows), missing)


# --- Gantt ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GanttLine:
    id: int
    key: str | None
    title: str
    cells: list[tuple[int, str, str | None]]  # (fiscal year, written, phase)
    deadline_fy: int | None


@dataclass(frozen=True)
class Gantt:
    plan: PlanHeader
    years: list[int]
    lines: list[GanttLine]


def plan_gantt(plan_id: int) -> Gantt:
    row = published_plan(plan_id)
    schedule = _by_measure(
        m.ScheduleEntry.objects.filter(measure__plan=row), "fiscal_year", "written", "phase"
    )
    rows = (
        m.Measure.objects.filter(plan=row).order_by("order").values_list("id", "key", "title", "deadline_fy")
    )
    lines = [GanttLine(pk, key, title, schedule.get(pk, []), deadline) for pk, key, title, deadline in rows]
    years = {fy for ln in lines for fy, _w, _p in ln.cells}
    lo = min([y for y in (row.period_start, *years) if y is not None], default=None)
    hi = max([y for y in (row.period_end, *years) if y is not None], default=None)
    span = list(range(lo, hi + 1)) if lo is not None and hi is not None and hi - lo < 60 else sorted(years)
    return Gantt(_header(row), span, lines)


# --- comparison -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparedPlan:
    plan: PlanHeader
    measures: int
    pillar_counts: list[int]  # per PILLARS code
    area_counts: list[int]  # per PRIORITY_AREAS


@dataclass(frozen=True)
class SharedPair:
    a: MeasureRow
    b: MeasureRow
    score: float


@dataclass(frozen=True)
class PairComparison:
    """Two plans: the measures they share (paired by text similarity) and those only one has."""

    a: PlanHeader
    b: PlanHeader
    shared: list[SharedPair]
    only_a: list[MeasureRow]
    only_b: list[MeasureRow]


@dataclass(frozen=True)
class Comparison:
    plans: list[ComparedPlan]
    pillars: list[str]
    areas: list[str]
    pairs: list[PairComparison]
    threshold: float


def plans_compare(
    plan_ids: Sequence[int], *, threshold: float = similarity.DEFAULT_SHARED_THRESHOLD
) -> Comparison:
    """Compare 2–5 published plans: pillar and 重点分野 coverage side by side, and for each pair of plans
    (first with each other one) the measures they share and the measures only one of them has."""
    ids = list(dict.fromkeys(plan_ids))
    if not 2 <= len(ids) <= MAX_COMPARE:
        raise ValueError(f"compare 2 to {MAX_COMPARE} different plans")
    loaded = []
    for pid in ids:
        row = published_plan(pid)
        loaded.append((_header(row), _measure_rows(row), row))
    texts: dict[int, list[str]] = {}
    for header, _rows, row in loaded:
        desc = dict(m.Measure.objects.filter(plan=row).values_list("id", "description"))
        texts[header.id] = [similarity.measure_text(r.title, desc.get(r.id, "")) for r in _rows]
    compared = []
    for header, rows, _row in loaded:
        compared.append(
            ComparedPlan(
                header,
                len(rows),
                [sum(1 for r in rows if p.code in r.pillars) for p in PILLARS],
                [sum(1 for r in rows if a in r.areas) for a in PRIORITY_AREAS],
            )
        )
    pairs = []
    first_header, first_rows, _ = loaded[0]
    for header, rows, _row in loaded[1:]:
        scores = similarity.cross_similarity(texts[first_header.id], texts[header.id])
        matched = similarity.pair_up(scores, threshold)
        used_a = {p.a for p in matched}
        used_b = {p.b for p in matched}
        pairs.append(
            PairComparison(
                first_header,
                header,
                [SharedPair(first_rows[p.a], rows[p.b], p.score) for p in matched],
                [r for i, r in enumerate(first_rows) if i not in used_a],
                [r for j, r in enumerate(rows) if j not in used_b],
            )
        )
    return Comparison(compared, [p.code for p in PILLARS], list(PRIORITY_AREAS), pairs, threshold)


def plan_choices() -> list[tuple[int, str]]:
    """(id, "organisation: title") of every published plan, for the comparison form."""
    qs = (
        m.Plan.objects.published()
        .select_related("organisation")
        .order_by("organisation__prefecture", "organisation__name", "-period_start", "pk")
    )
    return [
        (p.pk, f"{p.organisation.prefecture}{p.organisation.name}: {p.title}")
        for p in qs.only("id", "title", "organisation__name", "organisation__prefecture")
    ]
