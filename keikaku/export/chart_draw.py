"""The report's SVG charts (keikaku.core.charts) drawn without a browser engine: on a reportlab canvas
(vector, for the PDF) and as a PNG picture (Pillow, for the DOCX, which cannot hold SVG).

Only the small SVG vocabulary keikaku writes itself is read — ``rect``, ``line``, ``polyline``, ``path``
(M / L / Z), ``circle`` and ``text`` (with ``text-anchor``), fills and strokes as ``#rrggbb``, dashes —
so one chart is one fast pass over an ``xml.etree`` tree; ``title`` and ``desc`` are skipped (the
documents name each chart in the text next to it). Text is drawn in the Japanese font the PDF embeds.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SVG_NS = "{http://www.w3.org/2000/svg}"
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Shape:
    kind: str  # rect, line, poly (polyline), polygon (closed path), circle, text
    points: tuple[tuple[float, float], ...] = ()  # rect: (x, y), (w, h); circle: (cx, cy), (r, 0)
    fill: str | None = None
    stroke: str | None = None
    stroke_width: float = 1.0
    dash: tuple[float, ...] = ()
    text: str = ""
    anchor: str = "start"
    font_size: float = 12.0


@dataclass
class Chart:
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)


def _f(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _colour(value: str | None) -> str | None:
    if not value or value == "none":
        return None
    return value if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else "#000000"


def _walk(node: ET.Element) -> Iterator[ET.Element]:
    for child in node:
        yield child
        if child.tag == f"{SVG_NS}g":
            yield from _walk(child)


def parse(svg: str) -> Chart:
    """Our SVG as shapes (top-left origin, as in SVG)."""
    root = ET.fromstring(svg)
    size = _f(root.get("font-size"), 12.0)
    chart = Chart(_f(root.get("width"), 400.0), _f(root.get("height"), 200.0))
    for el in _walk(root):
        tag = el.tag.removeprefix(SVG_NS)
        fill, stroke = _colour(el.get("fill")), _colour(el.get("stroke"))
        common: dict[str, Any] = {
            "fill": fill,
            "stroke": stroke,
            "stroke_width": _f(el.get("stroke-width"), 1.0),
            "dash": tuple(_f(v) for v in _NUM.findall(el.get("stroke-dasharray") or "")),
        }
        if tag == "rect":
            xy = (_f(el.get("x")), _f(el.get("y")))
            chart.shapes.append(Shape("rect", (xy, (_f(el.get("width")), _f(el.get("height")))), **common))
        elif tag == "line":
            pts = ((_f(el.get("x1")), _f(el.get("y1"))), (_f(el.get("x2")), _f(el.get("y2"))))
            chart.shapes.append(Shape("line", pts, **common))
        elif tag in ("polyline", "path"):
            nums = [float(n) for n in _NUM.findall(el.get("points") or el.get("d") or "")]
            path = tuple(zip(nums[0::2], nums[1::2], strict=False))
            closed = tag == "path" and "Z" in (el.get("d") or "").upper()
            chart.shapes.append(Shape("polygon" if closed else "poly", path, **common))
        elif tag == "circle":
            pts = ((_f(el.get("cx")), _f(el.get("cy"))), (_f(el.get("r")), 0.0))
            chart.shapes.append(Shape("circle", pts, **common))
        elif tag == "text":
            chart.shapes.append(
                Shape(
                    "text",
                    ((_f(el.get("x")), _f(el.get("y"))),),
                    fill=fill or "#000000",
                    text="".join(el.itertext()),
                    anchor=el.get("text-anchor") or "start",
                    font_size=_f(el.get("font-size"), size),
                )
            )
    return chart


# ---- reportlab (PDF) ---------------------------------------------------------------------------------


def draw_on_canvas(canvas, chart: Chart, font_name: str, scale: float = 1.0) -> None:
    """Draw the chart on a reportlab canvas at its origin (bottom left), ``scale`` × its SVG size (SVG px →
    PDF points). Straight canvas calls: much lighter than reportlab's graphics shapes for 100 charts."""
    from reportlab.lib.colors import HexColor

    h = chart.height
    canvas.saveState()
    canvas.scale(scale, scale)
    for s in chart.shapes:
        if s.kind == "text":
            ((x, y),) = s.points
            canvas.setFillColor(HexColor(s.fill or "#000000"))
            canvas.setFont(font_name, s.font_size)
            draw = {"middle": canvas.drawCentredString, "end": canvas.drawRightString}.get(
                s.anchor, canvas.drawString
            )
            draw(x, h - y, s.text)
            continue
        if s.stroke:
            canvas.setStrokeColor(HexColor(s.stroke))
            canvas.setLineWidth(s.stroke_width)
            canvas.setDash(list(s.dash) if s.dash else [])
        if s.fill:
            canvas.setFillColor(HexColor(s.fill))
        fill, stroke = int(bool(s.fill)), int(bool(s.stroke))
        if s.kind == "rect":
            (x, y), (w, hh) = s.points
            canvas.rect(x, h - y - hh, w, hh, stroke=stroke, fill=fill)
        elif s.kind == "line" and stroke:
            (x1, y1), (x2, y2) = s.points
            canvas.line(x1, h - y1, x2, h - y2)
        elif s.kind in ("poly", "polygon") and s.points:
            path = canvas.beginPath()
            (x0, y0), *rest = s.points
            path.moveTo(x0, h - y0)
            for x, y in rest:
                path.lineTo(x, h - y)
            if s.kind == "polygon":
                path.close()
            canvas.drawPath(path, stroke=stroke, fill=fill if s.kind == "polygon" else 0)
        elif s.kind == "circle":
            (cx, cy), (r, _) = s.points
            canvas.circle(cx, h - cy, r, stroke=stroke, fill=fill)
    canvas.restoreState()


