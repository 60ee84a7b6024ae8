"""Document readers: detect a file's format by content and extension, and dispatch to its reader.

Every reader returns a :class:`~keikaku.ingest.blocks.ReadResult` holding the same normalised block
stream (headings with number markers and level, paragraphs, list items, tables with spans,
footnotes). Problems the user can act on raise :class:`~keikaku.ingest.blocks.ReaderError` with a
``code`` and a bilingual message ("日本語 / English").

The small text helpers below (:func:`split_marker`, :func:`join_wrapped`, :func:`tidy_spaces`,
:func:`kind_for_marked`) are shared by the HTML, DOCX and PDF readers so that the same document gives
the same blocks whichever format it arrives in. A block's ``text`` never contains its ``marker``.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from keikaku.ingest import markers as _markers
from keikaku.ingest.blocks import BlockKind, Cell, ReaderError, ReadResult
from keikaku.ingest.markers import MAX_HEADING_CHARS

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
    "split_marker",
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
# number markers, bullets, footnotes — the same rules as the text reader (keikaku.ingest.markers)

_FOOTNOTE = re.compile(r"^(※\s*[0-9０-９]{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(.+)$", re.DOTALL)


def split_marker(text: str) -> tuple[str | None, str]:
    """Split a leading number marker: ``"(1) 目的" → ("(1)", "目的")``; no marker → ``(None, text)``.

    The marker is returned as written (full-width digits, ①, Ⅱ．…), see keikaku.ingest.markers.
    """
    marker, rest = _markers.split_marker(text)
    if marker is None:
        return None, text.strip(" \t\u3000")
    return marker.written, rest


def split_bullet(text: str) -> tuple[str | None, str]:
    """``"・オンライン申請" → ("・", "オンライン申請")``."""
    bullet, rest = _markers.strip_bullet(text)
    return bullet, rest if bullet else text.strip(" \t\u3000")


def kind_for_marked(rest: str) -> BlockKind:
    """A marked line is a heading when it is short and not a sentence, otherwise a paragraph."""
    t = rest.strip()
    if len(t) <= MAX_HEADING_CHARS and "。" not in t:
        return BlockKind.HEADING
    return BlockKind.PARAGRAPH


def classify(text: str) -> tuple[BlockKind, str, str | None]:
    """(kind, text, marker) for one paragraph's joined text, as the text reader would read it.

    "※1 説明" → footnote; a short marked line → heading (marker split off); a long or sentence-like
    marked line → paragraph keeping its marker in the text; "・項目" → list item (marker "・", or the
    inner number marker: "・① 項目" → "①"); anything else → paragraph.
    """
    text = text.strip(" \t\u3000")
    m = _FOOTNOTE.match(text)
    if m:
        return BlockKind.FOOTNOTE, tidy_spaces(m.group(2)), m.group(1).replace(" ", "")
    marker, rest = split_marker(text)
    if marker:
        if kind_for_marked(rest) == BlockKind.HEADING:
            return BlockKind.HEADING, tidy_spaces(rest), marker
        return BlockKind.PARAGRAPH, tidy_spaces(text), None
    bullet, rest = split_bullet(text)
    if bullet:
        inner, rest2 = split_marker(rest)
        return BlockKind.LIST_ITEM, tidy_spaces(rest2 if inner else rest), inner or bullet
    return BlockKind.PARAGRAPH, tidy_spaces(text), None


def group_lines(lines: list[str], explicit_breaks: bool = False) -> list[str]:
    """Group a paragraph's lines: a line opening with a marker, bullet or ※n starts a new group;
    other lines continue the current one (joined, Japanese without spaces).

    With ``explicit_breaks`` (HTML <br>, DOCX soft breaks — never mere wrapping) a short marked line
    such as "(1) 目的" stays on its own as a heading instead of taking the next line in."""
    groups: list[list[str]] = []
    for raw in lines:
        line = raw.strip(" \t\u3000")
        if not line:
            continue
        starts = bool(split_marker(line)[0] or split_bullet(line)[0] or _FOOTNOTE.match(line))
        if explicit_breaks and groups and len(groups[-1]) == 1:
            marker, rest = split_marker(groups[-1][0])
            starts = starts or bool(marker and kind_for_marked(rest) == BlockKind.HEADING)
        if starts or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return [join_wrapped(g) for g in groups]


def table_text(rows: list[list[Cell]]) -> str:
    """A table block's text: rows of tab-separated cells (as the text reader gives it)."""
    return "\n".join("\t".join(c.text for c in r) for r in rows)


# ---------------------------------------------------------------------------------------------
# joining wrapped lines and tidying spaces

_CJK = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\uff61-\uff9f"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJK}]) +(?=[0-9])")
# "100 件" → "100件", but "※1 注記" keeps its space (a note number, not a quantity)
_SPACE_DIGIT_CJK = re.compile(rf"(?<![※*＊0-9])([0-9]+) +(?=[{_CJK}])")
_MULTI_SPACE = re.compile(r"[ \t]{2,}")


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def join_wrapped(lines: list[str], sep_for_latin: str = " ") -> str:
    """Join the lines of one paragraph: Japanese joins with nothing, Latin words with a space."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif _is_cjk(out[-1]) or _is_cjk(line[0]) or out[-1] in "-/":
            out += line
        else:
            out += sep_for_latin + line
    return out


def tidy_spaces(text: str) -> str:
    """Drop the spaces extraction puts between Japanese and half-width digits; squeeze runs."""
    text = _SPACE_DIGIT_CJK.sub(r"\1", _SPACE_CJK_DIGIT.sub("", text))
    return _MULTI_SPACE.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------
# format detection and dispatch


def _err(code: str, ja: str, en: str) -> ReaderError:
    return ReaderError(f"{ja} / {en}", code=code)


def _max_bytes_from_env() -> int:
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_MAX_BYTES
    return value if value > 0 else DEFAULT_MAX_BYTES


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
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
            except (zipfile.BadZipFile, OSError) as exc:
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


def _ole_is_encrypted(path: Path) -> bool:
    with path.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    return _ENCRYPTED_PACKAGE in data


def check_ooxml_package(path: Path, label: str, max_unpacked_bytes: int | None = None) -> None:
    """Before an XLSX / PPTX reader opens a file: a password-protected one (an OLE container) →
    ``encrypted``, not a ZIP → ``corrupt``, expanding beyond ``max_unpacked_bytes`` (a ZIP bomb) →
    ``too_large``."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(_OLE_MAGIC):
            if _ole_is_encrypted(path):
                raise _err(
                    "encrypted",
                    "パスワードで保護された文書です。保護を解除してから取り込んでください",
                    f"the {label} file is password-protected (encrypted Office file)",
                )
            raise _err(
                "unsupported",
                "旧形式の Office 文書 (.xls/.ppt) には対応していません。.xlsx/.pptx で保存し直してください",
                "legacy Office formats (.xls/.ppt) are not supported; save as .xlsx/.pptx",
            )
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _err("corrupt", f"{label} ファイルが壊れています", f"corrupt {label}: {exc}") from exc
    if max_unpacked_bytes is not None and unpacked > max_unpacked_bytes:
        raise _err(
            "too_large",
            f"{label} の展開後サイズが大きすぎます ({unpacked:,} バイト)",
            f"{label} expands to {unpacked:,} bytes, over the limit",
        )


def read_document(path: Path, *, max_bytes: int | None = None) -> ReadResult:
    """Read any supported document into blocks.

    Raises ReaderError with code ``not_found``, ``empty``, ``too_large``, ``unsupported``,
    ``corrupt``, ``encrypted`` or ``needs_ocr``.
    """
    path = Path(path)
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
