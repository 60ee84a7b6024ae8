"""The plan document's model (keikaku/export/plan_model.py): chapters in the template's order, measures
under their policies, the pillar × 重点分野 counts, the cover's date. Pure, no files."""

from __future__ import annotations

from keikaku.core import plan as core
from keikaku.export.plan_model import BLANK, NO_VALUE, build, date_text


def _plan() -> core.Plan:
    sections = [
        core.Section(title="セキュリティ対策", kind="security", text="守ります。"),
        core.Section(title="用語集", kind="glossary", text="BPR: 業務改革"),
        core.Section(title="現状と課題", kind="situation", text="一行目\n\n二行目"),
        core.Section(title="施策の展開", kind="measures", text="施策を示します。"),
        core.Section(title="計画の目的", kind="purpose", text="便利にします。"),
    ]
    policies = [
        core.Policy(
            key="1", title="便利な暮らし", children=[core.Policy(key="(1)", title="手続のオンライン化")]
        ),
        core.Policy(key="2", title="効率的な役場"),
    ]
    a = core.PillarRef(code="A")
    measures = [
        core.Measure(key="1-1", policy_key="(1)", title="電子申請", pillars=[a], priority_areas=["電子行政"],
                     kpis=[core.Kpi(indicator="手続数", unit="件", baseline=core.Value(value="5", fiscal_year=2024),
                                    targets=[core.Value(value="20", fiscal_year=2027),
                                             core.Value(value="40件", fiscal_year=2029)])]),
        core.Measure(key="2-1", policy_key="2", title="電子決裁", pillars=[core.PillarRef(code="E")]),
        core.Measure(key="9-1", policy_key="9", title="行き先のない施策", pillars=[a], priority_areas=["観光", "移動"]),
        core.Measure(key="2-2", policy_key="2", title="電子申請", pillars=[a], reposted=True),
    ]  # fmt: skip
    return core.Plan(title="テスト村計画", organisation=core.Organisation(name="テスト村"), sections=sections,
                     policies=policies, measures=measures, period=core.Period(start_fy=2025, end_fy=2029))  # fmt: skip


def test_chapters_follow_the_template_whatever_the_plan_order() -> None:
    d = build(_plan(), date="令和8年1月")
    assert [c.kind for c in d.chapters] == ["situation", "purpose", "measures", "security", "glossary"]
    assert [c.number for c in d.chapters] == [1, 2, 3, 4, 5] and d.measures_chapter == 2
    assert d.chapters[0].paragraphs == ["一行目", "二行目"]
    assert (d.gantt_chapter, d.coverage_chapter) == (6, 7)
    assert d.period == "令和7年度～令和11年度（5年間）" and d.date == "令和8年1月"


def test_measures_sit_under_their_policy_and_the_tree_shows_them() -> None:
    d = build(_plan())
    placed = [(p.key, [m.key for m in p.measures]) for p in d.policies]
    assert placed == [("1", []), ("(1)", ["1-1"]), ("2", ["2-1", "2-2"]), ("", ["9-1"])]
    assert [n.label for n in d.tree] == ["1　便利な暮らし", "2　効率的な役場", "その他の施策"]
    assert [c.label for c in d.tree[0].children[0].children] == ["1-1　電子申請"]


def test_kpi_values_with_units_and_targets_by_year() -> None:
    m = build(_plan()).measures[0]
    k = m.kpis[0]
    assert (k.baseline, k.baseline_fy, dict(k.targets)) == ("5件", 2024, {2027: "20件", 2029: "40件"})
    assert m.target_years == [2027, 2029] and m.baseline_fy == 2024


def test_coverage_counts_each_measure_once_and_not_the_reposted() -> None:
    cov = build(_plan()).coverage
    a = cov.pillars.index("手続における情報通信の技術の利用等")
    row = dict(zip(cov.areas, cov.counts[a], strict=True))
    assert cov.totals[a] == 2  # 1-1 and 9-1; 2-2 is a 再掲
    assert (row["電子行政"], row["観光"], row["移動"], row["分野の指定なし"]) == (1, 1, 1, 0)
    e = cov.pillars.index("情報システムに係る規格の整備及び互換性の確保等")
    assert cov.totals[e] == 1 and cov.counts[e][-1] == 1


def test_blanks_and_dates() -> None:
    assert build(_plan()).measures[1].blank == NO_VALUE
    assert build(_plan(), draft=True).measures[1].blank == BLANK
    assert date_text("2025-03", "x") == "令和7年3月"
    assert date_text("2019-04", "x") == "平成31年4月" and date_text("2019-05", "x") == "令和元年5月"
    assert date_text("2024", "x") == "令和6年" and date_text(None, "令和8年1月") == "令和8年1月"
