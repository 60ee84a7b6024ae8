#!/usr/bin/env python3
"""Importer benchmark: reader + extractor throughput, PDF pages/s (vs pdfplumber alone), peak memory.

    .venv/bin/python scripts/bench_import.py [--corpus ../shared/corpus/plans] [--pages 100] [--repeat 3]
        [--corpus-repeat 20]

Prints a Markdown table for docs/benchmarks.md. Timing is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def corpus_throughput(folder: Path, repeat: int) -> list[str]:
    from keikaku.ingest import import_document
    from keikaku.ingest.extract.common import clear_caches

    files = sorted(p for p in folder.iterdir() if p.is_file())
    if not files:
        return ["corpus: not present, skipped"]
    size = sum(p.stat().st_size for p in files)
    for p in files:  # warm up: imports and the pillar model's one-time fit (once per process)
        import_document(p)

    def run() -> None:
        clear_caches()  # memoised texts would make a repeat cheaper than a first read
        for p in files:
            import_document(p)

    secs = best_of(repeat, run)
    return [
        f"| reader + extractor, shared corpus ({len(files)} documents, {size / 1e6:.2f} MB) "
        f"| {secs:.2f} s | **{size / 1e6 / secs:.2f} MB/s** |"
    ]


def child_peak(code: str) -> tuple[float, dict]:
    """Run code in a fresh interpreter; return (peak RSS in MB, the JSON it prints)."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource,json,sys\n"
            + code
            + "\nprint(json.dumps({**R, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["rss_mb"], data


def pdf_speed(pages: int, repeat: int) -> list[str]:
    from tests.ingest.doc_fixtures import write_plan_pdf

    tmp = Path(tempfile.mkdtemp()) / "bench.pdf"
    write_plan_pdf(tmp, pages=pages)
    import pypdfium2

    n = len(pypdfium2.PdfDocument(str(tmp)))
    rows = []
    code_reader = f"""
import time
from pathlib import Path
from keikaku.ingest.readers import read_document
t=[]
for _ in range({repeat}):
    t0=time.perf_counter(); r=read_document(Path({str(tmp)!r})); t.append(time.perf_counter()-t0)
R={{'secs':min(t),'blocks':len(r.blocks)}}"""
    code_import = f"""
import time
from pathlib import Path
from keikaku.ingest import import_document
from keikaku.ingest.extract.common import clear_caches
import_document(Path({str(tmp)!r}))
t=[]
for _ in range({repeat}):
    clear_caches()
    t0=time.perf_counter(); d=import_document(Path({str(tmp)!r})); t.append(time.perf_counter()-t0)
R={{'secs':min(t),'measures':len(d.measures)}}"""
    expected = 2 + 2 * max(pages - 3, 0)  # the fixture: 2 measures on page 3, then 2 per measure page
    code_plumber = f"""
import time
import pdfplumber
t=[]
for _ in range({repeat}):
    t0=time.perf_counter()
    with pdfplumber.open({str(tmp)!r}) as pdf:
        for page in pdf.pages:
            page.extract_text(); page.extract_tables()
            page.flush_cache()
    t.append(time.perf_counter()-t0)
R={{'secs':min(t)}}"""
    for label, code in (
        ("keikaku PDF reader (blocks)", code_reader),
        ("keikaku import (reader + extractor)", code_import),
        ("pdfplumber alone (extract_text + extract_tables)", code_plumber),
    ):
        rss, data = child_peak(code)
        extra = f", {data['measures']} measures (expected {expected})" if "measures" in data else ""
        rows.append(
            f"| {label}, generated {n}-page PDF{extra} | {data['secs']:.2f} s | **{n / data['secs']:.0f} pages/s**, "
            f"peak RSS {rss:.0f} MB |"
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "plans")
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    # one pass over the corpus takes ~0.2 s: on a shared virtual machine the best of a few is still noise
    ap.add_argument("--corpus-repeat", type=int, default=20)
    args = ap.parse_args()
    print(
        f"Python {platform.python_version()}, {platform.machine()}, best of {args.corpus_repeat} (corpus), "
        f"of {args.repeat} (PDF)\n"
    )
    print("| what | time | result |\n|---|---|---|")
    rows = corpus_throughput(args.corpus, args.corpus_repeat) if args.corpus.is_dir() else ["corpus absent"]
    rows += pdf_speed(args.pages, args.repeat)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
