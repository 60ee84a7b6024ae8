"""Extractor: the block stream of a municipal plan → :class:`keikaku.core.plan.Plan`.

1. the outline (:mod:`.outline`): the heading hierarchy, the policy tree and measure keys;
2. the recognisers of :data:`RECOGNISERS` (:mod:`.recognise`), each a function over the block stream
   returning candidates — the blocks it claims, the fields it read, a confidence (:mod:`.candidate`);
3. the one merge policy (:mod:`.merge`): which candidates describe the same measure;
4. fields written only as prose (KPI sentences, schedule chains, （担当課） closing a title);
5. pillars (stated, by policy, by sibling, else inferred) and keys;
6. metadata (:mod:`.metadata`): title, organisation, kinds, published, period, narrative sections.

Every recogniser reads structure rather than particular documents (see docs/import.md).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace

from keikaku.core.plan import Evaluation, Measure, Organisation, PillarSource, Plan
from keikaku.ingest.blocks import ReadResult
from keikaku.ingest.extract import recognise, trees, units
from keikaku.ingest.extract.candidate import Candidate, Context
from keikaku.ingest.extract.common import clean_text, departments_in_prose, trailing_departments
from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.extract.items import split_titled_items
from keikaku.ingest.extract.labelled import chain_schedule
from keikaku.ingest.extract.merge import Merger
from keikaku.ingest.extract.metadata import (
    find_kinds,
    find_organisation,
    find_period,
    find_published,
    find_sections,
    find_title,
)
from keikaku.ingest.extract.outline import Outline, PolicyTree, build_outline, join_key, pillar_heading
from keikaku.ingest.extract.prose_kpi import prose_kpis
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.tolerances import TOLERANCES as TOL

__all__ = ["RECOGNISERS", "extract_plan"]

log = logging.getLogger(__name__)


class _Extraction:
    """The measures of one document: the merge policy's result, then pillars and keys."""

    def __init__(self, result: ReadResult, source: str) -> None:
        self.result = result
        self.blocks = result.blocks
        self.source = source
        self.outline: Outline = build_outline(self.blocks)
        self.merger = Merger(self.blocks, self.outline)
        self.drafts = self.merger.drafts
        self.candidates: list[Candidate] = []
        self.period = find_period(self.blocks, self.outline)  # the recognisers' year grids need its end

    def recognise(self) -> None:
        """Every recogniser of RECOGNISERS in order, each skipping the blocks earlier ones claimed; then
        the merge policy joins their candidates."""
        period = self.period
        ctx = Context(self.blocks, self.outline, self.source, end_fy=period.end_fy if period else None)
        for name, recogniser, _ in RECOGNISERS:
            found = recogniser(ctx)
            for c in found:
                ctx.claimed |= c.claims
            self.candidates.extend(found)
            log.debug(
                "%s: recogniser %s: %d candidates (%s), %d blocks claimed",
                self.source,
                name,
                len(found),
                ", ".join(f"{j.value} {n}" for j, n in Counter(c.join for c in found).items()) or "none",
                len(ctx.claimed),
            )
        self.merger.merge(self.candidates)

    def prose_fields(self) -> None:
        """Fields a measure states only in its prose: KPI sentences, a schedule chain
        (令和8年度 検討 → 令和9～10年度 実施), a department closing its title."""
        for d in self.drafts:
            trail = trailing_departments(d.title)
            if trail is not None:  # 'オープンデータの公開（企画課）': the department closes the title
                d.title = trail[0]
                d.add_departments(trail[1])
            if not d.departments and d.description:  # 所管は総務課とする / 担当：企画課
                d.add_departments(departments_in_prose(d.description))
            if not d.kpis and d.description:
                d.add_kpis(prose_kpis(d.description, fallback=d.title))
            if not d.schedule and d.description:
                d.schedule = chain_schedule(d.description)

    # -- pillars ---------------------------------------------------------------------------------
    def pillars(self, tree: PolicyTree) -> None:
        self.merger.pillars(self.candidates)
        for d in self.drafts:
            if d.pillars or d.stated:
                continue
            title_code = pillar_heading(d.title) if d.origin in ("labelled", "template", "heading") else None
            codes = tree.pillars_of(d.node) or ([title_code] if title_code else [])
            if codes:
                d.set_pillars(codes)
                d.stated = True
        # siblings: a policy whose stated measures all serve one pillar lends it to the unstated ones
        by_policy: dict[int | None, list[Draft]] = defaultdict(list)
        for d in self.drafts:
            by_policy[tree.policy_of(d.node)].append(d)
        for pid, ds in by_policy.items():
            if pid is None:
                continue
            with_pillars = [d for d in ds if d.pillars]
            stated = {p.code for d in with_pillars for p in d.pillars}
            if len(stated) == 1 and len(with_pillars) >= 2:
                code = next(iter(stated))
                for d in ds:
                    if not d.pillars and not d.stated:
                        d.set_pillars([code], PillarSource.INFERRED, TOL.sibling_confidence)
        from keikaku.ingest.pillars import infer_pillars_many  # scikit-learn: loaded only when needed

        # measures the plan itself labels teach the model this plan's wording
        extra = [
            (f"{d.title} {d.description}", [p.code for p in d.pillars])
            for d in self.drafts
            if d.pillars and d.pillars[0].source == PillarSource.DOCUMENT
        ]
        todo = [d for d in self.drafts if not d.pillars and not d.stated]
        try:
            inferred = infer_pillars_many([(d.title, d.description) for d in todo], extra=extra or None)
        except Exception:  # noqa: BLE001 - inference is a best effort, never fatal
            log.warning(
                "%s: pillar inference failed; measures left without pillars", self.source, exc_info=True
            )
            inferred = [[] for _ in todo]
        for d, refs in zip(todo, inferred, strict=True):
            d.pillars = list(refs)

    # -- keys --------------------------------------------------------------------------------
    def keys(self, tree: PolicyTree) -> None:
        counters: dict[str | None, int] = defaultdict(int)
        for d in self.drafts:
            pid = tree.policy_of(d.node)
            pkey = tree.keys.get(pid) if pid is not None else None
            if d.group:
                pkey = d.group
            elif pid is not None and _is_chapter(self.outline, pid):
                pkey = None  # a chapter (第3章) holds measures; it is not their key
            d.policy_key = pkey
            counters[pkey] += 1
            own = d.key or (str(d.table_row) if d.table_row is not None and not pkey else None)
            if own and d.key_as_written:
                d.full_key = own
                continue
            if own:
                m, _ = parse_marker(own, alone=True)
                if m is not None and m.kind == "compound":
                    d.full_key = own
                    continue
            d.full_key = join_key(pkey, own or str(counters[pkey]))


