"""PDF table cells: the page's characters placed by their centres, and a cell's lines as its text
(wrapped lines joined, paragraph ends, department names one a line). Used by ``readers/pdf.py``."""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as pdfium_c

from keikaku.ingest.blocks import Cell
from keikaku.ingest.readers.common import _is_cjk, join_wrapped, split_bullet, tidy_spaces
from keikaku.ingest.readers.text import starts_block

# Word's list bullets come out of a PDF as private-use code points of the Symbol / Wingdings fonts
# (• U+F0B7, § U+F0A7, ● U+F06C, ■ U+F06E, ➢ U+F0D8, ✓ U+F0FC …); PDFium reports a hyphen that ends a
# line as U+0002
_PUA_BULLET = re.compile(r"[\uf000-\uf0ff]")
_CHAR_MAP = {0x02: "-", 0xAD: "-", 0xFFFE: "-"}


def clean_chars(text: str) -> str:
    if "\x02" in text or "\xad" in text or "\ufffe" in text:
        text = text.translate(_CHAR_MAP)
    if _PUA_BULLET.search(text):
        text = _PUA_BULLET.sub("・", text)
    return text


# characters a line may not start with: Japanese line breaking (禁則) lets them hang past the end of a
# full line — over the cell's right rule, their ink in the next cell ("カード" → "カ" + "ー", "ッ", "ュ")
_HANGING = frozenset(
    "、。，．・ー）」』】〕〉》］｝！？々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)


class Chars:
    """The page's characters with their centres (top-based), for assigning text to table cells.

    PDFium's bounded-text call keeps a character whose box merely overlaps the rectangle, so the
    tall boxes of brackets leak into the cell above or below; a character belongs to the cell that
    holds its centre instead — a hanging one (``_HANGING``) to the cell that holds its origin."""

    def __init__(self, textpage: Any, height: float) -> None:
        raw = self.raw = textpage.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        self.text = textpage.get_text_range(0, n) if n > 0 else ""
        if len(self.text) != n:
            self.text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(n))
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        loose = pdfium_c.FS_RECTF()
        self.points: list[tuple[int, float, float]] = []
        # index → (left, right, top, bottom), top-based
        self.boxes: dict[int, tuple[float, float, float, float]] = {}
        for i, ch in enumerate(self.text):
            if ch.isspace():
                continue
            if pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
                t, b = height - top.value, height - bottom.value
                self.boxes[i] = (left.value, right.value, t, b)
                x = (left.value + right.value) / 2
                if ch in _HANGING and pdfium_c.FPDFText_GetLooseCharBox(raw, i, loose):
                    x = min(x, loose.left + 0.5)  # its origin: the cell its line ends in
                self.points.append((i, x, (t + b) / 2))

    def inside(self, x0: float, top: float, x1: float, bottom: float) -> list[tuple[int, float, float]]:
        return [p for p in self.points if x0 <= p[1] <= x1 and top <= p[2] <= bottom]

    def _space(self, prev: int, cur: int) -> str:
        """What a whitespace-only gap between two picked characters is, by their boxes: a line break
        when the next character sits on a lower line (PDFium sometimes writes a wrap as a space); no
        space between two Japanese characters closer than a quarter em (PDFium's guess in a tight
        cell, "推進 課"); otherwise one space."""
        a, b = self.boxes.get(prev), self.boxes.get(cur)
        if a is None or b is None:
            return " "
        em = max(pdfium_c.FPDFText_GetFontSize(self.raw, prev), 1.0)
        if (b[2] + b[3]) / 2 > a[3] and b[0] < a[1]:
            return "\n"
        if _is_cjk(self.text[prev]) and _is_cjk(self.text[cur]) and b[0] - a[1] < 0.25 * em:
            return ""
        return " "

    def lines(self, picked: list[int]) -> list[CellLine]:
        """The picked characters (indices in reading order) as lines: a new line wherever PDFium's
        text between two picked characters holds a line break or characters of another cell."""
        out: list[CellLine] = []
        buf: list[str] = []
        first = prev = None
        for i in picked:
            if prev is not None:
                between = self.text[prev + 1 : i]
                gap = self._space(prev, i) if between and not between.strip() else None
                if between and (("\n" in between or "\r" in between) or between.strip() or gap == "\n"):
                    out.append(self._line(buf, first, prev))
                    buf = []
                    first = i
                elif gap:
                    buf.append(gap)
            else:
                first = i
            buf.append(self.text[i])
            prev = i
        if buf and first is not None and prev is not None:
            out.append(self._line(buf, first, prev))
        return out

    def _line(self, buf: list[str], first: int | None, last: int | None) -> CellLine:
        box = self.boxes.get(last) if last is not None else None
        head = self.boxes.get(first) if first is not None else None
        right = box[1] if box else math.inf
        # the font size, not the glyph's box: a long-vowel mark or a dot has a tiny box
        em = pdfium_c.FPDFText_GetFontSize(self.raw, last) if box and last is not None else 0.0
        return CellLine("".join(buf), right, em, head[2] if head else -math.inf, box[3] if box else math.inf)


@dataclass
class CellLine:
    text: str
    right: float  # x of the last character's right edge
    em: float  # that character's font size
    top: float = -math.inf  # the first character's top
    bottom: float = math.inf  # the last character's bottom


