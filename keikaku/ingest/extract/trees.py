"""Measures whose fields are written as a tree under their title: label headings and bullet trees.

One section per measure with fixed headings (``sections``)::

    ### 施策1 電子申請の拡充                   ← the measure: a heading whose sub-headings are field labels
    #### めざす姿 / 現状と課題 / 取組内容     ← description labels: their text is the description
    #### 担当課                               ← department
    #### 指標                                 ← KPI: its text, or its table (指標名 | 現状値 | 目標値),
    | 指標名 | 現状値（R6） | 目標値（R9） |      which the table recogniser reads for this measure
    #### スケジュール                         ← schedule

A nested bullet tree (``bullets``, list levels from Markdown, HTML or Word)::

    - 行政手続のオンライン化                  ← a policy (an item whose children are measures)
      - 電子申請の拡充                        ← the measure: an item with label items under it
        - 担当：総務課                         ← label items, read as label lines
        - 目標：オンライン手続数 100手続（令和9年度）
        - スケジュール                         ← a bare label: the items under it are its value
          - 令和8年度：検討

The field words are the vocabulary's (vocabulary.py); the fields are read by the one field reader of
labelled measures (labelled.LabelledMeasure), as if each label were a label line.
"""

from __future__ import annotations

from keikaku.ingest.blocks import Block, BlockKind, Location
from keikaku.ingest.extract.candidate import Candidate, Context
from keikaku.ingest.extract.common import clean_text, clean_title
from keikaku.ingest.extract.labelled import LABEL_KINDS, LabelledMeasure, label_of
from keikaku.ingest.extract.recognise import labelled_candidate, text_blocks
from keikaku.ingest.extract.vocabulary import kind_of
from keikaku.ingest.markers import parse_marker

__all__ = ["bullets", "sections"]

_DEFINING = ("department", "kpi", "baseline", "target", "schedule")
_MAX_DEPTH = 8  # a measure sits at most this deep in a bullet tree (deeper items are its fields' values)


def _body(ctx: Context, start: int, end: int) -> list[str]:
    return [
        clean_text(ctx.blocks[k].text)
        for k in range(start, end)
        if ctx.blocks[k].kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and ctx.blocks[k].text.strip()
    ]


def _loc(blocks: list[Block], start: int, end: int) -> Location:
    head = blocks[start]
    return Location(head.loc.line_start, blocks[end - 1].loc.line_end, head.loc.page)


def sections(ctx: Context) -> list[Candidate]:
    """A heading whose sub-headings name fields (two or more, or one unnumbered naming a department, KPI
    or schedule) is a measure; each label heading's text is that field."""
    nodes = ctx.outline.nodes
    end_of = ctx.outline.body_ends()
    out: list[Candidate] = []
    for node in nodes:
        if node.index in ctx.claimed or kind_of(node.title) or not node.children:
            continue
        kids = [(nodes[c], kind_of(nodes[c].title)) for c in node.children]
        labels = [(c, k) for c, k in kids if k in LABEL_KINDS and not c.children]
        if any(c.marker is not None and c.marker.kind == "chapter" for c, _ in labels):
            continue  # 第4章 工程表 / 第5章 成果目標 under the plan's title: chapters, not a measure's fields
        if len(labels) < 2 and not any(k in _DEFINING and _unnumbered(ctx, c.index) for c, k in labels):
            continue  # one numbered heading named like a field (5 工程表) is a chapter the outline nested
        if len(labels) < len(kids) / 2:
            continue  # a policy with a few field-like sub-headings among its measures
        title, priority, reposted = clean_title(node.title)
        if not title:
            continue
        first = nodes[node.children[0]].index
        end = end_of[nodes[node.children[-1]].index]
        if any(k in ctx.claimed for k in range(node.index, end)):
            continue
        lm = LabelledMeasure(node.index, end, title, node.key, priority, reposted)
        lm.prose = _body(ctx, node.index + 1, first)
        for child, kind in labels:
            text = "\n".join(_body(ctx, child.index + 1, end_of[child.index]))
            if text and kind is not None:
                lm.labels.append((kind, [text]))
        lm.loc = _loc(ctx.blocks, node.index, end)
        out.append(labelled_candidate(ctx, lm, "sections", text_blocks(ctx.blocks, node.index, end)))
    return out


def _unnumbered(ctx: Context, i: int) -> bool:
    b = ctx.blocks[i]
    return not (b.marker or parse_marker(b.text)[0])


def bullets(ctx: Context) -> list[Candidate]:
    """An item of a nested list with label items under it is a measure; its label items are its fields
    (a bare label's own items are its value); its other items are its description."""
    blocks = ctx.blocks
    out: list[Candidate] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if (
            b.kind != BlockKind.LIST_ITEM
            or b.level is None
            or b.level > _MAX_DEPTH
            or i in ctx.claimed
            or label_of(b)
        ):
            i += 1
            continue
        end = i + 1
        while end < len(blocks) and _below(blocks[end], b.level):
            end += 1
        lm = _bullet_measure(ctx, i, end)
        if lm is None:
            i += 1
            continue
        claims = text_blocks(blocks, i, end)
        if not claims & ctx.claimed:
            out.append(labelled_candidate(ctx, lm, "bullets", claims))
        i = end
    return out


def _below(b: Block, level: int) -> bool:
    return b.kind == BlockKind.LIST_ITEM and b.level is not None and b.level > level


def _bullet_measure(ctx: Context, i: int, end: int) -> LabelledMeasure | None:
    blocks = ctx.blocks
    head = blocks[i]
    if end == i + 1:
        return None
    child_level = min(blocks[k].level or 0 for k in range(i + 1, end))
    labels: list[tuple[str, list[str]]] = []
    prose: list[str] = []
    k = i + 1
    while k < end:
        child = blocks[k]
        stop = k + 1
        while stop < end and (blocks[stop].level or 0) > child_level:
            stop += 1
        if child.level != child_level:
            return None
        lab = label_of(child)
        if lab is not None and lab[0] in LABEL_KINDS:
            kind, rest = lab
            value = rest or "\n".join(clean_text(blocks[j].text) for j in range(k + 1, stop))
            if value:
                labels.append((kind, [value]))
        elif stop > k + 1:
            return None  # an item with items of its own: the head is a policy, not a measure
        else:
            prose.append(clean_text(child.text))
        k = stop
    if not any(kind in _DEFINING for kind, _ in labels):
        return None
    title, priority, reposted = clean_title(head.text)
    if not title:
        return None
    lm = LabelledMeasure(i, end, title, None, priority, reposted, prose=prose, labels=labels)
    lm.loc = _loc(blocks, i, end)
    return lm
