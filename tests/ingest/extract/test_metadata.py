"""A plan's identity read from its structure (keikaku.ingest.extract.metadata): title, organisation and
period, from small fictional documents (no text from real plans) in text, HTML, DOCX and XLSX."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.core.plan import OrganisationKind, Period
from keikaku.ingest import import_document
from keikaku.ingest.blocks import Block
from keikaku.ingest.extract.metadata import find_organisation, find_period, find_title
from keikaku.ingest.extract.outline import build_outline
from keikaku.ingest.readers import read_document
from keikaku.ingest.readers.text import read_text


def _blocks(text: str) -> list[Block]:
    return read_text(text.encode(), "plan.txt").blocks


def _period(blocks: list[Block]) -> tuple[int | None, int | None]:
    p = find_period(blocks, build_outline(blocks))
    return p.start_fy, p.end_fy


def _text_period(text: str) -> tuple[int | None, int | None]:
    return _period(_blocks(text))


def _docx(path: Path, lines: list[tuple[str, str]]) -> Path:
    """(style, text) paragraphs: "Title", "Heading 1", "Heading 2" or "" for body text."""
    import docx

    d = docx.Document()
    for style, text in lines:
        if style:
            d.add_paragraph(text, style=style)
        else:
            d.add_paragraph(text)
    d.save(str(path))
    return path


def _html(path: Path, body: str) -> Path:
    path.write_text(
        f"<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'><title>ファイル名ではない</title></head>"
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


# ---------------------------------------------------------------------------------------------------
# period: the plan's own statement, not another plan's

HOSHIMI = """\
星見町DX推進計画
令和6年3月
星見町

第1章 計画の策定にあたって
1 計画策定の趣旨
星見町では、「星見町情報化計画」（計画期間：令和2年度～令和5年度）に基づき、窓口の電子化に取り組んできました。前計画の期間が令和5年度で終了することから、新たに本計画を策定します。

第2章 計画期間
本計画の計画期間は、令和6年度から令和9年度までの4年間とします。
"""


def test_period_is_the_plans_own_not_a_previous_plans_in_the_background() -> None:
    assert _text_period(HOSHIMI) == (2024, 2027)


def test_period_own_statement_outside_a_period_chapter() -> None:
    text = """\
かざはな市情報化推進計画

1 はじめに
かざはな市は、第1次かざはな市情報化推進計画（平成30年度～令和4年度）の成果を引き継ぎ、この計画を定めます。この計画の期間は、令和5年度から令和9年度までの5年間です。
"""
    assert _text_period(text) == (2023, 2027)


def test_period_cover_label_wins_over_a_bracketed_other_plan() -> None:
    text = """\
ひなた市DX推進計画
計画期間：令和7年度～令和11年度
ひなた市

1 背景
これまでの計画（計画期間：令和2年度～令和6年度）では、庁内の無線LANを整えました。
本計画は、第6次ひなた市総合計画（令和3年度～令和12年度）の分野別計画です。
"""
    assert _text_period(text) == (2025, 2029)


def test_period_chapter_wins_over_a_cover_label() -> None:
    text = """\
ひなた市DX推進計画
計画期間：令和7年度～令和10年度

第3章 計画の期間
総合計画の後期基本計画と終期を合わせるため、令和7年度から令和11年度までとします。
"""
    assert _text_period(text) == (2025, 2029)


def test_period_only_of_other_plans_is_no_period() -> None:
    text = """\
こもれび町情報化計画

1 背景
前計画（令和元年度～令和5年度）に基づき、電子申請を導入しました。
国の「デジタル社会の実現に向けた重点計画」（令和6年度～令和8年度）も踏まえます。
"""
    assert _text_period(text) == (None, None)


def test_period_is_not_read_from_a_measures_schedule() -> None:
    text = """\
こもれび町情報化計画

1 取組
本計画では、令和7年度から令和9年度にかけて基幹系システムを標準準拠システムへ移行します。
"""
    assert _text_period(text) == (None, None)


def test_period_own_sentence_with_its_length_and_a_bare_cover_line() -> None:
    text = """\
