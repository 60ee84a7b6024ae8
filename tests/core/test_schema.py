from __future__ import annotations

import json

import pytest

from keikaku.core import schema
from keikaku.core.plan import Plan
from tests.factories import make_plan


@pytest.mark.parametrize("name", sorted(schema.SCHEMAS))
def test_committed_schema_is_up_to_date(name: str) -> None:
    committed = (schema.SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schema.generate(name), "run: python -m keikaku.core.schema"


def test_schema_has_the_fields_the_scorer_reads() -> None:
    s = json.loads(schema.generate("plan-v1.schema.json"))
    defs = s["$defs"]
    assert {"title", "measures"} <= set(s["properties"])
    assert {"title", "pillars", "kpis", "departments", "schedule"} <= set(defs["Measure"]["properties"])
    assert {"code", "source", "confidence"} <= set(defs["PillarRef"]["properties"])
    assert {"indicator", "baseline", "targets"} <= set(defs["Kpi"]["properties"])
    assert {"value", "fiscal_year"} <= set(defs["Value"]["properties"])
    assert {"fiscal_year", "written", "phase"} <= set(defs["ScheduleEntry"]["properties"])


def test_plan_json_round_trips_through_the_model() -> None:
    plan = make_plan(3)
    text = plan.model_dump_json(exclude_none=True)
    assert Plan.model_validate_json(text) == plan
