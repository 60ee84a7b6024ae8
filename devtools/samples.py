"""Keep the demo sample plans (keikaku/demo/sample_plan*.json) valid and canonical.

    python -m devtools.samples [--check]

The JSON files are the one form of the demo data: edit them directly, then run this to validate each
against the plan schema (keikaku.core.plan.Plan) and rewrite it in canonical form, ``json.dumps(
Plan.model_validate(data).model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\\n"``.
``--check`` rewrites nothing and exits 1 when a file is not canonical (tests/demo/test_samples.py checks
the same).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from keikaku.core.plan import Plan
from keikaku.demo import SAMPLE_PATHS


def canonical_text(data: dict[str, Any]) -> str:
    """Validate plan data and return its canonical JSON text."""
    plan = Plan.model_validate(data)
    return json.dumps(plan.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"


def build(paths: tuple[Path, ...] = SAMPLE_PATHS) -> dict[Path, str]:
    """Each sample file's path and its canonical text."""
    return {p: canonical_text(json.loads(p.read_text(encoding="utf-8"))) for p in paths}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.samples", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare, rewrite nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, text in build().items():
        if path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("not canonical: " + ", ".join(stale) + " (run python -m devtools.samples)", file=sys.stderr)
        return 1
    print(("written: " + ", ".join(stale)) if stale and not args.check else "up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
