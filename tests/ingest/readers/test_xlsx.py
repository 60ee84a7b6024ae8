"""XLSX reader: workbooks generated with openpyxl (fictional みどり市 plan content), read back as blocks."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

from keikaku.core.plan import Plan
from keikaku.ingest import import_document
from keikaku.ingest.blocks import Block, BlockKind, ReaderError
from keikaku.ingest.readers import detect_format, read_document
from keikaku.ingest.readers import xlsx as xlsx_reader
from keikaku.ingest.readers.xlsx import (
    DEFAULT_MAX_CELL_CHARS,
    DEFAULT_MAX_CELLS,
    DEFAULT_MAX_ROWS,
    MAX_CELL_CHARS_ENV,
    MAX_CELLS_ENV,
    MAX_ROWS_ENV,
    format_value,
    parse_range,
    read_xlsx,
)

MEASURES = [
    ("オンライン申請の拡充", "デジタル推進課", "オンライン申請できる手続数", 120, ("拡充", "→", "→")),
    ("オープンデータの公開", "情報政策課", "公開データセット数", 50, ("準備", "公開", "→")),
    ("マイナンバーカードの活用", "市民課", "カード交付率", 0.9, ("検討", "実施", "→")),
]


def write_action_plan(path: Path, *, extra_sheets: bool = True) -> Path:
    """アクションプラン: a title row, a two-row header (実施スケジュール merged over R7 | R8 | R9, the other
    headers merged down over both rows), one row per measure and a ※ note; a hidden list sheet feeding a
    data-validation list; a veryHidden sheet; a sheet of numbered policy lines."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "アクションプラン"
    ws["A1"] = "みどり市デジタル推進計画 アクションプラン"
    ws.merge_cells("A1:H1")
    for col, head in enumerate(["No.", "施策名", "担当課", "KPI", "目標値", "実施スケジュール"], start=1):
        ws.cell(3, col, head)
    for col in range(1, 6):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("F3:H3")
    for col, year in zip((6, 7, 8), ("R7", "R8", "R9"), strict=True):
        ws.cell(4, col, year)
    for i, (title, dept, kpi, target, phases) in enumerate(MEASURES):
        r = 5 + i
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, title)
        ws.cell(r, 3, dept)
        ws.cell(r, 4, kpi)
        ws.cell(r, 5, target)
        for col, phase in zip((6, 7, 8), phases, strict=True):
            ws.cell(r, col, phase)
    ws["E5"].number_format = '#,##0"件"'
    ws["E7"].number_format = "0.0%"
    ws["A9"] = "※1 目標値は令和9年度末の値"
    if extra_sheets:
        lists = wb.create_sheet("選択肢")
        for r, word in enumerate(("検討", "準備", "実施", "拡充"), start=1):
            lists.cell(r, 1, f"秘密の選択肢{word}")
        lists.sheet_state = "hidden"
        dv = DataValidation(type="list", formula1="=選択肢!$A$1:$A$4")
        ws.add_data_validation(dv)
        dv.add("F5:H7")
        secret = wb.create_sheet("作業用")
        secret["A1"] = "非表示の作業メモ"
        secret["B1"] = "消す"
        secret.sheet_state = "veryHidden"
        policies = wb.create_sheet("基本方針")
        policies["A1"] = "1. 行政手続のオンライン化"
        policies["A2"] = "市民が来庁せずに手続できるよう、申請手続を順次オンライン化する。"
        policies["A3"] = "2. オープンデータの推進"
        policies["A4"] = "・公開するデータを毎年見直す"
        policies["A6"] = "計画期間"
        policies["B6"] = "令和7年度～令和9年度"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def plan_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_action_plan(tmp_path_factory.mktemp("xlsx") / "action_plan.xlsx")


def _tables(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind == BlockKind.TABLE]


def _code(exc: pytest.ExceptionInfo[ReaderError]) -> str:
    assert " / " in str(exc.value), str(exc.value)  # 日本語 / English
    return exc.value.code


# ---------------------------------------------------------------------------------------------
# blocks


