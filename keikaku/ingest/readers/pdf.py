"""PDF reader: pypdfium2 for text, pdfplumber's lattice algorithm for ruled tables.

Speed is the design constraint (≥ 30 pages/s on a 100-page plan with tables): pdfplumber alone parses
every character through pdfminer, which is several times slower. Here

- text comes from PDFium in one call per page; PDFium's own line breaks split it into lines, and only
  the first and last character of each line are asked for a box and a font size;
- ruling lines come from PDFium's path objects (transformed to page space); only a page with at least
  two horizontal and two vertical rules is handed to pdfplumber's table functions (merge_edges →
  intersections → cells → tables) — the same algorithm ``page.find_tables()`` runs, minus pdfminer;
- cell text is read from PDFium by the cell's box; wrapped lines in a cell are joined without spaces.

Then running headers/footers (text repeated at the same height on many pages) and page numbers
("- 3 -", "3/10") are dropped; lines become headings (bigger font or a number marker on a short
line), list items and paragraphs (wrapped lines joined; Japanese without spaces; a paragraph may
continue on the next page). Coordinates in :class:`Location` are PDF points with ``top`` measured
from the top of the page (as pdfplumber does).

Hostile input: the raw file's streams are checked before PDFium loads any page, and each page's
objects and characters before they are read (``readers/pdf_limits.py``); form XObjects are walked
with an explicit stack.
"""

from __future__ import annotations

import bisect
import ctypes
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from keikaku.core.text import FULL_STOPS, ends_sentence
from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, ReaderError, ReadResult, Table
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.readers.common import (
    classify,
    join_wrapped,
    split_bullet,
    table_text,
    tidy_spaces,
)
from keikaku.ingest.readers.pdf_bars import Box, filled_boxes, join_bars
from keikaku.ingest.readers.pdf_cells import Chars, cell_text, clean_chars, place_cells
from keikaku.ingest.readers.pdf_columns import cuts as column_cuts
from keikaku.ingest.readers.pdf_columns import find_columns
from keikaku.ingest.readers.pdf_grid import find_grid_tables
from keikaku.ingest.readers.pdf_limits import check_page, check_pages, check_streams
from keikaku.ingest.readers.text import starts_block
from keikaku.ingest.tolerances import TOLERANCES as TOL

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(
    r"^[\s\-－—–‐ー－〜~・\(（\[［]*(?:p\.?|P\.?|ページ|頁)?\s*[0-9０-９]{1,4}\s*(?:[/／]\s*[0-9０-９]{1,4})?"
    r"\s*(?:ページ|頁)?[\s\-－—–‐ー－〜~・\)）\]］]*$"
    r"|^[\s\-－—–‐ー]*[ivxlcIVXLC]{1,6}[\s\-－—–‐ー]*$"
)
# _PAGE_NUMBER has runs of blanks and decorations side by side (cubic backtracking on "1" and a long
# run of blanks): it is only tried on lines as short as a page number is
_DIGITS = re.compile(r"[0-9０-９]+")
_LINE = re.compile(r"[^\r\n]+")


@dataclass
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    page: int
    start: int = 0  # index of the first and last character in the page text
    end: int = 0
    column_top: bool = False  # the first line of a text column after the first (pdf_columns.py)

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass
class _TableHit:
    table: Table
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom (top-based)
    columns: list[float] = field(default_factory=list)  # x of the vertical rules


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[_TableHit] = field(default_factory=list)
    columns: list[tuple[float, float]] = field(default_factory=list)  # x-ranges of text columns


# ---------------------------------------------------------------------------------------------
# text lines


