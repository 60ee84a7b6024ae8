"""Record tables: a measure written as label / value rows.

Two families share the shape:
- a self-contained record with a title label — "NO | 1 | 施策 | ○○の推進", "内容 | …", "KPIの例 | ・…";
- a box under a measure heading with no title label — "目的 | …", "取組 | …", "事業例 | …" below
  "1-① ○○の推進【重点取組】"; the heading is the measure, and a box split over several tables (a page
  break) still belongs to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from keikaku.ingest.blocks import Block, Table
from keikaku.ingest.extract.common import clean_text, label_kind, nfkc
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.tolerances import TOLERANCES as TOL


@dataclass
class Record:
    values: dict[str, list[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # label kinds in the order written
    labels: dict[str, list[str]] = field(default_factory=dict)  # kind → labels as written

    def first(self, kind: str) -> str:
        vs = self.values.get(kind)
        return vs[0] if vs else ""

    def add(self, kind: str, label: str, value: str) -> None:
        self.values.setdefault(kind, []).append(value)
        self.labels.setdefault(kind, []).append(label)
        self.order.append(kind)


BANNER_NO = "No."  # the label recorded for a key read from a banner's "No.n"
_BANNER_NUMBER = re.compile(
    r"^\S{0,6}?\s*(?:No|NO|no|№|番号)\s*[.．:：]?\s*(?P<key>[0-9]+(?:[-‐－][0-9]+)*)[\s:：.．]*(?P<title>\S.*)$"
)


def banner_title(text: str) -> tuple[str | None, str] | None:
    """(key, title) of a card's banner row ("施策No.2　町税のスマホ決済", "3-1 ○○"), None for a label or
    a sentence."""
    s = clean_text(text)
    if not s or "\n" in s or "。" in s or len(s) > TOL.banner_title_max_chars or label_kind(s):
        return None
    m = _BANNER_NUMBER.match(nfkc(s))
    if m:
        return m.group("key"), m.group("title").strip()
    marker, rest = parse_marker(s)
    return (marker.key, rest.strip()) if marker and rest.strip() else (None, s)


def read_record(table: Table) -> Record | None:
    """Label / value pairs of a record table, or None when the table is not one.

    A first row that is one cell across the whole table ("施策No.2　title") is the card's title."""
    grid = table.grid()
    rec = Record()
    rows_with_label = 0
    rows = 0
    for row in grid:
        cells = [c for c in row if not c.is_span_copy]
        texts = [clean_text(c.text) for c in cells]
        if not any(texts):
            continue
        banner = banner_title(texts[0]) if rows == 0 and len(cells) == 1 and len(grid) > 2 else None
        if banner is not None and len(row) > 1:
            if banner[0]:  # "施策No.2": the document's own running number, the key as written
                rec.add("key", BANNER_NO if _BANNER_NUMBER.match(nfkc(texts[0])) else "", banner[0])
            rec.add("title", "", banner[1])
            continue
        rows += 1
        first = next((t for t in texts if t), "")
        if label_kind(first):
            rows_with_label += 1
        k = 0
        while k < len(texts):
            kind = label_kind(texts[k]) if texts[k] else None
            if kind is None:
                k += 1
                continue
            label = texts[k]
            vals: list[str] = []
            k += 1
            while k < len(texts) and not (texts[k] and label_kind(texts[k])):
                if texts[k]:
                    vals.append(texts[k])
                k += 1
            if vals:
                rec.add(kind, label, "\n".join(vals))
    if not rec.values or rows == 0:
        return None
    if rows_with_label < max(1, rows * TOL.record_label_share):
        return None
    return rec


def read_records(table: Table) -> list[Record]:
    """The records of a table; cards one after another that a converter joined into one table
    (LibreOffice: adjacent tables) split again at each banner row (one cell across the table)."""
    width = max((sum(c.colspan for c in row) for row in table.rows), default=0)
    starts = [
        r
        for r, row in enumerate(table.rows)
        if len(row) == 1 and row[0].colspan == width > 1 and banner_title(row[0].text) is not None
    ]
    if len(starts) > 1 and starts[0] == 0:
        bounds = [*starts, len(table.rows)]
        recs = [read_record(Table(rows=table.rows[a:b])) for a, b in zip(bounds, bounds[1:], strict=False)]
        if all(rec is not None and "title" in rec.values for rec in recs):
            return [rec for rec in recs if rec is not None]
    rec = read_record(table)
    return [rec] if rec is not None else []


def record_title(rec: Record) -> tuple[str | None, str]:
    """(key, title text) of a record with a title label; the key from NO or the title's marker."""
    raw = rec.first("title")
    marker, rest = parse_marker(raw)
    key = rec.first("key").strip() or (marker.key if marker else None)
    return key or None, rest if marker else raw


def record_description(rec: Record) -> str:
    parts = list(rec.values.get("description", []))
    for label, ex in zip(rec.labels.get("example", []), rec.values.get("example", []), strict=False):
        parts.append(f"{label}：{ex}")
    return "\n".join(p for p in parts if p)


def headings_before(blocks: list[Block], stop_kinds: tuple[str, ...] = ("table",)) -> list[int | None]:
    """For every block, the index of the heading it directly follows (only tables, notes or blank prose
    between), in one pass: a run of many tables does not make each walk back over the others."""
    out: list[int | None] = []
    cur: int | None = None
    for j, b in enumerate(blocks):
        out.append(cur)
        if b.kind == "heading":
            cur = j
        elif not (
            (b.kind in stop_kinds and b.table is not None)
            or b.kind == "footnote"
            or (b.kind == "paragraph" and len(b.text) <= TOL.record_gap_paragraph_chars)
        ):
            cur = None
    return out


def heading_before(blocks: list[Block], i: int, stop_kinds: tuple[str, ...] = ("table",)) -> int | None:
    """Index of the heading a record table directly follows (see headings_before)."""
    return headings_before(blocks[:i], stop_kinds)[i - 1] if i > 0 else None