ひなた市DX推進計画

1 はじめに
本計画は、令和7年度から令和11年度までの5年間に取り組む施策を定めます。
"""
    assert _text_period(text) == (2025, 2029)
    assert _text_period("ひなた市DX推進計画\n令和7年度～令和11年度\nひなた市\n") == (2025, 2029)
    # a schedule line near the top is not the plan's period
    assert _text_period("ひなた市DX推進計画\n\n窓口の電子化\n令和7年度～令和9年度　実施\n") == (None, None)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("本計画の期間は、令和7年4月～令和10年3月とします。", (2025, 2027)),
        ("本計画の期間は、2025年4月から2030年3月までとします。", (2025, 2029)),
        ("計画期間は、令和７年度から令和１１年度までの５年間とします。", (2025, 2029)),
        ("計画期間は、令和元年度から令和5年度までとします。", (2019, 2023)),
        ("計画期間は、平成31年度から平成35年度までとします。", (2019, 2023)),
        ("計画期間は、令和7～11年度の5年間です。", (2025, 2029)),
        ("計画期間は、令和7年度から5年間とします。", (2025, 2029)),
        ("計画期間は、令和7年度を初年度とする5か年とします。", (2025, 2029)),
        ("計画期間は、2025（令和7）年度～2029（令和11）年度とします。", (2025, 2029)),
        ("計画期間は、令和7年度から令和9年度までとし、毎年度見直しを行います。", (2025, 2027)),
        ("計画期間は、令和7年4月1日から令和12年3月31日までとします。", (2025, 2029)),
        ("【計画期間】R7～R9", (2025, 2027)),
        (
            "国の自治体DX推進計画の期間（令和3年度～令和7年度）に合わせ、令和5年度から令和7年度までとします。",
            (2023, 2025),
        ),
        (
            "第6次総合計画の計画期間は令和3年度から令和12年度までです。本計画は令和7年度から令和9年度までを対象とします。",
            (2025, 2027),
        ),
    ],
)
def test_period_statement_forms(statement: str, expected: tuple[int, int]) -> None:
    assert _text_period(f"ひなた市デジタル推進計画\n\n第2章 計画期間\n{statement}\n") == expected


def test_period_without_an_end_has_the_note_and_no_end() -> None:
    blocks = _blocks("ひなた市DX推進計画\n\n第2章 計画期間\n本計画は、計画期間は定めず、毎年度見直します。\n")
    p = find_period(blocks, build_outline(blocks))
    assert (p.start_fy, p.end_fy) == (None, None)
    assert p.note and "定めず" in p.note


def test_period_without_an_end_keeps_its_start_year() -> None:
    text = (
        "ひなた市DX推進計画\n\n1 計画の期間\n"
        "星見町情報化計画（平成30年度～令和4年度）に続き、本計画は令和5年度から開始し、計画期間は定めず、"
        "毎年度見直しを行います。\n"
    )
    blocks = _blocks(text)
    p = find_period(blocks, build_outline(blocks))
    assert (p.start_fy, p.end_fy) == (2023, None)
    assert p.note and "毎年度" in p.note


def test_period_from_docx_and_html(tmp_path: Path) -> None:
    docx_path = _docx(
        tmp_path / "hoshimi.docx",
        [
            ("Title", "星見町DX推進計画"),
            ("", "令和6年3月"),
            ("Heading 1", "計画の策定にあたって"),
            (
                "",
                "「星見町情報化計画」（計画期間：令和2年度～令和5年度）に基づき、窓口の電子化に取り組んできました。",
            ),
            ("Heading 1", "計画期間"),
            ("", "本計画の計画期間は、令和6年4月から令和10年3月までの4年間とします。"),
        ],
    )
    html_path = _html(
        tmp_path / "hoshimi.html",
        "<h1>星見町DX推進計画</h1><p>令和6年3月</p><h2>計画の策定にあたって</h2>"
        "<p>「星見町情報化計画」（計画期間：２０２０年度～２０２３年度）に基づき取り組んできました。</p>"
        "<h2>計画期間</h2><p>本計画の計画期間は、２０２４年度から２０２７年度までとします。</p>",
    )
    for path in (docx_path, html_path):
        assert _period(read_document(path).blocks) == (2024, 2027), path.suffix


def test_period_from_a_cover_table_row(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("みなと区情報化推進計画", style="Title")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "策定", "令和7年3月"
    t.cell(1, 0).text, t.cell(1, 1).text = "計画期間", "令和7年度～令和9年度"
    d.add_paragraph("区は、前期計画（令和2年度～令和6年度）の成果を踏まえて取り組みます。")
    d.save(str(tmp_path / "minato.docx"))
    assert _period(read_document(tmp_path / "minato.docx").blocks) == (2025, 2027)


def test_period_from_a_table_of_plans_in_the_period_chapter(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("みなと区情報化推進計画", style="Title")
    d.add_paragraph("計画の期間", style="Heading 1")
    d.add_paragraph("関連する計画の期間は次のとおりです。")
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "みなと区基本構想", "令和3年度～令和12年度"
    t.cell(1, 0).text, t.cell(1, 1).text = "本計画", "令和7年度～令和10年度"
    t.cell(2, 0).text, t.cell(2, 1).text = "みなと区情報化推進計画（前計画）", "令和2年度～令和6年度"
    d.save(str(tmp_path / "minato.docx"))
    assert _period(read_document(tmp_path / "minato.docx").blocks) == (2025, 2028)


# ---------------------------------------------------------------------------------------------------
# organisation


@pytest.mark.parametrize(
    ("title", "name", "kind"),
    [
        ("第2次ひなた市情報化推進計画", "ひなた市", OrganisationKind.CITY),
        ("第２期ひなた市情報化推進計画", "ひなた市", OrganisationKind.CITY),
        ("ひなた市第3期DX推進計画", "ひなた市", OrganisationKind.CITY),
        ("【概要版】ひなた市DX推進計画", "ひなた市", OrganisationKind.CITY),
        ("みずほ県官民データ活用推進計画", "みずほ県", OrganisationKind.PREFECTURE),
        ("こもれび区DX推進計画", "こもれび区", OrganisationKind.SPECIAL_WARD),
        ("あおば郡ことり町情報化計画", "ことり町", OrganisationKind.TOWN),
        ("みずほ県ことり町情報化計画", "ことり町", OrganisationKind.TOWN),
        ("ゆめの村地域情報化計画", "ゆめの村", OrganisationKind.VILLAGE),
        ("あさひ村山市DX推進計画", "あさひ村山市", OrganisationKind.CITY),
        ("ひなた市オープンデータ推進計画", "ひなた市", OrganisationKind.CITY),
    ],
)
def test_organisation_from_the_title(title: str, name: str, kind: OrganisationKind) -> None:
    org = find_organisation(title, _blocks(f"{title}\n令和7年3月\n"))
    assert org is not None
    assert (org.name, org.kind) == (name, kind)


def test_organisation_keeps_the_prefecture_written_before_it() -> None:
    org = find_organisation("みずほ県ことり町情報化計画", _blocks("みずほ県ことり町情報化計画\n"))
    assert org is not None and (org.name, org.prefecture) == ("ことり町", "みずほ県")


def test_organisation_from_a_cover_line_when_the_title_has_none() -> None:
    blocks = _blocks("デジタル推進計画\n令和7年3月\nあおば郡ことり町\n")
    org = find_organisation("デジタル推進計画", blocks)
    assert org is not None and org.name == "ことり町"


# ---------------------------------------------------------------------------------------------------
# title


def test_title_skips_status_lines_and_joins_a_split_cover_title() -> None:
    text = """\
