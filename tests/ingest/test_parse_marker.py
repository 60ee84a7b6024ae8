"""keikaku.ingest.markers.parse_marker: the one reader of number markers, in a line and alone."""

from __future__ import annotations

import pytest

from keikaku.ingest.markers import parse_marker


@pytest.mark.parametrize(
    ("text", "written", "kind", "key", "rest"),
    [
        ("(1) 背景", "(1)", "paren_arabic", "(1)", "背景"),
        ("１－① オンライン申請", "１－①", "compound", "１－①", "オンライン申請"),
        ("Ⅱ．計画の位置付け", "Ⅱ．", "roman", "Ⅱ", "計画の位置付け"),
        ("第2章 基本方針", "第2章", "chapter", "第2章", "基本方針"),
        ("施策1-2 窓口の改善", "施策1-2", "word", "1-2", "窓口の改善"),
    ],
)
def test_a_marker_before_its_title(text: str, written: str, kind: str, key: str, rest: str) -> None:
    m, r = parse_marker(text)
    assert m is not None and (m.written, m.kind, m.key, r) == (written, kind, key, rest)


def test_no_marker() -> None:
    assert parse_marker("オンライン申請の拡充") == (None, "オンライン申請の拡充")
    assert parse_marker("2.5%の増加")[0] is None  # a number, not a section number
    assert parse_marker("(1)")[0] is None  # in a line, a marker needs a title after it


@pytest.mark.parametrize("marker", ["(1)", "1-①", "ア)", "2.1", "①"])
def test_a_marker_alone(marker: str) -> None:
    m, rest = parse_marker(marker, alone=True)
    assert m is not None and m.written == marker and rest == ""


def test_alone_reports_what_follows_the_marker() -> None:
    m, rest = parse_marker("(1) 目的", alone=True)
    assert m is not None and m.written == "(1)" and rest == "目的"
    assert parse_marker("目的", alone=True) == (None, "目的")
