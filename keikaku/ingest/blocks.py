"""The normalised block stream every reader produces and the extractor consumes.

A reader turns a document (txt, md, html, docx, pdf) into a flat list of :class:`Block` in reading
order. Each block carries a :class:`Location` back into the source (line span for text formats,
page and box for PDF, paragraph/table index for DOCX) so that every extracted value can cite it.
Text is kept as written (no NFKC): markers such as ① must survive until the extractor reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"
    FOOTNOTE = "footnote"


@dataclass(frozen=True)
class Location:
    line_start: int | None = None  # 1-based, inclusive (text formats)
    line_end: int | None = None
    page: int | None = None  # 1-based (PDF)
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    index: int | None = None  # paragraph / table index (DOCX, HTML)


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    # True on the grid positions a merged cell covers beyond its origin (see Table.grid)
    is_span_copy: bool = False


@dataclass
class Table:
    """Rows of cells as written (a merged cell appears once, with its spans)."""

    rows: list[list[Cell]] = field(default_factory=list)
    caption: str | None = None
    # the grid, built once: every recogniser reads it (a table is not changed once a reader made it)
    _grid: list[list[Cell]] | None = field(default=None, init=False, repr=False, compare=False)

    def grid(self) -> list[list[Cell]]:
        """Rectangular grid with merged cells repeated into every position they cover.

        Repeated positions are copies with ``is_span_copy=True`` so a reader of the grid can tell
        "the schedule cell spans 2021–2024" from "four cells that happen to say the same".
        Each call returns new row lists over the same cells, built once per table.
        """
        if self._grid is None:
            self._grid = self._build_grid()
        return [list(row) for row in self._grid]

    def _build_grid(self) -> list[list[Cell]]:
        out: list[list[Cell | None]] = []
        for r, row in enumerate(self.rows):
            while len(out) <= r:
                out.append([])
            c = 0
            for cell in row:
                while c < len(out[r]) and out[r][c] is not None:
                    c += 1
                for dr in range(cell.rowspan):
                    while len(out) <= r + dr:
                        out.append([])
                    target = out[r + dr]
                    for dc in range(cell.colspan):
                        while len(target) <= c + dc:
                            target.append(None)
                        first = dr == 0 and dc == 0
                        target[c + dc] = (
                            cell if first else Cell(cell.text, cell.rowspan, cell.colspan, is_span_copy=True)
                        )
                c += cell.colspan
        width = max((len(r) for r in out), default=0)
        return [
            [x if x is not None else Cell("") for x in row] + [Cell("")] * (width - len(row)) for row in out
        ]

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.grid()]


@dataclass
class Block:
    kind: BlockKind
    text: str = ""
    loc: Location = field(default_factory=Location)
    level: int | None = None  # heading level if the format says it (md #, html h1–h6, docx Heading n)
    marker: str | None = None  # number marker as written: "I.", "(1)", "①", "ア" …
    table: Table | None = None
    style: str | None = (
        None  # format-specific hint (docx style name, html tag, "bold") for layout recognisers
    )


@dataclass
class ReadResult:
    blocks: list[Block]
    format: str  # txt, md, html, docx, pdf
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


class ReaderError(Exception):
    """A document cannot be read (unsupported, corrupt, encrypted, empty, no text layer)."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code
