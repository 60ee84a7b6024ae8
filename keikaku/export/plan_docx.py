"""The plan document as Word (python-docx), A4 portrait: IPAex 明朝 for the text, IPAex ゴシック for
headings and tables, page numbers in the footer, the figures as PNG pictures (rasterised by WeasyPrint
when it is available; without it the figures are left out — the tables carry the same data). Text goes
in as runs, never parsed, so nothing in a title can become markup."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from keikaku.export import plan_figures as fig
from keikaku.export.plan_model import NO_VALUE, DocMeasure, PlanDocument, fy_label

MINCHO = "IPAexMincho"
GOTHIC = "IPAexGothic"
NAVY = RGBColor(0x0B, 0x35, 0x6B)
HEAD_FILL = "D5E2F2"
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Rasterise = Callable[[str, int, int], bytes | None]


def _t(text: object) -> str:
    return _XML_BAD.sub("", str(text or ""))


def _set_font(style_or_run, name: str, size: float | None = None) -> None:
    style_or_run.font.name = name
    if size:
        style_or_run.font.size = Pt(size)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, MINCHO, 10.5)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.25
    for name, size in (
        ("Title", 24),
        ("Heading 1", 16),
        ("Heading 2", 13.5),
        ("Heading 3", 12),
        ("Heading 4", 11),
    ):
        st = doc.styles[name]
        _set_font(st, GOTHIC, size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = NAVY
        st.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.keep_with_next = True
    table = doc.styles["Table Grid"]
    _set_font(table, GOTHIC, 9.5)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
    tcpr.append(shd)


def _cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    lines = _t(text).split("\n")
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.1
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(lines):
        if i:
            p = cell.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
        run = p.add_run(line)
        run.bold = bold
        _set_font(run, GOTHIC)


def _table(
    doc,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    first_col_head: bool = False,
    center_from: int = 99,
):
    ncols = len(widths)
    table = doc.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Mm(w)
    shade: list[tuple[object, str]] = []
    if header is not None:
        cells = table.add_row().cells
        for i, h in enumerate(header):
            _cell(cells[i], h, bold=True, center=True)
            shade.append((cells[i], HEAD_FILL))
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            _cell(cells[i], value, bold=first_col_head and i == 0, center=i >= center_from)
            if first_col_head and i == 0:
                shade.append((cells[i], "F0F4F9"))
    for tr in table.rows:
        for cell, w in zip(tr.cells, widths, strict=True):
            cell.width = Mm(w)
    for cell, fill in shade:  # after the width: w:shd follows w:tcW in a cell's properties
        _shade(cell, fill)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)
    return table


def _para(doc, text: str, *, indent: bool = True) -> None:
    p = doc.add_paragraph(_t(text))
    if indent:
        p.paragraph_format.first_line_indent = Pt(10.5)


def _label(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(4)
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.keep_with_next = True
    run = p.add_run(_t(f"【{text}】"))  # not bold: a bold line alone reads as a heading
    run.font.color.rgb = NAVY
    _set_font(run, GOTHIC)


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _footer_page_number(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._r.append(el)


def _picture(doc, svg_text: str, rasterise: Rasterise | None, width_mm: float, caption: str) -> None:
    if rasterise is None:
        return
    w, h = fig.size(svg_text)
    png = rasterise(svg_text, w, h)
    if not png:
        return
    width = min(width_mm, 180.0)
    height = width * h / w
    if height > 235:  # keep a figure on one page
        width = width * 235 / height
    doc.add_picture(io.BytesIO(png), width=Mm(width))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap = doc.add_paragraph(_t(caption))
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.runs[0].font.size = Pt(9)


def measure_lines(m: DocMeasure) -> tuple[list[str], list[str]]:
    """The label lines of a measure: (before its tables — 担当課 —, after them — 施策の柱, 重点分野,
    関連する国の施策, 区分). A measure with no department says －, in a draft 【要記入】 (the blank the
    author fills in, as the draft's chapters mark theirs)."""
    before = [f"担当課：{'、'.join(m.departments) or m.blank}"]
    after = []
    if m.pillars:
        after.append(f"施策の柱：{'、'.join(m.pillars)}")
    if m.areas:
        after.append(f"重点分野：{'、'.join(m.areas)}")
    if m.national:
        after.append(f"関連する国の施策：{'、'.join(m.national)}")
    if m.priority:
        after.append("区分：重点取組")
    return before, after


def contact_lines(d: PlanDocument) -> list[str]:
    """The contact as the back of a plan prints it (no label lines: 担当：… would read as a measure's)."""
    values = dict(d.contact)
    out = [f"{d.organisation}　{values.get('担当', '')}".strip()]
    out += [f"{label}　{values[label]}" for label in ("電話", "電子メール") if values.get(label)]
    return out


def kpi_table(m: DocMeasure) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a measure's KPI table: 指標 | 単位 | 現状値（年度） | 目標値（年度）…"""
    base_fy = m.baseline_fy
    years = m.target_years
    header = ["指標", f"現状値（{fy_label(base_fy)}）" if base_fy else "現状値"]
    years = years or [0]  # a KPI without targets yet (a draft): one 目標値 column to fill in
    header += [f"目標値（{fy_label(fy)}）" if fy else "目標値" for fy in years]
    rows = []
    for k in m.kpis:
        base = k.baseline
        if base != NO_VALUE and not base_fy and k.baseline_fy:
            base += f"（{fy_label(k.baseline_fy)}）"
        rows.append([k.indicator, base, *(k.targets.get(fy, NO_VALUE) for fy in years)])
    return header, rows


def schedule_row(m: DocMeasure, years: Sequence[int]) -> list[str]:
    """The measure's phase per year; a measure with no schedule: － (a draft: 【要記入】) in every year."""
    if not m.schedule:
        return [m.blank] * len(years)
    return [m.schedule.get(fy, "") for fy in years]


def _measure(doc, m: DocMeasure, level: int, years: Sequence[int]) -> None:
    doc.add_heading(_t(m.heading + ("（再掲）" if m.reposted else "")), level=level)
    before, after = measure_lines(m)
    for line in [t for t in (m.description or NO_VALUE).splitlines() if t.strip()] or [NO_VALUE]:
        _para(doc, line)
    for line in before:
        _para(doc, line, indent=False)
    if m.kpis:
        _label(doc, "成果指標")
        header, krows = kpi_table(m)
        rest = len(header) - 1
        first = max(56.0, 170 - 34 * rest)
        _table(doc, header, krows, (first, *([(170 - first) / rest] * rest)), center_from=1)
    if years:
        _label(doc, "スケジュール")
        ys = list(years)
        _table(
            doc, [fy_label(y) for y in ys], [schedule_row(m, ys)], [170 / len(ys)] * len(ys), center_from=0
        )
    for line in after:
        _para(doc, line, indent=False)


def render(document: PlanDocument, *, rasterise: Rasterise | None = None) -> bytes:
    """The document as DOCX bytes. ``rasterise(svg, width, height)`` → PNG places the figures."""
    d = document
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    section.different_first_page_header_footer = True
    _footer_page_number(section)
    doc.core_properties.title = _t(d.title)[:255]
    doc.core_properties.author = _t(d.organisation)[:255]
    doc.core_properties.language = "ja-JP"

    # cover
    for _ in range(6):
        doc.add_paragraph()
    kinds = doc.add_paragraph()
    kinds.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if d.kinds:
        run = kinds.add_run(_t("・".join(d.kinds)))
        run.font.color.rgb = NAVY
        _set_font(run, GOTHIC, 12)
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(_t(d.title))
    for _ in range(3):
        doc.add_paragraph()
    for text, size in ((f"計画期間：{d.period}", 13), (d.date, 13), ("", 13), (d.organisation, 18)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            run = p.add_run(_t(text))
            _set_font(run, GOTHIC, size)
    _page_break(doc)

    # contents
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run("目　次"), GOTHIC, 16)
    entries = [c.heading for c in d.chapters] + [
        f"第{d.gantt_chapter}章　工程表",
        f"第{d.coverage_chapter}章　施策の柱と重点分野",
    ]
    if d.contact:
        entries.append("問い合わせ先")
    for e in entries:
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Mm(15)
        _set_font(p.add_run(_t(e)), GOTHIC, 11)
    _page_break(doc)

    for i, ch in enumerate(d.chapters):
        if i:
            _page_break(doc)
        doc.add_heading(_t(ch.heading), level=1)
        for para in ch.paragraphs:
            _para(doc, para)
        if i != d.measures_chapter:
            continue
        if d.tree:
            doc.add_heading("施策体系図", level=2)
            for svg_text, caption in fig.tree_figures(d):
                _picture(doc, svg_text, rasterise, 170, caption)
        for pol in d.policies:
            if pol.heading:
                doc.add_heading(_t(pol.heading), level=min(2 + pol.depth, 3))
            level = min(3 + (pol.depth if pol.key else 0), 4)
            for m in pol.measures:
                _measure(doc, m, level, d.years)

    _page_break(doc)
    doc.add_heading(f"第{d.gantt_chapter}章　工程表", level=1)
    _para(doc, "各施策の年度別の取組段階は次のとおりです。")
    for svg_text, caption in fig.gantt_figures(d):
        _picture(doc, svg_text, rasterise, 170, caption)

    _page_break(doc)
    doc.add_heading(f"第{d.coverage_chapter}章　施策の柱と重点分野", level=1)
    _para(
        doc,
        "官民データ活用推進基本法の基本的施策（施策の柱）と、国の計画の重点分野ごとの施策数は次のとおりです"
        "（再掲の施策は数えていません）。",
    )
    cov = d.coverage
    _table(
        doc,
        ["施策の柱", *cov.areas, "施策数"],
        [
            [label, *(str(n) if n else "" for n in row), str(t)]
            for label, row, t in zip(cov.pillars, cov.counts, cov.totals, strict=True)
        ],
        (40, *([130 / (len(cov.areas) + 1)] * (len(cov.areas) + 1))),
        first_col_head=True,
        center_from=1,
    )
    if d.contact:
        doc.add_heading("問い合わせ先", level=1)
        for line in contact_lines(d):
            _para(doc, line, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
