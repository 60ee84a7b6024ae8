"""Drafting from a catalogue (keikaku.core.drafting), pure: on the demo's fictional catalogue."""

from __future__ import annotations

import pytest

from keikaku.core.compliance import BLANK, check_plan
from keikaku.core.drafting import draft_plan, fill, plan_title
from keikaku.core.plan import Catalogue, Organisation, PlanKind
from keikaku.demo import SAMPLE_CATALOGUE

VILLAGE = Organisation(name="ひなた村", prefecture="静岡県")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.model_validate_json(SAMPLE_CATALOGUE.read_text(encoding="utf-8"))


def test_placeholders_are_filled_and_the_rest_is_marked() -> None:
    ctx = {"organisation": VILLAGE, "start_fy": 2026, "end_fy": 2030}
    assert fill("〇〇市総合計画（平成〇年〇月）", **ctx) == f"ひなた村総合計画（{BLANK}）"
    assert (
        fill("期間は令和〇年度から令和〇年度までの〇年間", **ctx)
        == "期間は令和8年度から令和12年度までの5年間"
    )
    assert fill("平成〇年度末までに〇〇県と調整", **ctx) == "令和12年度末までに静岡県と調整"
    assert fill("平成 〇 年までに公開件数〇件を達成", **ctx) == f"令和12年度までに公開件数{BLANK}件を達成"
    assert fill("本市の副市長と市民、市町村", **ctx) == "本村の副村長と村民、市町村"
    city = {**ctx, "organisation": Organisation(name="みなと市")}
    assert fill("本市の副市長", **city) == "本市の副市長"


def test_titles_name_every_kind() -> None:
    assert plan_title(VILLAGE, [PlanKind.KANMIN_DATA]) == "ひなた村官民データ活用推進計画"
    assert (
        plan_title(VILLAGE, [PlanKind.KANMIN_DATA, PlanKind.JOHOKA, PlanKind.DX])
        == "ひなた村官民データ活用推進計画（兼 ひなた村情報化推進計画・ひなた村DX推進計画）"
    )


def test_draft_has_the_seven_chapters_and_the_picked_measures(catalogue: Catalogue) -> None:
    keys = ["5-1", "1-1", "3-2"]
    plan = draft_plan(
        catalogue, organisation=VILLAGE, start_fy=2026, end_fy=2030, kinds=[PlanKind.DX], measure_keys=keys
    )
    assert plan.kinds == [PlanKind.KANMIN_DATA, PlanKind.DX]
    assert [s.kind for s in plan.sections] == [
        "situation", "purpose", "position", "structure", "policy", "measures", "security",
    ]  # fmt: skip
    assert plan.sections[0].title == "ひなた村の現状及び課題"
    assert all("〇" not in s.text for s in plan.sections)
    assert "副村長" in plan.sections[3].text
    assert [m.key for m in plan.measures] == ["1-1", "3-2", "5-1"]  # the catalogue's order
    m = plan.measures[0]
    by_key = {ex.key: ex for ex in catalogue.measures}
    assert m.pillars[0].code == "A" and m.priority_areas == by_key["1-1"].priority_areas
    assert m.national_measures == by_key["1-1"].national_measures
    assert [(k.indicator, k.unit, k.targets, k.baseline) for k in m.kpis][0] == (
        "オンラインで予約できる手続の数", "件", [], None,
    )  # fmt: skip
    assert "〈スケジュール〉" in m.description and "令和12年度までに" in m.description
    assert [p.key for p in plan.policies] == ["1", "3", "5"]
    assert m.policy_key == "1"
    found = {f.rule.id for f in check_plan(plan, catalogue=catalogue)}
    assert {"contact", "kpi-target", "blank", "pillar-coverage", "kind-dx"} <= found
    assert "security-chapter" not in found and "period" not in found


def test_unknown_keys_and_backward_periods_are_refused(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="9-9"):
        draft_plan(
            catalogue, organisation=VILLAGE, start_fy=2026, end_fy=2030, kinds=[], measure_keys=["9-9"]
        )
    with pytest.raises(ValueError):
        draft_plan(catalogue, organisation=VILLAGE, start_fy=2030, end_fy=2026, kinds=[], measure_keys=[])


def test_the_demo_catalogue_is_fictional_and_covers_every_pillar(catalogue: Catalogue, corpus_guide) -> None:
    """The demo ships its own wording: seven chapters, example measures over the five pillars, and (when
    the shared corpus is there) no title or sentence of the national guide."""
    assert sorted(s.kind for s in catalogue.template_sections) == sorted(
        ["situation", "purpose", "position", "structure", "policy", "measures", "security"]
    )
    assert {r.code for ex in catalogue.measures for r in ex.pillars} >= {"A", "B", "C", "D", "E"}
    assert "架空" in catalogue.title
    if corpus_guide is None:
        return
    guide = corpus_guide.replace(" ", "")
    texts = [ex.title for ex in catalogue.measures] + [s.text for s in catalogue.template_sections]
    sentences = [x.replace(" ", "") for t in texts for x in t.replace("\n", "。").split("。") if len(x) >= 15]
    assert [x for x in sentences if x in guide] == []
    assert [ex.title for ex in catalogue.measures if ex.title.replace(" ", "") in guide] == []


@pytest.fixture
def corpus_guide() -> str | None:
    from tests.conftest import CORPUS

    plans = CORPUS / "plans"
    if not plans.is_dir():
        return None
    for p in sorted(plans.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        if "策定の手引" in text[:400]:
            return text
    return None
