"""One vocabulary for every recogniser: a synonym of a field's label gives the same plan, wherever the
label is written (label line, bracket label, row-table header, box label). Fictional plans only."""

from __future__ import annotations

from pathlib import Path

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest import import_document
from keikaku.ingest.extract.prose_kpi import prose_kpis
from keikaku.ingest.extract.vocabulary import FIELD_WORDS, kind_of

# department words that read as a label on their own (所属 / 部署 alone are too generic for a line label)
DEPARTMENT_LABELS = [w for w in FIELD_WORDS["department"] if len(w) >= 3 or w in ("担当", "所管")]
SCHEDULE_LABELS = [w for w in FIELD_WORDS["schedule"] if w != "目標時期"]


def _import(tmp_path: Path, name: str, text: str) -> Plan:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    plan = import_document(path)
    assert isinstance(plan, Plan)
    return plan


def _labelled_plan(dept_label: str) -> str:
    return f"""あさぎり町情報化推進計画

第1章 計画の概要
本計画の計画期間は、令和7年度から令和9年度までの3年間とします。

第2章 施策
（１）行政手続のオンライン化
ア　電子申請の拡充
住民が来庁せずに手続できるよう、電子申請の対象を広げます。
【{dept_label}：デジタル推進課】
イ　キャッシュレス決済の導入
窓口の手数料にキャッシュレス決済を導入します。
{dept_label}：会計課
"""


@pytest.mark.parametrize("label", DEPARTMENT_LABELS)
def test_every_department_word_is_a_department_label(tmp_path: Path, label: str) -> None:
    plan = _import(tmp_path, "plan.txt", _labelled_plan(label))
    got = {m.title: m.departments for m in plan.measures}
    assert got == {"電子申請の拡充": ["デジタル推進課"], "キャッシュレス決済の導入": ["会計課"]}


def _row_table_plan(dept_head: str, extra_head: str) -> str:
    return f"""# みなと市DX推進計画

## 施策一覧

| 施策名 | {dept_head} | {extra_head} | R7 | R8 |
|---|---|---|---|---|
| 施設予約のオンライン化 | 生涯学習課 | 県と連携 | 構築 | 運用 |
| 公衆無線LANの整備 | 情報政策課 | なし | 検討 | 整備 |
"""


@pytest.mark.parametrize("dept_head", ["担当部署", "推進主体", "実施機関", "所管部署", "主管課", "実施主体"])
@pytest.mark.parametrize("extra_head", ["備考", "連携先"])
def test_row_table_header_synonyms_and_unknown_columns(
    tmp_path: Path, dept_head: str, extra_head: str
) -> None:
    plan = _import(tmp_path, "plan.md", _row_table_plan(dept_head, extra_head))
    got = {m.title: (m.departments, [(e.fiscal_year, e.written) for e in m.schedule]) for m in plan.measures}
    assert got == {
        "施設予約のオンライン化": (["生涯学習課"], [(2025, "構築"), (2026, "運用")]),
        "公衆無線LANの整備": (["情報政策課"], [(2025, "検討"), (2026, "整備")]),
    }
    # the unknown column is kept as description text, not dropped
    first = plan.measures[0]
    assert extra_head in first.description


@pytest.mark.parametrize("label", SCHEDULE_LABELS)
def test_schedule_box_synonyms_are_never_kpis(tmp_path: Path, label: str) -> None:
    text = f"""いずみ村官民データ活用推進計画

1. 施策
(1) 村の統計データの公開
村が持つ統計データを機械判読できる形で公開する。
＜KPI＞
公開データセット数
＜{label}＞
令和8年度までに20件の公開を目指す
"""
    plan = _import(tmp_path, "plan.txt", text)
    assert [m.title for m in plan.measures] == ["村の統計データの公開"]
    assert [k.indicator for k in plan.measures[0].kpis] == ["公開データセット数"]


def test_glossary_and_chronology_tables_are_not_measures(tmp_path: Path) -> None:
    text = """# くるみ町DX推進計画

## 施策

| 施策名 | 担当課 | 内容 |
|---|---|---|
| 窓口のキャッシュレス化 | 会計課 | 手数料の支払いに電子決済を使えるようにする |

## 用語集

| No | 用語 | 内容 |
|---|---|---|
| 1 | オープンデータ | 誰もが使えるように公開されたデータ |
| 2 | BPR | 業務の流れを見直すこと |

## 沿革

| 年月 | 内容 | 主な施策 |
|---|---|---|
| 令和2年4月 | 計画を策定 | 電子申請の開始 |
"""
    plan = _import(tmp_path, "plan.md", text)
    assert [m.title for m in plan.measures] == ["窓口のキャッシュレス化"]


