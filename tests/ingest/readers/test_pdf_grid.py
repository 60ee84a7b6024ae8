"""Unruled tables in PDFs (readers/pdf_grid.py): columns of text separated by blank gaps become a
table; prose, tables of contents and pages set in text columns stay paragraphs. Fictional content."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers.pdf import read_pdf
from tests.ingest.doc_fixtures import FONT, _pdf_styles

PROSE = "さくら町では住民の暮らしを便利にするため、行政手続のオンライン化と窓口の見直しを進めます。"


def _canvas(path: Path) -> object:
    from reportlab.pdfgen import canvas

    _pdf_styles()  # registers the CID font
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(FONT, 10)
    return c


def _kinds(path: Path) -> list[BlockKind]:
    return [b.kind for b in read_pdf(path).blocks]


def test_unruled_table_becomes_table(tmp_path: Path) -> None:
    path = tmp_path / "grid.pdf"
    c = _canvas(path)
    c.drawString(60, 780, "施策の一覧")  # type: ignore[attr-defined]
    cols = (60, 220, 320, 470)
    rows = [
        [["施策名"], ["担当課"], ["指標"], ["目標値"]],
        [["窓口予約の", "オンライン化"], ["市民課"], ["予約件数"], ["500件"]],
        [["公共施設の", "Wi-Fi整備"], ["管財課"], ["整備施設数"], ["20施設"]],
        [["電子申請の拡大"], ["情報政策課"], ["電子申請の", "対象手続数"], ["120手続"]],
    ]
    y = 750.0
    for row in rows:
        depth = max(len(cell) for cell in row)
        for x, cell in zip(cols, row, strict=True):
            for k, line in enumerate(cell):
                c.drawString(x, y - 13 * k, line)  # type: ignore[attr-defined]
        y -= 13 * depth + 12
    c.drawString(60, y - 20, PROSE)  # type: ignore[attr-defined]
    c.save()  # type: ignore[attr-defined]
    blocks = read_pdf(path).blocks
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH, BlockKind.TABLE, BlockKind.PARAGRAPH]
    table = blocks[1]
    assert table.table is not None
    assert [[cell.text for cell in r] for r in table.table.rows] == [
        ["施策名", "担当課", "指標", "目標値"],
        ["窓口予約のオンライン化", "市民課", "予約件数", "500件"],
        ["公共施設のWi-Fi整備", "管財課", "整備施設数", "20施設"],
        ["電子申請の拡大", "情報政策課", "電子申請の対象手続数", "120手続"],
    ]
    assert table.loc is not None and table.loc.page == 1
    assert table.loc.bbox is not None and table.loc.bbox[0] == pytest.approx(60, abs=1)
    assert blocks[2].text == PROSE


def test_prose_with_wide_blanks_stays_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "prose.pdf"
    c = _canvas(path)
    y = 780
    for text in (
        "令和6年3月　　　　　さくら町",
        "第1章　　　　計画の概要",
        "担当　　　企画課　　　電話　　　内線12",
    ):
        c.drawString(60, y, text)  # type: ignore[attr-defined]
        y -= 30
    for _ in range(6):
        c.drawString(60, y, PROSE)  # type: ignore[attr-defined]
        y -= 15
    c.save()  # type: ignore[attr-defined]
    assert BlockKind.TABLE not in _kinds(path)


@pytest.mark.parametrize("leaders", [True, False])
def test_table_of_contents_is_no_table(tmp_path: Path, leaders: bool) -> None:
    path = tmp_path / "toc.pdf"
    c = _canvas(path)
    c.drawString(60, 780, "目次")  # type: ignore[attr-defined]
    entries = [("第1章", "計画の策定にあたって", 1), ("第2章", "さくら町の現状と課題", 4),
               ("第3章", "基本方針", 9), ("第4章", "具体的な施策", 12), ("第5章", "計画の推進体制", 20)]  # fmt: skip
    y = 750
    for chapter, title, page in entries:
        c.drawString(60, y, chapter)  # type: ignore[attr-defined]
        c.drawString(130, y, title)  # type: ignore[attr-defined]
        if leaders:
            c.drawString(260, y, "・" * 24)  # type: ignore[attr-defined]
        c.drawRightString(520, y, str(page))  # type: ignore[attr-defined]
        y -= 20
    c.save()  # type: ignore[attr-defined]
    assert BlockKind.TABLE not in _kinds(path)


@pytest.mark.parametrize("n_columns", [2, 3])
def test_page_in_text_columns_is_no_table(tmp_path: Path, n_columns: int) -> None:
    path = tmp_path / "columns.pdf"
    c = _canvas(path)
    width = 480 / n_columns
    per_line = int((width - 16) // 10)
    text = "あおば村の広報です。" + PROSE * 4
    lines = [text[i : i + per_line] for i in range(0, len(text), per_line)][:30]
    for k in range(n_columns):
        y = 780
        for line in lines:
            c.drawString(60 + k * width, y, line)  # type: ignore[attr-defined]
            y -= 14
    c.save()  # type: ignore[attr-defined]
    assert BlockKind.TABLE not in _kinds(path)


def test_libreoffice_toc_with_leader_tabs_is_no_table(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    import docx
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm

    document = docx.Document()
    document.add_paragraph("あおば村情報化計画", style="Title")
    document.add_paragraph("目次")
    for chapter, title, page in [("第1章", "計画の趣旨", 1), ("第2章", "村の現状", 3),
                                 ("第3章", "取組の方向", 7), ("第4章", "推進体制", 11)]:  # fmt: skip
        p = document.add_paragraph(f"{chapter}\t{title}\t{page}")
        p.paragraph_format.tab_stops.add_tab_stop(Cm(3))
        p.paragraph_format.tab_stops.add_tab_stop(Cm(15), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    document.add_paragraph(PROSE)
    src = tmp_path / "toc.docx"
    document.save(str(src))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    blocks = read_pdf(tmp_path / "toc.pdf").blocks
    assert BlockKind.TABLE not in [b.kind for b in blocks]
    assert any("計画の趣旨" in b.text for b in blocks)
