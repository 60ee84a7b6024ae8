"""Moved: the models are keikaku.db.progress.models. This re-export keeps callers that have not moved yet
working (keikaku/services/imports.py, scripts/bench_*.py); import keikaku.db.progress.models instead. It
defines no model of its own."""

from keikaku.db.progress.models import *  # noqa: F403
