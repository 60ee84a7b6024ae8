"""The one merge policy: when two sources describe the same measure.

Recognisers meet one measure more than once — a card and its row in a schedule table at the end, a KPI
table naming the measure, a mapping table of pillars. Whether a later source joins an earlier measure or
makes a new one is decided here, and only here:

1. **by title** — the same title, fuzzily (``Tolerances.draft_match``, NFKC, spaces ignored) and with the
   same numbers ("施策1" is never "施策2"); among equals the measure itself rather than its 再掲 repeat;
2. **by key** — the same key as written (normalised: （１） = (1) = 1), when exactly one measure has it;
   a key that several policies repeat ((1), (2) … under each) is taken in document order
   (:func:`next_with_key`), or among the measures of the policy the row names (a banner row);
3. **by containment** — one title contains the other (at least six characters, same numbers), when
   exactly one measure does.

A table that defines measures of its own (departments, KPIs, descriptions) joins another source only by
a near-identical title (:func:`same_title`): two lists of different measures are never merged.

:class:`Merger` applies these rules to the candidates of the recognisers (candidate.py), in the order
the registry runs them, each by how it names its measure (:class:`Join`):

- NEW — a measure of its own; HEADING — the measure of that heading if a candidate made it, else its own;
- ROW — a row of a measure table: joins a measure another source (or another list) states, by the rules
  above, else is its own (a 再掲 row is always its own; a schedule row naming its measure by No. only
  is dropped when no measure has that No.);
- REF — a row naming its measure by key only: the measure with that key (among the measures of the
  policy its banner names), else the next one with it in document order; never a new measure;
- TARGET — KPI rows: the measures they name, else the one their indicator names, else the measure
  right before the table (no heading between);
- ATTACH — schedule grids, once every measure is known: the nearest measure before that has none;
- PILLAR — mapping rows (:meth:`Merger.pillars`), once every title is final.

What a joining candidate read is added with :meth:`Draft.absorb` (a field already read is replaced only
by a surer candidate).
"""

from __future__ import annotations

import logging
from collections import defaultdict

from keikaku.ingest.blocks import Block, BlockKind
from keikaku.ingest.extract.candidate import Candidate, Join
from keikaku.ingest.extract.common import contains, title_match
from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.extract.outline import Outline
from keikaku.ingest.extract.vocabulary import kind_of
from keikaku.ingest.markers import normalise_key
from keikaku.ingest.tolerances import TOLERANCES as TOL

__all__ = ["Merger", "find_draft", "next_with_key", "same_title"]

log = logging.getLogger(__name__)


def find_draft(
    drafts: list[Draft],
    *,
    title: str = "",
    key: str | None = None,
    exclude_origin: str | None = None,
) -> Draft | None:
    """The measure a schedule, target or mapping row refers to: same title (fuzzy, the same numbers),
    else same key, else a title containing the other."""
    pool = [d for d in drafts if d.origin != exclude_origin]
    if title:
        # the best title; among equals the measure itself rather than its (再掲) repeat, then the latest
        best: tuple[float, bool, int] | None = None
        for i, d in enumerate(pool):
            score = title_match(title, d.title, TOL.draft_match)
            if score and (best is None or (score, not d.reposted, i) > best):
                best = (score, not d.reposted, i)
        if best is not None:
            return pool[best[2]]
    if key:
        nk = normalise_key(key)
        same = [d for d in pool if d.key and normalise_key(d.key) == nk]
        if len(same) == 1:
            return same[0]
    if title:
        cont = [d for d in pool if contains(title, d.title)]
        if len(cont) == 1:
            return cont[0]
    return None


def next_with_key(drafts: list[Draft], keys: tuple[str, ...], after: int) -> Draft | None:
    """The first measure after block `after` whose own key is one of keys: rows of a schedule table
    that repeat (1), (2) … under each policy name the measures in the order the document gives them."""
    wanted = {normalise_key(k) for k in keys}
    same = sorted((d for d in drafts if d.key and normalise_key(d.key) in wanted), key=lambda d: d.order)
    return next((d for d in same if d.order > after), None)


def same_title(drafts: list[Draft], title: str, threshold: float = TOL.same_title) -> Draft | None:
    """The measure of another source with a near-identical title and the same numbers, or None."""
    best: Draft | None = None
    best_score = 0.0
    for d in drafts:
        score = title_match(title, d.title, threshold)
        if score > best_score:
            best, best_score = d, score
    return best


