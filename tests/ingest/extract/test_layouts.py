"""Each layout recogniser on a fictional plan written in that layout."""

from __future__ import annotations

import pytest

from keikaku.core.plan import Plan
from keikaku.ingest.extract import extract_plan
from keikaku.ingest.readers.text import read_text
from tests.ingest.extract.fixtures import HEADING_PLAN, RECORD_PLAN, SCHEDULE_PLAN, TEMPLATE_PLAN


def _plan(text: str, name: str = "plan.md") -> Plan:
    return extract_plan(read_text(text.encode(), name), name)


def _by_title(plan: Plan) -> dict:
    out: dict = {}
    for m in plan.measures:
        out.setdefault(m.title, m)  # the first of a title (a 再掲 copy comes later)
    return out


def _sched(m) -> dict[int, str]:
    return {e.fiscal_year: e.written for e in m.schedule}


# ---- template style: title, prose, < KPI >, < スケジュール > ----------------------------------------


def test_template_measures_titles_and_policies() -> None:
    plan = _plan(TEMPLATE_PLAN, "template.txt")
    assert [m.title for m in plan.measures] == [
        "子育て手続の電子申請の拡大",
        "町有施設データの公開",
        "職員のデータ活用研修",
    ]
    assert [p.key for p in plan.policies] == ["(1)", "(2)", "(3)"]
    assert [m.key for m in plan.measures] == ["(1)-1", "(2)-1", "(3)-1"]
    assert [m.policy_key for m in plan.measures] == ["(1)", "(2)", "(3)"]


def test_template_kpi_targets_from_deadline_sentences() -> None:
    m = _by_title(_plan(TEMPLATE_PLAN, "template.txt"))
    k = m["子育て手続の電子申請の拡大"].kpis
    assert [x.indicator for x in k] == ["保育所入所申込の電子申請件数"]
    assert (k[0].targets[0].value, k[0].targets[0].fiscal_year) == ("120件", 2023)
    two = m["町有施設データの公開"].kpis
    # an indicator broken by a page (bracket left open) is one item
    assert [x.indicator for x in two] == [
        "公開データセット数",
        "町民ワークショップの開催回数(年間の開催回数 /予定回数)",
    ]
    assert [(x.targets[0].value, x.targets[0].fiscal_year) for x in two] == [("30件", 2022), ("4回", 2022)]
    assert m["町有施設データの公開"].deadline_fy == 2022
    # 【KPI】 brackets work too; a schedule with neither year nor quantity gives no target
    assert [x.indicator for x in m["職員のデータ活用研修"].kpis] == ["研修の受講者数"]
    assert m["職員のデータ活用研修"].kpis[0].targets == []


def test_template_description_skips_footnotes_and_pillars_from_headings() -> None:
    m = _by_title(_plan(TEMPLATE_PLAN, "template.txt"))
    d = m["子育て手続の電子申請の拡大"]
    assert "保育所の入所申込" in d.description and "インターネットを通じて" not in d.description
    assert [(p.code, p.source.value) for p in d.pillars] == [("A", "document")]
    assert [p.code for p in m["町有施設データの公開"].pillars] == ["B"]
    assert [p.code for p in m["職員のデータ活用研修"].pillars] == ["other"]


def test_template_metadata() -> None:
    plan = _plan(TEMPLATE_PLAN, "template.txt")
    assert plan.title == "さくら町官民データ活用推進計画"
    assert (plan.organisation.name, plan.organisation.kind.value) == ("さくら町", "町")
    assert plan.published == "2021-06"
    assert [k.value for k in plan.kinds] == ["官民データ活用推進計画"]
    kinds = {s.kind for s in plan.sections}
    assert "purpose" in kinds and "security" in kinds


# ---- record tables: NO / 施策 / 内容 / KPIの例 ----------------------------------------------------


def test_record_tables() -> None:
    plan = _plan(RECORD_PLAN, "record.txt")
    titles = [m.title for m in plan.measures]
    # footnote marks ^{*3} and underline tags are stripped; the glossary (NO / 用語 / 内容) is no measure
    assert titles == ["公共施設予約の電子化", "電子納付の拡大", "統計データの公開"]
    assert [m.key for m in plan.measures] == ["I-1", "I-2", "II-1"]
    m = _by_title(plan)
    assert [k.indicator for k in m["公共施設予約の電子化"].kpis] == [
        "電子予約の件数",
        "窓口予約の件数・電話予約の件数",
    ]
    assert m["公共施設予約の電子化"].description == "体育館や会議室の予約をインターネットで受け付ける。"
    assert m["電子納付の拡大"].priority is True
    assert [p.code for p in m["統計データの公開"].pillars] == ["B"]


def test_record_plan_without_period_keeps_the_note() -> None:
    plan = _plan(RECORD_PLAN, "record.txt")
    assert plan.period.start_fy is None and plan.period.end_fy is None
    assert "定めず" in (plan.period.note or "")


# ---- schedule tables: years, 担当部署, pillar letters, arrows, merged cells -------------------------------


def test_schedule_table_rows_are_measures_with_group_keys() -> None:
    plan = _plan(SCHEDULE_PLAN, "schedule.txt")
    assert [m.key for m in plan.measures] == [
        "(i)-1-①-ア",
        "(i)-1-①-イ",
        "(i)-1-①-ウ",
        "(i)-1-②-ア",
        "(i)-1-②-イ",
        "(ii)-1-ア",
    ]
    assert plan.period.start_fy == 2024 and plan.period.end_fy == 2027
    assert (plan.organisation.name, plan.organisation.kind.value) == ("あおば村", "村")


