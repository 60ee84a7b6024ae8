"""Search across the measures of all published plans: measure_search, search_index_plan, search_reindex.

Text is normalised (NFKC, lower case, katakana → hiragana) on both sides. Each whitespace-separated term
must match (AND). Terms of 3+ characters use substring indexes (SQLite FTS5 trigram / PostgreSQL pg_trgm);
1–2-character terms such as 「防災」 use a bigram index, since trigram indexes silently find nothing for them.
Ranking: measures whose title contains more of the terms first, then shorter titles, then document order.
Any query string is accepted: it is capped, and passed only as bound parameters or quoted FTS phrases.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import jaconv
from django.db import connection, transaction

from keikaku.web.plans import models as pm
from keikaku.web.search.models import MeasureDocument

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_LIMIT = 100
MAX_OFFSET = 10_000
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

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


# ---------------------------------------------------------------- normalisation


def normalise(text: str) -> str:
    """NFKC, lower case, katakana → hiragana, control characters and runs of spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = jaconv.kata2hira(text)
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


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

OPEN_PERIOD_YEARS = 30  # an open-ended plan period ("毎年度見直し") counts for this many years


def _tag(prefix: str, value: str) -> str:
    return prefix + hashlib.md5(value.encode("utf-8")).hexdigest()[:12]


def facets_for(
    *,
    plan_id: int,
    prefecture: str,
    pillars: Iterable[str],
    priority_areas: Iterable[str],
    years: Iterable[int],
    period_start: int | None,
    period_end: int | None,
) -> str:
    """Filter tokens of an index row, ASCII letters and digits between "|" — one token each for the
    plan, prefecture, pillars, 重点分野 and every fiscal year of the schedule or the plan period."""
    fys = set(years)
    if period_start is not None:
        end = period_end if period_end is not None else period_start + OPEN_PERIOD_YEARS
        fys.update(range(period_start, min(end, period_start + 100) + 1))
    tokens = [f"plan{plan_id}"]
    if prefecture:
        tokens.append(_tag("pref", prefecture))
    tokens += [_tag("pillar", p) for p in dict.fromkeys(pillars)]
    tokens += [_tag("area", a) for a in dict.fromkeys(priority_areas)]
    tokens += [f"fy{y}" for y in sorted(fys)]
    return "|" + "|".join(tokens) + "|"


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
    """One index row (not saved). Used by search_index_plan and by bulk loaders (keikaku.services.national)."""
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
        snippet=" ".join(description.split())[:_SNIPPET],
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


def _term_condition(term: str, vendor: str) -> tuple[str, list]:
    if vendor == "postgresql":
        if len(term) >= 3:
            pattern = "%" + _like_escape(term) + "%"
            return "(d.title LIKE %s OR d.body LIKE %s)", [pattern, pattern]
        tsq = " & ".join(f"'{g}':*" if prefix else f"'{g}'" for g, prefix in _short_runs(term))
        return (
            "to_tsvector('simple'::regconfig, d.title_grams || ' ' || d.body_grams) @@ to_tsquery('simple', %s)",
            [tsq],
        )
    if len(term) >= 3:
        return "d.measure_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)", [_fts_phrase(term)]
    fts = " AND ".join(_fts_phrase(g) + ("*" if prefix else "") for g, prefix in _short_runs(term))
    return "d.measure_id IN (SELECT rowid FROM search_fts_bigram WHERE search_fts_bigram MATCH %s)", [fts]


def _filters(
    prefecture: str | None,
    pillar: str | None,
    priority_area: str | None,
    fiscal_year: int | None,
    vendor: str,
) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    esc = " ESCAPE '\\'" if vendor == "sqlite" else ""
    if prefecture:
        where.append("d.prefecture = %s")
        params.append(prefecture)
    if pillar:
        where.append("d.pillars LIKE %s" + esc)
        params.append("% " + _like_escape(pillar) + " %")
    if priority_area:
        where.append("d.priority_areas LIKE %s" + esc)
        params.append("%|" + _like_escape(priority_area) + "|%")
    if fiscal_year is not None:
        where.append(
            "(d.years LIKE %s OR (d.period_start <= %s AND (d.period_end IS NULL OR d.period_end >= %s)))"
        )
        params.extend([f"%|{int(fiscal_year)}|%", int(fiscal_year), int(fiscal_year)])
    return where, params


def _col(cols: str, parts: list[str], op: str = "AND") -> str:
    return "{" + cols + "}: (" + f" {op} ".join(parts) + ")"


def _and(parts: list[str]) -> str:
    return " AND ".join(f"({p})" for p in parts if p)


def _short_expr(term: str) -> str:
    return " AND ".join(_fts_phrase(g) + ("*" if prefix else "") for g, prefix in _short_runs(term))


