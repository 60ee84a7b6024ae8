"""One word list for plan chapters (keikaku/core/chapters.py), two readers: the import's section reader
(metadata.find_sections → Section.kind) and the compliance check (compliance.section_kinds /
check_plan) must both recognise every word of every chapter kind — and the vocabulary and the guide
reader take their chapter words from the same list."""

from __future__ import annotations

import pytest

from keikaku.core import chapters
from keikaku.core.compliance import CHAPTER_BY_KIND, CHAPTERS, check_plan, section_kinds
from keikaku.core.plan import Section
from keikaku.ingest.extract import guide, metadata, vocabulary
from keikaku.ingest.extract.outline import build_outline
from keikaku.ingest.readers.text import read_text
from tests.factories import make_plan


def _sections(titles: list[str]) -> list[Section]:
    """The sections the import reads from a text plan with one numbered chapter per title."""
    lines = ["ひなた野町デジタル推進計画", ""]
    for n, title in enumerate(titles, start=1):
        lines += [f"第{n}章 {title}", "この章の本文です。", ""]
    blocks = read_text("\n".join(lines).encode(), "plan.txt").blocks
    return metadata.find_sections(blocks, build_outline(blocks), set())


@pytest.mark.parametrize("kind", chapters.SECTION_KINDS)
def test_every_word_of_a_chapter_is_read_by_the_section_reader(kind: str) -> None:
    words = chapters.CHAPTER_WORDS[kind]
    got = {s.title: s.kind for s in _sections(list(words))}
    assert got == dict.fromkeys(words, kind)


@pytest.mark.parametrize("kind", [c.kind for c in CHAPTERS])
def test_every_word_of_a_template_chapter_satisfies_the_compliance_check(kind: str) -> None:
    """A section titled with any of the chapter's words (as written, kind left empty) is that chapter, and
    the same section as the importer reads it (kind set) is too: the finding for the chapter goes away."""
    rule = "security-chapter" if kind == "security" else f"chapter-{kind}"
    for word, section in zip(
        chapters.CHAPTER_WORDS[kind], _sections(list(chapters.CHAPTER_WORDS[kind])), strict=True
    ):
        assert kind in section_kinds(Section(title=word)), word
        assert section.kind == kind, word
        plan = make_plan(0, sections=[section], policies=[])
        assert rule not in {f.rule.id for f in check_plan(plan)}, word
    empty = make_plan(0, sections=[], policies=[])
    assert rule in {f.rule.id for f in check_plan(empty)}


def test_compliance_chapters_take_their_words_from_the_one_list() -> None:
    assert {c.kind: c.words for c in CHAPTERS} == {c.kind: chapters.CHAPTER_WORDS[c.kind] for c in CHAPTERS}
    assert set(CHAPTER_BY_KIND) <= set(chapters.SECTION_KINDS)


def test_a_title_naming_two_chapters() -> None:
    """The section reader gives one kind, by the list's order; the compliance check gives both."""
    assert chapters.chapter_kind("施策の体系") == "policy"  # not the measures chapter
    assert chapters.chapter_kind("4 取組") == "measures"  # a broad word, when nothing else names it
    assert chapters.chapter_kind("4 取組", broad=False) is None
    assert section_kinds(Section(title="計画の目的と位置付け")) == {"purpose", "position"}
    assert metadata._section_kind("計画の目的と位置付け") == "position"
    assert guide._section_kind("第4章 推進体制") == "structure"


def test_the_vocabulary_reads_the_chapter_words() -> None:
    narrative = set(vocabulary.NARRATIVE_HEADING_WORDS)
    for kind in chapters.NARRATIVE_KINDS:
        assert set(chapters.CHAPTER_WORDS[kind]) <= narrative
    assert set(chapters.words("measures", broad=True)) == set(vocabulary.MEASURE_HEADING_WORDS)
    # 現状と課題 as a card's label: the situation words that name no other field (現状 is a baseline)
    assert "現状と課題" in vocabulary.FIELD_WORDS["background"]
    assert vocabulary.kind_of("現状") == "baseline"
    assert set(vocabulary.FIELD_WORDS["background"]) < set(chapters.CHAPTER_WORDS["situation"])
