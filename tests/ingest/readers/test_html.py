"""HTML reader on the fictional plan page, in UTF-8 and Shift_JIS."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers import read_document
from keikaku.ingest.readers.html import decode_html, read_html
from tests.ingest.doc_fixtures import FOOTNOTE, PURPOSE, TITLE, plan_html


@pytest.mark.parametrize("name", ["plan_utf8.html", "plan_sjis.html"])
def test_plan_page(docs: Path, name: str) -> None:
    r = read_document(docs / name)
    assert r.format == "html"
    heads = [(b.level, b.marker, b.text) for b in r.blocks if b.kind == BlockKind.HEADING]
    assert heads[:5] == [(1, None, TITLE), (2, "第1章", "計画の概要"), (3, "(1)", "計画の目的"),
                         (3, "(2)", "計画の期間"), (2, "第2章", "施策の展開")]  # fmt: skip
    assert (None, "①", "オンライン申請の拡充") in heads
    texts = [b.text for b in r.blocks]
    # source lines wrapped inside a Japanese paragraph join without spaces
    assert PURPOSE in texts
    # navigation, page header/footer, scripts and styles are gone
    joined = "\n".join(texts)
    for noise in ("公式ホームページ", "トップ", "Copyright", "tracker", "font-family"):
        assert noise not in joined
    items = [b.text for b in r.blocks if b.kind == BlockKind.LIST_ITEM]
    assert items == ["証明書のコンビニ交付を拡大する", "窓口での本人確認を簡素化する"]
    (table,) = [b.table for b in r.blocks if b.kind == BlockKind.TABLE]
    assert table is not None and table.caption == "スケジュール表"
    assert [(c.text, c.rowspan, c.colspan) for c in table.rows[0]] == [
        ("施策", 2, 1),
        ("担当課", 2, 1),
        ("年度", 1, 3),
    ]
    grid = table.texts()
    assert grid[1] == ["施策", "担当課", "2024", "2025", "2026"]
    assert grid[3] == [
        "マイナンバーカードを活用した証明書のコンビニ交付",
        "情報政策課",
        "準備",
        "導入",
        "運用",
    ]
    assert table.grid()[3][1].is_span_copy and table.grid()[2][4].is_span_copy
    note = next(b for b in r.blocks if b.kind == BlockKind.FOOTNOTE)
    assert note.marker == "※1" and FOOTNOTE.endswith(note.text)
    # <dl>: each short term and its description become one label line, as a text plan writes it
    dl = [(b.style, b.text) for b in r.blocks if b.style in ("dl", "dt", "dd")]
    assert dl == [("dl", "目的：手続の負担を減らす"), ("dl", "担当：情報政策課")]
    assert [b.loc.index for b in r.blocks] == list(range(len(r.blocks)))


def test_encodings() -> None:
    page = plan_html("shift_jis")
    assert decode_html(page.encode("cp932"))[1] == "cp932"
    # cp932 characters beyond JIS X 0208 (①, ㈱, ～) survive
    assert "①" in decode_html(page.encode("cp932"))[0]
    # undeclared Shift_JIS falls back to cp932; a BOM wins over a wrong declaration
    bare = "<p>みどり市の計画</p>".encode("cp932")
    assert decode_html(bare) == ("<p>みどり市の計画</p>", "cp932")
    bom = b"\xef\xbb\xbf" + '<meta charset="shift_jis"><p>さくら町</p>'.encode()
    assert "さくら町" in decode_html(bom)[0]
    # a declaration that lies is overridden by a strict decode that works
    lying = '<meta charset="utf-8"><p>あおば村</p>'.encode("cp932")
    assert "あおば村" in decode_html(lying)[0]


def test_lists_breaks_and_nesting() -> None:
    html = """<html><body><div class="main">
      <ol start="3"><li>窓口の改善<ul><li>書かない窓口</li></ul></li><li>(ア) 庁内の改革</li></ol>
      <ol type="i"><li>第一</li></ol>
      <p>(1) 目的<br>住民の利便性を
      高めます。<br>・電子申請</p>
      <div>直接書かれた文<span>の続き</span></div>
      <table><tr><td>A</td><td rowspan="x">B</td></tr><tr><td colspan="2">C<br>D</td></tr></table>
    </div></body></html>"""
    r = read_html(html)
    got = [(b.kind.value, b.marker, b.text) for b in r.blocks if b.kind != BlockKind.TABLE]
    assert got == [
        ("list_item", "3.", "窓口の改善"),
        ("list_item", None, "書かない窓口"),
        ("list_item", "(ア)", "庁内の改革"),
        ("list_item", "i.", "第一"),
        ("heading", "(1)", "目的"),
        ("paragraph", None, "住民の利便性を高めます。"),
        ("list_item", "・", "電子申請"),
        ("paragraph", None, "直接書かれた文の続き"),
    ]
    table = r.blocks[-1].table
    assert table is not None and table.texts() == [["A", "B"], ["C\nD", "C\nD"]]
