"""HTML reader (selectolax/lexbor): headings h1–h6, paragraphs, lists, <dl>, tables with spans.

Encoding: a byte-order mark wins, then ``<meta charset>`` / ``http-equiv`` content type, then UTF-8,
then Shift_JIS (always decoded as cp932, the superset Windows and most sites really use), then EUC-JP.
Navigation, page header/footer, scripts and styles are dropped.

Hostile input: the tree is walked with explicit stacks (no recursion), and a document nested deeper
than KEIKAKU_IMPORT_MAX_NESTING is refused — first by a cheap scan of the markup before parsing
(:func:`check_nesting`: lexbor's parse time grows with the square of the depth; the scan also refuses
more than KEIKAKU_IMPORT_MAX_HTML_ELEMENTS elements), then exactly while walking. Tables go through :func:`keikaku.ingest.markers.fit_table` (KEIKAKU_IMPORT_MAX_TABLE_CELLS).
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from keikaku.core.text import one_line
from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, ReaderError, ReadResult, Table
from keikaku.ingest.markers import (
    fit_table,
    limit_error,
    limit_setting,
    max_nesting,
    nesting_error,
    parse_marker,
)
from keikaku.ingest.readers.common import (
    classify,
    group_lines,
    join_wrapped,
    table_text,
    tidy_spaces,
)
from keikaku.ingest.readers.emphasis import bold_heading, with_bold
from keikaku.ingest.tolerances import TOLERANCES as TOL

DROP_TAGS = {
    "nav", "script", "style", "header", "footer", "noscript", "template", "svg", "iframe",
    "object", "embed", "canvas", "button", "select", "input", "textarea", "head", "title", "meta", "link",
}  # fmt: skip
HEADING_TAGS = {f"h{i}": i for i in range(1, 7)}
INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "img", "kbd", "label",
    "mark", "q", "rb", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
    "tt", "u", "var", "wbr", "del", "ins", "big", "strike", "nobr",
}  # fmt: skip
_SJIS_NAMES = {
    "shift_jis",
    "shift-jis",
    "sjis",
    "x-sjis",
    "windows-31j",
    "ms_kanji",
    "cp932",
    "ms932",
    "csshiftjis",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
# the lookbehind makes a match start where a run of blanks starts: without it every position inside a
# long run of blanks not ending in a newline was tried, scanning the rest of the run (quadratic)
_WS_NEWLINE = re.compile(r"(?<![ \t\r\f\v])[ \t\r\f\v]*\n[\s]*")
_WS = re.compile(r"[ \t\r\n\f\v]+")
_FONT_SIZE = re.compile(r"font-size:\s*([0-9.]+)\s*(pt|px)", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# nesting, estimated from the markup before parsing

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_-]*)([^>]*)>?|<!--")
MAX_ELEMENTS_ENV = "KEIKAKU_IMPORT_MAX_HTML_ELEMENTS"
DEFAULT_MAX_ELEMENTS = 500_000
# text standing between a table's rows or cells is moved before the table ("foster parenting"); lexbor
# appends each such run to the text moved before, copying it (and keeps every copy): the characters
# those copies add up to are capped (20,000 runs of 施策 between cells took a gigabyte)
MAX_FOSTER_ENV = "KEIKAKU_IMPORT_MAX_HTML_FOSTER_CHARS"
DEFAULT_MAX_FOSTER = 100_000_000
_ENTITY = re.compile(r"&#?\w{1,32};")
_TABLE_CONTEXT = {"table", "tbody", "thead", "tfoot", "tr"}
_TABLE_PARTS = {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"}
_TABLE_PARTS |= {"script", "style", "template", "input", "form"}
_VOID = {
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr", "image",
}  # fmt: skip
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"}
# an opened tag closes an open one of these first (searched near the top of the stack, within a scope)
_CLOSES: dict[str, tuple[set[str], set[str]]] = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr"}, {"table", "thead", "tbody", "tfoot"}),
    "thead": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tbody": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot"}, {"table"}),
    "table": ({"table"}, {"td", "th", "caption"}),
    "option": ({"option"}, {"select"}),
}  # not <a> or other formatting elements: lexbor's adoption agency keeps the blocks inside them nested
_CLOSES_P = {
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "li",
    "dd", "dt", "listing",
}  # fmt: skip


def _truncate_at(stack: list[str], counts: Counter[str], wanted: set[str], scope: set[str]) -> None:
    for k in range(len(stack) - 1, max(-1, len(stack) - 1 - TOL.html_scope_window), -1):
        if stack[k] in wanted:
            for tag in stack[k:]:
                counts[tag] -= 1
            del stack[k:]
            return
        if stack[k] in scope:
            return


def estimated_depth(text: str, stop: int, max_elements: int | None = None) -> int:
    """How deep the elements of an HTML text nest, scanned from its tags without building a tree:
    void elements, raw text (script, style), comments, end tags and the usual implied end tags (a new
    <li>, <td>, <tr> or <p> closes the open one; a block closes an open <p>) are followed closely
    enough for real documents. Returns as soon as the depth passes ``stop``; raises ReaderError past
    ``max_elements`` start tags."""
    stack: list[str] = []
    counts: Counter[str] = Counter()
    deepest = elements = 0
    foster_limit = limit_setting(MAX_FOSTER_ENV, DEFAULT_MAX_FOSTER)
    fostered = copied = 0  # text moved before a table so far, and what moving it again copies
    after = 0  # where the text after the last tag starts
    tags = _TAG.finditer(text)
    while (m := next(tags, None)) is not None:  # not a for loop: a skip replaces the iterator
        if stack and stack[-1] in _TABLE_CONTEXT and m.start() > after:
            run = text[after : m.start()]
            if run.strip(" \t\n\f\r"):  # text between rows or cells: lexbor moves it before the
                fostered += len(_ENTITY.sub("&", run))  # table, appending it to the text moved before
                copied += fostered
                if copied > foster_limit:
                    raise _foster_error(foster_limit)
        after = m.end()
        if m.group(0) == "<!--":
            end = text.find("-->", m.end())
            if end < 0:
                break
            tags = _TAG.finditer(text, end + 3)  # the comment's text is skipped, not scanned
            after = end + 3
            continue
        closing, tag = m.group(1), m.group(2).lower()
        if closing:
            if counts[tag] > 0:
                while stack:
                    top = stack.pop()
                    counts[top] -= 1
                    if top == tag:
                        break
            continue
        elements += 1
        if max_elements is not None and elements > max_elements:
            raise _elements_error(max_elements)
        if tag in _VOID:
            continue
        if m.group(3).endswith("/") and (counts["svg"] or counts["math"]):
            continue  # self-closing, honoured in SVG and MathML only
        if tag in _CLOSES_P and counts["p"]:
            _truncate_at(stack, counts, {"p"}, {"button", "table", "td", "th"})
        if tag in _CLOSES:
            _truncate_at(stack, counts, *_CLOSES[tag])
        if stack and stack[-1] in _TABLE_CONTEXT and tag not in _TABLE_PARTS:
            fostered = 0  # an element moved before the table: the next text starts a new node
        if tag in _RAW_TEXT:
            end_raw = re.compile(rf"</{tag}\b", re.IGNORECASE).search(text, m.end())
            if end_raw is None:
                break
            tags = _TAG.finditer(text, end_raw.end())
            after = end_raw.end()
            continue
        stack.append(tag)
        counts[tag] += 1
        deepest = max(deepest, len(stack))
        if deepest > stop:
            break
    return deepest


def _foster_error(limit: int) -> ReaderError:
    return limit_error(
        "too_complex",
        f"HTML の表の中の行・セルの外に置かれた文字が多すぎます (移し替えの複写 {limit:,} 文字超)",
        f"too much text between the rows or cells of an HTML table (moving it copies more than {limit:,}"
        f" characters; set {MAX_FOSTER_ENV})",
    )


def _elements_error(limit: int) -> ReaderError:
    return limit_error(
        "too_complex",
        f"HTML の要素が多すぎます ({limit:,} 個超)",
        f"the HTML has more than {limit:,} elements (set {MAX_ELEMENTS_ENV})",
    )


_COMMENTISH = re.compile(
    r"<!--|<![^-]|<!-(?!-)|<\?|</(?![A-Za-z])|<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b",
    re.IGNORECASE,
)


def strip_comments(text: str) -> str:
    """The markup without comments and bogus comments (<!x>, <?x>, </ x>), which the readers never
    read: lexbor's memory grows with the square of the number of comments between runs of text in a
    table (20,000 of them took a gigabyte). <!DOCTYPE> and the text of raw-text elements (a "<!--"
    inside <script>) are kept."""
    if "<!" not in text and "<?" not in text and "</" not in text:
        return text
    out: list[str] = []
    pos = kept = 0
    n = len(text)
    while pos < n:
        m = _COMMENTISH.search(text, pos)
        if m is None:
            break
        start = m.start()
        if m.group(1):  # a raw-text element: its text runs to its end tag, comments or not
            end_tag = re.compile(rf"</{m.group(1)}\b", re.IGNORECASE).search(text, m.end())
            pos = n if end_tag is None else end_tag.end()
            continue
        opener = m.group(0)
        if opener == "<!--":
            body = m.end()
            if text.startswith(">", body) or text.startswith("->", body):  # <!--> and <!--->
                end = text.find(">", body) + 1
            else:
                close = text.find("-->", body)
                end = n if close < 0 else close + 3
        elif opener[:2] == "<!" and text[start + 2 : start + 9].lower() in ("doctype", "[cdata["):
            pos = m.end()
            continue
        else:  # a bogus comment runs to the next ">"
            close = text.find(">", start + 2)
            end = n if close < 0 else close + 1
        out.append(text[kept:start])
        kept = pos = end
    out.append(text[kept:])
    return "".join(out)


def check_nesting(text: str) -> None:
    """ReaderError("too_complex") when the markup nests deeper than KEIKAKU_IMPORT_MAX_NESTING (with
    the html/body/tbody levels the parser adds) or has more than KEIKAKU_IMPORT_MAX_HTML_ELEMENTS
    elements (each costs a parse and a visit)."""
    limit = max_nesting()
    if "<" not in text:
        return
    depth = estimated_depth(text, limit, limit_setting(MAX_ELEMENTS_ENV, DEFAULT_MAX_ELEMENTS)) + 3
    if depth > limit:
        raise nesting_error(depth, limit)


def _font_size(node: LexborNode) -> float | None:
    """The largest inline font size (points) in an element, as LibreOffice and Word exports write it."""
    sizes = [
        float(n) * (0.75 if unit.lower() == "px" else 1.0) for n, unit in _FONT_SIZE.findall(node.html or "")
    ]
    return max(sizes) if sizes else None


def decode_html(data: bytes) -> tuple[str, str]:
    """Return (text, encoding used)."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace"), enc
    declared = None
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        declared = "cp932" if name in _SJIS_NAMES else name
        try:
            codecs.lookup(declared)
        except LookupError:
            declared = None
    candidates = [c for c in (declared, "utf-8", "cp932", "euc_jp") if c]
    for enc in dict.fromkeys(candidates):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode(declared or "utf-8", errors="replace"), declared or "utf-8"


