"""Previous-plan review (前計画の評価・進捗状況) → :class:`keikaku.core.plan.Evaluation`.

A plan that replaces an earlier one often appends how each of the earlier plan's items went:

- as a table with columns such as 項目 / 現状 / 方向性 (also 取組内容 / 進捗状況 / 評価 / 今後の方針 …),
  optionally preceded by grouping columns (重点項目, 具体的施策) — continued over several tables when the
  table breaks across pages, sometimes without repeating the header;
- or as paragraphs / list items: an item line, then "現状：…" and "方向性：<継続> …" (or the decision
  marker opening a paragraph).

The decision is read from the start of the 方向性 text: <継続>, ＜完了＞, 【終了】, [見直し], (統合), a bare
word followed by a space, or a symbol (◎, ○, △, ×) mapped through a legend found in the document
("◎：完了"). A reference into the new plan ("P8.②", "P13.①.② P18.②") is taken out of the direction
text into ``reference``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from keikaku.core.plan import Decision, Evaluation, Provenance
from keikaku.core.text import one_line, squash
from keikaku.ingest.blocks import Block, BlockKind, Cell, ReadResult
from keikaku.ingest.extract.vocabulary import REVIEW_WORDS
from keikaku.ingest.tolerances import TOLERANCES as TOL

_DECISION_WORDS: dict[str, Decision] = {
    "継続": Decision.CONTINUE,
    "継承": Decision.CONTINUE,
    "拡充": Decision.CONTINUE,
    "完了": Decision.COMPLETE,
    "達成": Decision.COMPLETE,
    "終了": Decision.END,
    "廃止": Decision.END,
    "休止": Decision.END,
    "中止": Decision.END,
    "見直し": Decision.REVISE,
    "見直": Decision.REVISE,
    "改善": Decision.REVISE,
    "統合": Decision.MERGE,
    "統廃合": Decision.MERGE,
    "その他": Decision.OTHER,
}
_WORD_ALT = "|".join(sorted(map(re.escape, _DECISION_WORDS), key=len, reverse=True))
_OPEN = r"[<＜〈《【\[［(（〔]"
_CLOSE = r"[>＞〉》】\]］)）〕]"
_BRACKETED = re.compile(rf"^\s*(?P<w>{_OPEN}\s*(?P<word>{_WORD_ALT})\s*{_CLOSE})\s*")
_BARE = re.compile(rf"^\s*(?P<w>(?P<word>{_WORD_ALT}))(?:\s+|[：:。]|$)")
_SYMBOLS = "◎○●△▲×✕□■☆★"
_SYMBOL = re.compile(rf"^\s*(?P<w>[{_SYMBOLS}])\s*")
_LEGEND = re.compile(rf"(?P<sym>[{_SYMBOLS}])\s*[:：=＝…]?\s*(?P<word>{_WORD_ALT})")
_REFERENCE = re.compile(r"(?<![A-Za-z])[PpＰｐ]\s*[.．]?\s*\d{1,3}(?:\s*[.．・,，]?\s*[①-⑳㉑-㉟])*")
_ITEM_MARKER = re.compile(
    r"^\s*(?:[(（]\s*)?(?:[ア-ンｱ-ﾝぁ-ん]|[A-Za-zＡ-Ｚａ-ｚ]|[0-9０-９]{1,2}|[ⅰ-ⅻⅠ-Ⅻ])\s*[)）]\s*|^\s*[①-⑳㉑-㉟]\s*"
)

# header words of the columns a review table has (the one vocabulary)
_STATUS_HEAD = REVIEW_WORDS["status"]
_DIRECTION_HEAD = REVIEW_WORDS["direction"]
_ITEM_HEAD = REVIEW_WORDS["item"]
_LABEL_RE = re.compile(
    r"(?:^|\s)[【\[［<＜]?\s*(?P<label>項目|取組内容|現状|現況|進捗状況|実施状況|方向性|今後の方向性|今後の方針|評価)"
    r"\s*[】\]］>＞]?\s*[:：]"
)
_SECTION_HEAD = re.compile(r"評価|進捗状況|検証|振り返り|前計画|旧計画|これまでの取組|取組状況")


@dataclass
class _Columns:
    item: int
    status: int | None
    direction: int
    width: int


def _compact(text: str) -> str:
    return squash(text)


def find_legend(blocks: Iterable[Block]) -> dict[str, Decision]:
    """Symbol legends such as '◎：完了 ○：継続 △：見直し' anywhere in the document."""
    legend: dict[str, Decision] = {}
    for b in blocks:
        texts = [b.text]
        if b.table is not None:
            texts = [c.text for row in b.table.rows for c in row]
        for t in texts:
            for m in _LEGEND.finditer(t or ""):
                legend.setdefault(m.group("sym"), _DECISION_WORDS[m.group("word")])
    return legend


def parse_decision(
    text: str, legend: dict[str, Decision] | None = None
) -> tuple[Decision | None, str | None, str, str | None]:
    """Split a 方向性 text into (decision, decision as written, direction text, reference).

    '<継続> 次期計画に引き継ぐ。 P8.②' → (CONTINUE, '<継続>', '次期計画に引き継ぐ。', 'P8.②').
    """
    s = (text or "").strip()
    decision: Decision | None = None
    written: str | None = None
    m = _BRACKETED.match(s) or _BARE.match(s)
    if m:
        written = m.group("w").strip()
        decision = _DECISION_WORDS[m.group("word")]
        s = s[m.end() :]
    else:
        m = _SYMBOL.match(s)
        if m:
            written = m.group("w")
            decision = (legend or {}).get(written, Decision.OTHER)
            s = s[m.end() :]
    refs = [re.sub(r"\s+", "", r.group(0)) for r in _REFERENCE.finditer(s)]
    if refs:
        s = _REFERENCE.sub(" ", s)
    direction = one_line(s)
    return decision, written, direction, (" ".join(refs) if refs else None)


def strip_item_marker(text: str) -> str:
    """'ア) …', 'り) …' (a garbled ウ), '1) …', '(イ) …', '① …' → '…'."""
    return _ITEM_MARKER.sub("", text or "", count=1).strip()


def _header_columns(row: list[Cell]) -> _Columns | None:
    # header cells are short labels; a long cell is data even if it says 評価 or 取組
    heads = [h if len(h) <= TOL.review_max_head else "" for h in (_compact(c.text) for c in row)]
    direction = next((i for i, h in enumerate(heads) if h and any(w in h for w in _DIRECTION_HEAD)), None)
    if direction is None:
        return None
    status = next(
        (i for i, h in enumerate(heads) if i != direction and h and any(w in h for w in _STATUS_HEAD)), None
    )
    limit = status if status is not None else direction
    items = [i for i, h in enumerate(heads[:limit]) if h and any(w in h for w in _ITEM_HEAD)]
    exact = [i for i in items if heads[i] in ("項目", "取組内容", "施策内容", "事業名")]
    if exact:
        item = exact[-1]
    elif items:
        item = items[-1]
    elif limit > 0:
        item = limit - 1
    else:
        return None
    if status is None and direction - item > 1:
        status = direction - 1
    return _Columns(item=item, status=status, direction=direction, width=len(row))


def _looks_like_review_row(row: list[Cell], cols: _Columns, legend: dict[str, Decision]) -> bool:
    if len(row) <= cols.direction:
        return False
    d, _, _, _ = parse_decision(row[cols.direction].text, legend)
    return d is not None


def _provenance(block: Block, text: str, line: int | None = None) -> Provenance:
    loc = block.loc
    return Provenance(
        page=loc.page,
        line_start=line or loc.line_start,
        line_end=line or loc.line_end,
        text=text[:200] if text else None,
    )


def _row_line(block: Block, row_index: int, n_rows: int) -> int | None:
    """The source line of a table row when the table was written one row per line (text formats)."""
    loc = block.loc
    if loc.line_start is None or loc.line_end is None:
        return None
    if loc.line_end - loc.line_start + 1 == n_rows:
        return loc.line_start + row_index
    return None


def _from_table(block: Block, cols: _Columns, start: int, legend: dict[str, Decision]) -> list[Evaluation]:
    assert block.table is not None
    grid = block.table.grid()
    out: list[Evaluation] = []
    for r in range(start, len(grid)):
        row = grid[r]
        if len(row) <= cols.direction or row[cols.item].is_span_copy:
            continue
        item = strip_item_marker(_one_line(row[cols.item].text))
        if not item or _header_columns(row) is not None:
            continue
        status = (
            _one_line(row[cols.status].text) if cols.status is not None and len(row) > cols.status else ""
        )
        decision, written, direction, ref = parse_decision(_one_line(row[cols.direction].text), legend)
        out.append(
            Evaluation(
                item=item,
                status=status,
                decision=decision,
                decision_written=written,
                direction=direction,
                reference=ref,
                provenance=_provenance(block, item, _row_line(block, r, len(grid))),
            )
        )
    return out


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text or "").strip()


def extract_evaluations(result: ReadResult) -> list[Evaluation]:
    """Every row of the previous plan's review found in the document, in reading order."""
    blocks = result.blocks
    legend = find_legend(blocks)
    out: list[Evaluation] = []
    last: _Columns | None = None
    for block in blocks:
        if block.kind != BlockKind.TABLE or block.table is None or not block.table.rows:
            continue
        grid = block.table.grid()
        header_at = next((i for i, row in enumerate(grid[:3]) if _header_columns(row) is not None), None)
        if header_at is not None:
            cols = _header_columns(grid[header_at])
            assert cols is not None
            rows = grid[header_at + 1 :]
            if any(_looks_like_review_row(row, cols, legend) for row in rows):
                out.extend(_from_table(block, cols, header_at + 1, legend))
                last = cols
            continue
        # a continuation table without its header: same width, decisions in the same column
        if last is not None and len(grid[0]) == last.width:
            hits = sum(_looks_like_review_row(row, last, legend) for row in grid)
            if hits and hits * 2 >= len(grid):
                out.extend(_from_table(block, last, 0, legend))
    if not out:
        out = _from_paragraphs(blocks, legend)
    return out


