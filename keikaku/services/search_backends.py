"""The index look-ups behind measure_search, per database (used only by keikaku.services.search).

A query becomes two **tiers** of measure ids, each in stored order (ascending id): measures whose title has
every term, and the others that match every term in some field. Each tier is a ``Tier`` — ``ids(n, skip)``
and a capped ``count(cap)`` — so that the caller can take a bounded window of each tier to rank and never
count or sort every match.

SQLite: FTS5 ``search_fts`` (trigram: terms of 3+ characters; ``"|token|"`` filter tokens in its facets
column) and ``search_fts_bigram`` (unicode61 over character bigrams: 1–2-character terms); a query mixing
both kinds merges the two tables' rowid-ordered cursors. PostgreSQL: ``LIKE`` on the normalised title/body
(pg_trgm GIN indexes) and the stored bigram tsvectors ``title_tsv`` / ``grams_tsv`` (GIN) for short terms;
``ORDER BY measure_id LIMIT`` lets the planner walk the primary key for a frequent term.
Terms only ever reach SQL as bound parameters or quoted FTS phrases.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connection

from keikaku.core.ranking import Candidate, text_runs

_STREAM_BATCH = 256


@dataclass(frozen=True)
class Tier:
    ids: Callable[[int, int], list[int]]  # (n, skip) → ids in stored order
    count: Callable[[int], int]  # cap → min(matches, cap)
    window: Callable[[int], list[Candidate]]  # n → the first n matches in stored order, with their text


def _by_ids(ids: Callable[[int, int], list[int]], count: Callable[[int], int]) -> Tier:
    """A tier whose index yields matches in stored order (SQLite FTS: rowid order): the window is the first
    ids, with their text."""
    return Tier(ids, count, lambda n: candidates(ids(n, 0)))


@dataclass(frozen=True)
class Tiers:
    title: Tier  # title has every term (without terms: every measure the filters allow)
    rest: Tier | None  # every term somewhere, not all in the title
    every: Tier | None  # title ∪ rest (for the total)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_col(cols: str, parts: list[str], op: str = "AND") -> str:
    return "{" + cols + "}: (" + f" {op} ".join(parts) + ")"


def _short_runs(term: str) -> list[tuple[str, bool]]:
    """(gram, is_prefix) pairs a 1–2-character term is found by."""
    out = []
    for run in text_runs(term):
        if len(run) == 1:
            out.append((run, True))
        else:  # 2 characters (a longer run only occurs in terms of 3+ characters)
            out.extend((run[i : i + 2], False) for i in range(len(run) - 1))
    return out


def _and(parts: list[str]) -> str:
    return " AND ".join(f"({p})" for p in parts if p)


def _short_expr(term: str) -> str:
    return " AND ".join(fts_phrase(g) + ("*" if prefix else "") for g, prefix in _short_runs(term))


def candidates(ids: list[int]) -> list[Candidate]:
    """The normalised title and body of index rows (for ranking), in the order of ``ids``."""
    if not ids:
        return []
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":  # one parameter (a JSON array), not one per id
            cur.execute(
                "SELECT measure_id, title, body FROM search_measuredocument "
                "WHERE measure_id IN (SELECT value FROM json_each(%s))",
                [json.dumps(ids)],
            )
        else:
            cur.execute(
                "SELECT measure_id, title, body FROM search_measuredocument WHERE measure_id = ANY(%s)", [ids]
            )
        rows = {r[0]: Candidate(r[0], r[1], r[2]) for r in cur.fetchall()}
    return [rows[i] for i in ids if i in rows]


# ---------------------------------------------------------------- SQLite


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


def _fts_tier(table: str, expr: str) -> Tier:
    def ids(n: int, skip: int) -> list[int]:
        if n <= 0:
            return []
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid LIMIT %s OFFSET %s",
                [expr, n, skip],
            )
            return [r[0] for r in cur.fetchall()]

    def count(cap: int) -> int:
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH %s LIMIT %s)", [expr, cap]
            )
            return int(cur.fetchone()[0])

    return _by_ids(ids, count)


def _stream_tier(make: Callable[[], Iterator[int]]) -> Tier:
    return _by_ids(
        lambda n, skip: list(islice(make(), skip, skip + n)) if n > 0 else [],
        lambda cap: sum(1 for _ in islice(make(), cap)),
    )


def sqlite_tiers(terms: list[str], facet_tokens: list[str], drafts: list[int]) -> Tiers:
    """3+-character terms with filter tokens go to the trigram table (``"|token|"`` is a substring of its
    facets column), 1–2-character terms with filter tokens to the bigram table; a query mixing both kinds
    merges the two tables' rowid-ordered cursors and stops as soon as the caller has enough."""
    long = [fts_phrase(t) for t in terms if len(t) >= 3]
    short = [_short_expr(t) for t in terms if len(t) < 3]

    def facets(trigram: bool) -> str:
        return (
            fts_col("facets", [fts_phrase(f"|{t}|" if trigram else t) for t in facet_tokens])
            if facet_tokens
            else ""
        )

    def finish(expr: str, trigram: bool) -> str:
        if not drafts:
            return expr
        tokens = [fts_phrase(f"|plan{i}|" if trigram else f"plan{i}") for i in drafts]
        return f"({expr}) NOT ({fts_col('facets', tokens, 'OR')})"

    if long and short:  # two tables: merge their rowid-ordered cursors
        bigram_title = finish(_and([fts_col("title_grams", short), facets(False)]), False)
        bigram_all = finish(_and([fts_col("title_grams body_grams", short), facets(False)]), False)

        def title_q() -> Iterator[int]:
            return _intersect(
                _stream("search_fts", fts_col("title", long)), _stream("search_fts_bigram", bigram_title)
            )

        def all_q() -> Iterator[int]:
            return _intersect(
                _stream("search_fts", fts_col("title body", long)), _stream("search_fts_bigram", bigram_all)
            )

        return Tiers(
            _stream_tier(title_q), _stream_tier(lambda: _minus(all_q(), title_q())), _stream_tier(all_q)
        )
    if not terms:
        return Tiers(_fts_tier("search_fts_bigram", finish(facets(False), False)), None, None)
    trigram = bool(long)
    table = "search_fts" if trigram else "search_fts_bigram"
    parts = long or short
    title_cols, all_cols = ("title", "title body") if trigram else ("title_grams", "title_grams body_grams")
    all_expr = _and([fts_col(all_cols, parts), facets(trigram)])
    return Tiers(
        _fts_tier(table, finish(_and([fts_col(title_cols, parts), facets(trigram)]), trigram)),
        _fts_tier(table, finish(f"({all_expr}) NOT ({fts_col(title_cols, parts)})", trigram)),
        _fts_tier(table, finish(all_expr, trigram)),
    )


