"""The use-case layer's rule (CKAN's actions): every use case that writes takes the acting user as its
first parameter, ``actor``, and checks permission before it writes anything.

Read from the source (ast), so a new write use case is held to the rule the day it is written. A write
use case is a public function of keikaku.services whose name has a write verb after its noun
(``plan_publish``, ``progress_save_many`` …); "checks first" means a permission check (``require``, ``can``, a ``raise
PermissionDenied``, or a call to another use case that checks) comes before the first call that writes
(``save``, ``create``, ``update``, ``delete`` … or a write use case without an actor).
"""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "keikaku" / "services"

WRITE_VERBS = {
    "save", "create", "update", "delete", "set", "merge", "publish", "revise", "submit", "review",
    "approve", "return", "import", "store", "upsert", "revoke", "send", "load", "generate", "reindex",
    "index", "discard", "prune", "decide", "withdraw",
}  # fmt: skip
WRITE_CALLS = {
    "save", "create", "update", "delete", "bulk_create", "bulk_update", "update_or_create",
    "get_or_create", "set", "add", "remove", "clear", "set_password", "write_bytes", "write_text",
    "unlink", "rmtree", "send_mail", "send_mass_mail",
}  # fmt: skip
PERMISSION_CALLS = {"require", "can", "_require_importer", "_departments_allowed"}

# Write use cases with no acting user, and why: the operator at the server's command line, or a step
# that a checked use case (or the operator) runs. Adding to this list is a decision — say who may call it.
OPERATOR: dict[str, str] = {
    "plans.plan_save": "a step of import_store / plan_revise (which check), and `keikaku load` / `import`",
    "plans.catalogue_save": "`keikaku import` of the guide (the operator)",
    "imports.plan_import": "`keikaku import` (the operator)",
    "imports.upload_discard": "drops the caller's own upload by its random session token",
    "imports.uploads_prune": "housekeeping of stale uploads",
    "demo.demo_load": "`keikaku demo` (the operator)",
    "search.search_index_plan": "a step of plan_save",
    "search.search_reindex": "index maintenance (the operator)",
    "progress.reminders_send": "`keikaku remind` (cron; the operator)",
    "people.membership_set": "`keikaku user --role` (the operator), the demo and the test characters",
}


def _use_cases() -> dict[str, ast.FunctionDef]:
    out = {}
    for path in sorted(SERVICES.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                out[f"{path.stem}.{node.name}"] = node
    return out


USE_CASES = _use_cases()
# <noun>_<verb>[_…]: a write verb after the noun (may_* are predicates: may_import asks, it does not import)
WRITES = {
    q
    for q in USE_CASES
    if WRITE_VERBS & set(q.split(".")[1].split("_")[1:]) and not q.split(".")[1].startswith("may_")
}
WITH_ACTOR = {q for q in WRITES if q not in OPERATOR}


def _called(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _first_lines(fn: ast.FunctionDef) -> tuple[int | None, int | None]:
    """(line of the first permission check, line of the first write) in ``fn``'s body."""
    checked = {q.split(".")[1] for q in WITH_ACTOR}
    unchecked = {q.split(".")[1] for q in OPERATOR}
    check = write = None
    for node in ast.walk(fn):
        line = getattr(node, "lineno", None)
        if line is None:
            continue
        is_check = (isinstance(node, ast.Call) and _called(node) in PERMISSION_CALLS | checked) or (
            isinstance(node, ast.Raise) and "PermissionDenied" in ast.unparse(node.exc or node)
        )
        is_write = isinstance(node, ast.Call) and _called(node) in WRITE_CALLS | unchecked
        if is_check and (check is None or line < check):
            check = line
        if is_write and (write is None or line < write):
            write = line
    return check, write


def test_the_rule_finds_the_write_use_cases() -> None:
    assert {"plans.plan_publish", "progress.progress_save", "people.user_upsert"} <= WITH_ACTOR
    assert set(OPERATOR) <= WRITES, "an OPERATOR entry names no write use case"


def test_every_write_use_case_takes_an_actor_first() -> None:
    wrong = [
        f"{q}({', '.join(a.arg for a in USE_CASES[q].args.args)})"
        for q in sorted(WITH_ACTOR)
        if not USE_CASES[q].args.args or USE_CASES[q].args.args[0].arg != "actor"
    ]
    assert wrong == []


def test_every_write_use_case_checks_permission_before_writing() -> None:
    wrong = []
    for q in sorted(WITH_ACTOR):
        check, write = _first_lines(USE_CASES[q])
        if check is None or (write is not None and write < check):
            wrong.append(f"{q}: permission check at line {check}, first write at line {write}")
    assert wrong == []


def test_the_check_finds_a_write_before_the_permission_check() -> None:
    bad = ast.parse("def plan_save(actor, o):\n    o.save()\n    require(actor, 'plan.edit', o)\n").body[0]
    good = ast.parse("def plan_save(actor, o):\n    require(actor, 'plan.edit', o)\n    o.save()\n").body[0]
    assert isinstance(bad, ast.FunctionDef) and isinstance(good, ast.FunctionDef)
    check, write = _first_lines(bad)
    assert write is not None and check is not None and write < check
    check, write = _first_lines(good)
    assert write is not None and check is not None and check < write


def _logs_info(fn: ast.FunctionDef) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "info"
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id in ("logger", "log")
        for n in ast.walk(fn)
    )


def test_every_write_use_case_logs_what_it_changed_at_info() -> None:
    """KEIKAKU_LOG_LEVEL=INFO shows every change: ``plan_publish: plan 3 -> plan 3 (by alice)``."""
    silent = [q for q in sorted(WRITES) if not _logs_info(USE_CASES[q])]
    assert silent == []
    assert not _logs_info(ast.parse("def plan_save(actor, o):\n    o.save()\n").body[0])  # type: ignore[arg-type]
