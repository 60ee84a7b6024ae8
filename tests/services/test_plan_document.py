"""The plan as a document from the stored plan: `keikaku export PLAN --to docx|pdf`, the plan page's
downloads (/plans/<id>/plan.docx, plan.pdf) and the use case behind both — real DOCX and PDF files,
read back with python-docx / the importer. Who may download what is in tests/permissions/test_matrix.py."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from keikaku.cli import main
from keikaku.services.errors import NotFound
from keikaku.services.plan_document import OPERATOR, plan_document, plan_document_render
from keikaku.services.plans import plan_export, plan_save
from tests.factories import make_plan
from tests.people import NOW, make_people

pytestmark = pytest.mark.django_db


def _stored(plan=None, **contact: str):
    row = plan_save(plan or make_plan(5), now=NOW)
    row.contact = contact
    row.save()
    return row


def test_export_writes_a_docx_that_imports_back_as_the_plan(tmp_path: Path, capsys) -> None:
    from keikaku.demo import SAMPLE_PLAN, load_sample
    from keikaku.ingest import import_document
    from tests.ingest.generated.roundtrip import printed
    from tests.ingest.generated.score import score

    row = _stored(
        load_sample(SAMPLE_PLAN.with_name("sample_plan_b.json")), section="情報政策課", phone="0000-11-2222"
    )
    out = tmp_path / "plan.docx"
    assert main(["export", str(row.pk), "--to", "docx", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    got = import_document(out).model_dump(mode="json", exclude_none=True)
    result = score(printed(plan_export(row.pk)), got).totals()
    assert result["measure_f1"] == result["kpi_f1"] == result["schedule"] == 1.0, result
    assert len(got["measures"]) == len(plan_export(row.pk).measures) == 14
    from docx import Document

    texts = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert any("情報政策課" in t for t in texts) and any("0000-11-2222" in t for t in texts)


def test_export_pdf_default_name_and_unknown_plan(tmp_path: Path, monkeypatch, capsys) -> None:
    row = _stored()
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(row.pk), "--to", "pdf"]) == 0
    written = tmp_path / f"plan-{row.pk}.pdf"
    assert capsys.readouterr().out.strip() == written.name
    assert written.read_bytes().startswith(b"%PDF")
    assert main(["export", "999999", "--to", "pdf"]) == 3


def test_the_cover_date_is_the_plans_month_or_today() -> None:
    row = _stored()
    row.published = ""  # no publication month stated: the month of the day it is printed
    row.save()
    assert plan_document(OPERATOR, row.pk, today=date(2026, 1, 15)).date == "令和8年1月"
    row.published = "2025-03"
    row.save()
    assert plan_document(OPERATOR, row.pk, today=date(2026, 1, 15)).date == "令和7年3月"


def test_drafts_only_for_members_and_published_for_everyone() -> None:
    from django.contrib.auth.models import AnonymousUser

    p = make_people()
    assert plan_document(AnonymousUser(), p.plan_a.pk, today=NOW.date()).title == p.plan_a.title
    p.plan_a.status = "draft"
    p.plan_a.save()
    assert plan_document(p.bob, p.plan_a.pk, today=NOW.date()).title == p.plan_a.title
    for outsider in (AnonymousUser(), p.charlie):
        with pytest.raises(NotFound):
            plan_document(outsider, p.plan_a.pk, today=NOW.date())


def test_plan_page_links_and_serves_both_documents() -> None:
    p = make_people()
    client = Client()
    page = client.get(f"/plans/{p.plan_a.pk}/").content.decode()
    assert (
        f'href="/plans/{p.plan_a.pk}/plan.pdf"' in page and f'href="/plans/{p.plan_a.pk}/plan.docx"' in page
    )
    pdf = client.get(f"/plans/{p.plan_a.pk}/plan.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf["X-Content-Type-Options"] == "nosniff"
    docx = client.get(f"/plans/{p.plan_a.pk}/plan.docx")
    assert docx.status_code == 200 and docx["Content-Disposition"].startswith("attachment")
    from docx import Document

    texts = [para.text for para in Document(io.BytesIO(docx.content)).paragraphs]
    assert p.plan_a.title in texts  # the factories' <script> title, as text
    assert client.get("/plans/999999/plan.pdf").status_code == 404
    assert client.post(f"/plans/{p.plan_a.pk}/plan.pdf").status_code == 405


def test_render_refuses_an_unknown_format() -> None:
    from keikaku.services.errors import ServiceError

    doc = plan_document(OPERATOR, _stored().pk, today=NOW.date())
    with pytest.raises(ServiceError):
        plan_document_render(doc, "odt")
