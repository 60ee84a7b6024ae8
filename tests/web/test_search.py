"""Search over all published measures (keikaku.services.search) and the /search/ page — SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection

from keikaku.core import plan as core
from keikaku.db.plans import models as m
from keikaku.db.search.models import MeasureDocument
from keikaku.services.plans import plan_save
from keikaku.services.search import (
    grams,
    measure_search,
    normalise,
    query_terms,
    search_index_plan,
    search_reindex,
)
from tests.factories import XSS, make_measure, make_plan, title

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)

INJECTIONS = [
    "'; DROP TABLE plans_plan; --",
    "' OR 1=1 --",
    '" OR ""="',
    "NEAR(防災 情報)",
    "防災*",
    '"防災',
    "title:防災",
    "^防災",
    "防災 AND OR NOT",
    "%",
    "_",
    "\\",
    "()",
    "*",
    "\x00防災",
    "　",
    "{title body}: 防災",
    "<script>alert(1)</script>",
    "Robert'); DELETE FROM search_measuredocument;--",
]


def store(plan: core.Plan, status: str = "published") -> m.Plan:
    row = plan_save(plan, now=NOW, status=status)
    search_index_plan(row.pk)
    return row


def measures() -> list[core.Measure]:
    return [
        make_measure(
            1,
            title=title("防災情報の一斉配信"),
            description="避難情報を配信する。",
            pillars=[core.PillarRef(code="D")],
        ),
        make_measure(
            2,
            title=title("住民への情報提供"),
            description="防災アプリと連携して情報を届ける。",
            priority_areas=["インフラ・防災・減災等"],
        ),
        make_measure(
            3,
            title=title("オープンデータの公開"),
            description="データを公開する。",
            pillars=[core.PillarRef(code="B")],
        ),
        make_measure(
            4, title=title("窓口の改善"), description="書かない窓口。", departments=["防災危機管理課"]
        ),
        make_measure(5, title=title("AI・RPAの活用"), description="業務の効率化。"),
    ]


@pytest.fixture
def midori(db) -> m.Plan:
    return store(make_plan(0, org="みどり市", prefecture="静岡県", measures=measures()))


def ids_by_title(plan: m.Plan) -> dict[str, int]:
    return {ms.title.split("<")[0]: ms.pk for ms in plan.measures.all()}


def test_normalisation_and_terms() -> None:
    assert normalise("ｵｰﾌﾟﾝﾃﾞｰﾀ") == normalise("オープンデータ") == normalise("おーぷんでーた")
    assert normalise("ＡＩ　活用") == "ai 活用"
    assert grams("防災計画") == "防災 災計 計画 画"
    assert query_terms("  ") == []
    assert query_terms("x" * 10_000) == ["x" * 200]
    assert query_terms("a b c d e f g h i j") == list("abcdefgh")


def test_two_character_query_finds_title_then_body_matches(midori: m.Plan) -> None:
    ids = ids_by_title(midori)
    page = measure_search("防災")
    found = [h.measure_id for h in page.hits]
    assert page.total == 3
    assert found[0] == ids["防災情報の一斉配信"]
    assert set(found[1:]) == {ids["住民への情報提供"], ids["窓口の改善"]}  # description, department
    assert page.hits[0].title_match and not page.hits[1].title_match
    assert page.hits[0].organisation == "みどり市" and page.hits[0].prefecture == "静岡県"


def test_one_character_and_katakana_queries(midori: m.Plan) -> None:
    ids = ids_by_title(midori)
    assert ids["防災情報の一斉配信"] in {h.measure_id for h in measure_search("災").hits}
    for q in ("オープンデータ", "おーぷんでーた", "ｵｰﾌﾟﾝﾃﾞｰﾀ", "オープン"):
        page = measure_search(q)
        assert [h.measure_id for h in page.hits] == [ids["オープンデータの公開"]], q
    assert [h.measure_id for h in measure_search("ai").hits] == [ids["AI・RPAの活用"]]
    assert measure_search("防災 配信").total == 1  # every term must match
    assert measure_search("防災 公開").total == 0


def test_kpi_text_is_searched(midori: m.Plan) -> None:
    assert measure_search("電子申請件数").total == 5  # every factory measure has that KPI


@pytest.mark.parametrize("q", INJECTIONS)
def test_hostile_queries_never_fail(midori: m.Plan, q: str) -> None:
    page = measure_search(q)
    assert page.total >= 0
    assert m.Plan.objects.count() == 1
    assert MeasureDocument.objects.count() == 5


def test_empty_and_huge_queries(midori: m.Plan) -> None:
    assert measure_search("").total == 0
    assert measure_search("   ").total == 0
    assert measure_search("x" * 10_000).total == 0
    assert measure_search("防災" * 5_000).total == 0
    assert measure_search("防災", limit=10**9, offset=10**12).total >= 0


def test_script_in_titles_is_returned_as_text(midori: m.Plan) -> None:
    page = measure_search("script")
    assert page.total == 5 and XSS in page.hits[0].title


def test_filters(db) -> None:
    a = store(make_plan(0, org="みどり市", prefecture="静岡県", measures=measures()))
    b = store(
        make_plan(
            0,
            org="さくら町",
            prefecture="長野県",
            period=core.Period(start_fy=2030, end_fy=2034),
            measures=[make_measure(1, title=title("防災無線の更新"), schedule=[])],
        )
    )
    assert {h.plan_id for h in measure_search("防災").hits} == {a.pk, b.pk}
    assert {h.plan_id for h in measure_search("防災", prefecture="長野県").hits} == {b.pk}
    assert measure_search("防災", pillar="D").total == 1
    assert measure_search("", pillar="B").total == 2  # オープンデータの公開 and the factory default (B)
    assert measure_search("", priority_area="インフラ・防災・減災等").total == 1
    assert measure_search("防災", priority_area="観光").total == 0
    # fiscal year: the schedule (factory: 2025–2027) or the plan period
    assert {h.plan_id for h in measure_search("防災", fiscal_year=2032).hits} == {b.pk}
    assert {h.plan_id for h in measure_search("防災", fiscal_year=2026).hits} == {a.pk}
    assert measure_search("防災", fiscal_year=99999).total == 0
    assert measure_search("防災", pillar="%").total == 0


def test_drafts_are_not_found_and_deleted_plans_leave_the_index(db) -> None:
    draft = store(make_plan(0, org="あおば村", measures=measures()), status="draft")
    assert measure_search("防災").total == 0
    m.Plan.objects.filter(pk=draft.pk).update(status="published")
    assert measure_search("防災").total == 3
    draft.delete()
    assert MeasureDocument.objects.count() == 0
    assert measure_search("防災").total == 0
    assert measure_search("オープンデータ").total == 0


def test_reindex_and_pagination(db) -> None:
    for i in range(3):
        plan_save(make_plan(0, org=f"テスト市{i}", measures=measures()), now=NOW)
    assert measure_search("防災").total == 9  # plan_save indexes the plan
    assert search_reindex() == 15
    first = measure_search("防災", limit=4)
    second = measure_search("防災", limit=4, offset=4)
    beyond = measure_search("防災", limit=4, offset=100)
    assert first.total == second.total == beyond.total == 9
    assert len(first.hits) == 4 and len(second.hits) == 4 and beyond.hits == []
    assert not {h.measure_id for h in first.hits} & {h.measure_id for h in second.hits}
    assert all(h.title_match for h in first.hits[:3]) and first.has_next and not first.has_previous
    assert search_index_plan(m.Plan.objects.first().pk) == 5  # idempotent
    assert MeasureDocument.objects.count() == 15


def test_mixed_long_and_short_terms_page_and_cap(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query with a 3+-character and a 1–2-character term: title matches first, pages never overlap,
    drafts are left out, and the count stops at the cap (streamed merge on SQLite, stored vectors on PG)."""
    from keikaku.services import search as s

    def mixed() -> list[core.Measure]:
        return [
            make_measure(1, title=title("防災マップの更新"), description="地図を直す。"),
            make_measure(2, title=title("地図の公開"), description="防災マップを公開する。"),
            make_measure(3, title=title("防災訓練"), description="訓練を行う。"),
        ]

    for i in range(3):
        store(make_plan(0, org=f"テスト市{i}", measures=mixed()))
    store(make_plan(0, org="あおば村", measures=mixed()), status="draft")
    page = measure_search("まっぷ 防災")  # マップ (3 characters) and 防災 (2): title matches first
    assert page.total == 6 and not page.total_capped
    assert [h.title_match for h in page.hits] == [True] * 3 + [False] * 3
    assert measure_search("防災 公開する").total == 3
    pages = [measure_search("防災 マップ", limit=2, offset=o) for o in (0, 2, 4, 6)]
    seen = [h.measure_id for p in pages for h in p.hits]
    assert len(seen) == len(set(seen)) == 6 and pages[3].hits == []
    assert [h.measure_id for h in page.hits] == seen
    monkeypatch.setattr(s, "COUNT_CAP", 4)
    capped = measure_search("防災 マップ", limit=2)
    assert (capped.total, capped.total_capped) == (4, True)
    assert [h.measure_id for h in capped.hits] == seen[:2]
    deep = measure_search("防災 マップ", limit=2, offset=4)  # the cap grows with the page: paging stays exact
    assert [h.measure_id for h in deep.hits] == seen[4:6]