def _make_line(raw: Any, text: str, s: int, e: int, number: int, height: float) -> _Line:
    """The line of characters s..e: the box from its first and last character."""
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(raw, s, rect)
    x0, top0, bottom0 = rect.left, rect.top, rect.bottom
    pdfium_c.FPDFText_GetLooseCharBox(raw, e, rect)
    x1 = rect.right
    top_pdf = max(top0, rect.top)
    bottom_pdf = min(bottom0, rect.bottom)
    # size and weight of a character inside the line: a list bullet or a marker may be set in
    # another font (Symbol, Wingdings) and size than the text it opens
    mid = (s + e + 1) // 2
    size = pdfium_c.FPDFText_GetFontSize(raw, mid)
    weight = pdfium_c.FPDFText_GetFontWeight(raw, mid)
    return _Line(
        text=clean_chars(text[s : e + 1]),
        x0=min(x0, x1),
        top=height - top_pdf,
        x1=max(x0, x1),
        bottom=height - bottom_pdf,
        size=round(size, 1),
        bold=weight >= 600,
        page=number,
        start=s,
        end=e,
    )


def _page_text(textpage: Any) -> str:
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    if n <= 0:
        return ""
    text: str = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside UCS-2: rebuild char by char so indices line up
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(n))
    return text


def _page_lines(textpage: Any, number: int, height: float) -> list[_Line]:
    raw = textpage.raw
    text = _page_text(textpage)
    lines: list[_Line] = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end() - 1
        while s <= e and text[s].isspace():
            s += 1
        while e >= s and text[e].isspace():
            e -= 1
        if s <= e:
            lines.append(_make_line(raw, text, s, e, number, height))
    return lines


# ---------------------------------------------------------------------------------------------
# ruling lines → tables


def _matrix(obj: Any) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _segments(page_raw: Any) -> list[tuple[float, float, float, float]]:
    """Straight horizontal/vertical segments (x0, y0, x1, y1 in PDF space) from path objects."""
    out: list[tuple[float, float, float, float]] = []
    fx, fy = ctypes.c_float(), ctypes.c_float()
    budget = TOL.pdf_max_segments
    # (object count, getter, the form's matrix) per open form: an explicit stack, no recursion
    todo: list[tuple[int, Any, tuple[float, ...] | None]] = [
        (pdfium_c.FPDFPage_CountObjects(page_raw), lambda i: pdfium_c.FPDFPage_GetObject(page_raw, i), None)
    ]
    while todo and budget >= 0:
        count, get, parent = todo.pop()
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                mat = _matrix(obj)
                mat = _compose(mat, parent) if parent else mat
                todo.append(
                    (
                        pdfium_c.FPDFFormObj_CountObjects(obj),
                        lambda j, o=obj: pdfium_c.FPDFFormObj_GetObject(o, j),
                        mat,
                    )
                )
                continue
            if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
                continue
            nseg = pdfium_c.FPDFPath_CountSegments(obj)
            budget -= nseg
            if budget < 0:
                break
            a, b, c, d, e, f = _compose(_matrix(obj), parent) if parent else _matrix(obj)
            start = prev = None
            for k in range(nseg):
                seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
                pdfium_c.FPDFPathSegment_GetPoint(seg, fx, fy)
                x, y = fx.value, fy.value
                pt = (a * x + c * y + e, b * x + d * y + f)
                stype = pdfium_c.FPDFPathSegment_GetType(seg)
                if stype == pdfium_c.FPDF_SEGMENT_MOVETO:
                    start = prev = pt
                    continue
                if prev is not None and stype == pdfium_c.FPDF_SEGMENT_LINETO:
                    out.append((prev[0], prev[1], pt[0], pt[1]))
                prev = pt
                if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and prev != start:
                    out.append((prev[0], prev[1], start[0], start[1]))
                    prev = start
    return out


def _edges(segments: list[tuple[float, float, float, float]], height: float) -> list[dict[str, Any]]:
    edges = []
    for x0, y0, x1, y1 in segments:
        if abs(y0 - y1) < 1.0 and abs(x1 - x0) >= 1.0:
            left, right = sorted((x0, x1))
            top = height - (y0 + y1) / 2
            edges.append({"x0": left, "x1": right, "top": top, "bottom": top, "doctop": top,
                          "width": right - left, "height": 0.0, "orientation": "h", "object_type": "line"})  # fmt: skip
        elif abs(x0 - x1) < 1.0 and abs(y1 - y0) >= 1.0:
            lo, hi = sorted((height - y0, height - y1))
            x = (x0 + x1) / 2
            edges.append({"x0": x, "x1": x, "top": lo, "bottom": hi, "doctop": lo,
                          "width": 0.0, "height": hi - lo, "orientation": "v", "object_type": "line"})  # fmt: skip
    return edges


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(points: list[float], v: float) -> int:
    """The position of the point nearest v in a sorted list."""
    k = bisect.bisect_left(points, v)
    if k == 0:
        return 0
    if k == len(points):
        return k - 1
    return k if points[k] - v < v - points[k - 1] else k - 1


