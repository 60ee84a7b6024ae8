"""Headings set by direct formatting only (bold + size, no heading style / tag): DOCX and HTML."""

from __future__ import annotations

from pathlib import Path

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers.docx import read_docx
from keikaku.ingest.readers.html import read_html


def _heads(blocks: list) -> list[tuple[str, int | None]]:
    return [(b.text, b.level) for b in blocks if b.kind == BlockKind.HEADING]


def test_docx_bold_paragraphs_are_headings_leveled_by_size(tmp_path: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    for text, size in (("あおば村DX計画", 18), ("暮らしの手続", 14), ("図書館の電子予約", 11)):
        run = document.add_paragraph().add_run(text)
        run.bold, run.font.size = True, Pt(size)
    document.add_paragraph("図書の予約をインターネットで受け付けます。")
    bold_sentence = document.add_paragraph().add_run("予約は村のホームページから行います。")
    bold_sentence.bold = True
    label = document.add_paragraph().add_run("担当：教育課")
    label.bold = True
    document.save(str(tmp_path / "a.docx"))
    blocks = read_docx(tmp_path / "a.docx").blocks
    assert _heads(blocks) == [("あおば村DX計画", 1), ("暮らしの手続", 2), ("図書館の電子予約", 3)]
    assert [b.kind for b in blocks[-2:]] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]


def test_html_bold_paragraphs_are_headings_leveled_by_size() -> None:
    html = (
        '<p><b style="font-size: 18pt">あおば村DX計画</b></p>'
        '<p><span style="font-size: 14pt"><strong>暮らしの手続</strong></span></p>'
        "<p><b>図書館の電子予約</b>の受付を始めます</p>"
        '<p><b style="font-size: 11pt">図書館の電子予約</b></p>'
        "<p><b>担当：教育課</b></p>"
    )
    blocks = read_html(html).blocks
    assert _heads(blocks) == [("あおば村DX計画", 1), ("暮らしの手続", 2), ("図書館の電子予約", 3)]
    assert blocks[2].kind == BlockKind.PARAGRAPH and blocks[-1].kind == BlockKind.PARAGRAPH
