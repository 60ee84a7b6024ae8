"""Server-side SVG charts of progress: a KPI's trend against its target, and report status by group
(pillar, policy, department) as stacked bars.

Like :mod:`keikaku.core.svg` (whose escaping and colour helpers this reuses): one ``<svg role="img">``
with ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``; every number is also written as text,
and pages put the same data in a table. Pure: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from keikaku.core.fiscal import wareki
from keikaku.core.svg import GRID, TEXT, _id, clip, esc, svg_open, text_width

# status kind → (fill, label); fills light enough for dark text at AA contrast (tested)
STATUS_FILL: dict[str, str] = {
    "not_started": "#e0e0e0",
    "on_track": "#a9dbb2",
    "delayed": "#f8c0b2",
    "done": "#a7c8ee",
    "cancelled": "#d4cce3",
    "other": "#f3e4a6",
    "unreported": "#ffffff",
}
ACTUAL_COLOUR = "#0b5394"
TARGET_COLOUR = "#a33a00"


def _fmt(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (lo ≤ 0 is kept at 0 for counts)."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(1, count)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v < hi + step * 0.999:
        ticks.append(round(v, 10))
        v += step
    return ticks


@dataclass(frozen=True)
class TrendPoint:
    fiscal_year: int
    value: float


def kpi_trend_svg(
    actuals: Sequence[TrendPoint],
    targets: Sequence[TrendPoint],
    *,
    title: str,
    desc: str,
    unit: str = "",
    baseline: TrendPoint | None = None,
    years: Sequence[int] | None = None,
    id_prefix: str = "trend",
    year_label: Callable[[int], str] = wareki,
    width: int = 640,
    height: int = 300,
) -> str:
    """Actual values per fiscal year (solid line, circles) against the target path (dashed line from the
    baseline through each target, diamonds)."""
    pid = _id(id_prefix)
    path_points = sorted([*([baseline] if baseline else []), *targets], key=lambda p: p.fiscal_year)
    all_years = sorted(
        set(years or ()) | {p.fiscal_year for p in actuals} | {p.fiscal_year for p in path_points}
    )
    values = [p.value for p in (*actuals, *path_points)]
    left, right, top, bottom = 78, 24, 40, 48
    if all_years:  # labels are centred on the first and last year: room for half of each, never clipped
        last = all_years[-1]
        at_last = [year_label(last)]
        at_last += [f"目標 {_fmt(p.value)}" for p in targets if p.fiscal_year == last]
        at_last += [_fmt(p.value) for p in actuals if p.fiscal_year == last]
        right = max(right, math.ceil(max(text_width(t) for t in at_last) / 2) + 6)
        left = max(left, math.ceil(text_width(year_label(all_years[0])) / 2) + 6)
    out = svg_open(pid, width, height, "trend", title, desc)
    if not all_years or not values:
        out.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{TEXT}">データがありません</text></svg>'
        )
        return "".join(out)
    ticks = nice_ticks(min(0.0, min(values)), max(values))
    lo, hi = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(fy: int) -> float:
        if len(all_years) == 1:
            return left + plot_w / 2
        return left + (fy - all_years[0]) * plot_w / max(1, all_years[-1] - all_years[0])

    def y(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    if unit:
        out.append(f'<text x="8" y="20" fill="{TEXT}">({esc(clip(unit, 12))})</text>')
    for t in ticks:
        out.append(
            f'<line x1="{left}" y1="{y(t):.1f}" x2="{width - right}" y2="{y(t):.1f}" stroke="{GRID}" '
            f'stroke-width="0.5"/><text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{esc(_fmt(t))}</text>"
        )
    for fy in all_years:
        out.append(
            f'<text x="{x(fy):.1f}" y="{height - 26}" text-anchor="middle" fill="{TEXT}">{esc(year_label(fy))}</text>'
        )
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{TEXT}" stroke-width="1"/>'
    )
    if len(path_points) > 1:
        pts = " ".join(f"{x(p.fiscal_year):.1f},{y(p.value):.1f}" for p in path_points)
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    for p in targets:
        cx, cy = x(p.fiscal_year), y(p.value)
        out.append(
            f'<path d="M{cx:.1f},{cy - 7:.1f} L{cx + 7:.1f},{cy:.1f} L{cx:.1f},{cy + 7:.1f} L{cx - 7:.1f},{cy:.1f} Z" '
            f'fill="#ffffff" stroke="{TARGET_COLOUR}" stroke-width="2"/>'
            f'<text x="{cx:.1f}" y="{cy - 11:.1f}" text-anchor="middle" fill="{TARGET_COLOUR}">目標 {esc(_fmt(p.value))}</text>'
        )
    series = sorted(actuals, key=lambda p: p.fiscal_year)
    if len(series) > 1:
        pts = " ".join(f"{x(p.fiscal_year):.1f},{y(p.value):.1f}" for p in series)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{ACTUAL_COLOUR}" stroke-width="2.5"/>')
    for p in series:
        cx, cy = x(p.fiscal_year), y(p.value)
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{ACTUAL_COLOUR}"/>'
            f'<text x="{cx:.1f}" y="{cy + 18:.1f}" text-anchor="middle" fill="{ACTUAL_COLOUR}">{esc(_fmt(p.value))}</text>'
        )
    ly = height - 8
    out.append(
        f'<line x1="{left}" y1="{ly - 4}" x2="{left + 24}" y2="{ly - 4}" stroke="{ACTUAL_COLOUR}" stroke-width="2.5"/>'
        f'<text x="{left + 30}" y="{ly}" fill="{TEXT}">実績</text>'
        f'<line x1="{left + 90}" y1="{ly - 4}" x2="{left + 114}" y2="{ly - 4}" stroke="{TARGET_COLOUR}" '
        f'stroke-width="2" stroke-dasharray="6 4"/><text x="{left + 120}" y="{ly}" fill="{TEXT}">目標（基準値から）</text>'
    )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class StatusRow:
    label: str
    counts: dict[str, int]  # status kind → number of measures


def status_bars_svg(
    rows: Sequence[StatusRow],
    kinds: Sequence[tuple[str, str]],
    *,
    title: str,
    desc: str,
    id_prefix: str = "status",
    label_width: int = 240,
    bar_width: int = 460,
    row_height: int = 30,
) -> str:
    """Horizontal stacked bars: one row per group, one segment per status kind (``kinds`` = (kind, label)
    in order), each segment's count written in it when it fits; a legend underneath."""
    pid = _id(id_prefix)
    header, legend = 10, 34
    width = label_width + bar_width + 60
    height = header + row_height * max(1, len(rows)) + legend
    biggest = max((sum(r.counts.get(k, 0) for k, _ in kinds) for r in rows), default=0) or 1
    out = svg_open(pid, width, height, "status-bars", title, desc)
    for i, row in enumerate(rows):
        y = header + i * row_height
        out.append(
            f'<text x="6" y="{y + row_height * 0.62:.1f}" fill="{TEXT}">{esc(clip(row.label, label_width // 12 - 1))}</text>'
        )
        x = float(label_width)
        n_total = 0
        for kind, _label in kinds:
            n = row.counts.get(kind, 0)
            if n <= 0:
                continue
            n_total += n
            w = bar_width * n / biggest
            out.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_height - 8}" '
                f'fill="{STATUS_FILL.get(kind, "#eeeeee")}" stroke="#5a5a5a" stroke-width="0.6"/>'
            )
            if w >= 18:
                out.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + row_height * 0.62:.1f}" text-anchor="middle" '
                    f'fill="{TEXT}">{n}</text>'
                )
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + row_height * 0.62:.1f}" fill="{TEXT}">計 {n_total}</text>')
    ly = header + row_height * max(1, len(rows)) + 22
    lx = 6.0
    for kind, label in kinds:
        out.append(
            f'<rect x="{lx:.1f}" y="{ly - 11}" width="14" height="14" fill="{STATUS_FILL.get(kind, "#eeeeee")}" '
            f'stroke="#5a5a5a" stroke-width="0.6"/><text x="{lx + 19:.1f}" y="{ly}" fill="{TEXT}">{esc(clip(label, 10))}</text>'
        )
        lx += 30 + 13 * min(10, len(label))
    out.append("</svg>")
    return "".join(out)
