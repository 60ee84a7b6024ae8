"""Validation of plan documents: the JSON Schema (via the pydantic models) and consistency checks.

Every problem carries a JSON path (``measures[12].kpis[0].targets``) and a severity:
``error`` — the document cannot be stored; ``warning`` — something looks inconsistent (a duplicate key, a
schedule year outside the period). What the national guide asks for (chapters, pillars, targets, contact)
is :mod:`keikaku.core.compliance`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from keikaku.core.plan import Catalogue, Plan, iter_policies

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    severity: Severity = "error"
    message_en: str = ""  # the English message where ``message`` is Japanese

    def __str__(self) -> str:
        return f"{self.severity}: {self.path or '(document)'}: {self.message}"

    def text(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" and self.message_en else self.message


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
    """Consistency checks on a schema-valid plan (the guide's own rules are in
    :mod:`keikaku.core.compliance`). Messages in Japanese, English in ``message_en``."""
    out: list[Problem] = []

    def add(path: str, ja: str, en: str, severity: Severity = "warning") -> None:
        out.append(Problem(path, ja, severity, en))

    p = plan.period
    if p.start_fy and p.end_fy and p.start_fy > p.end_fy:
        add(
            "period",
            f"計画期間の開始 {p.start_fy} が終了 {p.end_fy} より後です",
            f"start {p.start_fy} is after end {p.end_fy}",
            "error",
        )
    policy_keys = {pol.key for _d, pol in iter_policies(plan.policies)}
    seen_keys: dict[str, int] = {}
    for i, m in enumerate(plan.measures):
        path = f"measures[{i}]"
        if m.key:
            if m.key in seen_keys and not m.reposted:
                add(
                    f"{path}.key",
                    f"施策の番号「{m.key}」が重複しています（{seen_keys[m.key] + 1} 番目の施策と同じ）",
                    f"duplicate key {m.key!r} (also measures[{seen_keys[m.key]}])",
                )
            seen_keys.setdefault(m.key, i)
        if m.policy_key and policy_keys and m.policy_key not in policy_keys:
            add(
                f"{path}.policy_key",
                f"施策「{m.title}」の施策体系「{m.policy_key}」がありません",
                f"no policy with key {m.policy_key!r}",
            )
        fys = [e.fiscal_year for e in m.schedule]
        if len(fys) != len(set(fys)):
            add(
                f"{path}.schedule",
                f"施策「{m.title}」のスケジュールに同じ年度が 2 回あります",
                "a fiscal year appears twice",
                "error",
            )
        for j, k in enumerate(m.kpis):
            if k.baseline and k.baseline.fiscal_year:
                for t in k.targets:
                    if t.fiscal_year and t.fiscal_year < k.baseline.fiscal_year:
                        add(
                            f"{path}.kpis[{j}].targets",
                            f"施策「{m.title}」の KPI の目標年度 {t.fiscal_year} が基準年度より前です",
                            f"target year {t.fiscal_year} is before the baseline year",
                        )
        if p.start_fy and p.end_fy:
            for j, e in enumerate(m.schedule):
                if not (p.start_fy - 1 <= e.fiscal_year <= p.end_fy + 1):
                    add(
                        f"{path}.schedule[{j}].fiscal_year",
                        f"施策「{m.title}」のスケジュールの {e.fiscal_year} 年度が計画期間の外です",
                        f"{e.fiscal_year} is outside the plan period",
                    )
    return out


def validate_text(text: str | bytes) -> tuple[Plan | Catalogue | None, list[Problem]]:
    data, problems = parse_json(text)
    if problems:
        return None, problems
    return validate_data(data)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
