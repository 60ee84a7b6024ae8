"""Reader for plain text and Markdown (.txt / .md) → the normalised block stream.

Recognises, line by line:
- Markdown headings (``#`` … ``######``) and numbered heading lines ("1.", "(1)", "Ⅱ", "(i)", "①",
  "ア)", "1-①", "第2章") — short, single lines without a sentence end;
- paragraphs. Text converted from PDF often has no blank lines: a line joins the one before it only when
  that line ran to the document's usual line width (or ended with 、), and never when it starts with a
  number marker, a bracket label (【担当】, ＜目標＞, ■KPI) or a bullet; so a cover (title, date,
  organisation on separate lines) stays separate blocks. Wrapped lines are joined with no space between
  Japanese characters, one space between Latin words; Markdown hard breaks ("  ") keep their line break;
- running page numbers ("- 3 -", "3/40", "P.3", a bare "3" in an increasing run) and running headers
  (a short line repeated next to page numbers or form feeds) are dropped;
- list items ("- ", "* ", "+ ", "・") with their inner marker ("- ① …" → marker "①");
- Markdown bold (``**担当課** 企画課``, ``__…__``): the text is kept as written, the bold runs go into the
  block's style hint as the DOCX and HTML readers record theirs (``emphasis.py``), so a bold label reads
  as a label; a definition list (PHP Markdown Extra / pandoc: a short term line, then ``: description``)
  becomes one "term：description" paragraph, as the HTML reader reads ``<dl>``;
- tables: Markdown pipe tables, tab-separated rows (as text converted from PDF/Word gives them), HTML
  ``<table>`` embedded in the text (parsed with selectolax; rowspan/colspan kept as cell spans) and
  tables drawn with box-drawing characters (┌─┬─┐ │ ├─┼─┤ └─┴─┘, ╔═╦═╗ …) or ASCII (+---+ |): rows
  split at the separator lines, a cell's wrapped lines within one row joined, a cell whose bars span
  several columns of the borders kept as a column span;
- footnote definitions ("※7 用語", "¹ 説明", "[^1]: 説明"); a short "※7 用語" line takes the paragraph
  that follows it as its definition.

Every block carries its 1-based line span; a form feed (\f, as pdftotext writes between pages) is a
page break, and when the text has one every block carries its page too. Bytes are decoded as UTF-8
(BOM allowed), else cp932.

Hostile input: every loop advances at least one line per turn (the tests feed lines of tabs and
Unicode line separators), the regular expressions run in linear time, embedded HTML is checked for
nesting (KEIKAKU_IMPORT_MAX_NESTING) and every table for size (KEIKAKU_IMPORT_MAX_TABLE_CELLS).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from keikaku.core.text import FULL_STOPS, nfkc
from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, ReaderError, ReadResult, Table
from keikaku.ingest.markers import (
    DEFAULT_MAX_TABLE_CELLS,
    MAX_TABLE_CELLS_ENV,
    fit_table,
    limit_error,
    limit_setting,
    max_nesting,
    nesting_error,
    parse_marker,
    strip_bullet,
)
from keikaku.ingest.readers.emphasis import bold_heading, with_bold
from keikaku.ingest.readers.fragment import simple_fragment_text, tidy_lines
from keikaku.ingest.readers.text_boxes import (
    VERTICALS,
    box_cells,
    box_layout,
    display_width,
    is_box_border,
    is_box_line,
    is_box_row,
)
from keikaku.ingest.tolerances import TOLERANCES as TOL

# "# 見出し ##": the closing hashes are cut in code (a lazy group before "\s*#*\s*$" backtracked
# cubically on a line of blanks)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST = re.compile(r"^(\s*)([-*+]|・)\s+(.*)$")
_LIST_DOT = re.compile(r"^(\s*)・(.*)$")
_FOOTNOTE = re.compile(r"^(※\s*[0-9０-９]{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[\^[^\]]+\]:)\s*(.*)$")
_PIPE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_DASH_ONLY = re.compile(r"^[\s\-−–—:|]*$")
_BLOCK_TAGS = ("p", "li", "br", "div", "tr")
_PAGE_DECORATED = re.compile(
    r"^(?:[-－—–‐ー~〜・(（\[［]+\s*[0-9０-９]{1,4}\s*[-－—–‐ー~〜・)）\]］]+"
    r"|[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}|(?:p|P|ｐ|Ｐ)\.?\s*[0-9０-９]{1,4}|[0-9０-９]{1,4}\s*(?:ページ|頁))$"
)
_PAGE_BARE = re.compile(r"^[0-9０-９]{1,3}$")
# a line opening with a bracket label or a label bullet starts a new block: 【担当】 ＜目標＞ 〈KPI〉 ■内容
_LABEL_START = re.compile(r"^(?:[【〔＜<〈《\[［][^】〕＞>〉》\]］]{1,16}[】〕＞>〉》\]］]|[■□◆◇●○◎▼▽▶►★☆])")
_WORD_LABEL = re.compile(r"^[^\s:：。、]{1,8}\s*[:：]")
_MD_WHOLE_BOLD = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1$")
_MD_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_DEFINITION = re.compile(r"^ {0,3}:[ \t]+(\S.*)$")  # ": description" under a term line
_TERM_MAX_CHARS = 20  # as the HTML reader: a longer "term" is a paragraph of its own
_CONTINUE_END = ("、", "，", ",", "・", "（", "(", "「", "『")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp932 (Shift_JIS as Windows writes it)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as e:
        raise ReaderError(
            "テキストの文字コードを判別できません (UTF-8 / Shift_JIS 以外) / unknown text encoding (not UTF-8 or Shift_JIS)",
            "encoding",
        ) from e


def _parse_html(html: str) -> HTMLParser:
    from keikaku.ingest.readers.html import parse_html

    return parse_html(html)


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment; <li>, <p>, <br> become line breaks."""
    if "<" not in fragment:
        return fragment.strip()
    simple = simple_fragment_text(fragment)  # the usual cell: <p>, <br>, a list — no parser needed
    if simple is not None:
        return simple
    tree = _parse_html(f"<div>{fragment}</div>")
    root = tree.body or tree.root
    if root is None:
        return re.sub(r"<[^>]+>", "", fragment).strip()
    return _node_text(root).strip()


