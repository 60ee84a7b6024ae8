"""The evaluation report as PDF, drawn with reportlab's page layout (platypus): the same content as the
HTML — 項目 / 現状 / 評価と方向性, the status by pillar (chart and table), each measure's KPI table and
trend chart — with the Japanese font embedded (subset). Charts are the SVG of keikaku.core.charts drawn
as vector graphics (keikaku.export.chart_draw). Every text goes in escaped, so a title holding
``<script>`` or reportlab's own markup is printed as written. Pure: no Django.

Why not WeasyPrint (which prints the plan document): a 100-measure report has 100 charts and ~60 pages;
WeasyPrint took tens of seconds for it (its SVG drawing, layout and font subsetting, profiled with
scripts/bench_pdca.py --profile), reportlab well under a second.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from keikaku.export.chart_draw import draw_on_canvas, parse
from keikaku.export.report_model import EvaluationReport, ReportMeasure

FONT = "KeikakuJP"
FALLBACK_FONT = "HeiseiKakuGo-W5"  # reportlab's built-in Japanese CID font, when no font file is found
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
PX = 0.75  # one SVG / CSS pixel in PDF points
CELL_SIZE = 8.5
_NO_BREAK_BEFORE = set("、。，．）」』】〕・ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ")


@functools.cache
def _font(path: Path | None) -> str:
    from reportlab.pdfbase import pdfmetrics

    if path is not None:
        try:
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            return FONT
        except Exception:  # noqa: BLE001 - an unreadable font file: the built-in one below
            pass
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def _p(text: object) -> str:
    """Text for a Paragraph: XML-escaped (reportlab reads markup), line breaks kept."""
    return escape(_XML_BAD.sub("", str(text or ""))).replace("\n", "<br/>")


def _plain(text: object) -> str:
    """Text for a plain table cell (no markup is read there)."""
    return _XML_BAD.sub("", str(text or ""))


def _now(m: ReportMeasure) -> str:
    return "\n".join(p for p in (f"【{m.status}】" if m.status else "", m.current) if p) or "報告なし"


def _direction(m: ReportMeasure) -> str:
    return "\n".join(p for p in (m.decision_text, m.direction, m.next_reference) if p)


def render_pdf(report: EvaluationReport, font_path: Path | None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (
        Flowable,
        KeepTogether,
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )

    font = _font(font_path)
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK", alignment=TA_LEFT)
    h1 = ParagraphStyle("h1", parent=base, fontSize=15, leading=21, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=base, fontSize=12.5, leading=18, spaceBefore=12, spaceAfter=4)
    h3 = ParagraphStyle("h3", parent=base, fontSize=10.5, leading=15, spaceBefore=8, spaceAfter=2)
    meta = ParagraphStyle("meta", parent=base, textColor=colors.HexColor("#444444"))
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f3")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
            ("LEADING", (0, 0), (-1, -1), CELL_SIZE * 1.35),
        ]
    )
    page_w, page_h = A4
    frame_w = page_w - 24 * mm

    widths_of: dict[str, float] = {}

    def wrapped(text: str, width: float, size: float = CELL_SIZE) -> str:
        """``text`` broken into lines that fit ``width`` (greedy, by character: Japanese has no spaces;
        a closing mark 、。）」 stays on its line). Plain table cells are drawn line by line — far faster
        than reportlab's Paragraph, whose CJK line breaking dominated the report's time."""
        out = []
        for para in _plain(text).split("\n"):
            line, used = "", 0.0
            for ch in para:
                w = widths_of.get(ch)
                if w is None:
                    w = widths_of[ch] = stringWidth(ch, font, size)
                if line and used + w > width and ch not in _NO_BREAK_BEFORE:
                    out.append(line)
                    line, used = "", 0.0
                line += ch
                used += w
            out.append(line)
        return "\n".join(out)

    def table(headers: list[str], rows: list[list[str]], widths: list[float]) -> LongTable:
        """A grid table of plain, pre-wrapped cells; the header row repeats on every page."""
        cols = [frame_w * w for w in widths]
        data = [[wrapped(h, c - 6) for h, c in zip(headers, cols, strict=True)]]
        data += [[wrapped(v, c - 6) for v, c in zip(row, cols, strict=True)] for row in rows]
        t = LongTable(data, colWidths=cols, repeatRows=1)
        t.setStyle(grid)
        return t

    class ChartFlowable(Flowable):
        """One SVG chart drawn straight on the page, scaled to fit the frame."""

        def __init__(self, svg: str) -> None:
            super().__init__()
            self.chart = parse(svg)
            self.scale = min(PX, frame_w / self.chart.width)
            self.width, self.height = self.chart.width * self.scale, self.chart.height * self.scale

        def wrap(self, *_args: object) -> tuple[float, float]:
            return self.width, self.height

        def draw(self) -> None:
            draw_on_canvas(self.canv, self.chart, font, self.scale)

    def chart(svg: str) -> Flowable:
        return ChartFlowable(svg)

    story: list = [Paragraph(_p(report.title), h1)]
    story.append(Paragraph(_p(f"{report.organisation} — 作成日 {report.generated}"), meta))
    if report.decisions:
        story.append(
            Paragraph(_p("評価の内訳: " + "、".join(f"{k} {n}件" for k, n in report.decisions.items())), base)
        )
    story.append(Paragraph("施策の評価と方向性", h2))
    rows = []
    for m in report.measures:
        item = f"{m.key} {m.title}".strip()
        if m.departments:
            item += f"\n担当: {'、'.join(m.departments)}"
        rows.append([item, _now(m), _direction(m)])
    story.append(table(["項目", "現状", "評価と方向性"], rows, [0.28, 0.40, 0.32]))
    story.append(Paragraph("施策の柱別の進捗状況", h2))
    if report.pillar_svg:
        story.append(chart(report.pillar_svg))
        story.append(Paragraph("同じ内容を次の表に示します。", meta))
    n = len(report.kinds) + 3
    story.append(
        table(
            ["施策の柱", "施策数", *report.kinds, "KPI 平均達成率"],
            [
                [_p(p.label), str(p.measures), *(str(c) for c in p.counts), _p(p.attainment)]
                for p in report.pillars
            ],
            [0.24] + [0.76 / (n - 1)] * (n - 1),
        )
    )
    story.append(Paragraph("KPI の実績", h2))
    for m in report.measures:
        if not m.kpis:
            continue
        block: list = [Paragraph(_p(f"{m.key} {m.title}".strip()), h3)]
        block.append(
            table(
                ["指標", "基準値", "目標値", "実績", "達成率", "達成"],
                [
                    [_p(k.indicator), _p(k.baseline), _p(k.target), _p(k.actual), _p(k.attainment), _p(k.met)]
                    for k in m.kpis
                ],
                [0.30, 0.16, 0.18, 0.14, 0.11, 0.11],
            )
        )
        story.append(KeepTogether(block))
        for k in m.kpis:
            if k.trend_svg:
                caption = Paragraph(_p(f"{k.indicator} の推移（実線: 実績、破線: 目標）"), meta)
                story.append(KeepTogether([chart(k.trend_svg), caption, Spacer(1, 4)]))

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(page_w / 2, 8 * mm, str(doc.page))
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_XML_BAD.sub("", report.title),
        author=_XML_BAD.sub("", report.organisation),
        lang="ja-JP",
    )
    from reportlab import rl_config

    a85, rl_config.useA85 = rl_config.useA85, 0  # binary (zlib) streams: no ASCII85 pass, ≈ 6 % of the time
    try:
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    finally:
        rl_config.useA85 = a85
    return out.getvalue()
