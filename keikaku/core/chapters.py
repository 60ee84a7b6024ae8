"""The words that name a plan's chapters (計画期間, 位置付け, 推進体制, 現状と課題, 基本方針 …), in one place.

Every reader of chapter titles reads them from here and keeps no list of its own:

- the compliance check (``core/compliance.py``: is the template's chapter there?) — every kind a title
  names (:func:`chapter_kinds`);
- the import's section reader (``ingest/extract/metadata.py``: ``Section.kind``) — the one kind a title
  names first, in :data:`SECTION_KINDS` order, then the broad words (:func:`chapter_kind`);
- the guide reader (``ingest/extract/guide.py``: the guide's own chapters) — the same, without the broad
  words;
- the vocabulary (``ingest/extract/vocabulary.py``): the headings of narrative chapters (whose numbered
  items are no measures), the headings that name a list of measures, the 現状と課題 label of a card.

Words are compared after NFKC and without spaces (``squash``), as a part of the title: 「第2章 計画の
位置付け」 names ``position``. A word of a kind earlier in :data:`SECTION_KINDS` wins over a later kind's
(「施策の体系」 is the policy chapter, not the measures; 「推進体制と進行管理」 is one chapter, structure).
"""

from __future__ import annotations

from functools import lru_cache

from keikaku.core.text import squash

# chapter kind → every word and spelling that names it. The first seven are the national template's
# chapters (compliance.CHAPTERS gives their numbers and names); period, glossary and overview are chapters
# plans have besides.
CHAPTER_WORDS: dict[str, tuple[str, ...]] = {
    "glossary": ("用語",),
    "security": ("セキュリティ", "個人情報", "情報保護", "プライバシー", "安全管理"),
    "period": ("計画期間", "期間"),
    "structure": ("推進体制", "体制", "推進管理", "進行管理", "進捗管理", "推進本部", "PDCA"),
    "position": (
        "位置付け",
        "位置づけ",
        "位置付",
        "計画の性格",
        "他の計画との関係",
        "関連計画",
        "関連する計画",
    ),
    "purpose": ("目的", "趣旨", "ねらい", "目指す姿", "めざす姿"),
    "situation": (
        "現状と課題",
        "現状及び課題",
        "現状・課題",
        "現状",
        "課題",
        "背景",
        "動向",
        "取り巻く",
        "環境の変化",
    ),
    "policy": ("基本的な方針", "基本方針", "基本目標", "基本理念", "施策の体系", "施策体系", "方針"),
    "measures": (
        "個別施策",
        "個別の施策",
        "具体的な施策",
        "具体的な取組",
        "主な取組",
        "主要施策",
        "施策の展開",
        "取組内容",
        "推進項目",
        "アクションプラン",
        "実施計画",
    ),
    # the opening chapter (計画の概要 / はじめに / 計画の策定にあたって): no template chapter, no section kind
    "overview": ("概要", "はじめに", "策定"),
}
# shorter words that suggest a kind when no kind's own word names the title (「4 取組」, 「DX推進プロジェクト」)
BROAD_WORDS: dict[str, tuple[str, ...]] = {
    "measures": ("施策", "取組", "取り組み", "事業", "アクション", "具体", "実施項目", "プロジェクト"),
}
# the kinds a section is given (Section.kind), in the order a title naming two of them is read
SECTION_KINDS: tuple[str, ...] = (
    "glossary",
    "security",
    "period",
    "structure",
    "position",
    "purpose",
    "situation",
    "policy",
    "measures",
)
# chapters of prose about the plan: their numbered items are no measures
NARRATIVE_KINDS: tuple[str, ...] = (
    "overview",
    "glossary",
    "period",
    "structure",
    "position",
    "purpose",
    "situation",
)


def words(*kinds: str, broad: bool = False) -> tuple[str, ...]:
    """Every word of the kinds (with the broad words if asked), in the order written, without repeats."""
    out: dict[str, None] = {}
    for kind in kinds:
        out.update(dict.fromkeys(CHAPTER_WORDS[kind]))
        if broad:
            out.update(dict.fromkeys(BROAD_WORDS.get(kind, ())))
    return tuple(out)


@lru_cache(maxsize=4096)
def chapter_kind(title: str, *, broad: bool = True) -> str | None:
    """The section kind a chapter title names: the first of :data:`SECTION_KINDS` with a word in it, else
    (``broad``) the first kind with a broad word in it; None when it names none."""
    t = squash(title)
    for kind in SECTION_KINDS:
        if any(squash(w) in t for w in CHAPTER_WORDS[kind]):
            return kind
    if broad:
        for kind in SECTION_KINDS:
            if any(squash(w) in t for w in BROAD_WORDS.get(kind, ())):
                return kind
    return None


def chapter_kinds(title: str, kinds: tuple[str, ...]) -> set[str]:
    """Every one of ``kinds`` whose words the title holds (「計画の目的と位置付け」 → purpose, position)."""
    t = squash(title)
    return {k for k in kinds if any(squash(w) in t for w in CHAPTER_WORDS[k])}