def _is_chapter(outline: Outline, nid: int) -> bool:
    m = outline.nodes[nid].marker
    return m is not None and m.kind == "chapter"


def _evaluations(result: ReadResult) -> list[Evaluation]:
    from keikaku.ingest.extract.review import extract_evaluations

    try:
        return list(extract_evaluations(result))
    except Exception:  # noqa: BLE001 - a broken review table must not lose the plan
        log.warning("previous-plan review not read", exc_info=True)
        return []


# The recognisers, in the order they run (the one registry): each is a function over the block stream
# returning candidates (candidate.py) and skipping the blocks earlier ones claimed; the merge policy
# (merge.py) then joins the candidates that describe one measure. To add a layout: write its recogniser
# (with a drawing of the layout in its docstring), add it here, and give it fixtures in
# tests/ingest/extract (docs/import.md, 「読み取り方を足すには」).
RECOGNISERS: tuple[tuple[str, Callable[[Context], list[Candidate]], str], ...] = (
    ("grids", recognise.grids, "phase grids and year rows: the schedule of the measure before them"),
    ("records", recognise.records, "cards and property tables (項目 | 内容), boxes under a measure heading"),
    (
        "sections",
        trees.sections,
        "a section per measure whose sub-headings are field labels (めざす姿 / 指標 …)",
    ),
    ("bullets", trees.bullets, "nested bullet trees: an item with label items (担当：…) under it"),
    ("labelled", recognise.labelled, "numbered items with label lines (担当：, 【KPI】, ＜スケジュール＞)"),
    ("templates", recognise.templates, "template measures: title, prose, <KPI> and <スケジュール> boxes"),
    ("tables", recognise.tables, "row tables, schedule and target tables naming measures, pillar mappings"),
    (
        "units",
        units.units,
        "units of the outline chosen as measures by the fields in their prose, bare lists",
    ),
)


def extract_plan(result: ReadResult, source_name: str) -> Plan:
    """Read a municipal plan from its blocks: the recognisers of RECOGNISERS in order, then pillars
    and keys."""
    result = replace(result, blocks=split_titled_items(result.blocks))  # ①title：text → heading + text
    ex = _Extraction(result, source_name)
    log.debug("%s: %d blocks, outline of %d headings", source_name, len(result.blocks), len(ex.outline.nodes))
    ex.recognise()
    ex.prose_fields()
    for d in ex.drafts:
        log.debug("%s: measure %r from %s at block %d", source_name, d.title, d.origin, d.order)
    ex.drafts.sort(key=lambda d: d.order)
    tree = PolicyTree(ex.outline, [d.node for d in ex.drafts])
    ex.pillars(tree)
    ex.keys(tree)

    blocks = result.blocks
    title = find_title(blocks) or source_name.rsplit(".", 1)[0]
    org = find_organisation(title, blocks) or Organisation(name="不明")
    log.debug("%s: title %r, organisation %r", source_name, title, org.name)
    policy_pillars: dict[int, list[str]] = defaultdict(list)
    for d in ex.drafts:
        pid = tree.policy_of(d.node)
        if pid is not None:
            policy_pillars[pid].extend(p.code for p in d.pillars if p.source == PillarSource.DOCUMENT)
    return Plan(
        title=clean_text(title),
        organisation=org,
        kinds=find_kinds(title, blocks),
        published=find_published(blocks),
        period=ex.period,
        sections=find_sections(blocks, ex.outline, tree.used),
        policies=tree.policies(policy_pillars),
        measures=[_located(d.to_measure(source_name)) for d in ex.drafts],
        evaluations=_evaluations(result),
    )


def _located(measure: Measure) -> Measure:
    """Every KPI and schedule cell points back to the document: where a recogniser did not record a
    narrower location, the value carries the location of the measure it was read with."""
    where = measure.provenance
    if where is None:
        return measure
    for kpi in measure.kpis:
        if kpi.provenance is None:
            kpi.provenance = where.model_copy()
    for entry in measure.schedule:
        if entry.provenance is None:
            entry.provenance = where.model_copy()
    return measure