def _node_text(node: Node) -> str:
    """A node's text, lists, tables and block elements on lines of their own; each element's text
    tidied (blanks squeezed, lines trimmed) before it joins its parent's. Walked with an explicit
    stack, at most KEIKAKU_IMPORT_MAX_NESTING deep."""
    limit = max_nesting()
    # per open element: its children, the text collected so far, what wraps it in its parent
    stack: list[tuple[object, list[str], str]] = [(node.iter(include_text=True), [], "")]
    while True:
        children, parts, _wrap = stack[-1]
        child = next(children, None)  # type: ignore[call-overload]
        if child is None:
            _, done, wrap = stack.pop()
            text = tidy_lines("".join(done))
            if not stack:
                return text
            stack[-1][1].append(wrap + text + wrap)
            continue
        if child.tag == "-text":
            parts.append(child.text_content or "")
            continue
        if len(stack) >= limit:
            raise nesting_error(len(stack), limit)
        wrap = "\n" if child.tag in ("ul", "ol", "table") or child.tag in _BLOCK_TAGS else ""
        stack.append((child.iter(include_text=True), [], wrap))


def parse_html_tables(html: str) -> list[Table]:
    """Every top-level <table> in an HTML fragment, with rowspan/colspan as cell spans."""
    tree = _parse_html(html)
    tables: list[Table] = []
    for t in tree.css("table"):
        parent = t.parent
        nested = False
        while parent is not None:
            if parent.tag == "table":
                nested = True
                break
            parent = parent.parent
        if nested:
            continue
        rows: list[list[Cell]] = []
        for tr in t.css("tr"):
            closest = _closest_table(tr)
            if closest is None or closest.mem_id != t.mem_id:
                continue
            cells = []
            for td in tr.iter():
                if td.tag not in ("td", "th"):
                    continue
                cells.append(
                    Cell(
                        _node_text(td),
                        rowspan=_span(td.attributes.get("rowspan")),
                        colspan=_span(td.attributes.get("colspan")),
                    )
                )
            if cells:
                rows.append(cells)
        cap = t.css_first("caption")
        if rows:
            tables.append(Table(rows=fit_table(rows), caption=_node_text(cap) if cap else None))
    return tables


