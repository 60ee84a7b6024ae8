"""Template-style measures (雛型): a title, prose, then labelled boxes such as <KPI> and <スケジュール>.

    ○○の電子化の推進                     ← title: a heading, or a short line that is not a sentence
    本市では……を図る。                     ← description (prose)
    < KPI >                                ← label (also 【KPI】, ■KPI, KPI：…)
    ○○の電子申請件数                       ← one indicator per line / bullet
    < スケジュール >
    令和2年度までに……40件を達成            ← deadline sentence: target 40件, FY2020

The title of a measure is found by walking back from its first label over the prose; a label that
follows another label's items without prose between belongs to the same measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from keikaku.core.plan import Kpi, Value
from keikaku.core.text import FULL_STOPS, is_sentence
from keikaku.ingest.blocks import Block, BlockKind, Location
from keikaku.ingest.extract.common import clean_text, clean_title, similarity
from keikaku.ingest.extract.kpi import infer_direction, parse_deadline, parse_kpi_text, parse_target
from keikaku.ingest.extract.labelled import kpi_with_values
from keikaku.ingest.extract.labelled import label_of as any_label_of
from keikaku.ingest.extract.tables import QUANTITY
from keikaku.ingest.extract.vocabulary import alternation
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.tolerances import TOLERANCES as TOL

# box labels by kind (the one vocabulary); a schedule box may also be headed by a target time (実施目標)
_LABEL_WORDS = {
    "kpi": alternation("kpi"),
    "schedule": alternation("schedule", "target_year") + r"|実施目標",
    "department": alternation("department"),
}
_OPEN = r"[<＜〈《【\[［]"
_CLOSE = r"[>＞〉》】\]］]"
_BULLET = r"[■◆●◇□▼▽]"


def _label_re(words: str) -> re.Pattern[str]:
    return re.compile(
        rf"^(?:{_OPEN}\s*(?:{words})\s*(?:[（(][^)）]*[)）])?\s*{_CLOSE}|{_BULLET}\s*(?:{words})|(?:{words})(?=\s*[:：]|\s*$))"
        rf"\s*[:：]?\s*(?P<rest>.*)$",
        re.DOTALL,
    )


_LABELS = {kind: _label_re(words) for kind, words in _LABEL_WORDS.items()}


def label_of(b: Block) -> tuple[str, str] | None:
    """(kind, inline content) if the block is a template label such as '< KPI >'."""
    if b.kind in (BlockKind.TABLE, BlockKind.FOOTNOTE):
        return None
    if b.kind == BlockKind.HEADING and b.marker and parse_marker(b.marker, alone=True)[0] is not None:
        return None  # a numbered section heading ("5. 目標指標") is a chapter, not a box label
    text = clean_text(b.text)
    if len(text) > TOL.box_block_max_chars:
        return None
    for kind, pat in _LABELS.items():
        m = pat.match(text)
        if m:
            rest = m.group("rest").strip()
            if len(rest) > TOL.box_rest_max_chars:
                return None
            return kind, rest
    return None


def _is_prose(text: str) -> bool:
    return is_sentence(clean_text(text), long_chars=None, endings=(*FULL_STOPS, "ます", "です"))


def _is_title_candidate(b: Block) -> bool:
    if b.kind == BlockKind.HEADING:
        return True
    if b.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        return False
    s = clean_text(b.text)
    if "\n" in s.strip() or _is_prose(s) or any_label_of(b) is not None:  # 担当：… is never a title
        return False
    # a title is short; a longer line with a comma is a sentence cut by a page break
    return TOL.template_title_min_chars <= len(s) <= TOL.template_title_max_chars or (
        len(s) <= TOL.template_title_max_chars_no_comma and "、" not in s
    )


@dataclass
class TemplateMeasure:
    title_index: int
    end: int  # exclusive block index
    title: str
    key: str | None
    priority: bool
    reposted: bool
    description: str
    kpis: list[Kpi] = field(default_factory=list)
    deadline_fy: int | None = None
    schedule_text: list[str] = field(default_factory=list)
    departments_text: str = ""
    loc: Location | None = None


def find_template_measures(blocks: list[Block], taken: set[int]) -> list[TemplateMeasure]:
    labels: dict[int, tuple[str, str]] = {}
    for i, b in enumerate(blocks):
        if i in taken:
            continue
        lab = label_of(b)
        if lab and lab[0] in ("kpi", "schedule"):
            labels[i] = lab
        elif lab and lab[0] == "department" and labels:
            labels[i] = lab
    if not any(k == "kpi" for k, _ in labels.values()):
        return []
    starts: list[int] = []  # title indices
    seen_kinds: set[str] = set()
    prev_label: int | None = None
    for i in sorted(labels):
        kind = labels[i][0]
        title = _walk_back(blocks, i, prev_label, taken, repeat=kind in seen_kinds)
        if title is not None:
            starts.append(title)
            seen_kinds = set()
        seen_kinds.add(kind)
        prev_label = i
    out: list[TemplateMeasure] = []
    for n, t in enumerate(starts):
        limit = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        end = t + 1
        while (
            end < limit
            and not (blocks[end].kind == BlockKind.HEADING and end not in labels)
            and end not in taken
        ):
            end += 1
        out.append(_read_measure(blocks, t, end, labels))
    return out


def _walk_back(
    blocks: list[Block], i: int, prev_label: int | None, taken: set[int], repeat: bool
) -> int | None:
    j = i - 1
    prose = False
    while j >= 0 and (prev_label is None or j > prev_label):
        b = blocks[j]
        if j in taken or b.kind in (BlockKind.FOOTNOTE, BlockKind.TABLE):
            j -= 1
            continue
        if b.kind == BlockKind.HEADING:
            return j
        if _is_title_candidate(b):
            if prose or repeat or prev_label is None:
                return j
            return None
        if _is_prose(b.text):
            prose = True
        j -= 1
    return None


def _merge_items(texts: list[str]) -> list[str]:
    """Lines of one item broken by a page: join while brackets are left open."""
    out: list[str] = []
    for t in texts:
        if out and out[-1].count("(") + out[-1].count("（") > out[-1].count(")") + out[-1].count("）"):
            out[-1] += t
        else:
            out.append(t)
    return out


def _read_measure(
    blocks: list[Block], t: int, end: int, labels: dict[int, tuple[str, str]]
) -> TemplateMeasure:
    head = blocks[t]
    marker = head.marker if head.kind == BlockKind.HEADING else None
    title, priority, reposted = clean_title(head.text)
    key = None
    if marker:
        m, _ = parse_marker(marker, alone=True)
        key = m.key if m else marker
    desc: list[str] = []
    sections: dict[str, list[str]] = {}
    current: str | None = None
    values: dict[str, str] = {}  # 現状値 / 目標値 label lines of the last KPI
    valued: list[Kpi] = []

    def flush() -> None:
        if values and sections.get("kpi"):
            text = kpi_with_values(
                sections["kpi"].pop(), values.get("baseline", ""), values.get("target", "")
            )
            valued.extend(parse_kpi_text(text, indicator=title))
        values.clear()

    for j in range(t + 1, end):
        b = blocks[j]
        if b.kind == BlockKind.FOOTNOTE:
            continue
        if j in labels:
            flush()
            current = labels[j][0]
            sections.setdefault(current, [])
            if labels[j][1]:
                sections[current].append(labels[j][1])
            continue
        text = clean_text(b.text)
        if not text or b.kind == BlockKind.TABLE:
            continue
        other = any_label_of(b)  # 担当：… / 現状値：… / 目標値：… lines around the < KPI > box
        if other is not None and other[0] == "department":
            sections.setdefault("department", []).append(other[1])
            continue
        if other is not None and other[0] in ("baseline", "target") and sections.get("kpi"):
            values[other[0]] = other[1]
            current = "_values"  # the KPI has its values: an unlabelled line after them is no KPI
            continue
        if current == "_values":
            continue
        if current is None:
            desc.append(text)
        else:
            sections[current].append(text)
    flush()
    items = _merge_items([clean_title(x)[0] for x in sections.get("kpi", [])])
    sentences = sections.get("schedule", [])
    kpis = pair_kpis(items, sentences) + valued
    deadlines = [d for d in (parse_deadline(s) for s in sentences) if d]
    loc = Location(head.loc.line_start, blocks[end - 1].loc.line_end, head.loc.page)
    return TemplateMeasure(
        title_index=t,
        end=end,
        title=title,
        key=key,
        priority=priority,
        reposted=reposted,
        description=_join_prose(desc),
        kpis=kpis,
        deadline_fy=max(deadlines) if deadlines else None,
        schedule_text=sentences,
        departments_text="、".join(sections.get("department", [])),
        loc=loc,
    )


def _join_prose(parts: list[str]) -> str:
    out = ""
    for p in parts:
        # a sentence cut by a page break continues without a break
        out += p if (out and not out.endswith(FULL_STOPS)) else ("\n" if out else "") + p
    return out.strip()


def pair_kpis(items: list[str], sentences: list[str]) -> list[Kpi]:
    """KPIs from indicator lines and the deadline sentences that state their targets.

    Equal counts pair in order; otherwise each indicator takes the sentence most like it, or the only one.
    """
    kpis: list[Kpi] = []
    for n, item in enumerate(items):
        if not item:
            continue
        if len(items) == len(sentences):
            sent = sentences[n]
        elif len(sentences) == 1:
            sent = sentences[0]
        elif sentences:
            sent = max(sentences, key=partial(similarity, item))
        else:
            sent = ""
        target: Value | None = parse_target(sent) if sent else None
        if target is not None and target.fiscal_year is None and not QUANTITY.search(target.value):
            target = None  # a statement with neither a year nor a quantity is no target
        kpis.append(
            Kpi(
                indicator=item,
                targets=[target] if target else [],
                direction=infer_direction(item, target),
            )
        )
    return kpis
