"""Document readers: detect a file's format by content and extension, and dispatch to its reader.

Every reader returns a :class:`~keikaku.ingest.blocks.ReadResult` holding the same normalised block
stream (headings with number markers and level, paragraphs, list items, tables with spans,
footnotes). Problems the user can act on raise :class:`~keikaku.ingest.blocks.ReaderError` with a
``code`` and a bilingual message ("日本語 / English").

Number markers are read by :func:`keikaku.ingest.markers.parse_marker`. The small text helpers below (:func:`join_wrapped`, :func:`tidy_spaces`,
:func:`kind_for_marked`) are shared by the HTML, DOCX and PDF readers so that the same document gives
the same blocks whichever format it arrives in. A block's ``text`` never contains its ``marker``.
"""

from __future__ import annotations

import logging
import os
import re
import zipfile
from pathlib import Path

from keikaku.ingest.blocks import ReaderError, ReadResult
from keikaku.ingest.readers.common import (
    _ENCRYPTED_PACKAGE,
    _OLE_MAGIC,
    ZIP_ERRORS,
    _err,
    _ole_is_encrypted,
    check_ooxml_package,
    classify,
    group_lines,
    join_wrapped,
    kind_for_marked,
    split_bullet,
    table_text,
    tidy_spaces,
)

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ReaderError",
    "check_ooxml_package",
    "detect_format",
    "group_lines",
    "join_wrapped",
    "classify",
    "kind_for_marked",
    "read_document",
    "split_bullet",
    "table_text",
    "tidy_spaces",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_BYTES_ENV = "KEIKAKU_IMPORT_MAX_BYTES"

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text", ""}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
PPTX_EXTENSIONS = {".pptx", ".pptm"}
_PACKAGE_PARTS = (
    (XLSX_EXTENSIONS, "xl/workbook.xml", "XLSX"),
    (PPTX_EXTENSIONS, "ppt/presentation.xml", "PPTX"),
)

# ---------------------------------------------------------------------------------------------
# format detection and dispatch


def _max_bytes_from_env() -> int:
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_MAX_BYTES
    return value if value > 0 else DEFAULT_MAX_BYTES


_HTML_SNIFF = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def detect_format(head: bytes, suffix: str, path: Path | None = None) -> str:
    """Return "pdf", "docx", "xlsx", "pptx", "html" or "text" from the first bytes and the extension,
    or raise. ZIP files are told apart by their parts: word/document.xml (DOCX), [Content_Types].xml with
    xl/workbook.xml (XLSX) or ppt/presentation.xml (PPTX)."""
    suffix = suffix.lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if path is not None:
            try:
                with zipfile.ZipFile(path) as zf:
                    names = set(zf.namelist())
            except ZIP_ERRORS as exc:
                raise _err(
                    "corrupt", "ファイルが壊れています (ZIP を開けません)", f"corrupt file: {exc}"
                ) from exc
            if "word/document.xml" in names:
                return "docx"
            # an Office Open XML package names its parts in [Content_Types].xml
            package = "[Content_Types].xml" in names
            if package and "xl/workbook.xml" in names:
                return "xlsx"
            if package and "ppt/presentation.xml" in names:
                return "pptx"
            if suffix == ".docx":
                raise _err(
                    "corrupt",
                    "DOCX ファイルが壊れています (word/document.xml がありません)",
                    "corrupt DOCX: word/document.xml is missing",
                )
            for ext, part, label in _PACKAGE_PARTS:
                if package and suffix in ext:
                    raise _err(
                        "corrupt",
                        f"{label} ファイルが壊れています ({part} がありません)",
                        f"corrupt {label}: {part} is missing",
                    )
            raise _err(
                "unsupported", "対応していない形式の ZIP ファイルです", "unsupported format: a ZIP archive"
            )
        # no path: the extension, else the part names in the first local file headers
        if suffix in XLSX_EXTENSIONS or (b"xl/" in head and b"word/" not in head):
            return "xlsx"
        if suffix in PPTX_EXTENSIONS or (b"ppt/" in head and b"word/" not in head):
            return "pptx"
        return "docx"
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in head or (path is not None and _ole_is_encrypted(path)):
            raise _err(
                "encrypted",
                "パスワードで保護された文書です。保護を解除してから取り込んでください",
                "the document is password-protected (encrypted Office file)",
            )
        raise _err(
            "unsupported",
            "旧形式の Office 文書 (.doc/.xls/.ppt) には対応していません。.docx/.xlsx/.pptx で保存し直してください",
            "legacy Office formats (.doc/.xls/.ppt) are not supported; save as .docx/.xlsx/.pptx",
        )
    if suffix == ".pdf":
        raise _err(
            "corrupt", "PDF ファイルが壊れています (%PDF ヘッダがありません)", "corrupt PDF: no %PDF header"
        )
    if suffix in (".docx", ".docm"):
        raise _err(
            "corrupt", "DOCX ファイルが壊れています (ZIP ではありません)", "corrupt DOCX: not a ZIP archive"
        )
    for ext, _part, label in _PACKAGE_PARTS:
        if suffix in ext:
            raise _err(
                "corrupt",
                f"{label} ファイルが壊れています (ZIP ではありません)",
                f"corrupt {label}: not a ZIP archive",
            )
    if b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _err(
            "unsupported", "対応していない形式のファイルです (バイナリ)", "unsupported format: binary file"
        )
    if head.lstrip().startswith(b"{\\rtf"):
        raise _err("unsupported", "RTF には対応していません", "unsupported format: RTF")
    if suffix in HTML_EXTENSIONS or _HTML_SNIFF.match(head[:4096]):
        if suffix in TEXT_EXTENSIONS - {""}:
            return "text"  # Markdown may embed HTML tables; the extension wins
        return "html"
    if suffix in TEXT_EXTENSIONS:
        return "text"
    raise _err("unsupported", f"対応していない形式です ({suffix})", f"unsupported format: {suffix}")


