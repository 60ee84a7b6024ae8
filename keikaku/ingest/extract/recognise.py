"""The recognisers: each a function ``(Context) -> list[Candidate]`` over the block stream (candidate.py).

They read layouts, not documents; each module named below draws its layout in its docstring:

- :func:`grids` — a measure's 年次計画 as a phase × year grid or one row of years (:mod:`.gantt`);
- :func:`records` — cards and property tables (項目 | 内容, one measure per table), and boxes under a
  measure heading (目的 / 取組 / 事業例) (:mod:`.records`);
- :func:`labelled` — numbered items with label lines (担当：, 【KPI】, ＜スケジュール＞) (:mod:`.labelled`);
- :func:`templates` — a title, prose, then <KPI> and <スケジュール> boxes (:mod:`.template`);
- :func:`tables` — row tables (one measure per row), schedule and target tables naming measures defined
  elsewhere, pillar mapping tables (:mod:`.tables`, :mod:`.columns`).

A recogniser skips the blocks earlier ones claimed and never looks at their measures: joining what
several recognisers read about one measure is the merge policy's (merge.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from keikaku.core.fiscal import find_years
from keikaku.ingest.blocks import Block, BlockKind, Table
from keikaku.ingest.extract.candidate import CONFIDENCE, Candidate, Context, Join
from keikaku.ingest.extract.common import LABEL_YEAR, clean_title, split_departments
from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.extract.gantt import phase_grid, year_row_grid
from keikaku.ingest.extract.kpi import parse_deadline, parse_kpi_text
from keikaku.ingest.extract.labelled import (
    LabelledMeasure,
    chain_schedule,
    find_labelled_measures,
    schedule_entries,
)
from keikaku.ingest.extract.outline import pillars_stated
from keikaku.ingest.extract.prose import prose_schedule
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
from keikaku.ingest.tolerances import TOLERANCES as TOL

__all__ = ["grids", "labelled", "records", "tables", "templates"]


def _tables(ctx: Context) -> list[tuple[int, Block, Table]]:
    return [
        (i, b, b.table)
        for i, b in enumerate(ctx.blocks)
        if i not in ctx.claimed and b.kind == BlockKind.TABLE and b.table is not None
    ]


def grids(ctx: Context) -> list[Candidate]:
    """Phase × year grids and one-row year grids: the schedule of the measure before them."""
    out = []
    for i, _, table in _tables(ctx):
        grid = phase_grid(table) or year_row_grid(table)
        if grid:
            fields = Draft("", order=i, schedule=grid)
            out.append(Candidate("grids", Join.ATTACH, fields, i, frozenset({i}), CONFIDENCE["grid"]))
    return out


def records(ctx: Context) -> list[Candidate]:
    """Cards and property tables: one record per card (a converter may join cards into one table)."""
    out: list[Candidate] = []
    heads = headings_before(ctx.blocks)
    for i, _, table in _tables(ctx):
        found = [c for c in (_record(ctx, i, rec, heads) for rec in read_records(table)) if c is not None]
        for c in found:
            c.claims = frozenset({i})
        out.extend(found)
    return out


def _record(ctx: Context, i: int, rec: Record, heads: list[int | None]) -> Candidate | None:
    b = ctx.blocks[i]
    outline = ctx.outline
    if "title" in rec.values:
        key, raw = record_title(rec)
        title, priority, reposted = clean_title(raw)
        if not title:
            return None
        node = outline.context[i]
        h = heads[i]
        bare = h is not None and not ctx.blocks[h].text.strip()
        if key is None and bare and node is not None and outline.nodes[node].index == h:
            # a card under a bare number heading ("取組項目2"): the heading's number is the key
            key, node = outline.nodes[node].key, outline.nodes[node].parent
        d = Draft(title, key, node=node, origin="record", loc=b.loc, order=i, excerpt=raw)
        d.key_as_written = rec.labels.get("key") == [BANNER_NO]
        d.priority, d.reposted = priority, reposted
        _fill_from_record(d, rec)
        return Candidate("records", Join.NEW, d, i, confidence=CONFIDENCE["record"])
    if not ({"description", "example", "kpi"} & set(rec.values)):
        return None
    h = heads[i]
    if h is None:
        return None
    d = heading_draft(ctx, h)
    _fill_from_record(d, rec)
    return Candidate("records", Join.HEADING, d, h, confidence=CONFIDENCE["record"], append=True)


def heading_draft(ctx: Context, h: int) -> Draft:
    """The measure a heading titles (its boxes and cards follow it)."""
    head = ctx.blocks[h]
    nid = ctx.outline.context[h]
    node = ctx.outline.nodes[nid] if nid is not None else None
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
    return d


def _fill_from_record(d: Draft, rec: Record) -> None:
    d.description = record_description(rec)
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
            d.stated = True


def labelled(ctx: Context) -> list[Candidate]:
    """Numbered items with label lines. Without a schedule label, a schedule written as prose in the
    description is read (``ctx.end_fy``, the plan's last year, closes "令和7年度から運用")."""
    out: list[Candidate] = []
    for lm in find_labelled_measures(ctx.blocks, ctx.claimed, ctx.outline):
        claims = text_blocks(ctx.blocks, lm.title_index, lm.end)
        out.append(labelled_candidate(ctx, lm, "labelled", claims))
    return out


def labelled_candidate(
    ctx: Context, lm: LabelledMeasure, recogniser: str, claims: frozenset[int]
) -> Candidate:
    """The candidate of a measure read as a title and its labelled fields (label lines, label headings,
    a bullet's label items): one field reader for every layout that writes fields under labels."""
    d = labelled_draft(ctx, lm, "labelled")
    return Candidate(recogniser, Join.NEW, d, lm.title_index, claims, CONFIDENCE["labelled"])


def labelled_draft(ctx: Context, lm: LabelledMeasure, origin: str) -> Draft:
    """The fields of a title and its labels and prose, read as every labelled layout reads them."""
    blocks, outline = ctx.blocks, ctx.outline
    head = blocks[lm.title_index]
    nid = outline.context[lm.title_index]
    node = nid
    if head.kind == BlockKind.HEADING and nid is not None and outline.nodes[nid].index == lm.title_index:
        node = outline.nodes[nid].parent
    d = Draft(lm.title, lm.key, node=node, origin=origin, loc=lm.loc, order=lm.title_index)
    d.excerpt = head.text
    d.priority, d.reposted = lm.priority, lm.reposted
    d.description = lm.description
    d.add_departments(split_departments(lm.departments_text))
    d.add_kpis(lm.kpis())
    d.schedule, d.deadline_fy = lm.schedule()
    for text in lm.texts("pillar"):
        codes = pillars_stated(text)
        if codes is not None:
            d.set_pillars(codes)
    if not d.schedule and "schedule" not in lm.kinds:
        d.schedule = prose_schedule(lm.description, ctx.end_fy)
    return d


def templates(ctx: Context) -> list[Candidate]:
    """Template measures; one under a heading that a box already made a measure joins it."""
    out: list[Candidate] = []
    for tm in find_template_measures(ctx.blocks, ctx.claimed):
        head = ctx.blocks[tm.title_index]
        node = ctx.outline.context[tm.title_index]
        if head.kind == BlockKind.HEADING and node is not None:
            node = ctx.outline.nodes[node].parent
        d = Draft(tm.title, tm.key, node=node, origin="template", loc=tm.loc, order=tm.title_index)
        d.excerpt = head.text
        d.priority, d.reposted = tm.priority, tm.reposted
        d.description = tm.description
        d.add_kpis(tm.kpis)
        d.deadline_fy = tm.deadline_fy
        if tm.departments_text:
            d.add_departments(split_departments(tm.departments_text))
        claims = text_blocks(ctx.blocks, tm.title_index, tm.end)
        out.append(Candidate("templates", Join.HEADING, d, tm.title_index, claims, CONFIDENCE["template"]))
    return out


def tables(ctx: Context) -> list[Candidate]:
    """Row, schedule and target tables (a table continued on the next page read as one) and pillar
    mapping tables."""
    found: list[tuple[int, Block, Columns, frozenset[int]]] = []
    out: list[Candidate] = []
    for i, b, table in _tables(ctx):
        cols = analyse(table)
        last = found[-1] if found and _adjacent(ctx.blocks, found[-1][0], i) else None
        if last is not None and _continues(last[2], cols, table):
            # the same table continued on the next page (header repeated or not)
            j, pb, pcols, claims = last
            joined = join_tables(pb.table, pcols, table, cols)  # type: ignore[arg-type]
            found[-1] = (j, replace(pb, table=joined), pcols, claims | {i})
            continue
        if cols is not None and (cols.is_targets or cols.is_measures):
            found.append((i, b, cols, frozenset({i})))
            continue
        for code, title in read_pillar_mapping(table) or []:
            d = Draft(title, order=i)
            out.append(
                Candidate("tables", Join.PILLAR, d, i, frozenset({i}), 1.0, refs=(title,), pillar=code)
            )
    for i, b, cols, claims in found:
        out.extend(_targets(ctx, i, b, cols, claims) if cols.is_targets else _rows(ctx, i, b, cols, claims))
    return out


def _targets(ctx: Context, i: int, b: Block, cols: Columns, claims: frozenset[int]) -> list[Candidate]:
    out = []
    for tr in read_targets(b, cols, ctx.source):
        d = Draft(tr.indicator, tr.key, order=i, kpis=[tr.kpi])
        conf = CONFIDENCE["reference"]
        out.append(Candidate("tables", Join.TARGET, d, i, claims, conf, refs=tuple(tr.measures)))
    return out


def _rows(ctx: Context, i: int, b: Block, cols: Columns, claims: frozenset[int]) -> list[Candidate]:
    out = []
    head = header_key(cols)
    for row in read_rows(b, cols, ctx.source):
        d = Draft(row.title, row.key, node=ctx.outline.context[i], origin="row", loc=b.loc, order=i)
        d.excerpt = "\t".join(row.cells)
        d.priority, d.reposted = row.priority, row.reposted
        d.schedule, d.description = row.schedule, row.description
        d.add_departments(row.departments)
        d.add_kpis(row.kpis)
        if row.pillars:
            d.set_pillars(row.pillars)
        d.stated = row.pillars is not None
        d.group, d.table_head = row.group, head
        d.key_as_written = row.key is not None and row.key_column
        join = Join.REF if row.ref_keys and not row.reposted else Join.ROW
        conf = CONFIDENCE["row" if cols.defines_measures else "reference"]
        out.append(
            Candidate(
                "tables",
                join,
                d,
                i,
                claims,
                conf,
                refs=row.ref_keys,
                group=row.group,
                defines=cols.defines_measures,
                key_only=cols.key_only,
                head=head,
            )
        )
    return out


def text_blocks(blocks: list[Block], start: int, end: int) -> frozenset[int]:
    """The blocks of a measure written as text: a table among them is left to the table recogniser (a
    measure's KPI table, a list continued from a page before)."""
    return frozenset(k for k in range(start, end) if blocks[k].kind != BlockKind.TABLE)


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