def _sqlite_ids(
    terms: list[str], facet_tokens: list[str], drafts: list[int], limit: int, offset: int
) -> tuple[int, list[tuple[int, bool]]]:
    """(total, [(measure_id, title has every term)]) from the FTS tables alone: measures whose title has
    every term first, then the others, each in stored order. With one FTS table the index yields rows in
    rowid order, so a page never touches all matches; when both tables are needed (3+-character terms with
    short terms or filters — filter tokens are matched in the bigram table) the id sets are intersected here."""
    long = [_fts_phrase(t) for t in terms if len(t) >= 3]
    short = [_short_expr(t) for t in terms if len(t) < 3]
    facets = _col("facets", [_fts_phrase(t) for t in facet_tokens]) if facet_tokens else ""
    exclude = _col("facets", [_fts_phrase(f"plan{i}") for i in drafts], "OR") if drafts else ""

    def finish(expr: str) -> str:
        return f"({expr}) NOT ({exclude})" if exclude else expr

    with connection.cursor() as cur:

        def ids(table: str, expr: str, n: int | None = None, skip: int = 0) -> list[int]:
            sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid"
            if n is None:
                cur.execute(sql, [expr])
            elif n <= 0:
                return []
            else:
                cur.execute(sql + " LIMIT %s OFFSET %s", [expr, n, skip])
            return [r[0] for r in cur.fetchall()]

        def count(table: str, expr: str) -> int:
            cur.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH %s", [expr])
            return int(cur.fetchone()[0])

        if long and (short or facets):  # two tables: intersect id sets
            bigram_title = _and([_col("title_grams", short) if short else "", facets])
            bigram_all = _and([_col("title_grams body_grams", short) if short else "", facets])
            title_ids = set(ids("search_fts", _col("title", long))) & set(
                ids("search_fts_bigram", finish(bigram_title))
            )
            all_ids = set(ids("search_fts", _col("title body", long))) & set(
                ids("search_fts_bigram", finish(bigram_all))
            )
            ordered = sorted(title_ids) + sorted(all_ids - title_ids)
            return len(ordered), [(i, i in title_ids) for i in ordered[offset : offset + limit]]
        if not terms:
            q = finish(facets)
            return count("search_fts_bigram", q), [
                (i, False) for i in ids("search_fts_bigram", q, limit, offset)
            ]
        table = "search_fts" if long else "search_fts_bigram"
        parts = long or short
        title_cols, all_cols = ("title", "title body") if long else ("title_grams", "title_grams body_grams")
        title_q = finish(_and([_col(title_cols, parts), facets]))
        rest_q = finish(f"({_and([_col(all_cols, parts), facets])}) NOT ({_col(title_cols, parts)})")
        n_title = count(table, title_q)
        found = [(i, True) for i in ids(table, title_q, limit, offset)] if offset < n_title else []
        n_rest = count(table, rest_q)
        found += [(i, False) for i in ids(table, rest_q, limit - len(found), max(0, offset - n_title))]
    return n_title + n_rest, found


def _facet_tokens(
    prefecture: str | None, pillar: str | None, priority_area: str | None, fiscal_year: int | None
) -> list[str]:
    tokens = []
    if prefecture:
        tokens.append(_tag("pref", prefecture))
    if pillar:
        tokens.append(_tag("pillar", pillar))
    if priority_area:
        tokens.append(_tag("area", priority_area))
    if fiscal_year is not None:
        tokens.append(f"fy{int(fiscal_year)}")
    return tokens


def _hits(found: list[tuple[int, bool]]) -> list[SearchHit]:
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
    """Ranked full-text search over the measures of published plans. Never raises on user input: an
    empty query without filters gives an empty page; with filters, the filtered measures in stored order."""
    terms = query_terms(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    if fiscal_year is not None and not (1900 <= int(fiscal_year) <= 2200):
        return SearchPage(query=query or "", terms=terms, total=0, limit=limit, offset=offset)
    if not terms and not (prefecture or pillar or priority_area or fiscal_year is not None):
        return SearchPage(query=query or "", terms=terms, total=0, limit=limit, offset=offset)
    vendor = connection.vendor
    if vendor == "sqlite":
        drafts = list(pm.Plan.objects.exclude(status="published").values_list("pk", flat=True))
        total, found = _sqlite_ids(
            terms, _facet_tokens(prefecture, pillar, priority_area, fiscal_year), drafts, limit, offset
        )
        return SearchPage(
            query=query or "", terms=terms, total=total, limit=limit, offset=offset, hits=_hits(found)
        )
    where, params = _filters(prefecture, pillar, priority_area, fiscal_year, vendor)
    for t in terms:
        sql, p = _term_condition(t, vendor)
        where.append(sql)
        params.extend(p)
    if vendor == "postgresql":
        hit = " + ".join("(position(%s in d.title) > 0)::int" for _ in terms) or "0"
    else:
        hit = " + ".join("(instr(d.title, %s) > 0)" for _ in terms) or "0"
    base = (
        "FROM search_measuredocument d JOIN plans_plan p ON p.id = d.plan_id AND p.status = 'published' WHERE "
        + " AND ".join(where)
    )
    order = "title_hits DESC, length(d.title), d.measure_id" if terms else "d.measure_id"
    sql = (
        "SELECT d.measure_id, d.plan_id, d.plan_title, d.organisation, d.prefecture, d.key, d.display_title, "
        f"d.snippet, d.pillars, d.priority_areas, ({hit}) AS title_hits, count(*) OVER () AS total "
        f"{base} ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*terms, *params, limit, offset])
        rows = cur.fetchall()
        if rows:
            total = rows[0][11]
        elif offset:
            cur.execute(f"SELECT count(*) {base}", params)
            total = cur.fetchone()[0]
        else:
            total = 0
    hits = [
        SearchHit(
            measure_id=r[0],
            plan_id=r[1],
            plan_title=r[2],
            organisation=r[3],
            prefecture=r[4],
            key=r[5],
            title=r[6],
            snippet=r[7],
            pillars=r[8].split(),
            priority_areas=[a for a in r[9].split("|") if a],
            title_match=bool(r[10]),
        )
        for r in rows
    ]
    return SearchPage(query=query or "", terms=terms, total=int(total), limit=limit, offset=offset, hits=hits)
