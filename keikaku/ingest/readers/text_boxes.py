"""Text geometry for the text reader: display width (Japanese characters count two), and tables drawn
with box-drawing characters (┌─┬─┐ │ ├┼┤ └┴┘) or ASCII (+---+ / | a | b |): column stops from the border
lines, cells from the text between the bars."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable

from keikaku.ingest.blocks import Cell


class _WideOnly(dict):
    """str.translate table keeping wide characters (W, F, A) and deleting the rest, filled as met."""

    def __missing__(self, code: int) -> int | None:
        keep = code if unicodedata.east_asian_width(chr(code)) in "WFA" else None
        self[code] = keep
        return keep


_WIDE_ONLY = _WideOnly()


def display_width(text: str) -> int:
    """Columns a line takes: Japanese (wide) characters count two."""
    if text.isascii():
        return len(text)
    return len(text) + len(text.translate(_WIDE_ONLY))


VERTICALS = "│┃║┆┇┊┋╎╏|"
_HORIZONTALS = "─━═┄┅┈┉╌╍-="
_BOX_CHARS = re.compile(r"^[\u2500-\u257f \u3000]+$")
_ASCII_BORDER = re.compile(r"^\+(?:[-=:]+\+)+$")
_BOX_LEADS = "┌┍┎┏├┝┞┟┠┡┢┣└┕┖┗╔╞╟╠╚╒╓╘╙" + VERTICALS[:-1] + "+|"


def is_box_border(s: str) -> bool:
    """A rule of a drawn table: box-drawing characters only (with a horizontal run), or +---+---+."""
    if not s:
        return False
    if s[0] == "+":
        return bool(_ASCII_BORDER.match(s))
    return bool(_BOX_CHARS.match(s)) and any(h in s for h in _HORIZONTALS)


def is_box_row(s: str) -> bool:
    """A row line of a drawn table: opens with a vertical bar and has another one after it."""
    return bool(s) and s[0] in VERTICALS and sum(s.count(v) for v in VERTICALS) >= 2


def is_box_line(stripped: str) -> bool:
    """A line that may open a drawn table: a rule, or a row opening with a box-drawing bar (a row
    opening with ASCII "|" stays a Markdown pipe table unless a +---+ rule comes first)."""
    return (
        bool(stripped)
        and stripped[0] in _BOX_LEADS
        and (is_box_border(stripped) or (stripped[0] != "|" and is_box_row(stripped)))
    )


def _width(ch: str, wide_box: bool) -> int:
    """Display columns of a character; box-drawing characters (East Asian width "ambiguous") are
    two columns in a Japanese editor's font and one in most others."""
    if "\u2500" <= ch <= "\u257f":
        return 2 if wide_box else 1
    return display_width(ch)


def _bars(line: str, wide_box: bool) -> list[tuple[int, int]]:
    """(display column, character index) of each vertical bar in a row line."""
    out: list[tuple[int, int]] = []
    col = 0
    for k, ch in enumerate(line):
        if ch in VERTICALS:
            out.append((col, k))
        col += _width(ch, wide_box)
    return out


def _column_stops(borders: list[str], wide_box: bool) -> list[int]:
    """Display columns of the junctions (┬ ┼ ┐ + …) in a table's rules: its column boundaries."""
    stops: set[int] = set()
    for border in borders:
        col = 0
        for ch in border:
            if ch not in _HORIZONTALS and ch not in " \u3000":
                stops.add(col)
            col += _width(ch, wide_box)
    return sorted(stops)


def box_layout(borders: list[str], lines: list[str]) -> tuple[list[int], bool]:
    """The column stops and the box-character width under which the rows' bars meet the rules."""
    best: tuple[int, list[int], bool] | None = None
    for wide in (True, False):
        stops = _column_stops(borders, wide)
        marks = set(stops)
        hits = sum(1 for line in lines for col, _ in _bars(line, wide) if col in marks)
        if best is None or hits > best[0]:
            best = (hits, stops, wide)
    assert best is not None
    return best[1], best[2]


def box_cells(line: str, stops: list[int], wide_box: bool, clean: Callable[[str], str]) -> list[Cell]:
    """The cells of a row line; a cell whose bars enclose junctions of the rules spans their columns."""
    bars = _bars(line, wide_box)
    cells: list[Cell] = []
    for (c0, k0), (c1, k1) in zip(bars, bars[1:], strict=False):
        span = 1
        lo, hi = bisect.bisect_left(stops, c0 - 1), bisect.bisect_right(stops, c1 + 1)
        if stops and lo < hi and abs(stops[lo] - c0) <= 1 and abs(stops[hi - 1] - c1) <= 1:
            span = max(1, hi - lo - 1)
        cells.append(Cell(clean(line[k0 + 1 : k1]), colspan=span))
    if bars and bars[-1][1] < len(line) - 1:  # a row not closed on the right
        rest = clean(line[bars[-1][1] + 1 :])
        if rest:
            cells.append(Cell(rest))
    return cells or [Cell(clean(line))]
