"""The guide recogniser (手引 → Catalogue) on a fictional miniature guide, a fictional plan and the corpus.

Every fixture here is invented (さくら町, みどり市 …). The miniature guide is read three ways: through a
small markdown-to-blocks helper (the layout a text reader produces), through the real HTML reader, and
through the real text reader once it exists — the recogniser must give the same catalogue each time.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from keikaku.core.plan import Catalogue
from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, ReadResult, Table
from keikaku.ingest.extract.guide import extract_catalogue, pillar_code

ROOT = Path(__file__).resolve().parents[2]

# ---- a throwaway markdown → blocks helper (the text reader's layout, without depending on it) ------


def _blocks_from_markdown(text: str) -> ReadResult:
    """Headings (#), list items (- / ・ with the bullet as marker), pipe tables, paragraphs."""
    blocks: list[Block] = []
    para: list[str] = []
    start = 0
    lines = text.split("\n")

    def flush(end: int) -> None:
        nonlocal para
        if para:
            blocks.append(Block(BlockKind.PARAGRAPH, "\n".join(para), Location(start, end)))
        para = []

    i = 0
    while i < len(lines):
        line, n = lines[i].rstrip(), i + 1
        heading = re.match(r"^(#{1,6})\s+(?:(\d+\.|\(\d+\))\s+)?(.*)$", line)
        item = re.match(r"^\s*([-・])\s*(.*)$", line)
        if not line.strip():
            flush(n - 1)
        elif heading:
            flush(n - 1)
            level, marker, body = len(heading.group(1)), heading.group(2), heading.group(3)
            blocks.append(Block(BlockKind.HEADING, body, Location(n, n), level=level, marker=marker))
        elif item:
            flush(n - 1)
            blocks.append(Block(BlockKind.LIST_ITEM, item.group(2), Location(n, n), marker=item.group(1)))
        elif line.startswith("|"):
            flush(n - 1)
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                    rows.append([Cell(c) for c in cells])
                i += 1
            blocks.append(Block(BlockKind.TABLE, "", Location(n, i), table=Table(rows)))
            continue
        else:
            if not para:
                start = n
            para.append(line)
        i += 1
    flush(len(lines))
    return ReadResult(blocks, "md")


# ---- the fictional miniature guide -------------------------------------------------------------------

MINI_GUIDE = """\
# 町村データ活用計画づくりの手引（試行版）

さくら県デジタル推進協議会

令和 5 年 3 月

## 総論

この手引は、県内の町村が計画を作るときの参考として作成したものです。

## 町村データ活用計画の雛型

### 1. 町の現状及び課題

#### (記載例)

〇〇町は山間部が多く、窓口まで遠い住民が多い。

#### <解説>

町の現状を客観的に書いてください。

### 2. 町データ活用計画の目的

#### (記載例)

〇〇町データ活用計画は、住民の手間を減らすことを目的とする。

### 3. 官民データ活用の推進に関する施策の基本的な方針

#### (記載例)

次の取組を柱とする。

#### (1) 手続における情報通信の技術の利用等に係る取組（オンライン化原則）

申請の電子化を進める。

#### (2) 官民データの容易な利用等に係る取組（オープンデータの推進）

町の保有データを公開する。

### 4. 官民データ活用の推進に係る個別施策

#### <解説>

各施策の記載例を示します。

## 1. 手続における情報通信の技術の利用等に係る取組（オンライン化原則）

### 【町村の施策（記載例）】

#### 公民館予約のオンライン化

電子行政<sup>1</sup>

〇〇町では、公民館の予約を電話と窓口で受け付けているため、職員の負担が大きい。

予約システムを導入し、利用者が自宅から空き状況を確かめられるようにする。

#### <KPI>

オンライン予約の利用率

#### <スケジュール>

令和〇年度までに利用率〇%を達成

#### 【対応する国の施策】<sup>2</sup>

##### ・公共施設予約の電子化支援

- 施設予約を電子化する団体への助言を行う。

<sup>1</sup> 重点分野の分類は参考として付したものです。

<sup>2</sup> 【町村の施策（記載例）】に対応する国の施策を参考に示したものです。

## 【町村の施策（記載例）】

窓口キャッシュレス決済の導入 **電子行政**

〇〇町では、証明書の手数料を現金で受け取っている。

## &lt;KPI&gt;

キャッシュレス決済の件数

## &lt;スケジュール&gt;

令和〇年までに全窓口で導入

## 【対応する事例集の施策】

- ・「キャッシュレス窓口の取組（あおば村）」（事例集 9-1）

## 【町村の施策（記載例）】

#### 水道検針データの自動収集と

インフラ・防災・減災等

#### 漏水検知への活用

〇〇町では、検針員の確保が難しくなっている。

<KPI>

自動検針の対象世帯数<HARD-BREAK>
漏水の早期発見件数

<スケジュール>

令和〇年度までに〇世帯で自動検針を開始

等々

## 2. 官民データの容易な利用等に係る取組（オープンデータの推進）

### 【町村の施策（記載例）】

| 農地台帳のオープンデータ化 | 農林水産 |
|---|---|
| 〇〇町が保有する農地の情報を公開し、新規就農者の参入を後押しする。 | |
| &lt;KPI&gt; | |
| 公開データセット数 | |
| &lt;スケジュール&gt; | |
| 令和〇年までに〇件を公開 | |

### 【対応する国の施策】

#### ・農地情報の公開推進

- 農地の情報を公開する団体を増やす。

#### ・地方公共団体のオープンデータ取組支援

- 推奨データセットを示す。

## 【町村の施策（記載例）】

**【町村の施策（記載例）】****住民参加型の地図づくり****その他**

〇〇町では、住民と一緒に危険箇所の地図を作る。

**<KPI>**

登録された地点の数

**<スケジュール>**

令和〇年までに〇地点を登録

等々

## 5. セキュリティ及び個人情報の適正な取扱いの確保

### (記載例)

〇〇町情報セキュリティポリシーに基づいて運用する。
""".replace("<HARD-BREAK>", "  ")  # a markdown hard line break (two trailing spaces)

# the fictional guide again as HTML (a prefectural site's page), read by the real HTML reader
MINI_GUIDE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>手引</title></head><body>
<h1>町村データ活用計画づくりの手引（試行版）</h1>
<p>さくら県デジタル推進協議会</p><p>令和 5 年 3 月</p>
<h2>町村データ活用計画の雛型</h2>
<h3>1. 町の現状及び課題</h3><p>(記載例)</p><p>〇〇町は山間部が多く、窓口まで遠い住民が多い。</p>
<h3>2. 町データ活用計画の目的</h3><p>(記載例)</p><p>〇〇町データ活用計画は、住民の手間を減らすことを目的とする。</p>
<h3>3. 官民データ活用の推進に関する施策の基本的な方針</h3><p>次の取組を柱とする。</p>
<h3>4. 官民データ活用の推進に係る個別施策</h3>
<h2>1. 手続における情報通信の技術の利用等に係る取組（オンライン化原則）</h2>
<h4>【町村の施策（記載例）】</h4>
<table><tr><td>公民館予約のオンライン化</td><td>電子行政</td></tr>
<tr><td colspan="2">〇〇町では、公民館の予約を電話と窓口で受け付けているため、職員の負担が大きい。</td></tr></table>
<h5>&lt;KPI&gt;</h5><p>オンライン予約の利用率</p>
<h5>&lt;スケジュール&gt;</h5><p>令和〇年度までに利用率〇%を達成</p>
<h5>【対応する国の施策】</h5><ul><li>・公共施設予約の電子化支援<ul><li>施設予約を電子化する団体への助言を行う。</li></ul></li></ul>
<h4>【町村の施策（記載例）】</h4>
<p><b>窓口キャッシュレス決済の導入</b> <b>電子行政</b></p>
<p>〇〇町では、証明書の手数料を現金で受け取っている。</p>
<p>&lt;KPI&gt;</p><p>キャッシュレス決済の件数</p><p>&lt;スケジュール&gt;</p><p>令和〇年までに全窓口で導入</p>
<p>【対応する事例集の施策】</p><ul><li>・「キャッシュレス窓口の取組（あおば村）」（事例集 9-1）</li></ul>
<p>等々</p>
<h2>2. 官民データの容易な利用等に係る取組（オープンデータの推進）</h2>
<h4>【町村の施策（記載例）】</h4>
<h5>農地台帳のオープンデータ化</h5><p>農林水産</p>
<p>〇〇町が保有する農地の情報を公開し、新規就農者の参入を後押しする。</p>
<p>&lt;KPI&gt;</p><p>公開データセット数</p><p>&lt;スケジュール&gt;</p><p>令和〇年までに〇件を公開</p>
<p>【対応する国の施策】</p><ul><li>・農地情報の公開推進</li><li>・地方公共団体のオープンデータ取組支援</li></ul>
<p>等々</p>
<h3>5. セキュリティ及び個人情報の適正な取扱いの確保</h3><p>(記載例)</p>
<p>〇〇町情報セキュリティポリシーに基づいて運用する。</p>
</body></html>
"""

# ---- a fictional municipal plan: labels a guide also uses, but no catalogue of example measures --------

MINI_PLAN = """\
# みどり市官民データ活用推進計画

令和 4 年 4 月　みどり市

## 第1章 計画の概要

### 1. 計画の目的

国の「計画策定の手引」を参考に、国の施策と市の施策の整合を図りつつ策定した。

### 2. 計画期間

令和4年度から令和8年度までの5年間とする。

## 第2章 基本方針

### (1) 手続における情報通信の技術の利用等に係る取組

#### ① 証明書のコンビニ交付【重点取組】

マイナンバーカードを使って証明書を取得できるようにする。

<KPI>

コンビニ交付の利用件数（令和3年度 120件 → 令和8年度 900件）

<スケジュール>

令和5年度 導入、令和6年度以降 運用

#### ② 電子申請の拡大

オンラインで申請できる手続を増やす。

| 指標 | 現況 | 目標 |
|---|---|---|
| 電子申請できる手続数 | 12 | 60 |

### (2) 官民データの容易な利用等に係る取組

#### ① オープンデータの公開

みどり市が保有する統計を公開する。
"""


def _titles(cat: Catalogue) -> list[str]:
    return [m.title for m in cat.measures]


def _check_mini(cat: Catalogue | None, *, html: bool = False) -> None:
    assert cat is not None
    assert cat.format == "keikaku-catalogue"
    assert cat.title == "町村データ活用計画づくりの手引（試行版）"
    assert cat.published == "2023-03"
    assert cat.publisher == "さくら県デジタル推進協議会"
    assert [(s.key, s.kind) for s in cat.template_sections] == [
        ("1", "situation"),
        ("2", "purpose"),
        ("3", "policy"),
        ("4", "measures"),
        ("5", "security"),
    ]
    first = cat.template_sections[0]
    assert first.title == "町の現状及び課題"
    assert first.text == "〇〇町は山間部が多く、窓口まで遠い住民が多い。"  # the 記載例, not the <解説>
    expected = [
        ("1-1", "A", "公民館予約のオンライン化", ["電子行政"]),
        ("1-2", "A", "窓口キャッシュレス決済の導入", ["電子行政"]),
        ("1-3", "A", "水道検針データの自動収集と漏水検知への活用", ["インフラ・防災・減災等"]),
        ("2-1", "B", "農地台帳のオープンデータ化", ["農林水産"]),
        ("2-2", "B", "住民参加型の地図づくり", ["その他"]),  # その他 is kept as the guide writes it
    ]
    if html:
        expected = expected[:2] + expected[3:4]  # the HTML page carries three of the measures
    got = [(m.key, m.pillars[0].code, m.title, m.priority_areas) for m in cat.measures]
    assert got == expected
    for m in cat.measures:
        assert [(p.code, p.source.value, p.confidence) for p in m.pillars] == [
            (m.pillars[0].code, "document", 1.0)
        ]
        assert m.pillar_key == m.key.split("-")[0]
        assert m.provenance is not None and m.provenance.source == "mini"
    a1 = cat.measures[0]
    assert a1.description.startswith("〇〇町では、公民館の予約")
    assert a1.kpi_text == "オンライン予約の利用率"
    assert a1.schedule_text == "令和〇年度までに利用率〇%を達成"
    assert a1.national_measures == ["公共施設予約の電子化支援"]
    assert a1.case_refs == []
    a2 = cat.measures[1]
    # readers may drop the space a converter left between 事例集 and its number
    assert [re.sub(r"\s", "", c) for c in a2.case_refs] == [
        "「キャッシュレス窓口の取組（あおば村）」（事例集9-1）"
    ]
    assert a2.national_measures == []
    b1 = next(m for m in cat.measures if m.key == "2-1")
    assert b1.kpi_text == "公開データセット数"
    assert b1.schedule_text == "令和〇年までに〇件を公開"
    assert b1.national_measures == ["農地情報の公開推進", "地方公共団体のオープンデータ取組支援"]


def test_mini_guide_from_markdown_blocks() -> None:
    cat = extract_catalogue(_blocks_from_markdown(MINI_GUIDE), "mini")
    _check_mini(cat)
    assert cat is not None
    a3 = cat.measures[2]
    assert a3.kpi_text == "自動検針の対象世帯数\n漏水の早期発見件数"
    assert a3.description == "〇〇町では、検針員の確保が難しくなっている。"
    assert cat.measures[4].kpi_text == "登録された地点の数"
    # the footnote that mentions the marker in a sentence is not a measure; line spans are kept
    assert len(cat.measures) == 5
    assert cat.measures[0].provenance is not None and cat.measures[0].provenance.line_start is not None
    # the JSON round-trips through the pydantic model
    assert Catalogue.model_validate_json(cat.model_dump_json()) == cat


def test_mini_guide_from_html_reader() -> None:
    from keikaku.ingest.readers.html import read_html

    _check_mini(extract_catalogue(read_html(MINI_GUIDE_HTML), "mini"), html=True)


def _mini_guide_docx(path: Path) -> None:
    """The HTML page's content as a Word file: headings, paragraphs, bullets and a two-cell title row."""
    import docx

    doc = docx.Document()
    doc.add_heading("町村データ活用計画づくりの手引（試行版）", level=1)
    doc.add_paragraph("さくら県デジタル推進協議会")
    doc.add_paragraph("令和 5 年 3 月")
    doc.add_heading("町村データ活用計画の雛型", level=1)
    for n, title, body in (
        (1, "町の現状及び課題", "〇〇町は山間部が多く、窓口まで遠い住民が多い。"),
        (2, "町データ活用計画の目的", "〇〇町データ活用計画は、住民の手間を減らすことを目的とする。"),
        (3, "官民データ活用の推進に関する施策の基本的な方針", ""),
        (4, "官民データ活用の推進に係る個別施策", ""),
    ):
        doc.add_heading(f"{n}. {title}", level=2)
        if body:
            doc.add_paragraph("(記載例)")
            doc.add_paragraph(body)
    doc.add_heading("1. 手続における情報通信の技術の利用等に係る取組（オンライン化原則）", level=2)
    doc.add_heading("【町村の施策（記載例）】", level=3)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "公民館予約のオンライン化"
    table.cell(0, 1).text = "電子行政"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "〇〇町では、公民館の予約を電話と窓口で受け付けているため、職員の負担が大きい。"
    for label, line in (
        ("<KPI>", "オンライン予約の利用率"),
        ("<スケジュール>", "令和〇年度までに利用率〇%を達成"),
    ):
        doc.add_paragraph(label)
        doc.add_paragraph(line)
    doc.add_paragraph("【対応する国の施策】")
    doc.add_paragraph("・公共施設予約の電子化支援", style="List Bullet")
    doc.add_heading("【町村の施策（記載例）】", level=3)
    doc.add_paragraph("窓口キャッシュレス決済の導入\t電子行政")
    doc.add_paragraph("〇〇町では、証明書の手数料を現金で受け取っている。")
    for line in ("<KPI>", "キャッシュレス決済の件数", "<スケジュール>", "令和〇年までに全窓口で導入"):
        doc.add_paragraph(line)
    doc.add_paragraph("【対応する事例集の施策】")
    doc.add_paragraph("・「キャッシュレス窓口の取組（あおば村）」（事例集 9-1）")
    doc.add_paragraph("等々")
    doc.add_heading("2. 官民データの容易な利用等に係る取組（オープンデータの推進）", level=2)
    doc.add_heading("【町村の施策（記載例）】", level=3)
    doc.add_paragraph("農地台帳のオープンデータ化")
    doc.add_paragraph("農林水産")
    doc.add_paragraph("〇〇町が保有する農地の情報を公開し、新規就農者の参入を後押しする。")
    for line in (
        "<KPI>",
        "公開データセット数",
        "<スケジュール>",
        "令和〇年までに〇件を公開",
        "【対応する国の施策】",
    ):
        doc.add_paragraph(line)
    doc.add_paragraph("・農地情報の公開推進")
    doc.add_paragraph("・地方公共団体のオープンデータ取組支援")
    doc.add_paragraph("等々")
    doc.add_heading("5. セキュリティ及び個人情報の適正な取扱いの確保", level=2)
    doc.add_paragraph("(記載例)")
    doc.add_paragraph("〇〇町情報セキュリティポリシーに基づいて運用する。")
    doc.save(str(path))


def test_mini_guide_from_docx_reader(tmp_path: Path) -> None:
    if importlib.util.find_spec("keikaku.ingest.readers.docx") is None:
        pytest.skip("the DOCX reader has not landed yet")
    from keikaku.ingest.readers.docx import read_docx

    path = tmp_path / "mini.docx"
    _mini_guide_docx(path)
    _check_mini(extract_catalogue(read_docx(path), "mini"), html=True)


def test_mini_guide_from_text_reader() -> None:
    if importlib.util.find_spec("keikaku.ingest.readers.text") is None:
        pytest.skip("the text reader has not landed yet")
    from keikaku.ingest.readers.text import read_text

    _check_mini(extract_catalogue(read_text(MINI_GUIDE.encode("utf-8"), "mini.md"), "mini"))


def test_municipal_plan_is_not_a_guide() -> None:
    assert extract_catalogue(_blocks_from_markdown(MINI_PLAN), "plan") is None


def test_example_markers_alone_do_not_make_a_guide() -> None:
    """Three 記載例 boxes in a plan without a guide title, placeholders or 国の施策 lists: not a guide."""
    box = "【施策（記載例）】\n\n窓口の予約 電子行政\n\n予約を受け付ける。\n\n"
    text = "# さくら町情報化計画\n\n## 1. 手続における情報通信の技術の利用等に係る取組\n\n" + box * 3
    assert extract_catalogue(_blocks_from_markdown(text), "plan") is None
    assert extract_catalogue(ReadResult([], "txt"), "empty") is None


def test_box_lines_joined_by_a_reader() -> None:
    """A PDF reader may join a box's first lines into one paragraph: title, area and text still split."""
    blocks = [
        Block(BlockKind.HEADING, "県データ活用計画策定の手引", level=1),
        Block(BlockKind.HEADING, "利用の機会等の格差の是正に係る取組", marker="4."),
    ]
    for title in ("スマホ教室の開催", "公民館Wi-Fiの整備", "移動図書館の予約"):
        blocks.append(
            Block(
                BlockKind.PARAGRAPH,
                f"【県の施策（記載例）】{title} 電子行政 〇〇県では高齢者の利用が少ない。",
            )
        )
        blocks.append(Block(BlockKind.PARAGRAPH, "<KPI> 参加者数"))
    cat = extract_catalogue(ReadResult(blocks, "pdf"), "joined")
    assert cat is not None
    assert [(m.key, m.title, m.pillars[0].code, m.kpi_text) for m in cat.measures] == [
        ("4-1", "スマホ教室の開催", "D", "参加者数"),
        ("4-2", "公民館Wi-Fiの整備", "D", "参加者数"),
        ("4-3", "移動図書館の予約", "D", "参加者数"),
    ]
    assert cat.measures[0].description == "〇〇県では高齢者の利用が少ない。"


def test_pillar_code_from_heading_wording() -> None:
    assert pillar_code("個人番号カードの普及及び活用に係る取組（マイナンバーカードの普及・活用）") == "C"
    assert pillar_code("利用の機会等の格差の是正に係る取組") == "D"
    assert pillar_code("情報システムに係る規格の整備及び互換性の確保等に係る取組") == "E"
    assert pillar_code("その他（人材の育成等）") == "other"
    assert pillar_code("計画の推進体制") is None


# ---- the shared corpus: the national guide scored against its gold -------------------------------------


def _corpus() -> Path:
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        if (base / "corpus" / "plans").is_dir() and (base / "eval" / "score.py").is_file():
            return base
    pytest.skip("the shared corpus is not available")


def _read(path: Path) -> ReadResult:
    if importlib.util.find_spec("keikaku.ingest.readers.text") is not None:
        from keikaku.ingest.readers.text import read_text

        return read_text(path.read_bytes(), path.name)
    return _blocks_from_markdown(path.read_text(encoding="utf-8"))


@pytest.mark.corpus
def test_corpus_guide_scores_against_gold() -> None:
    base = _corpus()
    spec = importlib.util.spec_from_file_location("keikaku_eval_score", base / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)

    guides = []
    for gold_path in sorted((base / "corpus" / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = base / "corpus" / "plans" / gold["source"]
        cat = extract_catalogue(_read(doc), doc.name)
        if gold.get("kind") != "guide":
            assert cat is None, f"{doc.name} is a plan, not a guide"
            continue
        assert cat is not None
        row = score.score_doc(gold, json.loads(cat.model_dump_json()), score.Tally(), 0.8)
        assert row["measure_f1"] >= 0.98, row
        assert row["pillars"] >= 0.98, row
        assert len(cat.template_sections) == len(gold.get("template_sections", [])) or not gold.get(
            "template_sections"
        )
        guides.append(doc.name)
    assert guides, "no guide in the corpus gold"


@pytest.mark.parametrize(
    "spelling",
    ["記&#36617;例", "記<b>載</b>例", "記載\uf9b5", "施策例"],
    ids=["entity", "bold-inside", "compatibility-ideograph", "other-word"],
)
def test_the_guide_is_recognised_however_its_markers_are_spelled(spelling: str) -> None:
    """A plan is told from the guide by counting the marker words before the text is cut into units:
    the count must see every spelling the units see (markup, entities, NFKC folding)."""
    cat = extract_catalogue(_blocks_from_markdown(MINI_GUIDE.replace("記載例", spelling)), "mini")
    assert cat is not None
    assert [m.title for m in cat.measures][:2] == ["公民館予約のオンライン化", "窓口キャッシュレス決済の導入"]


def test_a_plan_with_too_few_marker_words_is_not_the_guide() -> None:
    plan = "# 〇〇町計画\n\n## 施策\n\n【記載例】公民館予約のオンライン化\n\n本文。\n"
    assert extract_catalogue(_blocks_from_markdown(plan), "plan") is None
