"""Fields written as a definition list or as a bold label, read through the one field reader
(labelled.label_of): an HTML ``<dl>``, Markdown ``term`` / ``: value``, a text term line with its value
indented below, ``**担当課** 企画課`` in Markdown, ``<b>担当課</b>　企画課`` in HTML and a bold run then a
normal run in Word. Every snippet is a fictional plan written by hand; each form must give the same
measures, departments, KPIs and schedule."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest import import_document
from keikaku.ingest.blocks import BlockKind
from keikaku.ingest.extract.labelled import label_of
from keikaku.ingest.readers.html import read_html
from keikaku.ingest.readers.text import read_text
from tests.ingest.extract.summary import summary

# (key, title, description, [(label, value)]) — the fields of the fictional plan
FIELDS = [
    (
        "1-1",
        "電子申請の拡充",
        "来庁せずに済む手続を順次増やします。",
        [
            ("担当課", "かすみ野町企画課"),
            ("成果指標", "電子申請できる手続数"),
            ("現状値", "40手続（令和6年度）"),
            ("目標値", "120手続（令和9年度）"),
            ("スケジュール", "令和7年度 検討 → 令和8～9年度 実施"),
        ],
    ),
    (
        "1-2",
        "スマートフォン教室の開催",
        "公民館で操作の基本を学ぶ教室を開きます。",
        [
            ("所管部署", "生涯学習課、福祉課"),
            ("評価指標", "教室の参加者数"),
            ("実績値", "80人（令和6年度）"),
            ("目標", "300人（令和9年度）"),
            ("実施予定", "令和7～9年度 実施"),
        ],
    ),
]
EXPECTED = [
    (
        "1-1",
        "電子申請の拡充",
        ["かすみ野町企画課"],
        [("電子申請できる手続数", "40手続", "120手続", 2027)],
        {2025: "検討", 2026: "実施", 2027: "実施"},
    ),
    (
        "1-2",
        "スマートフォン教室の開催",
        ["生涯学習課", "福祉課"],
        [("教室の参加者数", "80人", "300人", 2027)],
        {2025: "実施", 2026: "実施", 2027: "実施"},
    ),
]
FRONT = ["かすみ野町デジタル推進計画", "計画期間：令和7年度から令和9年度まで", "施策の展開"]


def _import(path: Path, text: str) -> Plan:
    path.write_text(text, encoding="utf-8")
    plan = import_document(path)
    assert isinstance(plan, Plan)
    return plan


def _summary(plan: Plan) -> list[tuple]:
    return summary(plan)


def _md(field: str) -> str:
    lines = [f"# {FRONT[0]}", "", FRONT[1], "", f"## {FRONT[2]}", ""]
    for key, title, desc, fields in FIELDS:
        lines += [f"### {key} {title}", "", desc, ""]
        for label, value in fields:
            lines += [f"**{label}**　{value}", ""] if field == "bold" else [label, f": {value}", ""]
    return "\n".join(lines)


def _html(field: str) -> str:
    body = [f"<h1>{FRONT[0]}</h1>", f"<p>{FRONT[1]}</p>", f"<h2>{FRONT[2]}</h2>"]
    for n, (key, title, desc, fields) in enumerate(FIELDS):
        body += [f"<h3>{key} {title}</h3>", f"<p>{desc}</p>"]
        if field == "dl":
            body.append("<dl>" + "".join(f"<dt>{a}</dt><dd>{b}</dd>" for a, b in fields) + "</dl>")
        else:
            tag = "b" if n == 0 else "strong"
            body += [f"<p><{tag}>{a}</{tag}>　{b}</p>" for a, b in fields]
    return '<!DOCTYPE html><html lang="ja"><body>' + "\n".join(body) + "</body></html>"


def _txt() -> str:
    """A definition list as text: the term alone on its line, its value indented on the next."""
    lines = [FRONT[0], "", FRONT[1], "", f"1. {FRONT[2]}", ""]
    for key, title, desc, fields in FIELDS:
        lines += [f"{key} {title}", desc]
        for label, value in fields:
            lines += [label, f"　{value}"]
        lines.append("")
    return "\n".join(lines)


def _docx(path: Path) -> Path:
    """Word: each field a paragraph of a bold run (the label) and a normal run (the value)."""
    import docx

    d = docx.Document()
    d.add_heading(FRONT[0], level=0)
    d.add_paragraph(FRONT[1])
    d.add_heading(FRONT[2], level=1)
    for key, title, desc, fields in FIELDS:
        d.add_heading(f"{key} {title}", level=2)
        d.add_paragraph(desc)
        for label, value in fields:
            p = d.add_paragraph()
            p.add_run(label).bold = True
            p.add_run(f"　{value}")
    d.save(path)
    return path


@pytest.mark.parametrize("field", ["bold", "dl"])
def test_markdown_bold_labels_and_definitions(field: str, tmp_path: Path) -> None:
    plan = _import(tmp_path / "kasumino.md", _md(field))
    assert _summary(plan) == EXPECTED


@pytest.mark.parametrize("field", ["bold", "dl"])
def test_html_bold_labels_and_definition_lists(field: str, tmp_path: Path) -> None:
    plan = _import(tmp_path / "kasumino.html", _html(field))
    assert _summary(plan) == EXPECTED


def test_text_terms_with_indented_values(tmp_path: Path) -> None:
    """The indicator under 成果指標 reads like a short title; as the value of the term above it, it is
    the KPI (not a second measure's title)."""
    plan = _import(tmp_path / "kasumino.txt", _txt())
    assert _summary(plan) == EXPECTED


def test_docx_bold_run_labels(tmp_path: Path) -> None:
    plan = import_document(_docx(tmp_path / "kasumino.docx"))
    assert isinstance(plan, Plan)
    assert _summary(plan) == EXPECTED


def test_bold_label_before_a_number_is_no_heading_marker() -> None:
    """<b>目標</b>　8サービス: the "marker" 目標 8 would run from bold into normal type, so it is none — the
    block is a paragraph carrying its bold label (a heading 基本目標1 set wholly in bold keeps its marker)."""
    blocks = read_html(
        "<p><b>目標</b>　8サービス（令和9年度）</p><p><b>基本目標1</b> 住民サービスの向上</p>"
    ).blocks
    assert [(b.kind, b.marker, b.text) for b in blocks] == [
        (BlockKind.PARAGRAPH, None, "目標　8サービス（令和9年度）"),
        (BlockKind.HEADING, "基本目標1", "住民サービスの向上"),
    ]


def test_markdown_bold_runs_are_a_style_hint_and_sentences_stay_prose() -> None:
    """The text keeps its asterisks (as written); the bold run is recorded for the field reader. A bold
    word opening a sentence is no label: the measure has no KPI from it."""
    blocks = read_text(
        "**担当課** 企画課\n\n**目標**を達成するため、研修を行います。\n".encode(), "a.md"
    ).blocks
    assert [b.text for b in blocks] == ["**担当課** 企画課", "**目標**を達成するため、研修を行います。"]
    assert label_of(blocks[0]) == ("department", "企画課")
    assert label_of(blocks[1]) is None
    assert label_of(replace(blocks[0], style=None)) is None  # without the bold run: 担当課 企画課 is text


def test_markdown_definition_needs_a_short_term() -> None:
    """': …' under a long line (a sentence) is not a definition list: both lines stay as written."""
    text = "これは長い説明の文であり、定義語ではありません。続きも同じ段落です。\n: 値\n"
    blocks = read_text(text.encode(), "a.md").blocks
    assert all(b.style != "dl" for b in blocks)
    assert read_text("担当課\n: 企画課\n".encode(), "b.md").blocks[0].text == "担当課：企画課"


def test_numbered_label_lines_of_a_kpi_progress_page(tmp_path: Path) -> None:
    """A progress page numbers its KPI labels (目標1_指標：…, 目標1_現状値：…, 指標2：…): the number and
    its group word are no part of the label."""
    text = (
        "しらかば町 DX推進計画 進捗状況\n\n"
        "取組項目1：マイナンバーカードの普及促進\n目標1_指標：マイナンバーカード交付率\n"
        "目標1_現状値：62％（令和5年度）\n目標1_目標値：90％（令和8年度）\n担当課：住民課\n\n"
        "取組項目2：公共施設予約のオンライン化\n指標2：オンライン予約件数\n"
        "現状値2：0件（令和5年度）\n目標値2：1,200件（令和8年度）\n担当課：生涯学習課\n"
    )
    path = tmp_path / "progress.txt"
    path.write_text(text, encoding="utf-8")
    plan = import_document(path)
    got = [
        (
            m.title,
            m.departments,
            [(k.indicator, k.baseline.value if k.baseline else None, k.targets[-1].value) for k in m.kpis],
        )
        for m in plan.measures
    ]
    assert got == [
        ("マイナンバーカードの普及促進", ["住民課"], [("マイナンバーカード交付率", "62%", "90%")]),
        ("公共施設予約のオンライン化", ["生涯学習課"], [("オンライン予約件数", "0件", "1,200件")]),
    ]
