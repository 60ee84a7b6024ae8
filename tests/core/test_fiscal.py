"""Fiscal years (年度) and 和暦 (keikaku.core.fiscal): property tests and examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.core.fiscal import (
    FiscalYearError,
    column_header_year,
    display,
    era_to_western,
    find_fiscal_ranges,
    find_years,
    fiscal_year_of_date,
    normalise_digits,
    parse_fiscal_year,
    parse_year_month,
    wareki,
    western_to_era,
)

FYS = st.integers(min_value=1950, max_value=2100)
MONTHS = st.integers(min_value=1, max_value=12)
ERA_START = {"昭和": 1926, "平成": 1989, "令和": 2019}
ABBR = {"昭和": "S", "平成": "H", "令和": "R"}


def full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789()", "０１２３４５６７８９（）"))


@given(FYS)
def test_wareki_parses_back(fy: int) -> None:
    assert parse_fiscal_year(wareki(fy)) == fy


@given(FYS)
def test_wareki_full_width_parses_back(fy: int) -> None:
    assert parse_fiscal_year(full_width(wareki(fy))) == fy


@given(FYS)
def test_western_era_round_trip(fy: int) -> None:
    era, n = western_to_era(fy)
    assert n >= 1
    assert era_to_western(era, n) == fy


@given(FYS)
def test_abbreviated_era_round_trip(fy: int) -> None:
    era, n = western_to_era(fy)
    assert parse_fiscal_year(f"{ABBR[era]}{n}") == fy
    assert parse_fiscal_year(f"{ABBR[era]}{n}年度") == fy
    assert column_header_year(f"{ABBR[era]}{n}") == fy


@given(FYS)
def test_display_shows_both_calendars(fy: int) -> None:
    text = display(fy)
    assert str(fy) in text
    assert text.startswith(wareki(fy))
    assert display(None) == ""


@given(FYS)
def test_western_with_era_in_brackets_and_the_reverse(fy: int) -> None:
    era, n = western_to_era(fy)
    for text in (
        f"{fy}({era}{n})年度",
        f"{era}{n}({fy})年度",
        f"{fy}（{era}{n}年度）",
        f"{fy} ({ABBR[era]}{n})",
    ):
        assert parse_fiscal_year(text) == fy, text
        assert parse_fiscal_year(full_width(text)) == fy, text


@given(FYS)
def test_end_of_fiscal_year(fy: int) -> None:
    [y] = find_years(f"{wareki(fy, '年度末')}までに整備する")
    assert y.end_of and y.is_fiscal
    assert y.fiscal_year == fy


@given(st.integers(min_value=1951, max_value=2100), MONTHS)
def test_calendar_month_belongs_to_its_fiscal_year(year: int, month: int) -> None:
    expected = year - 1 if month <= 3 else year
    assert fiscal_year_of_date(year, month) == expected
    assert parse_fiscal_year(f"{year}年{month}月") == expected
    era, n = western_to_era(year)
    # the era named in a calendar date is the one in force on 1 April of that year (plans do the same)
    assert parse_fiscal_year(f"{era}{n}年{month}月") == expected
    assert parse_year_month(f"{year}年{month}月") == f"{year:04d}-{month:02d}"


@given(st.sampled_from(sorted(ERA_START)), st.integers(min_value=1, max_value=99))
def test_two_digit_column_headers_read_with_the_era_hint(era: str, n: int) -> None:
    fy = ERA_START[era] + n - 1
    if not 1950 <= fy <= 2100:
        return
    assert column_header_year(f"{n:02d}", era) == fy
    assert column_header_year(f"{n}年度", era) == fy
    assert column_header_year(f"{n}", era) == fy


@given(st.integers(min_value=0, max_value=99))
def test_apostrophe_years_without_a_hint(n: int) -> None:
    assert column_header_year(f"'{n:02d}") == 2000 + n


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("平成32年度", 2020),
        ("平成35年度", 2023),
        ("平成31年度", 2019),
        ("令和元年度", 2019),
        ("平成元年度", 1989),
        ("令和２年度", 2020),
        ("Ｒ３年度", 2021),
        ("2022(令和4)年度", 2022),
        ("令和4(2022)年度", 2022),
        ("2022（令和４）年度", 2022),
        ("平成 30(2018)年度内に", 2018),
        ("2021年3月", 2020),
        ("令和3年3月末", 2020),
        ("令和3年4月", 2021),
        ("2025年度末", 2025),
        ("計画期間は令和2年度から令和6年度まで", 2020),
        ("FY2024", 2024),
        ("2019(平成31・令和元)年度", 2019),
        ("2019（H31/R1）年度", 2019),
        ("2100年度", 2100),
    ],
)
def test_parse_fiscal_year_examples(text: str, fy: int) -> None:
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize(
    "text",
    [
        "",
        "特になし",
        "第3期",
        "5G",
        "M2M通信の導入",
        "ISO27001",
        "3年以内",
        "電話番号 0123-45-6789",
        "明治5年",
    ],
)
def test_parse_fiscal_year_finds_nothing(text: str) -> None:
    assert parse_fiscal_year(text) is None


def test_bare_number_with_default_era() -> None:
    assert parse_fiscal_year("3年度", default_era="令和") == 2021
    assert parse_fiscal_year("3年度") is None


@pytest.mark.parametrize(
    ("text", "hint", "fy"),
    [
        ("2022", None, 2022),
        ("R4", None, 2022),
        ("R4年度", None, 2022),
        ("令和4年度", None, 2022),
        ("H31", None, 2019),
        ("2022 (R4)", None, 2022),
        ("'25", None, 2025),
        ("4年度", "令和", 2022),
        ("5", "令和", 2023),
        ("30", "平成", 2018),
        ("４年度", "令和", 2022),
        ("担当部署", "令和", None),
        ("", None, None),
    ],
)
def test_column_header_year(text: str, hint: str | None, fy: int | None) -> None:
    assert column_header_year(text, hint) == fy


def test_find_years_positions_and_kinds() -> None:
    text = "令和2年4月に策定し、令和2年度から令和6年度までの5年間を計画期間とする"
    ys = find_years(text)
    assert [(y.year, y.is_fiscal, y.month) for y in ys] == [
        (2020, False, 4),
        (2020, True, None),
        (2024, True, None),
    ]
    s = normalise_digits(text)
    assert [s[y.start : y.end] for y in ys] == ["令和2年4月", "令和2年度", "令和6年度"]


def test_year_month_examples() -> None:
    assert parse_year_month("令和2年4月") == "2020-04"
    assert parse_year_month("平成 30(2018)年 7 月") == "2018-07"
    assert parse_year_month("2022年") == "2022"
    assert parse_year_month("未定") is None


def test_normalise_digits() -> None:
    assert normalise_digits("令和元年度　１２３") == "令和1年度 123"


def test_errors() -> None:
    with pytest.raises(FiscalYearError):
        era_to_western("大化", 1)
    with pytest.raises(FiscalYearError):
        era_to_western("令和", 0)
    with pytest.raises(FiscalYearError):
        western_to_era(1800)
    assert era_to_western("R", 7) == 2025
    assert era_to_western("h", 31) == 2019


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("令和7年度～令和11年度", [(2025, 2029)]),
        ("令和7～11年度", [(2025, 2029)]),
        ("令和７年度から同１１年度まで", [(2025, 2029)]),
        ("R7～R11", [(2025, 2029)]),
        ("平成31～令和5年度", [(2019, 2023)]),
        ("平成31年度～平成35年度", [(2019, 2023)]),
        ("令和元～５年度", [(2019, 2023)]),
        ("令和7年4月～令和10年3月", [(2025, 2027)]),
        ("2025年4月から2030年3月まで", [(2025, 2029)]),
        ("令和7年4月～令和8年3月", [(2025, 2025)]),
        ("令和7年度から5年間", [(2025, 2029)]),
        ("令和7年度を初年度とする5か年計画", [(2025, 2029)]),
        ("2025（令和7）年度～2029（令和11）年度", [(2025, 2029)]),
        ("令和7年度（2025年度）から令和11年度（2029年度）まで", [(2025, 2029)]),
        ("前計画（令和2～5年度）に続き、令和6年度から令和9年度まで", [(2020, 2023), (2024, 2027)]),
        ("令和7年度、令和9年度", []),
        ("令和9年度から令和7年度", []),
        ("令和7年度から開始し", []),
    ],
)
def test_fiscal_ranges(text: str, spans: list[tuple[int, int]]) -> None:
    assert [(r.start_fy, r.end_fy) for r in find_fiscal_ranges(text)] == spans


@given(FYS.filter(lambda y: 2019 <= y <= 2080), st.integers(min_value=1, max_value=15))
def test_fiscal_range_of_written_years(start: int, years: int) -> None:
    end = start + years - 1
    text = f"{wareki(start)}から{wareki(end)}まで"
    if years == 1:
        assert find_fiscal_ranges(text) == []
    else:
        assert [(r.start_fy, r.end_fy) for r in find_fiscal_ranges(text)] == [(start, end)]
    months = f"{start}年4月～{end + 1}年3月"
    assert [(r.start_fy, r.end_fy) for r in find_fiscal_ranges(months)] == [(start, end)]
