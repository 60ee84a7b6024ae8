#!/usr/bin/env python3
"""The closed loop: print a plan as keikaku's plan document (DOCX and PDF, `keikaku export PLAN --to
docx|pdf`), read it back with keikaku's importer (`keikaku import FILE --to json`) and score the result
against the plan it was printed from (tests/ingest/generated/score.py: the shared scorer's rules; a KPI
value is compared as the document prints it, with its unit).

    .venv/bin/python scripts/bench_roundtrip.py                    # the demo plans, DOCX and PDF
    .venv/bin/python scripts/bench_roundtrip.py --seeds 0-19       # and generated fictional plans
    .venv/bin/python scripts/bench_roundtrip.py --dump out/        # keep the documents and what was read
    .venv/bin/python scripts/bench_roundtrip.py --plan draft.json  # and a stored plan (export --to json)

Prints a Markdown table (one row per plan and format) with the time to write and to read each document;
paste it into docs/benchmarks.md (「計画書の往復」).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLS = [
    "measure_f1",
    "kpi_f1",
    "schedule",
    "kpi_target",
    "kpi_baseline",
    "dept_f1",
    "pillars",
    "title",
    "period",
]


def seeds_arg(text: str) -> range:
    a, _, b = text.partition("-")
    return range(int(a), int(b or a) + 1)


def main(argv: list[str] | None = None) -> int:
    from keikaku.core.plan import Plan
    from keikaku.demo import SAMPLE_PLAN, load_sample
    from tests.ingest.generated import grammar
    from tests.ingest.generated.roundtrip import from_generated, printed, read, write
    from tests.ingest.generated.score import Tally, diff, fmt, score

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=seeds_arg, help="also generated plans, e.g. 0-19")
    ap.add_argument(
        "--plan",
        type=Path,
        action="append",
        default=[],
        help="also a plan JSON file (e.g. `keikaku export ID --to json` of a draft); repeatable",
    )
    ap.add_argument(
        "--draft",
        action="store_true",
        help="print the --plan files as drafts (blanks 【要記入】, as export does for an unpublished version)",
    )
    ap.add_argument("--formats", default="docx,pdf")
    ap.add_argument("--dump", type=Path, help="keep documents, expected and extracted JSON here")
    args = ap.parse_args(argv)

    plans = [
        (f"demo {p.stem}", load_sample(p)) for p in (SAMPLE_PLAN, SAMPLE_PLAN.with_name("sample_plan_b.json"))
    ]
    plans += [(f"generated {s}", from_generated(grammar.generate(s))) for s in args.seeds or ()]
    files = [(f"file {p.stem}", Plan.model_validate_json(p.read_text(encoding="utf-8"))) for p in args.plan]
    plans += files
    drafts = {name for name, _p in files} if args.draft else set()
    formats = args.formats.split(",")
    head = ["plan", "format", "measures", *COLS, "write s", "read s"]
    print("| " + " | ".join(head) + " |")
    print("|---" * len(head) + "|")
    totals = {f: Tally() for f in formats}
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = args.dump or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, plan in plans:
            for f in formats:
                path = out_dir / f"{name.replace(' ', '_')}.{f}"
                t0 = time.perf_counter()
                contact = {"section": "企画課", "phone": "000-000-0000"}
                write(plan, f, path, contact=contact, draft=name in drafts)
                t1 = time.perf_counter()
                got = read(path)
                t2 = time.perf_counter()
                want = printed(plan)
                t = score(want, got)
                totals[f] += t
                r = t.totals()
                print(
                    f"| {name} | {f} | {len(plan.measures)} | "
                    + " | ".join(fmt(r[c]) for c in COLS)
                    + f" | {t1 - t0:.1f} | {t2 - t1:.1f} |",
                    flush=True,
                )
                if any(r[c] is not None and r[c] < 0.98 for c in ("measure_f1", "kpi_f1", "schedule")):
                    failures.append(f"{name} {f}: " + " | ".join(diff(want, got)[:3]))
                if args.dump:
                    (out_dir / f"{path.stem}.{f}.expected.json").write_text(
                        json.dumps(want, ensure_ascii=False, indent=1), encoding="utf-8"
                    )
                    (out_dir / f"{path.stem}.{f}.extracted.json").write_text(
                        json.dumps(got, ensure_ascii=False, indent=1), encoding="utf-8"
                    )
    for f, t in totals.items():
        r = t.totals()
        print(
            f"| **all** | {f} | {int(t.get('measure_gold'))} | "
            + " | ".join(fmt(r[c]) for c in COLS)
            + " | | |"
        )
    for line in failures:
        print(f"below 0.98: {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
