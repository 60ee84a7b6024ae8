"""PPTX reader (python-pptx): slides in order, each slide's shapes in reading order.

- hidden slides (``show="0"``) and hidden shapes are skipped, as are the date, footer, header and
  slide-number placeholders (running text, like a PDF's headers and footers) and speaker notes;
- the title placeholder → a HEADING (level 1, its number marker split off) before the slide's other
  shapes; the others follow in reading order: top, then left (shapes whose tops lie within
  :data:`SAME_ROW_EMU` of each other count as one row, read left to right);
- text frames → paragraphs read with the same :func:`classify` as the other readers ("(1) …" short
  lines are headings, "・…" list items, "※1 …" footnotes); PowerPoint's automatic numbering
  (``a:buAutoNum``: 1. / (1) / ① / I. / a) …) is replayed into the marker as DOCX numbering is; a
  bulleted paragraph (a body placeholder's default bullets, or ``a:buChar``) is a LIST_ITEM whose
  ``level`` is its indentation (PowerPoint's paragraph level + 1, as the text reader's list levels);
  soft line breaks split a paragraph like DOCX's;
- tables → TABLE blocks with merged cells as spans (python-pptx's ``is_merge_origin`` /
  ``span_height`` / ``span_width``; ``is_spanned`` cells are covered);
- group shapes are walked iteratively (no recursion) down to :data:`MAX_GROUP_DEPTH` nested groups;
  deeper shapes are skipped with a warning. Charts, pictures and SmartArt are ignored.

Locations: ``Location(page=<slide number, 1-based, counting hidden slides>, index=<the shape's place
in the slide's reading order, 1-based; the title is 1>)``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, ReaderError, ReadResult, Table
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.readers.common import (
    check_ooxml_package,
    classify,
    group_lines,
    join_wrapped,
    kind_for_marked,
    table_text,
    tidy_spaces,
)

__all__ = ["MAX_GROUP_DEPTH", "SAME_ROW_EMU", "auto_number", "read_pptx"]

MAX_GROUP_DEPTH = 8  # nested group shapes walked; deeper ones are skipped with a warning
SAME_ROW_EMU = 182_880  # 0.2 inch: shapes whose tops differ less are read left to right

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_BU_AUTONUM, _BU_CHAR, _BU_NONE = f"{{{A_NS}}}buAutoNum", f"{{{A_NS}}}buChar", f"{{{A_NS}}}buNone"


def _err(code: str, ja: str, en: str) -> ReaderError:
    return ReaderError(f"{ja} / {en}", code=code)


# ---------------------------------------------------------------------------------------------
# automatic numbering (a:buAutoNum type=…)

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟"
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_KANJI = "〇一二三四五六七八九"


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= v:
            out += s
            n -= v
    return out


def _kanji(n: int) -> str:
    if n < 10:
        return _KANJI[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _KANJI[tens]) + "十" + (_KANJI[ones] if ones else "") if n < 100 else str(n)


def auto_number(scheme: str, n: int) -> str:
    """The marker PowerPoint shows for item ``n`` of an ``a:buAutoNum`` scheme: ("arabicParenBoth", 2) → "(2)"."""
    if scheme.startswith("alpha"):
        body = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        body = body.upper() if scheme.startswith("alphaUc") else body
    elif scheme.startswith("roman"):
        body = _roman(n)
        body = body.lower() if scheme.startswith("romanLc") else body
    elif scheme.startswith("circleNum"):
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"({n})"
    elif scheme.startswith("arabicDb"):
        body = str(n).translate(_FULL)
        return body + "．" if scheme.endswith("Period") else body
    elif scheme.startswith("ea1") or scheme.startswith("hindi") or scheme.startswith("thai"):
        body = _kanji(n)
        return body + "．" if scheme.endswith("Period") else body
    else:
        body = str(n)
    if scheme.endswith("ParenBoth"):
        return f"({body})"
    if scheme.endswith("ParenR"):
        return f"{body})"
    if scheme.endswith("Period"):
        return f"{body}."
    if scheme.endswith("Minus"):
        return f"- {body} -"
    return body


class _Counters:
    """PowerPoint numbering within one text frame: a counter per paragraph level; a shallower
    paragraph resets the deeper ones, an unnumbered paragraph at a level restarts that level."""

    def __init__(self) -> None:
        self.values: dict[int, tuple[str, int]] = {}

    def next(self, level: int, scheme: str | None, start: int) -> str | None:
        for deeper in [k for k in self.values if k > level]:
            del self.values[deeper]
        if scheme is None:
            self.values.pop(level, None)
            return None
        prev = self.values.get(level)
        n = prev[1] + 1 if prev is not None and prev[0] == scheme else start
        self.values[level] = (scheme, n)
        return auto_number(scheme, n)


# ---------------------------------------------------------------------------------------------
# shapes


def _hidden(shape: Any) -> bool:
    el = shape._element
    try:
        cnv = el[0][0]  # nvSpPr / nvGraphicFramePr / nvGrpSpPr → cNvPr
    except (IndexError, TypeError):
        return False
    return str(cnv.get("hidden", "")).lower() in ("1", "true")


def _position(shape: Any, inherited: dict[Any, tuple[int, int]]) -> tuple[int, int]:
    """(top, left) in EMU. A placeholder without its own offset inherits it from the layout; python-pptx
    finds that by scanning the layout's shapes for every lookup, so it is looked up once per placeholder
    index and kept in ``inherited`` (a slide of thousands of repeated placeholders was quadratic)."""
    el = getattr(shape, "_element", None)
    try:
        x, y = getattr(el, "x", None), getattr(el, "y", None)
        if x is not None and y is not None:
            return int(y), int(x)
        if el is not None and getattr(shape, "is_placeholder", False):
            key = (el.ph_idx, el.ph_type)
            if key not in inherited:
                inherited[key] = (int(shape.top or 0), int(shape.left or 0))
            return inherited[key]
        return int(shape.top or 0), int(shape.left or 0)
    except (AttributeError, ValueError, TypeError):
        return 0, 0


def reading_order(shapes: list[Any]) -> list[Any]:
    """Top to bottom; shapes whose tops lie within SAME_ROW_EMU of a row's first one, left to right."""
    inherited: dict[Any, tuple[int, int]] = {}
    placed = sorted(((_position(s, inherited), i, s) for i, s in enumerate(shapes)), key=lambda t: t[:2])
    rows: list[list[tuple[tuple[int, int], int, Any]]] = []
    row_top: int | None = None
    for item in placed:
        top = item[0][0]
        if row_top is None or top - row_top > SAME_ROW_EMU:
            rows.append([])
            row_top = top
        rows[-1].append(item)
    return [t[2] for row in rows for t in sorted(row, key=lambda t: (t[0][1], t[0][0], t[1]))]


