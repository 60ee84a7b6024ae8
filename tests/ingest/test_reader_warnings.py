"""What a reader could not read as written reaches the user: the plan's source.warnings, and the CLI's
standard error, in Japanese first."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.cli import main
from keikaku.ingest import import_document
from tests.ingest.doc_fixtures import write_plan_pdf


def test_dropped_running_headers_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = write_plan_pdf(tmp_path / "plan.pdf", pages=6)
    plan = import_document(pdf)
    assert plan.source is not None
    warnings = plan.source.warnings or []
    assert any("ヘッダー・フッター・ページ番号" in w for w in warnings), warnings
    assert main(["import", str(pdf), "--to", "json"]) == 0
    err = capsys.readouterr().err
    assert "注意 / warning:" in err and "ヘッダー・フッター・ページ番号" in err
