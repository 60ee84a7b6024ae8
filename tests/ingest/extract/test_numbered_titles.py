"""Measures whose titles differ only by a number are different measures, in every format.

A fictional plan (あおば村) lists its measures in a table that runs over three pages with its header
repeated (one table, continued), then in a second table of the same shape further on, then a schedule
table that names the measures by title. Titles differ only by a number ("集会所Wi-Fiの整備1" …), so the
title similarity of two of them is above any fuzzy threshold: rows of one table never merge, a row of
another table never joins a measure with another number, and a (再掲) row stays the repeated entry of
its measure. The DOCX (python-docx) and PDF (reportlab) files are generated here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest import import_document
from keikaku.ingest.blocks import Cell, Table
from keikaku.ingest.extract.common import same_numbers, similarity, title_match

TITLE = "あおば村地域情報化計画"
NAME = "集会所Wi-Fiの整備"
YEARS = ["R6", "R7", "R8"]
INTRO = (
    "本村は、地区ごとの集会所に公衆無線LANを順に整備し、災害時の情報伝達と住民の学びの場としての"
    "活用を進めます。各施設の整備は次の表のとおりとし、進捗は毎年度点検します。"
)


def _measure_table(numbers: list[int], *, repost: int | None = None) -> Table:
    rows = [[Cell("No."), Cell("施策"), Cell("内容"), Cell("担当課")]]
    for n in numbers:
        rows.append(
            [Cell(str(n)), Cell(f"{NAME}{n}"), Cell(f"第{n}地区の集会所に無線LANを設ける。"), Cell("総務課")]
        )
    if repost is not None:
        rows.append(
            [Cell(""), Cell(f"{NAME}{repost}（再掲）"), Cell("防災の観点から再掲する。"), Cell("防災課")]
        )
    return Table(rows=rows)


def _schedule_table(numbers: list[int]) -> Table:
    rows = [[Cell("施策"), *(Cell(y) for y in YEARS)]]
    for n in numbers:
        start = (n - 1) % 3  # measure n starts in R6, R7 or R8
        rows.append([Cell(f"{NAME}{n}"), *(Cell("実施" if i == start else "") for i in range(3))])
    return Table(rows=rows)


def _parts() -> list[tuple[str, object]]:
    """("h", heading) / ("p", paragraph) / ("t", table) / ("page", None) in document order."""
    return [
        ("title", TITLE),
        ("h", "第1章 施策の展開"),
        ("p", INTRO),
        ("t", _measure_table([1, 2])),
        ("page", None),
        ("t", _measure_table([3, 4])),  # the same table continued, header repeated
        ("page", None),
        ("t", _measure_table([5, 6])),
        ("page", None),
        ("h", "第2章 防災の取組"),
        ("p", INTRO),
        ("t", _measure_table([7, 8], repost=2)),  # another table of the same shape
        ("page", None),
        ("h", "第3章 スケジュール"),
        ("p", INTRO),
        ("t", _schedule_table([1, 2, 3, 4, 5, 6, 7, 8])),
    ]


def _write_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    from tests.ingest.doc_fixtures import _pdf_styles, _pdf_table

    styles = _pdf_styles()
    story: list[object] = []
    for kind, value in _parts():
        if kind == "title":
            story.append(Paragraph(str(value), styles["title"]))
        elif kind == "h":
            story.append(Paragraph(str(value), styles["h1"]))
        elif kind == "p":
            story.append(Paragraph(str(value), styles["body"]))
        elif kind == "page":
            story.append(PageBreak())
        elif isinstance(value, Table):
            width = len(value.rows[0])
            widths = [40.0, 170.0, 200.0, 70.0] if width == 4 else [200.0, 80.0, 80.0, 80.0][:width]
            story += [_pdf_table(value, widths, styles), Spacer(1, 8)]
    SimpleDocTemplate(str(path), pagesize=A4, title=TITLE).build(story)
    return path


def _write_docx(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    from tests.ingest.doc_fixtures import _docx_table

    document = docx.Document()
    for kind, value in _parts():
        if kind == "title":
            document.add_paragraph(str(value), style="Title")
        elif kind == "h":
            document.add_paragraph(str(value), style="Heading 1")
        elif kind == "p":
            document.add_paragraph(str(value))
        elif kind == "page":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(value, Table):
            _docx_table(document, value)
    document.save(str(path))
    return path


def _check(plan: Plan) -> None:
    titles = [m.title for m in plan.measures]
    assert titles == [f"{NAME}{n}" for n in range(1, 9)] + [f"{NAME}2"], titles
    by_title = {m.title: m for m in plan.measures if not m.reposted}
    assert len(by_title) == 8
    for n in range(1, 9):
        m = by_title[f"{NAME}{n}"]
        assert m.departments == ["総務課"]
        assert m.description == f"第{n}地区の集会所に無線LANを設ける。"
        # the schedule row with this number, not a neighbour's: measure n starts in R6/R7/R8
        assert m.schedule, m.title
        assert m.schedule[0].fiscal_year == 2024 + (n - 1) % 3, (m.title, m.schedule)
    repost = plan.measures[-1]
    assert repost.reposted and repost.departments == ["防災課"]


@pytest.mark.parametrize("writer", [_write_pdf, _write_docx], ids=["pdf", "docx"])
def test_titles_differing_by_a_number_stay_apart(tmp_path: Path, writer) -> None:  # noqa: ANN001
    path = writer(tmp_path / ("aoba.pdf" if writer is _write_pdf else "aoba.docx"))
    _check(import_document(path))


def test_title_match_needs_the_same_numbers() -> None:
    a, b = f"{NAME}1", f"{NAME}2"
    assert similarity(a, b) > 0.9  # alike as strings …
    assert not same_numbers(a, b)
    assert title_match(a, b, 0.8) == 0.0  # … but two measures
    assert title_match(f"{NAME}１", f"{NAME} 1", 0.8) == 1.0  # full-width digit and a space: the same
    assert title_match("施策①の推進", "施策1の推進", 0.8) == 1.0  # ① is 1 (NFKC)
    assert title_match("集会所Wi-Fiの整備拡充1", f"{NAME}1", 0.8) > 0.8


SAME_SHAPE_LISTS = """# さくら町情報化計画

