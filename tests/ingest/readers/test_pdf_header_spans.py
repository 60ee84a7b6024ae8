"""Ruled PDF tables with a two-row header (reportlab, fictional content): the PDF reader gives the same
Table as the HTML reader — cells placed by the ruling lines, spans kept, the header repeated after a
page break dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keikaku.ingest.blocks import BlockKind, Cell, Table
from keikaku.ingest.readers import read_document
from keikaku.ingest.readers.pdf_cells import place_cells

IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
YEARS = ["2025年度", "2026年度", "2027年度", "2028年度"]
ARTICLES = ["第10条", "第11条", "第13条"]


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics

    if IPAEX.exists():
        from reportlab.pdfbase.ttfonts import TTFont

        if "IPAexGothicT" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("IPAexGothicT", str(IPAEX)))
        return "IPAexGothicT"
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "HeiseiKakuGo-W5" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    return "HeiseiKakuGo-W5"


def _header() -> tuple[list[list[str]], list[tuple[Any, ...]]]:
    """No. / 取組名 / 担当課 over both rows; 工程 over the years, 関連条項 over the articles."""
    n = 3 + len(YEARS) + len(ARTICLES)
    row1 = (
        ["No.", "取組名", "担当課", "工程"]
        + [""] * (len(YEARS) - 1)
        + ["関連条項"]
        + [""] * (len(ARTICLES) - 1)
    )
    row2 = [""] * 3 + YEARS + ARTICLES
    assert len(row1) == len(row2) == n
    spans = [("SPAN", (c, 0), (c, 1)) for c in range(3)]
    spans += [("SPAN", (3, 0), (2 + len(YEARS), 0)), ("SPAN", (3 + len(YEARS), 0), (n - 1, 0))]
    return [row1, row2], spans


def _measure(i: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A measure row: the schedule merged over the first two years; a mark under one article."""
    row = [f"({i})", f"架空の取組その{i}", "みどり推進課", "検討", "", "実施", "拡充"]
    row += ["●" if k == i % len(ARTICLES) else "" for k in range(len(ARTICLES))]
    return row, [("SPAN", (3, 0), (4, 0))]


