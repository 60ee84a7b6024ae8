"""Read-only API: organisations, plans, measures, search, similar measures."""

from ninja import Router

router = Router(tags=["read"])
