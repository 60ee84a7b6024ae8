"""Validation problems in sentences naming the measure and KPI, never a JSON path."""

from __future__ import annotations

from keikaku.core.plan import Kpi, Measure, Organisation, Plan, ScheduleEntry
from keikaku.core.problem_words import problem_sentence
from keikaku.core.validation import plan_rules


def _plan() -> Plan:
    return Plan(
        title="架空町 DX 推進計画",
        organisation=Organisation(name="架空町"),
        measures=[
            Measure(key="1-1", title="窓口の電子化", kpis=[Kpi(indicator="電子申請の件数")]),
            Measure(
                key="1-2",
                title="手続の見直し",
                schedule=[
                    ScheduleEntry(fiscal_year=2025, written="実施"),
                    ScheduleEntry(fiscal_year=2025, written="→"),
                ],
            ),
        ],
    )


def test_every_rule_of_the_guide_reads_as_a_sentence() -> None:
    plan = _plan()
    sentences = [problem_sentence(p, plan) for p in plan_rules(plan)]
    assert "施策 1-1 の KPI『電子申請の件数』に目標値がありません。" in sentences
    assert "施策 1-2 に KPI がありません（手引は施策ごとに成果指標を求めています）。" in sentences
    assert "施策 1-2 のスケジュールに同じ年度が 2 回あります。" in sentences
    assert any(s.startswith("柱 A（") for s in sentences)
    for s in sentences:
        assert "measures[" not in s and "kpis[" not in s and "no " not in s, s