# ---------------------------------------------------------------- PostgreSQL


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
            pattern = "%" + like_escape(t) + "%"
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


def pg_filters(
    prefecture: str | None, pillar: str | None, priority_area: str | None, fiscal_year: int | None
) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    if prefecture:
        where.append("d.prefecture = %s")
        params.append(prefecture)
    if pillar:
        where.append("d.pillars LIKE %s")
        params.append("% " + like_escape(pillar) + " %")
    if priority_area:
        where.append("d.priority_areas LIKE %s")
        params.append("%|" + like_escape(priority_area) + "|%")
    if fiscal_year is not None:
        where.append(
            "(d.years LIKE %s OR (d.period_start <= %s AND (d.period_end IS NULL OR d.period_end >= %s)))"
        )
        params.extend([f"%|{int(fiscal_year)}|%", int(fiscal_year), int(fiscal_year)])
    return where, params


def _pg_estimate(cur: Any, sql: str, params: list) -> float:
    """The planner's estimate of the rows ``sql`` returns (a plan, no execution)."""
    cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
    plan = cur.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


_table_rows: list[float] = [0.0, 0.0]  # [the index table's row estimate, windows left before asking again]


def _pg_table_rows(cur: Any) -> float:
    """pg_class.reltuples of the index table, asked again every 200 windows (it moves slowly)."""
    if _table_rows[1] <= 0:
        cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'search_measuredocument'::regclass")
        _table_rows[:] = [max(float(cur.fetchone()[0]), 1.0), 200.0]
    _table_rows[1] -= 1
    return _table_rows[0]


