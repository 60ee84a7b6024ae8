"""DOCX reader on generated documents: heading styles, Word numbering, merged cells, soft breaks."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers import read_document
from keikaku.ingest.readers.docx import format_number, read_docx
from tests.ingest.doc_fixtures import PURPOSE, TITLE, _add_numbering, _set_num


def test_plan_docx(docs: Path) -> None:
    r = read_document(docs / "plan.docx")
    assert r.format == "docx"
    got = [(b.kind.value, b.level, b.marker, b.text) for b in r.blocks if b.kind != BlockKind.TABLE]
    assert got == [
        ("heading", 1, None, TITLE),
        ("heading", 1, "第1章", "計画の概要"),
        ("heading", 2, "(1)", "計画の目的"),  # the marker comes from Word's numbering, not the text
        ("paragraph", None, None, PURPOSE),
        ("heading", 2, "(2)", "計画の期間"),
        ("paragraph", None, None, "本計画の期間は、令和6年度から令和10年度までの5年間とします。"),
        ("heading", 1, "第2章", "施策の展開"),
        ("heading", 2, "I.", "行政手続のオンライン化"),
        ("heading", None, "①", "オンライン申請の拡充"),  # numbered Normal paragraph, level 2 of the list
        (
            "paragraph",
            None,
            None,
            "子育てや介護の手続を中心に、オンラインで申請できる手続を令和8年度までに100件へ増やします。",
        ),
        ("heading", None, "②", "マイナンバーカードの活用"),
        ("list_item", 1, None, "証明書のコンビニ交付を拡大する"),
        ("list_item", 1, None, "窓口での本人確認を簡素化する"),
        ("heading", 2, "II.", "スケジュール"),
        ("footnote", None, "※1", "マイナンバーカードを利用した本人確認をいう。"),
    ]
    (tb,) = [b for b in r.blocks if b.kind == BlockKind.TABLE]
    assert tb.table is not None
    spans = [[(c.text, c.rowspan, c.colspan) for c in row] for row in tb.table.rows]
    assert spans == [
        [("施策", 2, 1), ("担当課", 2, 1), ("年度", 1, 3)],
        [("2024", 1, 1), ("2025", 1, 1), ("2026", 1, 1)],
        [("オンライン申請の拡充", 1, 1), ("情報政策課", 2, 1), ("検討", 1, 1), ("実施 →", 1, 2)],
        [
            ("マイナンバーカードを活用した証明書のコンビニ交付", 1, 1),
            ("準備", 1, 1),
            ("導入", 1, 1),
            ("運用", 1, 1),
        ],
    ]
    assert tb.table.texts()[3][1] == "情報政策課" and tb.table.grid()[3][1].is_span_copy
    # body order: the table sits between its heading and the note
    kinds = [b.kind for b in r.blocks]
    assert kinds.index(BlockKind.TABLE) == len(kinds) - 2
    assert [b.loc.index for b in r.blocks] == sorted(b.loc.index for b in r.blocks)


def test_numbering_counters_restart_and_own_markers(tmp_path: Path) -> None:
    d = docx.Document()
    num = _add_numbering(d)
    for text, lvl in [
        ("基本方針", 0),
        ("施策A", 1),
        ("細目", 2),
        ("細目二", 2),
        ("施策B", 1),
        ("次の方針", 0),
        ("施策C", 1),
    ]:
        _set_num(d.add_paragraph(text), num, lvl)
    _set_num(d.add_paragraph("ア 自分の番号がある行"), num, 2)  # the text's own marker wins
    p = d.add_paragraph("(3) 見出し行")
    p.add_run().add_break()
    p.add_run("・電子申請の拡大")
    p = d.add_paragraph("本文は改行のあとに続き、")
    p.add_run().add_break()
    p.add_run("さらに続きます。")
    d.save(str(tmp_path / "n.docx"))
    got = [(b.kind.value, b.marker, b.text) for b in read_docx(tmp_path / "n.docx").blocks]
    assert got == [
        ("heading", "(1)", "基本方針"),
        ("heading", "①", "施策A"),
        ("heading", "ア", "細目"),
        ("heading", "イ", "細目二"),
        ("heading", "②", "施策B"),
        ("heading", "(2)", "次の方針"),
        ("heading", "①", "施策C"),
        ("heading", "ア", "自分の番号がある行"),
        ("heading", "(3)", "見出し行"),  # soft line breaks: each marked line starts a block
        ("list_item", "・", "電子申請の拡大"),
        ("paragraph", None, "本文は改行のあとに続き、さらに続きます。"),
    ]


def test_long_numbered_sentence_is_a_paragraph_keeping_its_number(tmp_path: Path) -> None:
    d = docx.Document()
    num = _add_numbering(d)
    _set_num(d.add_paragraph("市民が行政手続をオンラインで完結できるよう、申請の様式を見直します。"), num, 1)
    d.save(str(tmp_path / "s.docx"))
    (b,) = read_docx(tmp_path / "s.docx").blocks
    assert (b.kind, b.marker) == (BlockKind.PARAGRAPH, None)
    assert b.text.startswith("① 市民が")


@pytest.mark.parametrize(
    ("n", "fmt", "want"),
    [(3, "decimalEnclosedCircle", "③"), (2, "aiueoFullWidth", "イ"), (2, "aiueo", "ｲ"), (4, "upperRoman", "IV"),
     (9, "lowerRoman", "ix"), (12, "japaneseCounting", "十二"), (3, "irohaFullWidth", "ハ"),
     (2, "decimalEnclosedParen", "⑵"), (27, "upperLetter", "AA"), (5, "decimalFullWidth", "５"), (7, "decimal", "7")],
)  # fmt: skip
def test_format_number(n: int, fmt: str, want: str) -> None:
    assert format_number(n, fmt) == want
