"""The shared test characters (healthchecks' Alice/Bob/Charlie), for every permission test.

- Alice: editor of 市A (the planning office)
- Bob: reporter of 市A for one department (情報政策課 — measures 1 and 3 of 市A's plan)
- Charlie: editor of 市B
- Dana: admin of 市A (CIO office: opens and closes periods)
- the anonymous resident: ``Client()`` without login / ``AnonymousUser()``

Use ``people = make_people()`` in a test with the database, or define a fixture
``def people(db): return make_people()`` in the test module (or list "tests.people" in the root
conftest's ``pytest_plugins`` to share the ``people`` fixture below). Each character has an API token in ``tokens``.
Titles and narratives carry <script> (tests.factories).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services.people import membership_set, token_create
from keikaku.services.plans import plan_save
from keikaku.services.progress import (
    ActualInput,
    ReportInput,
    parse_actual,
    progress_approve,
    progress_save,
)
from tests.factories import XSS, make_measure, make_plan

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct-horse-battery-staple"


@dataclass
class People:
    alice: object
    bob: object
    charlie: object
    dana: object
    plan_a: pm.Plan
    plan_b: pm.Plan
    period_a: gm.ReportingPeriod
    period_b: gm.ReportingPeriod
    bob_measure: pm.Measure  # a measure of Bob's department
    other_measure: pm.Measure  # a measure of 市A outside Bob's department
    measure_b: pm.Measure  # a measure of 市B
    department: pm.Department  # Bob's department
    tokens: dict[str, str] = field(default_factory=dict)


def _plan(org: str, depts: list[str]) -> pm.Plan:
    measures = [make_measure(i, departments=[depts[(i - 1) % len(depts)]]) for i in range(1, 5)]
    return plan_save(make_plan(4, org=org, measures=measures), now=NOW)


def make_people() -> People:
    User = get_user_model()
    # no password (fast; log in with client.force_login); call user.set_password(PASSWORD) when a test
    # drives the login form
    users = {
        name: User.objects.create_user(name, f"{name}@example.jp")
        for name in ("alice", "bob", "charlie", "dana")
    }
    dept_a, dept_other = f"情報政策課{XSS}", "市民課"
    plan_a = _plan("テスト市A", [dept_a, dept_other])
    plan_b = _plan("テスト市B", ["企画課"])
    org_a, org_b = plan_a.organisation, plan_b.organisation
    department = pm.Department.objects.get(organisation=org_a, name=dept_a)
    membership_set(users["alice"], org_a, "editor")
    membership_set(users["bob"], org_a, "reporter", [department])
    membership_set(users["charlie"], org_b, "editor")
    membership_set(users["dana"], org_a, "admin")
    period_a = gm.ReportingPeriod.objects.create(
        plan=plan_a, fiscal_year=2025, due_date=date(2026, 4, 30), state="open"
    )
    period_b = gm.ReportingPeriod.objects.create(
        plan=plan_b, fiscal_year=2025, due_date=date(2026, 4, 30), state="open"
    )
    ms_a = list(plan_a.measures.order_by("order"))
    people = People(
        **users,
        plan_a=plan_a,
        plan_b=plan_b,
        period_a=period_a,
        period_b=period_b,
        bob_measure=ms_a[0],
        other_measure=ms_a[1],
        measure_b=plan_b.measures.order_by("order").first(),
        department=department,
    )
    for name, user in users.items():
        people.tokens[name] = token_create(user, f"{name}-token", now=NOW)[1]
    return people


@pytest.fixture
def people(db) -> People:
    return make_people()


def people_reload(p: People) -> People:
    """The same characters as fresh model instances read from the database (the tokens as they were): what a
    test gets from people made once for many tests (tests/permissions/conftest.py), so that nothing one test
    changes on an object reaches the next."""
    User = get_user_model()
    users = {name: User.objects.get(pk=getattr(p, name).pk) for name in ("alice", "bob", "charlie", "dana")}
    return People(
        **users,
        plan_a=pm.Plan.objects.get(pk=p.plan_a.pk),
        plan_b=pm.Plan.objects.get(pk=p.plan_b.pk),
        period_a=gm.ReportingPeriod.objects.get(pk=p.period_a.pk),
        period_b=gm.ReportingPeriod.objects.get(pk=p.period_b.pk),
        bob_measure=pm.Measure.objects.get(pk=p.bob_measure.pk),
        other_measure=pm.Measure.objects.get(pk=p.other_measure.pk),
        measure_b=pm.Measure.objects.get(pk=p.measure_b.pk),
        department=pm.Department.objects.get(pk=p.department.pk),
        tokens=dict(p.tokens),
    )


def report_input(measure: pm.Measure, status: str = "順調", value: str = "25") -> ReportInput:
    """A report on ``measure``: ``status``, a narrative with <script>, one evidence link, ``value`` for its
    first KPI (parsed as a typed-in actual, in the KPI's unit)."""
    kpi = measure.kpis.first()
    return ReportInput(
        status=status,
        narrative="進めた<script>x</script>",
        evidence=["https://example.jp/a"],
        actuals=[parse_actual(kpi.pk, value, kpi.unit or "")],
    )


def approve_bob_report(p: People, narrative: str) -> gm.ProgressReport:
    """Bob's report on his measure for period A (順調, 25 件, ``narrative``), submitted; Alice approves it."""
    kpi = p.bob_measure.kpis.get()
    rep = progress_save(
        p.bob,
        p.bob_measure,
        p.period_a,
        ReportInput(status="順調", narrative=narrative, actuals=[ActualInput(kpi.pk, Decimal("25"), "件")]),
        revision=0,
        now=NOW,
        submit=True,
    )
    return progress_approve(p.alice, rep, revision=rep.revision, now=NOW)


def qualitative(measure: pm.Measure) -> pm.Kpi:
    """Make the measure's first KPI qualitative (実施 / 導入完了 …): words are accepted as its actual
    (keikaku.core.actuals); a numeric KPI (the factories' default, in 件) takes numbers only."""
    kpi = measure.kpis.first()
    kpi.direction = "qualitative"
    kpi.save(update_fields=["direction"])
    return kpi
