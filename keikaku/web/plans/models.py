"""Moved: the models are keikaku.db.plans.models. This re-export keeps callers that have not moved yet
working (keikaku/services/imports.py, scripts/bench_*.py); import keikaku.db.plans.models instead. It
defines no model of its own."""

from keikaku.db.plans.models import *  # noqa: F403
