#!/usr/bin/env python3
"""Benchmark the portal on the synthetic national dataset (`python -m devtools.national`): ranked search, its
quality (nDCG@10 over judged queries) and the plan page under load against the real waitress server.
Results go to docs/benchmarks.md by hand.

    KEIKAKU_DATA_DIR=/tmp/nat .venv/bin/python scripts/bench_portal.py search
    KEIKAKU_DATA_DIR=/tmp/nat .venv/bin/python scripts/bench_portal.py quality
    KEIKAKU_DATA_DIR=/tmp/demo .venv/bin/python scripts/bench_portal.py quality --load-demo
    KEIKAKU_DATA_DIR=/tmp/nat .venv/bin/python scripts/bench_portal.py http --connections 50 --duration 30
    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_portal.py all

``search`` times measure_search in-process (top 20, ranked), 2-character queries included. ``http`` starts
``keikaku serve`` as a subprocess, loads plan pages of plans with 100 measures with wrk (closed loop: each
of N connections sends its next request as soon as the previous answer arrives) and then with N paced
clients (each waits ~1 s between requests, like people reading), and reads the server's RSS from /proc.
``quality`` runs the judged queries of scripts/search_judgments.json whose data set is in the database (the
sample plans of `keikaku demo`, the national synthetic data, or both) and prints nDCG@10 per query and the
mean per data set (gain 2^grade − 1, discount log2(rank + 1); the ideal ranking is every judged measure of
the database, best grade first), and a digest of the top 10 (stable ids: organisation code/measure key) to
compare the order on SQLite and PostgreSQL.
Timing figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHORT = ["防災", "推進", "窓口", "子育", "AI", "GIS", "教育", "観光", "デ"]
LONG = [
    "オープンデータ",
    "マイナンバーカード",
    "電子申請",
    "標準化",
    "テレワーク",
    "キャッシュレス",
    "ドローン",
    "避難所運営",
    "オンラン",  # a typo: no result, a 「もしかして」 suggestion
    "オープンデ-タ",  # a hyphen for the long-vowel mark
]
MULTI = ["防災 アプリ", "オープンデータ 公開", "電子 申請 拡大", "存在しない語句"]
FILTERED = [("防災", {"prefecture": "北海道"}), ("データ", {"pillar": "B"}), ("推進", {"fiscal_year": 2026})]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    from keikaku.web.bootstrap import setup

    setup()


def describe_db() -> str:
    from django.db import connection

    from keikaku.db.plans import models as m

    n_plans, n_measures = m.Plan.objects.count(), m.Measure.objects.count()
    return f"{connection.vendor}: {n_plans} plans, {n_measures} measures"


def bench_search(rounds: int) -> None:
    from keikaku.services.search import measure_search

    cases = [(q, {}) for q in SHORT + LONG + MULTI] + FILTERED
    for q, kw in cases:  # warm caches once
        measure_search(q, **kw)
    per_case: dict[str, list[float]] = {}
    everything: list[float] = []
    short: list[float] = []
    cpu: list[float] = []
    load = os.getloadavg()[0]
    for _ in range(rounds):
        for q, kw in cases:
            c0, t0 = time.process_time(), time.perf_counter()
            page = measure_search(q, limit=20, **kw)
            ms = (time.perf_counter() - t0) * 1000
            cpu.append((time.process_time() - c0) * 1000)
            label = q + (f" {kw}" if kw else "")
            per_case.setdefault(label, []).append(ms)
            everything.append(ms)
            if len(q) <= 2:
                short.append(ms)
            per_case.setdefault(label + "#total", [page.total])
    print(f"search: {len(everything)} queries ({rounds} rounds of {len(cases)})")
    print(
        f"  all:          p50 {pct(everything, 50):6.1f} ms  p95 {pct(everything, 95):6.1f} ms  max {max(everything):6.1f} ms"
    )
    print(
        f"  1–2 chars:    p50 {pct(short, 50):6.1f} ms  p95 {pct(short, 95):6.1f} ms  max {max(short):6.1f} ms"
    )
    print(
        f"  CPU of this process (Python + SQLite in-process; PostgreSQL's own work not included): "
        f"p50 {pct(cpu, 50):.1f} ms  p95 {pct(cpu, 95):.1f} ms; load average {load:.1f} → {os.getloadavg()[0]:.1f}"
    )
    for label, values in per_case.items():
        if not label.endswith("#total"):
            print(
                f"  {label:32s} p95 {pct(values, 95):6.1f} ms   ({int(per_case[label + '#total'][0])} hits)"
            )


JUDGMENTS = ROOT / "scripts" / "search_judgments.json"
DEMO_CODES = ("222992", "336998")  # みどり市, さくら町 (keikaku/demo)


def source_title(title: str, prefixes: list[str]) -> str:
    """The pillar training-set title a national synthetic measure was made from (its prefix removed)."""
    for p in prefixes:
        if title.startswith(p):
            return title[len(p) :]
    return title


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def bench_quality(args: argparse.Namespace) -> None:
    from devtools.national import PREFIXES, governments
    from keikaku.db.plans import models as m
    from keikaku.services.search import measure_search

    if args.load_demo:
        from datetime import UTC, datetime

        from keikaku.services.demo import demo_load

        for line in demo_load(now=datetime(2026, 4, 1, tzinfo=UTC)):
            print(" ", line)
    prefixes = sorted({p for p in PREFIXES if p}, key=len, reverse=True)
    stable: dict[int, str] = {}  # measure id → "code/key"
    grade_key: dict[int, str] = {}  # measure id → its key in the judgments
    national_titles: dict[str, int] = {}  # source title → measures
    national_codes = {g.code for g in governments()}
    rows = m.Measure.objects.filter(plan__status="published").values_list(
        "pk", "plan__organisation__code", "key", "title"
    )
    for pk, code, key, title in rows.iterator(chunk_size=5000):
        stable[pk] = f"{code}/{key}"
        if code in national_codes:
            src = "title:" + source_title(title, prefixes)
            grade_key[pk] = src
            national_titles[src] = national_titles.get(src, 0) + 1
        else:
            grade_key[pk] = stable[pk]
    present = {
        "demo": any(k.startswith(DEMO_CODES) for k in stable.values()),
        "national": bool(national_titles),
    }
    data = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    per_set: dict[str, list[float]] = {}
    digest = hashlib.sha1()
    print(f"quality: nDCG@10 over {JUDGMENTS.relative_to(ROOT)} (data sets here: "
          f"{', '.join(k for k, v in present.items() if v) or 'none'})")  # fmt: skip
    for q in data["queries"]:
        if not present[q["dataset"]]:
            continue
        rel: dict[str, int] = q["relevant"]
        page = measure_search(q["q"], limit=10)
        got = [rel.get(grade_key.get(h.measure_id, ""), 0) for h in page.hits]
        if q["dataset"] == "national":
            ideal = sorted(
                (g for k, g in rel.items() for _ in range(national_titles.get(k, 0))), reverse=True
            )
        else:
            ideal = sorted((g for k, g in rel.items() if k in stable.values()), reverse=True)
        best = dcg(ideal[:10])
        score = dcg(got) / best if best else 0.0
        per_set.setdefault(q["dataset"], []).append(score)
        top = [stable.get(h.measure_id, "?") for h in page.hits]
        digest.update(("|".join([q["id"], *top]) + "\n").encode())
        print(f"  {q['id']} {q['q']:24s} nDCG@10 {score:.3f}  grades {''.join(str(g) for g in got):10s} "
              f"({page.total}{'+' if page.total_capped else ''} hits)")  # fmt: skip
        if args.verbose:
            for h in page.hits:
                print(
                    f"        {rel.get(grade_key.get(h.measure_id, ''), 0)} {stable.get(h.measure_id)} {h.title}"
                )
    for name, scores in per_set.items():
        print(f"  mean nDCG@10 {name}: {sum(scores) / len(scores):.3f} over {len(scores)} queries")
    print(f"  top-10 digest: {digest.hexdigest()[:16]}")


def plan_ids(n_measures: int, count: int) -> list[int]:
    from django.db.models import Count

    from keikaku.db.plans import models as m

    qs = (
        m.Plan.objects.filter(status="published")
        .annotate(n=Count("measures"))
        .filter(n=n_measures)
        .values_list("pk", flat=True)
    )
    return list(qs[:count])


def rss_mb(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def tree_rss_mb(pid: int) -> tuple[float, float, int]:
    """RSS of the server and its worker processes (gunicorn): (sum, largest one, processes)."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(x) for x in children.read_text().split()]
    sizes = [rss_mb(p)[0] for p in pids]
    return sum(sizes), max(sizes), len(pids)