class Merger:
    """The measures of one document, assembled from candidates by the rules above."""

    def __init__(self, blocks: list[Block], outline: Outline) -> None:
        self.blocks = blocks
        self.outline = outline
        self.drafts: list[Draft] = []
        self._at_heading: dict[int, Draft] = {}  # heading block → the measure a HEADING candidate made
        self._last_ref: dict[int, int] = defaultdict(lambda: -1)  # table → order of the last REF joined
        self._rows: dict[int, int] = defaultdict(int)  # table → its rows made into measures so far
        self._others: dict[int, list[Draft]] = {}  # table → the measures its rows may join
        # the measures by where they came from, kept as they are added: a table's joinable measures are
        # gathered from the groups, not by a scan of every measure (10,000 small tables stay linear)
        self._not_rows: list[Draft] = []
        self._rows_by_head: dict[tuple[int, tuple[str, ...]] | None, list[Draft]] = defaultdict(list)

    def merge(self, candidates: list[Candidate]) -> None:
        """Every candidate but the pillar mapping rows; schedule grids last."""
        for c in candidates:
            if c.join not in (Join.ATTACH, Join.PILLAR):
                self._one(c)
        for c in candidates:
            if c.join is Join.ATTACH:
                self._attach(c)

    def _add(self, c: Candidate) -> Draft:
        d = c.fields.stamp(c.confidence)
        self.drafts.append(d)
        if d.origin == "row":
            self._rows_by_head[d.table_head].append(d)
        else:
            self._not_rows.append(d)
        return d

    def _one(self, c: Candidate) -> None:
        f = c.fields
        d: Draft | None
        if c.join is Join.NEW:
            d = self._add(c)
        elif c.join is Join.HEADING:
            d = self._at_heading.get(c.at)
            if d is None:
                d = self._at_heading[c.at] = self._add(c)
            else:
                d.absorb(f, c.confidence, append=c.append)
        elif c.join is Join.TARGET:
            found = [find_draft(self.drafts, title=t, key=t) for t in c.refs]
            if not c.refs:
                found = [find_draft(self.drafts, title=f.title, key=f.key) or self._owner_before(c.at)]
            for t in found:
                if t is not None:
                    t.add_kpis([k.model_copy(deep=True) for k in f.kpis])
            return
        else:
            d = self._row(c)
            if d is None:
                return
        log.debug(
            "candidate of %s at block %d (%.2f) → measure %r", c.recogniser, c.at, c.confidence, d.title
        )

    def _row(self, c: Candidate) -> Draft | None:
        f = c.fields
        # rows of one table, or of tables with the same header (one list split by policy or page), are
        # different measures: a row joins only measures other sources (or other lists) state
        others = self._others.get(c.at)
        if others is None:  # once per table: the drafts its rows never make come after it
            rows = [
                d for head, ds in self._rows_by_head.items() if head != c.head for d in ds if d.order != c.at
            ]
            if rows:  # in the order they were found (among equals the merge takes the latest)
                pos = {id(d): k for k, d in enumerate(self.drafts)}
                others = sorted([*self._not_rows, *rows], key=lambda d: pos[id(d)])
            else:
                others = list(self._not_rows)
            self._others[c.at] = others
        d: Draft | None
        if c.join is Join.REF:
            pool = self._under_policy(others, c.group) if c.group else others
            found = [find_draft(pool, key=k) for k in c.refs]
            d = next((x for x in found if x is not None), None) or next_with_key(
                pool, c.refs, self._last_ref[c.at]
            )
            if d is None:
                return None
            self._last_ref[c.at] = d.order
        elif f.reposted:
            d = None
        elif c.defines:
            d = same_title(others, f.title)
        else:
            d = find_draft(others, title=f.title, key=f.key)
        if d is None and c.key_only:
            return None  # a schedule row naming its measure by No. only: nothing to join
        if d is None:
            self._rows[c.at] += 1
            if f.key is None and f.origin == "row":
                f.table_row = self._rows[c.at]
            return self._add(c)
        d.absorb(f, c.confidence)
        return d

    def _attach(self, c: Candidate) -> None:
        before = [d for d in self.drafts if d.order < c.at]
        d = max(before, key=lambda x: x.order, default=None)
        if d is not None and not d.schedule:
            d.absorb(c.fields, c.confidence)

    def _owner_before(self, i: int) -> Draft | None:
        """The measure a small table inside its text belongs to: the nearest measure before block i with
        no heading between but a field's label (a 指標 | 現状値 | 目標値 table under the measure's 〔指標〕
        label or its 指標 sub-heading)."""
        before = [d for d in self.drafts if d.order < i]
        d = max(before, key=lambda x: x.order, default=None)
        if d is None or any(
            self.blocks[k].kind == BlockKind.HEADING and not kind_of(self.blocks[k].text)
            for k in range(d.order + 1, i)
        ):
            return None
        return d

    def _under_policy(self, drafts: list[Draft], group: str) -> list[Draft]:
        """The measures whose policy heading (any ancestor) is titled like group; all when none is."""
        out = []
        for d in drafts:
            titles = (
                [self.outline.nodes[n].title for n in self.outline.chain(d.node)]
                if d.node is not None
                else []
            )
            if any(
                title_match(group, t, TOL.outline_title_match)
                or contains(group, t, TOL.outline_contains_min_chars)
                for t in titles
            ):
                out.append(d)
        return out or drafts

    def pillars(self, candidates: list[Candidate]) -> None:
        """Pillar mapping rows (pillar | measure title): the pillar joins the measure's stated pillars."""
        for c in candidates:
            if c.join is not Join.PILLAR or c.pillar is None:
                continue
            d = find_draft(self.drafts, title=c.refs[0])
            if d is not None and c.pillar not in [p.code for p in d.pillars]:
                d.set_pillars(sorted({p.code for p in d.pillars} | {c.pillar}))
                d.stated = True