def _find_tables(
    textpage: Any, segments: list[tuple[float, float, float, float]], height: float, fills: list[Box]
) -> list[_TableHit]:
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = [e for e in merge_edges(_edges(segments, height), 3, 3, 3, 3)
             if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]  # fmt: skip
    n_h = sum(e["orientation"] == "h" for e in edges)
    n_v = len(edges) - n_h
    if n_h < 2 or n_v < 2 or n_h * n_v > TOL.pdf_max_edge_pairs:  # too many rules to pair: a drawing
        return []
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    groups = cells_to_tables(cells)
    if not groups:
        return []
    chars = Chars(textpage, height)
    hits = []
    for group in groups:
        xs = _cluster([c[0] for c in group] + [c[2] for c in group])
        ys = _cluster([c[1] for c in group] + [c[3] for c in group])
        in_table = chars.inside(xs[0] - 1, ys[0] - 1, xs[-1] + 1, ys[-1] + 1)
        # characters by grid square, so a cell looks only at the squares around it (every cell against
        # every character of the table was quadratic)
        squares: dict[tuple[int, int], list[tuple[int, float, float]]] = {}
        for p in in_table:
            key = (bisect.bisect_right(ys, p[2]) - 1, bisect.bisect_right(xs, p[1]) - 1)
            squares.setdefault(key, []).append(p)
        placed = []
        for x0, top, x1, bottom in group:
            r0, r1 = _index(ys, top), _index(ys, bottom)
            c0, c1 = _index(xs, x0), _index(xs, x1)
            if r1 <= r0 or c1 <= c0:
                continue
            near = [
                p
                for r in range(r0 - 1, r1 + 1)
                for c in range(c0 - 1, c1 + 1)
                for p in squares.get((r, c), ())
                if x0 <= p[1] <= x1 and top <= p[2] <= bottom
            ]
            picked = sorted(p[0] for p in near)
            text = cell_text(chars.lines(picked), x1)
            placed.append((r0, c0, Cell(text, rowspan=r1 - r0, colspan=c1 - c0), (x0, top, x1, bottom)))
        bars = [f for f in fills if f[0] < xs[-1] and f[2] > xs[0] and f[1] < ys[-1] and f[3] > ys[0]]
        rows = place_cells(
            [(r, c, cell) for r, c, cell, _ in join_bars(placed, bars)], len(ys) - 1, len(xs) - 1
        )
        if not rows:
            continue
        bbox = (xs[0], ys[0], xs[-1], ys[-1])
        hits.append(_TableHit(Table(rows=rows), bbox, xs))
    return hits


def _grid_tables(record: _Page, textpage: Any) -> None:
    """Tables without rules (readers/pdf_grid.py) on a page with no ruled table. Their lines leave
    the paragraph flow as a ruled table's do: _assemble skips the lines inside a table's box."""
    record.tables = [_TableHit(h.table, h.bbox, h.columns) for h in find_grid_tables(textpage, record.lines)]
    if record.tables:
        log.debug("page %d: %d tables without rules", record.number, len(record.tables))


# ---------------------------------------------------------------------------------------------
# running headers / footers


def _band(line: _Line, page: _Page) -> str | None:
    if not (math.isfinite(line.top) and math.isfinite(line.bottom)):
        return None  # a position the file gives as infinite (a damaged number) is in no margin band
    if line.bottom <= page.height * TOL.pdf_margin_band:
        return "top"
    if line.top >= page.height * (1 - TOL.pdf_margin_band):
        return "bottom"
    return None