def _pg_tier(q: tuple[str, list], text: tuple[str, list] | None = None) -> Tier:
    """``q``: the tier's whole condition; ``text``: its indexed word condition alone when ``q`` also has
    filters (what a bitmap scan of the GIN indexes fetches before the filters are checked)."""
    table = "search_measuredocument d"

    def ids(n: int, skip: int) -> list[int]:
        if n <= 0:
            return []
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT d.measure_id FROM {table} WHERE {q[0]} ORDER BY d.measure_id LIMIT %s OFFSET %s",
                [*q[1], n, skip],
            )
            return [r[0] for r in cur.fetchall()]

    def count(cap: int) -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {q[0]} LIMIT %s) s", [*q[1], cap])
            return int(cur.fetchone()[0])

    def window(n: int) -> list[Candidate]:
        """The first n matches in stored order (as SQLite's), with their text. ``ORDER BY measure_id LIMIT n``
        lets the planner walk the primary key, which for a word in 1.5 % of titles visits ~20,000 rows
        (61 ms); ``ORDER BY measure_id + 0`` makes it fetch every match of the word (bitmap scan) and sort.
        The cheaper is chosen from the planner's estimates: the walk visits about n × rows / matches, the
        sort fetches the word's matches. Either way the rows are the same (a window in table order would
        change with concurrent scans)."""
        with connection.cursor() as cur:
            rows = _pg_table_rows(cur)
            matches = _pg_estimate(cur, f"SELECT 1 FROM {table} WHERE {q[0]}", q[1])
            fetched = (
                _pg_estimate(cur, f"SELECT 1 FROM {table} WHERE {text[0]}", text[1]) if text else matches
            )
            walk = n * rows / max(matches, 1.0)
            order = "d.measure_id + 0" if fetched <= walk else "d.measure_id"
            cur.execute(
                f"SELECT d.measure_id, d.title, d.body FROM {table} WHERE {q[0]} ORDER BY {order} LIMIT %s",
                [*q[1], n],
            )
            return [Candidate(r[0], r[1], r[2]) for r in cur.fetchall()]

    return Tier(ids, count, window)


def pg_tiers(terms: list[str], where: list[str], params: list, drafts: list[int]) -> Tiers:
    """The same tiers as SQLite's, as plain SELECTs with capped counts (``LIMIT cap`` subqueries)."""
    base, base_params = list(where), list(params)
    if drafts:
        base.append("NOT (d.plan_id = ANY(%s))")
        base_params.append(drafts)
    if not terms:
        return Tiers(_pg_tier((" AND ".join(base) or "TRUE", base_params)), None, None)
    (t_sql, t_params), (a_sql, a_params) = _pg_conditions(terms)
    filtered = bool(where)  # the drafts condition hardly changes how many rows match: not a filter here
    return Tiers(
        _pg_tier(
            (" AND ".join([*base, t_sql]), [*base_params, *t_params]), (t_sql, t_params) if filtered else None
        ),
        _pg_tier(
            (" AND ".join([*base, a_sql, f"NOT ({t_sql})"]), [*base_params, *a_params, *t_params]),
            (a_sql, a_params),  # the scan fetches every match of the words, title matches included
        ),
        _pg_tier(
            (" AND ".join([*base, a_sql]), [*base_params, *a_params]), (a_sql, a_params) if filtered else None
        ),
    )
