"""Plan identity from the cover and narrative: title, organisation, kinds, published, period, sections."""

from __future__ import annotations

import re
from collections import Counter

from keikaku.core.chapters import chapter_kind
from keikaku.core.fiscal import find_fiscal_ranges, find_years, parse_year_month
from keikaku.core.plan import Organisation, OrganisationKind, Period, PlanKind, Section
from keikaku.core.prefectures import PREFECTURES
from keikaku.core.text import FULL_STOPS
from keikaku.ingest.blocks import Block, BlockKind
from keikaku.ingest.extract.common import clean_text, nfkc, squash
from keikaku.ingest.extract.items import ITEM_STYLE
from keikaku.ingest.extract.outline import Outline
from keikaku.ingest.tolerances import TOLERANCES as TOL

_PLAN_WORD = re.compile(r"計画|プラン|戦略|ビジョン")
# a line that names a plan ends with the plan word (before a version, a status or a subtitle in brackets)
_NAMES_PLAN = re.compile(
    r"(?:計画|プラン|戦略|ビジョン|アクションプラン)(?:書|編)?"
    r"(?:\s*[（(【〔\[][^）)】〕\]]{0,20}[）)】〕\]])*"
    r"\s*(?:[0-9]{4}(?:\s*[～〜\-－―]\s*[0-9]{2,4})?|ver\.?\s*[0-9.]+|[～〜\-－―].*[～〜\-－―]?)?$",
    re.IGNORECASE,
)
# a status word written before the title on the same line: パブリックコメント用　ひなた市DX推進計画（素案）
_STATUS_PREFIX = re.compile(
    r"^(?:パブリック・?コメント(?:用|案|版)?|意見募集(?:用|版)?|[（(【〔]\s*(?:素案|原案|案)\s*[）)】〕])\s+"
)
# a line under the title that is part of it: （第2次）, 第3期, 改訂版
_TITLE_TAIL = re.compile(
    r"^[（(【〔]?\s*(?:第\s*[0-9０-９一二三四五六七八九十]+\s*(?:次|期|版)|改訂版|改定版)\s*[）)】〕]?$"
)
# cover lines that are not the title: a date, a status, a draft mark, a page header or number
_STATUS = re.compile(
    r"^[（(【〔\[<＜]?\s*(?:案|素案|原案|最終案|概要版?|本編|資料編?|別冊|パブリック・?コメント(?:用|案|版)?|意見募集(?:用|版)?|"
    r"策定|改定|改訂|公表|[0-9０-９]+)\s*[）)】〕\]>＞]?$"
)
_ORDINAL = r"第\s*[0-9０-９一二三四五六七八九十]+\s*(?:次|期)"
_ORG = re.compile(
    r"^(?P<org>[^\s　「『（(]{1,12}?(?:都|道|府|県|市|区|町|村))"
    r"(?=官民|情報|デジタル|ＤＸ|DX|地域|第|の|電子|ＩＣＴ|ICT|ＩＴ|IT|ＡＩ|AI|IoT|行政|スマート|データ|自治体|オープン|"
    r"教育|総合|高度|未来|協働|共創|全庁|業務|新|次期|\s|・|$)"
)
_KIND_BY_SUFFIX = {
    "市": OrganisationKind.CITY,
    "町": OrganisationKind.TOWN,
    "村": OrganisationKind.VILLAGE,
    "区": OrganisationKind.SPECIAL_WARD,
}
_TOC = re.compile(r"^目\s*次$|^contents$", re.IGNORECASE)


def cover_blocks(blocks: list[Block], limit: int = 15) -> list[Block]:
    out = []
    for b in blocks[:limit]:
        if _TOC.match(squash(b.text)):
            break
        out.append(b)
    return out


def _names_plan(text: str) -> bool:
    """A line that is a plan's name: 〇〇市DX推進計画, …計画（第2次）, …計画 ～副題～; not 計画の策定にあたって."""
    t = squash(text)
    if (
        not TOL.plan_title_min_chars <= len(t) <= TOL.plan_title_max_chars
        or t.endswith(FULL_STOPS)
        or "・・・" in t
        or "…" in t
        or t[0] in "～〜"
    ):
        return False
    return bool(_NAMES_PLAN.search(t)) and not find_years(t[:4])


