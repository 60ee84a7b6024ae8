"""Use case demo_load: the fictional sample plans, loaded once."""

from __future__ import annotations

from datetime import datetime
from importlib import resources

from keikaku.core.plan import Plan
from keikaku.services.plans import plan_save
from keikaku.web.plans.models import Plan as PlanRow

SAMPLES = ("sample_plan.json", "sample_plan_b.json")


def sample_plans() -> list[Plan]:
    out = []
    for name in SAMPLES:
        f = resources.files("keikaku.demo").joinpath(name)
        if f.is_file():
            out.append(Plan.model_validate_json(f.read_text(encoding="utf-8")))
    return out


def demo_load(*, now: datetime) -> list[str]:
    """Store the sample plans unless a plan with the same title and organisation is there already."""
    lines = []
    for plan in sample_plans():
        existing = PlanRow.objects.filter(title=plan.title, organisation__name=plan.organisation.name).first()
        if existing:
            lines.append(f"sample plan already loaded: {existing.pk} {plan.title}")
            continue
        row = plan_save(plan, now=now)
        lines.append(f"sample plan loaded: {row.pk} {plan.title} ({len(plan.measures)} measures)")
    return lines
