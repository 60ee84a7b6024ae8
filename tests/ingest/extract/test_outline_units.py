"""Outline first, the measure level by evidence (extract/units.py): plans whose measures carry no label
lines and no tables — items under a policy with prose only, a bare numbered list under a heading naming
measures, Markdown / Word heading levels — read from text, Markdown and a generated Word file; and the
layouts that must give no measures from the outline (narrative chapters, a table of contents, policy
headings numbered like their measures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest import import_document
from keikaku.ingest.extract import extract_plan
from keikaku.ingest.readers.text import read_text
from tests.ingest.extract.text_fixtures import write_docx

# items ア/イ/ウ under policies （１）（２）, each with a paragraph; KPI and schedule stated in sentences
PROSE_ITEMS = """\
あおば町情報化推進計画

第1章 計画の概要
1. 計画の目的
本計画は、町の情報化を進めるために定める。

第2章 施策の展開
（１）行政手続のオンライン化
ア　電子申請の拡充
　住民が自宅から申請できる手続を令和9年度までに100手続に増やす（現状：令和6年度 30手続）。
イ　窓口のキャッシュレス化
　窓口での支払いにキャッシュレス決済を導入し、住民の利便性を高める。所管は税務課とする。
ウ　公共施設予約のオンライン化
　体育館や公民館の予約をオンラインで受け付ける。
（２）データの活用
ア　オープンデータの公開
　町が持つデータを公開し、令和10年度までに公開データセット数を50件にする。
イ　庁内データの分析
　令和8年度に検討し、令和9年度から実施する。
"""

# a bare numbered list under a heading that names measures, in a plan with no other measure
BARE_LIST = """\
かすみ村デジタル推進計画

第1章 計画の概要
1. 計画の目的
本計画は、村のデジタル化を進めるために定める。
2. 計画期間
令和7年度から令和11年度までの5年間とする。

第2章 重点取組
1. 電子申請の拡充
2. 窓口のキャッシュレス化
3. オープンデータの公開
4. 高齢者向けスマートフォン教室の開催
"""

HEADINGS_MD = """\
# ときわ市DX推進計画

## 1 計画の概要

計画期間は令和7年度から令和11年度までとする。

## 2 施策

### 2.1 行政手続のオンライン化

#### 電子申請の拡充

住民が自宅から申請できる手続を増やす。所管は総務課とする。

#### 窓口のキャッシュレス化

窓口での支払いにキャッシュレス決済を導入する。

### 2.2 デジタルデバイド対策

#### スマートフォン教室

高齢者向けの教室を令和9年度までに年間20回開催する。
"""

# numbered sections of narrative chapters (years and numbers in their prose) and a measure table
NARRATIVE_AND_TABLE = """\
# はなみ市デジタル化推進計画

## 第1章 現状と課題

### 1 人口の動向
本市の人口は令和2年に5万人を下回り、令和12年には4万5千人になると見込まれる。

### 2 行政需要の変化
令和3年度に窓口の混雑調査を実施した。申請件数は年間1万件を超えている。

## 第2章 推進体制

### 1 庁内体制
市長を本部長とするDX推進本部を置く。

### 2 外部人材
令和6年度から外部人材を活用している。

## 第3章 施策