def _collapse(text: str) -> str:
    """Collapse HTML whitespace; a source line break between Japanese characters vanishes."""
    if "\n" in text:
        parts = _WS_NEWLINE.split(text)
        # keep outer whitespace: "a\n b" inside a sentence still needs one space between Latin words
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        text = lead + join_wrapped(parts) + trail
    return _WS.sub(" ", text)


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._inline: list[str] = []
        self._bold: list[str] = []  # text of <b>/<strong> runs since the last block (a style hint)
        self._bold_heads: dict[int, float | None] = {}  # block index → font size of a bold-only <p>
        self._depth = 0  # block elements open around the node being read
        self._limit = max_nesting()

    # -- inline text ----------------------------------------------------------------------
    def inline_text(self, node: LexborNode) -> str:
        """Text of a node with <br> and nested block elements as newlines."""
        parts: list[str] = []
        self._collect(node, parts)
        lines = [_WS.sub(" ", ln).strip() for ln in "".join(parts).split("\n")]
        return "\n".join(ln for ln in lines if ln)

    def _collect(self, node: LexborNode, parts: list[str]) -> None:
        """Append the text of node's children to parts (an explicit stack, no recursion): inline
        elements run on, block elements are set off by newlines, bold runs are noted."""
        stack: list[tuple[Iterator[LexborNode], Callable[[], None] | None]] = [
            (iter(node.iter(include_text=True)), None)
        ]
        while stack:
            children, on_close = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if on_close is not None:
                    on_close()
                continue
            tag = child.tag
            if tag == "-text":
                parts.append(_collapse(child.text(deep=False) or ""))
                continue
            if tag == "br":
                parts.append("\n")
                continue
            if tag in DROP_TAGS or tag in ("rt", "rp", "-comment"):
                continue
            if self._depth + len(stack) >= self._limit:
                raise nesting_error(self._depth + len(stack), self._limit)
            close: Callable[[], None] | None = None
            if tag in INLINE_TAGS:
                if tag == "img":
                    alt = (child.attributes.get("alt") or "").strip()
                    if alt:
                        parts.append(alt)
                if tag in ("b", "strong"):
                    start = len(parts)

                    def close(start: int = start) -> None:
                        self._bold.extend(t for t in "".join(parts[start:]).split("\n"))
            else:
                parts.append("\n")

                def close() -> None:
                    parts.append("\n")

            stack.append((iter(child.iter(include_text=True)), close))

    # -- blocks ---------------------------------------------------------------------------
    def emit(self, kind: BlockKind, text: str, **kw: object) -> None:
        loc = Location(index=len(self.blocks))
        self.blocks.append(Block(kind=kind, text=text, loc=loc, **kw))  # type: ignore[arg-type]

    def take_bold(self, style: str) -> str:
        hint = with_bold(style, [_WS.sub(" ", t).strip() for t in self._bold]) or style
        self._bold.clear()
        return hint

    def emit_lines(self, text: str, tag: str) -> None:
        """Lines of one element: a line with a marker or bullet starts a block, others continue one."""
        lead = next((t for t in (_WS.sub(" ", x).strip() for x in self._bold) if t), None)
        style = self.take_bold(tag)
        for n, group in enumerate(group_lines(text.split("\n"), explicit_breaks=True)):
            kind, body, marker = classify(group, lead if n == 0 else None)
            self.emit(kind, body, marker=marker, style=style)

    def flush_inline(self) -> None:
        if self._inline:
            text = "".join(self._inline)
            self._inline.clear()
            lines = [_WS.sub(" ", ln).strip() for ln in text.split("\n")]
            self.emit_lines("\n".join(ln for ln in lines if ln), "div")

    def walk(self, node: LexborNode) -> None:
        self._run(self._walk(node))

    def block(self, node: LexborNode, tag: str) -> None:
        self._run(self._block(node, tag))

    def _run(self, start: Iterator[LexborNode]) -> None:
        """Read block elements with an explicit stack: each handler is a generator that yields the
        block elements inside it (a <div>'s children, a nested list) to be read before it goes on."""
        stack = [start]
        base = self._depth
        try:
            while stack:
                self._depth = base + len(stack)
                inner = next(stack[-1], None)
                if inner is None:
                    stack.pop()
                    continue
                if self._depth >= self._limit:
                    raise nesting_error(self._depth, self._limit)
                stack.append(self._block(inner, inner.tag or ""))
        finally:
            self._depth = base

    def _walk(self, node: LexborNode) -> Iterator[LexborNode]:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self._inline.append(_collapse(child.text(deep=False) or ""))
            elif tag == "br":
                self._inline.append("\n")
            elif tag in DROP_TAGS or tag == "-comment":
                continue
            elif tag in INLINE_TAGS:
                parts: list[str] = []
                self._collect(child, parts)
                self._inline.append("".join(parts))
            else:
                self.flush_inline()
                yield child  # read as a block (see _run)
        self.flush_inline()

    def _block(self, node: LexborNode, tag: str) -> Iterator[LexborNode]:
        self._bold.clear()
        if tag in HEADING_TAGS:
            text = " ".join(self.inline_text(node).split("\n"))
            if text:
                parsed, rest = parse_marker(text)
                style = self.take_bold(tag)
                self.emit(
                    BlockKind.HEADING,
                    tidy_spaces(rest),
                    level=HEADING_TAGS[tag],
                    marker=parsed.written if parsed else None,
                    style=style,
                )
        elif tag == "p":
            text = self.inline_text(node)
            flat = tidy_spaces(one_line(text))
            if bold_heading(text, self._bold) and parse_marker(flat)[0] is None:
                # a whole-bold short line: a heading set by direct formatting (level from size, see levels)
                self._bold_heads[len(self.blocks)] = _font_size(node)
                self.emit(BlockKind.HEADING, flat, style=self.take_bold("p"))
            else:
                self.emit_lines(text, "p")
        elif tag in ("ul", "ol", "menu"):
            yield from self.list_items(node, tag)
        elif tag == "dl":
            self.definitions(node)
        elif tag == "table":
            self.table(node)
        elif tag == "pre":
            for line in (node.text(deep=True) or "").splitlines():
                if line.strip():
                    self.emit_lines(line, "pre")
        elif tag == "hr":
            return
        else:
            yield from self._walk(node)

    def bold_levels(self) -> None:
        """Bold-only headings get levels by font size (largest = 1) when sizes differ."""
        sizes = sorted({z for z in self._bold_heads.values() if z is not None}, reverse=True)
        if len(sizes) < 2:
            return
        for i, size in self._bold_heads.items():
            if size is not None:
                self.blocks[i] = replace(self.blocks[i], level=sizes.index(size) + 1)

    def definitions(self, node: LexborNode) -> None:
        """<dl>: a short term and its description make one "term：description" line (as a label line
        of a text plan reads); a long term or a lone item stays a block of its own."""
        items: list[tuple[str, str]] = []
        for child in self._children(node, {"dt", "dd", "div"}):
            subs = self._children(child, {"dt", "dd"}) if child.tag == "div" else [child]  # HTML 5.2
            items.extend((sub.tag or "", self.inline_text(sub)) for sub in subs)
        term: str | None = None
        for n, (tag, text) in enumerate(items):
            if tag == "dt":
                if term is not None:
                    self.emit_lines(term, "dt")
                term = text if len(text) <= 20 and "\n" not in text else None
                if term is None:
                    self.emit_lines(text, "dt")
                continue
            if term is not None and text:
                self.emit(BlockKind.PARAGRAPH, f"{term}：{text}", style="dl")
                if n + 1 < len(items) and items[n + 1][0] == "dd":
                    continue  # several descriptions of one term
                term = None
            elif text:
                self.emit_lines(text, "dd")
        if term is not None:
            self.emit_lines(term, "dt")

    @staticmethod
    def _children(node: LexborNode, tags: set[str]) -> Iterator[LexborNode]:
        for child in node.iter(include_text=False):
            if child.tag in tags:
                yield child

    def list_items(self, node: LexborNode, tag: str) -> Iterator[LexborNode]:
        """Each <li> as a list item; lists, tables and <dl> inside it are yielded to be read after it."""
        ordered = tag == "ol"
        try:  # clamped: start="999999999999" would be a roman numeral of a billion M's
            n = max(-(10**6), min(int(node.attributes.get("start") or 1), 10**6))
        except ValueError:
            n = 1
        kind = (node.attributes.get("type") or "1").strip()
        level = 1  # nesting depth, as Markdown list items carry it: a bullet tree keeps its shape
        up = node.parent
        while up is not None:
            level += up.tag in ("ul", "ol", "menu")
            up = up.parent
        for li in self._children(node, {"li"}):
            own: list[str] = []
            nested: list[LexborNode] = []
            for child in li.iter(include_text=True):
                if child.tag in ("ul", "ol", "table", "dl"):
                    nested.append(child)
                elif child.tag == "-text":
                    own.append(_collapse(child.text(deep=False) or ""))
                elif child.tag == "br":
                    own.append("\n")
                elif child.tag not in DROP_TAGS:
                    parts: list[str] = []
                    self._collect(child, parts)
                    own.append("".join(parts) if child.tag in INLINE_TAGS else "\n" + "".join(parts) + "\n")
            lines = [_WS.sub(" ", ln).strip() for ln in "".join(own).split("\n")]
            text = join_wrapped([ln for ln in lines if ln])
            parsed, rest = parse_marker(text)
            marker = parsed.written if parsed else None
            if marker is None and ordered:
                marker = _ol_marker(n, kind)
                rest = text
            if rest:
                self.emit(BlockKind.LIST_ITEM, tidy_spaces(rest), marker=marker, style="li", level=level)
            n += 1
            yield from nested

    def table(self, node: LexborNode) -> None:
        rows: list[list[Cell]] = []
        caption = None
        for part in node.iter(include_text=False):
            if part.tag == "caption":
                caption = join_wrapped(self.inline_text(part).split("\n")) or None
            elif part.tag == "tr":
                rows.append(self._row(part))
            elif part.tag in ("thead", "tbody", "tfoot"):
                rows.extend(self._row(tr) for tr in self._children(part, {"tr"}))
        rows = [r for r in rows if r]
        if rows:
            loc = Location(index=len(self.blocks))
            table = Table(rows=fit_table(rows), caption=caption)
            self.blocks.append(Block(BlockKind.TABLE, table_text(rows), loc=loc, table=table, style="table"))

    def _row(self, tr: LexborNode) -> list[Cell]:
        cells = []
        for td in self._children(tr, {"td", "th"}):
            text = "\n".join(tidy_spaces(ln) for ln in self.inline_text(td).split("\n"))
            cells.append(
                Cell(
                    text,
                    rowspan=_span(td.attributes.get("rowspan")),
                    colspan=_span(td.attributes.get("colspan")),
                )
            )
        return cells


