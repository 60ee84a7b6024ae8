"""Validation of plan documents: the JSON Schema (via the pydantic models) and the guide's rules.

Every problem carries a JSON path (``measures[12].kpis[0].targets``) and a severity:
``error`` — the document cannot be stored; ``warning`` — the guide asks for something that is missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from keikaku.core.pillars import PILLARS
from keikaku.core.plan import Catalogue, Plan

Severity = Literal["error", "warning"]

# section kinds / title words that count as the security section (セキュリティ及び個人情報の適正な取扱い)
_SECURITY_WORDS = ("セキュリティ", "個人情報")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.severity}: {self.path or '(document)'}: {self.message}"


def json_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _pydantic_problems(err: ValidationError) -> list[Problem]:
    problems = []
    for e in err.errors(include_url=False):
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = e["msg"]
        if e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"] == "extra_forbidden":
            msg = "unknown field"
        elif (
            e["type"] in ("greater_than_equal", "less_than_equal")
            and loc
            and "fy" in str(loc[-1])
            or (loc and loc[-1] == "fiscal_year")
        ):
            msg = f"impossible fiscal year {e.get('input')!r} ({msg})"
        elif msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
        problems.append(Problem(json_path(loc), msg, "error"))
    return problems


def parse_json(text: str | bytes) -> tuple[Any, list[Problem]]:
    """Parse JSON text; a syntax error becomes one problem with line and column."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return json.loads(text), []
    except UnicodeDecodeError as e:
        return None, [Problem("", f"not UTF-8 text ({e.reason} at byte {e.start})")]
    except json.JSONDecodeError as e:
        return None, [Problem("", f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}")]


def validate_data(data: Any) -> tuple[Plan | Catalogue | None, list[Problem]]:
    """Validate a decoded JSON value as a plan (or catalogue) document; returns the model if it is valid."""
    if not isinstance(data, dict):
        return None, [Problem("", f"expected a JSON object, got {type(data).__name__}")]
    model: type[Plan] | type[Catalogue] = Catalogue if data.get("format") == "keikaku-catalogue" else Plan
    try:
        doc = model.model_validate(data)
    except ValidationError as e:
        return None, _pydantic_problems(e)
    problems = plan_rules(doc) if isinstance(doc, Plan) else []
    return doc, problems


def plan_rules(plan: Plan) -> list[Problem]:
    """The guide's rules and consistency checks on a schema-valid plan."""
    out: list[Problem] = []
    p = plan.period
    if p.start_fy and p.end_fy and p.start_fy > p.end_fy:
        out.append(Problem("period", f"start {p.start_fy} is after end {p.end_fy}", "error"))
    policy_keys: set[str] = set()

    def walk(policies: list, prefix: str) -> None:
        for i, pol in enumerate(policies):
            policy_keys.add(pol.key)
            walk(pol.children, f"{prefix}[{i}].children")

    walk(plan.policies, "policies")
    seen_keys: dict[str, int] = {}
    covered: set[str] = set()
    for i, m in enumerate(plan.measures):
        path = f"measures[{i}]"
        if m.key:
            if m.key in seen_keys and not m.reposted:
                out.append(
                    Problem(
                        f"{path}.key",
                        f"duplicate key {m.key!r} (also measures[{seen_keys[m.key]}])",
                        "warning",
                    )
                )
            seen_keys.setdefault(m.key, i)
        if m.policy_key and policy_keys and m.policy_key not in policy_keys:
            out.append(Problem(f"{path}.policy_key", f"no policy with key {m.policy_key!r}", "warning"))
        covered.update(r.code for r in m.pillars)
        if not m.kpis:
            out.append(Problem(f"{path}.kpis", "no KPI (the guide asks for one per measure)", "warning"))
        if m.deadline_fy is None and not m.schedule:
            out.append(Problem(f"{path}.deadline_fy", "no deadline and no schedule", "warning"))
        fys = [e.fiscal_year for e in m.schedule]
        if len(fys) != len(set(fys)):
            out.append(Problem(f"{path}.schedule", "a fiscal year appears twice", "error"))
        for j, k in enumerate(m.kpis):
            kpath = f"{path}.kpis[{j}]"
            if not k.targets:
                out.append(Problem(f"{kpath}.targets", "empty: no target value", "warning"))
            if k.baseline and k.baseline.fiscal_year:
                for t in k.targets:
                    if t.fiscal_year and t.fiscal_year < k.baseline.fiscal_year:
                        out.append(
                            Problem(
                                f"{kpath}.targets",
                                f"target year {t.fiscal_year} is before the baseline year",
                                "warning",
                            )
                        )
        if p.start_fy and p.end_fy:
            for j, e in enumerate(m.schedule):
                if not (p.start_fy - 1 <= e.fiscal_year <= p.end_fy + 1):
                    out.append(
                        Problem(
                            f"{path}.schedule[{j}].fiscal_year",
                            f"{e.fiscal_year} is outside the plan period",
                            "warning",
                        )
                    )
    if plan.measures:
        for pillar in PILLARS:
            if pillar.code != "other" and pillar.code not in covered:
                out.append(
                    Problem("measures", f"pillar {pillar.code} ({pillar.short}) has no measure", "warning")
                )
    if not any(
        any(w in (s.title + (s.kind or "")) for w in _SECURITY_WORDS) or s.kind == "security"
        for s in plan.sections
    ):
        out.append(
            Problem("sections", "no security section (セキュリティ及び個人情報の適正な取扱い)", "warning")
        )
    return out


def validate_text(text: str | bytes) -> tuple[Plan | Catalogue | None, list[Problem]]:
    data, problems = parse_json(text)
    if problems:
        return None, problems
    return validate_data(data)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
