"""Server-side SVG charts: the fiscal-year Gantt of a plan's measures and the pillar × 重点分野 heat map.

Every chart is one ``<svg role="img">`` with a ``<title>`` and ``<desc>`` referenced by
``aria-labelledby``; pages put the same data in a table next to it for screen readers. All text is
escaped here (titles in plans contain anything, ``<script>`` included). Pure: no Django.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from keikaku.core.fiscal import wareki

FONT = "'Hiragino Sans','Noto Sans JP','IPAexGothic',sans-serif"
TEXT = "#1a1a1a"
GRID = "#8a8a8a"
# phase → fill; all light enough for dark text at AA contrast (checked in tests)
PHASE_FILL: dict[str, str] = {
    "study": "#fde4b8",
    "prepare": "#fbd0a6",
    "build": "#f7c0c0",
    "implement": "#b9dcf5",
    "operate": "#c4e8c2",
    "expand": "#a8e0d4",
    "migrate": "#dccbf0",
    "review": "#f2d2e6",
    "done": "#d9d9d9",
    "continue": "#e3e8ee",
    "active": "#cfe0f3",
}
UNKNOWN_FILL = "#eeeeee"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID = re.compile(r"[^A-Za-z0-9_-]")


def esc(text: object) -> str:
    """XML-escaped text with characters XML cannot hold removed."""
    return html.escape(_CONTROL.sub("", str(text)), quote=True)


def text_width(text: str, font_size: float = 12) -> float:
    """The width a text takes in the chart font, estimated: a full-width character (漢字, かな, ％ …) one em,
    any other character 0.6 em. Used to keep labels inside the drawing."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return (wide + 0.6 * (len(text) - wide)) * font_size


def _id(prefix: str) -> str:
    return _ID.sub("-", prefix) or "chart"


