"""XLSX reader (openpyxl, read-only streaming): visible sheets in order, each sheet's regions as blocks.

- every visible sheet (hidden and veryHidden sheets are skipped) gives a HEADING with its name (not for
  Excel's default names "Sheet1", "シート1"), then its content;
- a sheet is cut into regions: bands of rows separated by empty rows, cut again at empty columns (and
  again at empty rows inside each part) until nothing splits; a merged cell with text fills its whole
  range, so a header merged across the year columns keeps its table together;
- a region one column wide gives text blocks, read with the same :func:`classify` as the other readers
  (a numbered short line is a heading, "・…" a list item, "※1 …" a footnote);
- a wider region gives a TABLE with the merged cells as spans (merges are read from the sheet XML's
  ``<mergeCell ref="A1:C1"/>`` by a streaming byte scan, since read-only worksheets do not expose them);
  single-cell rows on top of it (a title above the table) and ※ notes under it become text blocks;
  a region of one row and two cells ("計画期間 | 令和7年度～令和11年度") becomes "計画期間：令和7年度～令和11年度";
- values are shown as written where cheap: integers without ".0", percentages, decimals, thousands
  separators and quoted units ("件", "%") from the cell's number format, dates as 2025/4/1 (or
  2025年4月1日, 令和7年4月1日 when the format says so); formulas give their cached values;
- data-validation lists, comments, charts and images are ignored.

Locations: ``Location(page=<sheet number, 1-based, in workbook tab order counting hidden sheets>,
index=<the block's first row>, line_start=<first row>, line_end=<last row>)`` with rows numbered as
Excel shows them (1-based), so a measure's provenance reads "sheet 2, rows 5–7"; a sheet-name heading
has ``index=0`` and no rows.

Limits are checked while the rows stream (a workbook over a limit stops there, not after loading):
rows per sheet (:data:`MAX_ROWS_ENV`), characters per cell (:data:`MAX_CELL_CHARS_ENV`) and non-empty
cells per workbook (:data:`MAX_CELLS_ENV`); each raises :class:`ReaderError` with code ``too_large``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, ReaderError, ReadResult, Table
from keikaku.ingest.readers.common import (
    ZIP_ERRORS,
    check_ooxml_package,
    classify,
    group_lines,
    table_text,
    tidy_spaces,
)

__all__ = [
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_CELL_CHARS",
    "DEFAULT_MAX_ROWS",
    "MAX_CELLS_ENV",
    "MAX_CELL_CHARS_ENV",
    "MAX_ROWS_ENV",
    "format_value",
    "read_xlsx",
]

MAX_ROWS_ENV = "KEIKAKU_IMPORT_MAX_ROWS"
DEFAULT_MAX_ROWS = 20_000  # the highest row number holding a value, per sheet
MAX_CELL_CHARS_ENV = "KEIKAKU_IMPORT_MAX_CELL_CHARS"
DEFAULT_MAX_CELL_CHARS = 100_000  # characters in one cell (Excel itself stops at 32,767)
MAX_CELLS_ENV = "KEIKAKU_IMPORT_MAX_CELLS"
DEFAULT_MAX_CELLS = 2_000_000  # non-empty cells in the whole workbook

_DEFAULT_SHEET_NAME = re.compile(r"^(?:Sheet|シート|ワークシート)\s*[0-9０-９]*$", re.IGNORECASE)
_NOTE = re.compile(r"^(?:※|＊|\*|注[0-9０-９\s:：)）]|（注|\(注|出典|資料[:：])")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace(",", "").replace("_", "")
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def _err(code: str, ja: str, en: str) -> ReaderError:
    return ReaderError(f"{ja} / {en}", code=code)


# ---------------------------------------------------------------------------------------------
# values as written


_BRACKETS = re.compile(r"\[[^\]]*\]")


@dataclass
class _NumberFormat:
    prefix: str = ""
    suffix: str = ""
    decimals: int | None = None  # None: General
    thousands: bool = False
    percent: bool = False


def _parse_section(section: str) -> _NumberFormat:
    """One section of an Excel number format: literals around the digit placeholders, decimals, %."""
    section = _BRACKETS.sub("", section)
    out = _NumberFormat()
    before: list[str] = []
    after: list[str] = []
    digits: list[str] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            (after if digits else before).append(section[i + 1 : end])
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            (after if digits else before).append(section[i + 1])
            i += 2
            continue
        if ch in "_*" and i + 1 < len(section):  # padding / fill: no visible text
            i += 2
            continue
        if ch in "0#?.," and (ch not in ".," or digits):
            if after:  # a second number group (fractions, "0 0/0"): keep it simple
                break
            digits.append(ch)
        elif ch == "%":
            out.percent = True
            (after if digits else before).append("%")
        elif ch not in "@;":
            (after if digits else before).append(ch)
        i += 1
    spec = "".join(digits).rstrip(",")  # trailing commas scale by 1000: not worth it
    if spec:
        whole, _, frac = spec.partition(".")
        out.decimals = len(frac)
        out.thousands = "," in whole
    out.prefix, out.suffix = "".join(before), "".join(after)
    return out


def _general(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def _format_number(value: float, fmt: str) -> str:
    fmt = (fmt or "General").strip()
    sections = fmt.split(";")
    section = sections[0]
    if value < 0 and len(sections) > 1 and sections[1].strip():
        section, value = sections[1], -value  # ▲#,##0: the sign is in the format
    if section.strip().lower() in ("general", "", "@", "g/標準", "標準"):
        return _general(value)
    nf = _parse_section(section)
    shown = value * 100 if nf.percent else value
    if nf.decimals is None:
        number = _general(round(shown, 10))
    elif nf.thousands:
        number = f"{shown:,.{nf.decimals}f}"
    else:
        number = f"{shown:.{nf.decimals}f}"
    return f"{nf.prefix}{number}{nf.suffix}".strip()


def _era(d: dt.date) -> tuple[str, int]:
    if d >= dt.date(2019, 5, 1):
        return "令和", d.year - 2018
    if d >= dt.date(1989, 1, 8):
        return "平成", d.year - 1988
    return "昭和", d.year - 1925


def _format_date(value: dt.datetime | dt.date, fmt: str) -> str:
    d = value.date() if isinstance(value, dt.datetime) else value
    with_time = isinstance(value, dt.datetime) and value.time() != dt.time(0)
    low = re.sub(r'"[^"]*"', "", _BRACKETS.sub("", fmt.lower()))
    if "g" in low and low.strip() != "general":  # ggge年m月d日: 和暦
        era, n = _era(d)
        text = f"{era}{'元' if n == 1 else n}年{d.month}月{d.day}日"
    elif "年" in fmt:
        text = f"{d.year}年{d.month}月{d.day}日"
    else:
        text = f"{d.year}/{d.month}/{d.day}"
    if "年" in fmt and "d" not in low:  # 2025年4月
        text = text.split("月")[0] + "月"
    if with_time and isinstance(value, dt.datetime):
        text += f" {value.hour}:{value.minute:02d}"
    return text


def format_value(value: Any, number_format: str = "General") -> str:
    """A cell's value as Excel shows it (cheap approximation): see the module docstring."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return _format_number(float(value), number_format) if number_format != "General" else str(value)
    if isinstance(value, float):
        return _format_number(value, number_format)
    if isinstance(value, dt.datetime | dt.date):
        return _format_date(value, number_format or "")
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}"
    return str(value)


