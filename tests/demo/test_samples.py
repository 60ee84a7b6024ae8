"""The demo sample plans: valid, canonical, complete enough to populate the portal and the benchmarks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools.samples import build, canonical_text, main
from keikaku.core.pillars import PILLAR_CODES, PRIORITY_AREA_NAMES
from keikaku.core.plan import Plan, iter_policies
from keikaku.core.validation import validate_text
from keikaku.demo import SAMPLE_PATHS, SAMPLE_PLAN, SAMPLE_PLAN_B, load_sample

SEED_NAMES = ("都城", "名取", "東御", "湯沢")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _check_digit(five: str) -> int:
    """全国地方公共団体コード: weights 6,5,4,3,2; check = last digit of 11 − (sum mod 11)."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


@pytest.fixture(scope="module")
def midori() -> Plan:
    return load_sample(SAMPLE_PLAN)


@pytest.fixture(scope="module")
def sakura() -> Plan:
    return load_sample(SAMPLE_PLAN_B)


def test_check_digit_rule_matches_known_codes() -> None:
    assert _check_digit("13101") == 6  # 千代田区 131016
    assert _check_digit("01100") == 2  # 札幌市 011002


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name)
def test_file_validates_and_is_canonical(path: Path) -> None:
    text = _text(path)
    data = json.loads(text)
    assert canonical_text(data) == text
    plan = Plan.model_validate(data)
    redumped = (
        json.dumps(plan.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"
    )
    assert redumped == text


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name)
def test_passes_the_plan_rules_without_warnings(path: Path) -> None:
    plan, problems = validate_text(_text(path))
    assert isinstance(plan, Plan)
    assert [str(p) for p in problems] == []


def test_files_are_canonical_and_the_tool_says_so(tmp_path: Path, capsys) -> None:
    for path, text in build().items():
        assert _text(path) == text, f"{path.name} is not canonical: run python -m devtools.samples"
    assert main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    messy = tmp_path / "plan.json"
    messy.write_text(json.dumps(json.loads(_text(SAMPLE_PLAN_B))), encoding="utf-8")  # one line, \u escapes
    assert build((messy,)) == {messy: _text(SAMPLE_PLAN_B)}


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name)
def test_fictional_only(path: Path) -> None:
    text = _text(path)
    for name in SEED_NAMES:
        assert name not in text
    plan = load_sample(path)
    code = plan.organisation.code
    assert code is not None and len(code) == 6
    assert int(code[-1]) == _check_digit(code[:5])
    assert code[:2] in {"22", "33"}  # 静岡県, 岡山県


def test_midori_identity(midori: Plan) -> None:
    assert midori.organisation.name == "みどり市"
    assert midori.organisation.kind == "市"
    assert [k.value for k in midori.kinds] == ["官民データ活用推進計画", "DX推進計画"]
    assert (midori.period.start_fy, midori.period.end_fy) == (2025, 2029)
    assert midori.published == "2025-04"
    assert midori.version == "1.0"


def test_midori_sections_follow_template_order(midori: Plan) -> None:
    kinds = [s.kind for s in midori.sections]
    assert kinds == [
        "situation",
        "purpose",
        "position",
        "period",
        "structure",
        "policy",
        "measures",
        "security",
    ]
    for section in midori.sections:
        if section.kind != "period":
            assert section.text.count("\n\n") >= 1, section.title


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name)
def test_policy_tree_and_keys(path: Path) -> None:
    plan = load_sample(path)
    walked = list(iter_policies(plan.policies))
    assert max(depth for depth, _ in walked) >= 1
    policy_keys = [p.key for _, p in walked]
    assert len(policy_keys) == len(set(policy_keys))
    measure_keys = [m.key for m in plan.measures]
    assert len(measure_keys) == len(set(measure_keys))
    leaf_keys = {p.key for _, p in walked if not p.children}
    for m in plan.measures:
        assert m.policy_key in leaf_keys, m.key