def _closest_table(node: Node) -> Node | None:
    p = node.parent
    while p is not None and p.tag != "table":
        p = p.parent
    return p


def _span(v: str | None) -> int:
    try:
        return max(1, min(int(v or 1), 1000))
    except ValueError:
        return 1


def _join(a: str, b: str) -> str:
    """Join a wrapped line: a space only between two Latin/digit characters."""
    if not a:
        return b
    if not b:
        return a
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def starts_block(text: str) -> bool:
    """A line that opens a new block: a number marker, a bracket label, a label bullet, 'ラベル：'."""
    s = text.strip(" \t　\u00a0")
    if not s:
        return False
    marker, rest = parse_marker(s)
    if marker is not None and rest:
        return True
    return bool(_LABEL_START.match(s) or _WORD_LABEL.match(s))


def _is_plain(line: str) -> bool:
    s = line.strip(" \t　\u00a0")
    return (
        bool(s)
        and "\t" not in line
        and not s.startswith(("|", "<", "#", "- ", "* ", "+ ", "・"))
        and not ("\u2500" <= s[0] <= "\u257f")
        and not is_box_border(s)
    )


def usual_width(lines: list[str]) -> int | None:
    """The width lines are wrapped at, when the text is wrapped: many plain lines end at one width and
    hardly any run past it. None when lines do not pile up at a width (unwrapped text)."""
    widths = [display_width(ln.strip(" \t　\u00a0")) for ln in lines if _is_plain(ln)]
    widths = [w for w in widths if w >= 20]
    if len(widths) < 3:
        return None
    counts = Counter(widths)
    keys = sorted(counts)
    upto = [0]  # upto[k]: lines narrower than keys[k] (prefix sums: linear, not one pass per width)
    for k in keys:
        upto.append(upto[-1] + counts[k])
    best: tuple[int, int] | None = None
    for w in reversed(keys):
        hi = upto[bisect.bisect_right(keys, w)]
        window = hi - upto[bisect.bisect_left(keys, w - TOL.text_width_tolerance)]
        above = upto[-1] - hi
        if window >= 3 and window >= 0.1 * len(widths) and above <= max(1, 0.1 * window):
            if best is None or window > best[1]:
                best = (w, window)
    return best[0] if best else None


def running_lines(lines: list[str]) -> set[int]:
    """Indices of page numbers ("- 3 -", "3/40", "p.3", bare numbers counting up) and running headers
    (a short line repeated three or more times next to page numbers or form feeds)."""
    drop: set[int] = set()
    bare: list[tuple[int, int]] = []
    for i, ln in enumerate(lines):
        s = nfkc(ln).strip(" \t\f")
        if not s or "\t" in ln or "|" in s:
            continue
        if _PAGE_DECORATED.match(s.replace(" ", "")):
            drop.add(i)
        elif _PAGE_BARE.match(s):
            bare.append((i, int(s)))
    if len(bare) >= 2:
        nums = [n for _, n in bare]
        ups = sum(1 for a, b in zip(nums, nums[1:], strict=False) if b > a)
        if ups >= 0.8 * (len(nums) - 1):
            drop.update(i for i, _ in bare)
    breaks = drop | {i for i, ln in enumerate(lines) if "\f" in ln}
    if not breaks:
        return drop
    seen: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        s = ln.strip(" \t　\f")
        if 2 <= len(s) <= 60 and _is_plain(ln) and not starts_block(s):
            seen.setdefault(s, []).append(i)
    marks = sorted(breaks)

    def near_break(i: int) -> bool:
        k = bisect.bisect_left(marks, i - 3)
        return k < len(marks) and marks[k] <= i + 3

    for occ in seen.values():
        if len(occ) < 3:
            continue
        near = [i for i in occ if near_break(i)]
        if len(near) >= 0.5 * len(occ):
            drop.update(occ[1:])
    return drop


def _clean_cell(text: str) -> str:
    return html_to_text(text).strip() if "<" in text else text.strip()


