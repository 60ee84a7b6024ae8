"""A document in which no measure is found is an error that says what was read — never an empty plan
that looks like success (CLI exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.cli import main
from keikaku.ingest import NoMeasuresFound, import_document

NEWSLETTER = """ほしぞら町 広報 12月号

図書館の休館日
年末年始は図書館を休館します。

ごみの収集日
12月31日から1月3日までは収集しません。
"""


def test_no_measures_is_an_error_naming_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "kouhou.txt"
    path.write_text(NEWSLETTER, encoding="utf-8")
    with pytest.raises(NoMeasuresFound) as exc:
        import_document(path)
    assert exc.value.code == "not_a_plan"
    assert "施策が見つかりませんでした" in str(exc.value)
    assert "段落" in str(exc.value) and "見出し" in str(exc.value)


def test_cli_exits_2_and_prints_no_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kouhou.txt"
    path.write_text(NEWSLETTER, encoding="utf-8")
    assert main(["import", str(path), "--to", "json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "施策が見つかりませんでした" in err