令和6年3月
パブリックコメント用
（素案）
ひなた市
デジタル推進計画
ひなた市 企画課
"""
    assert find_title(_blocks(text)) == "ひなた市デジタル推進計画"


@pytest.mark.parametrize(
    ("cover", "title"),
    [
        ("第2次\nひなた市情報化推進計画\n令和7年3月", "第2次ひなた市情報化推進計画"),
        ("ひなた市情報化推進計画\n（第2次）\n令和7年3月", "ひなた市情報化推進計画（第2次）"),
        ("パブリックコメント用　ひなた市DX推進計画（素案）\n令和7年1月", "ひなた市DX推進計画（素案）"),
        ("～みんなでつくるデジタル計画～\nひなた市DX推進計画\n", "ひなた市DX推進計画"),
        ("ひなた市DX推進計画 2025-2029\nひなた市", "ひなた市DX推進計画 2025-2029"),
        (
            "ひなた市\nデジタル・トランスフォーメーション推進アクションプラン\n",
            "ひなた市デジタル・トランスフォーメーション推進アクションプラン",
        ),
    ],
)
def test_title_cover_forms(cover: str, title: str) -> None:
    assert find_title(_blocks(cover + "\n")) == title


def test_title_is_not_a_chapter_heading_about_the_plan() -> None:
    text = """\