def _span(raw: str | None) -> int:
    try:
        return min(max(int((raw or "1").strip()), 1), 1000)
    except ValueError:
        return 1


def _ol_marker(n: int, kind: str) -> str:
    if n < 1 or n > 9999:
        return f"{n}."
    if kind in ("a", "A"):
        letter = chr(ord("a") + (n - 1) % 26)
        return (letter.upper() if kind == "A" else letter) + "."
    if kind in ("i", "I"):
        roman = _roman(n)
        return (roman if kind == "I" else roman.lower()) + "."
    return f"{n}."


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def parse_html(text: str) -> LexborHTMLParser:
    """The parsed tree of HTML text (a document or a fragment), comments stripped and nesting checked first
    (lexbor's parse time grows with the square of the depth: 100,000 nested <div> take a minute); a text
    lexbor cannot parse is the domain error ``corrupt``."""
    text = strip_comments(text)
    check_nesting(text)
    try:
        return LexborHTMLParser(text)
    except Exception as exc:  # selectolax raises plain exceptions on parser failure
        raise ReaderError(f"HTML を解析できません / cannot parse HTML: {exc}", code="corrupt") from exc


def read_html(source: bytes | str | Path) -> ReadResult:
    """Read an HTML document (bytes in any of the supported encodings, a str, or a path)."""
    if isinstance(source, Path):
        source = source.read_bytes()
    if isinstance(source, bytes):
        text, encoding = decode_html(source)
    else:
        text, encoding = source, "str"
    tree = parse_html(text)
    root = tree.body or tree.root
    reader = _Reader()
    if root is not None:
        reader.walk(root)
        reader.bold_levels()
    warnings = [] if encoding in ("utf-8", "str") else [f"encoding: {encoding}"]
    return ReadResult(blocks=reader.blocks, format="html", warnings=warnings)
