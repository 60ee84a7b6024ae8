"""Search facets: the filter tokens of a measure's index row (plan, prefecture, pillars, 重点分野, fiscal
years), as ASCII words between "|" that the full-text index matches exactly. Pure: used by the search use
case (keikaku.services.search) and by the migration that filled the column (keikaku.db.search)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

OPEN_PERIOD_YEARS = 30  # an open-ended plan period ("毎年度見直し") counts for this many years


def facet_tag(prefix: str, value: str) -> str:
    """One filter token: ``prefix`` and 12 hex digits of the value's MD5 (ASCII, whatever the value)."""
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
        tokens.append(facet_tag("pref", prefecture))
    tokens += [facet_tag("pillar", p) for p in dict.fromkeys(pillars)]
    tokens += [facet_tag("area", a) for a in dict.fromkeys(priority_areas)]
    tokens += [f"fy{y}" for y in sorted(fys)]
    return "|" + "|".join(tokens) + "|"
