"""Search across the measures of all published plans: measure_search, search_index_plan, search_reindex.

Text is normalised (NFKC, lower case, katakana → hiragana) on both sides. Each whitespace-separated term
must match (AND). Terms of 3+ characters use substring indexes (SQLite FTS5 trigram / PostgreSQL pg_trgm);
1–2-character terms such as 「防災」 use a bigram index, since trigram indexes silently find nothing for them.
Ranking: measures whose title contains every term first, then the others, each group in stored order; counts
stop at COUNT_CAP (a page never counts or sorts every match).
Any query string is accepted: it is capped, and passed only as bound parameters or quoted FTS phrases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, transaction

from keikaku.core.facets import facet_tag, facets_for
from keikaku.core.text import fold, one_line
from keikaku.db.plans import models as pm
from keikaku.db.search.models import MeasureDocument

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_LIMIT = 100
MAX_OFFSET = 10_000
COUNT_CAP = (
    1000  # totals beyond this are shown as "1,000 件以上" (counting every match costs more than the page)
)
_SNIPPET = 120
_BODY_MAX = 8000


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


@dataclass(frozen=True)
class SearchPage:
    query: str
    terms: list[str]
    total: int
    limit: int
    offset: int
    hits: list[SearchHit] = field(default_factory=list)
    total_capped: bool = False  # total is a lower bound: at least this many matches

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


# ---------------------------------------------------------------- normalisation


def normalise(text: str) -> str:
    """NFKC, lower case, katakana → hiragana, control characters and runs of spaces collapsed."""
    return fold(text)


def _runs(text: str) -> list[str]:
    """Maximal runs of letters and digits (the units bigrams are taken from)."""
    runs, cur = [], []
    for ch in text:
        if ch.isalnum():
            cur.append(ch)
        elif cur:
            runs.append("".join(cur))
            cur = []
    if cur:
        runs.append("".join(cur))
    return runs


def grams(text: str) -> str:
    """Space-separated character bigrams of each run, plus the run's last character on its own
    (so a 1-character prefix query finds characters at the end of a run too)."""
    out: list[str] = []
    for run in _runs(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.append(run[-1])
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """The normalised, de-duplicated search terms of a query (capped in length and number)."""
    terms: list[str] = []
    for t in normalise((query or "")[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].split():
        if t not in terms and (len(t) >= 3 or _runs(t)):
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
    return len(docs)


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
    return total


# ---------------------------------------------------------------- querying


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _short_runs(term: str) -> list[tuple[str, bool]]:
    """(gram, is_prefix) pairs a 1–2-character term is found by."""
    out = []
    for run in _runs(term):
        if len(run) == 1:
            out.append((run, True))
        else:  # 2 characters (a longer run only occurs in terms of 3+ characters)
            out.extend((run[i : i + 2], False) for i in range(len(run) - 1))
    return out


def _col(cols: str, parts: list[str], op: str = "AND") -> str:
    return "{" + cols + "}: (" + f" {op} ".join(parts) + ")"


def _and(parts: list[str]) -> str:
    return " AND ".join(f"({p})" for p in parts if p)


def _short_expr(term: str) -> str:
    return " AND ".join(_fts_phrase(g) + ("*" if prefix else "") for g, prefix in _short_runs(term))


Found = list[tuple[int, bool]]  # (measure_id, title has every term)


def _tiers(
    count: Callable[[Any, int], int],
    ids: Callable[[Any, int, int], list[int]],
    title_q: Any,
    all_q: Any | None,
    rest_q: Any | None,
    limit: int,
    offset: int,
) -> tuple[int, bool, Found]:
    """Measures whose title has every term (``title_q``) first, then the others (``rest_q`` = ``all_q`` minus
    ``title_q``), each tier in stored order. Counts stop at COUNT_CAP, or at the end of the requested page if that is further: a page
    never counts or sorts every match. Returns (total, total is only a lower bound, found)."""
    cap = max(COUNT_CAP, offset + limit)
    n_title = count(title_q, cap + 1)
    found: Found = [(i, True) for i in ids(title_q, limit, offset)] if offset < n_title else []
    if n_title > cap:  # the whole page lies in the title tier
        return cap, True, found
    total = count(all_q, cap + 1) if all_q is not None else n_title  # title matches included
    if len(found) < limit and total > n_title:
        found += [(i, False) for i in ids(rest_q, limit - len(found), max(0, offset - n_title))]
    return min(total, cap), total > cap, found


_STREAM_BATCH = 256


def _stream(table: str, expr: str) -> Iterator[int]:
    """The rowids an FTS5 table matches, ascending, fetched lazily (a consumer that stops early stops the scan)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid", [expr])
        while rows := cur.fetchmany(_STREAM_BATCH):
            for (rowid,) in rows:
                yield rowid


