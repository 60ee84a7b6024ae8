"""The closed loop: keikaku's own plan document (DOCX and PDF, keikaku.export.plan_*) read back with
keikaku's importer gives the plan it was printed from — measure F1, KPI F1 and schedule ≥ 0.98 (score.py,
the shared scorer's rules) — on the demo plans and on generated fictional plans. The figures for the demo
plans in both formats are in docs/benchmarks.md (scripts/bench_roundtrip.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from keikaku.demo import SAMPLE_PLAN, load_sample
from tests.ingest.generated import grammar
from tests.ingest.generated.roundtrip import from_generated, roundtrip
from tests.ingest.generated.score import fmt

MINIMUM = {"measure_f1": 0.98, "kpi_f1": 0.98, "schedule": 0.98}
DEMO_B = SAMPLE_PLAN.with_name("sample_plan_b.json")


def _check(plan, fmt_: str, tmp_path: Path) -> None:
    tally, differences = roundtrip(plan, fmt_, tmp_path)
    got = tally.totals()
    assert tally.get("measure_gold") == len(plan.measures) > 0
    assert tally.get("kpi_gold") > 0 and tally.n["schedule"][1] > 0  # there were KPIs and schedules to read
    short = [f"{c}={fmt(got[c])}" for c, v in MINIMUM.items() if got[c] is None or got[c] < v]
    assert not short, f"{plan.title} ({fmt_}): {short}\n" + "\n".join(differences[:10])
    assert got["title"] == 1.0 and got["period"] == 1.0


@pytest.mark.parametrize(
    ("sample", "fmt_"),
    [(SAMPLE_PLAN, "docx"), (DEMO_B, "docx"), (DEMO_B, "pdf")],
    ids=["midori-docx", "sakura-docx", "sakura-pdf"],
)
def test_demo_plan_prints_and_reads_back(sample: Path, fmt_: str, tmp_path: Path) -> None:
    _check(load_sample(sample), fmt_, tmp_path)


@pytest.mark.parametrize(("seed", "fmt_"), [(3, "pdf"), (16, "docx"), (23, "pdf")])
def test_generated_plan_prints_and_reads_back(seed: int, fmt_: str, tmp_path: Path) -> None:
    _check(from_generated(grammar.generate(seed)), fmt_, tmp_path)


def test_a_changed_plan_reads_back_changed(tmp_path: Path) -> None:
    """The loop measures the document, not a constant: a measure dropped after printing is missed."""
    plan = from_generated(grammar.generate(5))
    tally, _ = roundtrip(plan, "docx", tmp_path)
    other = plan.model_copy(update={"measures": plan.measures[1:]})
    from tests.ingest.generated.roundtrip import printed, read, write
    from tests.ingest.generated.score import score

    got = read(write(other, "docx", tmp_path / "other.docx"))
    worse = score(printed(plan), got).totals()
    assert tally.totals()["measure_f1"] == 1.0
    assert worse["measure_f1"] is not None and worse["measure_f1"] < 1.0


def test_the_document_has_the_parts_of_a_published_plan(tmp_path: Path) -> None:
    from docx import Document

    from tests.ingest.generated.roundtrip import write

    plan = load_sample(DEMO_B)
    path = write(plan, "docx", tmp_path / "plan.docx", contact={"section": "総務課", "email": "x@example.jp"})
    doc = Document(io.BytesIO(path.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert texts.index(plan.title) < texts.index("目　次") < texts.index(headings[0])  # cover, contents
    assert any(t.startswith("計画期間：令和6年度～令和10年度") for t in texts)
    kinds = [s.kind for s in plan.sections]
    chapter_titles = [h.split("　", 1)[1] for h in headings if h.startswith("第")]
    template = ["situation", "purpose", "period", "structure", "policy", "measures", "security"]
    by_kind = {s.kind: s.title for s in plan.sections}
    assert [t for t in chapter_titles if t in by_kind.values()] == [
        by_kind[k] for k in template if k in kinds
    ]
    assert chapter_titles[-2:] == ["工程表", "施策の柱と重点分野"] and headings[-1] == "問い合わせ先"
    assert "施策体系図" in texts and len(doc.inline_shapes) == 2 * len(plan.policies)  # tree + Gantt each
    assert "総務課" in texts[-2] and "x@example.jp" in texts[-1]
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.font.name}
    assert "IPAexGothic" in fonts and doc.styles["Normal"].font.name == "IPAexMincho"


def test_pdf_embeds_ipaex_and_keeps_markup_inert(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from tests.ingest.generated.roundtrip import write

    plan = from_generated(grammar.generate(6))
    plan = plan.model_copy(update={"title": plan.title + "<script>alert(1)</script>"})
    path = write(plan, "pdf", tmp_path / "plan.pdf")
    raw = path.read_bytes()
    import pdfplumber

    from keikaku.export.plan_pdf import fonts

    assert {f.name for f in fonts().values()} == {"ipaexg.ttf", "ipaexm.ttf"}  # fonts-ipaexfont
    with pdfplumber.open(path) as pdf_:
        used = {c["fontname"].split("+")[-1] for page in pdf_.pages[:4] for c in page.chars}
    assert {"KeikakuMincho", "KeikakuGothic"} <= used  # text in 明朝, headings and tables in ゴシック
    pdf = pdfium.PdfDocument(raw)
    try:
        first = "".join(pdf[0].get_textpage().get_text_range().split())
        second = "".join(pdf[1].get_textpage().get_text_range().split())
        assert "<script>alert(1)</script>" in first  # printed as text, never markup
        assert second.startswith("目次") and "工程表" in second
    finally:
        pdf.close()


def test_a_draft_with_blanks_prints_and_reads_back(tmp_path: Path) -> None:
    """A plan drafted from the catalogue (no departments, KPI skeletons without values, no schedule, the
    example's schedule text in the description) prints with 【要記入】 where the author has to write and
    still reads back as the same measures and indicators."""
    from keikaku.core import plan as core

    plan = from_generated(grammar.generate(7))
    measures = [
        m.model_copy(
            update={
                "departments": [],
                "schedule": [],
                "description": f"{m.description}\n\n〈スケジュール〉\n令和12年度までに【要記入】件を達成",
                "kpis": [core.Kpi(indicator=k.indicator, unit=k.unit) for k in m.kpis],
            }
        )
        for m in plan.measures
    ]
    draft = plan.model_copy(update={"measures": measures})
    for fmt_, as_draft in (("docx", True), ("pdf", True), ("pdf", False)):  # blanks 【要記入】 / －
        tally, differences = roundtrip(draft, fmt_, tmp_path, f"draft-{fmt_}-{as_draft}", draft=as_draft)
        got = tally.totals()
        assert got["measure_f1"] == 1.0 and (got["kpi_f1"] or 0) >= 0.98, (fmt_, as_draft, differences[:5])
