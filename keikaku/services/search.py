"""Search across the measures of all published plans: measure_search, search_index_plan, search_reindex.

Text is normalised (keikaku.core.ranking.normalise: NFKC, lower case, katakana → hiragana, a dash after a
kana read as ー) on both sides. Each whitespace-separated term must match (AND). Terms of 3+ characters use
substring indexes (SQLite FTS5 trigram / PostgreSQL pg_trgm); 1–2-character terms such as 「防災」 use a
bigram index, since trigram indexes silently find nothing for them (keikaku.services.search_backends).

Ranking: measures whose title contains every term first, then the others; within each group by relevance
(BM25F over title and body, title weighted 5×, keikaku.core.ranking), ties by measure id. A group larger
than RANK_WINDOW is ranked over its first RANK_WINDOW matches in stored order, and the rest follows in
stored order: a page never reads, counts or sorts every match (counts stop at COUNT_CAP), so 1-character
queries over 100k measures stay fast. The ranked order is computed in Python from the same rows on SQLite
and PostgreSQL, so both give the same order. A query with few results gets a 「もしかして」 suggestion
(keikaku.services.search_suggest). Any query string is accepted: it is capped, and passed only as bound
parameters or quoted FTS phrases.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from keikaku.core.facets import facet_tag, facets_for
from keikaku.core.ranking import grams, highlight, normalise, rank, text_runs
from keikaku.core.text import one_line
from keikaku.db.plans import models as pm
from keikaku.db.search.models import MeasureDocument
from keikaku.services import logs
from keikaku.services import search_backends as sb
from keikaku.services.search_suggest import suggest_terms

logger = logging.getLogger(__name__)

__all__ = ["normalise", "grams", "query_terms", "measure_search", "search_index_plan", "search_reindex"]

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_LIMIT = 100
MAX_OFFSET = 10_000
COUNT_CAP = (
    1000  # totals beyond this are shown as "1,000 件以上" (counting every match costs more than the page)
)
RANK_WINDOW = 100  # matches per group that are ranked (the first ones in stored order)
SUGGEST_BELOW = 5  # a query with fewer results than this gets a 「もしかして」 suggestion
SUGGEST_COUNT_CAP = 100  # a suggestion's results are counted up to this ("100 件以上")
_SNIPPET = 120
_BODY_MAX = 8000

Part = tuple[str, bool]  # (text as written, matches a search term)


@dataclass(frozen=True)
class SearchHit:
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
    score: float = 0.0  # relevance within its group (0 when the query has no terms)
    title_parts: list[Part] = field(default_factory=list)  # title with the matched words marked
    snippet_parts: list[Part] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    query: str  # the query to try instead (terms as written in the index, e.g. オンライン)
    total: int  # how many measures it finds (counted up to SUGGEST_COUNT_CAP)
    total_capped: bool


@dataclass(frozen=True)
class SearchPage:
    query: str
    terms: list[str]
    total: int
    limit: int
    offset: int
    hits: list[SearchHit] = field(default_factory=list)
    total_capped: bool = False  # total is a lower bound: at least this many matches
    suggestion: Suggestion | None = None  # 「もしかして」

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


# ---------------------------------------------------------------- normalisation


def query_terms(query: str) -> list[str]:
    """The normalised, de-duplicated search terms of a query (capped in length and number)."""
    terms: list[str] = []
    for t in normalise((query or "")[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].split():
        if t not in terms and (len(t) >= 3 or text_runs(t)):
            terms.append(t)
    return terms[:MAX_TERMS]


# ---------------------------------------------------------------- indexing


def build_document(
    *,
    measure_id: int,
    plan_id: int,
    prefecture: str,
    organisation: str,
    plan_title: str,
    period_start: int | None,
    period_end: int | None,
    key: str | None,
    title: str,
    description: str,
    pillars: Iterable[str],
    priority_areas: Iterable[str],
    years: Iterable[int],
    kpis: Iterable[str] = (),
    departments: Iterable[str] = (),
    national_measures: Iterable[str] = (),
) -> MeasureDocument:
    """One index row (not saved). Used by search_index_plan and by bulk loaders (devtools.national)."""
    title_n = normalise(title)
    body_n = normalise(" ".join([key or "", description, *kpis, *departments, *national_measures]))[
        :_BODY_MAX
    ]
    pillar_codes = list(dict.fromkeys(pillars))
    areas = list(dict.fromkeys(priority_areas))
    fys = sorted(set(years))
    return MeasureDocument(
        measure_id=measure_id,
        plan_id=plan_id,
        prefecture=prefecture[:20],
        pillars=(" " + " ".join(pillar_codes) + " ") if pillar_codes else "",
        priority_areas=("|" + "|".join(areas) + "|")[:300] if areas else "",
        years=("|" + "|".join(str(y) for y in fys) + "|")[:300] if fys else "",
        period_start=period_start,
        period_end=period_end,
        organisation=organisation[:220],
        plan_title=plan_title[:500],
        key=(key or "")[:100],
        display_title=title[:1000],
        snippet=one_line(description)[:_SNIPPET],
        title=title_n,
        body=body_n,
        title_grams=grams(title_n),
        body_grams=grams(body_n),
        facets=facets_for(
            plan_id=plan_id,
            prefecture=prefecture,
            pillars=pillar_codes,
            priority_areas=areas,
            years=fys,
            period_start=period_start,
            period_end=period_end,
        ),
    )


def _documents_for_plans(plan_ids: list[int]) -> list[MeasureDocument]:
    plans = {p.pk: p for p in pm.Plan.objects.select_related("organisation").filter(pk__in=plan_ids)}
    qs = (
        pm.Measure.objects.filter(plan_id__in=plans)
        .prefetch_related("pillar_refs", "department_links", "kpis", "schedule")
        .order_by("plan_id", "order")
    )
    docs = []
    for ms in qs:
        p = plans[ms.plan_id]
        docs.append(
            build_document(
                measure_id=ms.pk,
                plan_id=p.pk,
                prefecture=p.organisation.prefecture,
                organisation=p.organisation.name,
                plan_title=p.title,
                period_start=p.period_start,
                period_end=p.period_end,
                key=ms.key,
                title=ms.title,
                description=ms.description,
                pillars=[r.code for r in ms.pillar_refs.all()],
                priority_areas=list(ms.priority_areas or []),
                years=[e.fiscal_year for e in ms.schedule.all()],
                kpis=[k.indicator for k in ms.kpis.all()],
                departments=[d.written for d in ms.department_links.all()],
                national_measures=list(ms.national_measures or []),
            )
        )
    return docs


@transaction.atomic
def search_index_plan(plan_id: int) -> int:
    """(Re)build the index rows of one plan; returns how many. Call after plan_save and after any change
    to a plan's measures. Deleting a plan deletes its rows (cascade); the status is checked at query time."""
    MeasureDocument.objects.filter(plan_id=plan_id).delete()
    docs = _documents_for_plans([plan_id])
    MeasureDocument.objects.bulk_create(docs, batch_size=500)
    _done = len(docs)
    logger.info("search_index_plan: %s -> %s (by %s)", logs.ref(plan_id), logs.ref(_done), "operator")
    return _done


