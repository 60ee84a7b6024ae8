"""The read API (/api/…): organisations, plans, measures, search, similar — SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from keikaku.core import plan as core
from keikaku.db.plans import models as m
from keikaku.services.plans import dump_document, plan_export, plan_save
from keikaku.services.search import search_index_plan
from tests.factories import XSS, make_measure, make_plan, title

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def store(plan: core.Plan, status: str = "published") -> m.Plan:
    row = plan_save(plan, now=NOW, status=status)
    search_index_plan(row.pk)
    return row


@pytest.fixture
def plans(db) -> dict[str, m.Plan]:
    a = store(
        make_plan(
            0,
            org="みどり市",
            prefecture="静岡県",
            measures=[
                make_measure(
                    1, title=title("防災情報の一斉配信"), description="避難情報を防災アプリで配信する。"
                ),
                make_measure(2, title=title("オープンデータの公開"), description="統計データを公開する。"),
                make_measure(3, title=title("窓口の改善")),
            ],
        )
    )
    b = store(
        make_plan(
            0,
            org="さくら町",
            prefecture="長野県",
            measures=[
                make_measure(
                    1,
                    title=title("防災情報の一斉配信と避難所運営"),
                    description="避難情報を防災アプリで配信する。",
                ),
                make_measure(2, title=title("公衆無線LANの整備")),
            ],
        )
    )
    draft = store(make_plan(2, org="あおば村", prefecture="静岡県"), status="draft")
    return {"a": a, "b": b, "draft": draft}


def get(client, url: str, **params):
    r = client.get(url, params)
    return r, (
        json.loads(r.content.decode("utf-8")) if r["Content-Type"].startswith("application/json") else None
    )


def test_organisations_list_and_detail(client, plans) -> None:
    r, body = get(client, "/api/organisations")
    assert r.status_code == 200
    assert body["count"] == 2  # the draft-only organisation is not listed
    assert {o["name"] for o in body["items"]} == {"みどり市", "さくら町"}
    _, body = get(client, "/api/organisations", prefecture="長野県")
    assert [o["name"] for o in body["items"]] == ["さくら町"]
    _, body = get(client, "/api/organisations", limit=1, offset=1)
    assert body["count"] == 2 and len(body["items"]) == 1
    org_id = plans["a"].organisation_id
    r, body = get(client, f"/api/organisations/{org_id}")
    assert r.status_code == 200 and body["name"] == "みどり市"
    assert [p["id"] for p in body["plans"]] == [plans["a"].pk] and body["plans"][0]["measures"] == 3
    assert get(client, f"/api/organisations/{plans['draft'].organisation_id}")[0].status_code == 404


def test_plans_list_and_plan_json_in_utf8(client, plans) -> None:
    _, body = get(client, "/api/plans")
    assert body["count"] == 2 and {p["id"] for p in body["items"]} == {plans["a"].pk, plans["b"].pk}
    _, body = get(client, "/api/plans", prefecture="静岡県")
    assert [p["id"] for p in body["items"]] == [plans["a"].pk]
    r = client.get(f"/api/plans/{plans['a'].pk}")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    raw = r.content.decode("utf-8")
    assert "みどり市" in raw and "\\u" not in raw  # Japanese as UTF-8, not escapes
    assert XSS in raw  # JSON carries the text as data; it is never rendered as HTML here
    assert json.loads(raw) == json.loads(dump_document(plan_export(plans["a"].pk)))


def test_measures_of_a_plan_and_measure_detail(client, plans) -> None:
    _, body = get(client, f"/api/plans/{plans['a'].pk}/measures", limit=2, offset=1)
    assert body["count"] == 3 and len(body["items"]) == 1 + 1
    assert body["items"][0]["title"].startswith("オープンデータの公開")
    mid = body["items"][0]["id"]
    r, detail = get(client, f"/api/measures/{mid}")
    assert r.status_code == 200
    assert detail["plan_id"] == plans["a"].pk and detail["organisation"] == "みどり市"
    assert (
        detail["measure"]["kpis"][0]["unit"] == "件"
        and detail["measure"]["schedule"][0]["fiscal_year"] == 2025
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/plans/999999",
        "/api/plans/999999/measures",
        "/api/measures/999999",
        "/api/measures/999999/similar",
        "/api/organisations/999999",
        "/api/plans/0",
        "/api/plans/-1",
        "/api/plans/99999999999999999999999999",
        "/api/measures/99999999999999999999999999",
    ],
)
def test_unknown_ids_are_404(client, plans, url: str) -> None:
    assert client.get(url).status_code == 404


def test_drafts_are_404(client, plans) -> None:
    draft = plans["draft"]
    assert client.get(f"/api/plans/{draft.pk}").status_code == 404
    assert client.get(f"/api/plans/{draft.pk}/measures").status_code == 404
    assert client.get(f"/api/measures/{draft.measures.first().pk}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/plans/abc",
        "/api/plans?limit=0",
        "/api/plans?limit=1000",
        "/api/plans?offset=-1",
        "/api/plans?offset=99999999999999999999999",
        "/api/plans?organisation=abc",
        "/api/search?pillar=Z",
        "/api/search?priority_area=%3Cb%3E",
        "/api/search?fiscal_year=abc",
        "/api/search?fiscal_year=99999",
        "/api/search?limit=0",
        "/api/search?offset=99999999999",
        "/api/measures/1/similar?limit=0",
    ],
)
def test_bad_parameters_are_4xx(client, plans, url: str) -> None:
    assert client.get(url).status_code in (400, 422)


def test_search_endpoint(client, plans) -> None:
    r, body = get(client, "/api/search", q="防災")
    assert r.status_code == 200 and "\\u" not in r.content.decode("utf-8")
    assert body["count"] == 2 and body["terms"] == ["防災"] and body["total_capped"] is False
    assert all(h["title_match"] for h in body["items"])
    _, body = get(client, "/api/search", q="防災", prefecture="長野県")
    assert [h["plan_id"] for h in body["items"]] == [plans["b"].pk]
    _, body = get(client, "/api/search", q="オープンデータ", limit=1)
    assert body["count"] == 1 and body["items"][0]["organisation"] == "みどり市"
    _, body = get(client, "/api/search", q="防災", fiscal_year=2026, pillar="B", priority_area="電子行政")
    assert body["count"] == 0


def test_search_endpoint_says_when_the_count_is_capped(client, plans, monkeypatch) -> None:
    from keikaku.services import search as s

    monkeypatch.setattr(s, "COUNT_CAP", 1)
    _, body = get(client, "/api/search", q="防災", limit=1)
    assert (body["count"], body["total_capped"], len(body["items"])) == (1, True, 1)
    _, body = get(client, "/api/search", q="防災", limit=5)  # the cap grows to the end of the page
    assert (body["count"], body["total_capped"]) == (2, False)
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["SearchOut"]
    assert "total_capped" in schema["required"]


@pytest.mark.parametrize(
    "q", ["", "x" * 10_000, "'; DROP TABLE plans_plan; --", 'NEAR("a" b)*', "<script>", "%_\\"]
)
def test_search_endpoint_any_query(client, plans, q: str) -> None:
    r, body = get(client, "/api/search", q=q)
    assert r.status_code == 200 and body["count"] >= 0
    assert m.Plan.objects.count() == 3


def test_similar_measures_come_from_other_plans(client, plans) -> None:
    mid = plans["a"].measures.get(order=0).pk
    r, body = get(client, f"/api/measures/{mid}/similar", limit=3)
    assert r.status_code == 200
    assert body and body[0]["plan_id"] == plans["b"].pk
    assert body[0]["title"].startswith("防災情報の一斉配信と避難所運営")
    assert all(s["plan_id"] != plans["a"].pk for s in body)


def test_openapi_docs(client, plans) -> None:
    assert client.get("/api/docs").status_code == 200
    spec = client.get("/api/openapi.json").json()
    for path in (
        "/api/organisations",
        "/api/plans/{plan_id}",
        "/api/plans/{plan_id}/measures",
        "/api/search",
    ):
        assert path in spec["paths"]
    assert "/api/measures/{measure_id}/similar" in spec["paths"]
