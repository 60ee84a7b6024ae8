"""Labelled measures in plain-text layouts (text converted from PDF, colon labels, 【取組n】 items), read
from text, from a generated DOCX and from a generated PDF, compared with the plans written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.core.plan import Plan, PlanKind
from keikaku.ingest import import_document
from keikaku.ingest.extract import extract_plan
from keikaku.ingest.extract.kpi import parse_target, qualitative_target
from keikaku.ingest.readers.text import read_text
from tests.ingest.extract.summary import summary
from tests.ingest.extract.text_fixtures import LIBRARY_TEXT, MIDORI, PLANS, SAKURA, write_docx, write_pdf


def _plan(text: str, name: str = "plan.txt") -> Plan:
    return extract_plan(read_text(text.encode(), name), name)


def _summary(plan: Plan) -> list[tuple]:
    return summary(plan, deadline=True)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_text_plan_matches_expected(name: str) -> None:
    text, expected = PLANS[name]
    assert _summary(_plan(text, f"{name}.txt")) == [tuple(e) for e in expected]


def test_pdf_text_lines_cover_page_numbers_and_wrapping() -> None:
    r = read_text(MIDORI.encode(), "midori.txt")
    texts = [b.text for b in r.blocks]
    # the cover is three blocks, not one paragraph
    assert texts[:3] == ["みどり市地域情報化計画", "令和6年3月", "みどり市"]
    # page numbers and the running header are gone
    assert not any(t.startswith("- ") for t in texts)
    assert texts.count("みどり市地域情報化計画") == 1
    # lines that ran to the line width are joined; label lines are blocks of their own
    assert LIBRARY_TEXT in texts
    assert "【担当課】生涯学習課・情報政策課" in texts


def test_narrative_numbered_items_are_not_measures() -> None:
    plan = _plan(MIDORI, "midori.txt")
    titles = [m.title for m in plan.measures]
    assert "計画策定の趣旨" not in titles and "推進組織" not in titles
    assert "誰もが使える行政サービス" not in titles
    m = plan.measures[0]
    assert m.description == LIBRARY_TEXT
    assert m.provenance is not None and m.provenance.line_start is not None


def test_metadata_of_plain_text_plans() -> None:
    midori = _plan(MIDORI, "midori.txt")
    assert midori.title == "みどり市地域情報化計画"
    assert (midori.organisation.name, midori.published) == ("みどり市", "2024-03")
    assert (midori.period.start_fy, midori.period.end_fy) == (2024, 2028)
    sakura = _plan(SAKURA, "sakura.txt")
    assert (sakura.title, sakura.published) == ("さくら町DX推進計画", "2024-06")
    assert (sakura.period.start_fy, sakura.period.end_fy) == (2024, 2028)
    assert PlanKind.DX in sakura.kinds


def test_pillar_headings_by_everyday_names_are_document_labels() -> None:
    sakura = _plan(SAKURA, "sakura.txt")
    got = [(m.title, [(p.code, p.source.value) for p in m.pillars]) for m in sakura.measures]
    assert got == [
        ("町の統計データの公開", [("B", "document")]),
        ("バス停位置情報のオープンデータ化", [("B", "document")]),
        ("休日の交付窓口", [("C", "document")]),
    ]
    # a policy heading that names no pillar: pillars are inferred
    midori = _plan(MIDORI, "midori.txt")
    assert all(p.source.value == "inferred" for m in midori.measures for p in m.pillars)
    assert all(m.pillars for m in midori.measures)


def test_qualitative_targets() -> None:
    assert qualitative_target("ホームページをJIS X 8341-3のレベルAAへ準拠させる") == "レベルAA"
    assert qualitative_target("全ての公民館に公衆無線LANを導入する") == "導入"
    assert qualitative_target("充実") == "充実"
    t = parse_target("令和8年度までに窓口の予約システムを構築する")
    assert t is not None and (t.value, t.fiscal_year) == ("構築", 2026)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("text_layouts")
    for name, (text, _) in PLANS.items():
        write_docx(text, d / f"{name}.docx")
        write_pdf(text, d / f"{name}.pdf")
    return d


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", sorted(PLANS))
def test_docx_and_pdf_give_the_same_plan(generated: Path, name: str, fmt: str) -> None:
    plan = import_document(generated / f"{name}.{fmt}")
    assert isinstance(plan, Plan)
    _, expected = PLANS[name]
    assert _summary(plan) == [tuple(e) for e in expected]
