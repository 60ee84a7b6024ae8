"""The extractor works from blocks: the same plan as txt, DOCX, PDF or HTML gives the same measures.

DOCX files are written here with python-docx (a template-style plan and a schedule table with merged
cells); the PDF/HTML/DOCX trio comes from the readers' fictional fixture plan.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest import import_document
from tests.ingest.extract.fixtures import TEMPLATE_PLAN

ROOT = Path(__file__).resolve().parents[3]


def _write_template_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    for para in [p for p in TEMPLATE_PLAN.split("\n\n") if p.strip()]:
        text = para.strip()
        if "\t" in text:  # the table of contents
            continue
        d.add_paragraph(text.replace("\n", ""))
    # a schedule table whose phase cell is merged over two years
    t = d.add_table(rows=2, cols=4)
    for c, h in enumerate(["施策", "R4年度", "R5年度", "担当課"]):
        t.cell(0, c).text = h
    t.cell(1, 0).text = "町有施設データの公開"
    merged = t.cell(1, 1).merge(t.cell(1, 2))
    merged.text = "実施"
    t.cell(1, 3).text = "総務課"
    d.save(str(path))
    return path


def _summary(plan: Plan) -> list[tuple]:
    return [
        (
            m.title,
            tuple(p.code for p in m.pillars),
            tuple(k.indicator for k in m.kpis),
            tuple((t.value, t.fiscal_year) for k in m.kpis for t in k.targets),
        )
        for m in plan.measures
    ]


def test_docx_template_plan_matches_text(tmp_path: Path) -> None:
    txt = tmp_path / "sakura.txt"
    txt.write_text(TEMPLATE_PLAN, encoding="utf-8")
    from_text = import_document(txt)
    from_docx = import_document(_write_template_docx(tmp_path / "sakura.docx"))
    assert isinstance(from_docx, Plan) and isinstance(from_text, Plan)
    assert _summary(from_docx) == _summary(from_text)
    assert from_docx.source.format == "docx" and from_docx.source.sha256
    m = {x.title: x for x in from_docx.measures}["町有施設データの公開"]
    # the DOCX schedule table row joins the template measure of the same title
    assert [(e.fiscal_year, e.written) for e in m.schedule] == [(2022, "実施"), (2023, "実施")]
    assert m.departments == ["総務課"]


@pytest.fixture(scope="module")
def fixture_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.ingest import doc_fixtures as fixtures

    d = tmp_path_factory.mktemp("formats")
    fixtures.write_plan_docx(d / "plan.docx")
    fixtures.write_plan_pdf(d / "plan.pdf")
    fixtures.write_plan_html(d / "plan.html")
    return d


def test_same_plan_in_three_formats(fixture_docs: Path) -> None:
    plans = {f: import_document(fixture_docs / f) for f in ("plan.docx", "plan.pdf", "plan.html")}
    rows = {
        f: [
            (m.title, tuple(m.departments), tuple((e.fiscal_year, e.written) for e in m.schedule))
            for m in p.measures
        ]
        for f, p in plans.items()
    }
    assert rows["plan.docx"] == rows["plan.pdf"] == rows["plan.html"]
    first = rows["plan.pdf"][0]
    assert first[2] == ((2024, "検討"), (2025, "実施"), (2026, "実施"))  # "実施 →" merged over two years
    assert plans["plan.pdf"].source.pages and plans["plan.pdf"].period.start_fy == 2024


def test_cli_prints_json_and_reports_bad_input(tmp_path: Path) -> None:
    good = tmp_path / "sakura.txt"
    good.write_text(TEMPLATE_PLAN, encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "keikaku.ingest", str(good)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["format"] == "keikaku-plan" and len(data["measures"]) == 3
    assert "さくら町" in res.stdout  # not ASCII-escaped
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = subprocess.run(
        [sys.executable, "-m", "keikaku.ingest", str(empty)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert res.returncode == 2 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
