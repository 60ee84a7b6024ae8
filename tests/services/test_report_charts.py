"""The KPI charts of the evaluation report: in the PDF every x-axis label (年度) is drawn whole — the
PDF's pages are rendered with pdftoppm and each label's characters must have ink inside their boxes —,
and the DOCX carries the same charts as pictures."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx import Document
from PIL import Image

from keikaku.export.report_pdf import find_cjk_font
from keikaku.services.progress import evaluation_save
from keikaku.services.reports import evaluation_report, evaluation_report_render
from tests.people import NOW, People, approve_bob_report, make_people

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 1)
YEAR = re.compile(r"(?<![（(])令和\d+年度(?![ ]?[(（)）])")  # an axis label, not 10件（令和6年度） in a table


@pytest.fixture
def people(db) -> People:
    p = make_people()
    approve_bob_report(p, "窓口で案内した")
    kpi = p.bob_measure.kpis.first()
    kpi.targets.all().delete()
    kpi.targets.create(order=0, value="60件", fiscal_year=2029)  # the last year on the x axis: 令和11年度
    evaluation_save(p.alice, p.bob_measure, 2025, decision="継続", rationale="", revision=0, now=NOW)
    return p


def _label_boxes(page: pdfium.PdfPage) -> list[tuple[str, list[tuple[float, float, float, float]]]]:
    """Each 令和N年度 on the page with its characters' boxes (left, bottom, right, top in points)."""
    tp = page.get_textpage()
    text = tp.get_text_range()
    out = []
    for m in YEAR.finditer(text):
        boxes = [tp.get_charbox(i) for i in range(m.start(), m.end())]
        out.append((m.group(0), boxes))
    return out


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None or find_cjk_font() is None, reason="pdftoppm / a Japanese font"
)
def test_pdf_chart_axis_labels_are_not_clipped(people: People, tmp_path: Path) -> None:
    data = evaluation_report_render(evaluation_report(people.alice, people.plan_a, 2025, today=TODAY), "pdf")
    pdf_path = tmp_path / "report.pdf"
    pdf_path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "144", "-png", str(pdf_path), str(tmp_path / "page")], check=True, timeout=120
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    pdf = pdfium.PdfDocument(data)
    assert len(pages) == len(pdf)
    checked = 0
    for i, png in enumerate(pages):
        page = pdf[i]
        width, height = page.get_size()
        image = Image.open(png).convert("L")
        scale = image.width / width
        rects = [
            o.get_bounds() for o in page.get_objects(max_depth=5) if o.type == pdfium_c.FPDF_PAGEOBJ_PATH
        ]
        for label, boxes in _label_boxes(page):
            # inside the drawing: within the chart's white background (the widest path around the label)
            lx0, ly0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
            lx1, ly1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
            assert any(
                r[0] - 0.5 <= lx0
                and lx1 <= r[2] + 0.5
                and r[1] - 0.5 <= ly0
                and ly1 <= r[3] + 0.5
                and r[2] - r[0] > 200
                for r in rects
            ), f"page {i + 1}: {label} is outside the chart"
            for ch, (left, bottom, right, top) in zip(label, boxes, strict=True):
                assert 0 <= left < right <= width and 0 <= bottom < top <= height, (label, ch)
                if ch not in "令和年度":  # digits may be narrow; these four fill their box
                    continue
                # the character's box in the rendered page: ink in its left and its right third, i.e.
                # drawn whole, not cut at the edge of the chart
                x0, x1 = left * scale, right * scale
                y0, y1 = int((height - top) * scale), int((height - bottom) * scale) + 1
                third = (x1 - x0) / 3
                for a, b in ((x0, x0 + third), (x1 - third, x1)):
                    dark = sum(image.crop((int(a), y0, int(b) + 1, y1)).histogram()[:128])
                    assert dark > 0, f"page {i + 1}: {ch} of {label} is not drawn whole (clipped)"
            checked += 1
    pdf.close()
    years = {
        "令和6年度",
        "令和7年度",
        "令和11年度",
    }  # baseline, the actual, the target: first and last on the axis
    assert checked >= len(years)


def test_docx_carries_the_kpi_charts(people: People) -> None:
    data = evaluation_report_render(evaluation_report(people.alice, people.plan_a, 2025, today=TODAY), "docx")
    doc = Document(io.BytesIO(data))
    pictures = doc.inline_shapes
    assert len(pictures) >= 2  # the pillar chart and the KPI trend of Bob's measure
    texts = [p.text for p in doc.paragraphs]
    assert any("の推移" in t for t in texts)  # each chart is named in the text next to it
    images = [r for r in doc.part.related_parts.values() if r.content_type == "image/png"]
    sizes = [Image.open(io.BytesIO(im.blob)).size for im in images]
    assert all(w > 300 and h > 100 for w, h in sizes)
