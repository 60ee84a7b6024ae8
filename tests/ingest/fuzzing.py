"""Fuzzing support shared by ``scripts/fuzz_import.py`` (≥ 100,000 inputs, results in docs/benchmarks.md) and
``tests/ingest/test_fuzz.py`` (a few hundred inputs in the test suite): small fictional seed plans in every
format the importer reads (txt, md, html, docx, pdf, xlsx, pptx), mutations of their bytes, ZIP members and
content streams, and ``run_one`` — one input through ``import_document`` in a forked child under a CPU-time and
an address-space limit.

Mutations: byte flips, inserts of tricky characters and markup, deletions, a slice repeated many times (deep
nesting, long lines, huge tables), truncation; for the ZIP formats (docx, xlsx, pptx) the same on one member's
XML plus attribute values swapped for huge, negative or non-numeric ones, elements repeated, spans and merges
added and members dropped; for PDF the same on a decompressed content stream (recompressed) or on the raw bytes.
How often an input is blown up (×1000 and more) is weighted (``AMPLIFY``): most inputs stay small, so a run
explores many structures, and about one in twelve is large enough to test the size limits.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import resource
import signal
import time
import traceback
import zipfile
import zlib
from pathlib import Path

OUTCOMES = ("ok", "reader_error", "crash", "over_time", "over_memory")
FORMATS = ("txt", "md", "html", "docx", "pdf", "xlsx", "pptx")

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


def xlsx_seed(tmp: Path) -> bytes:
    """A generated アクションプラン workbook (merged headers, a table per policy)."""
    from tests.ingest.generated import grammar, render

    return render.write(grammar.generate(7, fmt="xlsx"), tmp, "seed").read_bytes()


def pptx_seed(tmp: Path) -> bytes:
    """A small deck: a cover, a numbered list of measures with 担当 lines, a schedule table."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    cover.shapes.title.text = "ひなた市デジタル推進計画"
    cover.placeholders[1].text = "令和6年度～令和10年度"
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "1. 行政手続のオンライン化"
    frame = slide.placeholders[1].text_frame
    frame.text = "(1) 電子申請の拡充"
    for text, level in (("担当：情報政策課", 1), ("(2) 窓口のデジタル化", 0), ("担当：市民課", 1)):
        para = frame.add_paragraph()
        para.text, para.level = text, level
    grid = prs.slides.add_slide(prs.slide_layouts[5])
    grid.shapes.title.text = "工程表"
    rows = [["施策", "担当課", "R6", "R7"], ["電子申請の拡充", "情報政策課", "検討", "実施"],
            ["窓口のデジタル化", "市民課", "準備", "→"]]  # fmt: skip
    table = grid.shapes.add_table(3, 4, Inches(0.5), Inches(1.5), Inches(9), Inches(2)).table
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp / "seed.pptx"
    prs.save(path)
    return path.read_bytes()


def seed(fmt: str, tmp: Path) -> bytes:
    """The seed document of a format (the binary ones written under tmp)."""
    makers = {
        "txt": lambda: TEXT_SEED.encode("utf-8"),
        "md": lambda: MD_SEED.encode("utf-8"),
        "html": html_seed,
        "docx": lambda: docx_seed(tmp),
        "pdf": lambda: pdf_seed(tmp),
        "xlsx": lambda: xlsx_seed(tmp),
        "pptx": lambda: pptx_seed(tmp),
    }
    return makers[fmt]()


# ---------------------------------------------------------------------------------------------
# mutations

TRICKY = [
    "\t", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x00", "\ufeff", "\u3000", "\u00a0",
    "<div>", "<table><tr><td>", "</td></tr>", "<ul><li>", "<!--", "<script>", "<p>", "<b>", "&#0;",
    "┌─┬─┐", "│", "├┼┤", "+---+", "|", "|---|", "#", "# ", "【", "（", "(1)", "①", "Ⅱ.", "第1章", "・",
    "※1", "- ", "  ", "\n", "\r", "\r\n", "。", "、", "令和6年度", "→", "～", "%", "\\", "*", "`",
]  # fmt: skip
# How many times an insert or a repeated slice is written, and how often: small most of the time, ×1000 and
# more in about one input in twelve (enough to hit every size limit many times in a long run).
AMPLIFY = ((1, 40), (3, 20), (10, 15), (50, 10), (100, 7), (1000, 4), (5000, 2), (20000, 2))
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