計画の策定にあたって
本町のデジタル化の方向性を示すものです。
かざはな町情報化推進計画（第2次）
"""
    assert find_title(_blocks(text)) == "かざはな町情報化推進計画（第2次）"


def test_title_from_html_docx_cover(tmp_path: Path) -> None:
    html_path = _html(
        tmp_path / "kazahana.html",
        "<p>案</p><h1>かざはな市</h1><h1>DX推進戦略</h1><p>～みんなでつくるデジタルのまち～</p><p>令和7年2月</p>",
    )
    assert find_title(read_document(html_path).blocks) == "かざはな市DX推進戦略"
    docx_path = _docx(
        tmp_path / "kazahana.docx",
        [("", "パブリックコメント用"), ("Title", "第2次かざはな市地域情報化ビジョン"), ("", "令和7年2月")],
    )
    blocks = read_document(docx_path).blocks
    title = find_title(blocks)
    assert title == "第2次かざはな市地域情報化ビジョン"
    org = find_organisation(title, blocks)
    assert org is not None and org.name == "かざはな市"


def test_title_is_not_an_xlsx_sheet_name_unless_nothing_else_names_a_plan(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "アクションプラン"
    ws["A1"] = "ゆめの村DX推進計画"
    ws["A2"] = "計画期間：令和7年度～令和9年度"
    wb.save(tmp_path / "plan.xlsx")
    blocks = read_document(tmp_path / "plan.xlsx").blocks
    assert find_title(blocks) == "ゆめの村DX推進計画"
    assert _period(blocks) == (2025, 2027)

    ws["A1"] = "取組一覧"
    ws["A2"] = None
    wb.save(tmp_path / "sheet_only.xlsx")
    assert find_title(read_document(tmp_path / "sheet_only.xlsx").blocks) == "アクションプラン"


# ---------------------------------------------------------------------------------------------------
# the whole import


def test_import_reads_identity_from_the_plans_structure(tmp_path: Path) -> None:
    text = """\
令和7年3月
（案）
第2次かざはな市
情報化推進計画

第1章 計画の策定にあたって
1 背景
かざはな市は、「第1次かざはな市情報化推進計画」（計画期間：令和2年度～令和6年度）に基づき取り組んできました。

2 計画期間
本計画の計画期間は、令和7年4月から令和12年3月までの5年間とします。

第2章 具体的な取組
(1) 行政手続のオンライン化
ア 電子申請の拡充
【担当課】情報政策課
【指標】電子申請できる手続数　現状40件（令和6年度）→　120件（令和11年度）
【スケジュール】令和7年度 検討、令和8年度～令和11年度 実施
"""
    path = tmp_path / "kazahana.txt"
    path.write_text(text, encoding="utf-8")
    plan = import_document(path)
    assert plan.title == "第2次かざはな市情報化推進計画"
    assert plan.organisation.name == "かざはな市"
    assert plan.period == Period(start_fy=2025, end_fy=2029)