def test_midori_measures_cover_pillars(midori: Plan) -> None:
    assert 24 <= len(midori.measures) <= 30
    codes = {ref.code for m in midori.measures for ref in m.pillars}
    assert codes == PILLAR_CODES
    refs = [ref for m in midori.measures for ref in m.pillars]
    inferred = [r for r in refs if r.source == "inferred"]
    assert 1 <= len(inferred) < len(refs) / 4
    assert all(r.confidence < 1 for r in inferred)
    areas = {a for m in midori.measures for a in m.priority_areas}
    assert areas <= PRIORITY_AREA_NAMES
    assert len(areas) >= 6
    assert 2 <= sum(m.priority for m in midori.measures) < len(midori.measures) / 2
    assert 1 <= sum(m.reposted for m in midori.measures) <= 2


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name)
def test_measures_complete_and_years_in_period(path: Path) -> None:
    plan = load_sample(path)
    start, end = plan.period.start_fy, plan.period.end_fy
    assert start is not None and end is not None
    assert len(plan.measures) >= 12
    low, high = (2, 4) if path == SAMPLE_PLAN else (1, 3)  # sentences per description
    for m in plan.measures:
        assert m.departments, m.key
        assert low <= m.description.count("。") <= high, m.key
        for k in m.kpis:
            assert k.targets and k.direction is not None, (m.key, k.indicator)
            for t in k.targets:
                assert t.fiscal_year is not None and start <= t.fiscal_year <= end
            if k.baseline is not None:
                assert k.baseline.fiscal_year is not None and k.baseline.fiscal_year < start
        years = [e.fiscal_year for e in m.schedule]
        if years:
            assert years == list(range(start, end + 1)), m.key
            assert all(e.phase for e in m.schedule), m.key
        if m.deadline_fy is not None:
            assert start <= m.deadline_fy <= end
    with_kpis = sum(bool(m.kpis) for m in plan.measures)
    with_schedule = sum(bool(m.schedule) for m in plan.measures)
    assert with_kpis >= 0.8 * len(plan.measures)
    assert with_schedule >= 0.8 * len(plan.measures)


def test_midori_kpis_and_schedules_are_varied(midori: Plan) -> None:
    directions = {k.direction.value for m in midori.measures for k in m.kpis if k.direction}
    assert directions == {"increase", "decrease", "keep", "qualitative"}
    written = {e.written for m in midori.measures for e in m.schedule}
    assert {"検討", "準備", "構築", "実施", "運用", "拡充"} <= written
    phases = {e.phase for m in midori.measures for e in m.schedule}
    assert {"study", "prepare", "build", "implement", "operate", "expand"} <= phases
    # an arrow in the printed row continues the previous phase: some years repeat the year before
    assert any(
        a.written == b.written
        for m in midori.measures
        for a, b in zip(m.schedule, m.schedule[1:], strict=False)
    )
    assert any(m.deadline_fy for m in midori.measures)
    assert any(m.national_measures for m in midori.measures)
    assert all(m.provenance is None for m in midori.measures)


def test_midori_evaluations_point_into_plan(midori: Plan) -> None:
    assert 8 <= len(midori.evaluations) <= 12
    keys = {m.key for m in midori.measures}
    decisions = {e.decision.value for e in midori.evaluations if e.decision}
    assert {"継続", "完了", "終了", "見直し"} <= decisions
    for e in midori.evaluations:
        assert e.decision is not None and e.decision_written == f"<{e.decision.value}>"
        assert e.status and e.direction
        if e.reference is not None:
            assert e.reference in keys


# さくら町 measure → the みどり市 measure on the same theme; the rest of さくら町's measures are its own.
THEME_PAIRS = {
    "(1)-ア": "1-①",
    "(1)-イ": "1-②",
    "(2)-ア": "2-①",
    "(2)-イ": "2-②",
    "(3)-ア": "3-①",
    "(4)-ア": "4-①",
    "(4)-イ": "5-②",
    "(5)-ア": "7-①",
    "(6)-ア": "8-①",
    "(6)-イ": "9-②",
    "(6)-ウ": "11-①",
}
TOWN_ONLY = ("(4)-ウ", "(5)-イ", "(5)-ウ")


def _bigram_similarity(a: str, b: str) -> float:
    x = {a[i : i + 2] for i in range(len(a) - 1)}
    y = {b[i : i + 2] for i in range(len(b) - 1)}
    return len(x & y) / len(x | y)


def test_sakura_is_a_smaller_town_plan(midori: Plan, sakura: Plan) -> None:
    assert sakura.organisation.kind == "町"
    assert sakura.organisation.prefecture != midori.organisation.prefecture
    assert [k.value for k in sakura.kinds] == ["情報化推進計画"]
    assert 12 <= len(sakura.measures) <= 15
    assert all(m.key and m.key.startswith("(") and "-" in m.key for m in sakura.measures)


def test_sakura_shares_some_themes_with_midori(midori: Plan, sakura: Plan) -> None:
    """A plain bigram comparison of title + description pairs the shared themes and no others."""
    originals = [m for m in midori.measures if not m.reposted]
    for m in sakura.measures:
        text = m.title + m.description
        scored = sorted(
            ((_bigram_similarity(text, n.title + n.description), n) for n in originals),
            key=lambda pair: pair[0],
            reverse=True,
        )
        best_score, best = scored[0]
        if m.key in THEME_PAIRS:
            assert best.key == THEME_PAIRS[m.key], (m.title, best.title)
            assert best_score >= 0.12, m.title
            assert {r.code for r in m.pillars} & {r.code for r in best.pillars}
        else:
            assert m.key in TOWN_ONLY
            assert best_score < 0.11, (m.title, best.title)


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name)
def test_complies_with_the_guide(path: Path) -> None:
    from keikaku.core.compliance import check_plan, lines

    plan = Plan.model_validate_json(_text(path))
    assert lines(check_plan(plan)) == []
