"""Schedule phases (工程表の区分): the words plans put in per-fiscal-year schedule cells.

A schedule row gives, for each fiscal year, a phase word as written (検討, 準備, 構築, 実施, 運用, 拡充 …),
a mark (○, ●), an arrow (→, ⇒: "continues the previous phase"), a merged cell spanning several years, or
nothing. This module maps the words to a small normalised vocabulary and resolves continuation.

Vocabulary (:data:`PHASES`), in rough life-cycle order::

    study      検討, 調査, 研究, 検証, 分析
    prepare    準備, 策定, 設計, 計画, 調整, 調達
    build      構築, 開発, 整備, 開設, 作成
    implement  導入, 実施, 開始, 推進, 展開, 実証, 試行
    operate    運用, 稼働, 管理, 利用, 活用, 提供
    expand     拡充, 拡大, 充実, 強化, 拡張, 普及
    migrate    移行, 更改, 更新, 切替, 統合
    review     見直し, 改善, 評価, 改訂, 点検
    done       完了, 終了, 廃止
    continue   継続, and an arrow with no word before it
    active     ○, ●, ◎ (a mark saying "this year", no word)

Decisions (what ``written`` holds):

- A cell with a word: ``written`` is the cell text with leading/trailing arrows and spaces removed
  ("→ 運用、拡充 →" → "運用、拡充"); ``phase`` is :func:`normalise_phase` of it.
- A continued year (an arrow-only cell, an empty cell after a phase, a merged-span copy): ``written``
  repeats the phase word being continued, exactly as the gold annotations do ("策定 | (span) | 運用" →
  2020 策定, 2021 策定, 2022 運用). An arrow with nothing to continue keeps the arrow as ``written``
  and phase ``continue``.
- A dash (-, －, ―, ー alone) means "nothing this year" and stops continuation; so does an empty cell when
  ``empty_continues`` is False. Empty cells before the first phase produce no entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from keikaku.core.plan import Provenance, ScheduleEntry
from keikaku.core.text import nfkc

PHASES: tuple[str, ...] = (
    "study",
    "prepare",
    "build",
    "implement",
    "operate",
    "expand",
    "migrate",
    "review",
    "done",
    "continue",
    "active",
)

# keyword → phase; matched longest first anywhere in the written text
_KEYWORDS: dict[str, str] = {
    # study
    "検討": "study",
    "調査": "study",
    "研究": "study",
    "検証": "study",
    "分析": "study",
    "研修": "implement",
    # prepare
    "準備": "prepare",
    "策定": "prepare",
    "設計": "prepare",
    "計画": "prepare",
    "調整": "prepare",
    "要件定義": "prepare",
    "調達": "prepare",
    # build
    "構築": "build",
    "開発": "build",
    "整備": "build",
    "開設": "build",
    "作成": "build",
    "制作": "build",
    # implement
    "導入": "implement",
    "実施": "implement",
    "開始": "implement",
    "推進": "implement",
    "展開": "implement",
    "実証": "implement",
    "試行": "implement",
    "実行": "implement",
    "実装": "implement",
    "本格実施": "implement",
    # operate
    "運用": "operate",
    "稼働": "operate",
    "運営": "operate",
    "管理": "operate",
    "利用": "operate",
    "活用": "operate",
    "提供": "operate",
    "公開": "operate",
    # expand
    "拡充": "expand",
    "拡大": "expand",
    "充実": "expand",
    "強化": "expand",
    "拡張": "expand",
    "普及": "expand",
    "増強": "expand",
    # migrate
    "移行": "migrate",
    "更改": "migrate",
    "更新": "migrate",
    "切替": "migrate",
    "切り替え": "migrate",
    "統合": "migrate",
    # review
    "見直し": "review",
    "見直": "review",
    "改善": "review",
    "評価": "review",
    "改訂": "review",
    "改定": "review",
    "点検": "review",
    # done
    "完了": "done",
    "終了": "done",
    "廃止": "done",
    # continue
    "継続": "continue",
}
_KEYWORD_RE = re.compile("|".join(sorted(map(re.escape, _KEYWORDS), key=len, reverse=True)))

# the words offered in a schedule cell (the editor's list and the plan workbook's drop-down; free text
# is accepted too)
PHASE_WORDS: tuple[str, ...] = (
    "検討",
    "調査",
    "準備",
    "策定",
    "構築",
    "導入",
    "実施",
    "運用",
    "拡充",
    "移行",
    "見直し",
    "完了",
    "→",
    "○",
)

ARROWS = "→⇒⇨➡➔➜➝➞⟶⟹▶►＞>"
_ARROW_RE = re.compile(rf"[{re.escape(ARROWS)}]")
_EDGE_RE = re.compile(rf"^[\s{re.escape(ARROWS)}]+|[\s{re.escape(ARROWS)}]+$")
_MARKS = set("○●◎〇◯")
_DASHES = set("-－―—–ー‐〜～")


def strip_arrows(text: str) -> str:
    """'→ 運用、拡充 →' → '運用、拡充' (arrows and spaces at both ends removed)."""
    return _EDGE_RE.sub("", text or "")


def is_arrow(text: str) -> bool:
    """True when the cell holds only arrows (and spaces, dashes drawn as the arrow's shaft)."""
    s = (text or "").strip()
    return (
        bool(s) and bool(_ARROW_RE.search(s)) and all(c in ARROWS or c in _DASHES or c.isspace() for c in s)
    )


def is_dash(text: str) -> bool:
    """'-', '－', '―' alone: nothing scheduled that year."""
    s = (text or "").strip()
    return bool(s) and all(c in _DASHES or c.isspace() for c in s)


def is_mark(text: str) -> bool:
    s = (text or "").strip()
    return bool(s) and all(c in _MARKS or c.isspace() for c in s)


def phase_parts(written: str) -> list[str]:
    """Every phase named in ``written``, in order, without repeats: '運用、拡充' → ['operate', 'expand']."""
    if is_arrow(written or ""):
        return ["continue"]
    s = strip_arrows(written or "")
    if not s:
        return []
    if is_mark(s):
        return ["active"]
    if is_dash(s):
        return []
    out: list[str] = []
    for m in _KEYWORD_RE.finditer(nfkc(s)):
        p = _KEYWORDS[m.group(0)]
        if p not in out:
            out.append(p)
    if not out and any(c in _MARKS for c in s):
        out.append("active")
    return out


def normalise_phase(written: str) -> str | None:
    """The normalised phase of a schedule cell as written, or None if it names none.

    One phase → its name ('構築' → 'build'); several → joined with '+' in written order
    ('運用、拡充' → 'operate+expand'); an arrow alone → 'continue'; ○/● → 'active'; '' or '-' → None.
    """
    parts = phase_parts(written)
    return "+".join(parts) if parts else None


def fill_schedule(
    cells: Iterable[tuple[int, str]],
    *,
    empty_continues: bool = True,
    provenance: Provenance | None = None,
) -> list[ScheduleEntry]:
    """Resolve one schedule row, given (fiscal year, cell text) per year in column order.

    Pass merged-span copies either as the repeated text (``Table.grid()`` does that) or as ''.
    An arrow-only cell, or an empty cell after a phase (``empty_continues``), continues the previous
    phase: its ``written`` repeats the continued word. A dash stops continuation. Years with nothing
    get no entry. ``provenance`` is attached to every entry.
    """
    out: list[ScheduleEntry] = []
    prev: tuple[str, str | None] | None = None  # (written, phase) being continued
    for fy, raw in cells:
        text = (raw or "").strip()
        word = strip_arrows(text)
        if not text:
            if empty_continues and prev is not None:
                out.append(_entry(fy, prev[0], prev[1], provenance))
            continue
        if is_dash(text) and not is_arrow(text):
            prev = None
            continue
        if not word or is_arrow(text):  # arrows only (a shaft of dashes included)
            if prev is None:
                prev = (text, "continue")
            out.append(_entry(fy, prev[0], prev[1], provenance))
            continue
        prev = (word, normalise_phase(word))
        out.append(_entry(fy, prev[0], prev[1], provenance))
    return out


def _entry(fy: int, written: str, phase: str | None, provenance: Provenance | None) -> ScheduleEntry:
    return ScheduleEntry(
        fiscal_year=fy,
        written=written,
        phase=phase,
        provenance=provenance.model_copy() if provenance else None,
    )
