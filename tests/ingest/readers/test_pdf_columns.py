"""Pages set in two or three text columns (a 概要版 leaflet) are read column by column
(readers/pdf_columns.py); one-column pages and tables are left alone. Fictional content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keikaku.ingest import import_document
from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.readers.pdf import read_pdf

FONT_PATH = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
FONT = "IPAexGothic"
WIDTH, HEIGHT = 595.0, 842.0
MARGIN = 40.0
GUTTER = 24.0
MIN_LINES = 30  # the page must be filled down most of its height
TITLE = "さくら町デジタル推進計画（概要版）主な取組"

MEASURES = [
    ("電子申請の拡充", "行政手続を自宅から申請できるよう対象手続を広げます。", "情報政策課"),
    ("窓口予約の導入", "来庁の待ち時間を減らすため予約制の窓口を設けます。", "市民課"),
    ("公共施設の無線LAN", "公民館と図書館に無線LANを整備し利用者に開放します。", "管財課"),
    ("子育て相談の充実", "子育ての悩みをオンラインでも相談できる体制を整えます。", "子ども家庭課"),
    ("地域交通の見直し", "コミュニティバスの路線とダイヤを利用状況に合わせて改めます。", "交通政策課"),
    ("防災情報の配信", "避難情報を防災アプリとメールで速やかに届けます。", "危機管理課"),
    ("健康づくりの推進", "ウォーキング教室と健診の受診勧奨で健康寿命を延ばします。", "健康推進課"),
    ("ごみ減量の啓発", "分別の手引を配り資源ごみの回収拠点を増やします。", "環境課"),
    ("図書館の電子化", "電子書籍の貸出を始め蔵書の検索を便利にします。", "生涯学習課"),
]


def _font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))


def _wrap(text: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out, cur = [], ""
    for ch in text:
        if cur and stringWidth(cur + ch, FONT, size) > width:
            out.append(cur)
            cur = ""
        cur += ch
    return [*out, cur] if cur else out


def write_leaflet(path: Path, n_columns: int, measures: list[tuple[str, str, str]]) -> None:
    """A one-page leaflet: a title across the top, then the measures filled column by column. The
    lines are drawn row by row across the columns (as layout software often writes them), so that
    the text layer alone interleaves the columns."""
    from reportlab.pdfgen import canvas

    _font()
    ops: list[tuple[float, float, float, str]] = []  # y, x, size, text
    ops.append((HEIGHT - 60, MARGIN, 18, TITLE))
    col_w = (WIDTH - 2 * MARGIN - GUTTER * (n_columns - 1)) / n_columns
    per_col = -(-len(measures) // n_columns)
    for k in range(n_columns):
        x = MARGIN + k * (col_w + GUTTER)
        y = HEIGHT - 100.0
        for i in range(k * per_col, min((k + 1) * per_col, len(measures))):
            title, sentence, dept = measures[i]
            ops.append((y, x, 12, f"{i + 1} {title}"))
            y -= 18
            for line in _wrap(sentence * 4, 9, col_w):
                ops.append((y, x, 9, line))
                y -= 13
            ops.append((y, x, 9, f"担当：{dept}"))
            y -= 28
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    for y, x, size, text in sorted(ops, key=lambda op: (-op[0], op[1])):
        c.setFont(FONT, size)
        c.drawString(x, y, text)
    c.save()


def _expected(measures: list[tuple[str, str, str]]) -> list[tuple[BlockKind, str]]:
    out = [(BlockKind.HEADING, TITLE)]
    for i, (title, sentence, dept) in enumerate(measures):
        out += [
            (BlockKind.HEADING, f"{i + 1} {title}"),
            (BlockKind.PARAGRAPH, sentence * 4),
            (BlockKind.PARAGRAPH, f"担当：{dept}"),
        ]
    return out


@pytest.mark.parametrize("n_columns", [2, 3])
def test_leaflet_read_column_by_column(tmp_path: Path, n_columns: int) -> None:
    path = tmp_path / f"leaflet{n_columns}.pdf"
    write_leaflet(path, n_columns, MEASURES)
    blocks = read_pdf(path).blocks
    got = [(b.kind, f"{b.marker} {b.text}" if b.marker else b.text) for b in blocks]
    assert got == _expected(MEASURES)
    # each block keeps its own column's box
    lefts = sorted({round(b.loc.bbox[0]) for b in blocks[1:] if b.loc.bbox is not None})
    assert len(lefts) == n_columns


@pytest.mark.parametrize("n_columns", [2, 3])
def test_leaflet_measures_with_departments(tmp_path: Path, n_columns: int) -> None:
    path = tmp_path / f"leaflet{n_columns}.pdf"
    write_leaflet(path, n_columns, MEASURES)
    plan = import_document(path)
    measures = getattr(plan, "measures", None)
    assert measures is not None
    assert [(m.key, m.title, m.departments) for m in measures] == [
        (str(i + 1), title, [dept]) for i, (title, _s, dept) in enumerate(MEASURES)
    ]


def test_paragraph_runs_on_into_the_next_column(tmp_path: Path) -> None:
    """A paragraph cut at the foot of the left column goes on at the top of the right one."""
    from reportlab.pdfgen import canvas

    _font()
    col_w = (WIDTH - 2 * MARGIN - GUTTER) / 2
    text = "、".join(f"{title}として{sentence[:-1]}" for title, sentence, _d in MEASURES * 5) + "。"
    lines = _wrap(text, 9, col_w)
    half = len(lines) // 2
    assert half >= MIN_LINES
    ops = [(HEIGHT - 60, MARGIN, 18.0, TITLE), (HEIGHT - 100, MARGIN, 12.0, "1 電子申請の拡充")]
    for k, line in enumerate(lines):
        column, row = divmod(k, half) if k < 2 * half else (1, k - half)
        ops.append((HEIGHT - 118 - 13 * row, MARGIN + column * (col_w + GUTTER), 9.0, line))
    ops.append((HEIGHT - 118 - 13 * (len(lines) - half), MARGIN + col_w + GUTTER, 9.0, "担当：情報政策課"))
    path = tmp_path / "flow.pdf"
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    for y, x, size, line in sorted(ops, key=lambda op: (-op[0], op[1])):
        c.setFont(FONT, size)
        c.drawString(x, y, line)
    c.save()
    assert _read_lines(path) == [
        (BlockKind.HEADING, TITLE),
        (BlockKind.HEADING, "電子申請の拡充"),
        (BlockKind.PARAGRAPH, text),
        (BlockKind.PARAGRAPH, "担当：情報政策課"),
    ]


def _read_lines(path: Path) -> list[tuple[BlockKind, str]]:
    return [(b.kind, b.text) for b in read_pdf(path).blocks]


@pytest.fixture
def column_calls(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the column finder, when it ran on a page, found columns."""
    import keikaku.ingest.readers.pdf as pdf_module

    calls: list[bool] = []
    real = pdf_module.find_columns

    def spy(pieces: Any, page_height: float) -> Any:
        found = real(pieces, page_height)
        calls.append(found is not None)
        return found

    monkeypatch.setattr(pdf_module, "find_columns", spy)
    return calls