def times(rng: random.Random) -> int:
    """A repeat count drawn from AMPLIFY."""
    return rng.choices([n for n, _ in AMPLIFY], weights=[w for _, w in AMPLIFY])[0]


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
            buf[pos:pos] = token * times(rng)
        elif op == 2 and buf:  # delete a range
            buf[pos : pos + rng.randint(1, 200)] = b""
        elif op == 3 and buf:  # repeat a slice many times (nesting, long lines, big tables)
            piece = bytes(buf[pos : pos + rng.randint(1, 60)])
            buf[pos:pos] = piece * max(2, times(rng))
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
            count = min(max(2, times(rng)), MAX_INPUT // (len(lines[k]) + 1))
            lines[k:k] = [lines[k]] * count
            buf = bytearray(b"\n".join(lines))
        if len(buf) > MAX_INPUT:
            del buf[MAX_INPUT:]
    return bytes(buf)


# Per ZIP format: the member most mutations go to (a pattern), the attributes worth breaking, the elements worth
# repeating, and spans or merges to add.
_MAIN_MEMBER = {
    "docx": re.compile(r"word/document\.xml"),
    "xlsx": re.compile(r"xl/(worksheets/sheet\d+|sharedStrings)\.xml"),
    "pptx": re.compile(r"ppt/slides/slide\d+\.xml"),
}
_ATTRS = re.compile(
    rb"\b(w:val|w:ilvl|w:numId|r:id|r:embed|Target|ref|r|s|t|count|spans|gridSpan|rowSpan|hMerge|vMerge"
    rb'|idx|lvl|sz|x|y|cx|cy|w|h)="([^"]*)"'
)
_ELEMENTS = re.compile(
    rb"<((?:w:(?:tr|tc|p|r|tbl|sdt|gridCol))|(?:a:(?:tr|tc|p|r|tbl|gridCol))|(?:p:(?:sp|grpSp|graphicFrame))"
    rb"|row|c|si|mergeCell)\b[^>]*?(?:/>|>.*?</\1>)",
    re.DOTALL,
)
_SPANS = [
    (b"<w:tcPr>", [b'<w:gridSpan w:val="%s"/>', b'<w:vMerge w:val="%s"/>', b"<w:vMerge/>"]),
    (b"<a:tc>", [b'<a:tc gridSpan="%s">', b'<a:tc rowSpan="%s">', b'<a:tc hMerge="1" vMerge="1">']),
    (b"</sheetData>", [b'</sheetData><mergeCells count="1"><mergeCell ref="A1:%s"/></mergeCells>']),
]
_ODD = [b"../", b"word/none.xml", b"restart", b"XFD1048576", b"A0", b"ZZZZ99999999", b"1:99999999"]


def mutate_zip(rng: random.Random, data: bytes, fmt: str = "docx") -> bytes:
    """One member of an Office file (most often the document, sheet or slide) mutated; sometimes a member
    dropped, or the archive's own bytes mutated."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        members = {name: src.read(name) for name in src.namelist()}
    except Exception:  # noqa: BLE001 — an archive an earlier mutation broke
        return mutate_bytes(rng, data, text=False)
    names = list(members)
    if rng.random() < 0.15:
        return mutate_bytes(rng, data, text=False)  # the archive itself
    main = [n for n in names if _MAIN_MEMBER[fmt].fullmatch(n)]
    target = rng.choice(main) if main and rng.random() < 0.6 else rng.choice(names)
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
        attrs = list(_ATTRS.finditer(body))
        if attrs:
            m = rng.choice(attrs)
            return body[: m.start(2)] + rng.choice(HUGE + _ODD) + body[m.end(2) :]
    if r < 0.6:  # an element repeated (rows, cells, paragraphs, shapes) or nested into itself
        elems = list(_ELEMENTS.finditer(body))
        if elems:
            m = rng.choice(elems)
            count = min(max(2, times(rng)), MAX_INPUT // len(m.group(0)))
            return body[: m.end()] + m.group(0) * count + body[m.end() :]
    if r < 0.7:  # a span or merge added to a cell
        for anchor, extras in _SPANS:
            if anchor in body:
                extra = rng.choice(extras)
                if b"%s" in extra:
                    extra = extra.replace(b"%s", rng.choice(HUGE + _ODD))
                if anchor.startswith(b"<a:tc"):
                    return body.replace(anchor, extra, rng.randint(1, 3))
                return body.replace(
                    anchor, anchor + extra if anchor.startswith(b"<w") else extra, rng.randint(1, 3)
                )
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
                count = min(max(10, times(rng) * 10), 4 * MAX_INPUT // max(len(op.group(0)), 1))
                plain = plain[: op.end()] + op.group(0) * count + plain[op.end() :]
        else:
            plain = mutate_bytes(rng, plain, text=False)
        packed = zlib.compress(plain)
        data = data[: m.start(1)] + packed + data[m.end(1) :]
        if rng.random() < 0.5:
            data = re.sub(rb"/Length \d+", b"/Length %d" % len(packed), data, count=0)
        return data
    return mutate_bytes(rng, data, text=False)


def mutate(rng: random.Random, fmt: str, seed: bytes) -> bytes:
    if fmt in _MAIN_MEMBER:
        return mutate_zip(rng, seed, fmt)
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


WALL_FACTOR = 5
_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


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
    # Over-time is CPU time (the child's own, from /proc), so a loaded machine does not turn a slow input
    # into a hang; the wall clock is only a backstop at WALL_FACTOR × the limit.
    start = time.monotonic()
    status = None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        cpu = _cpu_seconds(pid)
        if cpu > timeout or time.monotonic() - start > WALL_FACTOR * timeout:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(rfd)
            if cpu > timeout:
                return "over_time", f"> {timeout:g} s CPU"
            return (
                "over_time",
                f"> {WALL_FACTOR * timeout:g} s wall with {cpu:.1f} s CPU (a starved machine?)",
            )
        time.sleep(0.01)
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
