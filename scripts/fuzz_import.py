#!/usr/bin/env python3
"""Fuzz the importer: mutated small fictional plans in every format it reads, through import_document.

    .venv/bin/python scripts/fuzz_import.py [--inputs 100000] [--minutes 0] [--jobs 2] [--seed 1]
                                            [--timeout 30] [--memory-mb 1024]
                                            [--formats txt,md,html,docx,pdf,xlsx,pptx]
                                            [--out /tmp/keikaku-fuzz] [--stage import|read]

Seeds and mutations are in ``tests/ingest/fuzzing.py`` (shared with the few hundred inputs of
``tests/ingest/test_fuzz.py``). ``--stage read`` runs only the reader (read_document), to tell the readers'
limits from the extractor's. Every input runs in a forked child (its worker has imported everything once)
under an address-space limit (``--memory-mb`` above what the worker already maps) and a wall-clock timeout.
Outcomes:

- ok / reader error — a plan or a ReaderError (the importer's domain error; NoMeasuresFound is one);
- crash — any other exception (or the child dying on a signal other than the timeout's);
- over-time — killed after ``--timeout`` seconds of the child's CPU time (a loaded machine does not make a
  slow input a hang; the wall clock is a backstop at 5× that); over-memory — MemoryError in the child.

The run stops after ``--inputs`` inputs, or after ``--minutes`` if that is given and comes first. It is
deterministic for a seed and a number of jobs: batch b draws from ``Random(f"{seed}-{b}")``. Every distinct
crash (exception type and innermost keikaku frame) is saved under ``--out`` with its traceback, for a
regression test. Prints a summary table per format. Timing and counts are measured here, never asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ingest.fuzzing import FORMATS, OUTCOMES, mutate, run_one, seed  # noqa: E402

BATCH = 250
_SEEDS: dict[str, bytes] = {}
_ARGS: argparse.Namespace


def _init(args: argparse.Namespace, seeds: dict[str, bytes]) -> None:
    global _ARGS
    _ARGS = args
    _SEEDS.update(seeds)


def _batch(job: tuple[int, int, float]) -> dict:
    """count inputs of batch b (fewer when the deadline passes): outcome counts per format, saved files."""
    b, count, deadline = job
    args = _ARGS
    rng = random.Random(f"{args.seed}-{b}")
    formats = list(_SEEDS)
    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{b}-"))
    counts: dict[str, Counter[str]] = {fmt: Counter() for fmt in formats}
    crashes: dict[str, tuple[str, str]] = {}
    slow: list[tuple[str, str]] = []
    seconds = 0.0
    for i in range(count):
        if deadline and time.time() > deadline:
            break
        fmt = formats[(b * count + i) % len(formats)]
        data = mutate(rng, fmt, _SEEDS[fmt])
        if rng.random() < 0.2:  # stack a second mutation now and then
            data = mutate(rng, fmt, data)
        path = work / f"input.{fmt}"
        path.write_bytes(data)
        start = time.monotonic()
        outcome, detail = run_one(path, args.timeout, args.memory_mb << 20, args.stage)
        seconds = max(seconds, time.monotonic() - start) if outcome != "over_time" else seconds
        counts[fmt][outcome] += 1
        if outcome == "crash":
            key = detail.split("\n", 1)[0]
            if key not in crashes:
                saved = args.out / f"crash-b{b}-{i}.{fmt}"
                saved.write_bytes(data)
                saved.with_suffix(saved.suffix + ".txt").write_text(detail)
                crashes[key] = (fmt, str(saved))
        elif outcome in ("over_time", "over_memory") and len(slow) < 5:
            saved = args.out / f"{outcome}-b{b}-{i}.{fmt}"
            saved.write_bytes(data)
            slow.append((outcome, f"{fmt}, {detail} → {saved}"))
    shutil.rmtree(work, ignore_errors=True)
    return {
        "counts": {f: dict(c) for f, c in counts.items()},
        "crashes": crashes,
        "slow": slow,
        "max_s": seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument(
        "--minutes", type=float, default=0.0, help="stop earlier after this long (0: no limit)"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="CPU seconds per input")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space per input, MB")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "keikaku-fuzz")
    parser.add_argument("--stage", choices=("import", "read"), default="import")
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="fuzz-seeds-"))
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    seeds = {fmt: seed(fmt, work) for fmt in formats}
    # warm up: every lazy import happens in the parent, once, before the workers fork
    from keikaku.ingest import import_document

    for fmt, data in seeds.items():
        path = work / f"warm.{fmt}"
        path.write_bytes(data)
        print(f"seed {fmt}: {run_one(path, 120, args.memory_mb << 20)[0]}", flush=True)
        try:
            import_document(path)
        except Exception:  # noqa: BLE001, S110 — only the imports matter here
            pass

    deadline = time.time() + args.minutes * 60 if args.minutes else 0.0
    jobs = [
        (b, min(BATCH, args.inputs - b * BATCH), deadline) for b in range((args.inputs + BATCH - 1) // BATCH)
    ]
    counts: dict[str, Counter[str]] = {fmt: Counter() for fmt in formats}
    crashes: dict[str, tuple[str, str]] = {}
    slowest = 0.0
    started = time.monotonic()
    n = 0
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.jobs, initializer=_init, initargs=(args, seeds), maxtasksperchild=20) as pool:
        for result in pool.imap_unordered(_batch, jobs):
            for fmt, c in result["counts"].items():
                counts[fmt].update(c)
                n += sum(c.values())
            slowest = max(slowest, result["max_s"])
            for key, (fmt, saved) in result["crashes"].items():
                if key not in crashes:
                    crashes[key] = (fmt, saved)
                    print(f"new crash ({fmt}): {key} → {saved}", flush=True)
            for outcome, what in result["slow"]:
                print(f"{outcome} ({what})", flush=True)
            so_far: Counter[str] = sum(counts.values(), Counter())
            tally = ", ".join(f"{o} {so_far[o]}" for o in OUTCOMES)
            print(f"[{n}] inputs, {time.monotonic() - started:.0f} s: {tally}", flush=True)

    print()
    print(f"inputs {n} in {time.monotonic() - started:.0f} s with {args.jobs} jobs, seed {args.seed}, "
          f"limits {args.timeout:g} s / {args.memory_mb} MB; slowest finished input {slowest:.1f} s")  # fmt: skip
    print("| format | inputs | ok | reader error | crashes | over-time | over-memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total: Counter[str] = Counter()
    for fmt in formats:
        c = counts[fmt]
        total.update(c)
        print(f"| {fmt} | {sum(c.values())} | " + " | ".join(str(c[o]) for o in OUTCOMES) + " |")
    print(f"| all | {sum(total.values())} | " + " | ".join(str(total[o]) for o in OUTCOMES) + " |")
    print(f"\ndistinct crashes: {len(crashes)}")
    for key, (fmt, saved) in crashes.items():
        print(f"- {fmt}: {key} ({saved})")
    bad = total["crash"] + total["over_time"] + total["over_memory"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
