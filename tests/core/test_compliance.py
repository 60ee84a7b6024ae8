"""The guide's rules (keikaku.core.compliance) on fictional plans: each rule fires on the plan that lacks
what it asks for, names its id and the guide's section, and a complete plan has no finding."""

from __future__ import annotations

import pytest

from keikaku.core import plan as core
from keikaku.core.compliance import BLANK, CHAPTERS, RULES, chapters_present, check_plan, grouped, lines
from tests.factories import make_measure, make_plan

CHAPTER_TITLES = {
    "situation": "第1章 ひなた村を取り巻く現状と課題",
    "purpose": "第2章 計画の目的",
    "position": "第3章 計画の位置づけ",
    "structure": "第4章 推進体制と進行管理",
    "policy": "第5章 施策の基本的な方針",
    "measures": "第6章 個別施策",
    "security": "第7章 情報セキュリティと個人情報の保護",
}


def complete_plan(**kw) -> core.Plan:
    """A fictional plan that has everything the guide asks for."""
    data = dict(
        sections=[core.Section(title=t, text="本文。") for t in CHAPTER_TITLES.values()],
        contact=core.Contact(section="総務課情報係", phone="0000-00-0000"),
        measures=[make_measure(i) for i in range(1, 6)],  # pillars B C D E A
    )
    data.update(kw)
    return make_plan(**data)


def ids(findings) -> list[str]:
    return [f.rule.id for f in findings]


def test_a_complete_plan_has_no_finding() -> None:
    assert check_plan(complete_plan()) == []


def test_missing_security_chapter_and_kpi_without_target_are_two_japanese_lines() -> None:
    plan = complete_plan()
    plan.sections = [s for s in plan.sections if "セキュリティ" not in s.title]
    plan.measures[2].kpis[0].targets = []
    out = lines(check_plan(plan))
    assert len(out) == 2
    assert out[0] == "[security-chapter] 総論9: 「セキュリティ及び個人情報の適正な取扱い」の章がありません"
    assert out[1].startswith("[kpi-target] 総論6: 施策「3-① 施策3")
    assert out[1].endswith("に目標値がありません")
    en = lines(check_plan(plan), "en")
    assert en[0] == "[security-chapter] 総論9: no chapter on the security and personal information"


@pytest.mark.parametrize(
    "title",
    ["計画策定の背景", "本市の情報化を取り巻く環境の変化", "現状及び課題"],
)
def test_chapters_are_found_by_meaning_not_one_phrase(title: str) -> None:
    plan = complete_plan()
    plan.sections[0] = core.Section(title=title, text="")
    assert "situation" in chapters_present(plan)
    assert check_plan(plan) == []


def test_a_chapter_inside_another_section_counts_by_its_heading() -> None:
    plan = complete_plan()
    plan.sections = [s for s in plan.sections if "目的" not in s.title and "位置" not in s.title]
    assert {"chapter-purpose", "chapter-position"} <= set(ids(check_plan(plan)))
    plan.sections.insert(
        0, core.Section(title="計画の概要", text="## 計画の趣旨\n本文\n## 他の計画との関係\n本文")
    )
    assert check_plan(plan) == []


def test_every_chapter_rule_names_its_template_number() -> None:
    plan = complete_plan(sections=[], policies=[], measures=[])
    found = {f.rule.id: f for f in check_plan(plan)}
    for c in CHAPTERS:
        rule = "security-chapter" if c.kind == "security" else f"chapter-{c.kind}"
        assert rule in found, rule
        assert found[rule].fix == f"chapter:{c.kind}"
    assert found["chapter-situation"].rule.section == "雛型1"
    assert found["chapter-measures"].rule.section == "雛型6"
    # no measures at all: every pillar is uncovered
    assert sum(1 for f in check_plan(plan) if f.rule.id == "pillar-coverage") == 5


def test_pillars_period_contact() -> None:
    plan = complete_plan(measures=[make_measure(i) for i in (1, 2)], contact=None, period=core.Period())
    found = check_plan(plan)
    assert ids(found)[:2] == ["period", "contact"]
    pillars = [f for f in found if f.rule.id == "pillar-coverage"]
    assert [f.fix for f in pillars] == ["pillar:A", "pillar:D", "pillar:E"]
    assert all(f.rule.section == "総論6" for f in pillars)
    assert "オンライン化原則" in pillars[0].ja
    # a period with no end but a note (毎年度見直し) is a period
    plan = complete_plan(period=core.Period(start_fy=2026, note="毎年度見直し"))
    assert check_plan(plan) == []


