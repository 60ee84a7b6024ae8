"""plan_import: a real document → stored plan with its source file; bad input stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import override_settings

from keikaku.cli import main
from keikaku.db.plans import models as m
from keikaku.services.imports import ImportFailed, plan_import
from keikaku.services.plans import plan_export
from tests.ingest import doc_fixtures as fixtures

NOW = datetime(2026, 5, 1, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def test_import_docx_stores_plan_and_source(tmp_path: Path) -> None:
    path = fixtures.write_plan_docx(tmp_path / "みどり市計画.docx")
    result = plan_import(path, now=NOW)
    assert result.stored_id is not None
    row = m.Plan.objects.get(pk=result.stored_id)
    assert bytes(row.source_file.content) == path.read_bytes()
    exported = plan_export(row.pk)
    assert exported == result.document
    assert exported.source and exported.source.format == "docx"
    assert all(ms.provenance and ms.provenance.text for ms in exported.measures)
    assert any("measures" in line for line in result.summary_lines())


def test_dry_run_stores_nothing(tmp_path: Path) -> None:
    path = fixtures.write_plan_html(tmp_path / "plan.html")
    result = plan_import(path, now=NOW, store=False)
    assert result.stored_id is None and result.document.measures
    assert m.Plan.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "empty"),
        ("broken.pdf", b"%PDF-1.4 not really", "corrupt"),
        ("diary.txt", "今日は晴れ。散歩をした。\n".encode(), "not_a_plan"),
        ("blob.bin", bytes(range(256)) * 8, "unsupported"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_stored(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as err:
        plan_import(path, now=NOW)
    assert err.value.code == code
    assert m.Plan.objects.count() == 0 and m.Organisation.objects.count() == 0


def test_encrypted_and_image_only_pdfs(tmp_path: Path) -> None:
    enc = fixtures.write_plan_pdf(tmp_path / "enc.pdf", encrypt_password="secret")
    img = fixtures.write_image_only_pdf(tmp_path / "scan.pdf")
    for path, code in ((enc, "encrypted"), (img, "needs_ocr")):
        with pytest.raises(ImportFailed) as err:
            plan_import(path, now=NOW)
        assert err.value.code == code
    assert m.Plan.objects.count() == 0


def test_size_limit_is_a_setting(tmp_path: Path) -> None:
    path = fixtures.write_plan_html(tmp_path / "plan.html")
    with override_settings(KEIKAKU_IMPORT_MAX_BYTES=100):
        with pytest.raises(ImportFailed) as err:
            plan_import(path, now=NOW)
    assert err.value.code == "too_large" and "KEIKAKU_IMPORT_MAX_BYTES" in str(err.value)


def test_cli_imports_a_folder_and_reports_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixtures.write_plan_docx(tmp_path / "a.docx")
    fixtures.write_plan_pdf(tmp_path / "b.pdf")
    (tmp_path / "c.txt").write_bytes(b"")
    assert main(["import", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "2 imported, 1 failed" in captured.err
    assert "Traceback" not in captured.err
    assert m.Plan.objects.count() == 2


def test_cli_import_as_draft_is_not_public(tmp_path: Path, client) -> None:
    path = fixtures.write_plan_html(tmp_path / "plan.html")
    assert main(["import", "--draft", str(path)]) == 0
    row = m.Plan.objects.get()
    assert row.status == "draft"
    assert client.get(f"/plans/{row.pk}/").status_code == 404