def read_document(path: Path, *, max_bytes: int | None = None) -> ReadResult:
    """Read any supported document into blocks, their text well-formed Unicode (:func:`well_formed`).

    Raises ReaderError with code ``not_found``, ``empty``, ``too_large``, ``unsupported``,
    ``corrupt``, ``encrypted`` or ``needs_ocr``.
    """
    return well_formed(_read(Path(path), max_bytes))


# a PDF's text layer (UTF-16 in the file) or a damaged file can hold surrogate code points
_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole(text: str) -> str:
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def well_formed(result: ReadResult) -> ReadResult:
    """Surrogate code points in the blocks' text and cells made whole: a high and low pair become the
    character they encode, a lone one U+FFFD — text that cannot be stored or sent as UTF-8 never leaves
    a reader."""
    for b in result.blocks:
        b.text = _whole(b.text)
        if b.marker:
            b.marker = _whole(b.marker)
        if b.table is not None:
            if b.table.caption:
                b.table.caption = _whole(b.table.caption)
            for row in b.table.rows:
                for cell in row:
                    cell.text = _whole(cell.text)
    result.warnings = [_whole(w) for w in result.warnings]
    return result


def _read(path: Path, max_bytes: int | None) -> ReadResult:
    """The reader of the document's format (detected from its bytes, not its name)."""
    limit = max_bytes if max_bytes is not None else _max_bytes_from_env()
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise _err("not_found", f"ファイルが見つかりません: {path}", f"file not found: {path}") from exc
    if path.is_dir():
        raise _err("unsupported", f"ディレクトリは読めません: {path}", f"is a directory: {path}")
    if size == 0:
        raise _err("empty", "ファイルが空です", "the file is empty")
    if size > limit:
        raise _err(
            "too_large",
            f"ファイルが大きすぎます ({size:,} バイト、上限 {limit:,} バイト)",
            f"file too large ({size:,} bytes, limit {limit:,} bytes; set {MAX_BYTES_ENV})",
        )
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    fmt = detect_format(head, path.suffix, path)
    log.debug("%s: %s bytes, read as %s", path.name, f"{size:,}", fmt)
    if fmt == "pdf":
        from keikaku.ingest.readers.pdf import read_pdf

        return read_pdf(path)
    if fmt == "docx":
        from keikaku.ingest.readers.docx import read_docx

        return read_docx(path, max_unpacked_bytes=limit * 20)
    if fmt == "xlsx":
        from keikaku.ingest.readers.xlsx import read_xlsx

        return read_xlsx(path, max_unpacked_bytes=limit * 20)
    if fmt == "pptx":
        from keikaku.ingest.readers.pptx import read_pptx

        return read_pptx(path, max_unpacked_bytes=limit * 20)
    data = path.read_bytes()
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xe3\x80\x80"):
        raise _err("empty", "ファイルが空です (空白のみ)", "the file is empty (whitespace only)")
    if fmt == "html":
        from keikaku.ingest.readers.html import read_html

        result = read_html(data)
    else:
        from keikaku.ingest.readers.text import read_text  # written alongside (txt/md)

        result = read_text(data, path.name)
    if not result.blocks:
        raise _err("empty", "文書に本文がありません", "the document has no text")
    return result
