"""The web's one clock: every view, page and API handler asks here for "now" and "today".

``now()`` is the current instant (aware, UTC); ``today()`` is its date in ``settings.TIME_ZONE``
(KEIKAKU_TIME_ZONE, Asia/Tokyo by default) — so the manage pages, the dashboard and the reports agree
on what is due or late between 00:00 and 09:00 JST on a server that runs in UTC. Services never read a
clock: they take ``now`` / ``today`` as parameters, and the caller passes these.

A test pins the instant with ``override_settings(CLOCK_PINNED_NOW=datetime(..., tzinfo=UTC))``; unset (the
product), it is the real time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings


def now() -> datetime:
    """The current instant, aware, in UTC."""
    pinned: datetime | None = getattr(settings, "CLOCK_PINNED_NOW", None)
    return pinned.astimezone(UTC) if pinned is not None else datetime.now(UTC)


def today() -> date:
    """Today's date where the organisation is (settings.TIME_ZONE), not the server's."""
    return now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
