"""Inputs the fuzzer (scripts/fuzz_import.py) found, each kept as a test of the bound that now holds:
quadratic rescans made linear, a position at infinity, nesting refused early. Times are CPU seconds with a
wide margin (a check that the work is no longer quadratic, not a benchmark)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest


def test_a_paragraph_of_ten_thousand_periods_is_read_linearly() -> None:
    """Fuzzing found a 276 KB text whose one paragraph repeated 「令和6年度から令和10年度までの5年間」: every
    span was checked against every span taken before it, and each statement copied the whole paragraph
    (31 s). Spans taken are a sorted list (bisect); statements are matched in place."""
    from keikaku.core.fiscal import find_fiscal_ranges
    from keikaku.ingest.blocks import Block, BlockKind
    from keikaku.ingest.extract.metadata import find_period
    from keikaku.ingest.extract.outline import build_outline

    para = "本計画の期間は、令和6年度から令和10年度までの5年間は、" * 10_000
    started = time.process_time()
    assert len(find_fiscal_ranges(para)) == 10_000
    blocks = [Block(BlockKind.HEADING, "計画期間"), Block(BlockKind.PARAGRAPH, para)]
    period = find_period(blocks, build_outline(blocks))
    assert time.process_time() - started < 5
    assert period is not None and (period.start_fy, period.end_fy) == (2024, 2028)


def test_ten_thousand_small_tables_with_one_header_merge_linearly() -> None:
    """Fuzzing found a 1 MB Markdown file of 10,000 two-row tables under one header (80 s): every table
    gathered the measures its rows may join by scanning every measure found so far. They are kept grouped
    by where they came from (tables by header), so rows of tables with one header never look at each other."""
    from keikaku.ingest.extract import extract_plan
    from keikaku.ingest.readers.text import read_text

    table = "| 施策 | 担当部署 |\n|---|---|\n| 電子申請の拡充 | 総務課 |\n| 窓口の電子化 | 市民課 |\n\n"
    text = "# ひなた市デジタル推進計画\n\n## 第2章 施策\n\n" + table * 10_000
    result = read_text(text.encode("utf-8"), "plan.md")
    started = time.process_time()
    plan = extract_plan(result, "plan.md")
    assert time.process_time() - started < 20
    assert len(plan.measures) == 20_000  # rows of one list are different measures, as before


def test_a_pdf_line_at_an_infinite_position_is_a_domain_error_not_a_crash() -> None:
    """Fuzz run 6: a mutated fictional PDF (tests/ingest/readers/fuzz_inputs/infinite-position.pdf, made by
    scripts/fuzz_import.py from the generator's plan) places text at y = infinity; the running-header check
    rounded it (OverflowError). A line at an infinite position is in no margin band."""
    from keikaku.ingest import NoMeasuresFound, import_document

    path = Path(__file__).parent / "fuzz_inputs" / "infinite-position.pdf"
    with pytest.raises(NoMeasuresFound):
        import_document(path)


def test_a_long_department_cell_is_split_linearly() -> None:
    """Fuzz run 6: a table cell of 100,000 characters with many separators and no department suffix (an HTML
    file over 60 s, a text file at 29 s): each separator looked ahead to the end of the cell for a closing
    bracket, and the growing name was searched for a suffix from its start. Both are bounded now."""
    from keikaku.ingest.extract.common import split_departments

    cell = "あいう えお、" * 15_000
    started = time.process_time()
    names = split_departments(cell)
    assert time.process_time() - started < 3
    assert names and names[0].startswith("あいう")
    assert split_departments("総務課（情報 政策係、庶務係）、企画課") == [
        "総務課（情報 政策係、庶務係）企画課"
    ]
    assert split_departments("みどりの魅力推進課 防災安全課 関連各課室") == [
        "みどりの魅力推進課",
        "防災安全課",
        "関連各課室",
    ]


def test_a_cell_of_deeply_nested_lists_is_refused_quickly() -> None:
    """Fuzz run 7: a Markdown table cell of 160 KB of nested <ul><li> (30 s): the shortcut for cells with
    simple markup looked through every open element at each tag. It keeps what it needs as counts now, and
    leaves a cell nested deeper than a converter writes to the parser's path, which refuses it."""
    from keikaku.ingest.blocks import ReaderError
    from keikaku.ingest.readers.fragment import simple_fragment_text
    from keikaku.ingest.readers.text import read_text

    nested = "<ul><li>" * 20_000
    row = f"| 1 | 電子申請の拡充 | 情報政{nested} | 件数 |"
    text = f"# ひなた市DX推進計画\n\n| 番号 | 施策 | 担当課 | KPI |\n|---|---|---|---|\n{row}\n"
    started = time.process_time()
    assert simple_fragment_text(nested) is None
    with pytest.raises(ReaderError, match="入れ子が深すぎます"):
        read_text(text.encode("utf-8"), "plan.md")
    assert time.process_time() - started < 5
    assert simple_fragment_text("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>") == "a\nb\nc"