def test_index_rows_follow_edits(db) -> None:
    """Re-indexing a plan replaces its rows (on PostgreSQL the stored gram vectors are regenerated)."""
    row = store(make_plan(0, org="みどり市", measures=measures()))
    assert measure_search("窓口").total == 1
    MeasureDocument.objects.filter(plan_id=row.pk).update(title_grams="", body_grams="", title="", body="")
    assert measure_search("窓口").total == 0
    search_index_plan(row.pk)
    assert measure_search("窓口").total == 1 and measure_search("窓口 改善").total == 1


def test_postgresql_database_is_utf8(db) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()"
        )
        encoding, ctype = cur.fetchone()
        cur.execute("SELECT show_trgm('防災計画')")
        trigrams = cur.fetchone()[0]
    assert encoding == "UTF8" and "utf" in ctype.lower().replace("-", "")
    assert len(trigrams) >= 3  # pg_trgm sees Japanese characters


# ---------------------------------------------------------------- the page


def test_search_page_lists_results_with_links(client, midori: m.Plan) -> None:
    ids = ids_by_title(midori)
    r = client.get("/search/", {"q": "防災"})
    assert r.status_code == 200
    html = r.content.decode()
    assert f'href="/measures/{ids["防災情報の一斉配信"]}/"' in html
    assert f'href="/plans/{midori.pk}/"' in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert html.index("<mark>防災</mark>情報の一斉配信") < html.index("住民への情報提供")