def test_a_heading_that_is_a_label_word_is_no_measure(tmp_path: Path) -> None:
    text = """そよかぜ市DX推進計画

第1章 施策
(1) 子育て手続のオンライン化
保育所の入所申込をオンラインで受け付ける。
担当：こども課
(2) スケジュール
各施策は次の年度に進める。
担当：企画課
"""
    plan = _import(tmp_path, "plan.txt", text)
    assert [m.title for m in plan.measures] == ["子育て手続のオンライン化"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "電子申請の件数を令和９年度までに年間800件に増やします（現状：令和６年度 250件）。",
            ("電子申請の件数", ("250件", 2024), ("年間800件", 2027)),
        ),
        (
            "公開データセット数は、2027年度までに50件を目指します（2024年度実績：6件）。",
            ("公開データセット数", ("6件", 2024), ("50件", 2027)),
        ),
        (
            "成果指標は「スマホ教室の参加者数」とし、令和10年度までに累計300人を目標とします。",
            ("スマホ教室の参加者数", None, ("累計300人", 2028)),
        ),
        (
            # the place before the year (…の支払いに) is not what is counted: what follows the quantity is
            "窓口での手数料の支払いに、2027年度までに20か所でキャッシュレス決済を導入することを目指します"
            "（2024年度実績：6か所）。",
            ("キャッシュレス決済", ("6か所", 2024), ("20か所", 2027)),
        ),
        (
            # a quantity followed by a verb in kanji; a bracket of a year and a quantity alone is the baseline
            "公開するデータを令和12年度までに50件公開します（令和6年度：5件）。",
            ("公開するデータ", ("5件", 2024), ("50件", 2030)),
        ),
        (
            # a clause before the year (…導入し、) names nothing: the verb after the quantity says what is counted
            "利用の多い手続から電子申請を導入し、令和12年度までに100手続をオンライン化します（令和6年度：20手続）。",
            ("オンライン化した手続数", ("20手続", 2024), ("100手続", 2030)),
        ),
    ],
)
def test_kpi_sentences(sentence: str, expected: tuple) -> None:
    (k,) = prose_kpis(sentence)
    base = (k.baseline.value, k.baseline.fiscal_year) if k.baseline else None
    assert (k.indicator, base, (k.targets[-1].value, k.targets[-1].fiscal_year)) == expected


def test_prose_without_a_deadline_quantity_states_no_kpi() -> None:
    assert prose_kpis("令和7年度までに全ての手続をオンライン化します。令和6年度から検討します。") == []


def test_a_year_bracket_after_the_target_year_or_of_another_unit_is_no_baseline() -> None:
    (k,) = prose_kpis("公開データセット数は、令和9年度までに50件を目指します（令和11年度：80件）。")
    assert k.baseline is None
    (k,) = prose_kpis("公開データセット数は、令和9年度までに50件を目指します（令和6年度：3分野）。")
    assert k.baseline is None


def test_plain_layout_with_kpi_sentence_and_bracket_department(tmp_path: Path) -> None:
    text = """ひばり町情報化推進計画

第2章 施策
（１）オープンデータの推進
ア　町の統計の公開
町の統計を公開します。公開データセット数を令和９年度までに40件に増やします（現状：令和６年度 12件）。
令和８年度 検討 → 令和９～１０年度 実施
【担当：企画課】
"""
    plan = _import(tmp_path, "plan.txt", text)
    (m,) = plan.measures
    assert m.departments == ["企画課"]
    (k,) = m.kpis
    assert (k.indicator, k.targets[-1].value, k.targets[-1].fiscal_year) == (
        "公開データセット数",
        "40件",
        2027,
    )
    assert [(e.fiscal_year, e.written) for e in m.schedule] == [
        (2026, "検討"),
        (2027, "実施"),
        (2028, "実施"),
    ]
    assert [p.code for p in m.pillars] == ["B"]


def test_vocabulary_lookup() -> None:
    assert kind_of("推進主体") == "department"
    assert kind_of("年次計画") == "schedule"
    assert kind_of("評価指標") == "kpi"
    assert kind_of("ＫＰＩ") == "kpi"  # NFKC
    assert kind_of("未知の見出し") is None
