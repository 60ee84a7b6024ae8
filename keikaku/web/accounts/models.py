"""Moved: the models are keikaku.db.accounts.models. This re-export keeps callers that have not moved yet
working (keikaku/services/imports.py, scripts/bench_*.py); import keikaku.db.accounts.models instead. It
defines no model of its own."""

from keikaku.db.accounts.models import *  # noqa: F403
