#!/usr/bin/env python3
"""Fuzz the importer: mutated small fictional plans (txt, md, html, docx, pdf) through import_document.

    .venv/bin/python scripts/fuzz_import.py [--minutes 10] [--seed 1] [--timeout 10] [--memory-mb 1024]
                                            [--formats txt,md,html,docx,pdf] [--out /tmp/keikaku-fuzz]
                                            [--stage import|read]

``--stage read`` runs only the reader (read_document), to tell the readers' limits from the extractor's.
Every input runs in a forked child (the parent has imported everything once) under an address-space
limit (``--memory-mb`` above what the parent already maps) and a wall-clock timeout. Outcomes:

- ok / reader error — a plan or a ReaderError (the importer's domain error; NoMeasuresFound is one);
- crash — any other exception (or the child dying on a signal other than the timeout's);
- over-time — killed after ``--timeout`` seconds; over-memory — MemoryError in the child.

Mutations: byte flips, inserts of tricky characters and markup, deletions, a slice repeated many times
(deep nesting, long lines, huge tables), truncation; for DOCX the same on one ZIP member's XML plus
attribute values swapped for huge, negative or non-numeric ones and members dropped; for PDF the same on
a decompressed content stream (recompressed) or on the raw bytes. Every distinct crash (exception type
and innermost keikaku frame) is saved under ``--out`` with its traceback, for a regression test.
Prints a summary table per format. Timing and counts are measured here, never asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
import zlib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTCOMES = ("ok", "reader_error", "crash", "over_time", "over_memory")

# ---------------------------------------------------------------------------------------------
# seeds: small fictional plans

TEXT_SEED = """\
ひなた市デジタル推進計画

令和6年3月
ひなた市

第1章 計画の策定にあたって
1. 目的
本計画は、市民の利便性の向上と行政運営の効率化を図るため、デジタル技術の活用を推進するものです。
2. 計画期間
本計画の期間は、令和6年度から令和10年度までの5年間とします。

第2章 施策
(1) 行政手続のオンライン化
① 電子申請の拡充
【担当】情報政策課
【目標】オンライン申請件数 100件（令和5年度）→ 500件（令和10年度）
・マイナンバーカードを活用した本人確認
※1 マイナンバーカードを利用した本人確認をいう。

番号\t施策\t担当課\t2024\t2025
1\t電子申請の拡充\t情報政策課\t検討\t実施
2\tオープンデータの推進\t企画課\t準備\t→

┌────┬────────┐
│番号│施策    │
├────┼────────┤
│ 3  │窓口改革│
└────┴────────┘
\f
- 3 -
"""

MD_SEED = """\
# ひなた市DX推進計画

## 1. 基本方針

### (1) オンライン化の推進

- ① 電子申請の拡充
- ② キャッシュレス決済の導入

| 番号 | 施策 | 担当課 | KPI |
|---|---|---|---|
| 1 | 電子申請の拡充 | 情報政策課 | 申請件数 500件 |
| 2 | 窓口のデジタル化 | 市民課 | 待ち時間 10分 |

<table><tr><td rowspan="2">施策</td><td colspan="2">年度</td></tr><tr><td>2024</td><td>2025</td></tr></table>

