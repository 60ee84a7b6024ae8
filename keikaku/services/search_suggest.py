"""「もしかして」 for measure_search: the indexed words of published measures' titles and the nearest ones to a
term that is not one of them (keikaku.core.ranking.Vocabulary: Levenshtein distance with rapidfuzz).

The word list is built from the search index (one GROUP BY over the titles of published plans' measures,
~0.3 s for 110k measures) the first time a query needs a suggestion, and kept per process until the index
or the set of published plans changes (a stamp of the largest index id and the plans' count, latest update
and unpublished count, asked again each time a suggestion is needed). Drafts never contribute words.
"""

from __future__ import annotations

import threading

from django.db import connection
from django.db.models import Count, Max

from keikaku.core.ranking import Vocabulary
from keikaku.db.plans import models as pm
from keikaku.db.search.models import MeasureDocument

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Vocabulary]] = {}


def _stamp() -> tuple:
    """Changes when the words can: a plan saved (its index rows are rebuilt then; updated_at moves), added,
    deleted, published or withdrawn, or new index rows (largest id). No count of the index rows: on
    PostgreSQL that scans 110k rows."""
    top = MeasureDocument.objects.aggregate(top=Max("pk"))["top"]
    plans = pm.Plan.objects.aggregate(updated=Max("updated_at"), n=Count("pk"))
    unpublished = pm.Plan.objects.unpublished().count()
    return (top, plans["updated"], plans["n"], unpublished)


def search_vocabulary() -> Vocabulary:
    """The words of the titles of published measures (cached per process and database)."""
    alias = connection.alias
    stamp = _stamp()
    with _lock:
        hit = _cache.get(alias)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    rows = (
        MeasureDocument.objects.exclude(plan_id__in=pm.Plan.objects.unpublished().values("pk"))
        .values("display_title")
        .annotate(n=Count("pk"))
        .values_list("display_title", "n")
    )
    vocabulary = Vocabulary.from_titles(rows.iterator(chunk_size=5000))
    with _lock:
        _cache[alias] = (stamp, vocabulary)
    return vocabulary


def suggest_terms(terms: list[str]) -> list[str] | None:
    """The terms (normalised) with each one that is not an indexed word replaced by its nearest word, as
    written (オンラン → オンライン); None when no term has a near word."""
    vocabulary = search_vocabulary()
    out: list[str] = []
    changed = False
    for t in terms:
        near = vocabulary.nearest(t)
        if near is not None:
            changed = True
        out.append(vocabulary.written(near if near is not None else t))
    return out if changed else None
