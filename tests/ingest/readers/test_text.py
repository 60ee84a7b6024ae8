"""The .txt / .md reader: headings with markers, paragraphs, lists, tables (pipe, tab, HTML), footnotes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from keikaku.ingest.blocks import BlockKind, ReaderError
from keikaku.ingest.readers.text import decode, read_text

DOC = """\
# さくら町情報化計画

令和5年3月

## 1 計画の背景

本町では人口が減っており、
行政手続を見直す必要がある。

(1) 手続のオンライン化

① 申請の電子化

ア) 窓口の見直し

Ⅱ. 基本方針

(i) 安全な暮らし

2-③ 図書館の予約システム【重点取組】

- ① 防災メールの拡充
- ・高齢者向け講座
  - 入れ子の項目

・中黒で始まる項目

| 施策 | 担当課 |
|---|---|
| 電子申請の拡充 | 企画課 |

\tR5年度\tR6年度\t担当部署
ア) 公開データの拡充\t→ 運用\t\t企画課
----\t----

<table><tr><th rowspan="2">施策</th><th colspan="2">年度</th></tr><tr><td>2023</td><td>2024</td></tr>
<tr><td>住民ポータル</td><td colspan="2">構築</td></tr></table>

※3 オープンデータ

誰もが使えるように公開されたデータのこと。

¹ 別途定める要綱による。

