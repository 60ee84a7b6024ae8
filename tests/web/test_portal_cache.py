"""The public plan page's cached content: invalidated by every write path, never shared across visitors'
own parts (CSRF token, language), one entry per filter."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from keikaku.services.plans import plan_save
from keikaku.web.plans import models as m
from tests.factories import make_measure, make_plan

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _plan() -> m.Plan:
    measures = [make_measure(i, title=f"施策その{i}", departments=["企画課"]) for i in range(1, 4)]
    return plan_save(make_plan(0, org="さくら町", measures=measures), now=NOW)


def test_cached_plan_page_follows_edits(client: Client) -> None:
    row = _plan()
    url = f"/plans/{row.pk}/"
    assert "施策その1" in client.get(url).content.decode()
    assert client.get(url).content.decode().count("施策その1") == 1  # served from the cache

    measure = row.measures.get(order=0)
    measure.title = "書き換えた施策"  # an edit as the admin makes it
    measure.save()
    body = client.get(url).content.decode()
    assert "書き換えた施策" in body and "施策その1" not in body

    dept = m.Department.objects.get(name="企画課")
    dept.name = "デジタル推進課"
    dept.save()
    assert "デジタル推進課" in client.get(url).content.decode()

    nxt = plan_save(make_plan(1, org="さくら町"), now=NOW, previous=row)  # a new version links back
    assert f'href="/plans/{nxt.pk}/"' in client.get(url).content.decode()

    m.Plan.objects.filter(pk=row.pk).update(status="draft")  # withdrawn: never served from the cache
    assert client.get(url).status_code == 404


def test_cached_content_is_shared_but_visitor_parts_are_not(client: Client) -> None:
    row = _plan()
    url = f"/plans/{row.pk}/"
    member = Client()
    member.force_login(get_user_model().objects.create_user("member", password="x-secret-1234"))
    first = member.get(url).content.decode()
    second = client.get(url).content.decode()
    assert _main(first) == _main(second)
    assert _csrf(first) != _csrf(second) and _csrf(first) not in second

    english = Client(headers={"accept-language": "en"}).get(url).content.decode()
    assert _main(english) != _main(second) and 'lang="en"' in english


def test_each_filter_has_its_own_entry(client: Client) -> None:
    row = _plan()
    url = f"/plans/{row.pk}/"
    assert "3 件中 3 件を表示" in client.get(url).content.decode()
    assert "3 件中 0 件を表示" in client.get(url, {"flag": "priority"}).content.decode()
    assert "3 件中 3 件を表示" in client.get(url, {"flag": "nonsense"}).content.decode()