def _labelled_fields(text: str) -> dict[str, str]:
    """'項目：… 現状：… 方向性：…' → {'item': …, 'status': …, 'direction': …}."""
    ms = list(_LABEL_RE.finditer(text))
    fields: dict[str, str] = {}
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(text)
        value = text[m.end() : end].strip()
        label = m.group("label")
        if label in ("項目", "取組内容"):
            key = "item"
        elif label in ("現状", "現況", "進捗状況", "実施状況"):
            key = "status"
        else:
            key = "direction"
        fields.setdefault(key, value)
    if ms and ms[0].start() > 0 and "item" not in fields:
        fields["item"] = text[: ms[0].start()].strip()
    return fields


def _from_paragraphs(blocks: list[Block], legend: dict[str, Decision]) -> list[Evaluation]:
    """Reviews written as text: an item, then 現状：…, then 方向性：… (or a paragraph opening with <継続>)."""
    out: list[Evaluation] = []
    in_section = False
    item: tuple[str, Block] | None = None
    status = ""
    for b in blocks:
        if b.kind == BlockKind.HEADING:
            in_section = bool(_SECTION_HEAD.search(b.text))
            item, status = None, ""
            continue
        if b.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
            continue
        text = _one_line(b.text)
        fields = _labelled_fields(text)
        if "direction" in fields and ("item" in fields or item is not None):
            it = strip_item_marker(fields.get("item") or (item[0] if item else ""))
            st = fields.get("status", status)
            if it:
                out.append(_evaluation(it, st, fields["direction"], b, legend))
            item, status = None, ""
            continue
        if "status" in fields:
            if "item" in fields:
                item = (fields["item"], b)
            status = fields["status"]
            continue
        if "item" in fields:
            item, status = (fields["item"], b), ""
            continue
        if not in_section:
            continue
        if (_BRACKETED.match(text) or (_SYMBOL.match(text) and legend)) and item is not None:
            if strip_item_marker(item[0]):
                out.append(_evaluation(strip_item_marker(item[0]), status, text, b, legend))
            item, status = None, ""
            continue
        if b.marker or b.kind == BlockKind.LIST_ITEM or _ITEM_MARKER.match(text):
            item, status = (text, b), ""
        elif item is not None and not status:
            status = text
    return out


def _evaluation(
    item: str, status: str, direction_text: str, block: Block, legend: dict[str, Decision]
) -> Evaluation:
    decision, written, direction, ref = parse_decision(direction_text, legend)
    return Evaluation(
        item=item,
        status=status,
        decision=decision,
        decision_written=written,
        direction=direction,
        reference=ref,
        provenance=_provenance(block, item),
    )
