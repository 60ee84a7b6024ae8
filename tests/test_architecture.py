"""Coding rules as tests: pure core, no import cycles, small files."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "keikaku"
FORBIDDEN_IN_CORE = (
    "django",
    "ninja",
    "argparse",
    "click",
    "typer",
    "keikaku.web",
    "keikaku.services",
    "keikaku.cli",
)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


def test_core_imports_neither_django_nor_the_cli() -> None:
    offenders = []
    for path in (PKG / "core").rglob("*.py"):
        for mod in _imports(path):
            if any(mod == f or mod.startswith(f + ".") for f in FORBIDDEN_IN_CORE):
                offenders.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert offenders == []


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_no_import_cycles_between_modules_at_import_time() -> None:
    """Top-level (module-scope) imports between keikaku modules form no cycle."""
    graph: dict[str, set[str]] = {}
    modules = {_module_name(p): p for p in PKG.rglob("*.py") if "migrations" not in p.parts}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for node in tree.body:  # module scope only: imports inside functions are deliberate and lazy
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mods = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            deps.update(m for m in mods if m in modules and m != name)
        graph[name] = deps
    color: dict[str, int] = {}
    cycles: list[str] = []

    def visit(n: str, stack: list[str]) -> None:
        color[n] = 1
        for d in graph[n]:
            if color.get(d) == 1 and not n.startswith(d + ".") and not d.startswith(n + "."):
                cycles.append(" → ".join([*stack[stack.index(d) :], n, d]) if d in stack else f"{n} → {d}")
            elif d not in color:
                visit(d, [*stack, d])
        color[n] = 2

    for n in graph:
        if n not in color:
            visit(n, [n])
    assert cycles == []


def test_no_python_file_over_800_lines() -> None:
    big = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in [*PKG.rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
        if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    ]
    assert big == []
