"""Docs are tested: every setting and every CLI command has an entry (datasette's rule)."""

from __future__ import annotations

import re
from pathlib import Path

from keikaku.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def _env_vars_read_in_code() -> set[str]:
    names: set[str] = set()
    for path in [*(ROOT / "keikaku").rglob("*.py"), ROOT / "dev.py", ROOT / ".ci" / "run"]:
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"[\"'$](?:\{)?((?:KEIKAKU_[A-Z_]+)|DATABASE_URL)", text))
    return names


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = sorted(n for n in _env_vars_read_in_code() if f"`{n}`" not in doc)
    assert missing == []


def test_every_cli_command_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"`keikaku {name}" not in doc]
    assert missing == []


def test_readme_has_exactly_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"^python3 dev\.py (\w+)$", readme, flags=re.M))
    assert commands == {"demo", "test"}
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 dev.py test" in ci
