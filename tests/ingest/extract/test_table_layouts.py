"""Measure, schedule and KPI tables in fictional plans, in Markdown, HTML, DOCX and PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest.extract import extract_plan
from keikaku.ingest.extract.columns import analyse, head_kind, header_year
from keikaku.ingest.readers import read_document
from tests.ingest.extract.table_fixtures import PLANS, c, t, write

FORMATS = ["md", "html", "docx", "pdf"]


def _plan(name: str, fmt: str, tmp_path: Path) -> Plan:
    plan, _ = PLANS[name]
    path = write(plan, fmt, tmp_path / f"{name}.{fmt}")
    return extract_plan(read_document(path), path.name)


def _kpis(m) -> list[tuple]:
    return [
        (
            k.indicator,
            (k.baseline.value, k.baseline.fiscal_year) if k.baseline else None,
            (k.targets[-1].value, k.targets[-1].fiscal_year) if k.targets else None,
        )
        for k in m.kpis
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(PLANS))
def test_table_plan(name: str, fmt: str, tmp_path: Path) -> None:
    plan = _plan(name, fmt, tmp_path)
    _, expected = PLANS[name]
    assert [m.title for m in plan.measures] == list(expected)
    for m in plan.measures:
        want = expected[m.title]
        assert m.key == want["key"], m.title
        assert m.departments == want["departments"], m.title
        assert _kpis(m) == want["kpis"], m.title
        assert {e.fiscal_year: e.written for e in m.schedule} == want["schedule"], m.title
        if "priority" in want:
            assert m.priority == want["priority"], m.title
        if "pillars" in want:
            assert [p.code for p in m.pillars] == want["pillars"], m.title
            assert all(p.source == "document" for p in m.pillars)
        if "description" in want:
            assert m.description == want["description"]
        assert m.provenance is not None


def test_header_vocabulary() -> None:
    kinds = {
        "No.": "key",
        "番号": "key",
        "#": "key",
        "取組名": "title",
        "施策名": "title",
        "取組内容": "description",
        "事業概要": "description",
        "担当部署": "department",
        "実施主体": "department",
        "関係課": "department",
        "KPI": "kpi",
        "成果指標": "kpi",
        "目標指標": "kpi",
        "現状値（R4）": "baseline",
        "基準値(2022)": "baseline",
        "現況": "baseline",
        "目標値（令和9年度）": "target",
        "目標": "target",
        "重点": "priority",
        "区分": "group",
        "R5": "year",
        "令和5年度": "year",
        "2023": "year",
        "5年度": "year",
    }
    assert {h: head_kind(h) for h in kinds} == kinds
    assert [header_year(h) for h in ("R5", "令和5年度", "2023", "5年度", "H31")] == [
        2023,
        2023,
        2023,
        2023,
        2019,
    ]


def test_measure_table_columns_and_years_in_headers() -> None:
    cols = analyse(
        t(
            ["No.", "取組名", "取組内容", "担当課", "指標", "現状値（R4）", "目標値（R9）"],
            [
                "1",
                "電子回覧板の導入",
                "自治会の回覧を電子化する。",
                "協働推進課",
                "利用自治会数",
                "0団体",
                "20団体",
            ],
        )
    )
    assert cols is not None and cols.is_measures and not cols.is_targets
    assert (cols.key, cols.title, cols.description, cols.department, cols.kpi) == (0, 1, 2, 3, 4)
    assert (cols.baseline, cols.baseline_year, cols.target, cols.target_year) == (5, 2022, 6, 2027)


def test_kpi_table_with_related_measures_is_a_target_table() -> None:
    cols = analyse(t(["指標", "現状値", "目標値", "関連施策"], ["登録者数", "10人", "50人", "1"]))
    assert cols is not None and cols.is_targets and cols.related and cols.kpi == 0 and cols.title == 3


def test_schedule_only_table_keys_are_not_the_chapter(tmp_path: Path) -> None:
    text = (
        "# もみじ町計画\n\n## 第3章 スケジュール\n\n"
        "| 取組名 | R5 | R6 | R7 |\n|---|---|---|---|\n"
        "| 窓口予約システムの導入 | 検討 | 導入 | → |\n| 広報紙の電子配信 | ○ | ○ | ○ |\n"
    )
    path = tmp_path / "momiji.md"
    path.write_text(text, encoding="utf-8")
    plan = extract_plan(read_document(path), path.name)
    assert [(m.key, m.title) for m in plan.measures] == [
        ("1", "窓口予約システムの導入"),
        ("2", "広報紙の電子配信"),
    ]
    assert {e.fiscal_year: e.written for e in plan.measures[0].schedule} == {
        2023: "検討",
        2024: "導入",
        2025: "導入",
    }


def test_merged_department_applies_to_every_row() -> None:
    table = t(
        ["番号", "施策名", "所管課", "目標指標"],
        ["1", "窓口の予約制", c("市民課", rowspan=2), "予約件数"],
        ["2", "書かない窓口", "記入不要の手続数"],
    )
    from keikaku.ingest.blocks import Block, BlockKind
    from keikaku.ingest.extract.tables import read_rows

    cols = analyse(table)
    assert cols is not None
    rows = read_rows(Block(BlockKind.TABLE, table=table), cols, "x.md")
    assert [(r.key, r.title, r.departments) for r in rows] == [
        ("1", "窓口の予約制", ["市民課"]),
        ("2", "書かない窓口", ["市民課"]),
    ]