def _org_line(text: str) -> bool:
    """A cover line that is only an organisation (ひなた市, みずほ県, あおば郡ことり町) or 第2次."""
    t = squash(text)
    if re.fullmatch(_ORDINAL, t):
        return True
    t = re.sub(rf"^{_ORDINAL}", "", t)
    return bool(2 <= len(t) <= 12 and not re.search(r"[0-9]", t) and t[-1] in "都道府県市区町村")


def find_title(blocks: list[Block]) -> str | None:
    """The plan's title: the first heading (then paragraph) on the cover that names a plan; an organisation
    line just above it (ひなた市 / デジタル推進計画) is part of it. An xlsx sheet name is the title only if
    nothing else names a plan."""
    cover = cover_blocks(blocks) or blocks[:10]
    lines = [
        (b, clean_text(b.text).split("\n")[0].strip())
        for b in cover
        if b.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH)
    ]
    for want_heading in (True, False):
        for n, (b, t) in enumerate(lines):
            if b.style == "sheet" or (want_heading and b.kind != BlockKind.HEADING):
                continue
            if _names_plan(t):
                t = _STATUS_PREFIX.sub("", t)
                after = lines[n + 1][1] if n + 1 < len(lines) else ""
                if _TITLE_TAIL.match(squash(after)) and not re.search(_ORDINAL, nfkc(t)):
                    t += after.strip()
                return _with_prefix(lines[:n], t)
    for b in blocks[:40]:
        t = clean_text(b.text).split("\n")[0].strip()
        if b.kind == BlockKind.HEADING and b.style != "sheet" and _names_plan(t):
            return t
    for b in cover:
        t = clean_text(b.text).split("\n")[0].strip()
        if (
            b.kind == BlockKind.HEADING
            and TOL.plan_title_min_chars <= len(t) <= TOL.plan_title_max_chars
            and _PLAN_WORD.search(t)
        ):
            return t
    return None


def _with_prefix(before: list[tuple[Block, str]], title: str) -> str:
    """A title split over lines: the organisation (and 第n次) lines right above it join it, unless the title
    already starts with an organisation."""
    if _ORG.match(re.sub(rf"^{_ORDINAL}", "", nfkc(title).replace(" ", ""))):
        above = squash(before[-1][1]) if before else ""
        if re.fullmatch(_ORDINAL, above) and not re.match(_ORDINAL, nfkc(title)):
            return above + title
        return title
    parts: list[str] = []
    for _, t in reversed(before[-2:]):
        if not _org_line(t) or _STATUS.match(squash(t)):
            break
        parts.insert(0, squash(t))
    return "".join(parts) + title if parts else title


def _organisation_name(text: str) -> str | None:
    """The government a plan title starts with, without 第n次 / 第n期, brackets or plan words."""
    t = nfkc(text).replace(" ", "").replace("\u3000", "")
    t = re.sub(r"^(?:[【\[〔(（<＜][^】\]〕)）>＞]{0,12}[】\]〕)）>＞])+", "", t)  # 【概要版】, （仮称）
    t = re.sub(rf"^{_ORDINAL}", "", t)
    m = _ORG.match(t)
    return m.group("org") if m else None


def _local_name(name: str) -> tuple[str, str | None]:
    """(the government, the prefecture written before it): みずほ県ことり町 → (ことり町, みずほ県);
    あおば郡ことり町 → (ことり町, None) (no 全国地方公共団体コード is read, so the 郡 is not kept);
    a prefecture stays itself."""
    if name in PREFECTURES:
        return name, None
    prefecture = None
    for p in PREFECTURES:
        if name.startswith(p) and len(name) - len(p) >= 2:
            name, prefecture = name[len(p) :], p
            break
    else:
        m = re.match(r"^(.{2,4}?県)(.{2,})$", name)
        if m and m.group(2)[-1] in "市区町村":
            name, prefecture = m.group(2), m.group(1)
    m = re.match(r"^(.{1,5}?郡)(.{2,})$", name)
    if m and m.group(2)[-1] in "町村":
        name = m.group(2)
    return name, prefecture