def _intersect(a: Iterator[int], b: Iterator[int]) -> Iterator[int]:
    """Ids in both ascending streams, ascending."""
    x, y = next(a, None), next(b, None)
    while x is not None and y is not None:
        if x == y:
            yield x
            x, y = next(a, None), next(b, None)
        elif x < y:
            x = next(a, None)
        else:
            y = next(b, None)


def _minus(a: Iterator[int], b: Iterator[int]) -> Iterator[int]:
    """Ids of ascending stream ``a`` not in ascending stream ``b``, ascending."""
    y = next(b, None)
    for x in a:
        while y is not None and y < x:
            y = next(b, None)
        if x != y:
            yield x


def _sqlite_ids(
    terms: list[str], facet_tokens: list[str], drafts: list[int], limit: int, offset: int
) -> tuple[int, bool, Found]:
    """Pages from the FTS tables alone; one FTS table yields rows in rowid order, so a page stops early.
    3+-character terms with filter tokens go to the trigram table (``"|token|"`` is a substring of its
    facets column), 1–2-character terms with filter tokens to the bigram table; a query mixing both kinds
    of term merges the two tables' rowid-ordered cursors and stops at the cap (never whole id sets)."""
    long = [_fts_phrase(t) for t in terms if len(t) >= 3]
    short = [_short_expr(t) for t in terms if len(t) < 3]

    def facets(trigram: bool) -> str:
        return (
            _col("facets", [_fts_phrase(f"|{t}|" if trigram else t) for t in facet_tokens])
            if facet_tokens
            else ""
        )

    def finish(expr: str, trigram: bool) -> str:
        if not drafts:
            return expr
        tokens = [_fts_phrase(f"|plan{i}|" if trigram else f"plan{i}") for i in drafts]
        return f"({expr}) NOT ({_col('facets', tokens, 'OR')})"

    with connection.cursor() as cur:

        def ids_of(table: str, expr: str, n: int | None = None, skip: int = 0) -> list[int]:
            sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid"
            if n is None:
                cur.execute(sql, [expr])
            elif n <= 0:
                return []
            else:
                cur.execute(sql + " LIMIT %s OFFSET %s", [expr, n, skip])
            return [r[0] for r in cur.fetchall()]

        def count_of(table: str, expr: str, cap: int) -> int:
            cur.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH %s LIMIT %s)", [expr, cap]
            )
            return int(cur.fetchone()[0])

        if long and short:  # two tables: merge their rowid-ordered cursors, stop at the cap
            bigram_title = finish(_and([_col("title_grams", short), facets(False)]), False)
            bigram_all = finish(_and([_col("title_grams body_grams", short), facets(False)]), False)

            def title_q() -> Iterator[int]:
                return _intersect(
                    _stream("search_fts", _col("title", long)), _stream("search_fts_bigram", bigram_title)
                )

            def all_q() -> Iterator[int]:
                return _intersect(
                    _stream("search_fts", _col("title body", long)), _stream("search_fts_bigram", bigram_all)
                )

            return _tiers(
                lambda q, cap: sum(1 for _ in islice(q(), cap)),
                lambda q, n, skip: list(islice(q(), skip, skip + n)) if n > 0 else [],
                title_q,
                all_q,
                lambda: _minus(all_q(), title_q()),
                limit,
                offset,
            )
        trigram = bool(long)
        table = "search_fts" if trigram else "search_fts_bigram"
        title_e: str
        all_e: str | None
        rest_e: str | None
        if not terms:
            title_e, all_e, rest_e = finish(facets(False), False), None, None
        else:
            parts = long or short
            title_cols, all_cols = (
                ("title", "title body") if trigram else ("title_grams", "title_grams body_grams")
            )
            title_e = finish(_and([_col(title_cols, parts), facets(trigram)]), trigram)
            all_expr = _and([_col(all_cols, parts), facets(trigram)])
            all_e = finish(all_expr, trigram)
            rest_e = finish(f"({all_expr}) NOT ({_col(title_cols, parts)})", trigram)
        result = _tiers(
            lambda e, cap: count_of(table, e, cap),
            lambda e, n, skip: ids_of(table, e, n, skip),
            title_e,
            all_e,
            rest_e,
            limit,
            offset,
        )
        if not terms:  # no ranking without terms: every match is "not in the title"
            return result[0], result[1], [(i, False) for i, _ in result[2]]
        return result


