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


def test_debug_log_traces_the_recognisers(tmp_path: Path) -> None:
    """KEIKAKU_LOG_LEVEL=DEBUG shows which recogniser found what, from the child process that reads."""
    import os
    import subprocess
    import sys

    path = tmp_path / "plan.txt"
    path.write_text("ひばり町DX推進計画\n\n第1章 施策\n(1) 窓口の電子化\n担当：住民課\n", encoding="utf-8")
    env = dict(os.environ, KEIKAKU_LOG_LEVEL="DEBUG")
    code = "import sys; from keikaku.cli import main; sys.exit(main())"
    out = subprocess.run(
        [sys.executable, "-c", code, "import", str(path), "--to", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "recogniser labelled: 1 candidates (new 1)" in out.stderr
    assert "measure '窓口の電子化' from labelled" in out.stderr
