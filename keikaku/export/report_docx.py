"""The evaluation report as a Word document (python-docx): the 項目 / 現状 / 評価と方向性 table, the
status by pillar (chart as a PNG picture, and always as a table) and each measure's KPI table with its
trend chart (the PDF's charts, drawn as PNG by keikaku.export.chart_draw). Text goes in as runs (never parsed), so nothing in a title can become markup."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from keikaku.export.report_model import EvaluationReport, ReportMeasure

JP_FONT = "IPAexGothic"
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _t(text: object) -> str:
    """Text Word can hold (XML 1.0 characters only)."""
    return _XML_BAD.sub("", str(text or ""))


def _font(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = JP_FONT
    style.font.size = Pt(10)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), JP_FONT)


def _table(doc, headers: list[str], rows: list[list[str]], caption: str):
    doc.add_paragraph().add_run(_t(caption)).bold = True
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for i, h in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = _t(h)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # repeat the header row on every page
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    trpr.append(header)
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = _t(value)
    return table


def _now(m: ReportMeasure) -> str:
    return "\n".join(p for p in (f"【{m.status}】" if m.status else "", m.current) if p) or "報告なし"


def _direction(m: ReportMeasure) -> str:
    parts = [m.decision_text, m.direction, m.next_reference]
    return "\n".join(p for p in parts if p)


def _chart_png(svg: str) -> bytes | None:
    """The chart as a PNG (Word cannot hold SVG), drawn from the same SVG as the HTML and the PDF."""
    if not svg:
        return None
    from keikaku.export.chart_draw import to_png
    from keikaku.export.report_pdf import find_cjk_font

    return to_png(svg, find_cjk_font())


def render(report: EvaluationReport, *, charts: bool = True) -> bytes:
    doc = Document()
    _font(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    doc.core_properties.title = _t(report.title)[:255]
    doc.core_properties.language = "ja-JP"
    doc.add_heading(_t(report.title), level=1)
    doc.add_paragraph(_t(f"{report.organisation} — 作成日 {report.generated}"))
    if report.decisions:
        doc.add_paragraph(_t("評価の内訳: " + "、".join(f"{k} {n}件" for k, n in report.decisions.items())))
    doc.add_heading("施策の評価と方向性", level=2)
    rows = []
    for m in report.measures:
        item = f"{m.key} {m.title}".strip() + (f"\n担当: {'、'.join(m.departments)}" if m.departments else "")
        rows.append([item, _now(m), _direction(m)])
    table = _table(doc, ["項目", "現状", "評価と方向性"], rows, "施策ごとの現状と評価・方向性")
    for row in table.rows:
        for cell, width in zip(row.cells, (Mm(75), Mm(105), Mm(87)), strict=True):
            cell.width = width
    doc.add_heading("施策の柱別の進捗状況", level=2)
    png = _chart_png(report.pillar_svg) if charts else None
    if png:
        doc.add_picture(io.BytesIO(png), width=Mm(180))
        doc.add_paragraph("同じ内容を次の表に示します。")
    _table(
        doc,
        ["施策の柱", "施策数", *report.kinds, "KPI 平均達成率"],
        [[p.label, str(p.measures), *(str(n) for n in p.counts), p.attainment] for p in report.pillars],
        "施策の柱別の進捗状況",
    )
    doc.add_heading("KPI の実績", level=2)
    for m in report.measures:
        if not m.kpis:
            continue
        doc.add_heading(_t(f"{m.key} {m.title}".strip()), level=3)
        _table(
            doc,
            ["指標", "基準値", "目標値", "実績", "達成率", "達成"],
            [[k.indicator, k.baseline, k.target, k.actual, k.attainment, k.met] for k in m.kpis],
            f"{m.key} の KPI",
        )
        for k in m.kpis:  # the same trend charts as the PDF
            png = _chart_png(k.trend_svg) if charts else None
            if png:
                doc.add_picture(io.BytesIO(png), width=Mm(130))
                doc.add_paragraph(_t(f"{k.indicator} の推移（実線: 実績、破線: 目標）"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