def search_reindex(*, batch: int = 50, progress: bool = False) -> int:
    """Rebuild the whole index (every plan), in batches of plans; returns the number of rows."""
    ids = list(pm.Plan.objects.order_by("pk").values_list("pk", flat=True))
    MeasureDocument.objects.all().delete()
    total = 0
    chunks = range(0, len(ids), batch)
    if progress:
        import sys

        from tqdm import tqdm

        chunks = tqdm(chunks, desc="search index", unit="batch", file=sys.stderr)
    for i in chunks:
        with transaction.atomic():
            docs = _documents_for_plans(ids[i : i + batch])
            MeasureDocument.objects.bulk_create(docs, batch_size=1000)
            total += len(docs)
    _done = total
    logger.info("search_reindex: %s -> %s (by %s)", "-", logs.ref(_done), "operator")
    return _done


# ---------------------------------------------------------------- querying


def _facet_tokens(
    prefecture: str | None, pillar: str | None, priority_area: str | None, fiscal_year: int | None
) -> list[str]:
    tokens = []
    if prefecture:
        tokens.append(facet_tag("pref", prefecture))
    if pillar:
        tokens.append(facet_tag("pillar", pillar))
    if priority_area:
        tokens.append(facet_tag("area", priority_area))
    if fiscal_year is not None:
        tokens.append(f"fy{int(fiscal_year)}")
    return tokens