def _placeholder_type(shape: Any) -> str | None:
    if not getattr(shape, "is_placeholder", False):
        return None
    try:
        kind = shape.placeholder_format.type
    except (AttributeError, ValueError):
        return None
    return getattr(kind, "name", str(kind))


_TITLES = {"TITLE", "CENTER_TITLE", "VERTICAL_TITLE"}
_RUNNING = {"DATE", "FOOTER", "HEADER", "SLIDE_NUMBER"}
_BULLETED = {"BODY", "OBJECT", "VERTICAL_BODY", "VERTICAL_OBJECT"}


def _lines(text: str) -> list[str]:
    return [ln.strip(" \t\u3000") for ln in text.replace("\v", "\n").split("\n") if ln.strip(" \t\u3000")]


class _SlideReader:
    def __init__(self, number: int, warnings: list[str]) -> None:
        self.number = number
        self.warnings = warnings
        self.blocks: list[Block] = []
        self.index = 0

    def read(self, slide: Any) -> list[Block]:
        shapes = [s for s in slide.shapes if not _hidden(s)]
        titles = [s for s in shapes if _placeholder_type(s) in _TITLES]
        for title in titles[:1]:
            self.index += 1
            self.title(title)
        rest = [s for s in shapes if s not in titles[:1]]
        for shape in self._walk(rest):
            self.index += 1
            self.shape(shape)
        return self.blocks

    def _walk(self, shapes: list[Any]) -> Iterator[Any]:
        """Shapes in reading order, group members in place of their group (iterative, depth-capped)."""
        stack: list[tuple[Iterator[Any], int]] = [(iter(reading_order(shapes)), 0)]
        while stack:
            it, depth = stack[-1]
            shape = next(it, None)
            if shape is None:
                stack.pop()
                continue
            if _hidden(shape):
                continue
            members = getattr(shape, "shapes", None) if _is_group(shape) else None
            if members is None:
                yield shape
            elif depth >= MAX_GROUP_DEPTH:
                self.warnings.append(
                    f"スライド {self.number}: {MAX_GROUP_DEPTH} 段より深いグループの図形は読み飛ばしました / slide {self.number}: group shapes nested deeper than {MAX_GROUP_DEPTH} skipped"
                )
            else:
                stack.append((iter(reading_order(list(members))), depth + 1))

    def emit(self, kind: BlockKind, text: str, **kw: Any) -> None:
        self.blocks.append(Block(kind, text, loc=Location(page=self.number, index=self.index), **kw))

    def title(self, shape: Any) -> None:
        if not shape.has_text_frame:
            return
        text = join_wrapped([ln for p in shape.text_frame.paragraphs for ln in _lines(p.text)])
        if not text:
            return
        marker, rest = parse_marker(text)
        self.emit(
            BlockKind.HEADING,
            tidy_spaces(rest),
            level=1,
            marker=marker.written if marker else None,
            style="title",
        )

    def shape(self, shape: Any) -> None:
        kind = _placeholder_type(shape)
        if kind in _RUNNING or kind in _TITLES:
            return
        if getattr(shape, "has_table", False):
            self.table(shape.table)
        elif getattr(shape, "has_text_frame", False):
            self.text_frame(shape.text_frame, bulleted=kind in _BULLETED, style=(kind or "text").lower())

    def text_frame(self, frame: Any, *, bulleted: bool, style: str) -> None:
        counters = _Counters()
        for p in frame.paragraphs:
            lines = _lines(p.text)
            level = int(p.level or 0)
            ppr = p._p.pPr
            auto = ppr.find(_BU_AUTONUM) if ppr is not None else None
            scheme = auto.get("type", "arabicPeriod") if auto is not None else None
            start = int(auto.get("startAt", "1")) if auto is not None else 1
            if not lines:
                continue
            num = counters.next(level, scheme, start)
            has_bullet = bulleted  # a body placeholder's paragraphs have the master's bullets
            if ppr is not None and ppr.find(_BU_NONE) is not None:
                has_bullet = False
            elif ppr is not None and ppr.find(_BU_CHAR) is not None:
                has_bullet = True
            self._paragraph(lines, num, has_bullet and num is None, level, style)

    def _paragraph(self, lines: list[str], num: str | None, bullet: bool, level: int, style: str) -> None:
        for i, group in enumerate(group_lines(lines, explicit_breaks=True)):
            kind, text, marker = classify(group)
            item_level: int | None = None
            if i == 0 and num and kind != BlockKind.FOOTNOTE and parse_marker(group)[0] is None:
                kind = (
                    BlockKind.HEADING if kind_for_marked(group) == BlockKind.HEADING else BlockKind.PARAGRAPH
                )
                text, marker = tidy_spaces(group), num
                if kind == BlockKind.PARAGRAPH:  # a long numbered sentence keeps its number in the text
                    text, marker = f"{num} {text}", None
            elif kind == BlockKind.LIST_ITEM or (i == 0 and bullet and kind == BlockKind.PARAGRAPH):
                kind, item_level = BlockKind.LIST_ITEM, level + 1
            if text:
                self.emit(kind, text, marker=marker, level=item_level, style=style)

    def table(self, table: Any) -> None:
        rows: list[list[Cell]] = []
        width, height = len(table.columns), len(table.rows)
        for r, row in enumerate(table.rows):
            out: list[Cell] = []
            for c, cell in enumerate(row.cells):
                if cell.is_spanned:
                    continue
                rowspan, colspan = (cell.span_height, cell.span_width) if cell.is_merge_origin else (1, 1)
                # spans are clamped to the table's grid, as in the DOCX reader (a gridSpan of 2**32 is damage)
                rowspan = max(1, min(rowspan, height - r))
                colspan = max(1, min(colspan, width - c))
                out.append(Cell(_cell_text(cell), rowspan=rowspan, colspan=colspan))
            rows.append(out)
        if any(c.text for r in rows for c in r):
            self.emit(BlockKind.TABLE, table_text(rows), table=Table(rows=rows), style="table")


