"""Limits on a PDF, checked before PDFium does the work they bound. Used by ``readers/pdf.py``.

PDFium parses a page's whole content (every form XObject it draws, once per use) when it loads the
page, and aborts the process when memory runs out, so the raw file is scanned first
(:func:`check_streams`): every stream PDFium would decode to read text (page contents, form XObjects,
fonts; not images, attachments or metadata) is inflated under a bound — Flate, LZW, RunLength,
ASCIIHex, ASCII85, after decryption when the file is encrypted with an empty user password — and

- one stream decoding to more than KEIKAKU_IMPORT_MAX_PDF_STREAM_BYTES, or all of them together to more
  than KEIKAKU_IMPORT_MAX_PDF_CONTENT_BYTES, refuses the document;
- a content stream whose operators would make more than KEIKAKU_IMPORT_MAX_PDF_PAGE_OBJECTS objects
  refuses it too; a form XObject counts once per ``Do`` that draws it (by the names resource
  dictionaries give it, nested forms multiplied), so a 1 KB file drawing a 1,000-operator form 5,000
  times is refused before PDFium would build its five million objects.

After PDFium loads a page, :func:`check_page` counts its objects (inside forms too) and characters
against KEIKAKU_IMPORT_MAX_PDF_PAGE_OBJECTS and KEIKAKU_IMPORT_MAX_PDF_PAGE_CHARS before anything is
read from them; :func:`check_pages` refuses a document of more than KEIKAKU_IMPORT_MAX_PDF_PAGES pages
before any page is loaded. Each refusal is ReaderError("too_large") with a "日本語 / English" message.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2.raw as pdfium_c

from keikaku.ingest.blocks import ReaderError
from keikaku.ingest.markers import limit_error, limit_setting

MAX_STREAM_BYTES_ENV = "KEIKAKU_IMPORT_MAX_PDF_STREAM_BYTES"
DEFAULT_MAX_STREAM_BYTES = 64 * 1024 * 1024  # one stream, decoded
MAX_CONTENT_BYTES_ENV = "KEIKAKU_IMPORT_MAX_PDF_CONTENT_BYTES"
DEFAULT_MAX_CONTENT_BYTES = 512 * 1024 * 1024  # all checked streams together, decoded
MAX_PAGE_OBJECTS_ENV = "KEIKAKU_IMPORT_MAX_PDF_PAGE_OBJECTS"
DEFAULT_MAX_PAGE_OBJECTS = 200_000
MAX_PAGE_CHARS_ENV = "KEIKAKU_IMPORT_MAX_PDF_PAGE_CHARS"
DEFAULT_MAX_PAGE_CHARS = 200_000
MAX_PAGES_ENV = "KEIKAKU_IMPORT_MAX_PDF_PAGES"
DEFAULT_MAX_PAGES = 3000

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_OBJ_NUMBER = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\s*$")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\s+\d+\s+R)")
_NOT_PARSED = re.compile(rb"/Subtype\s*/Image|/Type\s*/(?:EmbeddedFile|Metadata|XRef)|/Subtype\s*/XML")
_FONT_DATA = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)|/N\s+\d")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
# operators that make a page object: text shown, paths painted, XObjects, inline images, shadings
_OBJECT_OPS = re.compile(rb"(?<![A-Za-z0-9_/])(?:Tj|TJ|Do|BI|sh|[SsfFBb]\*?)(?![A-Za-z0-9_*])|[)\]>]\s*['\"]")
_DO = re.compile(rb"/([^\s/<>\[\]()%]+)\s*Do(?![A-Za-z0-9_])")
_NAMED_REF = re.compile(rb"/([^\s/<>\[\]()%]+)\s*(\d{1,10})\s+\d{1,5}\s+R\b")
_CHUNK = 1 << 20
_FORM_DEPTH = 12  # PDFium draws forms nested at most this deep (and refuses cycles)


def _too_large(ja: str, en: str) -> ReaderError:
    return limit_error("too_large", ja, en)


def page_objects_error(limit: int) -> ReaderError:
    return _too_large(
        f"PDF のページの描画命令が多すぎます (1 ページ {limit:,} 個超)",
        f"a PDF page draws more than {limit:,} objects (set {MAX_PAGE_OBJECTS_ENV})",
    )


# ---------------------------------------------------------------------------------------------
# bounded decoders


def _inflate(raw: bytes, limit: int) -> bytes | None:
    d = zlib.decompressobj()
    out = bytearray()
    try:
        for k in range(0, len(raw), _CHUNK):
            out += d.decompress(raw[k : k + _CHUNK], limit + 1 - len(out))
            while d.unconsumed_tail and len(out) <= limit:
                out += d.decompress(d.unconsumed_tail, limit + 1 - len(out))
            if len(out) > limit or d.eof:
                break
    except zlib.error:
        return bytes(out) if out else None  # PDFium keeps what inflates before the damage
    return bytes(out)


def _lzw(raw: bytes, limit: int) -> bytes:
    """LZW (/LZWDecode, early change 1), stopping past ``limit`` bytes."""
    out = bytearray()
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    nbits, buf, held, prev = 9, 0, 0, b""
    for byte in raw:
        buf, held = (buf << 8) | byte, held + 8
        while held >= nbits:
            held -= nbits
            code = (buf >> held) & ((1 << nbits) - 1)
            buf &= (1 << held) - 1
            if code == 256:
                del table[258:]
                nbits, prev = 9, b""
                continue
            if code == 257:
                return bytes(out)
            if code < len(table):
                entry = table[code]
                if prev:
                    table.append(prev + entry[:1])
            elif code == len(table) and prev:
                entry = prev + prev[:1]
                table.append(entry)
            else:
                return bytes(out)
            out += entry
            if len(out) > limit:
                return bytes(out)
            prev = entry
            if len(table) + 1 >= (1 << nbits) and nbits < 12:
                nbits += 1
    return bytes(out)


def _run_length(raw: bytes, limit: int) -> bytes:
    out = bytearray()
    k = 0
    while k < len(raw) and len(out) <= limit:
        n = raw[k]
        if n == 128:
            break
        if n < 128:
            out += raw[k + 1 : k + 2 + n]
            k += 2 + n
        else:
            out += raw[k + 1 : k + 2] * (257 - n)
            k += 2
    return bytes(out)


def _decode(raw: bytes, filters: list[bytes], limit: int) -> bytes | None:
    """A stream's data through its filters, each output cut past ``limit``; None when a filter is not
    one that can grow the data without bound (images, encryption) or the data does not decode."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode

    data: bytes | None = raw
    for name in filters:
        if data is None or len(data) > limit:
            return data
        if name in (b"FlateDecode", b"Fl"):
            data = _inflate(data, limit)
        elif name in (b"LZWDecode", b"LZW"):
            data = _lzw(data, limit)
        elif name in (b"RunLengthDecode", b"RL"):
            data = _run_length(data, limit)
        elif name in (b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85"):
            try:  # never longer than their input
                data = asciihexdecode(data) if name in (b"ASCIIHexDecode", b"AHx") else ascii85decode(data)
            except ValueError:
                return None
        else:
            return None
    return data


# ---------------------------------------------------------------------------------------------
# the raw file


@dataclass
class _Stream:
    number: int | None  # object number and generation, when the "N G obj" before it can be read
    generation: int
    dictionary: bytes
    raw: bytes


def _streams(data: bytes) -> Iterator[_Stream]:
    """Each stream object in the file, found by its keyword (no xref needed: PDFium repairs a broken
    xref, so the scan must not rely on one). A "stream" keyword inside another stream's data is
    that data, not a stream: each byte is scanned once."""
    resume = 0
    for m in _STREAM.finditer(data):
        if m.start() < resume:
            continue
        start = m.end()
        head = data[max(0, m.start() - 4096) : m.start()]
        obj = head.rfind(b"obj")
        dictionary = head[obj + 3 :] if obj >= 0 else head
        number = _OBJ_NUMBER.search(head[max(0, obj - 32) : obj + 3]) if obj >= 0 else None
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        length = _LENGTH.search(dictionary)
        if length and start + int(length.group(1)) <= end:
            end = start + int(length.group(1))
        resume = end
        yield _Stream(
            int(number.group(1)) if number else None,
            int(number.group(2)) if number else 0,
            dictionary,
            data[start:end],
        )


def _decrypter(data: bytes) -> Callable[[_Stream], bytes] | None:
    """For a file encrypted with an empty user password (PDFium opens it without asking), a function
    giving a stream's decrypted bytes; None when the file is not encrypted or cannot be opened so."""
    if b"/Encrypt" not in data:
        return None
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except Exception:  # noqa: BLE001 — any failure here only means the streams go unchecked
        return None
    decipher = getattr(doc, "decipher", None)
    if decipher is None:
        return None

    def decrypt(stream: _Stream) -> bytes:
        if stream.number is None:
            return stream.raw
        try:
            return bytes(decipher(stream.number, stream.generation, stream.raw, {}))
        except Exception:  # noqa: BLE001
            return stream.raw

    return decrypt


@dataclass
class _Content:
    """What one content stream or form draws: its own objects and the XObjects it draws by name."""

    objects: int = 0
    draws: Counter[bytes] = field(default_factory=Counter)


def check_streams(data: bytes) -> None:
    """Refuse a PDF whose streams would make PDFium run out of memory or time (see the module doc)."""
    per_stream = limit_setting(MAX_STREAM_BYTES_ENV, DEFAULT_MAX_STREAM_BYTES)
    total_limit = limit_setting(MAX_CONTENT_BYTES_ENV, DEFAULT_MAX_CONTENT_BYTES)
    max_objects = limit_setting(MAX_PAGE_OBJECTS_ENV, DEFAULT_MAX_PAGE_OBJECTS)
    decrypt = _decrypter(data)
    total = 0
    contents: list[_Content] = []
    forms: dict[int, _Content] = {}
    dictionaries: list[bytes] = [data]  # where names of resources are given: the file, object streams
    for stream in _streams(data):
        if _NOT_PARSED.search(stream.dictionary):
            continue
        found = _FILTERS.search(stream.dictionary)
        filters = _NAME.findall(found.group(1)) if found else []
        raw = decrypt(stream) if decrypt else stream.raw
        decoded = _decode(raw, filters, per_stream)
        if decoded is None:
            continue
        if len(decoded) > per_stream:
            raise _too_large(
                f"PDF の中のストリームが大きすぎます (展開後 {per_stream:,} バイト超)",
                f"a PDF stream decodes to more than {per_stream:,} bytes (set {MAX_STREAM_BYTES_ENV})",
            )
        total += len(decoded)
        if total > total_limit:
            raise _too_large(
                f"PDF の内容が大きすぎます (展開後 合計 {total_limit:,} バイト超)",
                f"the PDF's streams decode to more than {total_limit:,} bytes (set {MAX_CONTENT_BYTES_ENV})",
            )
        if _OBJECT_STREAM.search(stream.dictionary):
            dictionaries.append(decoded)
            continue
        if _FONT_DATA.search(stream.dictionary):
            continue
        content = _Content()
        if len(decoded) <= 8 * max_objects:  # the usual stream: counted in C
            content.objects = len(_OBJECT_OPS.findall(decoded))
        else:  # a big one: counted one by one, stopping at the limit
            for _ in _OBJECT_OPS.finditer(decoded):
                content.objects += 1
                if content.objects > max_objects:
                    break
        if content.objects > max_objects:
            raise page_objects_error(max_objects)
        if b"Do" in decoded:
            content.draws.update(m.group(1) for m in _DO.finditer(decoded))
        if stream.number is not None and _FORM.search(stream.dictionary):
            forms[stream.number] = content
        else:
            contents.append(content)
    if forms:
        _check_forms(contents, forms, dictionaries, max_objects)


def _check_forms(
    contents: list[_Content], forms: dict[int, _Content], dictionaries: list[bytes], limit: int
) -> None:
    """A form counts once per Do that draws it: what each name may draw (the heaviest form any
    resource dictionary gives that name), nested forms weighed to PDFium's depth."""
    named: dict[bytes, set[int]] = {}
    for text in dictionaries:
        for m in _NAMED_REF.finditer(text):
            number = int(m.group(2))
            if number in forms:
                named.setdefault(m.group(1), set()).add(number)
    if not named:
        return
    weight = {number: form.objects for number, form in forms.items()}

    def drawn(content: _Content) -> int:
        extra = 0
        for name, times in content.draws.items():
            heaviest = max((weight[n] for n in named.get(name, ())), default=0)
            extra += times * heaviest
            if extra > limit:
                break
        return min(content.objects + extra, limit + 1)

    for _ in range(_FORM_DEPTH):
        updated = {number: drawn(form) for number, form in forms.items()}
        if updated == weight:
            break
        weight = updated
    if any(drawn(content) > limit for content in contents):
        raise page_objects_error(limit)


# ---------------------------------------------------------------------------------------------
# what PDFium loaded


def check_pages(n_pages: int) -> None:
    limit = limit_setting(MAX_PAGES_ENV, DEFAULT_MAX_PAGES)
    if n_pages > limit:
        raise _too_large(
            f"PDF のページが多すぎます ({n_pages:,} ページ、上限 {limit:,} ページ)",
            f"the PDF has {n_pages:,} pages (limit {limit:,}; set {MAX_PAGES_ENV})",
        )


def check_page(page_raw: Any, textpage: Any) -> None:
    """Count what PDFium made of a page before reading it: objects (inside forms too) and characters."""
    limit = limit_setting(MAX_PAGE_OBJECTS_ENV, DEFAULT_MAX_PAGE_OBJECTS)
    todo: list[tuple[int, Any]] = [
        (pdfium_c.FPDFPage_CountObjects(page_raw), lambda i: pdfium_c.FPDFPage_GetObject(page_raw, i))
    ]
    count = 0
    while todo:
        n, get = todo.pop()
        count += max(n, 0)
        if count > limit:
            raise page_objects_error(limit)
        for i in range(n):
            obj = get(i)
            if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
                todo.append(
                    (
                        pdfium_c.FPDFFormObj_CountObjects(obj),
                        lambda j, o=obj: pdfium_c.FPDFFormObj_GetObject(o, j),
                    )
                )
    chars = pdfium_c.FPDFText_CountChars(textpage.raw)
    char_limit = limit_setting(MAX_PAGE_CHARS_ENV, DEFAULT_MAX_PAGE_CHARS)
    if chars > char_limit:
        raise _too_large(
            f"PDF のページの文字が多すぎます ({chars:,} 文字、上限 {char_limit:,} 文字)",
            f"a PDF page holds {chars:,} characters (limit {char_limit:,}; set {MAX_PAGE_CHARS_ENV})",
        )
