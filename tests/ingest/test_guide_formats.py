"""The guide recogniser on a fictional miniature guide written as a real DOCX, HTML and PDF: box label,
measure title and 重点分野 set apart only by bold runs (no Markdown markup), a title wrapped around its
area by a line break, and box labels that open a page (not to be taken for a running header).
Plus the PDF reader on a narrow table column of wrapped department names. All content is invented."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from keikaku.ingest.extract.guide import extract_catalogue
from keikaku.ingest.readers.docx import read_docx
from keikaku.ingest.readers.html import read_html
from keikaku.ingest.readers.pdf import read_pdf

LABEL = "【町の施策（記載例）】"
# (title first part, area, title second part or "", bold layout)
BOXES = [
    ("あおば村の窓口予約のオンライン化", "電子行政", "", "glued"),  # label+title+area, all bold, one line
    ("防災情報配信の", "インフラ・防災・減災等", "多言語化", "wrapped"),  # area bold between title lines
    ("農地見回りのセンサー化", "農林水産", "", "own"),  # title and area bold, a paragraph of their own
    ("観光案内所の混雑情報の発信", "観光", "", "spaced"),  # plain text, a space before the area
]
EXPECTED = [(a + c, area) for a, area, c, _ in BOXES]


def _guide_docx(path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "さくら町デジタル計画策定の手引"
    doc.add_paragraph("さくら町デジタル計画策定の手引", style="Title")
    doc.add_paragraph("令和7年4月")
    doc.add_paragraph("1. 手続における情報通信の技術の利用等に係る取組", style="Heading 1")
    for n, (first, area, rest, layout) in enumerate(BOXES):
        if n == 2:
            doc.add_paragraph("2. 官民データの容易な利用等に係る取組", style="Heading 1")
        if n in (1, 3):  # the box label opens a new page, right below the running header
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if layout == "glued":
            p = doc.add_paragraph()
            for text in (LABEL, first, area):
                p.add_run(text).bold = True
        else:
            doc.add_paragraph(LABEL, style="Heading 2")
            p = doc.add_paragraph()
            if layout == "wrapped":
                p.add_run(first)
                p.add_run(area).bold = True
                p.add_run().add_break()
                p.add_run(rest)
            elif layout == "own":
                p.add_run(first).bold = True
                p.add_run(area).bold = True
            else:
                p.add_run(f"{first} {area}")
        doc.add_paragraph("〇〇町では、取組の対象となる手続を整理し、住民の負担を減らす。")
        doc.add_paragraph("＜KPI＞", style="Heading 3")
        doc.add_paragraph("対象手続の数")
        doc.add_paragraph("＜スケジュール＞", style="Heading 3")
        doc.add_paragraph("令和〇年度までに対象手続を決定する。")
        doc.add_paragraph("【対応する国の施策】", style="Heading 3")
        doc.add_paragraph("・国の手続の見直しの推進")
    doc.save(str(path))
    return path


def _guide_html() -> str:
    parts = ["<h1>さくら町デジタル計画策定の手引</h1><p>令和7年4月</p>",
             "<h2>1. 手続における情報通信の技術の利用等に係る取組</h2>"]  # fmt: skip
    for n, (first, area, rest, layout) in enumerate(BOXES):
        if n == 2:
            parts.append("<h2>2. 官民データの容易な利用等に係る取組</h2>")
        if layout == "glued":
            parts.append(f"<p><strong>{LABEL}</strong><strong>{first}</strong><strong>{area}</strong></p>")
        else:
            parts.append(f"<h3>{LABEL}</h3>")
            if layout == "wrapped":
                parts.append(f"<p>{first}<strong>{area}</strong><br>{rest}</p>")
            elif layout == "own":
                parts.append(f"<p><b>{first}</b><b>{area}</b></p>")
            else:
                parts.append(f"<p>{first} {area}</p>")
        parts.append(
            "<p>〇〇町では、取組の対象となる手続を整理し、住民の負担を減らす。</p><h4>&lt;KPI&gt;</h4>"
            "<p>対象手続の数</p><h4>&lt;スケジュール&gt;</h4><p>令和〇年度までに対象手続を決定する。</p>"
            "<h4>【対応する国の施策】</h4><ul><li>国の手続の見直しの推進</li></ul>"
        )
    return "<html><body>" + "".join(parts) + "</body></html>"


def _check(result, source: str) -> None:  # type: ignore[no-untyped-def]
    cat = extract_catalogue(result, source)
    assert cat is not None
    got = [
        (m.title.replace(" ", ""), m.priority_areas[0] if m.priority_areas else None) for m in cat.measures
    ]
    assert got == EXPECTED
    assert [m.pillars[0].code for m in cat.measures] == ["A", "A", "B", "B"]
    assert all(m.kpi_text == "対象手続の数" for m in cat.measures)
    assert all(m.national_measures == ["国の手続の見直しの推進"] for m in cat.measures)


def test_guide_docx_bold_runs(tmp_path: Path) -> None:
    result = read_docx(_guide_docx(tmp_path / "guide.docx"))
    # the reader keeps the text as written and records the bold runs as a style hint
    wrapped = next(b for b in result.blocks if b.text.startswith("防災情報配信の"))
    assert wrapped.text == "防災情報配信のインフラ・防災・減災等多言語化"
    assert "インフラ・防災・減災等" in (wrapped.style or "")
    _check(result, "guide.docx")


def test_guide_html_strong() -> None:
    _check(read_html(_guide_html()), "guide.html")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_guide_pdf_via_libreoffice(tmp_path: Path) -> None:
    src = _guide_docx(tmp_path / "guide.docx")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    result = read_pdf(tmp_path / "guide.pdf")
    labels = [b for b in result.blocks if b.text == LABEL]
    assert len(labels) == 3  # the two labels opening a page are kept, the running header is dropped
    assert not any(
        b.text == "さくら町デジタル計画策定の手引" and b.loc.page and b.loc.page > 1 for b in result.blocks
    )
    _check(result, "guide.pdf")


def _dept_table_pdf(path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    st = ParagraphStyle("c", fontName="HeiseiKakuGo-W5", fontSize=9, leading=12, wordWrap="CJK")
    rows = [
        ["取組", "担当課", "内容"],
        ["防災メールの拡充", "みどり防災課<br/>AIシステム推進課", "登録の案内を見直す。"],
        [
            "観光情報の発信",
            "観光交流推進課",
            "概要<br/>観光案内所の混雑情報を発信し、周遊を促す取組を進める。",
        ],
    ]
    data = [[Paragraph(c, st) for c in r] for r in rows]
    table = Table(data, colWidths=[120, 52, 200])
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    intro = Paragraph(
        "第3章 施策の一覧", ParagraphStyle("h", fontName="HeiseiKakuGo-W5", fontSize=14, leading=20)
    )
    note = Paragraph("各課が連携して取組を進めます。", st)
    SimpleDocTemplate(str(path), pagesize=A4).build([intro, note, table, note])
    return path


def test_pdf_wrapped_department_names(tmp_path: Path) -> None:
    result = read_pdf(_dept_table_pdf(tmp_path / "depts.pdf"))
    table = next(b.table for b in result.blocks if b.table is not None)
    cells = table.texts()
    assert cells[1][1].split("\n") == ["みどり防災課", "AIシステム推進課"]
    assert cells[2][1] == "観光交流推進課"  # wrapped in the narrow column: no space, no break
    # a short line that stops well before the cell's edge ends a paragraph
    assert cells[2][2].split("\n") == ["概要", "観光案内所の混雑情報を発信し、周遊を促す取組を進める。"]
