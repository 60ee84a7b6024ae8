"""The binary format writers of the generator (render.py's element list → docx with python-docx, pdf with
reportlab, xlsx with openpyxl, pptx with python-pptx), apart so that each file stays small."""

from __future__ import annotations

import html as htmlmod
from pathlib import Path
from typing import Any

from tests.ingest.generated import grammar as g
from tests.ingest.generated.grammar import GenPlan

El = tuple[Any, ...]


def _rowspans_hidden(rows: list[list[Any]]) -> list[list[Any]]:
    """A full grid: each position holds its cell, or None where a span above/left covers it."""
    width = max(sum(max(c.colspan, 1) if c.colspan else 1 for c in r) for r in rows) + 8
    grid: list[list[Any]] = []
    taken: set[tuple[int, int]] = set()
    for i, r in enumerate(rows):
        out: list[Any] = []
        j = 0
        for c in r:
            while (i, j) in taken:
                out.append(None)
                j += 1
            if c.colspan == 0:  # a placeholder for a position a span covers (taken above)
                continue
            out.append(c)
            for di in range(c.rowspan):
                for dj in range(c.colspan):
                    if di or dj:
                        taken.add((i + di, j + dj))
            j += 1
        while (i, j) in taken and j < width:
            out.append(None)
            j += 1
        grid.append(out)
    return grid


def _docx(plan: GenPlan, els: list[El], path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    d = docx.Document()
    styles = plan.style.heading_markup == "styles"
    if plan.style.footer:
        d.sections[0].footer.paragraphs[0].text = f"{plan.title}"
    for el in els:
        kind = el[0]
        if kind == "title":
            if styles:
                d.add_heading(el[1], level=0)
            else:
                d.add_paragraph().add_run(el[1]).font.size = Pt(20)
        elif kind == "h":
            if styles:
                d.add_heading(el[2], level=el[1])
            else:
                run = d.add_paragraph().add_run(el[2])
                run.bold = True
                run.font.size = Pt({1: 16, 2: 14, 3: 12}[el[1]])
        elif kind == "p":
            d.add_paragraph(el[1])
        elif kind == "li":
            d.add_paragraph(el[1], style="List Bullet")
        elif kind == "field" and el[1] == "dl":  # the term, then its value indented
            d.add_paragraph(el[2])
            d.add_paragraph(el[3]).paragraph_format.left_indent = Pt(21)
        elif kind == "field":  # a bold run (the label), then a normal run (the value)
            para = d.add_paragraph()
            para.add_run(el[2]).bold = True
            para.add_run(f"　{el[3]}")
        elif kind == "break":
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "table":
            grid = _rowspans_hidden(el[1])
            width = max(len(r) for r in grid)
            t = d.add_table(rows=len(grid), cols=width)
            t.style = "Table Grid"
            for i, r in enumerate(grid):
                for j, c in enumerate(r):
                    if c is None:
                        continue
                    cell = t.cell(i, j)
                    if c.rowspan > 1 or c.colspan > 1:
                        cell = cell.merge(t.cell(i + c.rowspan - 1, j + c.colspan - 1))
                    cell.text = c.text
    d.save(path)


_FONT = None


def _font() -> str:
    global _FONT
    if _FONT is None:
        from reportlab.pdfbase import pdfmetrics

        ttf = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
        if ttf.exists():
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont("IPAexGothic", str(ttf)))
            _FONT = "IPAexGothic"
        else:
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
            _FONT = "HeiseiKakuGo-W5"
    return _FONT