def _is_group(shape: Any) -> bool:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    try:
        return bool(shape.shape_type == MSO_SHAPE_TYPE.GROUP)
    except (NotImplementedError, AttributeError, ValueError):
        return False


def _cell_text(cell: Any) -> str:
    lines = [tidy_spaces(ln) for p in cell.text_frame.paragraphs for ln in _lines(p.text)]
    return "\n".join(ln for ln in lines if ln)


def read_pptx(source: Path | str, *, max_unpacked_bytes: int | None = None) -> ReadResult:
    """Read a .pptx presentation. ``max_unpacked_bytes`` guards against ZIP bombs."""
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    path = Path(source)
    check_ooxml_package(path, "PPTX", max_unpacked_bytes)
    try:
        with path.open("rb") as fh:
            prs = Presentation(fh)
        slides = list(prs.slides)  # resolves every slide's relationship: a dangling one is a broken file
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise _err("corrupt", "PPTX ファイルが壊れています", f"corrupt PPTX: {exc}") from exc
    except Exception as exc:  # lxml.etree.XMLSyntaxError and friends
        raise _err("corrupt", "PPTX ファイルを解析できません", f"cannot parse PPTX: {exc}") from exc
    blocks: list[Block] = []
    warnings: list[str] = []
    for number, slide in enumerate(slides, start=1):
        if str(slide._element.get("show", "1")).lower() in ("0", "false"):
            continue
        try:
            blocks.extend(_SlideReader(number, warnings).read(slide))
        except ReaderError:
            raise
        except Exception as exc:  # a broken shape costs its slide, not the deck
            warnings.append(f"スライド {number} を読み取れませんでした / slide {number} skipped: {exc}")
    if not blocks:
        raise _err("empty", "スライドに文字がありません", "the presentation has no text")
    return ReadResult(blocks=blocks, format="pptx", pages=len(slides), warnings=warnings)
