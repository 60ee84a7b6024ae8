"""read_document: format detection by content and extension, and every bad-input error code."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from keikaku.ingest.blocks import ReaderError
from keikaku.ingest.readers import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, detect_format, read_document


def _code(path: Path, **kw: object) -> str:
    with pytest.raises(ReaderError) as info:
        read_document(path, **kw)  # type: ignore[arg-type]
    msg = str(info.value)
    assert " / " in msg, msg  # Japanese / English
    return info.value.code


def test_formats_detected_by_content_not_only_extension(docs: Path, tmp_path: Path) -> None:
    # a PDF, a DOCX and an HTML page renamed without their extensions are still recognised
    for name, fmt in (("plan.pdf", "pdf"), ("plan.docx", "docx"), ("plan_utf8.html", "html")):
        target = tmp_path / name.split(".")[0]
        shutil.copy(docs / name, target)
        assert read_document(target).format == fmt
        assert detect_format((docs / name).read_bytes()[:4096], "", docs / name) == fmt


def test_markdown_with_embedded_html_table_stays_text(tmp_path: Path) -> None:
    md = tmp_path / "plan.md"
    md.write_text("# みどり市計画\n\n<html><table><tr><td>施策</td></tr></table>\n", encoding="utf-8")
    assert detect_format(md.read_bytes(), ".md", md) == "text"


def test_empty_and_whitespace_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.html").write_bytes(b"  \r\n\t \xe3\x80\x80\n")
    (tmp_path / "c.pdf").write_bytes(b"")
    assert _code(tmp_path / "a.txt") == "empty"
    assert _code(tmp_path / "b.html") == "empty"
    assert _code(tmp_path / "c.pdf") == "empty"


def test_size_limit_argument_and_environment(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    size = (docs / "plan.pdf").stat().st_size
    assert _code(docs / "plan.pdf", max_bytes=size - 1) == "too_large"
    assert read_document(docs / "plan.pdf", max_bytes=size).format == "pdf"
    monkeypatch.setenv(MAX_BYTES_ENV, str(size - 1))
    assert _code(docs / "plan.pdf") == "too_large"
    monkeypatch.setenv(MAX_BYTES_ENV, "not a number")
    assert read_document(docs / "plan.pdf").format == "pdf"
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_unsupported(tmp_path: Path) -> None:
    (tmp_path / "plan.xyz").write_text("みどり市", encoding="utf-8")
    (tmp_path / "plan.bin").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "plan.rtf").write_bytes(b"{\\rtf1\\ansi hello}")
    with zipfile.ZipFile(tmp_path / "book.xlsx", "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    for name in ("plan.xyz", "plan.bin", "plan.rtf", "book.xlsx", "old.doc"):
        assert _code(tmp_path / name) == "unsupported", name
    assert _code(tmp_path) == "unsupported"
    assert _code(tmp_path / "missing.pdf") == "not_found"


def test_corrupt(tmp_path: Path, docs: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n this is not a PDF body at all")
    (tmp_path / "noheader.pdf").write_text("みどり市の計画", encoding="utf-8")
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 broken zip")
    (tmp_path / "text.docx").write_text("plain text", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "nobody.docx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    data = (docs / "plan.docx").read_bytes()
    (tmp_path / "truncated.docx").write_bytes(data[: len(data) // 2])
    for name in ("bad.pdf", "noheader.pdf", "bad.docx", "text.docx", "nobody.docx", "truncated.docx"):
        assert _code(tmp_path / name) == "corrupt", name


def test_encrypted(docs: Path, tmp_path: Path) -> None:
    assert _code(docs / "locked.pdf") == "encrypted"
    # an encrypted Office file is an OLE container holding an "EncryptedPackage" stream (synthetic
    # here: only the container magic and the stream name, which is what detection looks at)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    (tmp_path / "locked.docx").write_bytes(ole + b"\x00" * 512)
    assert _code(tmp_path / "locked.docx") == "encrypted"


def test_image_only_pdf_needs_ocr(docs: Path) -> None:
    with pytest.raises(ReaderError) as info:
        read_document(docs / "scan.pdf")
    assert info.value.code == "needs_ocr"
    assert "OCR が必要です" in str(info.value) and "needs OCR" in str(info.value)