def _pdf(plan: GenPlan, els: list[El], path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    size = landscape(A4) if plan.style.layout in ("rowtable", "gantt") else A4  # A4横 for wide tables
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    dd = ParagraphStyle("dd", parent=body, leftIndent=10 * mm)
    head = {n: ParagraphStyle(f"h{n}", fontName=font, fontSize=sz, leading=sz * 1.5, spaceBefore=6, spaceAfter=4)
            for n, sz in ((0, 20), (1, 16), (2, 13.5), (3, 11.5))}  # fmt: skip
    story: list = []

    def esc(t: str) -> str:
        return htmlmod.escape(t).replace("\n", "<br/>")

    for el in els:
        kind = el[0]
        if kind == "title":
            story += [Spacer(1, 40 * mm), Paragraph(esc(el[1]), head[0])]
        elif kind == "h":
            story.append(Paragraph(esc(el[2]), head[el[1]]))
        elif kind in ("p", "li"):
            story.append(Paragraph(esc(("・" if kind == "li" else "") + el[1]), body))
        elif kind == "field":  # a definition list: the term, then its value indented
            story += [Paragraph(esc(el[2]), body), Paragraph(esc(el[3]), dd)]
        elif kind == "break":
            story.append(PageBreak())
        elif kind == "table":
            grid = _rowspans_hidden(el[1])
            width = max(len(r) for r in grid)
            data = [
                [Paragraph(esc(c.text), cell) if c else "" for c in r] + [""] * (width - len(r)) for r in grid
            ]
            ts = [("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                  ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                  ("RIGHTPADDING", (0, 0), (-1, -1), 2)]  # fmt: skip
            if el[2]:
                ts.append(("BACKGROUND", (0, 0), (-1, el[2] - 1), colors.HexColor("#dde8f3")))
            for i, r in enumerate(grid):
                for j, c in enumerate(r):
                    if c is not None and (c.rowspan > 1 or c.colspan > 1):
                        ts.append(("SPAN", (j, i), (j + c.colspan - 1, i + c.rowspan - 1)))
                    if c is not None and c.fill:
                        ts.append(("BACKGROUND", (j, i), (j, i), colors.HexColor("#8db4e2")))
            total = size[0] - 40 * mm
            # a column's width follows its longest text (a title column wide, a year column narrow)
            weight = [
                min(max([len(r[j].text) for r in grid[el[2] :] if j < len(r) and r[j]] or [3]), 16) + 5
                for j in range(width)
            ]
            widths = [total * w / sum(weight) for w in weight]
            story += [Spacer(1, 2 * mm), Table(data, colWidths=widths, style=TableStyle(ts), repeatRows=el[2] or 0),
                      Spacer(1, 3 * mm)]  # fmt: skip

    def page(canvas, doc) -> None:
        if plan.style.footer:
            canvas.setFont(font, 8)
            canvas.drawCentredString(size[0] / 2, 12 * mm, f"- {doc.page} -")
            canvas.drawRightString(size[0] - 20 * mm, size[1] - 12 * mm, plan.title)

    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, title=plan.title)  # fmt: skip
    doc.build(story, onFirstPage=page, onLaterPages=page)


def _xlsx(plan: GenPlan, els: list[El], path: Path) -> None:
    """One アクションプラン sheet: the title, policy headings as rows, the tables with merged headers."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "アクションプラン"
    ws.cell(1, 1, plan.title).font = Font(bold=True, size=14)
    ws.cell(2, 1, f"計画期間：{g.fy(plan.start_fy, plan.style.era)}～{g.fy(plan.end_fy, plan.style.era)}")
    row = 4
    thin = Side(style="thin")
    in_body = False
    for el in els:
        if el[0] == "h" and el[1] == 1 and "施策" in el[2]:
            in_body = True
            continue
        if not in_body:
            continue
        if el[0] == "h":
            ws.cell(row, 1, el[2]).font = Font(bold=True)
            row += 1
        elif el[0] == "p" and len(el[1]) < 40:
            ws.cell(row, 1, el[1])
            row += 1
        elif el[0] == "table":
            grid = _rowspans_hidden(el[1])
            for i, r in enumerate(grid):
                for j, c in enumerate(r):
                    cellx = ws.cell(row + i, j + 1)
                    cellx.border = Border(top=thin, bottom=thin, left=thin, right=thin)
                    if c is None:
                        continue
                    cellx.value = c.text or None
                    cellx.alignment = Alignment(wrap_text=True, vertical="top")
                    if c.rowspan > 1 or c.colspan > 1:
                        ws.merge_cells(start_row=row + i, start_column=j + 1,
                                       end_row=row + i + c.rowspan - 1, end_column=j + c.colspan)  # fmt: skip
            row += len(grid) + 1
    wb.save(path)


def _pptx(plan: GenPlan, els: list[El], path: Path) -> None:
    """A deck as municipalities make them of a plan: a cover slide; each chapter or policy heading opens a
    slide with that title; measures and their fields go into text boxes below it, tables into table shapes;
    a slide that fills up continues on an untitled slide (the reader orders shapes top, then left)."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    slide = None
    top = 0
    box = None
    line_h = Inches(0.3)

    def new_slide(title: str | None) -> None:
        nonlocal slide, top, box
        if title is None:
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            top = Inches(0.4)
        else:
            slide = prs.slides.add_slide(prs.slide_layouts[5])
            slide.shapes.title.text = title
            top = Inches(1.4)
        box = None

    def room(height: int) -> None:
        if slide is None or top + height > Inches(7.2):
            new_slide(None)

    def text(line: str, *, bold: bool = False, level: int = 0) -> None:
        nonlocal box, top
        room(line_h)
        if box is None:
            shape = slide.shapes.add_textbox(Inches(0.5), top, Inches(9), line_h)
            shape.text_frame.word_wrap = True
            box = shape.text_frame
            para = box.paragraphs[0]
        else:
            para = box.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size = Pt(12)
        run.font.bold = bold
        para.level = level
        top += line_h

    for el in els:
        kind = el[0]
        if kind == "title":
            cover.shapes.title.text = el[1]
        elif kind == "h" and el[1] <= 2:
            new_slide(el[2])
        elif kind == "h":
            box = None
            text(el[2], bold=True)
        elif kind == "field":  # a definition list: the term, then its value one level in
            text(el[2])
            text(el[3], level=1)
        elif kind in ("p", "li"):
            if slide is None:
                cover.placeholders[1].text_frame.add_paragraph().text = el[1]
                continue
            for line in el[1].split("\n"):
                text(("・" if kind == "li" else "") + line)
        elif kind == "table":
            grid = _rowspans_hidden(el[1])
            width = max(len(r) for r in grid)
            height = Emu(line_h * len(grid))
            room(height if height < Inches(5.5) else Inches(5.5))
            shape = slide.shapes.add_table(len(grid), width, Inches(0.5), top, Inches(9), height)
            table = shape.table
            for i, r in enumerate(grid):
                for j, c in enumerate(r):
                    if c is None:
                        continue
                    if c.rowspan > 1 or c.colspan > 1:
                        table.cell(i, j).merge(table.cell(i + c.rowspan - 1, j + c.colspan - 1))
                    table.cell(i, j).text = c.text
            top += height + Inches(0.2)
            box = None
    prs.save(path)
