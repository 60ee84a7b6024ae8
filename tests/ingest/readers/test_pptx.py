"""PPTX reader: decks generated with python-pptx (fictional みどり市 plan content), read back as blocks."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from keikaku.core.plan import Plan
from keikaku.ingest import import_document
from keikaku.ingest.blocks import Block, BlockKind, ReaderError
from keikaku.ingest.readers import detect_format, read_document
from keikaku.ingest.readers.pptx import MAX_GROUP_DEPTH, auto_number, read_pptx, reading_order

TITLE_ONLY, TITLE_AND_CONTENT, TITLE_SLIDE = 5, 1, 0

MEASURES = [
    ("オンライン申請の拡充", "デジタル推進課", ("拡充", "→", "→")),
    ("オープンデータの公開", "情報政策課", ("準備", "公開", "→")),
    ("マイナンバーカードの活用", "市民課", ("検討", "実施", "→")),
]


def _numbered(paragraph: Any, scheme: str = "arabicPeriod") -> None:
    bu = etree.SubElement(paragraph._p.get_or_add_pPr(), qn("a:buAutoNum"))
    bu.set("type", scheme)


def _schedule_table(slide: Any, top: float = 1.5) -> None:
    """施策名 | 担当課 merged down over two header rows; 実施スケジュール merged over R7 | R8 | R9."""
    table = slide.shapes.add_table(2 + len(MEASURES), 5, Inches(0.5), Inches(top), Inches(9), Inches(3)).table
    head = [["施策名", "担当課", "実施スケジュール", "", ""], ["", "", "R7", "R8", "R9"]]
    body = [[title, dept, *phases] for title, dept, phases in MEASURES]
    for r, row in enumerate(head + body):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 2).merge(table.cell(0, 4))
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))


def write_deck(path: Path) -> Path:
    prs = Presentation()
    cover = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE])
    cover.shapes.title.text = "みどり市デジタル推進計画"
    cover.placeholders[1].text = "令和7年度～令和9年度"

    measures = prs.slides.add_slide(prs.slide_layouts[TITLE_AND_CONTENT])
    measures.shapes.title.text = "1. 行政手続のオンライン化"
    frame = measures.placeholders[1].text_frame
    items = [
        ("オンライン申請の拡充", 0, "arabicParenBoth"),
        ("電子申請の対象手続を毎年見直す", 1, None),  # a plain bullet under item (1)
        ("キャッシュレス決済の導入", 0, "arabicParenBoth"),
        ("窓口の待ち時間を短くし、来庁しなくても手続できる範囲を広げることで、市民の負担を減らす。", 0, None),
    ]
    for i, (text, level, scheme) in enumerate(items):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.text = text
        p.level = level
        if scheme:
            _numbered(p, scheme)

    plan = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    plan.shapes.title.text = "アクションプラン"
    # added first but placed lower: the note must come after the table in reading order
    note = plan.shapes.add_textbox(Inches(0.5), Inches(5.2), Inches(6), Inches(0.5))
    note.text_frame.text = "※1 スケジュールは予定です"
    _schedule_table(plan)
    right = plan.shapes.add_textbox(Inches(6), Inches(0.9), Inches(3), Inches(0.4))
    right.text_frame.text = "右の補足"
    left = plan.shapes.add_textbox(Inches(0.5), Inches(1.0), Inches(3), Inches(0.4))
    left.text_frame.text = "左の補足"

    hidden = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    hidden.shapes.title.text = "非表示の検討メモ"
    hidden._element.set("show", "0")

    groups = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    groups.shapes.title.text = "推進体制"
    container: Any = groups.shapes
    for depth in range(MAX_GROUP_DEPTH + 2):
        group = container.add_group_shape()
        box = group.shapes.add_textbox(Inches(1), Inches(1 + depth * 0.5), Inches(4), Inches(0.4))
        box.text_frame.text = f"グループ{depth + 1}段目"
        container = group.shapes
    secret = groups.shapes.add_textbox(Inches(1), Inches(6), Inches(4), Inches(0.4))
    secret.text_frame.text = "非表示の図形"
    secret._element.nvSpPr.cNvPr.set("hidden", "1")
    prs.save(str(path))
    return path


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_deck(tmp_path_factory.mktemp("pptx") / "plan.pptx")


def _on(blocks: list[Block], page: int) -> list[Block]:
    return [b for b in blocks if b.loc.page == page]


def test_titles_numbered_list_and_bullets(deck: Path) -> None:
    result = read_document(deck)
    assert (result.format, result.pages) == ("pptx", 5)
    cover = [(b.kind, b.text, b.level) for b in _on(result.blocks, 1)]
    assert cover == [
        (BlockKind.HEADING, "みどり市デジタル推進計画", 1),
        (BlockKind.PARAGRAPH, "令和7年度～令和9年度", None),
    ]
    got = [(b.kind, b.marker, b.text, b.level) for b in _on(result.blocks, 2)]
    assert got == [
        (BlockKind.HEADING, "1.", "行政手続のオンライン化", 1),
        (BlockKind.HEADING, "(1)", "オンライン申請の拡充", None),
        (BlockKind.LIST_ITEM, None, "電子申請の対象手続を毎年見直す", 2),
        (BlockKind.HEADING, "(2)", "キャッシュレス決済の導入", None),
        (
            BlockKind.LIST_ITEM,
            None,
            "窓口の待ち時間を短くし、来庁しなくても手続できる範囲を広げることで、市民の負担を減らす。",
            1,
        ),
    ]


def test_table_spans_and_reading_order(deck: Path) -> None:
    blocks = _on(read_document(deck).blocks, 3)
    assert [(b.kind, b.text.split("\n")[0]) for b in blocks] == [
        (BlockKind.HEADING, "アクションプラン"),
        (BlockKind.PARAGRAPH, "左の補足"),  # tops 0.1 in apart: one row, read left to right
        (BlockKind.PARAGRAPH, "右の補足"),
        (BlockKind.TABLE, "施策名\t担当課\t実施スケジュール"),
        (BlockKind.FOOTNOTE, "スケジュールは予定です"),
    ]
    assert [b.loc.index for b in blocks] == [1, 2, 3, 4, 5]
    table = blocks[3].table
    assert table is not None
    assert [(c.text, c.rowspan, c.colspan) for c in table.rows[0]] == [
        ("施策名", 2, 1),
        ("担当課", 2, 1),
        ("実施スケジュール", 1, 3),
    ]
    assert [c.text for c in table.rows[1]] == ["R7", "R8", "R9"]
    assert table.texts()[2] == ["オンライン申請の拡充", "デジタル推進課", "拡充", "→", "→"]


def test_hidden_slides_shapes_and_deep_groups(deck: Path) -> None:
    result = read_document(deck)
    text = "\n".join(b.text for b in result.blocks)
    assert "非表示の検討メモ" not in text and "非表示の図形" not in text
    assert 4 not in {b.loc.page for b in result.blocks}
    groups = [b.text for b in _on(result.blocks, 5) if b.kind == BlockKind.PARAGRAPH]
    assert groups == [f"グループ{d}段目" for d in range(1, MAX_GROUP_DEPTH + 1)]
    assert any("nested deeper" in w for w in result.warnings)


def test_auto_numbers_and_reading_order_helpers() -> None:
    assert [auto_number(s, 3) for s in ("arabicPeriod", "arabicParenBoth", "arabicParenR")] == [
        "3.",
        "(3)",
        "3)",
    ]
    assert [auto_number(s, 4) for s in ("romanUcPeriod", "romanLcParenBoth", "alphaLcParenR")] == [
        "IV.",
        "(iv)",
        "d)",
    ]
    assert auto_number("circleNumDbPlain", 2) == "②"
    assert auto_number("arabicDbPeriod", 12) == "１２．"
    assert auto_number("ea1JpnChsDbPeriod", 11) == "十一．"

    class Box:
        def __init__(self, name: str, top: int, left: int) -> None:
            self.name, self.top, self.left = name, top, left

    boxes = [
        Box("下", 5_000_000, 0),
        Box("右上", 100_000, 4_000_000),
        Box("左上", 150_000, 0),
        Box("無位置", 0, 0),
    ]
    boxes[3].top = None  # type: ignore[assignment]
    assert [b.name for b in reading_order(boxes)] == ["無位置", "左上", "右上", "下"]


def test_unreadable_decks(tmp_path: Path, deck: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    (tmp_path / "locked.pptx").write_bytes(ole + b"\x00" * 512)
    for reader in (read_document, read_pptx):
        with pytest.raises(ReaderError) as exc:
            reader(tmp_path / "locked.pptx")
        assert exc.value.code == "encrypted"
    data = deck.read_bytes()
    (tmp_path / "truncated.pptx").write_bytes(data[: len(data) // 2])
    with zipfile.ZipFile(tmp_path / "garbled.pptx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/presentation.xml", "<p:presentation")
    with zipfile.ZipFile(deck) as src, zipfile.ZipFile(tmp_path / "dangling.pptx", "w") as dst:
        for item in src.namelist():  # found by scripts/fuzz_import.py: a slide id whose relationship is gone
            body = src.read(item)
            if item == "ppt/_rels/presentation.xml.rels":
                body = re.sub(rb'<Relationship Id="(rId\d+)"[^>]*slides/slide2\.xml"/>', b"", body)
            dst.writestr(item, body)
    for name in ("truncated.pptx", "garbled.pptx", "dangling.pptx"):
        with pytest.raises(ReaderError) as exc:
            read_document(tmp_path / name)
        assert exc.value.code == "corrupt", name
        assert " / " in str(exc.value)
    Presentation().save(str(tmp_path / "blank.pptx"))
    with pytest.raises(ReaderError) as exc:
        read_document(tmp_path / "blank.pptx")
    assert exc.value.code == "empty"
    with pytest.raises(ReaderError) as exc:
        read_pptx(deck, max_unpacked_bytes=len(data))  # a ZIP bomb guard (read_document: 20× the size limit)
    assert exc.value.code == "too_large"


def test_detected_by_content_without_extension(deck: Path, tmp_path: Path) -> None:
    bare = tmp_path / "plan"
    shutil.copy(deck, bare)
    assert detect_format(bare.read_bytes()[:4096], "", bare) == "pptx"
    assert read_document(bare).format == "pptx"
    assert detect_format(deck.read_bytes()[:4096], ".pptx") == "pptx"  # no path: the extension


def test_import_document_reads_the_schedule_table(tmp_path: Path) -> None:
    prs = Presentation()
    cover = prs.slides.add_slide(prs.slide_layouts[TITLE_SLIDE])
    cover.shapes.title.text = "みどり市デジタル推進計画"
    cover.placeholders[1].text = "計画期間 令和7年度～令和9年度"
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = "アクションプラン"
    _schedule_table(slide)
    prs.save(str(tmp_path / "deck.pptx"))
    plan = import_document(tmp_path / "deck.pptx")
    assert isinstance(plan, Plan)
    assert plan.title == "みどり市デジタル推進計画"
    assert [m.title for m in plan.measures] == [m[0] for m in MEASURES]
    assert plan.measures[1].departments == ["情報政策課"]
    assert {e.fiscal_year for e in plan.measures[0].schedule} == {2025, 2026, 2027}
    assert plan.measures[0].provenance is not None and plan.measures[0].provenance.page == 2