# ---- Pillow (PNG for DOCX) ----------------------------------------------------------------------------


@cache
def _font(path: str | None, size: int):
    from PIL import ImageFont

    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size)


def _dashed(
    draw, a: tuple[float, float], b: tuple[float, float], dash: tuple[float, ...], fill, width
) -> None:
    (x1, y1), (x2, y2) = a, b
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    if not dash or length == 0:
        draw.line([a, b], fill=fill, width=width)
        return
    pos, i, on = 0.0, 0, True
    while pos < length:
        step = dash[i % len(dash)] or 1.0
        end = min(length, pos + step)
        if on:
            p = (x1 + (x2 - x1) * pos / length, y1 + (y2 - y1) * pos / length)
            q = (x1 + (x2 - x1) * end / length, y1 + (y2 - y1) * end / length)
            draw.line([p, q], fill=fill, width=width)
        pos, i, on = end, i + 1, not on


def to_png(svg: str, font_path: Path | None, scale: float = 2.0) -> bytes:
    """The chart as a PNG picture, ``scale`` × its SVG size."""
    from PIL import Image, ImageDraw

    chart = parse(svg)
    image = Image.new("RGB", (round(chart.width * scale), round(chart.height * scale)), "#ffffff")
    draw = ImageDraw.Draw(image)
    font_file = str(font_path) if font_path else None

    def pt(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * scale, p[1] * scale)

    for s in chart.shapes:
        width = max(1, round(s.stroke_width * scale))
        if s.kind == "rect":
            (x, y), (w, h) = s.points
            box = [pt((x, y)), pt((x + w, y + h))]
            draw.rectangle(box, fill=s.fill, outline=s.stroke, width=width if s.stroke else 0)
        elif s.kind == "line":
            _dashed(draw, pt(s.points[0]), pt(s.points[1]), tuple(d * scale for d in s.dash), s.stroke, width)
        elif s.kind == "poly":
            for a, b in zip(s.points, s.points[1:], strict=False):
                _dashed(draw, pt(a), pt(b), tuple(d * scale for d in s.dash), s.stroke, width)
        elif s.kind == "polygon":
            draw.polygon([pt(p) for p in s.points], fill=s.fill, outline=s.stroke, width=width)
        elif s.kind == "circle":
            (cx, cy), (r, _) = s.points
            draw.ellipse([pt((cx - r, cy - r)), pt((cx + r, cy + r))], fill=s.fill, outline=s.stroke)
        elif s.kind == "text":
            anchor = {"middle": "ms", "end": "rs"}.get(s.anchor, "ls")
            font = _font(font_file, max(1, round(s.font_size * scale)))
            draw.text(pt(s.points[0]), s.text, fill=s.fill, font=font, anchor=anchor)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
