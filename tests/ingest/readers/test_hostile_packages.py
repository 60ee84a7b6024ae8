"""Damaged Office packages found by the 100,000-input fuzz run (scripts/fuzz_import.py): each ends in the
importer's own error, in bounded time and memory, read in a child process as an upload would be.

- a ZIP entry that asks for an unknown "version needed to extract" (zipfile raises NotImplementedError);
- a worksheet part whose deflate stream or CRC is damaged (zlib.error, BadZipFile while streaming it);
- a worksheet row numbered 1e9 (openpyxl pads every missing row: a billion empty rows);
- a PowerPoint table cell spanning 2**32 columns.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Inches

from tests.ingest.readers.test_hostile import _edit, read_hostile, refused, write

LIMIT_SECONDS = 10  # CPU seconds; each of these takes well under one


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "アクションプラン"
    ws.append(["番号", "施策名", "担当課"])
    for i in range(1, 30):
        ws.append([i, f"架空の施策 {i}", "情報政策課"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pptx(span: str | None = None) -> bytes:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "アクションプラン"
    table = slide.shapes.add_table(3, 4, Inches(0.5), Inches(1.5), Inches(9), Inches(2)).table
    for c, head in enumerate(["施策", "担当", "令和7年度", "令和8年度"]):
        table.cell(0, c).text = head
    for r in (1, 2):
        for c, text in enumerate([f"架空の施策 {r}", "情報政策課", "検討", "実施"]):
            table.cell(r, c).text = text
    buf = io.BytesIO()
    prs.save(buf)
    data = buf.getvalue()
    if span is None:
        return data
    return _edit(
        data, "ppt/slides/slide1.xml", lambda x: x.replace(b"<a:tc>", f'<a:tc gridSpan="{span}">'.encode(), 2)
    )


def _docx() -> bytes:
    import docx

    doc = docx.Document()
    doc.add_heading("架空町デジタル推進計画", 0)
    doc.add_paragraph("施策 1 窓口のオンライン化（担当：情報政策課）")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _version_needed(data: bytes, version: int) -> bytes:
    """Every central-directory entry asks for ``version`` (e.g. 171 = 17.1) to extract it."""
    buf = bytearray(data)
    at = buf.find(b"PK\x01\x02")
    assert at > 0
    while at != -1:
        buf[at + 6 : at + 8] = struct.pack("<H", version)
        at = buf.find(b"PK\x01\x02", at + 4)
    return bytes(buf)


def _damage_part(data: bytes, part: str) -> bytes:
    """Flip bytes in the middle of ``part``'s compressed data (a broken deflate stream or a bad CRC)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    buf = bytearray(data)
    name_len, extra_len = struct.unpack("<HH", buf[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    middle = start + info.compress_size // 2
    for i in range(middle, middle + 8):
        buf[i] ^= 0x5A
    return bytes(buf)


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_unknown_zip_version_is_a_corrupt_file(tmp_path: Path, kind: str) -> None:
    data = {"docx": _docx, "xlsx": _xlsx, "pptx": _pptx}[kind]()
    out = refused(write(tmp_path, f"plan.{kind}", _version_needed(data, 171)), "corrupt")
    assert "壊れています" in out["message"]


def test_damaged_worksheet_stream_is_a_corrupt_sheet(tmp_path: Path) -> None:
    out = refused(write(tmp_path, "plan.xlsx", _damage_part(_xlsx(), "xl/worksheets/sheet1.xml")), "corrupt")
    assert out["seconds"] < LIMIT_SECONDS


def test_row_numbered_a_billion_is_refused_at_once(tmp_path: Path) -> None:
    data = _edit(_xlsx(), "xl/worksheets/sheet1.xml", lambda x: x.replace(b'<row r="20"', b'<row r="1e9"', 1))
    out = refused(write(tmp_path, "plan.xlsx", data), "too_large")
    assert "1,000,000,000" in out["message"] and out["seconds"] < LIMIT_SECONDS


def test_rows_far_apart_are_read_without_the_rows_between(tmp_path: Path) -> None:
    """A stray formatted row at the sheet's last row (1,048,576) costs nothing and hides nothing."""
    data = _edit(
        _xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(b"</sheetData>", b'<row r="1048576" customHeight="1" ht="20"/></sheetData>'),
    )
    out = read_hostile(write(tmp_path, "plan.xlsx", data))
    assert out["ok"] and out["seconds"] < LIMIT_SECONDS, out
    assert "架空の施策 29" in "\n".join(out["texts"])


@pytest.mark.parametrize("span", ["4294967296", "100000000"])
def test_table_cell_spanning_billions_of_columns_is_clamped(tmp_path: Path, span: str) -> None:
    out = read_hostile(write(tmp_path, "deck.pptx", _pptx(span)))
    assert out["ok"] and out["seconds"] < LIMIT_SECONDS, out
    assert "table" in out["kinds"]


def test_a_merge_starting_in_skipped_rows_still_hides_what_it_covers(tmp_path: Path) -> None:
    """Rows left out of the XML are skipped, not visited: a merged range whose origin row is one of them
    still hides a value stored under it in a later row (as Excel shows the sheet)."""
    data = _edit(
        _xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(
            b"</sheetData>",
            b'<row r="40"><c r="B40" t="inlineStr"><is><t>HIDDEN-UNDER-MERGE</t></is></c></row></sheetData>'
            b'<mergeCells count="1"><mergeCell ref="A38:C41"/></mergeCells>',
        ),
    )
    out = read_hostile(write(tmp_path, "plan.xlsx", data))
    assert out["ok"], out
    texts = "\n".join(out["texts"])
    assert "架空の施策 29" in texts and "HIDDEN-UNDER-MERGE" not in texts