def find_organisation(title: str, blocks: list[Block]) -> Organisation | None:
    name = _organisation_name(title)
    if name is None:
        for b in cover_blocks(blocks):
            s = squash(b.text)
            if 2 <= len(s) <= 12 and s[-1] in "都道府県市区町村" and not re.search(r"[0-9]", s):
                name = _organisation_name(s)
                if name:
                    break
    if name is None:
        return None
    name, written = _local_name(name)
    kind: OrganisationKind | None = None
    prefecture: str | None = None
    if name in PREFECTURES or name.endswith("県"):
        kind, prefecture = OrganisationKind.PREFECTURE, name
    else:
        kind = _KIND_BY_SUFFIX.get(name[-1])
        prefecture = written or _prefecture_mentioned(blocks, name)
    return Organisation(name=name, prefecture=prefecture, kind=kind)


def _prefecture_mentioned(blocks: list[Block], org: str) -> str | None:
    text = "".join(b.text for b in blocks)
    for p in PREFECTURES:
        if text.startswith(p) or p + org in text:
            return p
    counts = Counter({p: text.count(p) for p in PREFECTURES})
    best, n = counts.most_common(1)[0]
    if n == 0:
        # 「県」 alone with a prefecture name without 県 (宮城県 → 宮城): not guessed
        return None
    return best


def find_published(blocks: list[Block]) -> str | None:
    for b in cover_blocks(blocks, 20):
        t = clean_text(b.text)
        if len(t) > TOL.published_line_max_chars or _PLAN_WORD.search(t):
            continue
        if re.search(r"年\s*[0-9０-９●○]*\s*月|年度", nfkc(t)) or re.fullmatch(r"[0-9]{4}\s*年?", nfkc(t)):
            ym = parse_year_month(t)
            if ym and not re.search(r"[～〜~ー-]", t):
                return ym
    return None


def find_kinds(title: str, blocks: list[Block]) -> list[PlanKind]:
    cover = " ".join(clean_text(b.text) for b in cover_blocks(blocks)) + " " + title
    body = [clean_text(b.text) for b in blocks if b.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)]
    kinds: list[PlanKind] = []
    patterns = [
        (PlanKind.KANMIN_DATA, r"官民データ活用推進計画"),
        (PlanKind.JOHOKA, r"情報化(?:推進)?計画"),
        (PlanKind.DX, r"(?:DX|ＤＸ|デジタル・?トランスフォーメーション)(?:（DX）)?推進計画"),
    ]
    for kind, pat in patterns:
        if re.search(pat, cover):
            kinds.append(kind)
            continue
        # the narrative positions the plan as that kind: 本計画を「…官民データ活用推進計画」として位置付け
        # (within one sentence of bounded length: a paragraph of 本計画… without 。 stays linear)
        for s in body:
            if re.search(
                rf"(?:本計画|この計画|当計画)[^。]{{0,{TOL.kind_statement_chars}}}?{pat}"
                rf"[^。]{{0,{TOL.kind_statement_chars}}}?(?:位置付|位置づ|性格|兼ね|併せ持)",
                s,
            ):
                kinds.append(kind)
                break
    return kinds