| 施策 | 担当部署 | KPI |
|---|---|---|
| 電子申請の拡充 | 総務課 | オンライン手続数 100手続（令和9年度） |
| オープンデータの公開 | 企画課 | 公開データセット数 50件（令和9年度） |
"""


def _text(text: str) -> Plan:
    return extract_plan(read_text(text.encode(), "plan.txt"), "plan.txt")


def _titles(plan: Plan) -> list[str]:
    return [m.title for m in plan.measures]


def test_items_with_prose_only_are_measures_with_their_fields() -> None:
    plan = _text(PROSE_ITEMS)
    assert _titles(plan) == [
        "電子申請の拡充",
        "窓口のキャッシュレス化",
        "公共施設予約のオンライン化",
        "オープンデータの公開",
        "庁内データの分析",
    ]
    by = {m.title: m for m in plan.measures}
    (kpi,) = by["電子申請の拡充"].kpis
    assert (
        kpi.baseline.value if kpi.baseline else None,
        kpi.targets[-1].value,
        kpi.targets[-1].fiscal_year,
    ) == (
        "30手続",
        "100手続",
        2027,
    )
    assert by["窓口のキャッシュレス化"].departments == ["税務課"]
    assert [(e.fiscal_year, e.written) for e in by["庁内データの分析"].schedule][:2] == [
        (2026, "検討"),
        (2027, "実施"),
    ]
    assert [p.title for p in plan.policies] == ["行政手続のオンライン化", "データの活用"]
    assert [m.policy_key for m in plan.measures] == ["(１)"] * 3 + ["(２)"] * 2
    # the narrative chapter's numbered section stays a section
    assert not any("目的" in t for t in _titles(plan))


def test_a_bare_list_under_a_heading_naming_measures_is_a_list_of_measures() -> None:
    plan = _text(BARE_LIST)
    assert _titles(plan) == [
        "電子申請の拡充",
        "窓口のキャッシュレス化",
        "オープンデータの公開",
        "高齢者向けスマートフォン教室の開催",
    ]
    assert [m.key for m in plan.measures] == ["1", "2", "3", "4"]


def test_a_bare_list_under_a_narrative_heading_is_no_measure(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(BARE_LIST.replace("重点取組", "計画の背景"), encoding="utf-8")
    with pytest.raises(Exception, match="施策が見つかりませんでした"):
        import_document(path)


def test_heading_levels_give_the_measure_level(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(HEADINGS_MD, encoding="utf-8")
    plan = import_document(path)
    assert _titles(plan) == ["電子申請の拡充", "窓口のキャッシュレス化", "スマートフォン教室"]
    assert plan.measures[0].departments == ["総務課"]
    assert [p.title for p in plan.policies] == ["行政手続のオンライン化", "デジタルデバイド対策"]


def test_the_same_plan_in_word_gives_the_same_measures(tmp_path: Path) -> None:
    path = write_docx(PROSE_ITEMS, tmp_path / "plan.docx")
    plan = import_document(path)  # type: ignore[arg-type]
    assert _titles(plan) == _titles(_text(PROSE_ITEMS))
    assert [len(m.kpis) for m in plan.measures] == [len(m.kpis) for m in _text(PROSE_ITEMS).measures]


def test_narrative_sections_beside_a_measure_table_stay_sections(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(NARRATIVE_AND_TABLE, encoding="utf-8")
    assert _titles(import_document(path)) == ["電子申請の拡充", "オープンデータの公開"]


def test_a_table_of_contents_and_numbered_policy_headings_give_no_measures() -> None:
    toc = "目次\n1. 計画の概要・・・・・・1\n2. 施策の展開・・・・・・3\n\n"
    # policies numbered like their measures (1. policy, 1. measure …): the measures carry labels
    text = (
        "ゆずりは町情報化計画\n\n"
        + toc
        + "2. 施策の展開\n(1) 行政運営の効率化\n(1) 電子決裁の導入\n担当：総務課\n"
        + "(2) 会議資料の電子化\n担当：総務課\n(2) 住民サービスの向上\n(3) 電子申請の拡充\n担当：企画課\n"
    )
    titles = _titles(_text(text))
    assert "電子申請の拡充" in titles and "電子決裁の導入" in titles
    assert not [
        t
        for t in titles
        if "・・・" in t or t in ("計画の概要", "施策の展開", "行政運営の効率化", "住民サービスの向上")
    ]


def test_a_sibling_of_labelled_measures_with_only_a_schedule_sentence_is_a_measure() -> None:
    text = (
        "ふじ村情報化計画\n\n第3章 具体的な取組\n"
        "施策1 電子申請の拡充\n　申請手続をオンライン化する。所管課：総務課\n"
        "施策2 窓口のキャッシュレス化\n　令和8年度に検討し、令和9年度から実施する。\n"
        "施策3 村ホームページの改善\n　アクセシビリティに配慮したホームページに改める。所管課：企画課\n"
    )
    plan = _text(text)
    assert _titles(plan) == ["電子申請の拡充", "窓口のキャッシュレス化", "村ホームページの改善"]
    assert plan.measures[1].schedule[0].written == "検討"


@pytest.mark.parametrize(
    "as_bold",
    [lambda t: f"**{t}**", lambda t: f"__{t}__"],
    ids=["asterisks", "underscores"],
)
def test_measure_headings_set_in_bold_give_the_same_plan(tmp_path: Path, as_bold) -> None:  # noqa: ANN001
    """Markdown written by a converter or a clerk often sets a measure's title as a bold line, not a
    heading: the plan read is the same as with #### headings, numbered or not."""
    import re

    numbered = re.sub(
        r"^#### (.*)$",
        lambda m: f"#### ({['電', '窓', 'ス'].index(m.group(1)[0]) % 2 + 1}) {m.group(1)}",
        HEADINGS_MD,
        flags=re.M,
    )
    for source in (HEADINGS_MD, numbered):
        bold = re.sub(r"^#### (.*)$", lambda m: as_bold(m.group(1)), source, flags=re.M)
        assert "####" not in bold
        (tmp_path / "h.md").write_text(source, encoding="utf-8")
        (tmp_path / "b.md").write_text(bold, encoding="utf-8")
        want, got = import_document(tmp_path / "h.md"), import_document(tmp_path / "b.md")
        assert isinstance(want, Plan) and isinstance(got, Plan)
        assert (
            _titles(got)
            == _titles(want)
            == ["電子申請の拡充", "窓口のキャッシュレス化", "スマートフォン教室"]
        )
        assert [m.departments for m in got.measures] == [m.departments for m in want.measures]
        assert [m.key for m in got.measures] == [m.key for m in want.measures]
        assert [p.title for p in got.policies] == [p.title for p in want.policies]


