"""Numbered items that carry their title and their text in one line, split into a heading and its text.

Plans written by hand often set a measure as one numbered paragraph: a short title, a colon, then the
sentences that describe it — the department and the target in those sentences::

    （１）行政手続のオンライン化
    ①電子申請の推進：住民票の写しなど利用の多い手続から電子申請を導入します。（担当：総務課）
    ②キャッシュレス決済の導入：窓口の手数料にキャッシュレス決済を導入します。（担当：住民課）

A reader keeps such a line as one paragraph (it is long and holds 。). Here it becomes what the same plan
written with a heading per measure gives: a heading (the marker and the title) and a paragraph (the
text), so the outline sees the items and the recognisers choose the measure level by their content as
for any other heading. Only when the head is short, names no field of the vocabulary (``①担当：総務課`` is
a label line), no department and no year (``①令和9年度：100件`` is a value), and the text after the colon
is a sentence. Pure: returns a new block list, the blocks it does not split unchanged.
"""

from __future__ import annotations

import re

from keikaku.core.fiscal import find_years
from keikaku.ingest.blocks import Block, BlockKind
from keikaku.ingest.extract.common import BRACKET_KEY, label_kind
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.tolerances import TOLERANCES as TOL

# a head naming a department (①総務課：…, a list of who does what); not 会 or センター, which end titles too
_DEPARTMENT = re.compile(r"(?:課|室|局|部|係|班|事務局|委員会)$")
# the head: up to 40 characters without a colon or a sentence's punctuation; brackets and quotes only whole
# (業務改革（BPR）の推進, 「書かない窓口」の導入)
_HEAD = re.compile(
    r"^(?P<head>(?:[^：:。、「」『』（）()]|[（(][^（）()：:。]{1,20}[）)]|[「『][^「」『』：:。]{1,20}[」』]){2,40}?)"
    r"(?P<sep>\s*[：:]\s*)(?P<body>\S.*)$",
    re.S,
)
# the style of a heading split off here, with the separator it was written with: a narrative section
# (metadata._section_text) puts the item back together as it was written
ITEM_STYLE = "item"


def split_titled_items(blocks: list[Block]) -> list[Block]:
    """Every numbered ``title：text`` paragraph or list item as a heading and a paragraph."""
    out: list[Block] = []
    for b in blocks:
        split = _split(b)
        out.extend(split if split is not None else (b,))
    return out


def _split(b: Block) -> tuple[Block, Block] | None:
    if b.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) or "：" not in b.text and ":" not in b.text:
        return None
    key = ""  # 【1-1】 opening the line: a key the titles keep (clean_title reads it), not a marker
    if b.marker:
        marker, _ = parse_marker(b.marker, alone=True)
        text = b.text
    else:
        marker, text = parse_marker(b.text)
        bracket = BRACKET_KEY.match(text) if marker is None else None
        if bracket is not None:
            key, text = bracket.group(0).strip(), text[bracket.end() :]
    if marker is None and not key:
        return None
    m = _HEAD.match(text.strip())
    if m is None:
        return None
    head, body = m.group("head").strip(), m.group("body").strip()
    if (
        len(head) > TOL.max_heading_chars
        or label_kind(head) is not None
        or _DEPARTMENT.search(head)
        or find_years(head)
        or "。" not in body
    ):
        return None
    return (
        Block(
            BlockKind.HEADING,
            key + head,
            b.loc,
            marker=marker.written if marker else None,
            style=f"{ITEM_STYLE}{m.group('sep')}",
        ),
        Block(BlockKind.PARAGRAPH, body, b.loc, style=b.style),
    )
