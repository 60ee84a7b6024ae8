"""Plan identity from the cover and narrative: title, organisation, kinds, published, period, sections."""

from __future__ import annotations

import re
from collections import Counter

from keikaku.core.fiscal import find_years, parse_year_month
from keikaku.core.plan import Organisation, OrganisationKind, Period, PlanKind, Section
from keikaku.ingest.blocks import Block, BlockKind
from keikaku.ingest.extract.common import clean_text, nfkc, squash
from keikaku.ingest.extract.outline import Outline

PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 "
    "石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 "
    "岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()

_PLAN_WORD = re.compile(r"計画|プラン|戦略|ビジョン")
_ORG = re.compile(
    r"^(?P<org>[^\s　「『（(]{1,12}?(?:都|道|府|県|市|区|町|村))"
    r"(?=官民|情報|デジタル|ＤＸ|DX|地域|第|の|電子|ＩＣＴ|ICT|ＩＴ|IT|行政|スマート|データ|自治体|\s|$)"
)
_KIND_BY_SUFFIX = {
    "市": OrganisationKind.CITY,
    "町": OrganisationKind.TOWN,
    "村": OrganisationKind.VILLAGE,
    "区": OrganisationKind.SPECIAL_WARD,
}
_TOC = re.compile(r"^目\s*次$|^contents$", re.IGNORECASE)
_SECTION_KINDS = [
    ("glossary", r"用語"),
    ("security", r"セキュリティ|個人情報"),
    ("period", r"期間"),
    ("structure", r"推進体制|推進管理|進行管理|体制"),
    ("position", r"位置付け|位置づけ"),
    ("purpose", r"目的|趣旨"),
    ("situation", r"現状|課題|背景|動向"),
    ("policy", r"基本方針|基本目標|基本理念|方針"),
    ("measures", r"施策|取組|推進項目"),
]


def cover_blocks(blocks: list[Block], limit: int = 15) -> list[Block]:
    out = []
    for b in blocks[:limit]:
        if _TOC.match(squash(b.text)):
            break
        out.append(b)
    return out


def find_title(blocks: list[Block]) -> str | None:
    for b in cover_blocks(blocks) or blocks[:10]:
        if b.kind not in (BlockKind.HEADING, BlockKind.PARAGRAPH):
            continue
        t = clean_text(b.text).split("\n")[0].strip()
        if 4 <= len(t) <= 60 and _PLAN_WORD.search(t) and not find_years(t[:4]):
            return t
    for b in blocks[:40]:
        t = clean_text(b.text).split("\n")[0].strip()
        if b.kind == BlockKind.HEADING and 4 <= len(t) <= 60 and _PLAN_WORD.search(t):
            return t
    return None


def find_organisation(title: str, blocks: list[Block]) -> Organisation | None:
    name = None
    m = _ORG.match(nfkc(title).replace(" ", ""))
    if m:
        name = m.group("org")
    if name is None:
        for b in cover_blocks(blocks):
            s = squash(b.text)
            if 2 <= len(s) <= 8 and s[-1] in "都道府県市区町村":
                name = s
                break
    if name is None:
        return None
    kind: OrganisationKind | None = None
    prefecture: str | None = None
    if name in PREFECTURES:
        kind, prefecture = OrganisationKind.PREFECTURE, name
    else:
        kind = _KIND_BY_SUFFIX.get(name[-1])
        prefecture = _prefecture_mentioned(blocks, name)
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
        if len(t) > 40 or _PLAN_WORD.search(t):
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
        for s in body:
            if re.search(
                rf"(?:本計画|この計画|当計画)[^。]*{pat}[^。]*(?:位置付|位置づ|性格|兼ね|併せ持)", s
            ):
                kinds.append(kind)
                break
    return kinds


_RANGE = re.compile(r"[～〜~ー\-－―]|から")


def find_period(blocks: list[Block], outline: Outline) -> Period:
    candidates: list[str] = []
    for b in cover_blocks(blocks, 20):
        candidates.append(clean_text(b.text))
    for i, b in enumerate(blocks):
        if b.kind != BlockKind.PARAGRAPH:
            continue
        t = clean_text(b.text)
        nid = outline.context[i]
        in_period_section = nid is not None and "期間" in outline.nodes[nid].title
        if "計画期間" in t or "期間" in t and in_period_section or in_period_section:
            candidates.append(t)
    note = None
    for t in candidates:
        s = nfkc(t)
        if re.search(r"期間を定め(?:ず|ない)|期間は定め", s):
            sentence = next((x + "。" for x in s.split("。") if "期間" in x), s)
            return Period(note=sentence.strip())
        ys = [y for y in find_years(s) if y.is_fiscal or True]
        if len(ys) >= 2:
            for a, b2 in zip(ys, ys[1:], strict=False):
                between = s[a.end : b2.start]
                if _RANGE.search(between) and len(between) <= 8 and 0 < b2.fiscal_year - a.fiscal_year <= 15:
                    if "期間" in s and len(s) > 40:
                        note = s.strip()
                    return Period(start_fy=a.fiscal_year, end_fy=b2.fiscal_year, note=note)
        if "期間" in s and len(s) > 40:
            start = re.search(r"(?:開始|始期)[^。]*?", s)
            end = re.search(r"(?:終了|終期)[^。]*", s)
            ys = find_years(s)
            if start and end and ys:
                sy = next((y.fiscal_year for y in ys if y.start >= start.start()), None)
                ey = next((y.fiscal_year for y in ys if y.start >= end.start()), None)
                if sy and ey and sy <= ey:
                    return Period(start_fy=sy, end_fy=ey, note=s.strip())
    return Period()


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


_SECTION_TEXT_CHARS = 20000


def _section_text(blocks: list[Block], start: int, end: int) -> str:
    """The section's paragraphs and list items, one a line, cut at _SECTION_TEXT_CHARS."""
    texts: list[str] = []
    size = 0
    for b in blocks[start:end]:
        if b.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
            continue
        texts.append(clean_text(b.text))
        size += len(texts[-1]) + 1
        if size > _SECTION_TEXT_CHARS:
            break
    return "\n".join(texts)[:_SECTION_TEXT_CHARS]


def _section_kind(title: str) -> str | None:
    for name, pat in _SECTION_KINDS:
        if re.search(pat, title):
            return name
    return None