def _split_pipe_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    return [c.replace("\\|", "|") for c in cells]


def _pages(lines: list[str]) -> list[int] | None:
    """The page each line starts on, counting form feeds (a \f before a line's text opens a new
    page for it); None when the text has no form feed."""
    if not any("\f" in ln for ln in lines):
        return None
    out: list[int] = []
    page = 1
    for ln in lines:
        lead = len(ln) - len(ln.lstrip())
        out.append(page + ln[:lead].count("\f"))
        page += ln.count("\f")
    return out


class _TextReader:
    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.page_of = _pages(self.lines)
        self.dropped = running_lines(self.lines)
        self.lines = [ln.replace("\f", "") for ln in self.lines]
        self.width = usual_width([ln for i, ln in enumerate(self.lines) if i not in self.dropped])
        self.blocks: list[Block] = []
        self.para: list[str] = []
        self.para_start = 0

    # -- paragraphs --------------------------------------------------------------------------
    def flush(self, end: int) -> None:
        if not self.para:
            return
        # the _join rule, built as a list: one paragraph may be the whole file
        out: list[str] = []
        tail = ""
        for ln in self.para:
            hard = ln.endswith("  ")
            piece = ln.strip()
            if piece:
                if tail.isascii() and tail.isalnum() and piece[0].isascii() and piece[0].isalnum():
                    out.append(" ")
                out.append(piece)
                tail = piece[-1]
            if hard:
                out.append("\n")
                tail = "\n"
        text = "".join(out).strip()
        if text:
            bold = [a or b for a, b in _MD_BOLD.findall(text)] if "**" in text or "__" in text else []
            style = with_bold(None, bold)
            self.blocks.append(Block(BlockKind.PARAGRAPH, text, Location(self.para_start, end), style=style))
        self.para = []

    def definition(self, line: str, lineno: int) -> bool:
        """': description' under a one-line term: one "term：description" paragraph (a definition list)."""
        m = _DEFINITION.match(line)
        if m is None or len(self.para) != 1:
            return False
        term = _unescape(self.para[0]).strip()
        if not term or len(term) > _TERM_MAX_CHARS or starts_block(term):
            return False
        value = _unescape(m.group(1)).strip()
        self.blocks.append(
            Block(BlockKind.PARAGRAPH, f"{term}：{value}", Location(self.para_start, lineno), style="dl")
        )
        self.para = []
        return True

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    # -- main loop ---------------------------------------------------------------------------
    def read(self) -> list[Block]:
        blocks = self._read()
        if self.page_of is None:
            return blocks
        pages = self.page_of
        return [
            replace(b, loc=replace(b.loc, page=pages[min(b.loc.line_start or 1, len(pages)) - 1]))
            for b in blocks
        ]

    def pages(self) -> int | None:
        if self.page_of is None:
            return None
        used = [p for p, ln in zip(self.page_of, self.lines, strict=True) if ln.strip()]
        return max(used, default=1)

    def _read(self) -> list[Block]:
        lines = self.lines
        i = 0
        n = len(lines)
        while i < n:
            raw = lines[i]
            line = raw.rstrip("\n")
            # one notion of blank everywhere (str.strip: tabs, U+2028, U+0085 …): a table reader
            # that saw a blank line where this loop saw text returned without advancing, forever
            stripped = line.strip()
            lineno = i + 1
            if i in self.dropped:
                i += 1
                continue
            if "<table" in line.lower():
                self.flush(lineno - 1)
                i = max(self._html_table(i), i + 1)
                continue
            if is_box_line(stripped):
                end, box = self._box_table(i)
                if box is not None:
                    self.flush(lineno - 1)
                    self.add(box)
                    i = max(end, i + 1)
                    continue
            if "\t" in line and stripped:
                self.flush(lineno - 1)
                i = max(self._tab_table(i), i + 1)
                continue
            if stripped.startswith("|") and stripped.count("|") >= 2:
                self.flush(lineno - 1)
                i = max(self._pipe_table(i), i + 1)
                continue
            if not stripped:
                self.flush(lineno - 1)
                i += 1
                continue
            m = _MD_HEADING.match(stripped)
            if m:
                self.flush(lineno - 1)
                marker, rest = parse_marker(_unescape(m.group(2).rstrip().rstrip("#").rstrip()))
                self.add(
                    Block(
                        BlockKind.HEADING,
                        rest.strip(),
                        Location(lineno, lineno),
                        level=len(m.group(1)),
                        marker=marker.written if marker else None,
                        style="md",
                    )
                )
                i += 1
                continue
            m = _FOOTNOTE.match(stripped)
            if m and m.group(2):
                self.flush(lineno - 1)
                self.add(
                    Block(BlockKind.FOOTNOTE, m.group(2).strip(), Location(lineno, lineno), marker=m.group(1))
                )
                i += 1
                continue
            m = _LIST.match(line) or _LIST_DOT.match(line)
            if m:
                self.flush(lineno - 1)
                indent = len(m.group(1).expandtabs(4))
                body = _unescape(m.group(m.lastindex or 3)).strip()
                bullet = m.group(2) if m.lastindex == 3 else "・"
                inner_bullet, body2 = strip_bullet(body)
                marker, rest = parse_marker(body2)
                mk = marker.written if marker else (inner_bullet or (bullet if bullet == "・" else None))
                self.add(
                    Block(
                        BlockKind.LIST_ITEM,
                        rest.strip() if marker else body2.strip(),
                        Location(lineno, lineno),
                        level=indent // 2 + 1,
                        marker=mk,
                    )
                )
                i += 1
                continue
            if self.definition(line, lineno):
                i += 1
                continue
            heading = self._bold_heading(stripped, lineno)
            if heading is not None:
                self.flush(lineno - 1)
                self.add(heading)
                i += 1
                continue
            if self.para and not self._continues(self.para[-1], stripped):
                self.flush(lineno - 1)
            if not self.para and self._is_heading_line(i, stripped):
                marker, rest = parse_marker(_unescape(stripped))
                self.add(
                    Block(
                        BlockKind.HEADING,
                        rest.strip(),
                        Location(lineno, lineno),
                        marker=marker.written if marker else None,
                    )
                )
                i += 1
                continue
            if not self.para:
                self.para_start = lineno
            self.para.append(_unescape(line))
            i += 1
        self.flush(n)
        return _attach_footnote_definitions(self.blocks)

    def _bold_heading(self, stripped: str, lineno: int) -> Block | None:
        """A line set wholly in bold (``**(1) 電子申請の拡充**``) read as the DOCX and HTML readers read a
        wholly bold paragraph: a short numbered line is a heading with its marker, a short unnumbered one
        without 。 or a label colon a heading by emphasis alone; anything else stays text."""
        m = _MD_WHOLE_BOLD.match(stripped)
        if m is None or "**" in m.group(2) or "__" in m.group(2):
            return None
        inner = _unescape(m.group(2)).strip()
        marker, rest = parse_marker(inner)
        if marker is None and inner.startswith(("【", "[", "［")):
            return None  # 【1-3】 title: a measure's key and its title, a paragraph as in plain type
        if marker is not None:
            if not rest or len(rest) > TOL.max_heading_chars or "。" in rest:
                return None
        elif not bold_heading(inner, [inner]):
            return None
        return Block(
            BlockKind.HEADING,
            rest.strip() if marker else inner,
            Location(lineno, lineno),
            marker=marker.written if marker else None,
        )

    def _runs_full(self, line: str) -> bool:
        s = line.strip(" \t　\u00a0")
        return self.width is not None and display_width(s) >= self.width - TOL.text_width_tolerance

    def _continues(self, prev: str, line: str) -> bool:
        """Whether a plain line continues the paragraph whose last line is prev (a wrapped line)."""
        if starts_block(line):
            return False
        if prev.endswith("  "):  # Markdown hard break: same paragraph, new line
            return True
        p = prev.strip(" \t　\u00a0")
        if p.endswith(_CONTINUE_END) or p.count("（") + p.count("(") > p.count("）") + p.count(")"):
            return True
        if p[-1:].isascii() and p[-1:].isalnum() and line[:1].isascii() and line[:1].islower():
            return True  # an English sentence wrapped between words
        return self._runs_full(p)

    def _next_line(self, i: int) -> str:
        j = i + 1
        while j < len(self.lines) and j in self.dropped:
            j += 1
        return self.lines[j] if j < len(self.lines) else ""

    def _is_heading_line(self, i: int, stripped: str) -> bool:
        marker, rest = parse_marker(stripped)
        if marker is None or not rest:
            return False
        if len(rest) > TOL.max_heading_chars or "。" in rest:
            return False
        nxt = self._next_line(i)
        # a wrapped sentence continues on the next line: not a heading
        return not (_is_plain(nxt) and self._continues(self.lines[i], nxt.strip(" \t　\u00a0")))

    # -- tables ------------------------------------------------------------------------------
    def _tab_table(self, i: int) -> int:
        rows: list[list[Cell]] = []
        start = i
        budget = _CellBudget()
        while i < len(self.lines):
            line = self.lines[i]
            if "\t" not in line or not line.strip() or "<table" in line.lower():
                break
            budget.take(line.count("\t") + 1)
            if len(rows) >= 2 and self._width_changes(rows, i):
                break  # two tables written one after the other: a year row under a card, then the next card
            cells = [_clean_cell(c) for c in line.split("\t")]
            if not _DASH_ONLY.match("".join(cells)):
                while len(cells) > 1 and not cells[-1] and len(rows) and len(cells) > len(rows[0]):
                    cells.pop()
                rows.append([Cell(c) for c in cells])
            i += 1
        if rows:
            self.add(
                Block(
                    BlockKind.TABLE, _table_text(rows), Location(start + 1, i), table=Table(fit_table(rows))
                )
            )
        return i

    def _width_changes(self, rows: list[list[Cell]], i: int) -> bool:
        """Line i and the next both have another number of cells than every row so far (all of one
        width): a new table starts at line i."""
        widths = {len(r) for r in rows}
        if len(widths) != 1:
            return False
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        w = self.lines[i].count("\t") + 1
        return w not in widths and "\t" in nxt and nxt.count("\t") + 1 == w

    def _pipe_table(self, i: int) -> int:
        rows: list[list[Cell]] = []
        start = i
        budget = _CellBudget()
        while i < len(self.lines):
            s = self.lines[i].strip()
            if not (s.startswith("|") and s.count("|") >= 2):
                break
            budget.take(s.count("|"))
            if not _PIPE_SEP.match(s):
                rows.append([Cell(_clean_cell(_unescape(c))) for c in _split_pipe_row(s)])
            i += 1
        if rows:
            self.add(
                Block(
                    BlockKind.TABLE, _table_text(rows), Location(start + 1, i), table=Table(fit_table(rows))
                )
            )
        return i

    def _box_table(self, i: int) -> tuple[int, Block | None]:
        """A table drawn with box-drawing characters or ASCII (+---+ / | a | b |) from line i: the
        end line and the table block, or (i, None) when the lines there draw no table (a lone rule,
        a tree of ├── branches)."""
        start = i
        borders: list[str] = []
        segments: list[list[str]] = [[]]
        budget = _CellBudget()
        while i < len(self.lines) and i not in self.dropped:
            s = self.lines[i].strip()
            if is_box_border(s):
                borders.append(s)
                if segments[-1]:
                    segments.append([])
            elif is_box_row(s):
                budget.take(sum(s.count(v) for v in VERTICALS))
                segments[-1].append(s)
            else:
                break
            i += 1
        segments = [seg for seg in segments if seg]
        if not segments:
            return start, None
        stops, wide_box = box_layout(borders, [line for seg in segments for line in seg])
        # separators between body rows: each stretch between two rules is one row (its lines are one
        # cell's wrapped text); only a header rule: a line opens a row unless its first cell is empty
        per_line = len(segments) < 3
        rows: list[list[Cell]] = []
        for seg in segments:
            row: list[Cell] | None = None
            for line in seg:
                cells = box_cells(line, stops, wide_box, _clean_cell)
                if row is None or (per_line and cells[0].text):
                    row = cells
                    rows.append(row)
                    continue
                for k, cell in enumerate(cells):
                    if k < len(row):
                        row[k].text = _join(row[k].text, cell.text)
                    else:
                        row.append(cell)
        rows = [r for r in rows if any(c.text for c in r)]
        if not rows:
            return i, None
        table = Table(fit_table(rows))
        return i, Block(BlockKind.TABLE, _table_text(rows), Location(start + 1, i), table=table, style="box")

    def _html_table(self, i: int) -> int:
        start = i
        buf: list[str] = []
        depth = 0
        while i < len(self.lines):
            line = self.lines[i]
            buf.append(line)
            low = line.lower()
            depth += low.count("<table") - low.count("</table")
            i += 1
            if depth <= 0:
                break
        html = "\n".join(buf)
        before = re.split(r"<table", html, maxsplit=1, flags=re.IGNORECASE)[0]
        before_text = html_to_text(before.replace("\t", " ")).strip()
        if before_text:
            self.add(Block(BlockKind.PARAGRAPH, before_text, Location(start + 1, start + 1)))
        for t in parse_html_tables(html):
            rows = t.rows
            self.add(Block(BlockKind.TABLE, _table_text(rows), Location(start + 1, i), table=t, style="html"))
        after = re.split(r"</table>", html, flags=re.IGNORECASE)[-1] if "</table" in html.lower() else ""
        after_text = html_to_text(after.replace("\t", " ")).strip()
        if after_text:
            self.add(Block(BlockKind.PARAGRAPH, after_text, Location(i, i)))
        return i