def test_one_column_page_unchanged(tmp_path: Path, column_calls: list[bool]) -> None:
    path = tmp_path / "one.pdf"
    write_leaflet(path, 1, MEASURES[:5])
    assert _read_lines(path) == [(k, t.split(" ", 1)[-1] if k == BlockKind.HEADING and t != TITLE else t)
                                 for k, t in _expected(MEASURES[:5])]  # fmt: skip
    assert column_calls == [False]


def test_side_note_is_no_column(tmp_path: Path, column_calls: list[bool]) -> None:
    """A narrow note beside the body text (short lines in the margin) makes no text column."""
    from reportlab.pdfgen import canvas

    _font()
    path = tmp_path / "side.pdf"
    c = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    c.setFont(FONT, 9)
    body = _wrap("さくら町では住民の暮らしを便利にするため行政手続のオンライン化を進めます。" * 30, 9, 400)
    note = "※用語 オンライン 化とは 手続を インター ネットで 行うこと です。 窓口に 来なくても 済みます。".split()
    y = HEIGHT - 80
    for k, line in enumerate(body):
        c.drawString(MARGIN, y, line)
        if k < len(note):
            c.drawString(470, y, note[k])
        y -= 13
    c.save()
    blocks = read_pdf(path).blocks
    assert blocks[0].kind == BlockKind.PARAGRAPH
    assert blocks[0].text.startswith("さくら町では")
    assert column_calls == [False]


def test_table_pages_unchanged(tmp_path: Path, column_calls: list[bool]) -> None:
    """A ruled table and an unruled one (pdf_grid.py) read as tables, not as text columns."""
    from reportlab.lib import colors
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus import Table as RLTable

    _font()
    rows = [["施策名", "担当課", "指標", "目標値"]] + [
        [title, dept, "実施件数", f"{10 * (i + 1)}件"] for i, (title, _s, dept) in enumerate(MEASURES * 2)
    ]
    ruled = tmp_path / "ruled.pdf"
    grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), FONT, 9)]
    SimpleDocTemplate(str(ruled), pagesize=(WIDTH, HEIGHT)).build([RLTable(rows, style=grid)])
    unruled = tmp_path / "unruled.pdf"
    plain = RLTable(rows, style=[("FONT", (0, 0), (-1, -1), FONT, 9)], colWidths=[170, 110, 90, 70])
    SimpleDocTemplate(str(unruled), pagesize=(WIDTH, HEIGHT)).build([plain])
    for path in (ruled, unruled):
        blocks = read_pdf(path).blocks
        assert [b.kind for b in blocks] == [BlockKind.TABLE], path.name
        assert blocks[0].table is not None
        assert blocks[0].table.texts() == rows, path.name
    assert column_calls == [False]  # the ruled page is not even tried
