"""Fixture documents for the reader tests, generated once per session (python-docx, reportlab)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest import doc_fixtures as fixtures


@pytest.fixture(scope="session")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("reader_docs")
    fixtures.write_plan_docx(d / "plan.docx")
    fixtures.write_plan_pdf(d / "plan.pdf")
    fixtures.write_plan_pdf(d / "plan6.pdf", pages=6)
    fixtures.write_plan_pdf(d / "locked.pdf", encrypt_password="midori")
    fixtures.write_image_only_pdf(d / "scan.pdf")
    fixtures.write_plan_html(d / "plan_utf8.html", "utf-8")
    fixtures.write_plan_html(d / "plan_sjis.html", "shift_jis")
    return d