def test_measure_without_kpi_and_target_without_year() -> None:
    plan = complete_plan()
    plan.measures[0].kpis = []
    plan.measures[1].kpis[0].targets = [core.Value(value="50件")]
    plan.measures[4].reposted = True
    plan.measures[4].kpis = []
    assert ids(check_plan(plan)) == ["measure-kpi", "kpi-target-year"]
    plan.measures[1].deadline_fy = 2028  # the measure's deadline is the date it is reached
    assert ids(check_plan(plan)) == ["measure-kpi"]


def test_national_measures_against_the_catalogue() -> None:
    cat = core.Catalogue(
        title="架空の手引",
        measures=[
            core.ExampleMeasure(key="1-1", title="窓口予約のオンライン化", national_measures=["国の施策甲"]),
            core.ExampleMeasure(key="2-1", title="地図データの公開"),
        ],
    )
    plan = complete_plan()
    plan.measures[0].national_measures = ["国の施策甲", "どこにもない施策"]
    plan.measures[1].title = "窓口予約のオンライン化"
    found = check_plan(plan, catalogue=cat)
    assert ids(found) == ["national-measure", "national-measure-missing"]
    assert "どこにもない施策" in found[0].ja and found[0].rule.section == "総論7"
    assert check_plan(plan) == []  # without a catalogue the 総論7 rules are not checked


def test_blanks_left_for_the_author() -> None:
    plan = complete_plan()
    plan.sections[2].text = f"本計画は{BLANK}総合計画（{BLANK}）に基づく。"
    plan.measures[0].description = f"{BLANK}までに実施する"
    found = check_plan(plan)
    assert ids(found) == ["blank", "blank"]
    assert "2 か所" in found[0].ja


def test_combined_plans_carry_each_kinds_content() -> None:
    plan = complete_plan(kinds=[core.PlanKind.KANMIN_DATA, core.PlanKind.JOHOKA, core.PlanKind.DX])
    plan.measures[0].departments = []
    found = check_plan(plan)
    assert ids(found)[0] == "kind-johoka" and "1 件" in found[0].ja
    dx = [f.ja for f in found if f.rule.id == "kind-dx"]
    assert any("標準化・共通化" in x for x in dx) and any("テレワーク" in x for x in dx)
    assert not any("セキュリティ" in x for x in dx)  # the security chapter covers it
    plan.measures[0].departments = ["総務課"]
    plan.measures[1].title = "基幹業務システムの標準化とテレワーク、AI・RPA の活用、マイナンバーカード"
    plan.measures[2].title = "電子申請の拡大"
    assert check_plan(plan) == []


def test_grouped_follows_the_rule_order() -> None:
    plan = complete_plan(sections=[], contact=None)
    groups = grouped(check_plan(plan))
    order = list(RULES)
    assert [order.index(g.rule.id) for g in groups] == sorted(order.index(g.rule.id) for g in groups)
    assert groups[0].rule.id == "contact" and groups[0].count == 1


def test_a_chapter_whose_heading_was_lost_counts_by_its_statement() -> None:
    plan = complete_plan()
    plan.sections = [s for s in plan.sections if "目的" not in s.title and "位置" not in s.title]
    plan.sections[0].text = "本計画は、ひなた村総合計画を具体化する個別計画として位置付けます。"
    ids_ = [f.rule.id for f in check_plan(plan)]
    assert "chapter-position" not in ids_ and "chapter-purpose" in ids_
    plan.sections[0].text += "「基本法」は官民データの活用を目的として施行された。"  # the law's purpose
    assert "chapter-purpose" in {f.rule.id for f in check_plan(plan)}
    plan.sections[0].text += "本計画は、住民の利便性の向上を目的とします。"
    assert check_plan(plan) == []
    # a passing mention is not the chapter
    plan.sections[0].text = "位置付けについては別に定める。目的地までの交通を確保する。"
    assert {"chapter-position", "chapter-purpose"} <= {f.rule.id for f in check_plan(plan)}


def test_a_policy_given_to_security_covers_the_security_chapter() -> None:
    plan = complete_plan()
    plan.sections = [s for s in plan.sections if "セキュリティ" not in s.title]
    assert "security-chapter" in {f.rule.id for f in check_plan(plan)}
    plan.policies[0].children = [core.Policy(key="(1)-3", title="人材育成と情報セキュリティ対策の強化")]
    assert check_plan(plan) == []