def _cell_text(value: Any, number_format: str) -> str:
    text = format_value(value, number_format)
    if "\n" in text or "\r" in text:
        lines = (ln.strip(" \t\u3000") for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        return "\n".join(ln for ln in lines if ln)
    return text.strip(" \t\u3000")


# ---------------------------------------------------------------------------------------------
# merged cells, from the sheet XML

_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]{1,3}[0-9]+(?::[A-Za-z]{1,3}[0-9]+)?)[\"']"
)
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]+)")

Merge = tuple[int, int, int, int]  # top row, left column, bottom row, right column (1-based, inclusive)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def parse_range(ref: str) -> Merge | None:
    """``"B2:D3" → (2, 2, 3, 4)``; a single cell ``"B2" → (2, 2, 2, 2)``."""
    points: list[tuple[int, int]] = []
    for part in ref.split(":")[:2]:
        m = _REF.fullmatch(part.strip())
        if m is None:
            return None
        points.append((int(m.group(2)), _column_number(m.group(1))))
    (r1, c1), (r2, c2) = points[0], points[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def scan_merges(stream: IO[bytes], chunk_size: int = 1 << 20) -> list[Merge]:
    """Every ``<mergeCell ref="…"/>`` of a sheet XML, read in chunks (constant memory; a tag never
    holds ``>`` so chunks are cut after the last ``>``)."""
    out: list[Merge] = []
    rest = b""
    while True:
        chunk = stream.read(chunk_size)
        data = rest + chunk
        if not chunk:
            cut = len(data)
        else:
            cut = data.rfind(b">") + 1
        for m in _MERGE.finditer(data, 0, cut):
            merge = parse_range(m.group(1).decode("ascii"))
            if merge is not None and merge[:2] != merge[2:]:
                out.append(merge)
        rest = data[cut:]
        if not chunk:
            return out
        if len(rest) > 1 << 16:  # no ">" for 64 KB: not markup we care about
            rest = rest[-256:]


# ---------------------------------------------------------------------------------------------
# one sheet: streamed rows → bands → regions → blocks


@dataclass
class _Band:
    top: int
    bottom: int
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)  # merges whose origin lies in the band
    filled: set[tuple[int, int]] = field(default_factory=set)  # cells with text and merged ranges of them


