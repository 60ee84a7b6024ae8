"""Roll-ups: value parsing, attainment for each direction, timeliness, aggregation, and the charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from keikaku.core import rollup as r
from keikaku.core.charts import STATUS_FILL, StatusRow, TrendPoint, kpi_trend_svg, status_bars_svg
from keikaku.core.svg import TEXT, contrast

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("written", "number", "unit"),
    [
        ("40件", 40, "件"),
        ("△30", -30, ""),
        ("▲1.5億円", -150_000_000, "円"),
        ("100%", 100, "%"),
        ("１００％", 100, "%"),
        ("3.5万人", 35_000, "人"),
        ("約1,200件以上", 1200, "件"),
        ("令和9年度までに50%", 50, "%"),
        ("2027年度 80%", 80, "%"),
        ("0件を維持", 0, "件"),
    ],
)
def test_parse_numbers(written: str, number: float, unit: str) -> None:
    q = r.parse_value(written)
    assert q.number == pytest.approx(number)
    assert q.unit == unit


@pytest.mark.parametrize(
    ("written", "done"),
    [
        ("実施", True),
        ("導入完了", True),
        ("運用開始", True),
        ("未実施", False),
        ("検討中", False),
        ("調整する", None),
    ],
)
def test_parse_qualitative(written: str, done: bool | None) -> None:
    q = r.parse_value(written)
    assert q.number is None and q.done is done


def test_unit_hint_fills_a_bare_number() -> None:
    assert r.parse_value("35", unit_hint="件").unit == "件"


def att(direction: str | None, actual: str, target: str, baseline: str | None = None, **kw) -> r.Attainment:
    return r.attainment(
        direction,
        r.parse_value(actual),
        r.parse_value(target),
        r.parse_value(baseline) if baseline is not None else None,
        **kw,
    )


def test_increase_with_and_without_baseline() -> None:
    a = att("increase", "25件", "40件", "10件")
    assert a.ratio == pytest.approx(0.5) and a.met is False
    assert att("increase", "40件", "40件", "10件").met is True
    assert att("increase", "30", "40").ratio == pytest.approx(0.75)
    assert att("increase", "50件", "40件", "10件").ratio == pytest.approx(4 / 3, rel=1e-3)


def test_decrease() -> None:
    a = att("decrease", "70時間", "40時間", "100時間")
    assert a.ratio == pytest.approx(0.5) and a.met is False
    assert att("decrease", "35時間", "40時間", "100時間").met is True
    assert att("decrease", "80", "40").ratio == pytest.approx(0.5)
    assert att("decrease", "△10", "0").met is True


def test_keep() -> None:
    assert att("keep", "0件", "0件").met is True
    assert att("keep", "2件", "0件").met is False and att("keep", "2件", "0件").ratio == 0
    assert att("keep", "100%", "100%").met is True
    a = att("keep", "90%", "100%")
    assert a.met is False and a.ratio == pytest.approx(0.9)


def test_qualitative() -> None:
    assert att("qualitative", "導入完了", "導入").ratio == 1.0
    assert att("qualitative", "未実施", "実施").met is False
    assert att("qualitative", "調整中です", "実施").reason == "unknown-word"
    # a qualitative KPI that got numbers anyway is measured as an increase
    assert att("qualitative", "5", "10").ratio == pytest.approx(0.5)


def test_inferred_direction_and_refusals() -> None:
    assert att(None, "60", "40", "100").direction == "decrease"
    assert att(None, "60", "80", "10").direction == "increase"
    assert att(None, "実施", "実施").direction == "qualitative"
    assert att("increase", "50%", "40件").reason == "unit"
    assert r.attainment("increase", None, r.parse_value("40")).reason == "no-actual"
    assert r.attainment("increase", r.parse_value("4"), None).reason == "no-target"


def test_expected_path_and_on_track() -> None:
    a = att("increase", "20件", "40件", "10件", fiscal_year=2025, target_year=2027, baseline_year=2024)
    assert a.expected == pytest.approx(20) and a.on_track is True
    b = att("decrease", "90", "40", "100", fiscal_year=2026, target_year=2029, baseline_year=2024)
    assert b.expected == pytest.approx(76) and b.on_track is False


def test_target_for_a_period() -> None:
    ts = [r.Target("20", 2026), r.Target("40", 2028)]
    assert r.target_for(ts, 2025).value == "20"
    assert r.target_for(ts, 2027).value == "40"
    assert r.target_for(ts, 2030).value == "40"
    assert r.target_for([r.Target("実施", None)], 2025).value == "実施"
    assert r.target_for([], 2025) is None


def test_timeliness() -> None:
    due = date(2026, 5, 31)
    assert r.timeliness(due, date(2026, 5, 31), date(2026, 7, 1)) == "on_time"
    assert r.timeliness(due, date(2026, 6, 1), date(2026, 7, 1)) == "late"
    assert r.timeliness(due, None, date(2026, 6, 1)) == "missing"
    assert r.timeliness(due, None, date(2026, 5, 1)) == "pending"
    assert r.timeliness(None, None, date(2026, 5, 1)) == "no_due"


def test_aggregate_counts_a_measure_in_each_group() -> None:
    ok = r.Attainment("increase", 1.2, True)
    half = r.Attainment("increase", 0.5, False)
    items = [
        r.MeasureProgress(1, "on_track", [ok], "on_time", {"pillar": [("A", "A"), ("B", "B")]}),
        r.MeasureProgress(2, "delayed", [half], "late", {"pillar": [("B", "B")]}),
        r.MeasureProgress(3, "unreported", [], "missing", {}),
    ]
    groups = r.aggregate(items, "pillar", order=["B", "A"])
    assert [g.key for g in groups] == ["B", "A", ""]
    b = groups[0]
    assert b.measures == 2 and b.by_kind == {"on_track": 1, "delayed": 1}
    assert b.mean_attainment == pytest.approx(0.75)  # 1.2 is capped at 1.0
    assert b.kpis_met == 1 and b.on_time_share == pytest.approx(0.5)
    assert groups[2].label == "未設定" and groups[2].reported == 0
    t = r.total(items)
    assert t.measures == 3 and t.kpis == 2 and t.on_time_share == pytest.approx(1 / 3)


def test_trend_chart_is_valid_escaped_svg() -> None:
    svg = kpi_trend_svg(
        [TrendPoint(2025, 12), TrendPoint(2026, 25)],
        [TrendPoint(2027, 40)],
        baseline=TrendPoint(2024, 10),
        title="<script>alert(1)</script>件数",
        desc="実績と目標",
        unit="件",
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text.startswith("<script>")  # text, escaped in the markup
    assert "<script>" not in svg
    assert len(root.findall(f"{SVG}circle")) == 2
    assert "目標 40" in svg and "令和8年度" in svg
    empty = kpi_trend_svg([], [], title="t", desc="d")
    assert "データがありません" in empty and ET.fromstring(empty) is not None


def test_status_bars_chart() -> None:
    kinds = [(k, r.STATUS_KIND_LABELS[k]) for k in r.STATUS_KINDS]
    svg = status_bars_svg(
        [StatusRow("A <b>", {"on_track": 3, "delayed": 1}), StatusRow("B", {"unreported": 2})],
        kinds,
        title="柱別の進捗",
        desc="d",
    )
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}desc").text == "d"
    assert "計 4" in svg and "計 2" in svg and "A &lt;b&gt;" in svg


def test_status_fills_have_contrast() -> None:
    for fill in STATUS_FILL.values():
        assert contrast(fill, TEXT) >= 4.5