def _drop_running(pages: list[_Page]) -> int:
    """Remove page numbers and text repeated at the same height on many pages; return lines dropped."""
    keys: Counter[tuple[str, str, int]] = Counter()
    per_line: dict[int, tuple[str, str, int]] = {}
    for page in pages:
        seen = set()
        for line in page.lines:
            band = _band(line, page)
            if band is None:
                continue
            key = (
                band,
                _DIGITS.sub("#", line.text.replace(" ", "").replace("\u3000", "")),
                round(line.top / 6),
            )
            per_line[id(line)] = key
            if key not in seen:
                seen.add(key)
                keys[key] += 1
    threshold = max(2, math.ceil(0.4 * len(pages))) if len(pages) < 8 else 3

    def repeated(line: _Line) -> bool:
        key = per_line.get(id(line))
        return key is not None and len(pages) > 1 and keys[key] >= threshold

    # the top of the text frame: where a page's first non-repeated line usually starts. A repeated
    # line there (a box label or heading that happens to open several pages) is body text; a running
    # header sits above the frame, in the margin
    firsts = sorted(
        next((ln.top for ln in page.lines if not repeated(ln)), math.inf) for page in pages if page.lines
    )
    frame_top = firsts[len(firsts) // 2] if firsts else math.inf
    dropped = 0
    for page in pages:
        kept = []
        for line in page.lines:
            found = per_line.get(id(line))
            if found is not None and (
                (len(line.text) <= TOL.pdf_page_number_chars and _PAGE_NUMBER.match(line.text))
                or (repeated(line) and not (found[0] == "top" and line.top >= frame_top - 1.5))
            ):
                dropped += 1
                continue
            kept.append(line)
        page.lines = kept
    return dropped


# ---------------------------------------------------------------------------------------------
# lines → blocks


@dataclass
class _Group:
    lines: list[_Line]
    heading_level: int | None = None


class _Assembler:
    def __init__(self, body_size: float, heading_sizes: list[float]) -> None:
        self.body = body_size
        self.heading_sizes = heading_sizes
        self.blocks: list[Block] = []
        self.group: list[_Line] = []
        self.right_edge: float = 0.0
        self.prev_edge: float = 0.0  # the right edge of the previous line's text column
        self.body_bottom: float = 0.0  # the lowest text or rule on any page: the bottom margin
        # the table that ended the last page with nothing after it: a table opening the next page
        # with the same columns continues it
        self.open_table: tuple[_TableHit, int] | None = None

    def level_of(self, size: float) -> int | None:
        if size < self.body * TOL.pdf_heading_ratio:
            return None
        for i, hs in enumerate(self.heading_sizes):
            if abs(size - hs) <= 0.6:
                return i + 1
        return None

    def continues(self, prev: _Line, line: _Line) -> bool:
        """Does ``line`` continue the paragraph whose last line is ``prev``? Never when it opens a block
        of its own: a number marker, a bullet, a label (【担当】, ＜所管課＞, 担当課：) — the text reader's
        rule (text.starts_block)."""
        if starts_block(line.text) or split_bullet(line.text)[0]:
            return False
        if abs(prev.size - line.size) > 0.6 or prev.bold != line.bold:
            return False
        if self.level_of(prev.size) is not None:  # a wrapped heading: same size, close below
            return line.page == prev.page and 0 <= line.top - prev.bottom <= prev.height * 0.8
        if line.page != prev.page or line.column_top:  # running over a page break or into the next column
            edge = self.prev_edge if line.column_top else self.right_edge
            return prev.x1 >= edge - 2 * prev.size and not prev.text.endswith("。")
        gap = line.top - prev.bottom
        if gap < -prev.height * 0.5 or gap > prev.size * 0.9:
            return False
        if prev.x1 < self.right_edge - 2 * prev.size:  # the previous line stopped short: paragraph end
            return False
        if line.x0 < prev.x0 - prev.size * TOL.pdf_outdent_ems:
            return False  # back out of an indented block (a definition's value, then the next term)
        return line.x0 <= prev.x0 + prev.size * 1.5

    def add(self, line: _Line) -> None:
        self.open_table = None
        if self.group and not self.continues(self.group[-1], line):
            self.flush()
        self.group.append(line)

    def flush(self) -> None:
        if not self.group:
            return
        lines, self.group = self.group, []
        joined = join_wrapped([ln.text for ln in lines])
        text = tidy_spaces(joined)  # "第 2 章" → "第2章" (marker too)
        first = lines[0]
        same_page = [ln for ln in lines if ln.page == first.page]
        bbox = (min(ln.x0 for ln in same_page), min(ln.top for ln in same_page),
                max(ln.x1 for ln in same_page), max(ln.bottom for ln in same_page))  # fmt: skip
        loc = Location(page=first.page, bbox=tuple(round(v, 1) for v in bbox))  # type: ignore[arg-type]
        level = self.level_of(first.size)
        if level is not None and (len(text) > TOL.max_heading_chars or ends_sentence(text)):
            level = None  # a sentence set in a bigger font (a lead paragraph) is no heading
        style = "bold" if first.bold else None
        if level is not None:
            parsed, rest = parse_marker(text)
            if parsed is None:  # "1 電子申請の拡充": the blank after a bare number marks it
                parsed, rest = parse_marker(joined)
            marker = parsed.written if parsed else None
            kind, rest = BlockKind.HEADING, tidy_spaces(rest)
        else:
            kind, rest, marker = classify(text)
        self.blocks.append(Block(kind, rest, loc=loc, level=level, marker=marker, style=style))

    def table(self, hit: _TableHit, page: int) -> None:
        self.flush()
        prev = self.open_table
        self.open_table = (hit, page)
        if (
            prev is not None
            and prev[1] == page - 1
            and _same_columns(prev[0].columns, hit.columns)
            and not _new_record(prev[0].table, hit.table)
        ):
            last = self.blocks[-1]
            assert last.table is not None
            split_row = prev[0].bbox[3] >= self.body_bottom - 1.5 * self.body  # within a line of it
            last.table = _continue_table(last.table, hit.table, split_row)
            last.text = table_text(last.table.rows)
            return
        loc = Location(page=page, bbox=tuple(round(v, 1) for v in hit.bbox))  # type: ignore[arg-type]
        text = table_text(hit.table.rows)
        self.blocks.append(Block(BlockKind.TABLE, text, loc=loc, table=hit.table, style="table"))


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) >= 2 and all(abs(x - y) <= TOL.pdf_same_column for x, y in zip(a, b, strict=True))