@dataclass
class _Limits:
    max_rows: int
    max_cell_chars: int
    max_cells: int
    cells: int = 0


class _SheetReader:
    def __init__(self, name: str, number: int, merges: list[Merge], limits: _Limits) -> None:
        self.name = name
        self.number = number
        self.limits = limits
        self.by_top: dict[int, list[Merge]] = {}
        self.texts_at_origin: set[tuple[int, int]] = set()  # merges whose origin cell holds text
        for m in merges:
            self.by_top.setdefault(m[0], []).append(m)
        self.origins = {(m[0], m[1]): m for m in merges}
        self.blocks: list[Block] = []
        self._band_open: _Band | None = None  # the band of non-empty rows being read
        # merges covering the current row (their non-origin values are hidden)
        self._covering: list[Merge] = []

    def read(self, rows: Iterable[tuple[int, tuple[Any, ...]]]) -> list[Block]:
        """Blocks from (row number, cells) pairs in order. The rows a sheet's XML leaves out are empty:
        they are visited only while a band is open or a merged cell with text covers them, so a gap
        (a stray <row r="1048576">, or a mutated r="1e9") costs nothing."""
        last = 0
        for number, row in rows:
            if number <= last:
                continue  # a row out of order or repeated: the first one counts (as openpyxl reads it)
            for r in range(last + 1, number):
                if self._band_open is None and not any(
                    m[2] >= r and (m[0], m[1]) in self.texts_at_origin for m in self._covering
                ):
                    # the rest of the gap is skipped: merges starting in it still cover the rows after it
                    self._covering += [
                        m
                        for top, ms in self.by_top.items()
                        if r <= top < number
                        for m in ms
                        if m[2] >= number
                    ]
                    break
                self._row(r, ())
            self._row(number, row)
            last = number
        if self._band_open is not None:
            self._band(self._band_open)
        return self.blocks

    def _row(self, r: int, row: tuple[Any, ...]) -> None:
        starting = self.by_top.get(r, [])
        self._covering = [m for m in self._covering if m[2] >= r] + starting
        covering = self._covering
        values = self._row_values(r, row, covering)
        # merged ranges whose origin holds text fill every position they cover
        filled = [m for m in covering if (m[0], m[1]) in self.texts_at_origin or (m[0], m[1]) in values]
        for m in starting:
            if (m[0], m[1]) in values:
                self.texts_at_origin.add((m[0], m[1]))
        band = self._band_open
        if not values and not filled:
            if band is not None:
                self._band(band)
                self._band_open = None
            return
        if band is None:
            band = self._band_open = _Band(r, r)
        band.bottom = r
        band.cells.update(values)
        band.merges.extend(starting)
        band.filled.update(values)
        for m in filled:
            before = len(band.filled)
            band.filled.update((r, c) for c in range(m[1], m[3] + 1))
            self._count(len(band.filled) - before, r)

    def _count(self, n: int, r: int) -> None:
        self.limits.cells += n
        if self.limits.cells > self.limits.max_cells:
            raise _err(
                "too_large",
                f"セルが多すぎます (上限 {self.limits.max_cells:,} 個、シート「{self.name}」の {r:,} 行目で超過)",
                f"too many non-empty cells (over {self.limits.max_cells:,}, reached in sheet "
                f"{self.name!r} row {r:,}; set {MAX_CELLS_ENV})",
            )

    def _row_values(self, r: int, row: tuple[Any, ...], covering: list[Merge]) -> dict[tuple[int, int], str]:
        values: dict[tuple[int, int], str] = {}
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if value is None:
                continue
            if covering and any(m[1] <= c <= m[3] and (m[0], m[1]) != (r, c) for m in covering):
                continue  # hidden under a merged cell
            if isinstance(value, str):
                if len(value) > self.limits.max_cell_chars:
                    raise _err(
                        "too_large",
                        f"シート「{self.name}」の {_ref(r, c)} が長すぎます ({len(value):,} 文字、上限 "
                        f"{self.limits.max_cell_chars:,} 文字)",
                        f"sheet {self.name!r} cell {_ref(r, c)} holds {len(value):,} characters, over the "
                        f"limit of {self.limits.max_cell_chars:,} (set {MAX_CELL_CHARS_ENV})",
                    )
                text = _cell_text(value, "General") if value.strip() else ""
            else:
                text = _cell_text(value, getattr(cell, "number_format", "General") or "General")
            if text:
                values[(r, c)] = text
        if values:
            if r > self.limits.max_rows:
                raise _err(
                    "too_large",
                    f"シート「{self.name}」の行数が多すぎます ({r:,} 行目、上限 {self.limits.max_rows:,} 行)",
                    f"sheet {self.name!r} has data in row {r:,}, over the limit of "
                    f"{self.limits.max_rows:,} rows (set {MAX_ROWS_ENV})",
                )
            self._count(len(values), r)
        return values

    # -- regions

    def _band(self, band: _Band) -> None:
        pending = _regions(band.filled)
        pending.reverse()
        while pending:
            rect, filled = pending.pop()
            rest = self._region(band, rect, filled)
            if rest:  # what is left under a peeled title: cut again (two tables side by side)
                pending.extend(reversed(_regions(rest)))

    def _region(self, band: _Band, rect: Merge, filled: set[tuple[int, int]]) -> set[tuple[int, int]] | None:
        """Emit one region's blocks; returns the rest to cut again after peeling the rows on top."""
        top, left, bottom, right = rect
        rows = list(range(top, bottom + 1))

        def row_texts(r: int) -> list[tuple[int, str]]:
            return [(c, band.cells[(r, c)]) for c in range(left, right + 1) if (r, c) in band.cells]

        def lone(r: int) -> str | None:
            """The text of a row holding one cell that spans no other row, else None."""
            texts = row_texts(r)
            if len(texts) != 1:
                return None
            m = self.origins.get((r, texts[0][0]))
            return texts[0][1] if m is None or m[2] == m[0] else None

        if right == left or all(lone(r) is not None for r in rows):  # one column of text (or merged lines)
            for r in rows:
                texts = row_texts(r)
                if texts:
                    self._text(r, texts[0][1])
            return None

        def spans_down(r: int) -> bool:
            return any((m := self.origins.get((r, c))) is not None and m[2] > r for c, _ in row_texts(r))

        def title_row(r: int, below: int) -> bool:
            """A row above the table: one cell ("令和7年度 アクションプラン"), or two beside a row three
            times as full (the title and "（単位：千円）" over the header)."""
            n = len(row_texts(r))
            return not spans_down(r) and (n == 1 or (n == 2 and len(row_texts(below)) >= 6))

        # a title above the table is text, not a table row
        peeled = False
        while len(rows) > 1 and title_row(rows[0], rows[1]):
            for _, cell_text in row_texts(rows[0]):
                self._text(rows[0], cell_text)
            rows.pop(0)
            peeled = True
        if peeled:
            return {(r, c) for (r, c) in filled if r >= rows[0]}
        # ※ notes under it too
        tail: list[int] = []
        while len(rows) > 1 and (text := lone(rows[-1])) is not None and _NOTE.match(text):
            tail.insert(0, rows.pop())
        used = [c for (r, c) in filled if r <= rows[-1]]
        self._table(band, rows, min(used), max(used))
        for r in tail:
            self._text(r, row_texts(r)[0][1])
        return None

    def _text(self, r: int, text: str) -> None:
        loc = Location(page=self.number, index=r, line_start=r, line_end=r)
        for group in group_lines(text.split("\n"), explicit_breaks=True):
            kind, body, marker = classify(group)
            if body:
                self.blocks.append(Block(kind, body, loc=loc, marker=marker, style="cell"))

    def _table(self, band: _Band, rows: list[int], left: int, right: int) -> None:
        top, bottom = rows[0], rows[-1]
        if (bottom - top + 1) * (right - left + 1) > self.limits.max_cells:
            raise _err(
                "too_large",
                f"シート「{self.name}」の表が大きすぎます ({_ref(top, left)}:{_ref(bottom, right)})",
                f"sheet {self.name!r}: the table {_ref(top, left)}:{_ref(bottom, right)} is larger than "
                f"{self.limits.max_cells:,} cells (set {MAX_CELLS_ENV})",
            )
        inside: set[tuple[int, int]] = set()  # positions covered by a merge whose origin is in the table
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for m in band.merges:
            if top <= m[0] <= bottom and left <= m[1] <= right:
                r2, c2 = min(m[2], bottom), min(m[3], right)
                spans[(m[0], m[1])] = (r2 - m[0] + 1, c2 - m[1] + 1)
                inside.update((r, c) for r in range(m[0], r2 + 1) for c in range(m[1], c2 + 1))
                inside.discard((m[0], m[1]))
        out: list[list[Cell]] = []
        for r in range(top, bottom + 1):
            line: list[Cell] = []
            for c in range(left, right + 1):
                if (r, c) in inside:
                    continue
                rowspan, colspan = spans.get((r, c), (1, 1))
                line.append(Cell(band.cells.get((r, c), ""), rowspan=rowspan, colspan=colspan))
            out.append(line)
        if len(out) == 1 and sum(1 for c in out[0] if c.text) == 2 and len(out[0]) <= 3:
            label, value = (c.text for c in out[0] if c.text)
            text = tidy_spaces(f"{label}：{value}".replace("\n", " "))
            self.blocks.append(
                Block(
                    BlockKind.PARAGRAPH,
                    text,
                    loc=Location(page=self.number, index=top, line_start=top, line_end=top),
                    style="cell",
                )
            )
            return
        table = Table(rows=out)
        self.blocks.append(
            Block(
                BlockKind.TABLE,
                table_text(out),
                loc=Location(page=self.number, index=top, line_start=top, line_end=bottom),
                table=table,
                style="table",
            )
        )


