"""Ranked search (keikaku.services.search, keikaku.core.ranking): relevance order, 「もしかして」 suggestions and
highlighted matches, on the page and in the API — SQLite and PostgreSQL (the ``database`` marker)."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime

import pytest

from keikaku.core import plan as core
from keikaku.core.ranking import Vocabulary, highlight, normalise, rank, title_words
from keikaku.db.plans import models as m
from keikaku.services import search as s
from keikaku.services.plans import plan_save
from keikaku.services.search import measure_search, search_index_plan
from tests.factories import XSS, make_measure, make_plan

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def store(measures: list[core.Measure], org: str = "みどり市", status: str = "published") -> m.Plan:
    row = plan_save(make_plan(0, org=org, measures=measures), now=NOW, status=status)
    search_index_plan(row.pk)
    return row


def ms(i: int, title: str, description: str = "取り組みます。") -> core.Measure:
    """A measure whose title is ``title`` followed by the factories' script tag (no other words)."""
    return make_measure(i, title=f"{title}{XSS}", description=description, kpis=[], departments=[])


def order(page: s.SearchPage) -> list[str]:
    return [h.title.split("<")[0] for h in page.hits]


# ---------------------------------------------------------------- pure parts


def test_normalise_reads_dashes_after_kana_as_long_vowels() -> None:
    for written in ("オープンデ-タ", "オープンデ－タ", "オープンデ‐タ", "ｵｰﾌﾟﾝﾃﾞｰﾀ", "おーぷんでーた"):
        assert normalise(written) == normalise("オープンデータ"), written
    assert normalise("AI-OCR") == "ai-ocr" and normalise("1-2") == "1-2"  # not after a kana: kept


def test_highlight_maps_normalised_matches_back_to_the_written_text() -> None:
    parts = highlight("<script>ｵｰﾌﾟﾝﾃﾞｰﾀの公開とオープンデ-タ", [normalise("オープンデータ")])
    assert parts == [("<script>", False), ("ｵｰﾌﾟﾝﾃﾞｰﾀ", True), ("の公開と", False), ("オープンデ-タ", True)]
    assert highlight("ＡＩ・RPAの活用", ["ai", "rpa"]) == [
        ("ＡＩ", True),
        ("・", False),
        ("RPA", True),
        ("の活用", False),
    ]
    assert highlight("防災", []) == [("防災", False)] and highlight("", ["防災"]) == []


def test_rank_prefers_title_then_shorter_title_and_breaks_ties_by_id() -> None:
    c = s.sb.Candidate
    ranked = rank(
        ["防災"],
        [
            c(1, "地域の防災と減災と情報の共有に関する総合的な取組", ""),
            c(2, "住民への情報提供", "防災アプリで届ける"),
            c(3, "防災アプリ", ""),
            c(4, "防災アプリ", ""),
        ],
    )
    assert [i for i, _ in ranked] == [3, 4, 1, 2]


def test_title_words_and_nearest() -> None:
    assert [w for _, w in title_words("マイナンバーカードを活用した電子申請（AI-OCR）")] == [
        "マイナンバーカード", "活用", "電子申請", "AI", "OCR",
    ]  # fmt: skip
    v = Vocabulary.from_titles(
        [("オンライン申請の拡充", 10), ("オープンデータの公開", 5), ("オンライン会議", 3)]
    )
    assert v.written(v.nearest(normalise("オンラン")) or "") == "オンライン"
    assert v.written(v.nearest(normalise("オープンデタ")) or "") == "オープンデータ"
    assert v.nearest(normalise("オンライン")) is None  # a word already
    assert v.nearest("ab") is None  # too short to guess


# ---------------------------------------------------------------- ranking on the database


def test_title_match_ranks_above_description_only_match(db) -> None:
    store(
        [
            ms(1, "住民への情報提供", "防災アプリと連携して防災情報を届ける。"),  # stored first
            ms(2, "窓口の改善"),
            ms(3, "防災無線の更新"),
        ]
    )
    page = measure_search("防災")
    assert order(page) == ["防災無線の更新", "住民への情報提供"]
    assert page.hits[0].title_match and not page.hits[1].title_match
    assert page.hits[0].score > 0 and page.hits[1].score > 0


def test_more_specific_match_ranks_above_a_weaker_one(db) -> None:
    """Among title matches, stored order no longer decides: the title that is mostly the query words and
    whose description repeats them comes first; among description matches, the one naming them more often."""
    store(
        [
            ms(1, "地域の情報化と行政運営の効率化に向けた総合的な電子申請の取組"),
            ms(2, "電子申請の拡充", "電子申請で受け付ける手続を増やす。"),
            ms(3, "手続の見直し", "電子申請に触れる。"),
            ms(4, "窓口の見直し", "電子申請の対象を増やし、電子申請の利用を広報する。"),
        ]
    )
    assert order(measure_search("電子申請")) == [
        "電子申請の拡充",
        "地域の情報化と行政運営の効率化に向けた総合的な電子申請の取組",
        "窓口の見直し",
        "手続の見直し",
    ]
    # two words: the title holding both first, then the one whose title holds one of them
    store(
        [ms(1, "防災アプリの導入"), ms(2, "防災無線", "アプリで届ける。"), ms(3, "情報提供", "防災アプリ")],
        "さくら町",
    )
    assert order(measure_search("防災 アプリ")) == ["防災アプリの導入", "防災無線", "情報提供"]


