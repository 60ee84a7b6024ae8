"""One clock: the manage page and the dashboard judge "late" on the same day — today in TIME_ZONE.

At 23:30 UTC on a period's due date it is already 08:30 the next morning in Tokyo: both pages call the
period overdue. At 14:00 UTC (23:00 JST, still the due date) neither does. The instant is pinned with the
clock's own setting (keikaku.web.clock), not by patching anything.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client, override_settings

from keikaku.web import clock
from tests.people import People, make_people

pytestmark = pytest.mark.django_db

DUE = date(2026, 4, 30)  # period_a's due date (tests.people)
AFTER_MIDNIGHT_JST = datetime(2026, 4, 30, 23, 30, tzinfo=UTC)
BEFORE_MIDNIGHT_JST = datetime(2026, 4, 30, 14, 0, tzinfo=UTC)


@pytest.fixture
def people(db) -> People:
    return make_people()


def _late_on_manage_page(p: People) -> int:
    c = Client()
    c.force_login(p.alice)
    page = c.get(f"/manage/plans/{p.plan_a.pk}/?period={p.period_a.pk}").content.decode()
    return page.count('class="flag late"')


def _overdue_on_dashboard(p: People) -> int:
    c = Client()
    c.force_login(p.alice)
    page = c.get(f"/plans/{p.plan_a.pk}/progress/?period={p.period_a.pk}").content.decode()
    m = re.search(r"未提出（期限超過）</th><td[^>]*>(\d+)</td>", page)
    assert m, "the dashboard's timeliness table"
    return int(m.group(1))


@override_settings(TIME_ZONE="Asia/Tokyo", CLOCK_PINNED_NOW=AFTER_MIDNIGHT_JST)
def test_after_midnight_in_tokyo_both_pages_call_the_period_late(people: People) -> None:
    assert people.period_a.due_date == DUE
    assert clock.today() == date(2026, 5, 1)
    measures = people.plan_a.measures.count()
    assert _late_on_manage_page(people) == measures
    assert _overdue_on_dashboard(people) == measures


@override_settings(TIME_ZONE="Asia/Tokyo", CLOCK_PINNED_NOW=BEFORE_MIDNIGHT_JST)
def test_before_midnight_in_tokyo_neither_page_does(people: People) -> None:
    assert clock.today() == DUE
    assert _late_on_manage_page(people) == 0
    assert _overdue_on_dashboard(people) == 0


@override_settings(TIME_ZONE="UTC", CLOCK_PINNED_NOW=AFTER_MIDNIGHT_JST)
def test_today_follows_the_configured_time_zone() -> None:
    assert clock.today() == DUE
    assert clock.now() == AFTER_MIDNIGHT_JST


@override_settings(TIME_ZONE="Asia/Tokyo")
def test_the_cli_clock_uses_the_same_time_zone() -> None:
    from keikaku import cli_clock

    assert cli_clock.today(AFTER_MIDNIGHT_JST) == date(2026, 5, 1)
    assert cli_clock.today(BEFORE_MIDNIGHT_JST) == DUE
    assert cli_clock.now().tzinfo is UTC
