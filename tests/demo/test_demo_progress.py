"""The demo, a year of reporting played on it: every KPI of the sample plan gets an actual typed the
way clerks type them (full-width digits and units, 万, a prefix, the target's own words); the dashboard's
roll-up counts every KPI that has an actual, and the full-width percent of the issue reaches 75%."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from keikaku.core.rollup import Target, target_for
from keikaku.core.text import nfkc
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services.demo import demo_load, demo_people
from keikaku.services.progress import ActualInput, ReportInput, kpi_checks, progress_approve, progress_save
from keikaku.services.rollup import plan_rollup

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)

WIDE = str.maketrans("0123456789%.,", "０１２３４５６７８９％．，")


def _typed(value: str, i: int) -> str:
    """The target as a clerk might type it: in full width every other KPI, with a space before the unit."""
    s = nfkc(value)
    s = s.split("（")[0].split("(")[0].strip()
    return s.translate(WIDE).replace("％", " ％") if i % 2 else s


def test_every_kpi_with_an_actual_is_counted_on_the_demo_dashboard() -> None:
    demo_load(now=NOW)
    demo_people(now=NOW)
    period = gm.ReportingPeriod.objects.get()
    plan = period.plan
    dana = pm.Organisation.objects.get(pk=plan.organisation_id).memberships.get(role="admin").user
    measures = list(plan.measures.order_by("order").prefetch_related("kpis__targets"))
    checks = kpi_checks([m.pk for m in measures])
    n_kpis = 0
    for ms in measures:
        actuals = []
        for k in ms.kpis.all():
            n_kpis += 1
            t = target_for([Target(t.value, t.fiscal_year) for t in k.targets.all()], period.fiscal_year)
            typed = (
                _typed(t.value, n_kpis)
                if t and not checks[k.pk].rule.qualitative
                else (t.value if t else "実施")
            )
            actuals.append(ActualInput(k.pk, text=typed))
        r = progress_save(
            dana, ms, period, ReportInput(status="順調", actuals=actuals), revision=0, now=NOW, submit=True
        )
        progress_approve(dana, r, revision=r.revision, now=NOW)
    assert n_kpis == 38
    data = plan_rollup(None, plan, period, today=date(2026, 5, 1))
    assert data.total.kpis == 38 and data.total.kpis_measured == 38
    assert data.total.kpis_rated == 38 and data.total.kpis_met >= 37  # each reached its own target
    # the example: 30 ％ typed against a target of 40% is 75 %
    kpi = next(k for m in measures for k in m.kpis.all() if checks[k.pk].rule.accepted_units == ["%"])
    kpi.targets.all().delete()
    kpi.targets.create(order=0, value="40%", fiscal_year=period.fiscal_year)
    kpi.has_baseline = False
    kpi.save()
    r = gm.ProgressReport.objects.get(measure=kpi.measure, period=period)
    gm.ProgressReport.objects.filter(pk=r.pk).update(state="draft")
    progress_save(
        dana,
        kpi.measure,
        period,
        ReportInput(status="順調", actuals=[ActualInput(kpi.pk, text="３０ ％")]),
        revision=r.revision,
        now=NOW,
    )
    row = next(
        m
        for m in plan_rollup(dana, plan, period, today=date(2026, 5, 1)).measures
        if m.measure.pk == kpi.measure_id
    )
    got = next(k for k in row.kpis if k.kpi.pk == kpi.pk)
    assert got.attainment.ratio == 0.75 and got.actual == "30%"
