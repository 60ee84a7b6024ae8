"""Every parse is bounded (keikaku.services.bounded): a child process under a wall-time and an address-space
limit; only domain errors come out, as one clear line (CLI exit 2), and nothing is stored. Duplicates of a
stored document are refused unless --force; imports are drafts unless --publish."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from keikaku.cli import main
from keikaku.db.plans import models as m
from keikaku.services.bounded import (
    ImportFailed,
    Limits,
    ParseTimeout,
    ParseTooLarge,
    _child,
    document_parse,
)
from keikaku.services.imports import DuplicateDocument, plan_import
from tests.ingest import doc_fixtures as fixtures

NOW = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixtures.write_plan_pdf(tmp_path_factory.mktemp("pdf") / "plan100.pdf", pages=100)


def test_a_parse_returns_the_plan_from_the_child(tmp_path: Path) -> None:
    path = fixtures.write_plan_html(tmp_path / "plan.html")
    plan = document_parse(path)
    assert plan.measures and plan.source and plan.source.format == "html"


def test_over_the_time_limit_the_child_is_killed(big_pdf: Path) -> None:
    with pytest.raises(ParseTimeout) as err:
        document_parse(big_pdf, limits=Limits(timeout=0.05, memory_mb=0))
    assert err.value.code == "timeout" and "時間内に読み取れませんでした" in str(err.value)
    assert "KEIKAKU_IMPORT_TIMEOUT" in str(err.value)
    assert [p for p in multiprocessing.active_children() if p.name.startswith("keikaku-parse")] == []


# an address space the 100-page PDF does not fit in: its import peaks at 150–200 MB (2026-12-03; it needed
# more before the importer stopped loading scipy.special), a child starts at well under this
SMALL_MB = 120


def test_over_the_memory_limit_is_too_large(big_pdf: Path) -> None:
    with pytest.raises(ParseTooLarge) as err:
        document_parse(big_pdf, limits=Limits(timeout=60, memory_mb=SMALL_MB))
    assert err.value.code == "too_large" and "大きすぎて読み取れません" in str(err.value)
    assert "KEIKAKU_IMPORT_MEMORY_MB" in str(err.value)


def test_a_reader_error_keeps_its_code(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ImportFailed) as err:
        document_parse(tmp_path / "empty.txt")
    assert err.value.code == "empty"


def test_any_other_exception_in_the_child_is_one_line_for_the_caller() -> None:
    """The child's contract: a bug is an answer ("bug", its name, the traceback for the log), never a
    crash of the caller; document_parse turns it into ImportFailed("internal") with one line."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    # in a child of its own: _child sets CPU and memory limits on the process that runs it
    proc = multiprocessing.get_context("fork").Process(
        target=_child,
        args=(sender, None, "x.txt", None, 0, 60),  # Path(None): TypeError
    )
    proc.start()
    status, name, details = receiver.recv()
    proc.join(30)
    assert (status, name) == ("bug", "TypeError") and "Traceback" in details


def test_cli_reports_the_limit_in_one_line_and_exits_2(
    big_pdf: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KEIKAKU_IMPORT_MEMORY_MB", str(SMALL_MB))
    assert main(["import", str(big_pdf), "--to", "json"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "大きすぎて読み取れません" in out.err and "Traceback" not in out.err
    assert len(out.err.strip().splitlines()) == 1


def test_bad_limit_settings_stop_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEIKAKU_IMPORT_TIMEOUT", "0")
    with pytest.raises(SystemExit, match="KEIKAKU_IMPORT_TIMEOUT"):
        Limits.from_env()
    monkeypatch.setenv("KEIKAKU_IMPORT_TIMEOUT", "soon")
    with pytest.raises(SystemExit, match="KEIKAKU_IMPORT_TIMEOUT"):
        Limits.from_env()


# ---- drafts unless --publish; duplicates ---------------------------------------------------------


@pytest.mark.django_db
def test_cli_import_is_a_draft_unless_publish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = fixtures.write_plan_html(tmp_path / "a.html")
    assert main(["import", str(a)]) == 0
    assert "(draft)" in capsys.readouterr().out
    assert m.Plan.objects.get().status == m.DRAFT
    b = fixtures.write_plan_docx(tmp_path / "b.docx")
    assert main(["import", "--publish", str(b)]) == 0
    assert m.Plan.objects.order_by("-pk").first().status == m.PUBLISHED  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_same_document_twice_is_refused_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fixtures.write_plan_html(tmp_path / "plan.html")
    first = plan_import(path, now=NOW)
    with pytest.raises(DuplicateDocument) as err:
        plan_import(path, now=NOW)
    assert err.value.code == "duplicate" and f"計画 {first.stored_id}" in str(err.value)
    assert f"/manage/plans/{first.stored_id}/" in str(err.value) and "--force" in str(err.value)
    assert m.Plan.objects.count() == 1

    assert main(["import", str(path)]) == 2
    err_text = capsys.readouterr().err
    assert "同じ文書がすでに取り込まれています" in err_text and "Traceback" not in err_text
    assert m.Plan.objects.count() == 1

    assert main(["import", "--force", str(path)]) == 0
    second = m.Plan.objects.order_by("-pk").first()
    assert second is not None and second.pk != first.stored_id
    assert second.previous_id == first.stored_id and second.status == m.DRAFT
    # a dry run says so and stores nothing
    result = plan_import(path, now=NOW, store=False)
    assert result.duplicate_of == second.pk and any("already stored" in x for x in result.summary_lines())
    assert m.Plan.objects.count() == 2


@pytest.mark.django_db
def test_the_same_file_for_another_organisation_is_not_a_duplicate(tmp_path: Path) -> None:
    path = fixtures.write_plan_html(tmp_path / "plan.html")
    first = plan_import(path, now=NOW)
    m.Plan.objects.filter(pk=first.stored_id).update(
        organisation=m.Organisation.objects.create(name="別の町", prefecture="架空県")
    )
    assert plan_import(path, now=NOW).stored_id is not None
