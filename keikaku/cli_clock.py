"""The CLI's one clock: every command asks here for "now" and "today" and passes them to the services.

``today()`` is the date in ``settings.TIME_ZONE`` (KEIKAKU_TIME_ZONE, Asia/Tokyo by default), as on the
web (keikaku.web.clock) — a reminder run from cron at 08:00 JST on a UTC server judges "late" as the
manage pages do. Commands that take ``--today`` pass that instead. Call after Django is set up.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def today(at: datetime | None = None) -> date:
    """The date of ``at`` (default: now) where the organisation is (settings.TIME_ZONE)."""
    from django.conf import settings

    return (at or now()).astimezone(ZoneInfo(settings.TIME_ZONE)).date()
