"""Server-side SVG: well-formed XML, accessible name and description, escaped text, sensible geometry."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from keikaku.core import svg
from tests.factories import XSS

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text)  # raises on malformed XML, e.g. an unescaped <script>


def test_gantt_is_accessible_escaped_and_merges_bars() -> None:
    rows = [
        svg.GanttRow(
            f"1-① 施策{XSS}", [(2025, "検討", "study"), (2026, "構築", "build"), (2027, "運用", "operate")]
        ),
        svg.GanttRow(
            "1-② 長い" + "全角" * 80,
            [(2025, "実施", "implement"), (2026, "実施", "implement"), (2028, "実施", "implement")],
        ),
        svg.GanttRow("予定なし", []),
    ]
    text = svg.gantt_svg(
        rows, [2025, 2026, 2027, 2028], title=f"工程表{XSS}", desc="説明\x00", id_prefix="g 1"
    )
    root = _parse(text)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "g-1-title g-1-desc"
    assert root.find("s:title", NS).text == f"工程表{XSS}"
    assert root.find("s:title", NS).get("id") == "g-1-title"
    assert root.find("s:desc", NS).text == "説明"
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert not root.findall(".//s:script", NS)
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "令和7年度" in labels and "(2025)" in labels and "令和10年度" in labels
    # phase bars: row 1 has three one-year bars, row 2 one two-year bar and one one-year bar
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("rx")]
    assert len(bars) == 5
    widths = sorted(float(r.get("width")) for r in bars)
    assert widths[-1] > 1.9 * widths[0]
    assert any(t.text and t.text.endswith("…") for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_bars_merge_only_consecutive_identical_years() -> None:
    cells = [
        (2027, "実施", "implement"),
        (2025, "実施", "implement"),
        (2026, "実施", "implement"),
        (2029, "実施", "implement"),
    ]
    assert svg.bars(cells) == [
        svg.Bar(2025, 2027, "実施", "implement"),
        svg.Bar(2029, 2029, "実施", "implement"),
    ]
    assert len(svg.bars([(2025, "検討", "study"), (2026, "構築", "build")])) == 2


def test_year_range_widens_the_period_to_the_schedule() -> None:
    rows = [svg.GanttRow("a", [(2024, "x", None), (2031, "y", None)])]
    assert svg.year_range(rows, 2025, 2029) == list(range(2024, 2032))
    assert svg.year_range([], None, None) == []
    assert svg.year_range([], 2025, 2026) == [2025, 2026]


def test_heatmap_counts_and_contrast() -> None:
    counts = [[0, 1, 5], [2, 0, 0]]
    text = svg.heatmap_svg(
        [f"A {XSS}", "B"], ["電子行政", "観光", "移動"], counts, title="被覆", desc="色と数"
    )
    root = _parse(text)
    assert root.get("role") == "img"
    numbers = [
        t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("font-weight") == "bold"
    ]
    assert numbers == ["0", "1", "5", "2", "0", "0"]
    assert "&lt;script&gt;" in text
    with pytest.raises(ValueError):
        svg.heatmap_svg(["A"], ["x", "y"], [[1]], title="t", desc="d")


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 8, 13, 21])
def test_heat_colours_keep_text_readable(count: int) -> None:
    bg, fg = svg.heat_colour(count, 21)
    assert svg.contrast(bg, fg) >= 4.5
    if count == 0:
        assert bg == "#ffffff"


def test_heat_colours_get_darker_with_the_count() -> None:
    lum = [svg._luminance(svg.heat_colour(n, 10)[0]) for n in range(0, 11)]
    assert lum == sorted(lum, reverse=True)


def test_phase_fills_are_readable_with_dark_text() -> None:
    for fill in [*svg.PHASE_FILL.values(), svg.UNKNOWN_FILL]:
        assert svg.contrast(fill, svg.TEXT) >= 7.0, fill


def test_contrast_of_black_and_white() -> None:
    assert svg.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert svg.contrast("#777777", "#777777") == pytest.approx(1.0)


def test_trend_chart_labels_stay_inside_the_drawing() -> None:
    """The last year's label (and a target's label on it) is centred on the right end of the axis: the
    margin leaves room for half of it, whatever the label's length."""
    from keikaku.core.charts import TrendPoint, kpi_trend_svg

    for last in (2029, 2035):
        text = kpi_trend_svg(
            [TrendPoint(2025, 25)],
            [TrendPoint(last, 1_234_567)],
            baseline=TrendPoint(2024, 10),
            title="t",
            desc="d",
            width=520,
            height=240,
        )
        root = _parse(text)
        width = float(root.get("width"))
        for t in root.iter("{http://www.w3.org/2000/svg}text"):
            x, w = float(t.get("x")), svg.text_width(t.text or "")
            lo, hi = {"middle": (x - w / 2, x + w / 2), "end": (x - w, x)}.get(
                t.get("text-anchor"), (x, x + w)
            )
            assert 0 <= lo and hi <= width, (t.text, lo, hi)
