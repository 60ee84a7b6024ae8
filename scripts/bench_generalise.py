#!/usr/bin/env python3
"""Generalisation benchmark: the importer on generated fictional plans it was never tuned on.

    .venv/bin/python scripts/bench_generalise.py                      # held-out seeds 1000–1299
    .venv/bin/python scripts/bench_generalise.py --seeds 0-99         # the development range
    .venv/bin/python scripts/bench_generalise.py --n 50 --dump out/   # keep documents, expected, extracted

Each seed gives one plan (tests/ingest/generated/grammar.py: layout, format, numbering, label synonyms,
era style, distractors), written to a temporary folder, imported in-process with
keikaku.ingest.import_document, and scored against the plan the generator wrote (score.py: the shared
scorer's rules). Prints Markdown tables per format, per layout and overall, and the documents that gave
zero measures or an error. Seeds 1000–1299 are held out: tune on 0–999, report on these.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLS = ["measure_f1", "pillars", "kpi_f1", "kpi_target", "dept_f1", "schedule"]


def seeds_arg(text: str) -> range:
    a, _, b = text.partition("-")
    return range(int(a), int(b or a) + 1)


def table(title: str, groups: dict, extra: bool = False) -> list[str]:
    from tests.ingest.generated.score import fmt

    head = ["docs", *COLS, "0 measures", "errors"] + (["title", "period"] if extra else [])
    lines = [f"| {title} | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
    for name, t in sorted(groups.items()):
        r = t.totals()
        cells = [str(t.docs), *(fmt(r[c]) for c in COLS), str(t.empty), str(t.errors)]
        if extra:
            cells += [fmt(r["title"]), fmt(r["period"])]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=seeds_arg, default=seeds_arg("1000-1299"), help="A-B (default 1000-1299)")
    ap.add_argument("--n", type=int, help="only the first N seeds of the range")
    ap.add_argument("--layout", help="only this layout")
    ap.add_argument("--format", dest="fmt", help="only this format")
    ap.add_argument("--dump", type=Path, help="keep documents, expected and extracted JSON and diffs here")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)

    from keikaku.ingest import import_document
    from tests.ingest.generated import grammar, render
    from tests.ingest.generated.expected import expected_plan
    from tests.ingest.generated.score import Tally, diff, score

    seeds = list(args.seeds)[: args.n] if args.n else list(args.seeds)
    folder = args.dump or Path(tempfile.mkdtemp(prefix="keikaku-gen-"))
    folder.mkdir(parents=True, exist_ok=True)
    overall, by_format, by_layout, by_pair = Tally(), {}, {}, {}
    bad: list[str] = []
    t0 = time.perf_counter()
    for seed in seeds:
        plan = grammar.generate(seed, layout=args.layout, fmt=args.fmt)
        if args.fmt and args.fmt not in grammar.LAYOUT_FORMATS[plan.style.layout]:
            continue
        want = expected_plan(plan)
        path = render.write(plan, folder)
        got, error = None, None
        try:
            got = import_document(path).model_dump(mode="json", exclude_none=True)
        except Exception as e:  # noqa: BLE001 — every failure is a figure here
            error = f"{type(e).__name__}: {str(e)[:160]}"
            if args.dump:
                (folder / f"{path.stem}.error.txt").write_text(traceback.format_exc(), encoding="utf-8")
        t = score(want, got, error=error is not None)
        for groups, key in ((by_format, plan.style.fmt), (by_layout, plan.style.layout),
                            (by_pair, f"{plan.style.layout}/{plan.style.fmt}")):  # fmt: skip
            groups.setdefault(key, Tally())
            groups[key] += t
        overall += t
        if error or t.empty:
            bad.append(f"- seed {seed} {plan.style.layout}/{plan.style.fmt}: {error or '0 measures'}")
        if args.dump:
            (folder / f"{path.stem}.expected.json").write_text(
                json.dumps(want, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            if got is not None:
                (folder / f"{path.stem}.extracted.json").write_text(
                    json.dumps(got, ensure_ascii=False, indent=1), encoding="utf-8"
                )
            (folder / f"{path.stem}.diff.txt").write_text(
                "\n".join([f"{plan.style}", *diff(want, got)]) + "\n", encoding="utf-8"
            )
    secs = time.perf_counter() - t0
    out = [
        f"## Generalisation benchmark: seeds {seeds[0]}–{seeds[-1]} ({overall.docs} documents, {secs:.0f} s)",
        "",
    ]
    out += table("format", by_format) + [""] + table("layout", by_layout) + [""]
    out += table("layout/format", by_pair) + [""] + table("all", {"overall": overall}, extra=True) + [""]
    out += [f"documents with 0 measures or an error: {overall.empty} (errors {overall.errors})", *bad[:60]]
    print("\n".join(out))
    if args.json:
        args.json.write_text(json.dumps({
            "overall": overall.totals(),
            "by_format": {k: v.totals() for k, v in by_format.items()},
            "by_layout": {k: v.totals() for k, v in by_layout.items()},
            "empty": overall.empty, "errors": overall.errors,
        }, ensure_ascii=False, indent=2), encoding="utf-8")  # fmt: skip
    if not args.dump:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