def _pg_conditions(terms: list[str]) -> tuple[tuple[str, list], tuple[str, list]]:
    """(title condition, any-field condition) with their parameters, every term required. 3+-character
    terms: LIKE on the normalised title/body (pg_trgm GIN indexes answer LIKE '%…%'); shorter terms: the
    stored bigram tsvector columns of migration 0004 (``title_tsv``, ``grams_tsv``, each with a GIN index)."""
    title_sql: list[str] = []
    title_params: list = []
    all_sql: list[str] = []
    all_params: list = []
    for t in terms:
        if len(t) >= 3:
            pattern = "%" + _like_escape(t) + "%"
            title_sql.append("d.title LIKE %s")
            title_params.append(pattern)
            all_sql.append("(d.title LIKE %s OR d.body LIKE %s)")
            all_params += [pattern, pattern]
        else:
            tsq = " & ".join(f"'{g}':*" if prefix else f"'{g}'" for g, prefix in _short_runs(t))
            title_sql.append("d.title_tsv @@ to_tsquery('simple', %s)")
            title_params.append(tsq)
            all_sql.append("d.grams_tsv @@ to_tsquery('simple', %s)")
            all_params.append(tsq)
    return (" AND ".join(title_sql), title_params), (" AND ".join(all_sql), all_params)


def _filters(
    prefecture: str | None, pillar: str | None, priority_area: str | None, fiscal_year: int | None
) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    if prefecture:
        where.append("d.prefecture = %s")
        params.append(prefecture)
    if pillar:
        where.append("d.pillars LIKE %s")
        params.append("% " + _like_escape(pillar) + " %")
    if priority_area:
        where.append("d.priority_areas LIKE %s")
        params.append("%|" + _like_escape(priority_area) + "|%")
    if fiscal_year is not None:
        where.append(
            "(d.years LIKE %s OR (d.period_start <= %s AND (d.period_end IS NULL OR d.period_end >= %s)))"
        )
        params.extend([f"%|{int(fiscal_year)}|%", int(fiscal_year), int(fiscal_year)])
    return where, params


def _pg_ids(
    terms: list[str], where: list[str], params: list, drafts: list[int], limit: int, offset: int
) -> tuple[int, bool, Found]:
    """The same tiers as SQLite's, as plain SELECTs: ``ORDER BY measure_id LIMIT`` lets PostgreSQL walk the
    primary key and stop after a page when a term is frequent, or use the GIN indexes when it is rare; the
    counts are capped subqueries (``LIMIT cap``), never a count of every match."""
    base, base_params = list(where), list(params)
    if drafts:
        base.append("NOT (d.plan_id = ANY(%s))")
        base_params.append(drafts)
    if terms:
        (t_sql, t_params), (a_sql, a_params) = _pg_conditions(terms)
        title_q = (" AND ".join([*base, t_sql]), [*base_params, *t_params])
        all_q = (" AND ".join([*base, a_sql]), [*base_params, *a_params])
        rest_q = (" AND ".join([*base, a_sql, f"NOT ({t_sql})"]), [*base_params, *a_params, *t_params])
    else:
        title_q, all_q, rest_q = (" AND ".join(base) or "TRUE", base_params), None, None
    table = "search_measuredocument d"
    with connection.cursor() as cur:

        def count_of(q: tuple[str, list], cap: int) -> int:
            cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {q[0]} LIMIT %s) s", [*q[1], cap])
            return int(cur.fetchone()[0])

        def ids_of(q: tuple[str, list], n: int, skip: int) -> list[int]:
            if n <= 0:
                return []
            cur.execute(
                f"SELECT d.measure_id FROM {table} WHERE {q[0]} ORDER BY d.measure_id LIMIT %s OFFSET %s",
                [*q[1], n, skip],
            )
            return [r[0] for r in cur.fetchall()]

        total, capped, found = _tiers(count_of, ids_of, title_q, all_q, rest_q, limit, offset)
    if not terms:
        found = [(i, False) for i, _ in found]
    return total, capped, found


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


