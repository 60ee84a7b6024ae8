"""PDF reader on reportlab-generated PDFs (Japanese CID font): text, tables, headers, pages."""

from __future__ import annotations

from pathlib import Path

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers import read_document, tidy_spaces
from keikaku.ingest.readers.pdf import read_pdf
from tests.ingest.doc_fixtures import FONT, PURPOSE, TITLE, _pdf_styles, benchmark_titles


def _stream(blocks: list) -> list[tuple[str, str | None, str]]:
    out = []
    for b in blocks:
        marker = None if b.kind == BlockKind.LIST_ITEM else b.marker  # "・" in text-made PDFs, style in DOCX
        out.append((b.kind.value, marker, b.text if b.kind != BlockKind.TABLE else b.table.texts()))
    return out


def test_same_blocks_as_docx_and_html(docs: Path) -> None:
    pdf = read_document(docs / "plan.pdf")
    assert pdf.format == "pdf" and pdf.pages == 3
    assert _stream(pdf.blocks) == _stream(read_document(docs / "plan.docx").blocks)
    html = [b for b in read_document(docs / "plan_utf8.html").blocks if b.style not in ("dl", "dt", "dd")]
    assert _stream(pdf.blocks) == _stream(html)


def test_headers_footers_page_numbers_dropped(docs: Path) -> None:
    r = read_pdf(docs / "plan.pdf")
    texts = [b.text for b in r.blocks]
    assert texts.count(TITLE) == 1  # the cover title stays, the running header on every page goes
    assert not any(t.strip("- ").isdigit() for t in texts)
    assert any("running header" in w for w in r.warnings)


def test_headings_levels_pages_and_boxes(docs: Path) -> None:
    r = read_pdf(docs / "plan.pdf")
    heads = [(b.level, b.marker, b.text, b.loc.page) for b in r.blocks if b.kind == BlockKind.HEADING]
    assert heads[:4] == [(1, None, TITLE, 1), (2, "第1章", "計画の概要", 2), (3, "(1)", "計画の目的", 2),
                         (3, "(2)", "計画の期間", 2)]  # fmt: skip
    assert (None, "①", "オンライン申請の拡充", 3) in heads  # body-size line with a marker
    para = next(b for b in r.blocks if b.text == PURPOSE)  # three wrapped lines joined, no spaces
    x0, top, x1, bottom = para.loc.bbox
    assert para.loc.page == 2 and 50 < x0 < x1 < 560 and 0 < top < bottom < 842 and bottom - top > 30


def test_ruled_table_with_merged_cells(docs: Path) -> None:
    r = read_pdf(docs / "plan.pdf")
    (tb,) = [b for b in r.blocks if b.kind == BlockKind.TABLE]
    assert tb.loc.page == 3 and tb.loc.bbox is not None
    spans = [[(c.text, c.rowspan, c.colspan) for c in row] for row in tb.table.rows]
    assert spans == [
        [("施策", 2, 1), ("担当課", 2, 1), ("年度", 1, 3)],
        [("2024", 1, 1), ("2025", 1, 1), ("2026", 1, 1)],
        [("オンライン申請の拡充", 1, 1), ("情報政策課", 2, 1), ("検討", 1, 1), ("実施 →", 1, 2)],
        # the cell wraps over two lines in the PDF; joined without a space
        [
            ("マイナンバーカードを活用した証明書のコンビニ交付", 1, 1),
            ("準備", 1, 1),
            ("導入", 1, 1),
            ("運用", 1, 1),
        ],
    ]
    # text inside the table does not leak into paragraphs
    assert not any(b.kind == BlockKind.PARAGRAPH and "担当課" in b.text for b in r.blocks)


def test_multi_page_document_one_table_per_page(docs: Path) -> None:
    r = read_pdf(docs / "plan6.pdf")
    assert r.pages == 6
    tables = [b for b in r.blocks if b.kind == BlockKind.TABLE]
    assert [t.loc.page for t in tables] == [3, 4, 5, 6]
    assert [t.table.texts()[2][0] for t in tables] == ["オンライン申請の拡充"] + [
        benchmark_titles(n)[0] for n in (1, 2, 3)
    ]
    assert [t.table.texts()[3][0] for t in tables[1:]] == [benchmark_titles(n)[1] for n in (1, 2, 3)]
    assert [b.marker for b in r.blocks if b.text.endswith("分野のデジタル化")] == ["(1)", "(2)", "(3)"]
    assert sum(b.text == TITLE for b in r.blocks) == 1


def test_spaced_digits_and_paragraph_over_page_break(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    _pdf_styles()  # registers the CID font
    path = tmp_path / "c.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    body = "みどり市では窓口の待ち時間を短くするため予約の仕組みを整え、住民の負担を減らす取組を"
    for page in (1, 2):
        c.setFont(FONT, 10)
        y = 760
        if page == 1:
            # digits drawn as separate words, as many generators (and pdfplumber) space them
            c.drawString(60, y, "目標 100 件を令和 8 年度までに達成します。")
            y -= 30
            for _ in range(3):
                c.drawString(60, y, body)
                y -= 15
        else:
            c.drawString(60, y, "続けます。")
            c.drawString(60, y - 30, "次の段落です。")
        c.drawCentredString(297, 30, f"{page}/2")
        c.showPage()
    c.save()
    r = read_pdf(path)
    texts = [b.text for b in r.blocks]
    assert texts[0] == "目標100件を令和8年度までに達成します。"
    assert texts[1] == body * 3 + "続けます。" and r.blocks[1].loc.page == 1
    assert texts[2:] == ["次の段落です。"]


def test_tidy_spaces() -> None:
    assert tidy_spaces("令和 6 年度 に 40 件") == "令和6年度 に40件"
    assert tidy_spaces("※1 注記") == "※1 注記"
    assert tidy_spaces("ISO 27001 certified") == "ISO 27001 certified"
