"""Plans as text converted from PDF, in layouts unlike the seed corpus (converted_fixtures.py), compared
with the plans written by hand; and the general rules they exercise, one by one."""

from __future__ import annotations

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, Table
from keikaku.ingest.extract import extract_plan
from keikaku.ingest.extract.columns import analyse
from keikaku.ingest.extract.kpi import parse_kpi_text
from keikaku.ingest.extract.tables import read_targets
from keikaku.ingest.readers.text import read_text
from tests.ingest.extract.converted_fixtures import EXPECTED, PLANS


def _plan(name: str) -> Plan:
    return extract_plan(read_text(PLANS[name].encode(), f"{name}.txt"), f"{name}.txt")


def _summary(plan: Plan) -> list[tuple]:
    out = []
    for m in plan.measures:
        kpis = [
            (
                k.indicator,
                k.baseline.value if k.baseline else None,
                k.baseline.fiscal_year if k.baseline else None,
                k.targets[-1].value if k.targets else None,
                k.targets[-1].fiscal_year if k.targets else None,
            )
            for k in m.kpis
        ]
        out.append((m.title, m.departments, kpis, {e.fiscal_year: e.written for e in m.schedule}))
    return out


def _norm(rows: list[tuple]) -> list[tuple]:
    # full-width and half-width ％ are the same value
    return [
        (t, d, [tuple(str(x).replace("％", "%") if x else x for x in k) for k in ks], s)
        for t, d, ks, s in rows
    ]


@pytest.mark.parametrize("name", sorted(PLANS))
def test_converted_plan_matches_expected(name: str) -> None:
    assert _norm(_summary(_plan(name))) == _norm([tuple(e) for e in EXPECTED[name]])


def test_priority_marks_and_policy_rows_of_one_measure_table() -> None:
    plan = _plan("yuzuha")
    assert [m.priority for m in plan.measures] == [True, False, True, True, False]
    # the rows spanning the table are policies, not measures
    assert all("住民サービス" not in m.title and "役場" not in m.title for m in plan.measures)


def test_footnote_markers_leave_titles() -> None:
    titles = [m.title for m in _plan("kawasemi").measures] + [m.title for m in _plan("hikari").measures]
    assert not any("^{" in t or "*" in t for t in titles)


def _table(rows: list[list[Cell]]) -> Table:
    return Table(rows=rows)


def test_span_header_over_year_columns_is_a_schedule_header() -> None:
    head = [Cell("取組名", rowspan=2), Cell("実施時期", colspan=3)]
    years = [Cell("令和6年度"), Cell("令和7年度"), Cell("令和8年度")]
    body = [Cell("窓口予約の導入"), Cell("検討"), Cell("実施", colspan=2)]
    cols = analyse(_table([head, years, body]))
    assert cols is not None
    assert cols.header_rows == 2 and sorted(cols.years.values()) == [2024, 2025, 2026]


def test_target_year_column_gives_each_row_its_year() -> None:
    t = _table(
        [
            [Cell("取組番号"), Cell("指標"), Cell("目標値"), Cell("目標年度")],
            [Cell("3-1"), Cell("講座の受講者数"), Cell("200人"), Cell("令和8年度")],
            [Cell("3-2"), Cell("公開データ数"), Cell("50件"), Cell("2029")],
        ]
    )
    cols = analyse(t)
    assert cols is not None and cols.target_year_col == 3
    block = Block(BlockKind.TABLE, "", Location(), table=t)
    rows = read_targets(block, cols, "x.txt")
    assert [r.kpi.targets[-1].fiscal_year for r in rows] == [2026, 2029]


@pytest.mark.parametrize(
    ("text", "indicator", "value"),
    [
        ("帳票の処理枚数　年間3,000枚（令和9年度）", "帳票の処理枚数", "年間3,000枚"),
        ("講座の受講者数 累計 900人（R8）", "講座の受講者数", "累計900人"),
        ("累計 500人（R9）", "累計", "500人"),
    ],
)
def test_rate_word_before_a_target_belongs_to_the_value(text: str, indicator: str, value: str) -> None:
    (kpi,) = parse_kpi_text(text)
    assert (kpi.indicator, kpi.targets[-1].value) == (indicator, value)
