"""The recogniser contract: what one recogniser read about one measure.

A recogniser is a function ``(Context) -> list[Candidate]`` over the block stream. It sees the blocks,
the outline and which blocks earlier recognisers claimed — never the measures they found — and changes
nothing. Each candidate says which blocks it read (``claims``), the fields it read (``fields``, a
:class:`Draft`), how sure the layout makes it (``confidence``) and how it names the measure it describes
(``join``). Whether two candidates describe the same measure is decided afterwards by the one merge
policy (:mod:`.merge`), never by a recogniser.

Confidence is how directly the layout ties the fields to the measure: a card or property table that
names every field beside the title (0.95) is surer than label lines under a numbered item (0.9), than
<KPI> / <スケジュール> boxes after a title (0.85), than a row of a table (0.8), than a row of a table
elsewhere that names its measure by title or key (0.7), than a schedule grid next to a measure (0.6),
than a unit of the outline whose fields are read from its prose (0.5).
A field already read is replaced only by a candidate of higher confidence (:meth:`Draft.absorb`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from keikaku.ingest.blocks import Block
from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.extract.outline import Outline

__all__ = ["CONFIDENCE", "Candidate", "Context", "Join"]


class Join(Enum):
    """How a candidate names the measure it describes (the merge policy reads it)."""

    NEW = "new"  # a measure of its own: a card, a labelled item, a template measure
    HEADING = "heading"  # the measure titled by heading ``at``: boxes and cards under one heading
    ROW = "row"  # a row of a measure table: its own measure unless another source names it
    REF = "ref"  # a row naming its measure by key only (取組1): joins it, never a new measure
    TARGET = "target"  # a KPI row naming measures by title or key, else the measure before its table
    ATTACH = "attach"  # a schedule grid: the schedule of the nearest measure before it that has none
    PILLAR = "pillar"  # a pillar mapping row: the pillar of the measure it names


CONFIDENCE: dict[str, float] = {
    "record": 0.95,
    "labelled": 0.9,
    "template": 0.85,
    "row": 0.8,
    "reference": 0.7,
    "grid": 0.6,
    "outline": 0.5,
    "prose": 0.4,
}


@dataclass
class Candidate:
    """One recogniser's reading of one measure (or of fields for one)."""

    recogniser: str
    join: Join
    fields: Draft
    at: int  # block index where it was read: document order, the heading it belongs to
    claims: frozenset[int] = frozenset()
    confidence: float = 0.5
    refs: tuple[str, ...] = ()  # ROW: (title, key); REF: keys; TARGET / PILLAR: titles or keys
    group: str | None = None  # the 区分 / policy banner of a row (REF looks among its measures)
    defines: bool = False  # ROW: the table defines measures of its own (joins only a near-identical title)
    key_only: bool = False  # ROW: a schedule row naming its measure by No. only (nothing to join → dropped)
    head: tuple[int, tuple[str, ...]] | None = None  # ROW: its table's header (one list never joins itself)
    pillar: str | None = None  # PILLAR: the pillar code
    append: bool = False  # HEADING: its description continues the measure's text (boxes under a heading)


@dataclass
class Context:
    """What a recogniser may read: the block stream, its outline, the blocks already claimed."""

    blocks: list[Block]
    outline: Outline
    source: str
    claimed: set[int] = field(default_factory=set)
    end_fy: int | None = None  # the plan's last fiscal year ("令和7年度から運用" runs until then)
