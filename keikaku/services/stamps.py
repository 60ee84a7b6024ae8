"""Data stamps for caches: the newest history row of some models, read in one query.

Every save or delete through the models (in any process) writes a django-simple-history row, so the
highest history id of a model moves whenever its data does; caches keyed by these never serve stale pages.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models


def history_max_sql(tracked: Iterable[type[models.Model]]) -> str:
    """SELECT-list expressions: the highest history id of each model (one scalar subquery per model)."""
    q = connection.ops.quote_name
    return ", ".join(
        f"(SELECT MAX({q(x.history.model._meta.pk.column)}) FROM {q(x.history.model._meta.db_table)})"  # type: ignore[attr-defined]
        for x in tracked
    )
