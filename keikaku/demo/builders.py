"""Small helpers that keep the fictional sample plans (keikaku/demo/samples_*.py) readable.

Each helper returns plain dicts in the plan JSON format (keikaku.core.plan); ``make_samples`` validates
them with :class:`~keikaku.core.plan.Plan` and writes the canonical JSON.
"""

from __future__ import annotations

from typing import Any

from keikaku.core.schedule import fill_schedule

Json = dict[str, Any]


def schedule(start_fy: int, cells: str) -> list[Json]:
    """One schedule row as a plan prints it, from start_fy: '検討 準備 構築 運用 →'.

    Resolved the way the importer resolves a row (keikaku.core.schedule.fill_schedule): an arrow repeats
    the phase it continues, so '構築 運用 →' gives 構築, 運用, 運用 with their normalised phases.
    """
    row = [(start_fy + offset, cell) for offset, cell in enumerate(cells.split())]
    return [e.model_dump(mode="json", exclude_none=True) for e in fill_schedule(row)]


def kpi(
    indicator: str,
    unit: str | None,
    baseline: tuple[str, int] | None,
    targets: list[tuple[str, int]],
    direction: str,
) -> Json:
    """One KPI; values are strings as a plan writes them, years are western fiscal years."""
    data: Json = {
        "indicator": indicator,
        "unit": unit,
        "targets": [{"value": v, "fiscal_year": fy} for v, fy in targets],
        "direction": direction,
    }
    if baseline is not None:
        data["baseline"] = {"value": baseline[0], "fiscal_year": baseline[1]}
    return data


def pillars(written: str, inferred: tuple[tuple[str, float], ...] = ()) -> list[Json]:
    """'A E' → pillars stated in the document; inferred → (code, confidence) pairs."""
    refs: list[Json] = [{"code": c, "source": "document", "confidence": 1.0} for c in written.split()]
    refs += [{"code": c, "source": "inferred", "confidence": conf} for c, conf in inferred]
    return refs


def measure(
    key: str,
    policy_key: str,
    title: str,
    description: str,
    *,
    pillar_refs: list[Json],
    areas: tuple[str, ...] = (),
    departments: tuple[str, ...],
    kpis: tuple[Json, ...] = (),
    plan: list[Json] | None = None,
    priority: bool = False,
    deadline_fy: int | None = None,
    national: tuple[str, ...] = (),
) -> Json:
    return {
        "key": key,
        "policy_key": policy_key,
        "title": title,
        "description": description,
        "pillars": pillar_refs,
        "priority_areas": list(areas),
        "priority": priority,
        "reposted": False,
        "departments": list(departments),
        "kpis": list(kpis),
        "schedule": plan or [],
        "deadline_fy": deadline_fy,
        "national_measures": list(national),
    }


def repost(original: Json, key: str, policy_key: str) -> Json:
    """再掲: the same measure listed again under another 施策の柱."""
    return {**original, "key": key, "policy_key": policy_key, "reposted": True, "priority": False}


def policy(key: str, title: str, pillar_codes: str = "", children: tuple[Json, ...] = ()) -> Json:
    return {"key": key, "title": title, "pillars": pillar_codes.split(), "children": list(children)}


def section(key: str, title: str, kind: str, *paragraphs: str) -> Json:
    return {"key": key, "title": title, "kind": kind, "text": "\n\n".join(paragraphs)}


def evaluation(item: str, status: str, decision: str, direction: str, reference: str | None = None) -> Json:
    return {
        "item": item,
        "status": status,
        "decision": decision,
        "decision_written": f"<{decision}>",
        "direction": direction,
        "reference": reference,
    }
