"""One summary of an extracted plan for the layout tests: per measure its key, title, departments, KPIs
(indicator, baseline, last target and its year) and schedule (fiscal year → phase as written)."""

from __future__ import annotations

from keikaku.core.plan import Plan


def summary(plan: Plan, *, deadline: bool = False) -> list[tuple]:
    """``deadline`` adds the measure's deadline year as a last element."""
    out = []
    for m in plan.measures:
        kpis = [
            (
                k.indicator,
                k.baseline.value if k.baseline else None,
                k.targets[-1].value if k.targets else None,
                k.targets[-1].fiscal_year if k.targets else None,
            )
            for k in m.kpis
        ]
        row = (m.key, m.title, m.departments, kpis, {e.fiscal_year: e.written for e in m.schedule})
        out.append((*row, m.deadline_fy) if deadline else row)
    return out
