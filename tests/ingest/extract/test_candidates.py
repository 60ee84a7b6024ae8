"""The recogniser contract (extract/candidate.py, extract/recognise.py) and the merge policy applied to
candidates (merge.Merger): recognisers read and claim, never change anything; joining is the policy's."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from keikaku.core.plan import Kpi, ScheduleEntry
from keikaku.ingest.blocks import Block, BlockKind
from keikaku.ingest.extract import RECOGNISERS
from keikaku.ingest.extract.candidate import CONFIDENCE, Candidate, Context, Join
from keikaku.ingest.extract.draft import Draft
from keikaku.ingest.extract.merge import Merger
from keikaku.ingest.extract.outline import build_outline
from keikaku.ingest.readers import read_document

# a fictional plan that four layouts meet in: label lines, a card, a row table naming the same measure,
# a KPI table under a measure, and a schedule table naming measures by key
PLAN = """\
みどり村デジタル推進計画

第3章 施策

(1) 手続のオンライン化
ア 電子申請の拡充
　住民が自宅から申請できる手続を増やす。
　担当：総務課
イ 窓口のキャッシュレス化
　担当：税務課、住民課
　指標：キャッシュレス対応窓口の数 現状 2か所（令和6年度）→ 目標 8か所（令和9年度）

(2) データの活用
ウ オープンデータの公開
　担当：企画課

