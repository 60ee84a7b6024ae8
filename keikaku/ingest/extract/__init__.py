"""Extractor: the block stream of a municipal plan → :class:`keikaku.core.plan.Plan`.

Layout recognisers, each reading structure rather than particular documents (see docs/import.md):

- :mod:`.records` — measures written as label / value tables (NO / 施策 / 内容 / KPIの例), and
  目的 / 取組 / 事業例 boxes under a measure heading;
- :mod:`.template` — template-style measures: title, prose, <KPI> and <スケジュール> boxes;
- :mod:`.tables` — one measure per row (title, fiscal-year schedule columns, 担当部署, pillar letters,
  KPI), schedule tables and target tables that refer to measures defined elsewhere, pillar mapping
  tables;
- :mod:`.outline` — the heading hierarchy, the policy tree and measure keys;
- :mod:`.metadata` — title, organisation, kinds, published, period, narrative sections.

Recognisers run in that order; a row of a later table that names a measure already found (by title,
else by key) adds to it instead of creating another.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace

from keikaku.core.fiscal import find_years
from keikaku.core.plan import Evaluation, Measure, Organisation, PillarSource, Plan
from keikaku.ingest.blocks import Block, BlockKind, ReadResult, Table
from keikaku.ingest.extract.common import (
    LABEL_YEAR,
    clean_text,
    clean_title,
    contains,
    split_departments,
    title_match,
    trailing_departments,
)
from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.extract.gantt import phase_grid, year_row_grid
from keikaku.ingest.extract.kpi import parse_deadline, parse_kpi_text
from keikaku.ingest.extract.labelled import chain_schedule, labelled_drafts, schedule_entries
from keikaku.ingest.extract.merge import find_draft, next_with_key, same_title
from keikaku.ingest.extract.metadata import (
    find_kinds,
    find_organisation,
    find_period,
    find_published,
    find_sections,
    find_title,
)
from keikaku.ingest.extract.outline import (
    Outline,
    PolicyTree,
    build_outline,
    join_key,
    pillar_heading,
    pillars_stated,
)
from keikaku.ingest.extract.prose_kpi import prose_kpis
from keikaku.ingest.extract.records import (
    BANNER_NO,
    Record,
    headings_before,
    read_records,
    record_description,
    record_title,
)
from keikaku.ingest.extract.tables import (
    Columns,
    analyse,
    header_key,
    join_tables,
    kpis_from_box,
    read_pillar_mapping,
    read_rows,
    read_targets,
    same_columns,
)
from keikaku.ingest.extract.template import find_template_measures
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.tolerances import TOLERANCES as TOL

__all__ = ["RECOGNISERS", "extract_plan"]

log = logging.getLogger(__name__)


class _Extraction:
    def __init__(self, result: ReadResult, source: str) -> None:
        self.result = result
        self.blocks = result.blocks
        self.source = source
        self.outline: Outline = build_outline(self.blocks)
        self.drafts: list[Draft] = []
        self.heading_drafts: dict[int, Draft] = {}
        self.taken: set[int] = set()
        self.stated_pillars: set[int] = set()  # ids of drafts whose pillars the document states (even none)
        self.mappings: list[tuple[str, str]] = []
        self.groups: dict[int, str] = {}  # id(draft) → the 区分 / 基本方針 cell of its table row
        self.table_rows: dict[int, int] = {}  # id(draft) → row number in its table (no key column)
        self.table_keys: set[int] = set()  # ids of drafts numbered by a No. column: the key as written
        self.row_tables: dict[int, Columns] = {}  # id(draft) → columns of the table whose row created it
        self.grids: list[tuple[int, list]] = []  # (block index, schedule) of phase grids
        self._headings_before: list[int | None] | None = None

    def heading_before(self, i: int) -> int | None:
        """The heading block i directly follows (records.headings_before, computed once)."""
        if self._headings_before is None:
            self._headings_before = headings_before(self.blocks)
        return self._headings_before[i]

    def attach_grids(self) -> None:
        """A phase grid is the schedule of the nearest measure before it that has none yet."""
        for i, entries in self.grids:
            before = [d for d in self.drafts if d.order < i]
            d = max(before, key=lambda x: x.order, default=None)
            if d is not None and not d.schedule:
                d.schedule = entries

    # -- recognisers -----------------------------------------------------------------------------
    def records(self) -> list[tuple[int, object]]:
        deferred: list[tuple[int, object]] = []
        for i, b in enumerate(self.blocks):
            if b.kind != BlockKind.TABLE or b.table is None:
                continue
            grid = phase_grid(b.table) or year_row_grid(b.table)
            if grid:  # a measure's 年次計画 as a phase × year grid: attached after all recognisers
                self.grids.append((i, grid))
                self.taken.add(i)
                continue
            recs = read_records(b.table)  # cards joined into one table by a converter: one record each
            if recs and any([self._record(i, rec) for rec in recs]):
                self.taken.add(i)
                continue
            cols = analyse(b.table)
            prev = deferred[-1] if deferred and _adjacent(self.blocks, deferred[-1][0], i) else None
            if prev is not None and _continues(prev[1], cols, b.table):  # type: ignore[arg-type]
                # the same table continued on the next page (header repeated or not)
                j, pcols = prev
                pb = self.blocks[j]
                joined = join_tables(pb.table, pcols, b.table, cols)  # type: ignore[arg-type]
                self.blocks[j] = replace(pb, table=joined)
                self.taken.add(i)
                continue
            if cols is not None and (cols.is_targets or cols.is_measures):
                deferred.append((i, cols))
                continue
            mapping = read_pillar_mapping(b.table)
            if mapping:
                self.mappings.extend(mapping)
                self.taken.add(i)
        return deferred

    def _record(self, i: int, rec: Record) -> bool:
        b = self.blocks[i]
        if "title" in rec.values:
            key, raw = record_title(rec)
            title, priority, reposted = clean_title(raw)
            if not title:
                return False
            node = self.outline.context[i]
            h = self.heading_before(i)
            bare = h is not None and not self.blocks[h].text.strip()
            if key is None and bare and node is not None and self.outline.nodes[node].index == h:
                # a card under a bare number heading ("取組項目2"): the heading's number is the key
                key, node = self.outline.nodes[node].key, self.outline.nodes[node].parent
            d = Draft(title, key, node=node, origin="record", loc=b.loc, order=i, excerpt=raw)
            if rec.labels.get("key") == [BANNER_NO]:
                self.table_keys.add(id(d))
            d.priority, d.reposted = priority, reposted
            self.drafts.append(d)
        else:
            if not ({"description", "example", "kpi"} & set(rec.values)):
                return False
            h = self.heading_before(i)
            if h is None:
                return False
            d = self.heading_drafts.get(h) or self._heading_draft(h)
        self._fill_from_record(d, rec)
        return True

    def _heading_draft(self, h: int) -> Draft:
        head = self.blocks[h]
        nid = self.outline.context[h]
        node = self.outline.nodes[nid] if nid is not None else None
        title, priority, reposted = clean_title(head.text)
        d = Draft(
            title or head.text,
            node.key if node else None,
            node=node.parent if node else None,
            origin="heading",
            loc=head.loc,
            order=h,
            excerpt=head.text,
        )
        d.priority, d.reposted = priority, reposted
        self.heading_drafts[h] = d
        self.drafts.append(d)
        return d

    def _fill_from_record(self, d: Draft, rec: Record) -> None:
        desc = record_description(rec)
        if desc:
            d.description = f"{d.description}\n{desc}".strip()
        # 指標 / 現状値（令和5年度）/ 目標値（令和8年度） rows, in the order written: each 指標 row opens a KPI,
        # the value rows after it are its values (a label's year goes onto a bare value)
        seen: dict[str, int] = defaultdict(int)
        groups: list[dict[str, list[tuple[str, str]]]] = []
        for kind in rec.order:
            if kind not in ("kpi", "baseline", "target"):
                continue
            n = seen[kind]
            seen[kind] += 1
            item = (rec.labels[kind][n], rec.values[kind][n])
            if kind == "kpi" or not groups or groups[-1].get(kind):
                groups.append({"kpi": [], "baseline": [], "target": []})
            groups[-1][kind].append(item)
        for g in groups:
            if not (g["baseline"] or g["target"]):
                for _, text in g["kpi"]:
                    d.add_kpis(kpis_from_box(text))
                continue
            parts = [g["kpi"][0][1] if g["kpi"] else d.title]
            for kind, word in (("baseline", "現状値"), ("target", "目標値")):
                for label, value in g[kind]:
                    year = LABEL_YEAR.search(label)
                    parts.append(f"{word} {value}{year.group(0) if year and not find_years(value) else ''}")
            d.add_kpis(parse_kpi_text("　".join(parts), indicator=d.title))
        for text in rec.values.get("department", []):
            d.add_departments(split_departments(text))
        for text in rec.values.get("schedule", []):
            entries = schedule_entries(text) or chain_schedule(text)
            if entries and not d.schedule:
                d.schedule = entries  # '令和7年度：検討 令和8～9年度：実施' in a 年次計画 cell
                continue
            fy = parse_deadline(text)
            if fy:
                d.deadline_fy = fy
        for text in rec.values.get("pillar", []):
            codes = pillars_stated(text)  # A, E / 第11条 / オープンデータの推進 / その他
            if codes is not None:
                d.set_pillars(codes)
                self.stated_pillars.add(id(d))

    def labelled(self) -> None:
        period = find_period(self.blocks, self.outline)
        end_fy = period.end_fy if period is not None else None
        self.drafts.extend(labelled_drafts(self.blocks, self.taken, self.outline, end_fy))

    def templates(self) -> None:
        for tm in find_template_measures(self.blocks, self.taken):
            head = self.blocks[tm.title_index]
            nid = self.outline.context[tm.title_index]
            node = nid
            if head.kind == BlockKind.HEADING and nid is not None:
                node = self.outline.nodes[nid].parent
            if tm.title_index in self.heading_drafts:
                d = self.heading_drafts[tm.title_index]
            else:
                d = Draft(tm.title, tm.key, node=node, origin="template", loc=tm.loc, order=tm.title_index)
                d.excerpt = head.text
                self.drafts.append(d)
            d.priority = d.priority or tm.priority
            d.reposted = d.reposted or tm.reposted
            if tm.description and not d.description:
                d.description = tm.description
            d.add_kpis(tm.kpis)
            d.deadline_fy = d.deadline_fy or tm.deadline_fy
            if tm.departments_text:
                d.add_departments(split_departments(tm.departments_text))
            self.taken.update(range(tm.title_index, tm.end))

    def _owner_before(self, i: int) -> Draft | None:
        """The measure a small table inside its text belongs to: the nearest measure before block i with
        no heading between (a 指標 | 現状値 | 目標値 table under the measure's 〔指標〕 label)."""
        before = [d for d in self.drafts if d.order < i]
        d = max(before, key=lambda x: x.order, default=None)
        if d is None or any(self.blocks[k].kind == BlockKind.HEADING for k in range(d.order + 1, i)):
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

    def tables(self, deferred: list[tuple[int, object]]) -> None:
        for i, cols in deferred:
            b = self.blocks[i]
            if cols.is_targets:  # type: ignore[attr-defined]
                owner = self._owner_before(i)
                for tr in read_targets(b, cols, self.source):  # type: ignore[arg-type]
                    found = [find_draft(self.drafts, title=t, key=t) for t in tr.measures]
                    if not tr.measures:
                        found = [find_draft(self.drafts, title=tr.indicator, key=tr.key) or owner]
                    for d in found:
                        if d is not None:
                            d.add_kpis([tr.kpi.model_copy(deep=True)])
                continue
            # rows of one table, or of tables with the same header (one list split by policy or page),
            # are different measures: a row joins only measures other sources (or other lists) state
            head = header_key(cols)  # type: ignore[arg-type]
            others = [
                d
                for d in self.drafts
                if not (d.origin == "row" and (d.order == i or header_key(self.row_tables[id(d)]) == head))
            ]
            in_table = 0  # rows of this table made into measures so far (their number when unkeyed)
            last_ref = -1  # rows naming measures by a key used under several policies: in document order
            for row in read_rows(b, cols, self.source):  # type: ignore[arg-type]
                d = None
                if row.reposted:
                    pass
                elif row.ref_keys:
                    # a row naming its measure by marker only (取組1): joins it, never a new measure;
                    # under a policy banner ((1) under （１）…) among that policy's measures
                    pool = self._under_policy(others, row.group) if row.group else others
                    found = [find_draft(pool, key=k) for k in row.ref_keys]
                    d = next((f for f in found if f is not None), None) or next_with_key(
                        pool, row.ref_keys, last_ref
                    )
                    if d is None:
                        continue
                    last_ref = d.order
                elif cols.defines_measures:  # type: ignore[attr-defined]
                    # a table of its own measures joins another source only by a near-identical title
                    d = same_title(others, row.title)
                else:
                    d = find_draft(others, title=row.title, key=row.key)
                if d is None and cols.key_only:  # type: ignore[attr-defined]
                    continue  # a schedule row naming its measure by No. only: nothing to join
                if d is None:
                    d = Draft(
                        row.title, row.key, node=self.outline.context[i], origin="row", loc=b.loc, order=i
                    )
                    d.excerpt = "\t".join(row.cells)
                    d.reposted = row.reposted
                    self.drafts.append(d)
                    in_table += 1
                    self.row_tables[id(d)] = cols  # type: ignore[assignment]
                    if row.group:
                        self.groups[id(d)] = row.group
                    if row.key is None:
                        self.table_rows[id(d)] = in_table
                    elif row.key_column:
                        self.table_keys.add(id(d))
                d.priority = d.priority or row.priority
                if row.schedule and not d.schedule:
                    d.schedule = row.schedule
                d.add_departments(row.departments)
                d.add_kpis(row.kpis)
                if row.description and not d.description:
                    d.description = row.description
                if row.pillars is not None:
                    if row.pillars:
                        d.set_pillars(row.pillars)
                    self.stated_pillars.add(id(d))
            self.taken.add(i)

    def prose_fields(self) -> None:
        """Fields a measure states only in its prose: KPI sentences, a schedule chain
        (令和8年度 検討 → 令和9～10年度 実施)."""
        for d in self.drafts:
            trail = trailing_departments(d.title)
            if trail is not None:  # 'オープンデータの公開（企画課）': the department closes the title
                d.title = trail[0]
                d.add_departments(trail[1])
            if not d.kpis and d.description:
                d.add_kpis(prose_kpis(d.description, fallback=d.title))
            if not d.schedule and d.description:
                d.schedule = chain_schedule(d.description)

    # -- pillars ---------------------------------------------------------------------------------
    def pillars(self, tree: PolicyTree) -> None:
        for code, title in self.mappings:
            d = find_draft(self.drafts, title=title)
            if d is not None and code not in [p.code for p in d.pillars]:
                d.set_pillars(sorted({p.code for p in d.pillars} | {code}))
                self.stated_pillars.add(id(d))
        for d in self.drafts:
            if d.pillars or id(d) in self.stated_pillars:
                continue
            title_code = pillar_heading(d.title) if d.origin in ("labelled", "template", "heading") else None
            codes = tree.pillars_of(d.node) or ([title_code] if title_code else [])
            if codes:
                d.set_pillars(codes)
                self.stated_pillars.add(id(d))
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
                    if not d.pillars and id(d) not in self.stated_pillars:
                        d.set_pillars([code], PillarSource.INFERRED, TOL.sibling_confidence)
        from keikaku.ingest.pillars import infer_pillars_many  # scikit-learn: loaded only when needed

        # measures the plan itself labels teach the model this plan's wording
        extra = [
            (f"{d.title} {d.description}", [p.code for p in d.pillars])
            for d in self.drafts
            if d.pillars and d.pillars[0].source == PillarSource.DOCUMENT
        ]
        todo = [d for d in self.drafts if not d.pillars and id(d) not in self.stated_pillars]
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
            if id(d) in self.groups:
                pkey = self.groups[id(d)]
            elif pid is not None and _is_chapter(self.outline, pid):
                pkey = None  # a chapter (第3章) holds measures; it is not their key
            d.policy_key = pkey
            counters[pkey] += 1
            own = d.key or (str(self.table_rows[id(d)]) if id(d) in self.table_rows and not pkey else None)
            if own and id(d) in self.table_keys:
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


def _adjacent(blocks: list[Block], i: int, j: int) -> bool:
    """Block j follows table i with nothing between but short lines (a page header, footer or number)."""
    return (
        all(
            blocks[k].kind in (BlockKind.PARAGRAPH, BlockKind.FOOTNOTE)
            and len(blocks[k].text) <= TOL.table_gap_line_chars
            for k in range(i + 1, j)
        )
        and j - i <= TOL.table_gap_blocks
    )


def _continues(prev: Columns, cols: Columns | None, table: Table) -> bool:
    """A table is the previous one continued: the same header again, or no header and the same width."""
    if cols is not None:
        return same_columns(prev, cols)
    width = max((len(r) for r in table.grid()), default=0)
    return width == prev.width


def _evaluations(result: ReadResult) -> list[Evaluation]:
    from keikaku.ingest.extract.review import extract_evaluations

    try:
        return list(extract_evaluations(result))
    except Exception:  # noqa: BLE001 - a broken review table must not lose the plan
        log.warning("previous-plan review not read", exc_info=True)
        return []


# The recognisers, in the order they run (the one registry). Each reads the block stream, claims the
# blocks it reads (``taken``) and adds measures or fields to earlier ones through the merge policy
# (merge.py); a later one never re-reads what an earlier one claimed. To add a layout: write its
# recogniser (a module with a drawing of the layout in its docstring), add its step here, and give it
# fixtures in tests/ingest/extract (docs/import.md, 「読み取り方を足すには」).
RECOGNISERS: tuple[tuple[str, str], ...] = (
    ("records", "cards and property tables (項目 | 内容), phase grids, one-row year grids"),
    ("labelled", "numbered items with label lines (担当：, 【KPI】, ＜スケジュール＞, bare labels)"),
    ("templates", "template measures: title, prose, <KPI> and <スケジュール> boxes"),
    ("tables", "row tables (one measure per row), schedule and target tables naming measures"),
    ("grids", "phase grids and year rows attached to the measure before them"),
    ("prose", "fields written only as prose: KPI sentences, schedule chains, （担当課） closing a title"),
)


def _run(ex: _Extraction, step: str, deferred: list[tuple[int, object]]) -> list[tuple[int, object]]:
    before = len(ex.drafts)
    if step == "records":
        deferred = ex.records()
    elif step == "labelled":
        ex.labelled()
    elif step == "templates":
        ex.templates()
    elif step == "tables":
        ex.tables(deferred)
    elif step == "grids":
        ex.attach_grids()
    elif step == "prose":
        ex.prose_fields()
    log.debug(
        "%s: recogniser %s: %d new measures (%d in all), %d blocks claimed",
        ex.source,
        step,
        len(ex.drafts) - before,
        len(ex.drafts),
        len(ex.taken),
    )
    return deferred


def extract_plan(result: ReadResult, source_name: str) -> Plan:
    """Read a municipal plan from its blocks: the recognisers of RECOGNISERS in order, then pillars
    and keys."""
    ex = _Extraction(result, source_name)
    log.debug("%s: %d blocks, outline of %d headings", source_name, len(result.blocks), len(ex.outline.nodes))
    deferred: list[tuple[int, object]] = []
    for step, _ in RECOGNISERS:
        deferred = _run(ex, step, deferred)
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
        period=find_period(blocks, ex.outline),
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
