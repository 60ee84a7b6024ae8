from __future__ import annotations

import json

from keikaku.core.validation import has_errors, validate_data, validate_text
from tests.factories import make_plan


def _data(**changes) -> dict:
    d = make_plan(5).model_dump(mode="json", exclude_none=True)
    d.update(changes)
    return d


def test_valid_plan_has_no_errors() -> None:
    doc, problems = validate_data(_data())
    assert doc is not None
    assert not has_errors(problems)


def test_malformed_json_is_one_located_problem() -> None:
    doc, problems = validate_text('{"title": "x",\n "measures": [}')
    assert doc is None
    assert len(problems) == 1
    assert "line 2" in problems[0].message


def test_every_problem_has_a_json_path() -> None:
    d = _data()
    d["measures"][2]["kpis"][0]["targets"][0]["fiscal_year"] = 3020
    d["measures"][1]["pillars"] = [{"code": "Z"}]
    d["measures"][0]["title"] = 7
    _doc, problems = validate_data(d)
    paths = {p.path: p for p in problems}
    assert "measures[2].kpis[0].targets[0].fiscal_year" in paths
    assert "impossible fiscal year" in paths["measures[2].kpis[0].targets[0].fiscal_year"].message
    assert "measures[1].pillars[0].code" in paths
    assert "unknown pillar" in paths["measures[1].pillars[0].code"].message
    assert "measures[0].title" in paths
    assert all(p.severity == "error" for p in problems)


def test_consistency_warnings_are_japanese_with_english() -> None:
    d = _data()
    d["measures"][1]["key"] = d["measures"][0]["key"]
    d["measures"][2]["schedule"][0]["fiscal_year"] = 2040
    doc, problems = validate_data(d)
    assert doc is not None and not has_errors(problems)
    by_path = {p.path: p for p in problems}
    assert "重複" in by_path["measures[1].key"].message
    assert "duplicate key" in by_path["measures[1].key"].text("en")
    assert "計画期間の外" in by_path["measures[2].schedule[0].fiscal_year"].message
    # the guide's own rules (no KPI, no security chapter …) are keikaku.core.compliance, not here
    d = _data(sections=[])
    d["measures"][0]["kpis"] = []
    assert validate_data(d)[1] == []


def test_period_start_after_end_is_an_error() -> None:
    _doc, problems = validate_data(_data(period={"start_fy": 2030, "end_fy": 2025}))
    assert any(p.path == "period" and p.severity == "error" for p in problems)


def test_not_an_object() -> None:
    _doc, problems = validate_text(json.dumps([1, 2]))
    assert has_errors(problems)
