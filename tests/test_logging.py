"""Logging: keikaku's loggers follow KEIKAKU_LOG_LEVEL (Django's stay at WARNING); at DEBUG an import
says which recogniser claimed what; at INFO every write use case says what it changed."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from keikaku.config import configure_logging, log_level, logging_config
from keikaku.demo import SAMPLE_PLAN, load_sample
from keikaku.ingest import import_document

PLAN_TEXT = (
    "ひばり町DX推進計画\n\n第1章 施策\n(1) 窓口の電子化\n担当：住民課\n(2) 公共施設の予約\n担当：総務課\n"
)


@pytest.fixture
def keikaku_level() -> Iterator[None]:
    logger = logging.getLogger("keikaku")
    before = logger.level
    yield
    logger.setLevel(before)


def test_the_level_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEIKAKU_LOG_LEVEL", raising=False)
    assert log_level() == "WARNING"
    monkeypatch.setenv("KEIKAKU_LOG_LEVEL", "debug")
    assert log_level() == "DEBUG"
    config = logging_config()
    assert config["loggers"]["keikaku"]["level"] == "DEBUG"
    assert config["root"]["level"] == "WARNING"  # Django's and the libraries' loggers: not governed by it
    monkeypatch.setenv("KEIKAKU_LOG_LEVEL", "verbose")
    with pytest.raises(SystemExit, match="KEIKAKU_LOG_LEVEL"):
        log_level()


def test_a_debug_import_says_which_recogniser_claimed_what(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, keikaku_level: None
) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    monkeypatch.setenv("KEIKAKU_LOG_LEVEL", "DEBUG")
    configure_logging()
    with caplog.at_level(logging.DEBUG, logger="keikaku"):
        plan = import_document(path)
    assert [m.title for m in plan.measures] == ["窓口の電子化", "公共施設の予約"]
    lines = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    size = len(PLAN_TEXT.encode("utf-8"))
    assert ("keikaku.ingest.readers", "DEBUG", f"plan.txt: {size} bytes, read as text") in lines
    assert any(
        n == "keikaku.ingest.extract" and "recogniser labelled: 2 candidates (new 2)" in m
        for n, _, m in lines
    )
    assert (
        "keikaku.ingest.extract",
        "DEBUG",
        "plan.txt: measure '窓口の電子化' from labelled at block 2",
    ) in lines
    assert ("keikaku.ingest", "INFO", "plan.txt: 2 measures") in lines


def test_at_warning_an_import_logs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, keikaku_level: None
) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    monkeypatch.setenv("KEIKAKU_LOG_LEVEL", "WARNING")
    configure_logging()
    caplog.set_level(logging.DEBUG)  # the handler takes everything: the keikaku logger's level decides
    logging.getLogger("keikaku").setLevel(log_level())
    import_document(path)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("keikaku")] == []


@pytest.mark.django_db
def test_a_write_use_case_logs_what_it_changed(caplog: pytest.LogCaptureFixture, keikaku_level: None) -> None:
    from keikaku.services.plans import plan_save

    with caplog.at_level(logging.INFO, logger="keikaku"):
        row = plan_save(load_sample(SAMPLE_PLAN), now=datetime(2026, 4, 1, tzinfo=UTC))
    expected = f"plan_save: {row.title} -> plan {row.pk} (by operator)"
    assert ("keikaku.services.plans", expected) in [(r.name, r.getMessage()) for r in caplog.records]


def test_the_command_line_honours_the_level(tmp_path: Path) -> None:
    """The CLI and the importer's child process both follow KEIKAKU_LOG_LEVEL."""
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    code = "import sys; from keikaku.cli import main; sys.exit(main())"
    err = {}
    for level in ("WARNING", "INFO", "DEBUG"):
        out = subprocess.run(
            [sys.executable, "-c", code, "import", str(path), "--to", "json"],
            env=dict(os.environ, KEIKAKU_LOG_LEVEL=level),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        err[level] = out.stderr
    assert "keikaku" not in err["WARNING"]
    assert "INFO keikaku.ingest: plan.txt: 2 measures" in err["INFO"] and "DEBUG" not in err["INFO"]
    assert "DEBUG keikaku.ingest.extract: plan.txt: recogniser labelled: 2 candidates (new 2)" in err["DEBUG"]