def test_sheets_headings_tables_and_spans(plan_xlsx: Path) -> None:
    result = read_document(plan_xlsx)
    assert result.format == "xlsx"
    assert result.pages == 4  # every sheet counts for the numbering, hidden ones included
    headings = [(b.text, b.loc.page) for b in result.blocks if b.style == "sheet"]
    assert headings == [("アクションプラン", 1), ("基本方針", 4)]
    first = result.blocks[1]
    assert (first.kind, first.text, first.loc.page, first.loc.index) == (
        BlockKind.PARAGRAPH,
        "みどり市デジタル推進計画 アクションプラン",
        1,
        1,
    )
    (table,) = _tables(result.blocks)
    assert table.table is not None
    head, years = table.table.rows[0], table.table.rows[1]
    assert [(c.text, c.rowspan, c.colspan) for c in head] == [
        ("No.", 2, 1),
        ("施策名", 2, 1),
        ("担当課", 2, 1),
        ("KPI", 2, 1),
        ("目標値", 2, 1),
        ("実施スケジュール", 1, 3),
    ]
    assert [c.text for c in years] == ["R7", "R8", "R9"]
    grid = table.table.texts()
    assert grid[1][:5] == ["No.", "施策名", "担当課", "KPI", "目標値"]  # spans repeated into the grid
    assert grid[2] == [
        "1",
        "オンライン申請の拡充",
        "デジタル推進課",
        "オンライン申請できる手続数",
        "120件",
        "拡充",
        "→",
        "→",
    ]
    assert grid[4][0] == "3" and grid[4][4] == "90.0%"
    assert (table.loc.page, table.loc.index, table.loc.line_start, table.loc.line_end) == (1, 3, 3, 7)
    note = next(b for b in result.blocks if b.kind == BlockKind.FOOTNOTE)
    assert (note.text, note.marker, note.loc.index) == ("目標値は令和9年度末の値", "※1", 9)


def test_hidden_sheets_and_validation_lists_are_ignored(plan_xlsx: Path) -> None:
    text = "\n".join(b.text for b in read_document(plan_xlsx).blocks)
    for hidden in ("選択肢", "秘密の選択肢", "作業用", "非表示の作業メモ"):
        assert hidden not in text


def test_single_column_sheet_reads_as_text(plan_xlsx: Path) -> None:
    blocks = [b for b in read_document(plan_xlsx).blocks if b.loc.page == 4]
    got = [(b.kind, b.marker, b.text) for b in blocks]
    assert got == [
        (BlockKind.HEADING, None, "基本方針"),
        (BlockKind.HEADING, "1.", "行政手続のオンライン化"),
        (BlockKind.PARAGRAPH, None, "市民が来庁せずに手続できるよう、申請手続を順次オンライン化する。"),
        (BlockKind.HEADING, "2.", "オープンデータの推進"),
        (BlockKind.LIST_ITEM, "・", "公開するデータを毎年見直す"),
        (BlockKind.PARAGRAPH, None, "計画期間：令和7年度～令和9年度"),  # a label beside its value
    ]
    assert [b.loc.index for b in blocks] == [0, 1, 2, 3, 4, 6]


