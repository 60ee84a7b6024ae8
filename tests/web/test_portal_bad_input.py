"""Bad input never yields a 500: unknown ids are 404, malformed or huge query strings, SQL or HTML in
parameters give 4xx or a normal page, and everything a plan contains is escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.test import Client

from keikaku.services.plans import plan_save
from tests.factories import XSS, make_plan

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, tzinfo=UTC)
NASTY = [
    "' OR 1=1 --",
    "1; DROP TABLE plans_plan;",
    XSS,
    '"><img src=x onerror=alert(1)>',
    "%00",
    "\x00",
    "ｘ" * 5000,
    "🙂\u202e\ufeff",
    "../../etc/passwd",
]


@pytest.fixture
def plan_id() -> int:
    return plan_save(make_plan(3), now=NOW).pk


def _pages(pid: int, mid: int) -> list[str]:
    return [
        "/",
        f"/plans/{pid}/",
        f"/plans/{pid}/coverage/",
        f"/plans/{pid}/gantt/",
        f"/plans/{pid}/gantt.svg",
        f"/measures/{mid}/",
        "/compare/",
        f"/plans/{pid}/measures.csv",
    ]


def test_every_page_escapes_plan_content(client: Client, plan_id: int) -> None:
    other = plan_save(make_plan(2, org="別の市"), now=NOW).pk
    mid = client.get(f"/plans/{plan_id}/").content.decode().split('href="/measures/')[1].split("/")[0]
    for url in [*_pages(plan_id, int(mid)), f"/compare/?plans={plan_id}&plans={other}"]:
        r = client.get(url)
        assert r.status_code == 200, url
        if not url.endswith(".csv"):
            assert XSS.encode() not in r.content, url
            assert b"&lt;script&gt;" in r.content, url


@pytest.mark.parametrize("value", NASTY)
def test_nasty_parameters_give_a_normal_page_or_4xx(client: Client, plan_id: int, value: str) -> None:
    mid = int(client.get(f"/plans/{plan_id}/").content.decode().split('href="/measures/')[1].split("/")[0])
    params = {
        "pillar": value,
        "area": value,
        "department": value,
        "flag": value,
        "prefecture": value,
        "plans": value,
    }
    for url in _pages(plan_id, mid):
        r = client.get(url, params)
        assert r.status_code in (200, 400), (url, r.status_code)
        if r["Content-Type"].startswith("text/html"):
            assert b"<img src=x" not in r.content and XSS.encode() not in r.content, url


def test_unknown_and_out_of_range_ids_are_404(client: Client, plan_id: int) -> None:
    draft = plan_save(make_plan(1, org="下書き村"), now=NOW, status="draft")
    draft_measure = draft.measures.first().pk
    for url in [
        "/plans/999999/",
        "/plans/0/",
        f"/plans/{2**63}/",
        f"/plans/{'9' * 200}/",
        "/plans/999999/coverage/",
        "/plans/999999/gantt/",
        "/plans/999999/gantt.svg",
        "/measures/999999/",
        f"/measures/{2**64}/",
        f"/plans/{draft.pk}/",
        f"/plans/{draft.pk}/coverage/",
        f"/plans/{draft.pk}/gantt/",
        f"/measures/{draft_measure}/",
        "/plans/abc/",
        "/plans/-1/",
        "/measures/%3Cscript%3E/",
    ]:
        r = client.get(url)
        assert r.status_code == 404, url
        assert XSS.encode() not in r.content


def test_huge_and_malformed_query_strings(client: Client, plan_id: int) -> None:
    url = f"/plans/{plan_id}/"
    many = "&".join(f"p{i}=x" for i in range(3000))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert client.get(f"{url}?{many}").status_code == 400
    assert client.get(f"/compare/?{many}").status_code == 400
    huge = "x" * 200_000
    assert client.get(url, {"pillar": huge}).status_code == 200
    assert client.get(f"/compare/?plans={huge}").status_code == 400
    for raw in (
        "%",
        "%zz",
        "pillar=%ff%fe",
        "&&&==&",
        "pillar[]=A&pillar[]=B",
        "department=1e9",
        "department=" + "9" * 30,
    ):
        r = client.get(f"{url}?{raw}")
        assert r.status_code == 200, raw
    assert client.get(f"/?prefecture={quote(XSS)}").status_code == 200


def test_only_safe_methods(client: Client, plan_id: int) -> None:
    assert client.post(f"/plans/{plan_id}/").status_code in (403, 405)
    assert client.head(f"/plans/{plan_id}/").status_code == 200
    assert client.generic("DELETE", f"/plans/{plan_id}/measures.csv").status_code in (403, 405)
