"""PDF reader on a Word-like PDF: a fictional plan written with python-docx and exported by LibreOffice
(``soffice --headless --convert-to pdf``), as municipalities publish them — A4, running header, page
numbers in the footer, List Bullet items (Symbol-font bullets), a long schedule table in a smaller font
whose rows break across pages. Skipped when LibreOffice is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers.pdf import read_pdf

KANA = "アイウエオカキクケコサシスセソタチツテト"
TOPICS = [
    "体育館（仮称）の予約をオンライン化し、窓口での受付事務を段階的に縮小する取組",
    "住民票（広域交付）のコンビニ交付を拡大し、休日でも証明書を取得できる環境の整備",
    "防災行政無線（デジタル）の更新と防災メール（登録制）の利用者の拡大",
]
TITLES = [f"{KANA[i]}) {TOPICS[i % 3]}（第{i + 1}期）" for i in range(18)]
DEPTS = ["さくら町デジタル推進課", "住民課", "危機管理室"]


def _docx(path: Path) -> Path:
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.header.paragraphs[0].text = "さくら町デジタル推進計画"
    sec.footer.paragraphs[0].text = "- 1 -"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_paragraph("第2章 施策の展開", style="Heading 1")
    doc.add_paragraph("（1）窓口と防災の取組", style="Heading 2")
    for text in ("① 行かない窓口の実現", "② 情報の届く防災"):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_paragraph(
        "本町では、住民が来庁しなくても手続を終えられるよう、窓口業務の見直しを進めます。"
        "あわせて、災害時の情報伝達の手段を増やし、必要な情報が確実に届くようにします。"
    )
    head = ["取組", "R6年度", "R7年度", "R8年度", "R9年度", "担当課", "分類（注）"]
    table = doc.add_table(rows=1 + len(TITLES), cols=len(head))
    table.style = "Table Grid"
    for c, text in enumerate(head):
        table.cell(0, c).text = text
    for r, title in enumerate(TITLES, start=1):
        values = [title, "→ 検討", "→ 実施", "", "", DEPTS[r % 3], "A"]
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    doc.add_paragraph("以上の取組は、毎年度の進捗を確認し、必要に応じて見直します。")
    doc.save(str(path))
    return path


@pytest.fixture(scope="module")
def office_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("office")
    docx = _docx(out / "sakura.docx")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(docx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out / "sakura.pdf"


def test_table_over_pages_is_one_table_with_whole_rows(office_pdf: Path) -> None:
    r = read_pdf(office_pdf)
    assert r.pages and r.pages >= 2
    tables = [b for b in r.blocks if b.kind == BlockKind.TABLE]
    assert len(tables) == 1  # the part on the next page continues the first
    grid = tables[0].table.texts()  # type: ignore[union-attr]
    assert grid[0][0] == "取組" and grid[0][-1] == "分類（注）"
    # each row whole: a row broken across the page joins its first part, brackets stay in their cell
    assert [row[0] for row in grid[1:]] == TITLES
    assert all(row[-1] == "A" for row in grid[1:])
    # (a department wrapped in its cell may keep a space PDFium puts at the wrap: compared without spaces)
    assert [row[5].replace(" ", "") for row in grid[1:]] == [DEPTS[i % 3] for i in range(1, len(TITLES) + 1)]


def test_word_bullets_and_body_size(office_pdf: Path) -> None:
    blocks = read_pdf(office_pdf).blocks
    items = [(b.marker, b.text) for b in blocks if b.kind == BlockKind.LIST_ITEM]
    assert items == [("①", "行かない窓口の実現"), ("②", "情報の届く防災")]  # Symbol-font bullet U+F0B7
    headings = [(b.marker, b.text) for b in blocks if b.kind == BlockKind.HEADING]
    assert headings == [("第2章", "施策の展開"), ("（1）", "窓口と防災の取組")]
    paragraphs = [b.text for b in blocks if b.kind == BlockKind.PARAGRAPH]
    assert paragraphs[0].startswith("本町では、") and paragraphs[0].endswith("確実に届くようにします。")
    assert paragraphs[-1] == "以上の取組は、毎年度の進捗を確認し、必要に応じて見直します。"
    assert not any("さくら町デジタル推進計画" == b.text for b in blocks)  # running header dropped