Found = list[tuple[int, bool, float]]  # (measure_id, title has every term, score)
Make = Callable[[list[str]], sb.Tiers]  # terms → the tiers of the query with the same filters


def _group_page(tier: sb.Tier, terms: list[str], skip: int, n: int, in_title: bool) -> tuple[Found, int]:
    """Entries ``skip`` … ``skip + n`` of one group in ranked order, and how many rows its window holds
    (RANK_WINDOW + 1 means "more than the window"). The order: the first RANK_WINDOW matches in stored
    order, ranked; then the others in stored order."""
    window = tier.window(RANK_WINDOW + 1)
    held = len(window)
    window = window[:RANK_WINDOW]
    found: Found = []
    if skip < len(window):
        found = [(i, in_title, s) for i, s in rank(terms, window)[skip : skip + n]]
    if len(found) < n and held > RANK_WINDOW:
        found += [(i, in_title, 0.0) for i in tier.ids(n - len(found), max(skip, RANK_WINDOW))]
    return found, held


def _ranked(tiers: sb.Tiers, terms: list[str], limit: int, offset: int) -> tuple[int, bool, Found]:
    """(total, total is a lower bound, page): the title group, then the others, each ranked."""
    cap = max(COUNT_CAP, offset + limit)
    if not terms or tiers.rest is None or tiers.every is None:  # filters only: stored order
        n = tiers.title.count(cap + 1)
        return min(n, cap), n > cap, [(i, False, 0.0) for i in tiers.title.ids(limit, offset)]
    found, held = _group_page(tiers.title, terms, offset, limit, True)
    # the title group is counted first: when it alone passes the cap, the costlier count of every field
    # (PostgreSQL: the body's bigram vectors) is not needed
    n_title = held if held <= RANK_WINDOW else tiers.title.count(cap + 1)
    if n_title > cap:  # the whole page lies in the title group
        return cap, True, found
    total = tiers.every.count(cap + 1)
    if len(found) < limit and total > n_title:
        more, _ = _group_page(tiers.rest, terms, max(0, offset - n_title), limit - len(found), False)
        found += more
    return min(total, cap), total > cap, found


def _hits(found: Found, terms: list[str]) -> list[SearchHit]:
    if not found:
        return []
    ids = [i for i, _, _ in found]
    with connection.cursor() as cur:
        marks = ",".join(["%s"] * len(ids))
        cur.execute(
            "SELECT measure_id, plan_id, plan_title, organisation, prefecture, key, display_title, snippet, "
            f"pillars, priority_areas FROM search_measuredocument WHERE measure_id IN ({marks})",
            ids,
        )
        rows = {r[0]: r for r in cur.fetchall()}
    return [
        SearchHit(
            measure_id=i,
            plan_id=r[1],
            plan_title=r[2],
            organisation=r[3],
            prefecture=r[4],
            key=r[5],
            title=r[6],
            snippet=r[7],
            pillars=r[8].split(),
            priority_areas=[a for a in r[9].split("|") if a],
            title_match=in_title,
            score=score,
            title_parts=highlight(r[6], terms),
            snippet_parts=highlight(r[7], terms),
        )
        for i, in_title, score in found
        if (r := rows.get(i)) is not None
    ]