def rss_text(pid: int) -> str:
    total, largest, n = tree_rss_mb(pid)
    return f"{total:.0f} MB (largest process {largest:.0f} MB, {n} processes)"


def start_server(port: int, threads: int, workers: int = 1) -> subprocess.Popen:
    exe = ROOT / ".venv" / "bin" / "keikaku"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--threads", str(threads), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


WRK_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("WRK requests=%%d errors=%%d non2xx=%%d p50=%%.1f p95=%%.1f p99=%%.1f max=%%.1f rps=%%.1f\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
"""


def run_wrk(port: int, paths: list[str], connections: int, duration: int) -> str:
    if not shutil.which("wrk"):
        return "wrk not installed (apt-get install -y wrk)"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_LUA % ", ".join(f'"{p}"' for p in paths))
        script = f.name
    cmd = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        script,
        f"http://127.0.0.1:{port}",
    ]
    print("  $", " ".join(cmd))
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    os.unlink(script)
    return next((line for line in out.splitlines() if line.startswith("WRK ")), out)


def run_paced(port: int, paths: list[str], clients: int, duration: int, think: float) -> str:
    """N clients, each: request, wait think±50 %, repeat (keep-alive connections)."""
    import http.client

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        time.sleep(rng.uniform(0, think))
        while time.monotonic() < stop:
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError:
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(ms) if ok else None
                errors[0] += 0 if ok else 1
            time.sleep(rng.uniform(think * 0.5, think * 1.5))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if not latencies:
        return f"no successful requests ({errors[0]} errors)"
    return (
        f"requests={len(latencies)} errors={errors[0]} p50={pct(latencies, 50):.1f} p95={pct(latencies, 95):.1f} "
        f"p99={pct(latencies, 99):.1f} max={max(latencies):.1f} rps={len(latencies) / duration:.1f}"
    )


def bench_http(args: argparse.Namespace) -> None:
    ids = plan_ids(args.plan_measures, 20)
    if not ids:
        raise SystemExit(
            f"no plan with {args.plan_measures} measures: run `python -m devtools.national` first"
        )
    paths = [f"/plans/{i}/" for i in ids]
    proc = start_server(args.port, args.threads, args.workers)
    try:
        for p in paths:  # warm up: one request per page
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}{p}", timeout=60).read()
        t0 = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{args.port}{paths[0]}", timeout=60).read()
        print(f"http: {len(paths)} plan pages with {args.plan_measures} measures; one request alone "
              f"{(time.perf_counter() - t0) * 1000:.1f} ms; server workers {args.workers}, threads {args.threads}")  # fmt: skip
        print("  RSS after warm-up:", rss_text(proc.pid))
        print("  wrk closed loop:", run_wrk(args.port, paths, args.connections, args.duration))
        print("  RSS after wrk:", rss_text(proc.pid))
        print(f"  paced ({args.connections} clients, think ~{args.think} s):",
              run_paced(args.port, paths, args.connections, args.duration, args.think))  # fmt: skip
        search_paths = [f"/api/search?q={urllib.parse.quote(q)}" for q in SHORT + LONG]
        print(
            "  wrk /api/search closed loop:",
            run_wrk(args.port, search_paths, args.connections, max(5, args.duration // 3)),
        )
        print("  server RSS at end:", rss_text(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["search", "quality", "http", "all"])
    ap.add_argument("--load-demo", action="store_true", help="quality: load the sample plans first")
    ap.add_argument("-v", "--verbose", action="store_true", help="quality: list each query's top 10")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--threads", type=int, default=8, help="threads per worker (keikaku serve --threads)")
    ap.add_argument(
        "--workers", type=int, default=1, help="keikaku serve --workers (1 = waitress, N = gunicorn)"
    )
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--duration", type=int, default=30)
    ap.add_argument("--think", type=float, default=1.0, help="paced clients: seconds between requests")
    ap.add_argument("--plan-measures", type=int, default=100)
    args = ap.parse_args()
    setup_django()
    print(describe_db(), f"(python {sys.version.split()[0]}, {os.cpu_count()} cpus)")
    if args.what in ("quality", "all"):
        bench_quality(args)
    if args.what in ("search", "all"):
        bench_search(args.rounds)
    if args.what in ("http", "all"):
        bench_http(args)


if __name__ == "__main__":
    main()