# who a period belongs to: this plan, or another one it mentions (a previous plan, the national plan …)
_OWN_PLAN = re.compile(r"本計画|この計画|当計画|本プラン|このプラン|本戦略|本ビジョン|本市計画")
_OTHER_PLAN = re.compile(
    r"前計画|前期計画|旧計画|現行計画|従前の計画|従来の計画|これまでの計画|前回の計画|前回計画|次期計画|前プラン|"
    r"前戦略|前ビジョン|第[1一]次|第[1一]期|国の計画|県の計画|国計画|県計画"
)
_QUOTED = re.compile(r"[「『]([^」』]{2,40})[」』]")
_NAME_BEFORE = re.compile(
    r"([^、。，,\s「」『』（）()：:]{2,40}?(?:計画|プラン|戦略|ビジョン|構想))(?:の(?:計画)?(?:期間|年度))?$"
)
# 〇〇計画の計画期間は…: the period of the plan named
_PERIOD_OF = re.compile(
    r"([^、。，,\s「」『』（）()：:]{2,40}?(?:計画|プラン|戦略|ビジョン|構想))[」』]?の(?:計画)?(?:期間|年度)"
)
_PERIOD_LABEL = re.compile(r"^[■◆●○・【〔\[<＜]?\s*(?:計画)?(?:期間|年度)\s*[】〕\]>＞]?\s*[:：]?")
_NO_END = re.compile(
    r"(?:計画)?期間(?:は|を|について(?:は)?)?(?:特に)?(?:定め|設け)(?:ず|ない|ません)|"
    r"(?:終期|期限)(?:は|を)?(?:定め|設け)(?:ず|ない|ません)"
)
_STARTS = re.compile(r"^\s*(?:から|より|を(?:初年度|始期|開始年度)と|に(?:開始|策定)|開始)")
# headings of the part about a previous plan: its period is not this plan's
_PAST_SECTION = re.compile(r"前計画|前期計画|旧計画|これまでの|振り返り|経緯|沿革|進捗状況|成果と課題")


def _plan_name_matches(name: str, title: str) -> bool:
    """A plan named in the text is this plan: its title, or the title's plan words (自治体DX推進計画) after
    本市の / 町の."""
    n = re.sub(r"^[「『]|[」』]$", "", squash(name))
    n = re.sub(r"^(?:本|当)?(?:市|町|村|区|県|都|府|道)の", "", n)
    t = squash(title)
    if not t or len(n) < TOL.plan_name_min_chars or any(m.group() not in t for m in _OTHER_PLAN.finditer(n)):
        return False
    return n in t or t in n


def _plan_owner(name: str, title: str) -> str:
    if _OWN_PLAN.search(name[-4:]) or _plan_name_matches(name, title):
        return "own"
    return "other"


def _owner(s: str, lo: int, at: int, title: str) -> str | None:
    """'own', 'other' or None: whose period the span at ``at`` in sentence ``s`` is, by the plan named nearest
    before it (after ``lo``). A span in brackets right after a plan's name belongs to that plan."""
    depth, open_at = 0, None
    for k in range(at - 1, lo - 1, -1):
        ch = s[k]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                open_at = k
                break
            depth -= 1
    if open_at is not None:
        head = s[lo:open_at].rstrip()
        name = None
        q = re.search(r"[「『]([^」』]{2,40})[」』]$", head)
        if q:
            name = q.group(1)
        else:
            m = _NAME_BEFORE.search(head)
            if m:
                name = m.group(1)
        if name is not None:
            return _plan_owner(name, title)
    window = s[lo:at]
    marks: list[tuple[int, str]] = [(m.end(), "own") for m in _OWN_PLAN.finditer(window)]
    marks += [(m.end(), _plan_owner(m.group(1), title)) for m in _PERIOD_OF.finditer(window)]
    marks += [(m.end(), "other") for m in _OTHER_PLAN.finditer(window) if m.group() not in squash(title)]
    for m in _QUOTED.finditer(window):
        if _PLAN_WORD.search(m.group(1)):
            marks.append((m.end(), "own" if _plan_name_matches(m.group(1), title) else "other"))
    if title and len(squash(title)) >= TOL.plan_name_min_chars:
        k = window.find(squash(title))
        if k >= 0:
            marks.append((k + len(squash(title)), "own"))
    return max(marks)[1] if marks else None


