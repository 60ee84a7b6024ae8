"""The heading outline of a plan and the policy tree (基本方針 / 施策の柱) read from it.

Levels come from the kinds of number markers a document uses, in the order it first uses them
("1." then "(1)" then "①" …), as people read an outline; a heading without a marker uses its format
level (Markdown #, HTML h1–h6, DOCX Heading n). A list item with a marker directly followed by a
table also opens a level (a group title above a measure table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from keikaku.core.plan import Policy
from keikaku.ingest.blocks import Block, BlockKind
from keikaku.ingest.extract.common import clean_title, nfkc, pillar_from_name, pillar_letters, squash
from keikaku.ingest.extract.items import ITEM_STYLE
from keikaku.ingest.markers import Marker, parse_marker

# the pillars' everyday names (core/pillars.py short names); a heading is a pillar heading when, without
# the name and generic words (の推進, 対策, 普及・活用 …), nothing is left
PILLAR_WORDING: dict[str, tuple[str, ...]] = {
    "A": ("行政手続のオンライン化", "手続のオンライン化", "オンライン化", "電子申請", "電子手続"),
    "B": ("オープンデータ",),
    "C": ("マイナンバーカード", "個人番号カード", "マイナンバー"),
    "D": ("デジタルデバイド", "情報格差", "デジタル格差", "情報バリアフリー"),
    "E": ("情報システムの標準化", "標準化", "BPR", "業務改革", "システム改革", "共通化"),
}
_FILLER = re.compile(
    r"の|推進|対策|普及|活用|利活用|促進|取組|取り組み|に係る|に関する|に向けた|等|及び|並びに|と|・|、|,|"
    r"拡大|拡充|是正|解消|確保|利用|向上|原則|行政手続|手続|情報システム|自治体|強化|整備|実現|"
    r"による|を通じた|への|対応|施策|基本的|[()（）「」\[\]【】]|\s"
)


def pillar_heading(title: str) -> str | None:
    """The pillar a heading names: in the law's words (any heading), or by its everyday name when the
    heading is nothing but that name ("オープンデータの推進", "マイナンバーカードの普及・活用")."""
    code = pillar_from_name(title)
    if code:
        return code
    s = squash(clean_title(title)[0]).upper()
    found = None
    for c, names in PILLAR_WORDING.items():
        hit = False
        for name in names:
            if squash(name).upper() in s:
                s = s.replace(squash(name).upper(), "")
                hit = True
        if hit:
            if found is not None:
                return None  # names two pillars: not one pillar's heading
            found = c
    if found is None or _FILLER.sub("", s):
        return None
    return found


# the law's articles for the five basic measures of local governments (基本法 第10条1項 … 第15条1項)
ARTICLE_PILLARS = {10: "A", 11: "B", 13: "C", 14: "D", 15: "E"}
_ARTICLE = re.compile(r"第?\s*([0-9]{1,2})\s*条")
_NONE_STATED = re.compile(r"^(?:その他.*|該当なし|なし|対象外|[-‐―—ー－]+)$")


def pillars_stated(text: str) -> list[str] | None:
    """The pillars a measure's own pillar label names — letters (A, C), the law's articles (第11条,
    第13条関係), the pillars' names (オープンデータの推進, 情報格差の是正) — or ['other'] when it says none
    of them (その他, 該当なし); None when the text names nothing recognisable."""
    s = nfkc(clean_title(text)[0]).strip(" :：")
    if not s:
        return None
    letters = pillar_letters(s)
    if letters:
        return letters
    codes = {ARTICLE_PILLARS[int(n)] for n in _ARTICLE.findall(s) if int(n) in ARTICLE_PILLARS}
    if not codes:
        for piece in re.split(r"[、,，/／]|及び|および", s):
            code = pillar_heading(piece) or pillar_from_name(piece)
            if code and code != "other":
                codes.add(code)
    if codes:
        return sorted(codes)
    if _NONE_STATED.match(squash(s)):
        return ["other"]
    return None


@dataclass
class Node:
    index: int  # block index of the heading
    title: str
    marker: Marker | None
    style: str
    parent: int | None  # node id
    children: list[int] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        return self.marker.key if self.marker else None


@dataclass
class Outline:
    nodes: list[Node]
    context: list[int | None]  # per block: id of the innermost open node

    def body_ends(self) -> dict[int, int]:
        """Heading block index → the block index where its own text ends (the next heading of any level,
        else the end of the document)."""
        starts = sorted(n.index for n in self.nodes) + [len(self.context)]
        return {s: starts[k + 1] for k, s in enumerate(starts[:-1])}

    def chain(self, node_id: int | None) -> list[int]:
        """Node ids from the root down to node_id."""
        out: list[int] = []
        while node_id is not None:
            out.append(node_id)
            node_id = self.nodes[node_id].parent
        return out[::-1]


def heading_marker(b: Block) -> tuple[Marker | None, str]:
    """A heading's marker (the reader's, or split from its text) and its title."""
    if b.marker:
        m, rest = parse_marker(b.marker, alone=True)
        if m is not None:
            return m, b.text
        return None, b.text
    return parse_marker(b.text)


def _opens_level(blocks: list[Block], i: int) -> bool:
    b = blocks[i]
    if b.kind == BlockKind.HEADING:
        return True
    if b.kind == BlockKind.LIST_ITEM and b.marker and i + 1 < len(blocks):
        m, _ = parse_marker(b.marker, alone=True)
        return m is not None and blocks[i + 1].kind == BlockKind.TABLE and len(b.text) <= 80
    return False


def build_outline(blocks: list[Block]) -> Outline:
    nodes: list[Node] = []
    context: list[int | None] = []
    stack: list[int] = []
    for i, b in enumerate(blocks):
        if _opens_level(blocks, i):
            marker, text = heading_marker(b)
            style = _style(marker) if marker else (f"h{b.level}" if b.level else "plain")
            if not marker and (b.style or "").startswith(ITEM_STYLE):
                style = ITEM_STYLE  # 【1-1】title：text split into a heading: a level of its own
            styles = [nodes[s].style for s in stack]
            if marker and b.level is None and style in styles:
                k = styles.index(style)
                if blocks[nodes[stack[k]].index].level is not None and all(
                    nodes[n].marker is None for n in stack[:k]
                ):
                    # numbered like the chapters, which the format sets as headings (Word's 見出し 1 「1」),
                    # but set as a plain line or paragraph (「１．」): a level of its own below them
                    style += ":plain"
            if style in styles:
                del stack[styles.index(style) :]
            elif marker is None and b.level:
                # an unnumbered heading closes deeper unnumbered headings
                while stack and nodes[stack[-1]].marker is None and _lvl(nodes[stack[-1]].style) >= b.level:
                    stack.pop()
            parent = stack[-1] if stack else None
            title = clean_title(text)[0]
            node = Node(i, title, marker, style, parent)
            nodes.append(node)
            nid = len(nodes) - 1
            if parent is not None:
                nodes[parent].children.append(nid)
            stack.append(nid)
        context.append(stack[-1] if stack else None)
    return Outline(nodes, context)


def _style(marker: Marker) -> str:
    """A marker's level style; full-width brackets （１） and half-width (1) are two styles, as plans that use
    both write them at two levels; so are a bare number (1 計画の概要) and a number with a stop (１．施策名)."""
    fw = marker.written.lstrip()[:1] in "（［【〔"
    style = marker.style + (":fw" if fw and marker.kind.startswith("paren") else "")
    if marker.kind == "arabic":
        style += ":stop" if marker.written.rstrip()[-1:] in ".．、" else ""
    return style


def _lvl(style: str) -> int:
    return int(style[1:]) if style.startswith("h") and style[1:].isdigit() else 99


def join_key(parent: str | None, own: str | None) -> str | None:
    if not own:
        return parent
    if not parent:
        return own
    return f"{parent}-{own}"


class PolicyTree:
    """Which headings are policies: the ones measures sit under, below the chapter that holds them all."""

    def __init__(self, outline: Outline, measure_nodes: list[int | None]) -> None:
        self.outline = outline
        used: set[int] = set()
        direct: set[int] = set()
        for nid in measure_nodes:
            if nid is None:
                continue
            direct.add(nid)
            used.update(outline.chain(nid))
        self.dropped: set[int] = set()
        roots = [n for n in used if outline.nodes[n].parent is None]
        # drop enclosing chapters: a single top node whose measures all sit in its sub-headings
        while len(roots) == 1 and roots[0] not in direct:
            self.dropped.add(roots[0])
            roots = [c for c in outline.nodes[roots[0]].children if c in used]
        self.used = used - self.dropped
        self.roots = sorted(roots)
        self.keys: dict[int, str | None] = {}
        for r in self.roots:
            self._assign(r, None)

    def _assign(self, nid: int, parent_key: str | None) -> None:
        node = self.outline.nodes[nid]
        own = node.key
        key = own if (node.marker and node.marker.kind == "compound") else join_key(parent_key, own)
        self.keys[nid] = key
        for c in node.children:
            if c in self.used:
                self._assign(c, key)

    def policy_of(self, nid: int | None) -> int | None:
        """The innermost policy node at or above nid."""
        for n in reversed(self.outline.chain(nid)):
            if n in self.used:
                return n
        return None

    def pillars_of(self, nid: int | None) -> list[str]:
        """Pillars named by the policy headings above a measure (innermost first that names one)."""
        for n in reversed(self.outline.chain(nid)):
            if n not in self.used:
                continue
            code = pillar_heading(self.outline.nodes[n].title)
            if code:
                return [code]
        return []

    def policies(self, extra_pillars: dict[int, list[str]] | None = None) -> list[Policy]:
        extra = extra_pillars or {}

        def make(nid: int) -> Policy:
            node = self.outline.nodes[nid]
            code = pillar_heading(node.title)
            pillars = [code] if code else sorted(set(extra.get(nid, [])), key=_pillar_order)
            return Policy(
                key=self.keys.get(nid) or node.title[:20],
                title=node.title or (node.marker.written if node.marker else "?"),
                pillars=pillars,
                children=[make(c) for c in node.children if c in self.used],
            )

        return [make(r) for r in self.roots]


def _pillar_order(code: str) -> str:
    return "Z" if code == "other" else code
