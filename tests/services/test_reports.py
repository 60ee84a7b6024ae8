"""The yearly evaluation report as HTML, DOCX and PDF: content, escaping, Japanese text in the PDF."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdfium2 as pdfium
import pytest
from django.contrib.auth.models import AnonymousUser
from docx import Document

from keikaku.export.report_pdf import find_cjk_font
from keikaku.services.progress import (
    ReportInput,
    evaluation_save,
    progress_save,
)
from keikaku.services.reports import evaluation_report, evaluation_report_render
from tests.factories import XSS
from tests.people import NOW, People, approve_bob_report, make_people

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 1)


@pytest.fixture
def people(db) -> People:
    p = make_people()
    approve_bob_report(p, f"窓口で案内した{XSS}")
    evaluation_save(
        p.alice, p.bob_measure, 2025, decision="継続", rationale=f"対象を広げる{XSS}", revision=0, now=NOW
    )
    return p


def test_report_content_and_escaping(people: People) -> None:
    report = evaluation_report(people.alice, people.plan_a, 2025, today=TODAY)
    first = report.measures[0]
    assert first.status == "順調" and first.decision == "継続" and first.kpis[0].attainment == "50%"
    html = evaluation_report_render(report, "html").decode()
    assert XSS not in html and "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    assert "&lt;継続&gt;" in html and "窓口で案内した" in html and "令和7年度" in html
    assert html.count("<svg") >= 2  # pillar chart + the KPI trend
    assert "<title" in html and "<desc" in html and '<th scope="col">項目</th>' in html


def test_outsiders_see_approved_reports_only(people: People) -> None:
    other = people.plan_a.measures.order_by("order")[1]
    progress_save(
        people.alice,
        other,
        people.period_a,
        ReportInput(status="遅れ", narrative="下書き"),
        revision=0,
        now=NOW,
    )
    public = evaluation_report(AnonymousUser(), people.plan_a, 2025, today=TODAY)
    assert [m.status for m in public.measures[:2]] == ["順調", ""]
    member = evaluation_report(people.alice, people.plan_a, 2025, today=TODAY)
    assert [m.status for m in member.measures[:2]] == ["順調", "遅れ"]


def test_docx(people: People) -> None:
    data = evaluation_report_render(evaluation_report(people.alice, people.plan_a, 2025, today=TODAY), "docx")
    doc = Document(io.BytesIO(data))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["項目", "現状", "評価と方向性"]
    assert XSS in table.rows[1].cells[0].text  # plain text in Word, never markup
    assert "<継続>" in table.rows[1].cells[2].text
    assert doc.inline_shapes, "the pillar chart is a picture"
    assert any("KPI" in p.text for p in doc.paragraphs)


def test_pdf_text_is_japanese(people: People) -> None:
    if find_cjk_font() is None:
        pytest.skip("no Japanese font installed (apt-get install fonts-ipaexfont)")
    data = evaluation_report_render(evaluation_report(people.alice, people.plan_a, 2025, today=TODAY), "pdf")
    assert data.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(data)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    compact = re.sub(r"\s+", "", text)
    assert "施策の評価と方向性" in compact and "評価と方向性" in compact
    assert "窓口で案内した" in compact and "<script>" in compact  # shown as text
    assert "令和7年度" in compact
    assert not re.search(r"[\ufffd]", text)


def test_unknown_format(people: People) -> None:
    from keikaku.services.errors import ServiceError

    with pytest.raises(ServiceError):
        evaluation_report_render(evaluation_report(people.alice, people.plan_a, 2025, today=TODAY), "exe")