def test_regions_side_by_side_and_default_sheet_names(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None  # "Sheet": Excel's default name gives no heading
    rows: list[list[object]] = [
        ["指標", "現状値", "目標値", None, "用語", "説明"],
        ["公開データ数", 10, 50, None, "BPR", "業務改革"],
    ]
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    ws["A4"] = "施策"
    ws["B4"] = "担当課"
    ws["A5"] = "窓口のデジタル化"
    ws["B5"] = "市民課\n情報政策課"  # a cell of two lines (Alt+Enter)
    wb.save(tmp_path / "two.xlsx")
    blocks = read_xlsx(tmp_path / "two.xlsx").blocks
    assert all(b.kind == BlockKind.TABLE for b in blocks)
    assert [b.table.texts() for b in blocks if b.table] == [
        [["指標", "現状値", "目標値"], ["公開データ数", "10", "50"]],
        [["用語", "説明"], ["BPR", "業務改革"]],
        [["施策", "担当課"], ["窓口のデジタル化", "市民課\n情報政策課"]],
    ]
    assert [(b.loc.index, b.loc.line_end) for b in blocks] == [(1, 2), (1, 2), (4, 5)]


def test_title_rows_above_a_table(tmp_path: Path) -> None:
    # a title typed into a middle cell (not merged), then the title beside "（単位：件）" with no empty row
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["C1"] = "みどり市アクションプラン"
    ws["A2"] = "施策の一覧"
    ws["F2"] = "（単位：件）"
    ws.append(["No.", "施策名", "担当課", "KPI", "目標値", "R7"])
    ws.append([1, "オンライン申請の拡充", "デジタル推進課", "手続数", 120, "実施"])
    wb.save(tmp_path / "titles.xlsx")
    blocks = read_xlsx(tmp_path / "titles.xlsx").blocks
    assert [(b.kind, b.text) for b in blocks if b.kind != BlockKind.TABLE] == [
        (BlockKind.PARAGRAPH, "みどり市アクションプラン"),
        (BlockKind.PARAGRAPH, "施策の一覧"),
        (BlockKind.PARAGRAPH, "（単位：件）"),
    ]
    (table,) = _tables(blocks)
    assert table.table is not None and table.table.texts()[0][:2] == ["No.", "施策名"]


def test_values_as_written() -> None:
    assert format_value(120.0) == "120"
    assert format_value(7) == "7"
    assert format_value(0.1 + 0.2) == "0.3"
    assert format_value(0.25, "0%") == "25%"
    assert format_value(0.905, "0.0%") == "90.5%"
    assert format_value(1234567, "#,##0") == "1,234,567"
    assert format_value(120, '#,##0"件"') == "120件"
    assert format_value(3.14159, "0.00") == "3.14"
    assert format_value(-5, '#,##0;"▲"#,##0') == "▲5"
    assert format_value(dt.datetime(2025, 4, 1)) == "2025/4/1"
    assert format_value(dt.datetime(2025, 4, 1), 'yyyy"年"m"月"d"日"') == "2025年4月1日"
    assert format_value(dt.datetime(2025, 4, 1), '[$-ja-JP]ggge"年"m"月"d"日"') == "令和7年4月1日"
    assert format_value(True) == "TRUE"
    assert parse_range("B2:D3") == (2, 2, 3, 4)
    assert parse_range("C5") == (5, 3, 5, 3)
    assert parse_range("nonsense") is None


def test_formula_cells_give_their_cached_values(tmp_path: Path) -> None:
    # openpyxl writes no cached values: a formula cell reads as empty rather than as "=SUM(…)"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["指標", "目標値"])
    ws.append(["合計", "=SUM(1,2)"])
    wb.save(tmp_path / "f.xlsx")
    text = "\n".join(b.text for b in read_xlsx(tmp_path / "f.xlsx").blocks)
    assert "SUM" not in text


# ---------------------------------------------------------------------------------------------
# limits, while streaming


def _big_workbook(path: Path, rows: int, long_cell_row: int | None = None) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("実績")
    ws.append(["No.", "施策名", "実績"])
    for r in range(2, rows + 1):
        title = "長" * 300 if r == long_cell_row else f"施策{r}"
        ws.append([r - 1, title, r * 10])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def big_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _big_workbook(tmp_path_factory.mktemp("xlsx_big") / "big.xlsx", 5000, long_cell_row=40)


def _count_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pulled = [0]
    original = xlsx_reader._sheet_rows

    def counting(ws: Any) -> Iterator[tuple[Any, ...]]:
        for row in original(ws):
            pulled[0] += 1
            yield row

    monkeypatch.setattr(xlsx_reader, "_sheet_rows", counting)
    return pulled


def test_row_limit_stops_while_streaming(big_xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pulled = _count_rows(monkeypatch)
    with pytest.raises(ReaderError) as exc:
        read_xlsx(big_xlsx, max_rows=30, max_cell_chars=10_000)
    assert _code(exc) == "too_large"
    assert "31" in str(exc.value) and MAX_ROWS_ENV in str(exc.value)
    assert pulled[0] == 31  # stopped at the first row over the limit, not after 5000
    monkeypatch.setenv(MAX_ROWS_ENV, "30")
    with pytest.raises(ReaderError) as exc:
        read_document(big_xlsx)
    assert _code(exc) == "too_large"


def test_cell_length_limit_stops_while_streaming(big_xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pulled = _count_rows(monkeypatch)
    with pytest.raises(ReaderError) as exc:
        read_xlsx(big_xlsx, max_cell_chars=200)
    assert _code(exc) == "too_large"
    assert "B40" in str(exc.value) and MAX_CELL_CHARS_ENV in str(exc.value)
    assert pulled[0] == 40
    monkeypatch.setenv(MAX_CELL_CHARS_ENV, "200")
    with pytest.raises(ReaderError):
        read_document(big_xlsx)


def test_total_cell_limit(big_xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pulled = _count_rows(monkeypatch)
    with pytest.raises(ReaderError) as exc:
        read_xlsx(big_xlsx, max_cells=300, max_cell_chars=10_000)
    assert _code(exc) == "too_large" and MAX_CELLS_ENV in str(exc.value)
    assert pulled[0] == 101  # 3 cells a row: the 301st is in row 101
    # within every limit the whole sheet reads as one table
    result = read_xlsx(big_xlsx, max_cell_chars=10_000)
    (table,) = _tables(result.blocks)
    assert table.table is not None and len(table.table.rows) == 5000


def test_limit_defaults_and_bad_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (DEFAULT_MAX_ROWS, DEFAULT_MAX_CELL_CHARS, DEFAULT_MAX_CELLS) == (20_000, 100_000, 2_000_000)
    monkeypatch.setenv(MAX_ROWS_ENV, "not a number")
    assert xlsx_reader._env_int(MAX_ROWS_ENV, DEFAULT_MAX_ROWS) == DEFAULT_MAX_ROWS
    monkeypatch.setenv(MAX_ROWS_ENV, "1,000")
    assert xlsx_reader._env_int(MAX_ROWS_ENV, DEFAULT_MAX_ROWS) == 1000


# ---------------------------------------------------------------------------------------------
# unreadable workbooks, detection


def test_encrypted_corrupt_and_empty(tmp_path: Path, plan_xlsx: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    (tmp_path / "locked.xlsx").write_bytes(ole + b"\x00" * 512)
    for reader in (read_document, read_xlsx):
        with pytest.raises(ReaderError) as exc:
            reader(tmp_path / "locked.xlsx")
        assert _code(exc) == "encrypted"
    data = plan_xlsx.read_bytes()
    (tmp_path / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    with zipfile.ZipFile(tmp_path / "garbled.xlsx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook><sheets>")
    with zipfile.ZipFile(tmp_path / "nobook.xlsx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    (tmp_path / "text.xlsx").write_text("施策,担当課", encoding="utf-8")
    for name in ("truncated.xlsx", "garbled.xlsx", "nobook.xlsx", "text.xlsx"):
        with pytest.raises(ReaderError) as exc:
            read_document(tmp_path / name)
        assert _code(exc) == "corrupt", name
    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    with pytest.raises(ReaderError) as exc:
        read_document(tmp_path / "blank.xlsx")
    assert _code(exc) == "empty"


def test_detected_by_content_without_extension(plan_xlsx: Path, tmp_path: Path) -> None:
    bare = tmp_path / "action_plan"
    shutil.copy(plan_xlsx, bare)
    assert detect_format(bare.read_bytes()[:4096], "", bare) == "xlsx"
    assert read_document(bare).format == "xlsx"
    misnamed = tmp_path / "action_plan.docx"
    shutil.copy(plan_xlsx, misnamed)
    assert read_document(misnamed).format == "xlsx"  # the parts decide, not the extension


def test_docx_detection_unchanged(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("みどり市デジタル推進計画")
    document.save(str(tmp_path / "plan.docx"))
    shutil.copy(tmp_path / "plan.docx", tmp_path / "plan")
    assert read_document(tmp_path / "plan").format == "docx"


# ---------------------------------------------------------------------------------------------
# the whole importer


def test_import_document_finds_the_measures(tmp_path: Path) -> None:
    path = write_action_plan(tmp_path / "simple.xlsx", extra_sheets=False)
    plan = import_document(path)
    assert isinstance(plan, Plan)
    assert plan.source is not None and plan.source.format == "xlsx"
    assert [m.title for m in plan.measures] == [m[0] for m in MEASURES]
    first = plan.measures[0]
    assert first.departments == ["デジタル推進課"]
    assert [(e.fiscal_year, e.written) for e in first.schedule][:1] == [(2025, "拡充")]
    assert {e.fiscal_year for e in first.schedule} == {2025, 2026, 2027}
    assert first.kpis[0].indicator == "オンライン申請できる手続数"
    assert first.kpis[0].targets[0].value == "120件"
    assert plan.measures[2].kpis[0].targets[0].value == "90.0%"
    assert first.provenance is not None
    assert (first.provenance.page, first.provenance.line_start) == (1, 3)  # sheet 1, from row 3