def _unpublished_plans() -> list[int]:
    """Ids of plans that are not published (as pm.Plan.objects.unpublished(); raw SQL: asked per search)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {pm.Plan._meta.db_table} WHERE status <> %s", [pm.PUBLISHED])
        return [r[0] for r in cur.fetchall()]


def measure_search(
    query: str,
    *,
    prefecture: str | None = None,
    pillar: str | None = None,
    priority_area: str | None = None,
    fiscal_year: int | None = None,
    limit: int = 20,
    offset: int = 0,
    suggest: bool = True,
) -> SearchPage:
    """Ranked full-text search over the measures of published plans: measures whose title has every term
    first, then the others, each group by relevance (see the module docstring). ``total`` is exact up to
    COUNT_CAP (or the end of the requested page); beyond, it is that cap and ``total_capped`` is set
    ("1,000 件以上"). A first page with fewer than SUGGEST_BELOW results and a term that is not an indexed
    word gets ``suggestion`` when the nearest words find more. Never raises on user input: an empty query
    without filters gives an empty page; with filters, the filtered measures in stored order."""
    terms = query_terms(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    empty = SearchPage(query=query or "", terms=terms, total=0, limit=limit, offset=offset)
    if fiscal_year is not None and not (1900 <= int(fiscal_year) <= 2200):
        return empty
    if not terms and not (prefecture or pillar or priority_area or fiscal_year is not None):
        return empty
    drafts = _unpublished_plans()
    if connection.vendor == "sqlite":
        tokens = _facet_tokens(prefecture, pillar, priority_area, fiscal_year)

        def make(ts: list[str]) -> sb.Tiers:
            return sb.sqlite_tiers(ts, tokens, drafts)
    else:
        where, params = sb.pg_filters(prefecture, pillar, priority_area, fiscal_year)

        def make(ts: list[str]) -> sb.Tiers:
            return sb.pg_tiers(ts, where, params, drafts)

    tiers = make(terms)
    total, capped, found = _ranked(tiers, terms, limit, offset)
    suggestion = None
    if suggest and terms and offset == 0 and total < SUGGEST_BELOW:
        suggestion = _suggestion(terms, total, make)
    return SearchPage(
        query=query or "",
        terms=terms,
        total=total,
        limit=limit,
        offset=offset,
        hits=_hits(found, terms),
        total_capped=capped,
        suggestion=suggestion,
    )


def _suggestion(terms: list[str], total: int, make: Make) -> Suggestion | None:
    """The query with each unknown term replaced by its nearest indexed word, if it finds more."""
    proposal = suggest_terms(terms)
    if proposal is None:
        return None
    norm = [normalise(t) for t in proposal]
    tiers = make(norm)
    if tiers.every is None:
        return None
    n = tiers.every.count(SUGGEST_COUNT_CAP + 1)
    if n <= total:
        return None
    return Suggestion(
        query=" ".join(proposal), total=min(n, SUGGEST_COUNT_CAP), total_capped=n > SUGGEST_COUNT_CAP
    )


def title_candidates(text: str, *, chunks: int = 8, per_chunk: int = 300) -> dict[int, int]:
    """Candidate measures for "similar measures": {measure_id: how many 3-character pieces of ``text``
    (normalised, spread over it) their title contains}. Bounded: at most ``chunks`` index look-ups of
    ``per_chunk`` rows each (trigram FTS on SQLite, pg_trgm LIKE on PostgreSQL), whatever the data size."""
    runs = [r for r in text_runs(normalise(text)) if len(r) >= 3]
    pieces = list(dict.fromkeys(r[i : i + 3] for r in runs for i in range(0, len(r) - 2, 2)))
    if len(pieces) > chunks:
        step = len(pieces) / chunks
        pieces = [pieces[int(i * step)] for i in range(chunks)]
    found: dict[int, int] = {}
    with connection.cursor() as cur:
        for piece in pieces:
            if connection.vendor == "sqlite":
                cur.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT %s",
                    [sb.fts_col("title", [sb.fts_phrase(piece)]), per_chunk],
                )
            else:
                cur.execute(
                    "SELECT measure_id FROM search_measuredocument WHERE title LIKE %s LIMIT %s",
                    ["%" + sb.like_escape(piece) + "%", per_chunk],
                )
            for (mid,) in cur.fetchall():
                found[mid] = found.get(mid, 0) + 1
    return found