## 第1章 防災

| 施策 | 担当課 | R6 | R7 |
|---|---|---|---|
| 防災倉庫の備蓄管理システム導入 | 危機管理課 | 検討 | 導入 |
| 福祉避難所の情報共有 | 福祉課 | 実施 | → |

## 第2章 消防と福祉

| 施策 | 担当課 | R6 | R7 |
|---|---|---|---|
| 消防倉庫の備蓄管理システム導入 | 消防総務課 | 導入 | 運用 |
| 障害福祉避難所の情報共有 | 障害福祉課 | 検討 | 実施 |
"""


def test_lists_with_the_same_header_never_merge_their_rows(tmp_path: Path) -> None:
    """Two tables with one header are one list split by chapter: near-identical rows (防災/消防,
    福祉/障害福祉, similarity ≥ 0.9) are four measures, each with its own department."""
    path = tmp_path / "sakura.md"
    path.write_text(SAME_SHAPE_LISTS, encoding="utf-8")
    plan = import_document(path)
    assert [(m.title, m.departments) for m in plan.measures] == [
        ("防災倉庫の備蓄管理システム導入", ["危機管理課"]),
        ("福祉避難所の情報共有", ["福祉課"]),
        ("消防倉庫の備蓄管理システム導入", ["消防総務課"]),
        ("障害福祉避難所の情報共有", ["障害福祉課"]),
    ]
    assert similarity("防災倉庫の備蓄管理システム導入", "消防倉庫の備蓄管理システム導入") >= 0.9
