"""KPI text parsing (keikaku.ingest.extract.kpi) on fictional plan wording."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.core.fiscal import wareki
from keikaku.core.plan import Direction, Value
from keikaku.ingest.extract.kpi import (
    clean_indicator,
    infer_direction,
    kpi_from_row,
    parse_deadline,
    parse_kpi_text,
    parse_target,
    split_kpi_items,
    split_value_unit,
)


def test_deadline_sentence_gives_indicator_target_and_year() -> None:
    [k] = parse_kpi_text("令和4年度までにみどり市公式アプリを利用した施設予約件数120件を達成")
    assert k.indicator == "みどり市公式アプリを利用した施設予約件数"
    assert k.targets == [Value(value="120件", fiscal_year=2022)]
    assert k.unit == "件"
    assert k.direction == Direction.INCREASE


def test_indicator_followed_by_wo_and_qualifier() -> None:
    [k] = parse_kpi_text("平成 31(2019)年度までにさくら町の電子決済対応窓口数を 3 箇所以上とする")
    assert k.indicator == "さくら町の電子決済対応窓口数"
    assert k.targets[0].value == "3箇所以上"
    assert k.targets[0].fiscal_year == 2019
    assert k.unit == "箇所"


def test_labelled_indicator_alone() -> None:
    for text in [
        "<KPI> 電子申請に対応した手続の数",
        "< KPI³ >\n\n電子申請に対応した手続の数",
        "【KPI】電子申請に対応した手続の数",
    ]:
        [k] = parse_kpi_text(text)
        assert k.indicator == "電子申請に対応した手続の数"
        assert k.targets == []


def test_target_without_indicator_keeps_the_sentence_or_takes_the_given_one() -> None:
    [k] = parse_kpi_text("平成32年度末までに100％")
    assert k.targets == [Value(value="100%", fiscal_year=2020)]
    [k] = parse_kpi_text("平成32年度末までに100％", indicator="あおば村 図書カード登録率")
    assert k.indicator == "あおば村 図書カード登録率"
    assert k.unit == "%"


def test_baseline_and_target_labels() -> None:
    [k] = parse_kpi_text("オンライン化した手続数 現況 8件 (2021) → 目標 充実 (2025)")
    assert k.indicator == "オンライン化した手続数"
    assert k.baseline == Value(value="8件", fiscal_year=2021)
    assert k.targets == [Value(value="充実", fiscal_year=2025)]
    assert k.direction == Direction.QUALITATIVE

    [k] = parse_kpi_text("現状値：35％（令和3年度） 目標値：90％（令和8年度）", indicator="カード交付率")
    assert k.indicator == "カード交付率"
    assert k.baseline == Value(value="35%", fiscal_year=2021)
    assert k.targets == [Value(value="90%", fiscal_year=2026)]
    assert k.direction == Direction.INCREASE


def test_target_without_year_takes_the_default_year() -> None:
    [k] = parse_kpi_text("講習会の参加者数 目標 200人", default_year=2027)
    assert k.targets == [Value(value="200人", fiscal_year=2027)]


def test_several_kpis_in_one_box() -> None:
    text = "<ul><li>・窓口での平均待ち時間 ・申請書の記入項目数</li></ul>"
    assert [k.indicator for k in parse_kpi_text(text)] == ["窓口での平均待ち時間", "申請書の記入項目数"]
    text = "・公開データセット数\n・アプリコンテスト応募者数・来場者数"
    assert [k.indicator for k in parse_kpi_text(text)] == [
        "公開データセット数",
        "アプリコンテスト応募者数・来場者数",
    ]


def test_commas_separate_only_when_asked() -> None:
    text = "研修の開催回数、受講者数"
    assert [k.indicator for k in parse_kpi_text(text)] == ["研修の開催回数、受講者数"]
    assert [k.indicator for k in parse_kpi_text(text, split_commas=True)] == ["研修の開催回数", "受講者数"]


def test_numbers_that_are_names_are_not_targets() -> None:
    [k] = parse_kpi_text("令和5年度までに5Gを活用した実証事業2件を創出")
    assert k.indicator == "5Gを活用した実証事業"
    assert k.targets == [Value(value="2件", fiscal_year=2023)]


def test_sentence_without_quantity_gives_the_deadline() -> None:
    [k] = parse_kpi_text("令和元年度までに納税通知書の電子送付を実現")
    assert k.indicator == "納税通知書の電子送付を実現"
    assert k.targets[0].fiscal_year == 2019
    assert k.direction == Direction.QUALITATIVE


@pytest.mark.parametrize(
    ("text", "value", "fy"),
    [
        ("40件", "40件", None),
        ("100％", "100%", None),
        ("1,200 人", "1,200人", None),
        ("約50回", "約50回", None),
        ("充実", "充実", None),
        ("0", "0", None),
        ("13 件 (2021)", "13件", 2021),
        ("充実（令和7年度）", "充実", 2025),
        ("令和6年度までに交付率80%を達成", "80%", 2024),
    ],
)
def test_parse_target(text: str, value: str, fy: int | None) -> None:
    assert parse_target(text) == Value(value=value, fiscal_year=fy)


@pytest.mark.parametrize("text", ["", "-", "―", " － "])
def test_parse_target_nothing(text: str) -> None:
    assert parse_target(text) is None


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("40件", "40", "件"),
        ("11.7 %", "11.7", "%"),
        ("１００％", "100", "%"),
        ("2業務以上", "2", "業務"),
        ("3 団体", "3", "団体"),
        ("15箇所", "15", "箇所"),
        ("充実", "充実", None),
        ("令和7年度に30回", "30", "回"),
    ],
)
def test_split_value_unit(text: str, number: str, unit: str | None) -> None:
    assert split_value_unit(text) == (number, unit)


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("令和3年度までに…", 2021),
        ("平成32年度末", 2020),
        ("平成32年度末までに整備", 2020),
        ("平成30(2018)年度内に開始", 2018),
        ("2026 年度を目標時期として移行", 2026),
        ("平成35(2023)年までに構築", 2023),
        ("令和２年度から検討し、令和４年度までに導入する", 2022),
        ("平成29年度から実施している", None),
        ("特になし", None),
    ],
)
def test_parse_deadline(text: str, fy: int | None) -> None:
    assert parse_deadline(text) == fy


@given(st.integers(min_value=1990, max_value=2090), st.integers(min_value=1, max_value=9999))
def test_deadline_sentence_round_trip(fy: int, n: int) -> None:
    text = f"{wareki(fy)}までに市民ポータルの登録者数{n}人を達成"
    [k] = parse_kpi_text(text)
    assert k.indicator == "市民ポータルの登録者数"
    assert k.targets == [Value(value=f"{n}人", fiscal_year=fy)]
    assert parse_deadline(text) == fy


@pytest.mark.parametrize(
    ("indicator", "target", "baseline", "direction"),
    [
        ("窓口の平均待ち時間の短縮", None, None, Direction.DECREASE),
        ("紙の申請書の枚数", "500枚以下", None, Direction.DECREASE),
        ("システム稼働率", "99.9%を維持", None, Direction.KEEP),
        ("情報漏えい件数", "0", "0", Direction.KEEP),
        ("交付率", "80%", "40%", Direction.INCREASE),
        ("ごみ収集の苦情件数", "20件", "35件", Direction.DECREASE),
        ("庁内ネットワークの更新", "導入完了", None, Direction.QUALITATIVE),
        ("電子申請可能な手続数", None, None, Direction.INCREASE),
        ("セキュリティインシデント数", None, None, Direction.DECREASE),
        ("開票作業の在り方", None, None, None),
    ],
)
def test_infer_direction(
    indicator: str, target: str | None, baseline: str | None, direction: Direction | None
) -> None:
    assert infer_direction(indicator, target, baseline) == direction


def test_clean_indicator_drops_markers_and_footnotes() -> None:
    assert clean_indicator("2-③ 電子決裁率*") == "電子決裁率"
    assert clean_indicator("・オープンデータ公開件数※12") == "オープンデータ公開件数"
    assert clean_indicator("クラウド^{*31}利用業務数") == "クラウド利用業務数"


def test_split_kpi_items_bullets() -> None:
    assert split_kpi_items(" ・A件数 ・B率\n\n・C数") == ["A件数", "B率", "C数"]


def test_kpi_from_row_target_table() -> None:
    k = kpi_from_row("1-② さくら町カード交付率*", "40%", "100%", baseline_year=2021, target_year=2025)
    assert k is not None
    assert k.indicator == "さくら町カード交付率"
    assert k.baseline == Value(value="40%", fiscal_year=2021)
    assert k.targets == [Value(value="100%", fiscal_year=2025)]
    k = kpi_from_row("2-④ 業務へのAI導入", "-", "実施", baseline_year=2021, target_year=2025)
    assert k is not None and k.baseline is None
    assert k.targets == [Value(value="実施", fiscal_year=2025)]
    assert k.direction == Direction.QUALITATIVE
    assert kpi_from_row("  ", "1", "2") is None