def test_search_page_form_is_labelled(client, midori: m.Plan) -> None:
    html = client.get("/search/").content.decode()
    form = html[html.index('role="search"') : html.index("</form>", html.index('role="search"'))]
    controls = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', form)
    assert len(controls) == 5
    for cid in controls:
        assert f'<label for="{cid}">' in form


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "防災", "fiscal_year": "abc", "page": "-3", "pillar": "ZZ", "prefecture": "<b>"},
        {"q": "防災", "page": "99999999999999999999"},
        {"q": "<script>alert(1)</script>"},
        *({"q": q} for q in INJECTIONS if "\x00" not in q),
        {"priority_area": "'; --", "fiscal_year": "2026"},
    ],
)
def test_search_page_bad_input_is_a_normal_page(client, midori: m.Plan, params: dict) -> None:
    r = client.get("/search/", params)
    assert r.status_code == 200
    assert "<script>alert" not in r.content.decode()


def test_search_page_pagination_links(client, db) -> None:
    store(
        make_plan(
            0, org="みどり市", measures=[make_measure(i, title=title(f"防災施策{i}")) for i in range(1, 26)]
        )
    )
    html = client.get("/search/", {"q": "防災"}).content.decode()
    assert "25 件中 1–20 件目" in html and 'rel="next"' in html and 'rel="prev"' not in html
    html = client.get("/search/", {"q": "防災", "page": "2"}).content.decode()
    assert "25 件中 21–25 件目" in html and 'rel="prev"' in html and 'rel="next"' not in html