Line one with English words
continues here.
"""


def _kinds(result):
    return [(b.kind.value, b.marker, b.text) for b in result.blocks]


def test_headings_keep_their_markers_and_levels() -> None:
    r = read_text(DOC.encode(), "plan.md")
    heads = [(b.level, b.marker, b.text) for b in r.blocks if b.kind == BlockKind.HEADING]
    assert heads[0] == (1, None, "さくら町情報化計画")
    assert (2, "1", "計画の背景") in heads
    assert (None, "(1)", "手続のオンライン化") in heads
    assert (None, "①", "申請の電子化") in heads
    assert (None, "ア)", "窓口の見直し") in heads
    assert (None, "Ⅱ.", "基本方針") in heads
    assert (None, "(i)", "安全な暮らし") in heads
    assert (None, "2-③", "図書館の予約システム【重点取組】") in heads
    assert r.format == "md"


def test_paragraph_lines_are_joined_with_line_spans() -> None:
    r = read_text(DOC.encode(), "plan.txt")
    para = next(b for b in r.blocks if b.text.startswith("本町では"))
    assert para.kind == BlockKind.PARAGRAPH
    assert para.text == "本町では人口が減っており、行政手続を見直す必要がある。"
    assert (para.loc.line_start, para.loc.line_end) == (7, 8)
    latin = next(b for b in r.blocks if b.text.startswith("Line one"))
    assert latin.text == "Line one with English words continues here."


def test_list_items_with_inner_markers_and_nesting() -> None:
    r = read_text(DOC.encode(), "plan.txt")
    items = [(b.level, b.marker, b.text) for b in r.blocks if b.kind == BlockKind.LIST_ITEM]
    assert (1, "①", "防災メールの拡充") in items
    assert (1, "・", "高齢者向け講座") in items
    assert (2, "-", "入れ子の項目") in items or (2, None, "入れ子の項目") in items
    assert any(t == "中黒で始まる項目" for _, _, t in items)


def test_pipe_table() -> None:
    r = read_text(DOC.encode(), "plan.md")
    t = next(b for b in r.blocks if b.kind == BlockKind.TABLE and "電子申請の拡充" in b.text)
    assert t.table.texts() == [["施策", "担当課"], ["電子申請の拡充", "企画課"]]


def test_tab_table_keeps_empty_cells_and_drops_rule_rows() -> None:
    r = read_text(DOC.encode(), "plan.txt")
    t = next(b for b in r.blocks if b.kind == BlockKind.TABLE and "公開データ" in b.text)
    assert t.table.texts() == [
        ["", "R5年度", "R6年度", "担当部署"],
        ["ア) 公開データの拡充", "→ 運用", "", "企画課"],
    ]


def test_html_table_spans() -> None:
    r = read_text(DOC.encode(), "plan.md")
    t = next(b for b in r.blocks if b.kind == BlockKind.TABLE and b.style == "html")
    rows = t.table.rows
    assert (rows[0][0].text, rows[0][0].rowspan) == ("施策", 2)
    assert (rows[0][1].text, rows[0][1].colspan) == ("年度", 2)
    grid = t.table.grid()
    assert [c.text for c in grid[2]] == ["住民ポータル", "構築", "構築"]
    assert grid[2][2].is_span_copy and not grid[2][1].is_span_copy


def test_footnotes_take_their_definition() -> None:
    r = read_text(DOC.encode(), "plan.txt")
    notes = [(b.marker, b.text) for b in r.blocks if b.kind == BlockKind.FOOTNOTE]
    assert ("※3", "オープンデータ\n誰もが使えるように公開されたデータのこと。") in notes
    assert ("¹", "別途定める要綱による。") in notes


def test_cp932_and_bom(tmp_path: Path) -> None:
    text = "みどり市DX推進計画\n\n1. 目的\n"
    p = tmp_path / "sjis.txt"
    p.write_bytes(text.encode("cp932"))
    r = read_text(p)
    assert r.blocks[0].text == "みどり市DX推進計画"
    assert decode("\ufeffあ".encode()) == "あ"


def test_html_cells_with_lists_become_lines() -> None:
    doc = "NO\t1\t施策\t窓口改革\n内容\t<p>窓口を見直す。</p>\nKPI\t<ul><li>・待ち時間</li><li>・件数</li></ul>\n"
    r = read_text(doc.encode(), "x.txt")
    rows = r.blocks[0].table.texts()
    assert rows[2][1] == "・待ち時間\n・件数"
    assert rows[1][1] == "窓口を見直す。"


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\x00\x01binary"])
def test_unreadable_input_is_a_reader_error(data: bytes) -> None:
    with pytest.raises(ReaderError):
        read_text(data, "bad.txt")


def test_long_numbered_sentence_is_a_paragraph() -> None:
    doc = "1 本町では、これまでに多くの取組を進めてきたが、なお課題が残っているため、引き続き検討する。\n"
    r = read_text(doc.encode(), "x.txt")
    assert r.blocks[0].kind == BlockKind.PARAGRAPH


def _parsed_text(fragment: str) -> str:
    """html_to_text the long way: through the HTML parser, whatever the fragment holds."""
    from keikaku.ingest.readers.text import _node_text, _parse_html

    tree = _parse_html(f"<div>{fragment}</div>")
    root = tree.body or tree.root
    assert root is not None
    return _node_text(root).strip()


_SIMPLE_PIECES = [
    *["a", "計画", "１", " ", "\t", "\u3000", "\u00a0", "\n", " \n ", "\u2028", "\x0b", "\x0c", ">", "-"],
    *["<br>", "<BR/>", "<br />", "<br  >", "<p>", "</p>", '<p style="text-align: right;">', "<P>"],
    *["<ul>", "</ul>", '<ul style="list-style-type: none">', "<ol>", "</ol>", "<li>", "</li>"],
    *["<div>", "</div>", "<b>", "</b>", "<u>", "</u>", "<span class='x'>", "</span>", "<sup>", "</sup>"],
    *["&lt;", "&gt;", "&amp;", "&nbsp;", "&#36617;", "&#x8F09;", "&#0;"],
]
_HOSTILE_PIECES = [
    *["<", "<br/ >", "</br>", "<p/>", '<p title="a>b">', "<KPI>", "<a href='#'>", "</a>"],
    *["<table>", "<td>", "<!--", "-->", "&amp", "&foo;", "&", "\r", "\x00"],
]


def _nested_fragment(rnd: random.Random, depth: int = 0) -> str:
    """Well-nested markup as a converter writes it: paragraphs, lists, emphasis, line breaks."""
    out = []
    for _ in range(rnd.randint(1, 4)):
        kind = rnd.choice(["text", "text", "br", "p", "ul", "b", "u", "span", "div"]) if depth < 3 else "text"
        if kind == "text":
            out.append(rnd.choice(_SIMPLE_PIECES[:14]) + rnd.choice(["計画", "a b", " ", "&amp;", "１"]))
        elif kind == "br":
            out.append(rnd.choice(["<br>", "<br/>", "<br />"]))
        elif kind == "ul":
            items = "".join(f"<li>{_nested_fragment(rnd, depth + 1)}</li>" for _ in range(rnd.randint(1, 3)))
            out.append(f"<ul>{items}</ul>")
        elif kind == "p":
            out.append(f"<p>{rnd.choice(['', ' ', '計画'])}<b>x </b> y</p>")
        else:
            out.append(f"<{kind}>{_nested_fragment(rnd, depth + 1)}</{kind}>")
    return "".join(out)


@pytest.mark.parametrize("seed", range(4))
def test_cells_with_simple_markup_read_as_the_parser_reads_them(seed: int) -> None:
    """A cell whose markup is simple (paragraphs, line breaks, lists, emphasis) skips the HTML parser:
    for every mix of those tags — well and badly nested, with blanks, entities and stray characters —
    the text is what the parser gives."""
    from keikaku.ingest.readers.fragment import simple_fragment_text
    from keikaku.ingest.readers.text import html_to_text

    rnd = random.Random(seed)
    fast = 0
    for k in range(3000):
        if k % 3 == 0:
            fragment = _nested_fragment(rnd)
        else:
            pieces = _SIMPLE_PIECES if k % 3 == 1 else _SIMPLE_PIECES + _HOSTILE_PIECES
            fragment = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 14)))
        if "<" not in fragment:
            continue
        assert html_to_text(fragment) == _parsed_text(fragment), repr(fragment)
        fast += simple_fragment_text(fragment) is not None
    assert fast > 1000  # the comparison covered the shortcut, not only the parser


def test_cells_written_as_paragraphs_and_lines() -> None:
    from keikaku.ingest.readers.fragment import simple_fragment_text
    from keikaku.ingest.readers.text import html_to_text

    assert html_to_text("目標<br>１００件<br/>（R8）") == "目標\n１００件\n（R8）"
    cell = '<p>オンライン化</p><p style="text-align: right;">（<u>情報政策課</u>）</p>'
    assert simple_fragment_text(cell) == "オンライン化\n（情報政策課）"
    assert simple_fragment_text("<p>a<ul><li>b</li></ul>c</p>") is None  # the list closes the paragraph


def test_lines_set_wholly_in_bold_are_headings_as_in_word_and_html() -> None:
    """``**(1) 図書館の電子予約**`` is what a Word or HTML plan writes as a bold paragraph: a heading with
    its marker, as the DOCX and HTML readers read it; a bold label, a bold sentence and a line with bold
    inside it stay text."""
    text = "\n\n".join(
        [
            "**(1) 図書館の電子予約**",
            "図書の予約をインターネットで受け付けます。",
            "__② 窓口のキャッシュレス化__",
            "**暮らしの手続**",
            "**担当：教育課**",
            "**予約は村のホームページから行います。**",
            "**担当課** 教育課",
            "**(2) 太字** と普通の文字",
        ]
    )
    blocks = read_text(text.encode("utf-8"), "a.md").blocks
    got = [(b.kind, b.marker, b.text) for b in blocks]
    assert got == [
        (BlockKind.HEADING, "(1)", "図書館の電子予約"),
        (BlockKind.PARAGRAPH, None, "図書の予約をインターネットで受け付けます。"),
        (BlockKind.HEADING, "②", "窓口のキャッシュレス化"),
        (BlockKind.HEADING, None, "暮らしの手続"),
        (BlockKind.PARAGRAPH, None, "**担当：教育課**"),
        (BlockKind.PARAGRAPH, None, "**予約は村のホームページから行います。**"),
        (BlockKind.PARAGRAPH, None, "**担当課** 教育課"),
        (BlockKind.PARAGRAPH, None, "**(2) 太字** と普通の文字"),
    ]
