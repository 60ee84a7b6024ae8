"""Write the demo sample plans in canonical form: ``python -m keikaku.demo.make_samples [--check]``.

Canonical form is ``json.dumps(Plan.model_validate(data).model_dump(mode="json", exclude_none=True),
ensure_ascii=False, indent=2) + "\\n"``; ``--check`` exits 1 when a committed file differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from keikaku.core.plan import Plan
from keikaku.demo import SAMPLE_PLAN, SAMPLE_PLAN_B, samples_midori, samples_sakura


def canonical_text(data: dict[str, Any]) -> str:
    """Validate plan data and return its canonical JSON text."""
    plan = Plan.model_validate(data)
    return json.dumps(plan.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"


def build() -> dict[Path, str]:
    """Each sample file's path and its canonical text."""
    return {
        SAMPLE_PLAN: canonical_text(samples_midori.PLAN),
        SAMPLE_PLAN_B: canonical_text(samples_sakura.PLAN),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = parser.parse_args(argv)
    stale = []
    for path, text in build().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("written: " + ", ".join(stale)) if stale and not args.check else "up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