def _new_record(prev: Table, nxt: Table) -> bool:
    """The next page's table opens with the label the previous one opened with ("NO" / "施策名"), but
    not with the whole header row again: one record card after another, not one table continued."""
    if not prev.rows or not nxt.rows or not prev.rows[0] or not nxt.rows[0]:
        return False
    first, head = nxt.rows[0], prev.rows[0]
    return bool(first[0].text) and first[0].text == head[0].text and _row_key(first) != _row_key(head)


_BLANKS = re.compile(r"\s+")


def _row_key(row: list[Cell]) -> list[tuple[str, int, int]]:
    """A row compared across pages: texts without blanks (PDFium breaks a cell's lines differently when
    the columns are set anew) and spans."""
    return [(_BLANKS.sub("", c.text), c.rowspan, c.colspan) for c in row]


def _header_rows(table: Table) -> int:
    """The rows the first row's merged cells run down (No. / 取組名 over two rows, the years under
    スケジュール in the second): the header a table repeats on every page."""
    n, i = 1, 0
    while i < n and i < len(table.rows):
        n = max([n] + [i + c.rowspan for c in table.rows[i]])
        i += 1
    return n if n <= min(TOL.pdf_max_header_rows, len(table.rows)) else 1


def _repeated_header(prev: Table, rows: list[list[Cell]]) -> int:
    """How many of the next part's first rows repeat the first part's header (0 if they do not)."""
    n = _header_rows(prev)
    if len(rows) >= n and all(
        _row_key(a) == _row_key(b) for a, b in zip(prev.rows[:n], rows[:n], strict=True)
    ):
        return n
    return 0


