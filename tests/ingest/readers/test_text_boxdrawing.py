"""Text reader: tables drawn with box-drawing characters or ASCII, and form feeds as page breaks."""

from __future__ import annotations

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers.text import read_text


def _tables(text: str) -> list:
    return [b for b in read_text(text.encode("utf-8")).blocks if b.kind == BlockKind.TABLE]


BOX = """\
取組一覧

┌──────┬──────────┐
│ 番号 │ 施策名   │
├──────┼──────────┤
│ 1    │ 電子申請 │
│      │ の拡充   │
├──────┼──────────┤
│ 2    │ オープン │
│      │ データ   │
└──────┴──────────┘

以上。
"""


def test_box_table_rows_split_at_separators_and_wrapped_cells_joined() -> None:
    blocks = read_text(BOX.encode("utf-8")).blocks
    kinds = [b.kind for b in blocks]
    assert kinds == [BlockKind.PARAGRAPH, BlockKind.TABLE, BlockKind.PARAGRAPH]
    table = blocks[1]
    assert table.table is not None
    assert table.table.texts() == [["番号", "施策名"], ["1", "電子申請の拡充"], ["2", "オープンデータ"]]
    assert (table.loc.line_start, table.loc.line_end) == (3, 11)
    assert table.style == "box"


def test_box_table_with_header_rule_only_reads_a_row_a_line() -> None:
    text = """\
┌────┬────┐
│項目│担当│
├────┼────┤
│申請│総務│
│窓口│市民│
│    │課  │
└────┴────┘
"""
    (table,) = _tables(text)
    assert table.table.texts() == [["項目", "担当"], ["申請", "総務"], ["窓口", "市民課"]]


def test_double_line_box_table() -> None:
    text = "╔══╦══╗\n║甲║乙║\n╠══╬══╣\n║丙║丁║\n╚══╩══╝\n"
    (table,) = _tables(text)
    assert table.table.texts() == [["甲", "乙"], ["丙", "丁"]]


def test_box_cell_spanning_columns() -> None:
    text = "┌────┬────┐\n│統合セル          │\n├────┼────┤\n│ x      │ y      │\n└────┴────┘\n"
    (table,) = _tables(text)
    assert [[c.colspan for c in row] for row in table.table.rows] == [[2], [1, 1]]
    assert table.table.texts() == [["統合セル", "統合セル"], ["x", "y"]]


def test_ascii_table() -> None:
    text = """\
+-----+-----+
| a   | b   |
+=====+=====+
| c   | d e |
|     | f   |
+-----+-----+
| g   | h   |
+-----+-----+
"""
    (table,) = _tables(text)
    assert table.table.texts() == [["a", "b"], ["c", "d e f"], ["g", "h"]]


def test_ascii_cell_spanning_columns() -> None:
    text = "+-----+-----+\n| merged    |\n+-----+-----+\n| a   | b   |\n+-----+-----+\n"
    (table,) = _tables(text)
    assert [[c.colspan for c in row] for row in table.table.rows] == [[2], [1, 1]]


def test_tree_and_lone_rule_are_not_tables() -> None:
    text = "推進体制\n├── 推進本部\n│   └── 部会\n──────────\n"
    blocks = read_text(text.encode("utf-8")).blocks
    assert all(b.kind != BlockKind.TABLE for b in blocks)
    assert any("推進本部" in b.text for b in blocks)


def test_markdown_pipe_table_unchanged() -> None:
    text = "| 番号 | 施策 |\n|---|---|\n| 1 | 電子申請 |\n"
    (table,) = _tables(text)
    assert table.style is None
    assert table.table.texts() == [["番号", "施策"], ["1", "電子申請"]]


def test_form_feed_counts_pages() -> None:
    text = "第1章 はじめに\n本文一。\n\f第2章 現状\n本文二。\n\f\n第3章 施策\n本文三。\n\f"
    result = read_text(text.encode("utf-8"))
    assert result.pages == 3
    pages = {b.text: b.loc.page for b in result.blocks}
    assert pages["本文一。"] == 1
    assert pages["本文二。"] == 2
    assert pages["本文三。"] == 3
    assert [b.loc.line_start for b in result.blocks if b.text == "本文三。"] == [7]


def test_no_form_feed_no_pages() -> None:
    result = read_text("本文。\n".encode())
    assert result.pages is None
    assert result.blocks[0].loc.page is None


def test_box_table_on_second_page() -> None:
    result = read_text(("前書き\n\f" + BOX).encode("utf-8"))
    (table,) = [b for b in result.blocks if b.kind == BlockKind.TABLE]
    assert table.loc.page == 2
    assert result.pages == 2
