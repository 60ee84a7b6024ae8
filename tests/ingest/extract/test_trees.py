"""Fields written as a tree under a measure's title (extract/trees.py): a section per measure whose
sub-headings are field labels (めざす姿 / 取組内容 / 指標 with a value table), and nested bullet trees —
the same fictional plan in Markdown, HTML and a generated Word file gives the same measures."""

from __future__ import annotations

from pathlib import Path

from keikaku.core.plan import Plan
from keikaku.ingest import import_document

SECTIONS_MD = """\
# みなと市DX推進計画

## 第3章 個別施策

### 施策1 電子申請の拡充

#### めざす姿
自宅から手続ができる。

#### 取組内容
申請手続をオンライン化する。所管は総務課とする。

#### 指標

| 指標名 | 現状値（令和6年度） | 目標値（令和9年度） |
|---|---|---|
| オンライン手続数 | 30手続 | 100手続 |

#### スケジュール
令和8年度 検討 → 令和9～10年度 実施

### 施策2 オープンデータの公開

#### めざす姿
データが地域で使われる。

#### 取組内容
推奨データセットを公開する。

#### 担当課
企画課

#### 指標

| 指標名 | 現状値（令和6年度） | 目標値（令和9年度） |
|---|---|---|
| 公開データセット数 | 6件 | 50件 |
"""

BULLETS_MD = """\
# あさひ町デジタル推進計画

## 施策の体系

- 行政手続のオンライン化
  - 電子申請の拡充
    - 担当：総務課
    - 目標：オンライン手続数 100手続（令和9年度）
  - 窓口のキャッシュレス化
    - 担当：税務課
    - スケジュール
      - 令和8年度：検討
      - 令和9年度：実施
- データの活用
  - オープンデータの公開
    - 推奨データセットを順次公開する。
    - 所管課：企画課
"""

BULLETS_HTML = """<html><body><h1>あさひ町デジタル推進計画</h1><h2>施策の体系</h2>
<ul><li>行政手続のオンライン化<ul>
  <li>電子申請の拡充<ul><li>担当：総務課</li><li>目標：オンライン手続数 100手続（令和9年度）</li></ul></li>
  <li>窓口のキャッシュレス化<ul><li>担当：税務課</li><li>スケジュール<ul><li>令和8年度：検討</li>
  <li>令和9年度：実施</li></ul></li></ul></li></ul></li>
<li>データの活用<ul><li>オープンデータの公開<ul><li>推奨データセットを順次公開する。</li>
  <li>所管課：企画課</li></ul></li></ul></li></ul></body></html>"""


def _summary(plan: Plan) -> list[tuple]:
    return [
        (
            m.title,
            m.departments,
            [(k.indicator, k.baseline.value if k.baseline else None, k.targets[-1].value) for k in m.kpis],
            {e.fiscal_year: e.written for e in m.schedule},
        )
        for m in plan.measures
    ]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_section_per_measure_with_field_headings(tmp_path: Path) -> None:
    plan = import_document(_write(tmp_path, "plan.md", SECTIONS_MD))
    assert _summary(plan) == [
        (
            "電子申請の拡充",
            ["総務課"],
            [("オンライン手続数", "30手続", "100手続")],
            {2026: "検討", 2027: "実施", 2028: "実施"},
        ),
        ("オープンデータの公開", ["企画課"], [("公開データセット数", "6件", "50件")], {}),
    ]
    assert plan.measures[0].description.startswith("自宅から手続ができる。")
    assert [m.key for m in plan.measures] == ["1", "2"]


def test_the_section_layout_in_word_gives_the_same_plan(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    for block in SECTIONS_MD.split("\n\n"):
        lines = block.strip().splitlines()
        if lines[0].startswith("|"):
            rows = [
                [c.strip() for c in ln.strip("|").split("|")] for ln in lines if not ln.startswith("|---")
            ]
            table = d.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            continue
        for line in lines:
            hashes = len(line) - len(line.lstrip("#"))
            if hashes:
                d.add_heading(line[hashes:].strip(), level=hashes)
            else:
                d.add_paragraph(line)
    path = tmp_path / "plan.docx"
    d.save(str(path))
    assert _summary(import_document(path)) == _summary(
        import_document(_write(tmp_path, "plan.md", SECTIONS_MD))
    )


def test_a_nested_bullet_tree_in_markdown_and_html(tmp_path: Path) -> None:
    expected = [
        ("電子申請の拡充", ["総務課"], [("オンライン手続数", None, "100手続")], {}),
        ("窓口のキャッシュレス化", ["税務課"], [], {2026: "検討", 2027: "実施"}),
        ("オープンデータの公開", ["企画課"], [], {}),
    ]
    md = import_document(_write(tmp_path, "plan.md", BULLETS_MD))
    assert _summary(md) == expected
    assert md.measures[2].description == "推奨データセットを順次公開する。"
    assert _summary(import_document(_write(tmp_path, "plan.html", BULLETS_HTML))) == expected


def test_a_numbered_heading_named_like_a_field_is_not_a_measures_section(tmp_path: Path) -> None:
    """A later chapter (5 工程表) that the outline nests under the last measure does not make that
    measure a section with field headings: its label lines still give its fields."""
    text = (
        "ひので村アクションプラン\n\n基本目標2 推進基盤の強化\n\n"
        "(ア) 窓口手続のワンストップ化\n\n窓口を一つにまとめます。\n\n【担当】村民課\n\n"
        "(イ) 行政手続のオンライン化の推進\n\n電子申請の対象となる手続を順次拡大します。\n\n"
        "【担当】デジタル推進課、村民課\n\n5 工程表\n\n各取組の実施予定は次のとおりです。\n"
    )
    plan = import_document(_write(tmp_path, "plan.txt", text))
    assert [(m.title, m.departments) for m in plan.measures] == [
        ("窓口手続のワンストップ化", ["村民課"]),
        ("行政手続のオンライン化の推進", ["デジタル推進課", "村民課"]),
    ]


def test_a_bullet_tree_in_word_list_styles(tmp_path: Path) -> None:
    """Word's deeper list styles (List Bullet 2, 3) give the items their depth, as Markdown does."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    d.styles.add_style("List Bullet 4", WD_STYLE_TYPE.PARAGRAPH).base_style = d.styles["List Bullet 3"]
    d.add_heading("あさひ町デジタル推進計画", 1)
    d.add_heading("施策の体系", 2)
    depth = 0
    for line in BULLETS_MD.split("## 施策の体系", 1)[1].strip().splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2 + 1
        d.add_paragraph(
            line.strip().removeprefix("- "), style="List Bullet" if depth == 1 else f"List Bullet {depth}"
        )
    path = tmp_path / "plan.docx"
    d.save(str(path))
    assert _summary(import_document(path)) == _summary(
        import_document(_write(tmp_path, "plan.md", BULLETS_MD))
    )
