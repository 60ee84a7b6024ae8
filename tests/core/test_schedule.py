"""Schedule phase vocabulary and continuation (keikaku.core.schedule)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keikaku.core.plan import Provenance
from keikaku.core.schedule import (
    PHASES,
    fill_schedule,
    is_arrow,
    normalise_phase,
    phase_parts,
    strip_arrows,
)


@pytest.mark.parametrize(
    ("written", "phase"),
    [
        ("検討", "study"),
        ("調査", "study"),
        ("準備", "prepare"),
        ("策定", "prepare"),
        ("設計", "prepare"),
        ("構築", "build"),
        ("開発", "build"),
        ("導入", "implement"),
        ("実施", "implement"),
        ("運用", "operate"),
        ("拡充", "expand"),
        ("拡大", "expand"),
        ("充実", "expand"),
        ("移行", "migrate"),
        ("推進", "implement"),
        ("継続", "continue"),
        ("見直し", "review"),
        ("完了", "done"),
        ("○", "active"),
        ("●", "active"),
        ("→", "continue"),
        ("⇒", "continue"),
        ("――→", "continue"),
        ("運用、拡充", "operate+expand"),
        ("→ 運用、拡充 →", "operate+expand"),
        ("仕様検討", "study"),
        ("検討 検証", "study"),
        ("ｼｽﾃﾑ更改", "migrate"),
        ("", None),
        ("-", None),
        ("―", None),
        ("未定", None),
    ],
)
def test_normalise_phase(written: str, phase: str | None) -> None:
    assert normalise_phase(written) == phase


def test_phase_parts_keep_written_order_without_repeats() -> None:
    assert phase_parts("導入、運用、運用") == ["implement", "operate"]
    assert phase_parts("運用・機能強化") == ["operate", "expand"]


def test_every_normalised_phase_is_in_the_vocabulary() -> None:
    for w in ["検討", "準備", "構築", "導入", "運用", "拡充", "移行", "見直し", "完了", "継続", "○"]:
        assert normalise_phase(w) in PHASES


def test_arrow_cells_continue_the_previous_phase_and_repeat_its_word() -> None:
    got = fill_schedule([(2022, "準備"), (2023, "⇒"), (2024, "⇒"), (2025, "移行")])
    assert [(e.fiscal_year, e.written, e.phase) for e in got] == [
        (2022, "準備", "prepare"),
        (2023, "準備", "prepare"),
        (2024, "準備", "prepare"),
        (2025, "移行", "migrate"),
    ]


def test_empty_cells_after_a_phase_are_a_merged_span() -> None:
    # a merged cell converted to text leaves the covered years empty
    got = fill_schedule([(2020, "策定"), (2021, ""), (2022, "運用"), (2023, ""), (2024, "")])
    assert [e.written for e in got] == ["策定", "策定", "運用", "運用", "運用"]


def test_arrows_around_the_word_are_stripped_from_written() -> None:
    got = fill_schedule([(2020, "→ 研究、検討 →"), (2021, ""), (2022, "→ 整備、運用 →"), (2023, "")])
    assert [e.written for e in got] == ["研究、検討", "研究、検討", "整備、運用", "整備、運用"]
    assert got[2].phase == "build+operate"


def test_span_copies_with_repeated_text_give_the_same_word() -> None:
    got = fill_schedule([(2021, "→ 実施"), (2022, "→ 実施"), (2023, "→ 実施")])
    assert {e.written for e in got} == {"実施"}


def test_leading_empty_years_and_dashes_give_no_entry() -> None:
    got = fill_schedule([(2020, ""), (2021, "検討"), (2022, "-"), (2023, ""), (2024, "実施")])
    assert [(e.fiscal_year, e.written) for e in got] == [(2021, "検討"), (2024, "実施")]


def test_empty_cells_can_be_read_as_nothing() -> None:
    got = fill_schedule([(2020, "検討"), (2021, ""), (2022, "実施")], empty_continues=False)
    assert [e.fiscal_year for e in got] == [2020, 2022]


def test_arrow_with_nothing_before_it_keeps_the_arrow() -> None:
    got = fill_schedule([(2020, "→"), (2021, "→")])
    assert [(e.written, e.phase) for e in got] == [("→", "continue"), ("→", "continue")]


def test_marks_continue_as_marks() -> None:
    got = fill_schedule([(2020, "○"), (2021, "→"), (2022, "●")])
    assert [(e.written, e.phase) for e in got] == [("○", "active"), ("○", "active"), ("●", "active")]


def test_provenance_is_copied_to_each_entry() -> None:
    prov = Provenance(line_start=10, line_end=10)
    got = fill_schedule([(2020, "検討"), (2021, "→")], provenance=prov)
    assert all(e.provenance == prov for e in got)
    assert got[0].provenance is not got[1].provenance


_WORDS = st.sampled_from(["検討", "準備", "構築", "導入", "実施", "運用、拡充", "移行", "○"])
_CELLS = st.lists(st.one_of(_WORDS, st.sampled_from(["", "→", "⇒", "-"])), min_size=1, max_size=8)


@given(_CELLS)
def test_fill_schedule_properties(texts: list[str]) -> None:
    cells = [(2020 + i, t) for i, t in enumerate(texts)]
    got = fill_schedule(cells)
    years = [e.fiscal_year for e in got]
    assert years == sorted(set(years))
    by_year = {e.fiscal_year: e for e in got}
    for fy, t in cells:
        if strip_arrows(t) and t != "-":
            # a cell with a word is written as that word
            assert by_year[fy].written == strip_arrows(t)
        if t == "-":
            assert fy not in by_year
    for e in got:
        # continued years repeat a word that appears in the row (or the bare arrow)
        assert e.written in {strip_arrows(t) for t in texts} | {"→", "⇒"}
        assert is_arrow(e.written) or e.phase == normalise_phase(e.written)