def _opens_row(text: str) -> bool:
    return bool(parse_marker(text)[0] or split_bullet(text)[0] or starts_block(text))


def _continue_table(prev: Table, nxt: Table, split_row: bool) -> Table:
    """Join a table continued on the next page: a repeated header (one row, or the rows its merged
    cells run down) is dropped; when the first part
    ran to the bottom margin (Word and LibreOffice let a row break across pages) and the next part's
    first row does not open a row of its own (no number marker or bullet in its first cell), that
    row is the rest of the last row and its cells join the cells above."""
    rows = list(nxt.rows)
    if not rows or not prev.rows:
        return Table(prev.rows + rows, prev.caption)
    last, first = prev.rows[-1], rows[0]
    if header := _repeated_header(prev, rows):
        rows = rows[header:]
    elif (
        split_row
        and [c.colspan for c in first] == [c.colspan for c in last]
        and not _opens_row(first[0].text)
        and first[0].text not in {r[0].text for r in prev.rows if r}
        and any(c.text for c in first)
    ):
        merged = [
            Cell(_join_parts(a.text, b.text), rowspan=a.rowspan, colspan=a.colspan)
            for a, b in zip(last, first, strict=True)
        ]
        prev = Table(prev.rows[:-1] + [merged], prev.caption)
        rows = rows[1:]
    return Table(prev.rows + rows, prev.caption)


def _join_parts(a: str, b: str) -> str:
    if not a or not b:
        return a or b
    if a.endswith(FULL_STOPS) or split_bullet(b)[0]:  # the page broke the cell's text, not an item
        return f"{a}\n{b}"
    return join_wrapped([a, b])


def _inside(line: _Line, bbox: tuple[float, float, float, float]) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return bbox[0] - 1 <= cx <= bbox[2] + 1 and bbox[1] - 1 <= cy <= bbox[3] + 1


def _column_edge(page: _Page, line: _Line, page_edge: float) -> float:
    """The right edge a line wraps at: its text column's on a page set in columns."""
    for x0, x1 in page.columns:
        if x0 - 0.5 <= line.x0 and line.x1 <= x1 + 0.5:
            return x1
    return page_edge


def _assemble(pages: list[_Page]) -> list[Block]:
    sizes: Counter[float] = Counter()
    for page in pages:  # the body size from text outside tables (cells are often set smaller)
        for line in page.lines:
            if not any(_inside(line, t.bbox) for t in page.tables):
                sizes[line.size] += len(line.text)
    if not sizes:  # every line sits in a table: take the body size from the table text
        for page in pages:
            for line in page.lines:
                sizes[line.size] += len(line.text)
    if not sizes:
        return []
    body = sizes.most_common(1)[0][0]
    heading_sizes = _cluster([s for s in sizes if s >= body * TOL.pdf_heading_ratio], 0.6)[::-1]
    asm = _Assembler(body, heading_sizes)
    asm.body_bottom = max(
        [ln.bottom for page in pages for ln in page.lines]
        + [t.bbox[3] for page in pages for t in page.tables]
    )
    for page in pages:
        body_right = [ln.x1 for ln in page.lines if abs(ln.size - body) <= 0.6]
        # a page of a few short lines (a plan's last page) keeps the edge the pages before it set
        if body_right and (len(body_right) >= TOL.pdf_edge_min_lines or not asm.right_edge):
            body_right.sort()
            asm.right_edge = body_right[int(len(body_right) * 0.9)]
        page_edge = asm.right_edge
        pending = sorted(page.tables, key=lambda t: t.bbox[1])
        for line in page.lines:
            if any(_inside(line, t.bbox) for t in page.tables):
                continue
            while pending and pending[0].bbox[1] < line.top:
                asm.table(pending.pop(0), page.number)
            asm.prev_edge, asm.right_edge = asm.right_edge, _column_edge(page, line, page_edge)
            asm.add(line)
        asm.flush() if pending else None
        for hit in pending:
            asm.table(hit, page.number)
    asm.flush()
    return asm.blocks