TITLED_ITEMS = """\
はやせ町官民データ活用推進計画

第1章　計画の概要
　本計画の期間は、令和8年度から令和12年度までとする。
①策定の趣旨：国の基本計画を踏まえ、町のデジタル化の方向を示す。

第2章　施策
（１）行政手続のオンライン化
①電子申請の推進：利用の多い手続から電子申請を導入し、令和12年度までに80手続をオンライン化します（令和6年度：12手続）。（担当：総務課）
②窓口の予約制：窓口の混雑を避けるため、来庁予約をインターネットで受け付けます。（担当：町民課）
（２）地域のデジタル化
①見守りセンサーの設置：高齢者世帯の見守りにセンサーを活用します。（担当：保健福祉課）
"""


def test_numbered_items_with_title_colon_text_are_measures(tmp_path: Path) -> None:
    """①title：text（担当：…） — a measure per numbered paragraph, its title before the colon; an item of a
    narrative chapter stays text of its section, as written."""
    plan = _text(TITLED_ITEMS)
    assert _titles(plan) == ["電子申請の推進", "窓口の予約制", "見守りセンサーの設置"]
    assert [m.departments for m in plan.measures] == [["総務課"], ["町民課"], ["保健福祉課"]]
    (kpi,) = plan.measures[0].kpis
    assert kpi.indicator == "オンライン化した手続数"
    assert (kpi.baseline.value if kpi.baseline else None, kpi.targets[-1].value) == ("12手続", "80手続")
    assert [p.title for p in plan.policies] == ["行政手続のオンライン化", "地域のデジタル化"]
    overview = next(s for s in plan.sections if s.title == "計画の概要")
    assert "策定の趣旨：国の基本計画を踏まえ" in overview.text
    docx_plan = import_document(write_docx(TITLED_ITEMS, tmp_path / "plan.docx"))  # type: ignore[arg-type]
    assert _titles(docx_plan) == _titles(plan)
    assert [m.departments for m in docx_plan.measures] == [m.departments for m in plan.measures]


@pytest.mark.parametrize(
    "line",
    [
        "②担当：総務課が中心となり、関係課と連携して進める。",  # a label line
        "③令和9年度：システムを構築し、運用を始める。",  # a year and what happens in it
        "④総務課：全体の進行を管理する。",  # who does what
        "⑤窓口の予約制：来庁予約を受け付ける",  # no sentence after the colon
        "窓口の予約制：来庁予約を受け付けます。",  # no number
    ],
)
def test_lines_that_are_not_a_titled_item_stay_as_read(line: str) -> None:
    from keikaku.ingest.blocks import Block, BlockKind
    from keikaku.ingest.extract.items import split_titled_items

    block = Block(BlockKind.PARAGRAPH, line)
    assert split_titled_items([block]) == [block]
    (head, body) = split_titled_items([Block(BlockKind.PARAGRAPH, "①窓口の予約制：来庁予約を受け付けます。")])
    assert (head.kind, head.marker, head.text, body.text) == (
        BlockKind.HEADING,
        "①",
        "窓口の予約制",
        "来庁予約を受け付けます。",
    )


def test_numbers_with_a_stop_are_a_level_below_bare_numbers() -> None:
    """「1 計画の概要」 chapters and 「１．施策名」 measures are two levels though both count 1, 2, 3."""
    text = TITLED_ITEMS.replace("第1章　", "1 ").replace("第2章　", "2 ")
    text = (
        text.replace("（１）", "（ア）").replace("（２）", "（イ）").replace("①", "１．").replace("②", "２．")
    )
    plan = _text(text)
    assert _titles(plan) == ["電子申請の推進", "窓口の予約制", "見守りセンサーの設置"]
    assert [m.departments for m in plan.measures] == [["総務課"], ["町民課"], ["保健福祉課"]]
    assert [p.title for p in plan.policies] == ["行政手続のオンライン化", "地域のデジタル化"]