def _hits(found: Found) -> list[SearchHit]:
    if not found:
        return []
    rows = {
        d.measure_id: d
        for d in MeasureDocument.objects.filter(measure_id__in=[i for i, _ in found]).only(
            "measure_id", "plan_id", "plan_title", "organisation", "prefecture", "key", "display_title",
            "snippet", "pillars", "priority_areas",
        )
    }  # fmt: skip
    return [
        SearchHit(
            measure_id=d.measure_id,
            plan_id=d.plan_id,
            plan_title=d.plan_title,
            organisation=d.organisation,
            prefecture=d.prefecture,
            key=d.key,
            title=d.display_title,
            snippet=d.snippet,
            pillars=d.pillars.split(),
            priority_areas=[a for a in d.priority_areas.split("|") if a],
            title_match=in_title,
        )
        for i, in_title in found
        if (d := rows.get(i)) is not None
    ]


def measure_search(
    query: str,
    *,
    prefecture: str | None = None,
    pillar: str | None = None,
    priority_area: str | None = None,
    fiscal_year: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Ranked full-text search over the measures of published plans: measures whose title has every term
    first, then the others, each group in stored order. ``total`` is exact up to COUNT_CAP (or the end of
    the requested page); beyond, it is that cap and ``total_capped`` is set ("1,000 件以上"). Never raises
    on user input: an empty query without filters gives an empty page; with filters, the filtered measures
    in stored order."""
    terms = query_terms(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    empty = SearchPage(query=query or "", terms=terms, total=0, limit=limit, offset=offset)
    if fiscal_year is not None and not (1900 <= int(fiscal_year) <= 2200):
        return empty
    if not terms and not (prefecture or pillar or priority_area or fiscal_year is not None):
        return empty
    drafts = list(pm.Plan.objects.unpublished().values_list("pk", flat=True))
    if connection.vendor == "sqlite":
        tokens = _facet_tokens(prefecture, pillar, priority_area, fiscal_year)
        total, capped, found = _sqlite_ids(terms, tokens, drafts, limit, offset)
    else:
        where, params = _filters(prefecture, pillar, priority_area, fiscal_year)
        total, capped, found = _pg_ids(terms, where, params, drafts, limit, offset)
    return SearchPage(
        query=query or "",
        terms=terms,
        total=total,
        limit=limit,
        offset=offset,
        hits=_hits(found),
        total_capped=capped,
    )


def title_candidates(text: str, *, chunks: int = 8, per_chunk: int = 300) -> dict[int, int]:
    """Candidate measures for "similar measures": {measure_id: how many 3-character pieces of ``text``
    (normalised, spread over it) their title contains}. Bounded: at most ``chunks`` index look-ups of
    ``per_chunk`` rows each (trigram FTS on SQLite, pg_trgm LIKE on PostgreSQL), whatever the data size."""
    runs = [r for r in _runs(normalise(text)) if len(r) >= 3]
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
                    [_col("title", [_fts_phrase(piece)]), per_chunk],
                )
            else:
                cur.execute(
                    "SELECT measure_id FROM search_measuredocument WHERE title LIKE %s LIMIT %s",
                    ["%" + _like_escape(piece) + "%", per_chunk],
                )
            for (mid,) in cur.fetchall():
                found[mid] = found.get(mid, 0) + 1
    return found