# ---------------------------------------------------------------------------------------------


def _text_columns(record: _Page, textpage: Any) -> None:
    """A page set in two or three text columns: its lines cut at the gutters, in column order."""
    if len(record.lines) < 2 * TOL.pdf_min_column_lines:
        return
    raw, text = textpage.raw, _page_text(textpage)
    em = sorted(ln.size for ln in record.lines)[len(record.lines) // 2]
    pieces: list[_Line] = []
    for ln in record.lines:
        cut = column_cuts(raw, text, ln.start, ln.end, em)
        if len(cut) == 1:  # no wide blank: the line as it is
            pieces.append(ln)
        else:
            pieces += [_make_line(raw, text, s, e, record.number, record.height) for s, e in cut]
    found = find_columns(pieces, record.height)
    if found is not None:
        log.debug("page %d: %d text columns", record.number, len(found.ranges))
        record.lines, record.columns = found.lines, found.ranges
        for x0, x1 in found.ranges[1:]:  # a paragraph may run on from the foot of the column before
            first = next((ln for ln in found.lines if x0 - 0.5 <= ln.x0 and ln.x1 <= x1 + 0.5), None)
            if first is not None:
                first.column_top = True


def _open(source: Path | bytes) -> Any:
    try:
        return pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReaderError(
                "パスワードで保護された PDF です。保護を解除してから取り込んでください / "
                "the PDF is password-protected (encrypted)",
                code="encrypted",
            ) from exc
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise ReaderError("この PDF の暗号化方式には対応していません / unsupported PDF security handler",
                              code="encrypted") from exc  # fmt: skip
        raise ReaderError(f"PDF ファイルが壊れています / corrupt PDF: {exc}", code="corrupt") from exc


def read_pdf(source: Path | str | bytes) -> ReadResult:
    """Read a PDF into blocks. Raises ReaderError: encrypted, corrupt, needs_ocr, too_large."""
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ReaderError(f"PDF を読めません / cannot read the PDF: {exc}", code="io") from exc
    check_streams(data)
    pdf = _open(data)
    pages: list[_Page] = []
    warnings: list[str] = []
    chars = 0
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise ReaderError("PDF にページがありません / the PDF has no pages", code="empty")
        check_pages(n_pages)
        for i in range(n_pages):
            page = pdf[i]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    check_page(page.raw, textpage)
                    lines = _page_lines(textpage, i + 1, height)
                    chars += sum(len(ln.text) for ln in lines)
                    record = _Page(i + 1, width, height, lines)
                    segments = _segments(page.raw)
                    if len(segments) >= 4 and lines:
                        record.tables = _find_tables(
                            textpage, segments, height, filled_boxes(page.raw, height)
                        )
                    if not record.tables:
                        _text_columns(record, textpage)
                    if not record.tables and not record.columns and len(lines) >= TOL.pdf_grid_min_columns:
                        _grid_tables(record, textpage)
                finally:
                    textpage.close()
            finally:
                page.close()
            if not lines:
                warnings.append(
                    f"{i + 1} ページ: 文字の情報がありません（画像だけのページ。OCR が必要です） / page {i + 1}: no text layer (OCR needed)"
                )
            pages.append(record)
    except ReaderError:
        raise
    except pdfium.PdfiumError as exc:
        raise ReaderError(f"PDF を読み取れません / cannot read PDF: {exc}", code="corrupt") from exc
    finally:
        pdf.close()
    if chars == 0:
        raise ReaderError(
            "PDF に文字情報がありません (画像のみ)。OCR が必要です / the PDF has no text layer: needs OCR",
            code="needs_ocr",
        )
    dropped = _drop_running(pages)
    log.debug("PDF: %d pages, %d running header/footer/page-number lines dropped", len(pages), dropped)
    if dropped:
        warnings.append(
            f"各ページのヘッダー・フッター・ページ番号 {dropped} 行を本文から除きました / dropped {dropped} running header/footer/page-number lines"
        )
    return ReadResult(blocks=_assemble(pages), format="pdf", pages=len(pages), warnings=warnings)