# the end of an organisation's name: a cell listing one department a line keeps its line breaks
_NAME_END = re.compile(r"(?:課|室|局|係|班|センター|事務局|委員会)$")


def _two_names(prev: str, line: str) -> bool:
    """'デジタル推進課' / '各業務所管課': two short lines that each end a department's name."""
    return len(prev) <= 16 and len(line) <= 16 and bool(_NAME_END.search(prev) and _NAME_END.search(line))


_BARE_NUMBER = re.compile(r"^[0-9０-９]{1,3}\s")


def _starts_in_cell(line: str) -> bool:
    """starts_block, except a bare number: in a narrow cell "（第\n6 期）" wraps before a number
    (PDFium puts a space after it), which would otherwise look like the marker "6"."""
    return starts_block(line) and not _BARE_NUMBER.match(line)


def _name_follows(lines: list[str], k: int) -> bool:
    """Line k starts another department's name: the line before ends one, and k with the lines
    after it up to the next name end make one short name ('防災安全課' / 'AI システ' / 'ム推進課')."""
    if k == 0 or not _NAME_END.search(lines[k - 1]) or len(lines[k - 1]) > 16:
        return False
    joined = ""
    for line in lines[k:]:
        joined = join_wrapped([joined, line])
        if len(joined) > 16:
            return False
        if _NAME_END.search(line):
            return True
    return False


_NUMBER_WRAP_END = re.compile(r"[0-9A-Za-z]$")
_NUMBER_WRAP_START = re.compile(r"[0-9]")


def _has_cjk(text: str) -> bool:
    return any(_is_cjk(ch) for ch in text)


def cell_text(cell_lines: list[CellLine], cell_right: float = math.inf) -> str:
    """A cell's lines as its text: wrapped lines joined (Japanese without spaces); a new line where
    an item starts, where a line stops short of the cell's right edge (a paragraph ended there;
    Latin words wrapped mid-sentence excepted) or where another department's name begins."""
    lines = [clean_chars(cl.text).strip() for cl in cell_lines]
    out: list[str] = []
    buf: list[str] = []
    short_end = False
    for k, line in enumerate(lines):
        if not line:
            continue
        if (
            buf
            and (
                _starts_in_cell(line)
                or split_bullet(line)[0]
                or _two_names(buf[-1], line)
                or _name_follows(lines, k)
                or (
                    short_end
                    and cell_lines[k].top >= cell_lines[k - 1].bottom - 2  # PDFium breaks some lines mid-row
                    and not (buf[-1][-1:].isascii() and line[:1].isascii())
                )
            )
        ):
            out.append(join_wrapped(buf))
            buf = []
        if (
            buf
            and not short_end
            and _NUMBER_WRAP_END.search(buf[-1])
            and _NUMBER_WRAP_START.match(line)
            and (_has_cjk(buf[-1]) or _has_cjk(line))
        ):
            buf[-1] += line  # a full line broken inside a number in Japanese text: "第1" / "3条"
        else:
            buf.append(line)
        cl = cell_lines[k]
        short_end = cl.em > 0 and cl.right < cell_right - 3.5 * cl.em
    if buf:
        out.append(join_wrapped(buf))
    return "\n".join(tidy_spaces(t) for t in out)


def place_cells(placed: list[tuple[int, int, Cell]], n_rows: int, n_cols: int) -> list[list[Cell]]:
    """Cells found by the ruling lines (row and column of their top-left square, spans in squares) as
    rows as written: each cell lands in its column however many cells its row has — a square no cell
    covers before a cell of the row gets an empty cell, so a short row (the years under a merged
    「スケジュール」) is not pushed left; a cell overlapping one placed before it is clipped, and a row
    of squares where no cell starts (every square covered from above) is folded into the row above."""
    owner: list[list[int | None]] = [[None] * n_cols for _ in range(n_rows)]
    kept: list[tuple[int, int, Cell]] = []
    for r0, c0, cell in sorted(placed, key=lambda t: (t[0], t[1])):
        if not (0 <= r0 < n_rows and 0 <= c0 < n_cols) or owner[r0][c0] is not None:
            continue
        cs = 1
        while cs < min(cell.colspan, n_cols - c0) and owner[r0][c0 + cs] is None:
            cs += 1
        rs = 1
        while rs < min(cell.rowspan, n_rows - r0) and all(
            owner[r0 + rs][c] is None for c in range(c0, c0 + cs)
        ):
            rs += 1
        cell.rowspan, cell.colspan = rs, cs
        for r in range(r0, r0 + rs):
            for c in range(c0, c0 + cs):
                owner[r][c] = len(kept)
        kept.append((r0, c0, cell))
    starts: dict[int, dict[int, Cell]] = {}
    for r0, c0, cell in kept:
        starts.setdefault(r0, {})[c0] = cell
    for r in range(n_rows):
        if r not in starts:  # no cell starts here: the cells over it span one row less
            for k in {k for k in owner[r] if k is not None}:
                kept[k][2].rowspan = max(1, kept[k][2].rowspan - 1)
    rows: list[list[Cell]] = []
    for r in sorted(starts):
        row, last = starts[r], max(starts[r])
        rows.append(
            [row[c] if c in row else Cell("") for c in range(last + 1) if c in row or owner[r][c] is None]
        )
    return rows
