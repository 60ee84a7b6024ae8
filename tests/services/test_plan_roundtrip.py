"""plan_save → plan_export gives back the same document, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError

from keikaku.core import plan as core
from keikaku.db.plans import models as m
from keikaku.services.plans import dump_document, plan_export, plan_list, plan_save
from tests.factories import make_plan

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def deep_policies(depth: int) -> list[core.Policy]:
    node = core.Policy(key=f"L{depth}", title=f"第{depth}階層の方針＜全角＞")
    for d in range(depth - 1, 0, -1):
        node = core.Policy(key=f"L{d}", title=f"第{d}階層", pillars=["B"] if d % 2 else [], children=[node])
    return [node, core.Policy(key="Z", title="兄弟")]


def test_save_then_export_is_identical() -> None:
    plan = make_plan(8, policies=deep_policies(7))
    plan = plan.model_copy(
        update={
            "evaluations": [
                core.Evaluation(
                    item="旧施策＜１＞",
                    groups=["(i) 安全", "①防災"],
                    status="概ね達成",
                    decision=core.Decision.CONTINUE,
                    decision_written="<継続>",
                    direction="次期計画に引き継ぐ",
                    reference="P8.②",
                ),
                core.Evaluation(item="空の評価"),
            ],
            "source": core.SourceDocument(filename="計画.pdf", format="pdf", pages=3),
        }
    )
    row = plan_save(plan, now=NOW)
    exported = plan_export(row.pk)
    assert exported == plan
    assert dump_document(exported) == dump_document(plan)


def test_empty_optionals_round_trip() -> None:
    plan = core.Plan(title="最小の計画", organisation=core.Organisation(name="最小村"))
    plan = plan.model_copy(update={"measures": [core.Measure(title="施策だけ")]})
    exported = plan_export(plan_save(plan, now=NOW).pk)
    assert exported == plan
    m0 = exported.measures[0]
    assert m0.kpis == [] and m0.schedule == [] and m0.departments == [] and m0.key is None


def test_kpi_baseline_with_empty_value_is_not_lost() -> None:
    measure = core.Measure(
        title="施策",
        kpis=[
            core.Kpi(indicator="指標", baseline=core.Value(value="", fiscal_year=2024)),
            core.Kpi(indicator="指標2"),
        ],
    )
    plan = core.Plan(title="計画", organisation=core.Organisation(name="某町"), measures=[measure])
    assert plan_export(plan_save(plan, now=NOW).pk) == plan


def test_departments_are_records_shared_within_an_organisation() -> None:
    plan = make_plan(3)
    plan_save(plan, now=NOW)
    plan_save(plan, now=NOW)
    org = m.Organisation.objects.get(name="テスト市A")
    assert org.departments.count() == 1
    assert m.Organisation.objects.count() == 1
    assert len(plan_list()) == 2


def test_save_is_atomic(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = make_plan(6)
    original = m.ScheduleEntry.objects.bulk_create
    calls = {"n": 0}

    def failing(objs, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 4:
            raise IntegrityError("simulated failure mid-save")
        return original(objs, *a, **kw)

    monkeypatch.setattr(m.ScheduleEntry.objects, "bulk_create", failing)
    with pytest.raises(IntegrityError):
        plan_save(plan, now=NOW)
    assert m.Plan.objects.count() == 0
    assert m.Measure.objects.count() == 0
    assert m.Organisation.objects.count() == 0


def test_organisation_is_matched_by_name_when_the_prefecture_is_unknown() -> None:
    plan_save(make_plan(1, org="みなと市", prefecture="静岡県"), now=NOW)
    plan_save(make_plan(1, org="みなと市", prefecture=None), now=NOW)
    assert m.Organisation.objects.filter(name="みなと市").count() == 1
    plan_save(make_plan(1, org="みなと市", prefecture="岡山県"), now=NOW)
    assert m.Organisation.objects.filter(name="みなと市").count() == 2  # a namesake elsewhere


def test_prefecture_learned_later_fills_the_record() -> None:
    plan_save(make_plan(1, org="うみ町", prefecture=None), now=NOW)
    plan_save(make_plan(1, org="うみ町", prefecture="岡山県"), now=NOW)
    assert list(m.Organisation.objects.filter(name="うみ町").values_list("prefecture", flat=True)) == [
        "岡山県"
    ]