<table><tr><th>施策</th><th>担当部署</th><th>令和8年度</th><th>令和9年度</th></tr>
<tr><td>電子申請の拡充</td><td>総務課</td><td>検討</td><td>実施</td></tr>
<tr><td>窓口のキャッシュレス化</td><td>税務課</td><td>実施</td><td>実施</td></tr>
<tr><td>公共施設予約のオンライン化</td><td>施設課</td><td>検討</td><td>実施</td></tr>
</table>
"""


@pytest.fixture
def blocks(tmp_path: Path) -> list[Block]:
    path = tmp_path / "plan.md"
    path.write_text(PLAN, encoding="utf-8")
    return read_document(path).blocks


def _ctx(blocks: list[Block]) -> Context:
    return Context(blocks, build_outline(blocks), "plan.md")


def test_recognisers_return_candidates_and_change_nothing(blocks: list[Block]) -> None:
    ctx = _ctx(blocks)
    before = copy.deepcopy(blocks)
    seen: dict[int, str] = {}
    for name, recogniser, _ in RECOGNISERS:
        claimed = set(ctx.claimed)
        found = recogniser(ctx)
        assert ctx.claimed == claimed, f"{name} changed the claimed blocks itself"
        assert blocks == before, f"{name} changed the block stream"
        for c in found:
            assert isinstance(c, Candidate) and c.recogniser == name
            assert 0 < c.confidence <= 1
            assert not (c.claims & claimed), f"{name} claimed a block an earlier recogniser claimed"
            for k in c.claims:
                if k in seen and seen[k] != name:
                    pytest.fail(f"block {k} claimed by {seen[k]} and {name}")
                seen[k] = name
            ctx.claimed |= c.claims
    assert "labelled" in seen.values() and "tables" in seen.values()


def test_a_row_naming_a_labelled_measure_joins_it_and_a_new_row_is_its_own(blocks: list[Block]) -> None:
    from keikaku.ingest.blocks import ReadResult
    from keikaku.ingest.extract import _Extraction

    ex = _Extraction(ReadResult(blocks, "md"), "plan.md")
    ex.recognise()
    by_title = {d.title: d for d in ex.drafts}
    assert set(by_title) == {
        "電子申請の拡充",
        "窓口のキャッシュレス化",
        "オープンデータの公開",
        "公共施設予約のオンライン化",
    }
    cashless = by_title["窓口のキャッシュレス化"]
    assert cashless.departments == ["税務課", "住民課"]  # the row's 税務課 is not added twice
    assert [(e.fiscal_year, e.written) for e in cashless.schedule] == [(2026, "実施"), (2027, "実施")]
    assert cashless.confidence == CONFIDENCE["labelled"]  # the surest candidate it was read from
    assert by_title["公共施設予約のオンライン化"].origin == "row"


# -- the merge policy on candidates written by hand -------------------------------------------------


def _blocks(n: int, headings: tuple[int, ...] = ()) -> list[Block]:
    return [Block(BlockKind.HEADING if i in headings else BlockKind.PARAGRAPH, f"b{i}") for i in range(n)]


def _merger(n: int = 20, headings: tuple[int, ...] = ()) -> Merger:
    blocks = _blocks(n, headings)
    return Merger(blocks, build_outline(blocks))


def _new(title: str, at: int, conf: float = 0.9, **fields: object) -> Candidate:
    return Candidate("test", Join.NEW, Draft(title, order=at, **fields), at, confidence=conf)  # type: ignore[arg-type]


def _sched(*years: int) -> list[ScheduleEntry]:
    return [ScheduleEntry(fiscal_year=y, phase="実施", written="実施") for y in years]


def test_a_surer_candidate_replaces_a_field_a_less_sure_one_does_not() -> None:
    m = _merger()
    row = Candidate(
        "t", Join.ROW, Draft("電子申請の拡充", order=5, schedule=_sched(2030)), 5, confidence=0.95
    )
    weak = Candidate(
        "t", Join.ROW, Draft("電子申請の拡充", order=6, schedule=_sched(2031)), 6, confidence=0.5
    )
    m.merge([_new("電子申請の拡充", 1, 0.8, schedule=_sched(2026)), row, weak])
    assert len(m.drafts) == 1
    assert [e.fiscal_year for e in m.drafts[0].schedule] == [2030]


def test_rows_of_one_table_never_join_each_other() -> None:
    m = _merger()
    head = (2, ("施策", "担当"))
    rows = [
        Candidate("t", Join.ROW, Draft("窓口の電子化", order=3, origin="row", table_head=head), 3, head=head)
        for _ in range(2)
    ]
    m.merge(rows)
    assert len(m.drafts) == 2
    assert [d.table_row for d in m.drafts] == [1, 2]


def test_a_table_of_its_own_measures_joins_only_a_near_identical_title() -> None:
    m = _merger()
    own = Candidate("t", Join.ROW, Draft("電子申請の拡充と周知", order=9), 9, defines=True)
    m.merge([_new("電子申請の拡充", 1), own])
    assert [d.title for d in m.drafts] == ["電子申請の拡充", "電子申請の拡充と周知"]


def test_a_reference_joins_by_key_and_is_never_a_new_measure() -> None:
    m = _merger()
    first = _new("電子申請の拡充", 1, key="1")
    ref = Candidate("t", Join.REF, Draft("", order=9, departments=["総務課"]), 9, refs=("1",))
    lost = Candidate("t", Join.REF, Draft("", order=9, departments=["企画課"]), 9, refs=("7",))
    m.merge([first, ref, lost])
    assert len(m.drafts) == 1 and m.drafts[0].departments == ["総務課"]


def test_a_key_only_schedule_row_naming_nothing_is_dropped() -> None:
    m = _merger()
    m.merge([Candidate("t", Join.ROW, Draft("3", "3", order=4), 4, key_only=True)])
    assert m.drafts == []


def test_a_target_row_without_a_name_goes_to_the_measure_right_before_its_table() -> None:
    kpi = Kpi(indicator="申請件数")
    m = _merger(headings=(5,))
    first = _new("電子申請の拡充", 1)
    second = _new("窓口の電子化", 6)
    under_heading = Candidate("t", Join.TARGET, Draft("申請件数", order=4, kpis=[kpi]), 4)
    after = Candidate("t", Join.TARGET, Draft("申請件数", order=8, kpis=[kpi]), 8)
    m.merge([first, second, under_heading, after])
    assert [k.indicator for k in first.fields.kpis] == ["申請件数"]
    assert [k.indicator for k in second.fields.kpis] == ["申請件数"]
    assert first.fields.kpis[0] is not second.fields.kpis[0]  # each measure its own copy


def test_a_target_row_does_not_cross_a_heading() -> None:
    m = _merger(headings=(3,))
    first = _new("電子申請の拡充", 1)
    m.merge([first, Candidate("t", Join.TARGET, Draft("別の指標", order=5, kpis=[Kpi(indicator="x")]), 5)])
    assert first.fields.kpis == []


def test_a_grid_attaches_after_every_measure_is_known() -> None:
    m = _merger()
    grid = Candidate("t", Join.ATTACH, Draft("", order=7, schedule=_sched(2027)), 7)
    # the grid comes first in the candidate list; the measure before it in the document still gets it
    m.merge([grid, _new("電子申請の拡充", 2), _new("窓口の電子化", 9)])
    assert [e.fiscal_year for e in m.drafts[0].schedule] == [2027]
    assert m.drafts[1].schedule == []


def test_boxes_under_one_heading_are_one_measure_in_order() -> None:
    m = _merger(headings=(2,))
    parts = [
        Candidate("t", Join.HEADING, Draft("電子申請の拡充", order=2, description=t), 2, append=True)
        for t in ("目的を書く。", "取組を書く。")
    ]
    m.merge(parts)
    assert len(m.drafts) == 1 and m.drafts[0].description == "目的を書く。\n取組を書く。"


def test_a_table_grid_is_built_once_and_handed_out_as_new_rows() -> None:
    """Every recogniser reads Table.grid(): it is built once, and a caller changing the rows it got does
    not change what the next caller gets."""
    from keikaku.ingest.blocks import Cell, Table

    table = Table([[Cell("施策", colspan=2), Cell("担当")], [Cell("a"), Cell("b"), Cell("c")]])
    first = table.grid()
    assert [[c.text for c in r] for r in first] == [["施策", "施策", "担当"], ["a", "b", "c"]]
    assert [c.is_span_copy for c in first[0]] == [False, True, False]
    first[0].pop()
    first.pop()
    assert table.texts() == [["施策", "施策", "担当"], ["a", "b", "c"]]
    assert table.grid()[0][1] is first[0][1]  # the same cells, not a second build