def _ref(r: int, c: int) -> str:
    letters = ""
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r}"


def _runs(values: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted distinct integers → runs of consecutive ones: [1, 2, 4] → [(1, 2), (4, 4)]."""
    out: list[tuple[int, int]] = []
    for v in sorted(set(values)):
        if out and v == out[-1][1] + 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _regions(filled: set[tuple[int, int]]) -> list[tuple[Merge, set[tuple[int, int]]]]:
    """Rectangles of filled positions, cut at empty rows and empty columns until nothing splits,
    in reading order (top to bottom, then left to right)."""
    done: list[tuple[Merge, set[tuple[int, int]]]] = []
    stack: list[tuple[set[tuple[int, int]], bool]] = [(filled, True)]  # (cells, cut by columns next)
    while stack:
        cells, by_columns = stack.pop()
        axis = 1 if by_columns else 0
        runs = _runs(p[axis] for p in cells)
        if len(runs) > 1:
            parts: list[set[tuple[int, int]]] = [set() for _ in runs]
            starts = [a for a, _ in runs]
            for p in cells:
                lo, hi = 0, len(starts) - 1
                while lo < hi:  # the run holding p[axis]
                    mid = (lo + hi + 1) // 2
                    if starts[mid] <= p[axis]:
                        lo = mid
                    else:
                        hi = mid - 1
                parts[lo].add(p)
            stack.extend((part, not by_columns) for part in reversed(parts))
            continue
        other = _runs(p[1 - axis] for p in cells)
        if len(other) > 1:
            stack.append((cells, not by_columns))
            continue
        rs = [p[0] for p in cells]
        cs = [p[1] for p in cells]
        done.append(((min(rs), min(cs), max(rs), max(cs)), cells))
    done.sort(key=lambda d: (d[0][0], d[0][1]))
    return done


# ---------------------------------------------------------------------------------------------
# the workbook


def _sheet_rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) for each row the sheet's XML holds. openpyxl's iter_rows pads every missing row
    (and trusts <dimension>): a row numbered 1e9 would be a billion empty rows. Its own row parser is
    used instead, as ReadOnlyWorksheet._cells_by_row uses it, without the padding."""
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for number, cells in parser.parse():
            yield number, ws._get_row(cells)


def read_xlsx(
    source: Path | str,
    *,
    max_rows: int | None = None,
    max_cell_chars: int | None = None,
    max_cells: int | None = None,
    max_unpacked_bytes: int | None = None,
) -> ReadResult:
    """Read an .xlsx workbook (limits default to the settings, see the module docstring)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(source)
    check_ooxml_package(path, "XLSX", max_unpacked_bytes)
    limits = _Limits(
        max_rows=max_rows or _env_int(MAX_ROWS_ENV, DEFAULT_MAX_ROWS),
        max_cell_chars=max_cell_chars or _env_int(MAX_CELL_CHARS_ENV, DEFAULT_MAX_CELL_CHARS),
        max_cells=max_cells or _env_int(MAX_CELLS_ENV, DEFAULT_MAX_CELLS),
    )
    blocks: list[Block] = []
    warnings: list[str] = []
    with path.open("rb") as fh:  # a file object: openpyxl would refuse a name without .xlsx
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise _err("corrupt", "XLSX ファイルが壊れています", f"corrupt XLSX: {exc}") from exc
        except Exception as exc:  # XML parse errors and friends
            raise _err("corrupt", "XLSX ファイルを解析できません", f"cannot parse XLSX: {exc}") from exc
        try:
            names = wb.sheetnames
            for ws in wb.worksheets:
                if getattr(ws, "sheet_state", "visible") != "visible":
                    continue
                number = names.index(ws.title) + 1
                merges: list[Merge] = []
                try:
                    with ws._get_source() as src:  # read-only worksheets keep their part's path
                        merges = scan_merges(src)
                except ZIP_ERRORS as exc:  # the sheet's part is damaged (bad CRC, broken deflate stream)
                    raise _err(
                        "corrupt",
                        f"シート「{ws.title}」が壊れています",
                        f"sheet {ws.title!r} is damaged: {exc}",
                    ) from exc
                except (AttributeError, KeyError) as exc:
                    warnings.append(
                        f"シート「{ws.title}」: 結合セルを読み取れませんでした / sheet {ws.title!r}: merged cells not read ({exc})"
                    )
                reader = _SheetReader(ws.title, number, merges, limits)
                if not _DEFAULT_SHEET_NAME.match(ws.title.strip()):
                    kind, text, marker = classify(ws.title)
                    blocks.append(
                        Block(
                            BlockKind.HEADING,
                            text if kind == BlockKind.HEADING else tidy_spaces(ws.title),
                            loc=Location(page=number, index=0),
                            level=1,
                            marker=marker if kind == BlockKind.HEADING else None,
                            style="sheet",
                        )
                    )
                try:
                    blocks.extend(reader.read(_sheet_rows(ws)))
                except ReaderError:
                    raise
                except Exception as exc:
                    raise _err(
                        "corrupt",
                        f"シート「{ws.title}」を解析できません",
                        f"cannot parse sheet {ws.title!r}: {exc}",
                    ) from exc
        finally:
            wb.close()
    if not any(b.kind != BlockKind.HEADING or b.style != "sheet" for b in blocks):
        raise _err("empty", "ブックに値のあるセルがありません", "the workbook has no non-empty cells")
    return ReadResult(blocks=blocks, format="xlsx", pages=len(names), warnings=warnings)
