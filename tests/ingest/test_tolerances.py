"""The importer's tolerances: one frozen settings object, every field documented and used."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest

from keikaku.ingest.tolerances import TOLERANCES, Tolerances

INGEST = Path(__file__).resolve().parents[2] / "keikaku" / "ingest"


def _documented_fields() -> dict[str, str]:
    """field → the docstring written under it in the class body."""
    tree = ast.parse((INGEST / "tolerances.py").read_text(encoding="utf-8"))
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Tolerances").body
    out = {}
    for node, after in zip(body, body[1:], strict=False):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            doc = (
                after.value.value
                if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                else ""
            )
            out[node.target.id] = doc
    return out


def test_every_field_is_documented() -> None:
    docs = _documented_fields()
    assert set(docs) == {f.name for f in dataclasses.fields(Tolerances)}
    assert [name for name, doc in docs.items() if len(doc.strip()) < 15] == []


def test_every_field_is_read_by_the_importer() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in INGEST.rglob("*.py") if p.name != "tolerances.py"
    )
    unused = [f.name for f in dataclasses.fields(Tolerances) if not re.search(rf"\bTOL\.{f.name}\b", source)]
    assert unused == []


def test_frozen_and_replaceable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        TOLERANCES.max_heading_chars = 10  # type: ignore[misc]
    tighter = dataclasses.replace(TOLERANCES, max_heading_chars=10)
    assert tighter.max_heading_chars == 10 and TOLERANCES.max_heading_chars == 80