class _CellBudget:
    """Counts a text table's cells as they are read: ReaderError past KEIKAKU_IMPORT_MAX_TABLE_CELLS,
    before a line of millions of tabs becomes millions of cells."""

    def __init__(self) -> None:
        self.left = limit_setting(MAX_TABLE_CELLS_ENV, DEFAULT_MAX_TABLE_CELLS)
        self.limit = self.left

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise limit_error(
                "too_large",
                f"表が大きすぎます (上限 {self.limit:,} セル)",
                f"table too large (limit {self.limit:,} cells; set {MAX_TABLE_CELLS_ENV})",
            )


# -- tables drawn with box-drawing characters (U+2500–U+257F) or ASCII -------------------------
_MD_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def _unescape(s: str) -> str:
    """Markdown's backslash escapes undone: \\* → *."""
    return _MD_ESCAPED.sub(r"\1", s) if "\\" in s else s


def _table_text(rows: list[list[Cell]]) -> str:
    return "\n".join("\t".join(c.text for c in r) for r in rows)


def _attach_footnote_definitions(blocks: list[Block]) -> list[Block]:
    """A "※7 用語" footnote line followed by its definition paragraph becomes one footnote."""
    out: list[Block] = []
    k = 0
    while k < len(blocks):
        b = blocks[k]
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        if (
            b.kind == BlockKind.FOOTNOTE
            and len(b.text) <= 40
            and not b.text.endswith(FULL_STOPS)
            and nxt is not None
            and nxt.kind == BlockKind.PARAGRAPH
        ):
            loc = Location(b.loc.line_start, nxt.loc.line_end)
            out.append(Block(BlockKind.FOOTNOTE, f"{b.text}\n{nxt.text}", loc, marker=b.marker))
            k += 2
            continue
        out.append(b)
        k += 1
    return out


def read_text(path_or_bytes: str | Path | bytes, filename: str | None = None) -> ReadResult:
    """Read a .txt / .md document (a path or its bytes) into blocks."""
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
        name = filename or "document.txt"
    else:
        p = Path(path_or_bytes)
        try:
            data = p.read_bytes()
        except OSError as e:
            raise ReaderError(
                f"ファイルを読めません: {p.name} ({e.strerror}) / cannot read the file", "io"
            ) from e
        name = filename or p.name
    if not data.strip():
        raise ReaderError(f"空のファイルです: {name} / the file is empty", "empty")
    if b"\x00" in data[:4096]:
        raise ReaderError(f"テキストファイルではありません: {name} / not a text file", "unsupported")
    text = decode(data)
    reader = _TextReader(text)
    blocks = reader.read()
    if not blocks:
        raise ReaderError(f"本文がありません: {name} / the document has no text", "empty")
    fmt = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
    return ReadResult(blocks=blocks, format=fmt, pages=reader.pages())