def _period_statements(
    blocks: list[Block], outline: Outline, title: str
) -> list[tuple[str, int, bool, bool]]:
    """(text, block index, on the cover, in a section about the period) for every block that may state it;
    a table gives its 計画期間 rows, and in the chapter on the period the rows about this plan (本計画 | …)."""
    cover = {id(b) for b in cover_blocks(blocks, 20)}
    out: list[tuple[str, int, bool, bool]] = []
    in_period_of: dict[int | None, bool] = {}
    for i, b in enumerate(blocks):
        nid = outline.context[i] if i < len(outline.context) else None
        if nid not in in_period_of:
            chain = [outline.nodes[n].title for n in outline.chain(nid)]
            # the chapter on the period, but not a part of it about the previous plan
            in_period_of[nid] = any("期間" in t for t in chain) and not any(
                _PAST_SECTION.search(t) for t in chain
            )
        in_period = in_period_of[nid]
        if b.kind == BlockKind.TABLE and b.table is not None:
            for row in b.table.texts():
                written = [c for c in row if c.strip()]
                if len(written) < 2:
                    continue
                head = squash(clean_text(written[0]))
                if re.search(r"(?:計画)?期間$", head) or (
                    in_period and _PLAN_WORD.search(head) and _plan_owner(head, title) == "own"
                ):
                    cells = [clean_text(c) for c in written]
                    out.append((f"{head}：{'　'.join(cells[1:])}", i, id(b) in cover, in_period))
            continue
        if b.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM):
            continue
        out.append((clean_text(b.text), i, id(b) in cover, in_period))
    return out


def find_period(blocks: list[Block], outline: Outline, title: str | None = None) -> Period:
    """The plan's own period (計画期間), in fiscal years.

    Every span of years in a statement that may be about the period is a candidate: a sentence about
    本計画 / この計画 / the plan's title, a 計画期間 label (on the cover, in a table), a sentence in the
    chapter on the period. A span tied to another plan (「…計画」（計画期間：…）, 前計画, 第1次, 旧計画,
    これまでの計画) is never the plan's. The chapter on the period wins over a label, a label over a sentence
    elsewhere. A plan without an end (計画期間は定めず、毎年度見直します) gives its start year, if written,
    and the sentence as the note.
    """
    if title is None:
        title = find_title(blocks) or ""
    best: tuple[int, int, Period] | None = None  # (score, -order, period)
    order = 0
    for text, _, on_cover, in_period in _period_statements(blocks, outline, title):
        para = nfkc(text)
        if not re.search(r"[0-9]|元年|期間|定め", para):
            continue
        sentences = [x for x in re.split(r"(?<=。)", para) if x.strip()]
        for sent in sentences:
            order += 1
            # 計画期間：… (or 期間：… on the cover): a label, not a measure's 期間 field
            label = (
                bool(_PERIOD_LABEL.match(sent))
                and len(sent) <= TOL.period_label_max_chars
                and ("計画期間" in sent[:8] or on_cover and "期間" in sent[:8])
            )
            cands: list[tuple[int, Period]] = []
            lo = 0
            ranges = find_fiscal_ranges(sent)
            for r in ranges:
                owner = _owner(sent, lo, r.start, title)
                lo = r.end
                if owner == "other":
                    continue
                note = para.strip() if "期間" in para and len(para) > TOL.period_note_min_chars else None
                cands.append(
                    (
                        _period_score(owner, in_period, label, on_cover, sent, r.start, r.end),
                        Period(start_fy=r.start_fy, end_fy=r.end_fy, note=note),
                    )
                )
            no_end = _NO_END.search(sent)
            if no_end and _owner(sent, 0, no_end.start(), title) != "other":
                start = next((y.fiscal_year for y in find_years(sent) if _STARTS.match(sent[y.end :])), None)
                score = _period_score(_owner(sent, 0, len(sent), title), in_period, label, False, sent, 0, 0)
                cands.append((score + 1, Period(start_fy=start, note=sent.strip())))
            if not ranges and "期間" in sent and len(sent) > TOL.period_sentence_min_chars:
                p = _start_end_sentence(sent, para)
                if p is not None:
                    cands.append((_period_score("own", in_period, label, False, sent, 0, 0), p))
            for score, period in cands:
                if score <= 0:
                    continue
                if best is None or (score, -order) > best[:2]:
                    best = (score, -order, period)
    return best[2] if best else Period()


