"""The plan a careful reader writes down for a generated document, in the canonical scoring form:

    {"title", "organisation", "period": {"start_fy", "end_fy"},
     "measures": [{"key", "title", "pillars": [codes], "departments": [...],
                   "kpis": [{"indicator", "unit", "baseline": {"value", "fiscal_year"} | None,
                             "targets": [{"value", "fiscal_year"}]}],
                   "schedule": [{"fiscal_year", "written"}]}]}

Values are as written (a KPI value keeps its unit and rate word: "年間800件"); pillars only where the
document states them (a policy heading naming the pillar, a per-measure label or a 関連条項 mark);
the schedule as written in the plan's style (a word, or ●/○/→ in a mark grid).
"""

from __future__ import annotations

from tests.ingest.generated import grammar as g
from tests.ingest.generated.grammar import GenPlan


def expected_plan(plan: GenPlan) -> dict:
    measures = []
    for m in plan.measures:
        kpis = []
        for k in m.kpis:
            kpis.append({
                "indicator": k.indicator,
                "unit": k.unit or None,
                "baseline": {"value": k.baseline_text, "fiscal_year": k.baseline_fy} if k.baseline else None,
                "targets": [{"value": k.target_text, "fiscal_year": k.target_fy}],
            })  # fmt: skip
        measures.append({
            "key": m.key,
            "title": m.title,
            "pillars": list(m.pillars) if m.pillars_stated else [],
            "departments": list(m.departments),
            "kpis": kpis,
            "schedule": [{"fiscal_year": y, "written": w} for y, w in sorted(g.schedule(plan, m).items())],
        })  # fmt: skip
    return {
        "title": plan.title,
        "organisation": plan.town,
        "period": {"start_fy": plan.start_fy, "end_fy": plan.end_fy},
        "layout": plan.style.layout,
        "format": plan.style.fmt,
        "measures": measures,
    }


def well_formed(doc: dict) -> list[str]:
    """Problems with an expected plan (empty when it is well formed)."""
    problems = []
    if not doc.get("title") or not doc.get("measures"):
        problems.append("no title or no measures")
    titles = [m["title"] for m in doc.get("measures", [])]
    if len(set(titles)) != len(titles):
        problems.append("duplicate measure titles")
    start, end = doc["period"]["start_fy"], doc["period"]["end_fy"]
    for m in doc.get("measures", []):
        where = m.get("title", "?")
        if not m.get("title") or not m.get("departments"):
            problems.append(f"{where}: no title or department")
        if any(p not in g.PILLARS for p in m["pillars"]):
            problems.append(f"{where}: unknown pillar")
        for k in m["kpis"]:
            if not k["indicator"] or not k["targets"] or not k["targets"][0]["value"]:
                problems.append(f"{where}: KPI without indicator or target")
            if not start - 3 <= k["targets"][-1]["fiscal_year"] <= end:
                problems.append(f"{where}: KPI target year outside the period")
        for e in m["schedule"]:
            if not (start <= e["fiscal_year"] <= end) or not e["written"]:
                problems.append(f"{where}: schedule entry {e} outside the period or empty")
    return problems
