"""The one rule for a KPI actual (keikaku.core.actuals): widths, separators, 万, prefixes, units, words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keikaku.core.actuals import Actual, ActualRefused, KpiRule, check_number, kpi_rule, parse_actual
from keikaku.core.rollup import Quantity, attainment, parse_value

PERCENT = KpiRule(unit="%")
COUNT = KpiRule(unit="件")
WORDS = KpiRule(qualitative=True)


@pytest.mark.parametrize(
    ("written", "rule", "number", "unit"),
    [
        ("30 ％", PERCENT, "30", "%"),
        ("３０%", PERCENT, "30", "%"),
        ("３０ ％", PERCENT, "30", "%"),
        ("18.5%", PERCENT, "18.5", "%"),
        ("30", PERCENT, "30", "%"),
        ("約30%", PERCENT, "30", "%"),
        ("30%以上", PERCENT, "30", "%"),
        ("30パーセント", PERCENT, "30", "%"),
        ("1,200件", COUNT, "1200", "件"),
        ("１，２００件", COUNT, "1200", "件"),
        ("1.2万件", COUNT, "12000", "件"),
        ("年間800件", COUNT, "800", "件"),
        ("累計 1,200 件", COUNT, "1200", "件"),
        ("△5", COUNT, "-5", "件"),
        ("3.5万人", KpiRule(unit="万人"), "3.5", "万人"),
        ("12回", KpiRule(unit="回/年"), "12", "回/年"),
        ("3回", WORDS, "3", "回"),
        ("40%", KpiRule(units=("%",)), "40", "%"),  # no unit on the KPI: the target's
    ],
)
def test_numbers_in_any_width(written: str, rule: KpiRule, number: str, unit: str) -> None:
    got = parse_actual(written, rule)
    assert got == Actual(number=Decimal(number), unit=unit), written


def test_words_only_for_qualitative_kpis_and_clear_messages() -> None:
    assert parse_actual("実施", WORDS) == Actual(text="実施")
    assert parse_actual(" 導入完了 ", WORDS) == Actual(text="導入完了")
    assert (
        parse_actual("", PERCENT) is None
        and parse_actual("  ", WORDS) is None
        and parse_actual(None, COUNT) is None
    )
    with pytest.raises(ActualRefused) as e:
        parse_actual("実施", PERCENT)
    assert "数値の指標" in e.value.message and "30%" in e.value.message and "実施" in e.value.message
    with pytest.raises(ActualRefused) as e:
        parse_actual("30件", PERCENT)
    assert "単位「件」" in e.value.message and "%" in e.value.message
    for bad in ("12,34件", "30%（R7）", "1e400", "令和7年度"):
        with pytest.raises(ActualRefused):
            parse_actual(bad, COUNT)
    with pytest.raises(ActualRefused):
        parse_actual("あ" * 501, WORDS)


def test_cells_and_api_numbers() -> None:
    assert parse_actual(18.5, PERCENT) == Actual(number=Decimal("18.5"), unit="%")
    assert parse_actual(1200, COUNT) == Actual(number=Decimal("1200"), unit="件")
    assert check_number(Decimal("30"), "％", PERCENT) == Actual(number=Decimal("30"), unit="%")
    assert check_number(Decimal("1.2"), "万件", COUNT) == Actual(number=Decimal("12000"), unit="件")
    with pytest.raises(ActualRefused):
        check_number(Decimal("3"), "人", PERCENT)


def test_kpi_rule_from_plan_data() -> None:
    assert kpi_rule("%", "increase", "20%", ["40%（令和7年度）"]) == KpiRule("%", ("%",), False)
    assert kpi_rule(None, None, None, ["40％"]) == KpiRule("", ("%",), False)
    assert kpi_rule(None, None, None, ["導入"]).qualitative
    assert kpi_rule(None, "qualitative", None, ["3件"]).qualitative
    assert not kpi_rule("件", None, None, []).qualitative and kpi_rule("", None, None, []).qualitative


def test_attainment_of_a_full_width_percent() -> None:
    actual = parse_actual("30 ％", kpi_rule("", None, None, ["40%"]))
    assert actual is not None
    q = Quantity(written="30 ％", number=float(actual.number), unit=actual.unit)  # type: ignore[arg-type]
    assert attainment("increase", q, parse_value("40%")).ratio == 0.75
    raw = Quantity(written="30 ％", number=30.0, unit="％")  # a unit stored as typed, before the rule
    assert attainment("increase", raw, parse_value("40%")).ratio == 0.75