def svg_open(
    pid: str, width: int, height: int, cls: str, title: str, desc: str, font_size: int = 12
) -> list[str]:
    """The start of an accessible chart: the <svg> element (role img, labelled by its <title> and <desc>,
    class "chart <cls>"), the escaped title and description, and a white background."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{pid}-title {pid}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart {cls}" '
        f'font-family="{FONT}" font-size="{font_size}">',
        f'<title id="{pid}-title">{esc(title)}</title>',
        f'<desc id="{pid}-desc">{esc(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


# --- colour ---------------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def heat_colour(count: int, maximum: int) -> tuple[str, str]:
    """(background, text) for a heat-map cell: white for 0, then light to dark blue; text picked for contrast."""
    if count <= 0 or maximum <= 0:
        return "#ffffff", TEXT
    t = 0.2 + 0.8 * min(1.0, count / maximum)
    lo, hi = (0xE3, 0xEE, 0xFA), (0x0B, 0x3D, 0x91)
    rgb = tuple(round(a + (b - a) * t) for a, b in zip(lo, hi, strict=True))
    bg = "#{:02x}{:02x}{:02x}".format(*rgb)
    fg = "#ffffff" if contrast(bg, "#ffffff") >= contrast(bg, TEXT) else TEXT
    return bg, fg


# --- Gantt ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GanttRow:
    label: str
    cells: Sequence[tuple[int, str, str | None]]  # (fiscal year, phase as written, normalised phase)


@dataclass(frozen=True)
class Bar:
    start: int
    end: int  # inclusive
    written: str
    phase: str | None


def bars(cells: Sequence[tuple[int, str, str | None]]) -> list[Bar]:
    """Consecutive years with the same written phase merge into one bar."""
    out: list[Bar] = []
    for fy, written, phase in sorted(cells, key=lambda c: c[0]):
        last = out[-1] if out else None
        if last and last.end == fy - 1 and last.written == written and last.phase == phase:
            out[-1] = Bar(last.start, fy, written, phase)
        else:
            out.append(Bar(fy, fy, written, phase))
    return out


def year_range(rows: Sequence[GanttRow], start: int | None = None, end: int | None = None) -> list[int]:
    """The fiscal years a chart covers: the plan period widened to every scheduled year."""
    years = {fy for r in rows for fy, _w, _p in r.cells}
    lo = min([y for y in (start, *years) if y is not None], default=None)
    hi = max([y for y in (end, *years) if y is not None], default=None)
    if lo is None or hi is None:
        return []
    return list(range(lo, hi + 1))


def gantt_svg(
    rows: Sequence[GanttRow],
    years: Sequence[int],
    *,
    title: str,
    desc: str,
    id_prefix: str = "gantt",
    year_label: Callable[[int], str] = wareki,
    label_width: int = 320,
    col_width: int = 100,
    row_height: int = 28,
) -> str:
    """A Gantt chart: one row per measure, one column per fiscal year, bars labelled with the phase."""
    pid = _id(id_prefix)
    header = 44
    width = label_width + col_width * max(1, len(years))
    height = header + row_height * max(1, len(rows)) + 2
    col = {fy: label_width + i * col_width for i, fy in enumerate(years)}
    out = svg_open(pid, width, height, "gantt", title, desc, font_size=13)
    for fy, x in col.items():
        out.append(
            f'<text x="{x + col_width / 2}" y="18" text-anchor="middle" fill="{TEXT}">{esc(year_label(fy))}</text>'
            f'<text x="{x + col_width / 2}" y="36" text-anchor="middle" fill="{TEXT}">({fy})</text>'
        )
    for i, row in enumerate(rows):
        y = header + i * row_height
        if i % 2:
            out.append(f'<rect x="0" y="{y}" width="{width}" height="{row_height}" fill="#f5f5f5"/>')
        out.append(
            f'<text x="6" y="{y + row_height * 0.66:.1f}" fill="{TEXT}">{esc(clip(row.label, label_width // 13 - 1))}</text>'
        )
        for bar in bars(row.cells):
            if bar.start not in col or bar.end not in col:
                continue
            x0 = col[bar.start] + 3
            w = col[bar.end] + col_width - 3 - x0
            fill = PHASE_FILL.get(bar.phase or "", UNKNOWN_FILL)
            out.append(
                f'<rect x="{x0}" y="{y + 4}" width="{w}" height="{row_height - 8}" rx="4" fill="{fill}" '
                f'stroke="#5a5a5a" stroke-width="0.8"/>'
                f'<text x="{x0 + 6}" y="{y + row_height * 0.66:.1f}" fill="{TEXT}">'
                f"{esc(clip(bar.written, max(2, w // 13)))}</text>"
            )
    for x in [label_width, *(v + col_width for v in col.values())]:
        out.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="{GRID}" stroke-width="0.6"/>')
    out.append(f'<line x1="0" y1="{header}" x2="{width}" y2="{header}" stroke="{GRID}" stroke-width="0.8"/>')
    out.append("</svg>")
    return "".join(out)


# --- heat map -------------------------------------------------------------------------------------


def heatmap_svg(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    title: str,
    desc: str,
    id_prefix: str = "heatmap",
    label_width: int = 260,
    col_width: int = 120,
    row_height: int = 34,
) -> str:
    """A matrix of counts: colour by count, the number written in every cell."""
    pid = _id(id_prefix)
    if len(counts) != len(row_labels) or any(len(r) != len(col_labels) for r in counts):
        raise ValueError("counts must be len(row_labels) × len(col_labels)")
    header = 44
    width = label_width + col_width * max(1, len(col_labels))
    height = header + row_height * max(1, len(row_labels)) + 2
    maximum = max((c for r in counts for c in r), default=0)
    out = svg_open(pid, width, height, "heatmap", title, desc)
    for j, label in enumerate(col_labels):
        x = label_width + j * col_width + col_width / 2
        out.append(
            f'<text x="{x}" y="28" text-anchor="middle" fill="{TEXT}">{esc(clip(label, col_width // 12))}</text>'
        )
    for i, label in enumerate(row_labels):
        y = header + i * row_height
        out.append(
            f'<text x="6" y="{y + row_height * 0.62:.1f}" fill="{TEXT}">{esc(clip(label, label_width // 12 - 1))}</text>'
        )
        for j, n in enumerate(counts[i]):
            x = label_width + j * col_width
            bg, fg = heat_colour(n, maximum)
            out.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{col_width - 2}" height="{row_height - 2}" fill="{bg}" '
                f'stroke="#bbbbbb" stroke-width="0.6"/>'
                f'<text x="{x + col_width / 2}" y="{y + row_height * 0.62:.1f}" text-anchor="middle" '
                f'fill="{fg}" font-weight="bold">{int(n)}</text>'
            )
    out.append("</svg>")
    return "".join(out)
