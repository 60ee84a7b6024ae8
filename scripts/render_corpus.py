"""Dev-only: render text plans into .html, .docx and .pdf for a cross-format check of the readers.

    .venv/bin/python scripts/render_corpus.py ../shared/corpus/plans /tmp/xfmt

reads every ``*.txt`` / ``*.md`` in the source directory at run time (through the text reader's
block stream) and writes ``OUT/html``, ``OUT/docx``, ``OUT/pdf`` (and ``OUT/txt``, a copy) with the
same file stems, so the scorer can be pointed at one folder per format. Nothing is written into the
repository; the rendered documents are not to be committed (the source texts are not ours).

The documents look like what a municipality publishes: A4, a running header (the plan's title) and a
page number in the footer, headings in Heading styles (levels from the order in which number-marker
kinds first appear), ruled tables with merged cells, bullet list items, footnotes as small ※ notes.
The PDF comes from LibreOffice (``soffice --headless --convert-to pdf`` of the .docx) when it is
installed — the kind of PDF Word/LibreOffice users export — else from reportlab.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from keikaku.ingest.blocks import Block, BlockKind, Table  # noqa: E402
from keikaku.ingest.markers import parse_marker  # noqa: E402
from keikaku.ingest.readers.text import read_text  # noqa: E402

MAX_LEVEL = 6


def heading_levels(blocks: list[Block]) -> dict[int, int]:
    """Heading level per block index: the Markdown level where written, else 1 + the rank of the
    marker kind by first appearance (after the Markdown levels in use)."""
    md_levels = sorted({b.level for b in blocks if b.kind == BlockKind.HEADING and b.level})
    base = (max(md_levels) if md_levels else 0) + 1
    kinds: list[str] = []
    out: dict[int, int] = {}
    for i, b in enumerate(blocks):
        if b.kind != BlockKind.HEADING:
            continue
        if b.level:
            out[i] = min(b.level, MAX_LEVEL)
            continue
        m = parse_marker(f"{b.marker} {b.text}")[0] if b.marker else None
        kind = m.kind if m else "plain"
        if kind not in kinds:
            kinds.append(kind)
        out[i] = min(base + kinds.index(kind), MAX_LEVEL)
    return out


def full_text(b: Block) -> str:
    if b.kind == BlockKind.LIST_ITEM:
        return b.text if b.marker == "・" or not b.marker else f"{b.marker} {b.text}"
    return f"{b.marker} {b.text}" if b.marker else b.text


def inline_runs(text: str) -> list[tuple[str, bool]]:
    """Markdown emphasis as runs: ``**bold**`` → (text, True); entities (``&lt;KPI&gt;``) as the
    characters a real document shows. An unmatched ``**`` stays as written."""
    parts = text.split("**")
    if len(parts) % 2 == 0:  # an odd number of ** — the last one is no emphasis
        parts[-2:] = [parts[-2] + "**" + parts[-1]]
    runs: list[tuple[str, bool]] = []
    for k, part in enumerate(parts):
        part = html.unescape(part)
        if not part:
            continue
        bold = k % 2 == 1
        if runs and runs[-1][1] == bold and not bold:
            runs[-1] = (runs[-1][0] + part, bold)
        else:
            runs.append((part, bold))
    return runs


def plain(text: str) -> str:
    return "".join(t for t, _ in inline_runs(text))


def title_of(blocks: list[Block], stem: str) -> str:
    for b in blocks[:40]:
        if b.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH) and "計画" in b.text and len(b.text) < 60:
            return plain(b.text)
    return stem


# ---------------------------------------------------------------------------------------------
# HTML


def _html_inline(text: str) -> str:
    return "".join(
        f"<strong>{html.escape(t)}</strong>" if bold else html.escape(t) for t, bold in inline_runs(text)
    )


def _html_table(t: Table) -> str:
    rows = []
    for r, row in enumerate(t.rows):
        cells = []
        for c in row:
            tag = "th" if r == 0 else "td"
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            text = "<br>".join(_html_inline(x) for x in c.text.split("\n"))
            cells.append(f"<{tag}{attrs}>{text}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1">\n' + "\n".join(rows) + "\n</table>"


def render_html(blocks: list[Block], title: str) -> str:
    levels = heading_levels(blocks)
    out = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title></head><body>",
        f'<header><nav><a href="/">トップ</a> &gt; 計画 &gt; {html.escape(title)}</nav></header>',
        "<main>",
    ]
    in_list = False
    for i, b in enumerate(blocks):
        if b.kind == BlockKind.LIST_ITEM:
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_html_inline(full_text(b))}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if b.kind == BlockKind.HEADING:
            lv = levels[i]
            out.append(f"<h{lv}>{_html_inline(full_text(b))}</h{lv}>")
        elif b.kind == BlockKind.TABLE and b.table is not None:
            out.append(_html_table(b.table))
        elif b.kind == BlockKind.FOOTNOTE:
            out.append(f'<p class="note"><small>{_html_inline(full_text(b))}</small></p>')
        else:
            out.append("<p>" + "<br>".join(_html_inline(x) for x in b.text.split("\n")) + "</p>")
    if in_list:
        out.append("</ul>")
    out.append("</main><footer>Copyright (C) 市役所 All Rights Reserved.</footer></body></html>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# DOCX


def _field(paragraph: object, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)  # type: ignore[attr-defined]


def _east_asian(style: object, font: str) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), font)


def _add_runs(paragraph: object, text: str, size: object = None, bold: bool = False) -> None:
    """Text with Markdown emphasis as runs; ``**…**`` becomes a bold run."""
    for part, strong in inline_runs(text):
        run = paragraph.add_run(part)  # type: ignore[attr-defined]
        if strong or bold:
            run.bold = True
        if size is not None:
            run.font.size = size


def _docx_table(document: object, t: Table) -> None:
    from docx.shared import Pt

    grid = t.grid()
    n_rows, n_cols = len(grid), max((len(r) for r in grid), default=0)
    if not n_rows or not n_cols:
        return
    table = document.add_table(rows=n_rows, cols=n_cols)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(t.rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            r1, c1 = min(r + cell.rowspan, n_rows) - 1, min(c + cell.colspan, n_cols) - 1
            target = table.cell(r, c)
            if r1 > r or c1 > c:
                target = target.merge(table.cell(r1, c1))
            for rr in range(r, r1 + 1):
                for cc in range(c, c1 + 1):
                    occupied.add((rr, cc))
            lines = cell.text.split("\n")
            _add_runs(target.paragraphs[0], lines[0], Pt(9), r == 0)
            for extra in lines[1:]:
                _add_runs(target.add_paragraph(), extra, Pt(9), r == 0)
            c = c1 + 1
    document.add_paragraph()  # type: ignore[attr-defined]


def render_docx(blocks: list[Block], title: str, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(25)
    sec.top_margin = sec.bottom_margin = Mm(25)
    for name in ("Normal", "Title", *(f"Heading {i}" for i in range(1, 7)), "List Bullet"):
        _east_asian(
            doc.styles[name], "IPAexGothic" if name.startswith(("Heading", "Title")) else "IPAexMincho"
        )
    doc.styles["Normal"].font.size = Pt(10.5)
    head = sec.header.paragraphs[0]
    head.text = title
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("- ")
    _field(foot, "PAGE")
    foot.add_run(" -")
    levels = heading_levels(blocks)
    for i, b in enumerate(blocks):
        if b.kind == BlockKind.HEADING:
            _add_runs(doc.add_paragraph(style=f"Heading {levels[i]}"), full_text(b))
        elif b.kind == BlockKind.TABLE and b.table is not None:
            _docx_table(doc, b.table)
        elif b.kind == BlockKind.LIST_ITEM:
            _add_runs(doc.add_paragraph(style="List Bullet"), full_text(b))
        elif b.kind == BlockKind.FOOTNOTE:
            _add_runs(doc.add_paragraph(), full_text(b), Pt(8))
        else:
            p = doc.add_paragraph()
            parts = b.text.split("\n")
            for k, part in enumerate(parts):
                _add_runs(p, part)
                if k < len(parts) - 1:
                    p.add_run().add_break()
    doc.save(str(path))


# ---------------------------------------------------------------------------------------------
# PDF


def render_pdf_soffice(docx_path: Path, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out_dir), str(docx_path)],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    return out_dir / (docx_path.stem + ".pdf")


def render_pdf_reportlab(blocks: list[Block], title: str, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.fonts import addMapping
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    font = "HeiseiKakuGo-W5"
    for bold in (0, 1):  # no bold face of the CID font: <b> keeps the face (the words stay apart)
        for italic in (0, 1):
            addMapping(font, bold, italic, font)

    def rl(text: str) -> str:
        return "".join(
            f"<b>{html.escape(t)}</b>" if strong else html.escape(t) for t, strong in inline_runs(text)
        )

    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    note = ParagraphStyle("n", fontName=font, fontSize=8, leading=11, wordWrap="CJK")
    hs = {lv: ParagraphStyle(f"h{lv}", fontName=font, fontSize=18 - 2 * lv, leading=24 - 2 * lv, spaceBefore=8,
                             spaceAfter=4, wordWrap="CJK") for lv in range(1, MAX_LEVEL + 1)}  # fmt: skip
    levels = heading_levels(blocks)
    story: list[object] = []
    for i, b in enumerate(blocks):
        if b.kind == BlockKind.HEADING:
            story.append(Paragraph(rl(full_text(b)), hs[levels[i]]))
        elif b.kind == BlockKind.TABLE and b.table is not None:
            grid = b.table.grid()
            data = [
                [Paragraph("<br/>".join(rl(x) for x in c.text.split("\n")), cell) for c in row]
                for row in grid
            ]
            cmds: list[tuple] = [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            occupied: set[tuple[int, int]] = set()
            for r, row in enumerate(b.table.rows):
                c = 0
                for x in row:
                    while (r, c) in occupied:
                        c += 1
                    if x.rowspan > 1 or x.colspan > 1:
                        cmds.append(("SPAN", (c, r), (c + x.colspan - 1, r + x.rowspan - 1)))
                    for rr in range(r, r + x.rowspan):
                        for cc in range(c, c + x.colspan):
                            occupied.add((rr, cc))
                    c += x.colspan
            width = 160 * mm / max(1, len(grid[0]))
            story.append(
                RLTable(data, colWidths=[width] * len(grid[0]), style=TableStyle(cmds), repeatRows=1)
            )
            story.append(Spacer(1, 6))
        elif b.kind == BlockKind.LIST_ITEM:
            story.append(ListFlowable([Paragraph(rl(b.text), body)], bulletType="bullet", start="・"))
        elif b.kind == BlockKind.FOOTNOTE:
            story.append(Paragraph(rl(full_text(b)), note))
        else:
            story.append(Paragraph("<br/>".join(rl(x) for x in b.text.split("\n")), body))

    def decorate(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(font, 8)  # type: ignore[attr-defined]
        canvas.drawRightString(A4[0] - 25 * mm, A4[1] - 15 * mm, title)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {doc.page} -")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
                      bottomMargin=25 * mm).build(story, onFirstPage=decorate, onLaterPages=decorate)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path, help="directory of .txt/.md plans (e.g. ../shared/corpus/plans)")
    ap.add_argument("out", type=Path, help="output directory outside the repository (e.g. /tmp/xfmt)")
    ap.add_argument("--reportlab", action="store_true", help="PDF through reportlab even if soffice exists")
    ap.add_argument("--only", default="", help="comma-separated formats to write (default: all)")
    args = ap.parse_args(argv)
    repo = Path(__file__).resolve().parents[1]
    if args.out.resolve().is_relative_to(repo):
        ap.error("write outside the repository")
    formats = set(args.only.split(",")) if args.only else {"txt", "html", "docx", "pdf"}
    for f in ("txt", "html", "docx", "pdf"):
        (args.out / f).mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") and not args.reportlab
    for src in sorted(list(args.source.glob("*.txt")) + list(args.source.glob("*.md"))):
        blocks = read_text(src).blocks
        title = title_of(blocks, src.stem)
        stem = src.stem
        if "txt" in formats:
            shutil.copy(src, args.out / "txt" / src.name)
        if "html" in formats:
            (args.out / "html" / f"{stem}.html").write_text(render_html(blocks, title), encoding="utf-8")
        docx_path = args.out / "docx" / f"{stem}.docx"
        if formats & {"docx", "pdf"}:
            render_docx(blocks, title, docx_path)
        if "pdf" in formats:
            if soffice:
                render_pdf_soffice(docx_path, args.out / "pdf")
            else:
                render_pdf_reportlab(blocks, title, args.out / "pdf" / f"{stem}.pdf")
        print(f"{stem}: {len(blocks)} blocks", file=sys.stderr)
    print(f"PDF via {'LibreOffice' if soffice else 'reportlab'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