def test_ranked_pages_do_not_overlap_beyond_the_window(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """A group larger than RANK_WINDOW: its first matches ranked, the rest in stored order; every page of
    the same query continues the same order."""
    monkeypatch.setattr(s, "RANK_WINDOW", 3)
    titles = [f"防災{'の取組' * (8 - i)}" for i in range(8)]  # later ones are shorter: rank higher
    store([ms(i + 1, t) for i, t in enumerate(titles)] + [ms(20, "窓口", "防災")])
    whole = [h.measure_id for h in measure_search("防災", limit=20).hits]
    pages = [h.measure_id for o in range(0, 9, 2) for h in measure_search("防災", limit=2, offset=o).hits]
    assert pages == whole and len(set(whole)) == 9
    ids = sorted(whole[:8])
    assert whole[:3] == [ids[2], ids[1], ids[0]]  # the window (first 3 stored), shortest title first
    assert whole[3:8] == ids[3:]  # beyond the window: stored order
    assert not measure_search("防災", limit=20).hits[8].title_match


def test_order_is_deterministic_for_equal_scores(db) -> None:
    store([ms(i, "防災アプリ") for i in range(1, 6)])
    first = [h.measure_id for h in measure_search("防災アプリ").hits]
    assert first == sorted(first) and len(first) == 5


# ---------------------------------------------------------------- 「もしかして」


def test_typo_gets_a_suggestion_that_finds_results(db) -> None:
    store([ms(1, "オンライン申請の拡充"), ms(2, "オープンデータの公開"), ms(3, "オンライン会議")])
    page = measure_search("オンラン")
    assert page.total == 0 and page.suggestion is not None
    assert page.suggestion.query == "オンライン" and page.suggestion.total == 2
    mixed = measure_search("オンラン 拡充")  # the known word is kept
    assert mixed.suggestion is not None and mixed.suggestion.query == "オンライン 拡充"
    assert mixed.suggestion.total == 1
    assert measure_search("オープンデ-タ").total == 1  # a dash for ー: found, no suggestion needed
    assert measure_search("オンライン").suggestion is None
    assert measure_search("まったく無関係な語句").suggestion is None


def test_drafts_give_no_suggestion_words(db) -> None:
    store([ms(1, "オープンデータの公開")])
    store([ms(1, "ドローンの活用")], org="あおば村", status="draft")
    assert measure_search("ドロン").suggestion is None
    m.Plan.objects.filter(organisation__name="あおば村").update(
        status="published", updated_at=datetime.now(UTC)
    )
    page = measure_search("ドロン")
    assert page.suggestion is not None and page.suggestion.query == "ドローン"


# ---------------------------------------------------------------- page and API


def test_search_page_marks_matches_and_keeps_scripts_inert(client, db) -> None:
    store([ms(1, "防災アプリの導入", f"防災情報を配信する。{XSS}"), ms(2, "script対策<b>防災</b>")])
    html = client.get("/search/", {"q": "防災"}).content.decode()
    assert "<script>alert" not in html and "<b>防災" not in html
    assert "<mark>防災</mark>アプリの導入&lt;script&gt;" in html
    assert "<mark>防災</mark>情報を配信する。&lt;script&gt;" in html  # the description snippet
    html = client.get("/search/", {"q": "script"}).content.decode()
    assert "&lt;<mark>script</mark>&gt;alert" in html and "<script>alert" not in html
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    assert marks and all("<" not in x for x in marks)


def test_search_page_shows_the_suggestion_as_a_link(client, db) -> None:
    store([ms(1, "オンライン申請の拡充")])
    html = client.get("/search/", {"q": "オンラン", "pillar": "B"}).content.decode()
    assert "該当する施策はありません。" in html and "もしかして" in html
    link = re.search(r'<a href="([^"]+)">オンライン</a>', html)
    assert link is not None
    target = htmllib.unescape(link.group(1))
    assert "pillar=B" in target and "q=%E3%82%AA%E3%83%B3%E3%83%A9%E3%82%A4%E3%83%B3" in target
    follow = client.get("/search/" + target).content.decode()
    assert "1 件中 1–1 件目" in follow and "もしかして" not in follow


def test_api_search_returns_scores_and_suggestion(client, db) -> None:
    store([ms(1, "オンライン申請の拡充"), ms(2, "窓口", "オンライン申請も受け付ける。")])
    data = client.get("/api/search", {"q": "オンライン"}).json()
    assert [i["title_match"] for i in data["items"]] == [True, False]
    assert data["items"][0]["score"] > 0 and data["suggestion"] is None
    typo = client.get("/api/search", {"q": "オンラン"}).json()
    assert typo["count"] == 0 and typo["suggestion"] == {
        "query": "オンライン",
        "count": 2,
        "total_capped": False,
    }


def test_migration_reads_dashes_after_kana_in_rows_indexed_before(db) -> None:
    """Rows indexed before ー-reading keep ``で-た``; migration search.0005 normalises them again."""
    import importlib

    from django.apps import apps

    from keikaku.core.ranking import grams
    from keikaku.db.search.models import MeasureDocument

    row = store([ms(1, "オープンデ-タの公開"), ms(2, "窓口の改善")])
    old = MeasureDocument.objects.get(plan_id=row.pk, title__startswith="おーぷん")
    title = old.title.replace("でーた", "で-た")
    MeasureDocument.objects.filter(pk=old.pk).update(title=title, title_grams=grams(title))
    assert measure_search("オープンデ-タ").total == 0  # the query is read with ー, the row is not
    importlib.import_module("keikaku.db.search.migrations.0005_long_vowel_dashes").forwards(apps, None)
    page = measure_search("オープンデ-タ")
    assert page.total == 1 and page.hits[0].title.startswith("オープンデ-タ")
    assert measure_search("でー").total == 1  # the bigram columns were rebuilt too
    assert MeasureDocument.objects.filter(title__startswith="窓口の改善").count() == 1  # untouched