[^1]: 用語の説明
"""


def html_seed() -> bytes:
    from tests.ingest.doc_fixtures import plan_html

    return plan_html("utf-8").encode("utf-8")


def docx_seed(tmp: Path) -> bytes:
    from tests.ingest.doc_fixtures import write_plan_docx

    return write_plan_docx(tmp / "seed.docx").read_bytes()


def pdf_seed(tmp: Path) -> bytes:
    from tests.ingest.doc_fixtures import write_plan_pdf

    return write_plan_pdf(tmp / "seed.pdf", pages=2).read_bytes()


# ---------------------------------------------------------------------------------------------
# mutations

TRICKY = [
    "\t", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x00", "\ufeff", "\u3000", "\u00a0",
    "<div>", "<table><tr><td>", "</td></tr>", "<ul><li>", "<!--", "<script>", "<p>", "<b>", "&#0;",
    "┌─┬─┐", "│", "├┼┤", "+---+", "|", "|---|", "#", "# ", "【", "（", "(1)", "①", "Ⅱ.", "第1章", "・",
    "※1", "- ", "  ", "\n", "\r", "\r\n", "。", "、", "令和6年度", "→", "～", "%", "\\", "*", "`",
]  # fmt: skip
MAX_INPUT = 4 * 1024 * 1024  # a mutation making an input larger than this is undone (grows by slices)
HUGE = [
    b"999999999",
    b"-1",
    b"0",
    b"-999999999999",
    b"abc",
    b"1e9",
    b"\xc2\xb2",
    b"",
    b"4294967296",
    b"65535",
]


def mutate_bytes(rng: random.Random, data: bytes, text: bool) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        op = rng.randrange(7)
        pos = rng.randrange(len(buf) + 1) if buf else 0
        if op == 0 and buf:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op == 1:  # insert a tricky token (or random bytes)
            token = rng.choice(TRICKY).encode("utf-8") if text or rng.random() < 0.5 else rng.randbytes(8)
            buf[pos:pos] = token * rng.choice((1, 1, 3, 50, 500, 5000))
        elif op == 2 and buf:  # delete a range
            buf[pos : pos + rng.randint(1, 200)] = b""
        elif op == 3 and buf:  # repeat a slice many times (nesting, long lines, big tables)
            piece = bytes(buf[pos : pos + rng.randint(1, 60)])
            buf[pos:pos] = piece * rng.choice((10, 100, 1000, 20000))
        elif op == 4 and buf:  # truncate
            del buf[rng.randrange(len(buf)) :]
        elif op == 5:  # swap a number for a huge / odd one
            nums = [m for m in re.finditer(rb"\d+", bytes(buf))]
            if nums:
                m = rng.choice(nums)
                buf[m.start() : m.end()] = rng.choice(HUGE)
        elif op == 6 and buf:  # duplicate a line
            lines = bytes(buf).split(b"\n")
            k = rng.randrange(len(lines))
            times = min(rng.choice((2, 100, 5000)), MAX_INPUT // (len(lines[k]) + 1))
            lines[k:k] = [lines[k]] * times
            buf = bytearray(b"\n".join(lines))
        if len(buf) > MAX_INPUT:
            del buf[MAX_INPUT:]
    return bytes(buf)


def mutate_zip(rng: random.Random, data: bytes) -> bytes:
    """One member of a DOCX (most often word/document.xml) mutated; sometimes a member dropped or its
    XML element repeated many times."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        members = {name: src.read(name) for name in src.namelist()}
    except Exception:  # noqa: BLE001 — an archive an earlier mutation broke
        return mutate_bytes(rng, data, text=False)
    names = list(members)
    if rng.random() < 0.15:
        return mutate_bytes(rng, data, text=False)  # the archive itself
    target = "word/document.xml" if rng.random() < 0.6 and "word/document.xml" in names else rng.choice(names)
    drop = rng.random() < 0.07
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            body = members[name]
            if name == target:
                if drop:
                    continue
                body = mutate_xml(rng, body)
            z.writestr(name, body)
    return out.getvalue()


