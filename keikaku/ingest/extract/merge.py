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
"""

from __future__ import annotations

from keikaku.ingest.extract.common import contains, title_match
from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.markers import normalise_key
from keikaku.ingest.tolerances import TOLERANCES as TOL

__all__ = ["find_draft", "next_with_key", "same_title"]


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
