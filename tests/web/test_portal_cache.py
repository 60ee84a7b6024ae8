"""The public pages' caches: the plan page's content (invalidated by every write path, one entry per
filter and language) and whole anonymous responses (keikaku.web.portal.middleware); the language switcher
of plain links that keeps public pages free of per-visitor tokens."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from keikaku.db.plans import models as m
from keikaku.services.plans import plan_save
from tests.factories import make_measure, make_plan

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _plan() -> m.Plan:
    measures = [make_measure(i, title=f"施策その{i}", departments=["企画課"]) for i in range(1, 4)]
    return plan_save(make_plan(0, org="さくら町", measures=measures), now=NOW)


@override_settings(KEIKAKU_PAGE_STAMP_SECONDS=0)  # QuerySet.update below: seen at once only when asked
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
    second = client.get(url)
    assert _main(first) == _main(second.content.decode())
    # public pages carry no per-visitor token and set no cookie for anonymous visitors
    assert "csrfmiddlewaretoken" not in first + second.content.decode() and not second.cookies

    english = Client(headers={"accept-language": "en"}).get(url).content.decode()
    assert _main(english) != _main(second.content.decode()) and 'lang="en"' in english


def _switcher(html: str) -> list[str]:
    nav = re.search(r'<nav class="lang"[^>]*>.*?</nav>', html, re.S)
    assert nav
    return re.findall(r"<a [^>]*>", nav.group(0))


def test_language_switcher_is_links_with_lang_and_current(client: Client) -> None:
    row = _plan()
    url = f"/plans/{row.pk}/?flag=priority"
    links = _switcher(client.get(url).content.decode())
    assert len(links) == 2 and all('lang="' in a and 'hreflang="' in a for a in links)
    current = [a for a in links if 'aria-current="true"' in a]
    assert len(current) == 1 and 'lang="ja"' in current[0]
    href = re.search(r'href="([^"]+)"', [a for a in links if 'lang="en"' in a][0]).group(1)
    r = client.get(href.replace("&amp;", "&"))
    assert r.status_code == 302 and r["Location"] == url
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(url).content.decode()
    assert '<html lang="en">' in page
    assert 'lang="en"' in [a for a in _switcher(page) if 'aria-current="true"' in a][0]


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "", "\\\\evil.example"]
)
def test_language_switch_goes_only_to_this_site(client: Client, target: str) -> None:
    r = client.get("/language/en/", {"next": target})
    assert r.status_code == 302 and r["Location"] == "/"


def test_language_switch_bad_input(client: Client) -> None:
    assert client.get("/language/xx/").status_code == 404
    assert client.post("/language/en/").status_code == 405
    assert client.get("/language/en/", {"next": "/plans/1/"})["Location"] == "/plans/1/"


@override_settings(KEIKAKU_PAGE_STAMP_SECONDS=0)
def test_anonymous_responses_are_cached_whole(client: Client) -> None:
    row = _plan()
    url = f"/plans/{row.pk}/"
    member = Client()
    member.force_login(get_user_model().objects.create_user("member2", password="x-secret-1234"))
    assert "施策その1" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(url)
    assert hit.status_code == 200 and "施策その1" in hit.content.decode() and len(queries) == 1
    assert "Cookie" in hit["Vary"] and hit["Content-Type"].startswith("text/html")
    assert not hasattr(hit.wsgi_request, "session")  # answered before the session middleware
    # visitors with a session never get a cached response (sessions, auth and the view run)
    signed_in = member.get(url)
    assert "施策その1" in signed_in.content.decode() and signed_in.wsgi_request.user.is_authenticated
    with override_settings(KEIKAKU_PAGE_CACHE_SECONDS=0):
        assert hasattr(Client().get(url).wsgi_request, "session")  # off: the whole stack runs
    # a change through the models moves the stamp: seen at once
    measure = row.measures.get(order=1)
    measure.title = "書き換えた施策その2"
    measure.save()
    assert "書き換えた施策その2" in client.get(url).content.decode()
    # withdrawn: never served from the cache
    m.Plan.objects.filter(pk=row.pk).update(status="draft")
    assert client.get(url).status_code == 404
    assert member.get("/").status_code == 200


@override_settings(KEIKAKU_PAGE_STAMP_SECONDS=0)
def test_measure_pages_and_home_are_cached_and_follow_withdrawal(client: Client) -> None:
    row = _plan()
    measure = row.measures.get(order=0)
    url = f"/measures/{measure.pk}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 1
    m.Plan.objects.filter(pk=row.pk).update(status="draft")
    assert client.get(url).status_code == 404
    assert client.get("/measures/99999999/").status_code == 404


def test_each_filter_has_its_own_entry(client: Client) -> None:
    row = _plan()
    url = f"/plans/{row.pk}/"
    assert "3 件中 3 件を表示" in client.get(url).content.decode()
    assert "3 件中 0 件を表示" in client.get(url, {"flag": "priority"}).content.decode()
    assert "3 件中 3 件を表示" in client.get(url, {"flag": "nonsense"}).content.decode()


def test_a_remembered_stamp_needs_no_query_and_follows_saves_at_once(client: Client) -> None:
    row = _plan()
    url = f"/plans/{row.pk}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert "施策その1" in client.get(url).content.decode()
    assert len(queries) == 0  # the stamp is remembered for KEIKAKU_PAGE_STAMP_SECONDS (1 s)
    measure = row.measures.get(order=0)
    measure.title = "すぐに見える施策"
    measure.save()  # this process's generation moves: the stamp is asked again
    assert "すぐに見える施策" in client.get(url).content.decode()
