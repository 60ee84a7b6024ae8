"""Coding rules as tests: a layer table, no import cycles, small files.

The layers (an arrow reads "is imported by"):

    core ← export ← ingest ← services ← web, cli
    core ← db ← services                  (db: the Django models and migrations)

Every ``import`` counts: at module scope, inside a function, under ``if TYPE_CHECKING`` — a lazy import
hides a dependency from the reader, not from the program. ``from package import name`` depends on
``package.name`` when that is a module, else on the package's ``__init__``; a package and its own modules
get no exemption.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "keikaku"

# layer → the layers its modules may import (besides itself, the standard library and third parties)
LAYERS: dict[str, set[str]] = {
    "core": set(),  # pure Python: no Django, no CLI library, no other keikaku layer
    "config": set(),  # reading environment variables (settings.py and the CLI)
    "export": {"core"},  # writers: plan/report values → JSON, CSV, XLSX, DOCX, PDF
    "ingest": {"core", "config", "export"},  # readers and extractor (progress_xlsx reads export's layout)
    "db": {"core"},  # the Django apps' models and migrations
    "demo": {"core"},  # the sample plans, as data
    "services": {"core", "config", "export", "ingest", "db", "demo"},  # the use cases
    "web": {"core", "config", "export", "services", "db"},  # views, forms, templates, API, settings
    "cli": {"core", "config", "ingest", "services", "web"},  # keikaku/cli.py, keikaku/cli_*.py
}
THIRD_PARTY_FORBIDDEN = {
    "core": ("django", "ninja", "simple_history", "argparse", "click", "typer"),
    "export": ("django", "ninja"),
    "ingest": ("django", "ninja"),
}
# imports waiting for their owner to move them (keikaku/services/imports.py is edited by the import work):
# (module, imported module). Delete an entry once the line has changed; a stale entry fails the test.
PENDING: set[tuple[str, str]] = set()

# cycles waiting for their owner: a cycle all of whose modules are under one of these packages is
# reported by test_known_cycles_are_still_there, not failed (none left: the readers import their shared
# helpers from readers/common.py, not from their package).
PENDING_CYCLES: tuple[str, ...] = ()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PKG.rglob("*.py")}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _known(name: str) -> str | None:
    """The keikaku module ``name`` refers to (the longest known prefix: a.b.Class → a.b), or None."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in MODULES:
            return ".".join(parts)
        parts.pop()
    return None


def imports_of(name: str) -> set[str]:
    """Every module (keikaku's or not) that module ``name`` imports, anywhere in its body."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(_known(a.name) or a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for a in node.names:
                sub = f"{source}.{a.name}"
                out.add(sub if sub in MODULES else (_known(source) or source))
    out.discard(name)
    return out


def layer_of(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "keikaku" or len(parts) < 2:
        return None
    top = parts[1]
    return "cli" if top == "cli" or top.startswith("cli_") else top


GRAPH = {name: {d for d in imports_of(name) if d in MODULES} for name in MODULES}


def test_every_module_is_in_a_layer() -> None:
    unplaced = sorted(n for n in MODULES if n != "keikaku" and layer_of(n) not in LAYERS)
    assert unplaced == [], "add the package to LAYERS (and to docs/architecture.md)"


def test_the_layer_table() -> None:
    offenders = []
    for name in sorted(MODULES):
        src = layer_of(name)
        if src is None:
            continue
        for dep in sorted(GRAPH[name]):
            dst = layer_of(dep)
            if dst is None or dst == src or dst in LAYERS[src] or (name, dep) in PENDING:
                continue
            offenders.append(f"{name} ({src}) imports {dep} ({dst})")
    assert offenders == []


def test_the_product_imports_no_development_code() -> None:
    """devtools/, scripts/ and tests/ are not in the wheel: a keikaku module that imported them would break."""
    offenders = [
        f"{n} imports {d}"
        for n in sorted(MODULES)
        for d in sorted(imports_of(n))
        if d.split(".")[0] in {"devtools", "scripts", "tests"}
    ]
    assert offenders == []


def test_the_wheel_holds_only_the_product() -> None:
    """pyproject.toml packages keikaku and its subpackages only (no devtools, tests or scripts)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["setuptools"]["packages"]["find"]["include"] == ["keikaku*"]
    assert (ROOT / "devtools" / "__init__.py").exists()  # a package of its own, outside keikaku/


def test_pending_exceptions_are_still_needed() -> None:
    stale = sorted(p for p in PENDING if p[0] not in MODULES or p[1] not in GRAPH[p[0]])
    assert stale == [], "the import moved: delete it from PENDING"


def test_services_import_no_web_module() -> None:
    offenders = [
        f"{n} imports {d}"
        for n in MODULES
        if layer_of(n) == "services"
        for d in GRAPH[n]
        if layer_of(d) == "web" and (n, d) not in PENDING
    ]
    assert offenders == []


def test_pure_layers_import_no_framework() -> None:
    offenders = []
    for name in sorted(MODULES):
        banned = THIRD_PARTY_FORBIDDEN.get(layer_of(name) or "", ())
        for mod in imports_of(name):
            if mod.split(".")[0] in banned:
                offenders.append(f"{name} imports {mod}")
    assert offenders == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _pending(cycle: list[str]) -> bool:
    return any(all(n == p or n.startswith(p + ".") for n in cycle) for p in PENDING_CYCLES)


def test_no_import_cycles() -> None:
    """No two keikaku modules import each other, directly or through others, at any depth."""
    assert [c for c in _cycles(GRAPH) if not _pending(c)] == []


def test_known_cycles_are_still_there() -> None:
    found = {p for c in _cycles(GRAPH) for p in PENDING_CYCLES if _pending(c)}
    assert set(PENDING_CYCLES) == found, "a pending cycle is gone: delete it from PENDING_CYCLES"


def test_the_cycle_finder_finds_a_parent_child_cycle() -> None:
    graph = {"p": {"p.a"}, "p.a": {"p"}, "q": set()}
    assert _cycles(graph) == [["p", "p.a"]]


def test_no_python_file_over_800_lines() -> None:
    big = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in [*PKG.rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
        if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    ]
    assert big == []


def test_the_test_command_type_checks_the_whole_package() -> None:
    """dev.py runs mypy on all of keikaku (no package left out)."""
    source = (ROOT / "dev.py").read_text(encoding="utf-8")
    assert 'run(BIN / "mypy", "keikaku")' in source
