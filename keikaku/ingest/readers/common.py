"""Helpers shared by the format readers (readers/*.py) and the dispatcher (readers/__init__.py): number
markers, bullets and the kind of a line, joining wrapped lines, tidying spaces, table text, and the
pre-open check of Office (OOXML) packages. Kept apart from the package's __init__ so that the readers
import this module, not their own package (no cycle)."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from keikaku.ingest import markers as _markers
from keikaku.ingest.blocks import BlockKind, Cell, ReaderError
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.tolerances import TOLERANCES as TOL

# What opening or listing a ZIP package may raise on a damaged or unusual file: a bad directory
# (BadZipFile), an unsupported "version needed" or compression method (NotImplementedError), an encrypted
# member (RuntimeError), a truncated or inconsistent entry (EOFError, ValueError, zlib.error), I/O (OSError).
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
    zlib.error,
    OSError,
)

# ---------------------------------------------------------------------------------------------
# number markers, bullets, footnotes — the same rules as the text reader (keikaku.ingest.markers)

_FOOTNOTE = re.compile(r"^(※\s*[0-9０-９]{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(.+)$", re.DOTALL)


def split_bullet(text: str) -> tuple[str | None, str]:
    """``"・オンライン申請" → ("・", "オンライン申請")``."""
    bullet, rest = _markers.strip_bullet(text)
    return bullet, rest if bullet else text.strip(" \t\u3000")


def kind_for_marked(rest: str) -> BlockKind:
    """A marked line is a heading when it is short and not a sentence, otherwise a paragraph."""
    t = rest.strip()
    if len(t) <= TOL.max_heading_chars and "。" not in t:
        return BlockKind.HEADING
    return BlockKind.PARAGRAPH


def classify(text: str, lead_bold: str | None = None) -> tuple[BlockKind, str, str | None]:
    """(kind, text, marker) for one paragraph's joined text, as the text reader would read it.

    "※1 説明" → footnote; a short marked line → heading (marker split off); a long or sentence-like
    marked line → paragraph keeping its marker in the text; "・項目" → list item (marker "・", or the
    inner number marker: "・① 項目" → "①"); anything else → paragraph. ``lead_bold`` is the paragraph's
    first bold run: a "marker" running from it into normal type is none (<b>目標</b>　8件 is a bold label
    and its value, not the heading 目標8).
    """
    text = text.strip(" \t\u3000")
    m = _FOOTNOTE.match(text)
    if m:
        return BlockKind.FOOTNOTE, tidy_spaces(m.group(2)), m.group(1).replace(" ", "")
    marker, rest = parse_marker(text)
    if marker and lead_bold and _straddles(text, marker.written, lead_bold):
        marker = None
    if marker:
        if kind_for_marked(rest) == BlockKind.HEADING:
            return BlockKind.HEADING, tidy_spaces(rest), marker.written
        return BlockKind.PARAGRAPH, tidy_spaces(text), None
    bullet, rest = split_bullet(text)
    if bullet:
        inner, rest2 = parse_marker(rest)
        return BlockKind.LIST_ITEM, tidy_spaces(rest2 if inner else rest), inner.written if inner else bullet
    return BlockKind.PARAGRAPH, tidy_spaces(text), None


def _straddles(text: str, marker: str, bold: str) -> bool:
    """The text opens with the bold run and the marker goes on past it into normal type."""
    bold = bold.strip()
    return bool(bold) and text.startswith(bold) and len(marker.strip()) > len(bold)


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
        starts = bool(parse_marker(line)[0] or split_bullet(line)[0] or _FOOTNOTE.match(line))
        if explicit_breaks and groups and len(groups[-1]) == 1:
            marker, rest = parse_marker(groups[-1][0])
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


def _err(code: str, ja: str, en: str) -> ReaderError:
    return ReaderError(f"{ja} / {en}", code=code)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


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
    except ZIP_ERRORS as exc:
        raise _err("corrupt", f"{label} ファイルが壊れています", f"corrupt {label}: {exc}") from exc
    if max_unpacked_bytes is not None and unpacked > max_unpacked_bytes:
        raise _err(
            "too_large",
            f"{label} の展開後サイズが大きすぎます ({unpacked:,} バイト)",
            f"{label} expands to {unpacked:,} bytes, over the limit",
        )