_SPAN_OF_PLAN = re.compile(  # matched at the end of the span (pattern.match(sent, end): no copy of sent)
    r"\s*(?:まで)?(?:の)?\s*[0-9]{1,2}\s*(?:か|ヵ|ヶ|カ|箇)?\s*年|\s*(?:まで)?を(?:計画|対象)"
)
_ONLY_MARKS = re.compile(r"[\s（）()【】〔〕:：]*")


def _period_score(
    owner: str | None, in_period: bool, label: bool, on_cover: bool, sent: str, at: int, end: int
) -> int:
    """How surely the span sent[at:end] states the plan's own period; 0: not a statement of it. A sentence
    about this plan states its period if it says 期間 / 対象 or the span is 〜までの5年間; a line on the
    cover if it is the span alone."""
    score = 0
    if in_period:
        score += 50
    if label:
        score += 30
    if owner == "own" and ("期間" in sent or "対象" in sent or _SPAN_OF_PLAN.match(sent, end)):
        score += 30
    # (pos/endpos, not slices: a paragraph of 10,000 spans is read once per span, never copied)
    if on_cover and _ONLY_MARKS.fullmatch(sent, 0, at) and _ONLY_MARKS.fullmatch(sent, end):
        score += 10
    first = sent.find("期間")
    if score and first != -1 and first <= at:
        score += 5
    return score


def _start_end_sentence(s: str, para: str) -> Period | None:
    """開始年度は令和4年度とし、終了年度は…令和7年度までとします → 2022–2025 (the sentence is the note)."""
    start = re.search(r"開始|始期", s)
    end = re.search(r"終了|終期", s)
    ys = find_years(s)
    if not (start and end and ys):
        return None
    sy = next((y.fiscal_year for y in ys if y.start >= start.start()), None)
    ey = next((y.fiscal_year for y in ys if y.start >= end.start()), None)
    if sy and ey and sy <= ey:
        return Period(start_fy=sy, end_fy=ey, note=para.strip())
    return None


def find_sections(blocks: list[Block], outline: Outline, skip_nodes: set[int]) -> list[Section]:
    """Narrative sections: top-level headings (below the title) and their prose, with their template kind."""
    if not outline.nodes:
        return []
    # the level narrative chapters sit at: the style most top-level numbered headings use
    styles = Counter(n.style for n in outline.nodes if n.marker is not None and n.parent is None)
    styles.update(
        n.style
        for n in outline.nodes
        if n.marker is not None and n.parent is not None and outline.nodes[n.parent].marker is None
    )
    if not styles:
        return []
    top = styles.most_common(1)[0][0]
    sections: list[Section] = []
    # one pass: each top-level heading's prose runs to the next one's (in block order), so every block
    # is read once (a rescan per heading took 26 s on 25,000 lines)
    tops = sorted((n for n in outline.nodes if n.style == top), key=lambda n: n.index)
    ends = [n.index for n in tops[1:]] + [len(blocks)]
    for node, end in zip(tops, ends, strict=True):
        text = _section_text(blocks, node.index + 1, max(end, node.index + 1))
        sections.append(
            Section(
                key=node.key, title=node.title or node.key or "?", kind=_section_kind(node.title), text=text
            )
        )
    return sections


def _section_text(blocks: list[Block], start: int, end: int) -> str:
    """The section's paragraphs and list items, one a line, cut at TOL.section_text_chars."""
    texts: list[str] = []
    size = 0
    head = ""  # a numbered 「title：text」 item split into a heading and its text (items.py): put back
    for b in blocks[start:end]:
        style = b.style or ""
        if b.kind == BlockKind.HEADING and style.startswith(ITEM_STYLE):
            head = b.text + style[len(ITEM_STYLE) :]
            continue
        if b.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
            head = ""
            continue
        texts.append(clean_text(head + b.text))
        head = ""
        size += len(texts[-1]) + 1
        if size > TOL.section_text_chars:
            break
    return "\n".join(texts)[: TOL.section_text_chars]


def _section_kind(title: str) -> str | None:
    """The chapter a section title names (the one word list of core/chapters.py, broad words included:
    「4 取組」 is the measures chapter)."""
    return chapter_kind(title)