def test_schedule_continuation_rules() -> None:
    m = _by_title(_plan(SCHEDULE_PLAN, "schedule.txt"))
    # an arrow cell followed by empty cells: the phase continues to the last year
    assert _sched(m["防災アプリの運用、拡充"]) == {y: "運用、拡充" for y in range(2024, 2028)}
    # empty cells continue the phase before them; a new word starts a new phase
    assert _sched(m["避難所受付システムの導入"]) == {
        2024: "検討",
        2025: "検討",
        2026: "導入、運用",
        2027: "導入、運用",
    }
    assert _sched(m["電子申請の拡大"]) == {2024: "実施", 2025: "実施", 2026: "拡充", 2027: "拡充"}
    # a row with no phase has no schedule
    assert m["衛星通信の研究"].schedule == []
    # a merged HTML cell (colspan) covers both years
    assert _sched(m["文書管理システムの更新"]) == {2024: "準備", 2025: "構築", 2026: "構築", 2027: "運用"}
    e = m["避難所受付システムの導入"].schedule[2]
    assert e.phase and e.provenance and e.provenance.line_start


def test_schedule_departments_and_pillar_letters() -> None:
    m = _by_title(_plan(SCHEDULE_PLAN, "schedule.txt"))
    assert m["防災アプリの運用、拡充"].departments == ["総務課", "企画課"]
    assert m["避難所受付システムの導入"].departments == ["AI推進室", "福祉課"]
    assert m["電子申請の拡大"].departments == ["住民課", "文化・交流課"]
    assert [p.code for p in m["避難所受付システムの導入"].pillars] == ["D", "E"]
    assert all(p.source.value == "document" for p in m["避難所受付システムの導入"].pillars)
    # an empty pillar cell states no pillar: nothing is inferred for it
    assert m["衛星通信の研究"].pillars == []


def test_reposted_row_is_its_own_measure() -> None:
    plan = _plan(SCHEDULE_PLAN, "schedule.txt")
    same = [m for m in plan.measures if m.title == "防災アプリの運用、拡充"]
    assert [m.reposted for m in same] == [False, True]


# ---- measure headings with 目的 / 取組 boxes, target table, schedule table, mapping table ---------------


def test_heading_measures_with_boxes() -> None:
    plan = _plan(HEADING_PLAN, "heading.md")
    assert [m.title for m in plan.measures] == [
        "窓口手続のオンライン化",
        "地域のデータ活用講座",
        "基幹システムの標準化",
        "会議のペーパーレス化",
    ]
    m = _by_title(plan)
    assert m["窓口手続のオンライン化"].priority and not m["地域のデータ活用講座"].priority
    assert "目指します" in m["窓口手続のオンライン化"].description
    assert "事業例" in m["窓口手続のオンライン化"].description
    # a box split over two tables still belongs to its heading
    assert "タブレット" in m["会議のペーパーレス化"].description
    assert [p.key for p in plan.policies] == ["(1)", "(2)"]


def test_target_table_joins_measures_by_key() -> None:
    m = _by_title(_plan(HEADING_PLAN, "heading.md"))
    k = m["窓口手続のオンライン化"].kpis
    assert [x.indicator for x in k] == ["オンラインで完結する手続数"]
    assert (k[0].baseline.value, k[0].baseline.fiscal_year) == ("12件", 2022)
    assert (k[0].targets[0].value, k[0].targets[0].fiscal_year) == ("60件", 2026)
    k2 = m["基幹システムの標準化"].kpis[0]
    assert k2.baseline is None and k2.targets[0].value == "20業務"


def test_schedule_table_joins_measures_and_resolves_double_arrows() -> None:
    m = _by_title(_plan(HEADING_PLAN, "heading.md"))
    assert _sched(m["窓口手続のオンライン化"]) == {2023: "実施", 2024: "拡充", 2025: "拡充", 2026: "拡充"}
    assert _sched(m["基幹システムの標準化"]) == {2023: "準備", 2024: "準備", 2025: "移行", 2026: "運用"}


def test_pillar_mapping_table_is_document_sourced() -> None:
    m = _by_title(_plan(HEADING_PLAN, "heading.md"))
    assert [(p.code, p.source.value) for p in m["窓口手続のオンライン化"].pillars] == [("A", "document")]
    assert [(p.code, p.source.value) for p in m["基幹システムの標準化"].pillars] == [("E", "document")]
    # measures the document maps to no pillar get an inferred one
    assert all(p.source.value == "inferred" for p in m["地域のデータ活用講座"].pillars)


def test_heading_plan_metadata() -> None:
    plan = _plan(HEADING_PLAN, "heading.md")
    assert plan.title == "ひかり町DX推進計画"
    assert plan.period.start_fy == 2023 and plan.period.end_fy == 2026
    assert {k.value for k in plan.kinds} == {"DX推進計画", "官民データ活用推進計画"}


@pytest.mark.parametrize("doc", [TEMPLATE_PLAN, RECORD_PLAN, SCHEDULE_PLAN, HEADING_PLAN])
def test_every_measure_has_provenance(doc: str) -> None:
    plan = _plan(doc, "x.md")
    assert plan.measures
    for m in plan.measures:
        assert m.provenance is not None and m.provenance.source == "x.md"
        assert m.provenance.line_start and m.provenance.line_end >= m.provenance.line_start


def test_a_document_that_is_not_a_plan_has_no_measures() -> None:
    plan = _plan(
        "# 町内会だより\n\n今月は清掃活動を行いました。\n\n| 日 | 行事 |\n|---|---|\n| 5日 | 清掃 |\n"
    )
    assert plan.measures == [] and plan.policies == []