def mutate_xml(rng: random.Random, body: bytes) -> bytes:
    r = rng.random()
    if r < 0.35:  # an attribute value swapped for a huge / odd one
        attrs = list(re.finditer(rb'(w:val|w:ilvl|w:numId|r:id|Target)="([^"]*)"', body))
        if attrs:
            m = rng.choice(attrs)
            return (
                body[: m.start(2)]
                + rng.choice(HUGE + [b"../", b"word/none.xml", b"restart"])
                + body[m.end(2) :]
            )
    if r < 0.6:  # an element repeated (rows, cells, paragraphs) or nested into itself
        elems = list(
            re.finditer(rb"<(w:(?:tr|tc|p|r|tbl|sdt|gridCol))\b[^>]*?(?:/>|>.*?</\1>)", body, re.DOTALL)
        )
        if elems:
            m = rng.choice(elems)
            times = min(rng.choice((2, 50, 2000)), MAX_INPUT // len(m.group(0)))
            return body[: m.end()] + m.group(0) * times + body[m.end() :]
    if r < 0.7:  # a span or merge added to a cell
        extra = rng.choice([b'<w:gridSpan w:val="%s"/>', b'<w:vMerge w:val="%s"/>', b"<w:vMerge/>"])
        extra = (
            extra.replace(b"%s", rng.choice(HUGE + [b"restart", b"continue"])) if b"%s" in extra else extra
        )
        return body.replace(b"<w:tcPr>", b"<w:tcPr>" + extra, rng.randint(1, 3))
    return mutate_bytes(rng, body, text=True)


_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def mutate_pdf(rng: random.Random, data: bytes) -> bytes:
    """A content stream decompressed, mutated and put back (its /Length left as it was: PDFium
    repairs), or the raw file mutated."""
    streams = list(_PDF_STREAM.finditer(data))
    if streams and rng.random() < 0.7:
        m = rng.choice(streams)
        try:
            plain = zlib.decompress(m.group(1))
        except zlib.error:
            return mutate_bytes(rng, data, text=False)
        r = rng.random()
        if r < 0.3:  # operators repeated
            ops = list(re.finditer(rb"[^\n]*(?:Tj|TJ|re|l|m|Tf|Td|Tm|cm|q|Q|Do)\n?", plain))
            if ops:
                op = rng.choice(ops)
                times = min(rng.choice((10, 1000, 50000)), 4 * MAX_INPUT // max(len(op.group(0)), 1))
                plain = plain[: op.end()] + op.group(0) * times + plain[op.end() :]
        else:
            plain = mutate_bytes(rng, plain, text=False)
        packed = zlib.compress(plain)
        data = data[: m.start(1)] + packed + data[m.end(1) :]
        if rng.random() < 0.5:
            data = re.sub(rb"/Length \d+", b"/Length %d" % len(packed), data, count=0)
        return data
    return mutate_bytes(rng, data, text=False)


def mutate(rng: random.Random, fmt: str, seed: bytes) -> bytes:
    if fmt == "docx":
        return mutate_zip(rng, seed)
    if fmt == "pdf":
        return mutate_pdf(rng, seed)
    return mutate_bytes(rng, seed, text=True)


# ---------------------------------------------------------------------------------------------
# running one input in a forked child


def _vm_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def run_one(path: Path, timeout: float, memory: int, stage: str = "import") -> tuple[str, str]:
    """(outcome, detail) of import_document(path) (or read_document) in a forked child."""
    from keikaku.ingest import import_document
    from keikaku.ingest.blocks import ReaderError
    from keikaku.ingest.readers import read_document

    run = import_document if stage == "import" else read_document

    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(rfd)
        code = 0
        try:
            limit = _vm_bytes() + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            try:
                run(path)
                result = {"outcome": "ok", "detail": ""}
            except ReaderError as e:
                result = {"outcome": "reader_error", "detail": e.code}
            except MemoryError:
                result = {"outcome": "over_memory", "detail": "MemoryError"}
            except BaseException as e:  # noqa: BLE001 — everything else is what we are looking for
                tb = traceback.extract_tb(e.__traceback__)
                ours = [f for f in tb if "/keikaku/" in f.filename] or tb[-1:]
                where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
                result = {
                    "outcome": "crash",
                    "detail": f"{type(e).__name__} at {where}",
                    "trace": traceback.format_exc()[-4000:],
                }
            os.write(wfd, json.dumps(result).encode())
        except BaseException:  # noqa: BLE001
            code = 3
        finally:
            os.close(wfd)
            os._exit(code)
    os.close(wfd)
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(rfd)
        return "over_time", f"> {timeout:g} s"
    with os.fdopen(rfd, "rb") as fh:
        raw = fh.read()
    if raw:
        result = json.loads(raw)
        if result["outcome"] == "crash":
            return "crash", result["detail"] + "\n" + result.get("trace", "")
        return result["outcome"], result["detail"]
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        # PDFium aborts (SIGABRT) when an allocation fails under the limit
        return ("over_memory" if sig == signal.SIGABRT else "crash"), f"signal {signal.Signals(sig).name}"
    return "crash", f"child exited {status}"


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space per input, MB")
    parser.add_argument("--formats", default="txt,md,html,docx,pdf")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "keikaku-fuzz")
    parser.add_argument("--stage", choices=("import", "read"), default="import")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    args.out.mkdir(parents=True, exist_ok=True)
    seeds: dict[str, bytes] = {}
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    for fmt in formats:
        seeds[fmt] = {
            "txt": lambda: TEXT_SEED.encode("utf-8"),
            "md": lambda: MD_SEED.encode("utf-8"),
            "html": html_seed,
            "docx": lambda: docx_seed(work),
            "pdf": lambda: pdf_seed(work),
        }[fmt]()
    # warm up: every lazy import happens in the parent, once, before the children fork
    for fmt, seed in seeds.items():
        path = work / f"warm.{fmt}"
        path.write_bytes(seed)
        print(f"seed {fmt}: {run_one(path, 120, args.memory_mb << 20)[0]}", flush=True)
        from keikaku.ingest import import_document

        try:
            import_document(path)
        except Exception:  # noqa: BLE001, S110 — only the imports matter here
            pass

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    crashes: dict[str, tuple[str, Path, str]] = {}
    slow: dict[str, list[Path]] = defaultdict(list)
    end = time.monotonic() + args.minutes * 60
    n = 0
    while time.monotonic() < end:
        fmt = formats[n % len(formats)]
        data = mutate(rng, fmt, seeds[fmt])
        if rng.random() < 0.2:  # stack a second mutation now and then
            data = mutate(rng, fmt, data)
        path = work / f"input.{fmt}"
        path.write_bytes(data)
        outcome, detail = run_one(path, args.timeout, args.memory_mb << 20, args.stage)
        counts[fmt][outcome] += 1
        n += 1
        if outcome == "crash":
            key = detail.split("\n", 1)[0]
            if key not in crashes:
                saved = args.out / f"crash-{len(crashes) + 1}.{fmt}"
                saved.write_bytes(data)
                saved.with_suffix(saved.suffix + ".txt").write_text(detail)
                crashes[key] = (fmt, saved, detail)
                print(f"[{n}] new crash ({fmt}): {key} → {saved}", flush=True)
        elif outcome in ("over_time", "over_memory") and len(slow[outcome]) < 20:
            saved = args.out / f"{outcome}-{len(slow[outcome]) + 1}.{fmt}"
            saved.write_bytes(data)
            slow[outcome].append(saved)
            print(f"[{n}] {outcome} ({fmt}, {detail}) → {saved}", flush=True)
        if n % 200 == 0:
            print(f"[{n}] inputs so far", flush=True)

    print()
    print("| format | inputs | ok | reader error | crashes | over-time | over-memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total: Counter[str] = Counter()
    for fmt in formats:
        c = counts[fmt]
        total.update(c)
        print(f"| {fmt} | {sum(c.values())} | " + " | ".join(str(c[o]) for o in OUTCOMES) + " |")
    print(f"| all | {sum(total.values())} | " + " | ".join(str(total[o]) for o in OUTCOMES) + " |")
    print(f"\ndistinct crashes: {len(crashes)}")
    for key, (fmt, saved, _) in crashes.items():
        print(f"- {fmt}: {key} ({saved})")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
