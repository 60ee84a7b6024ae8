"""How use cases name what they changed in their log lines (``logger.info`` at the end of each write).

Every write use case logs at INFO, once it has written: ``plan_publish: plan 3 -> plan 3 (by alice)``
(tests/services/test_use_case_rules.py checks each does). KEIKAKU_LOG_LEVEL=INFO shows them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def ref(obj: Any) -> str:
    """A short name for a log line: a row as ``<model> <pk>``, a list by its length, else its text
    (cut to 80 characters); nothing → ``done``."""
    if obj is None:
        return "done"
    if isinstance(obj, Model):
        return f"{obj._meta.model_name} {obj.pk}"
    if isinstance(obj, list | tuple | set):
        return f"{len(obj)} items" if len(obj) != 1 or isinstance(obj, tuple) else ref(next(iter(obj)))
    if hasattr(obj, "title") and isinstance(getattr(obj, "title", None), str):
        return str(obj.title)[:80]
    return str(obj)[:80]


def by(actor: Any) -> str:
    """Who wrote: the user's name, or ``operator`` for the server's command line."""
    return str(getattr(actor, "username", None) or "operator")
