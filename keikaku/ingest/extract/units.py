"""Measures read from the outline alone: the repeated sibling units of a chapter on measures.

    第2章 施策の展開                                ← a chapter that names measures (施策, 取組, 事業 …)
    （１）行政手続のオンライン化                     ← a policy
    ア　電子申請の拡充                               ← a unit: a leaf of the outline …
    住民が…令和9年度までに100手続に増やす。       ← … its body: a description, a KPI sentence,
    所管は総務課。                                   a department, a schedule sentence
    イ　窓口のキャッシュレス化
    …
    第3章 重点取組
    1. 電子申請の拡充                                ← a bare numbered list under a heading naming
    2. 窓口のキャッシュレス化                           measures

The outline (outline.py) is built from every numbering style and heading level first; the measure level
is then chosen by evidence. Among the leaves of the outline that no other recogniser claimed, the units of
one style under one chapter are measures when their bodies carry measure fields — a department (所管は
○○課 / 担当：○○課 in a sentence, a line of department names, （○○課） closing the title), a KPI or target
sentence, a schedule sentence — or another recogniser read them as measures, in at least half of them and
at least two; or, in a chapter on measures
(never a narrative one), in a document where no other layout found anything, even with no fields: a bare
list of measures. A unit whose title is a sentence, a field's label (スケジュール, 指標) or a line of the table of
contents (leader dots) is never a measure; nor a group whose titles name narrative sections (趣旨, 位置付け, 計画期間 …), nor —
beside measures other recognisers read — a unit with nothing under it (a policy heading numbered like
its measures).
"""

from __future__ import annotations

import re
from collections import defaultdict

from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.extract.candidate import CONFIDENCE, Candidate, Context, Join
from keikaku.ingest.extract.common import (
    clean_text,
    clean_title,
    department_line,
    departments_in_prose,
    is_sentence,
)
from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.extract.labelled import LABEL_KINDS, LabelledMeasure, chapter_context, label_of
from keikaku.ingest.extract.recognise import labelled_draft
from keikaku.ingest.extract.vocabulary import NARRATIVE_HEADING_WORDS, kind_of
from keikaku.ingest.markers import TOC_LEADER

__all__ = ["units"]

_NARRATIVE = re.compile("|".join(map(re.escape, NARRATIVE_HEADING_WORDS)))
_BODY_KINDS = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)


def _unit(ctx: Context, nid: int, end: int) -> tuple[Draft, frozenset[int], bool] | None:
    """The draft a leaf node would give, its blocks, and whether its body carries measure fields."""
    node = ctx.outline.nodes[nid]
    head = ctx.blocks[node.index]
    title, priority, reposted = clean_title(node.title)
    if not title or is_sentence(title) or title.endswith(("。", "．")) or TOC_LEADER.search(head.text):
        return None
    if kind_of(title):  # a heading that is a field's label (スケジュール, 指標) names no measure
        return None
    # the body as a labelled measure's: prose lines, and label lines (■基本法の柱：…, 担当：…) read by the
    # one field reader of every labelled layout
    lm = LabelledMeasure(node.index, end, title, node.key, priority, reposted, loc=head.loc)
    names: list[str] = []
    for k in range(node.index + 1, end):
        b = ctx.blocks[k]
        if b.kind not in _BODY_KINDS:
            continue
        text = clean_text(b.text)
        bare = department_line(text) if len(text) <= 40 else None
        if bare:  # a bare line of department names under the title
            names += bare
            continue
        label = label_of(b)
        if label is not None and label[1] and label[0] in LABEL_KINDS:
            lm.labels.append((label[0], [label[1]]))
            continue
        names += departments_in_prose(text)
        lm.prose.append(text)
    d = labelled_draft(ctx, lm, "outline")
    d.node = node.parent  # the unit's own node even when it opened at a list item, not a heading
    d.add_departments(names)
    fields = bool(d.departments or d.kpis or d.schedule or d.pillars)
    return d, frozenset(range(node.index, end)), fields


def units(ctx: Context) -> list[Candidate]:
    """Leaf units of the outline that no other recogniser claimed, chosen as measures by evidence."""
    nodes = ctx.outline.nodes
    end_of = ctx.outline.body_ends()
    groups: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    # the chapter a leaf is in: its top heading — below the document's title when one heading holds all
    top = 1 if sum(1 for n in nodes if n.parent is None) == 1 else 0
    for nid, node in enumerate(nodes):
        if node.children:
            continue
        chain = ctx.outline.chain(nid)
        groups[(chain[top] if len(chain) > top + 1 else None, node.style)].append(nid)
    out: list[Candidate] = []
    nothing_else = not ctx.claimed
    for members in groups.values():
        in_measures, narrative = chapter_context(ctx.outline, nodes[members[0]].index)
        if narrative:
            continue
        read = []
        found_elsewhere = 0  # siblings another recogniser read as measures: evidence for the level
        for nid in members:
            end = end_of[nodes[nid].index]
            if nodes[nid].index in ctx.claimed:
                found_elsewhere += 1
                continue
            if any(k in ctx.claimed for k in range(nodes[nid].index, end)):
                continue
            unit = _unit(ctx, nid, end)
            if unit is not None:
                read.append(unit)
        if not read:
            continue
        if 2 * sum(1 for d, _, _ in read if _NARRATIVE.search(d.title)) >= len(read):
            continue  # 計画策定の趣旨 / 計画の位置付け: sections of a narrative chapter
        evidence = sum(1 for _, _, f in read if f) + found_elsewhere
        by_fields = evidence >= 2 and 2 * evidence >= len(read) + found_elsewhere
        bare_list = in_measures and nothing_else and len(read) >= 2
        if not (by_fields or bare_list):
            continue
        for d, claims, _ in read:
            if not bare_list and not d.description:
                continue  # a heading with nothing under it beside measures read elsewhere: a policy
            out.append(Candidate("units", Join.ROW, d, d.order, claims, CONFIDENCE["outline"], defines=True))
    return out