def _write(path: Path, n_rows: int) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as RLTable

    font = _font()
    cell = ParagraphStyle("c", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    head, styles = _header()
    data = [[Paragraph(t, cell) if t else "" for t in r] for r in head]
    for i in range(1, n_rows + 1):
        row, spans = _measure(i)
        r = len(data)
        styles += [(s, (a[0], a[1] + r), (b[0], b[1] + r)) for s, a, b in spans]
        data.append([Paragraph(t, cell) if t else "" for t in row])
    styles += [("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
               ("VALIGN", (0, 0), (-1, -1), "TOP")]  # fmt: skip
    widths = [40, 150, 90] + [52] * len(YEARS) + [26] * len(ARTICLES)  # 第13条 wraps in its narrow column
    story = [
        Paragraph("架空町の施策一覧", body),
        RLTable(data, colWidths=widths, style=TableStyle(styles), repeatRows=2),
    ]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)


def _html(path: Path, n_rows: int) -> None:
    head = (
        '<tr><th rowspan="2">No.</th><th rowspan="2">取組名</th><th rowspan="2">担当課</th>'
        f'<th colspan="{len(YEARS)}">工程</th><th colspan="{len(ARTICLES)}">関連条項</th></tr>'
        "<tr>" + "".join(f"<th>{t}</th>" for t in YEARS + ARTICLES) + "</tr>"
    )
    body = ""
    for i in range(1, n_rows + 1):
        row, _ = _measure(i)
        body += "<tr>" + "".join(f"<td>{t}</td>" for t in row[:3]) + '<td colspan="2">検討</td>'
        body += "".join(f"<td>{t}</td>" for t in row[5:]) + "</tr>"
    path.write_text(
        f"<html><body><p>架空町の施策一覧</p><table>{head}{body}</table></body></html>", encoding="utf-8"
    )


def _tables(path: Path) -> list[Table]:
    return [b.table for b in read_document(path).blocks if b.kind == BlockKind.TABLE and b.table]


def _spans(table: Table) -> list[list[tuple[str, int, int]]]:
    return [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.rows]


def _expected_rows(n_rows: int) -> list[list[tuple[str, int, int]]]:
    rows = [
        [
            ("No.", 2, 1),
            ("取組名", 2, 1),
            ("担当課", 2, 1),
            ("工程", 1, len(YEARS)),
            ("関連条項", 1, len(ARTICLES)),
        ],
        [(t, 1, 1) for t in YEARS + ARTICLES],
    ]
    for i in range(1, n_rows + 1):
        row, _ = _measure(i)
        rows.append([(t, 1, 1) for t in row[:3]] + [("検討", 1, 2)] + [(t, 1, 1) for t in row[5:]])
    return rows


@pytest.mark.parametrize("n_rows", [4])
def test_two_row_header_on_one_page(tmp_path: Path, n_rows: int) -> None:
    _write(tmp_path / "t.pdf", n_rows)
    _html(tmp_path / "t.html", n_rows)
    (pdf,) = _tables(tmp_path / "t.pdf")
    (html,) = _tables(tmp_path / "t.html")
    assert _spans(pdf) == _expected_rows(n_rows) == _spans(html)
    grid = pdf.texts()
    assert grid[0][:5] == ["No.", "取組名", "担当課", "工程", "工程"]
    assert grid[1][:5] == ["No.", "取組名", "担当課", "2025年度", "2026年度"]  # the years under 工程
    assert grid[1][-3:] == ARTICLES and grid[2][3:5] == ["検討", "検討"]
    assert pdf.texts() == html.texts()


def test_header_repeated_after_page_break_dropped(tmp_path: Path) -> None:
    n_rows = 40  # three pages of landscape A4
    _write(tmp_path / "long.pdf", n_rows)
    _html(tmp_path / "long.html", n_rows)
    doc = read_document(tmp_path / "long.pdf")
    assert (doc.pages or 0) >= 2
    (pdf,) = _tables(tmp_path / "long.pdf")  # one table, continued over the page breaks
    (html,) = _tables(tmp_path / "long.html")
    assert _spans(pdf) == _expected_rows(n_rows) == _spans(html)
    assert sum(row[0] == "No." for row in pdf.texts()) == 2  # the header's two rows, once


def test_cells_placed_by_their_columns() -> None:
    # a row missing its second cell (no rule drawn there): the third still lands in column 2
    rows = place_cells([(0, 0, Cell("a")), (0, 2, Cell("c")), (1, 0, Cell("d")), (1, 1, Cell("e"))], 2, 3)
    assert [[c.text for c in r] for r in rows] == [["a", "", "c"], ["d", "e"]]
    assert Table(rows=rows).texts() == [["a", "", "c"], ["d", "e", ""]]
    # a short row under a merged cell: its cells go under the span, not to the left edge
    rows = place_cells(
        [
            (0, 0, Cell("No.", rowspan=2)),
            (0, 1, Cell("工程", colspan=2)),
            (1, 1, Cell("R7")),
            (1, 2, Cell("R8")),
        ],
        2,
        3,
    )
    assert Table(rows=rows).texts() == [["No.", "工程", "工程"], ["No.", "R7", "R8"]]
    # a band of squares where no cell starts (every square spanned from above) is folded away
    rows = place_cells([(0, 0, Cell("x", rowspan=3)), (0, 1, Cell("y", rowspan=2)), (2, 1, Cell("z"))], 3, 2)
    assert _spans(Table(rows=rows)) == [[("x", 2, 1), ("y", 1, 1)], [("z", 1, 1)]]


def test_hanging_character_stays_in_its_cell(tmp_path: Path) -> None:
    """禁則: "ー" or a small "ッ" may not open a line, so it hangs past a full line's end — over the
    cell's right rule (2 pt padding) with its ink in the next cell; it belongs to the cell of its origin."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as RLTable

    font = _font()
    cell = ParagraphStyle("c", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    texts = ["あいうえおかきくけカード", "さしすせそたちつてとッ"]  # ten characters fill a line
    data: list[list[Any]] = [["番号", "内容", "担当"]]
    data += [[str(i), Paragraph(t, cell), Paragraph("みどり推進課", cell)] for i, t in enumerate(texts, 1)]
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)])  # fmt: skip
    table = RLTable(data, colWidths=[40, 10 * 8.5 + 4.5, 80], style=style)
    SimpleDocTemplate(str(tmp_path / "hang.pdf"), pagesize=A4).build([table])
    (pdf,) = _tables(tmp_path / "hang.pdf")
    assert pdf.texts() == [
        ["番号", "内容", "担当"],
        ["1", texts[0], "みどり推進課"],
        ["2", texts[1], "みどり推進課"],
    ]
