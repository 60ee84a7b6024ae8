"""Hostile input: one bad upload must never hang or crash the importer.

Every hostile file is generated here (tiny files: raw PDF bytes with zlib, python-docx with zipfile
edits, plain text and HTML). Each is read in a child process under an address-space limit (1 GB, as for a
fresh interpreter) and a timeout, so a regression fails the test instead of hanging the suite or taking the
machine's memory; the child reports a normal result or the ReaderError's code as JSON. The children are forked
from the test process with the readers already imported (a fresh ``python`` per file cost a second each).
"""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import traceback
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

MEMORY = 1 << 30
WALL_FACTOR = 5
TIMEOUT = 60

# Imported once in this process before any child is forked: the readers and the libraries they use.
PRELOADED = (
    "keikaku.ingest",
    "keikaku.ingest.blocks",
    "keikaku.ingest.readers",
    "keikaku.ingest.readers.pdf",
    "keikaku.ingest.readers.docx",
    "keikaku.ingest.readers.xlsx",
    "keikaku.ingest.readers.pptx",
    "keikaku.ingest.readers.html",
    "keikaku.ingest.readers.text",
    "keikaku.ingest.extract",
    "docx",
    "openpyxl",
    "pptx",
    "pdfminer.pdfdocument",
    "pdfplumber.table",
)
_BASELINE = """
import importlib, sys
from pathlib import Path
for name in sys.argv[1:]:
    importlib.import_module(name)
print(next(int(l.split()[1]) * 1024 for l in Path("/proc/self/status").read_text().splitlines()
           if l.startswith("VmSize:")))
"""
_allowance: list[int] = []


def _vm_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _memory_allowance() -> int:
    """What a reading child may add to its address space: MEMORY less what a fresh interpreter with
    PRELOADED imported takes (measured once). A child forked from this process starts at this process's
    size, so its limit is that size plus the allowance — the reading gets no more room than it had when
    each child was a fresh ``python`` under a 1 GB limit."""
    if not _allowance:
        for name in PRELOADED:
            importlib.import_module(name)
        out = subprocess.run(
            [sys.executable, "-c", _BASELINE, *PRELOADED], capture_output=True, text=True, check=True
        )
        _allowance.append(MEMORY - int(out.stdout.strip()))
    return _allowance[0]


def _read_in_child(path: Path, how: str, env: dict[str, str] | None, limit: int, report: Path) -> None:
    """In the forked child: the limit, the read, its result as JSON in ``report``; never returns."""
    code = 1
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.environ.update(env or {})
        from keikaku.ingest.blocks import ReaderError

        try:
            if how == "import":
                from keikaku.ingest import import_document

                import_document(path)
                result: dict[str, Any] = {"ok": True}
            else:
                from keikaku.ingest.readers import read_document

                r = read_document(path)
                result = {"ok": True, "kinds": [str(b.kind) for b in r.blocks], "pages": r.pages,
                          "texts": [b.text for b in r.blocks][:50]}  # fmt: skip
        except ReaderError as e:
            result = {"ok": False, "code": e.code, "message": str(e)}
        report.write_text(json.dumps(result))
        code = 0
    except BaseException:  # noqa: BLE001 — reported to the parent, which fails the test
        report.write_text(json.dumps({"error": traceback.format_exc()[-3000:]}))
    finally:
        os._exit(code)


def read_hostile(
    path: Path, env: dict[str, str] | None = None, *, how: str = "read", timeout: float = TIMEOUT
) -> dict[str, Any]:
    """Read a file in a child process forked from this one (its address space limited to this process's
    size plus what 1 GB left a fresh interpreter, see _memory_allowance); its result as a dict. ``env`` is
    added to the child's environment. ``seconds`` is the child's CPU time (user + system), so a machine
    loaded by other work does not make a linear read look slow; the wall clock only stops a child that
    hangs (at WALL_FACTOR × ``timeout``)."""
    limit = _vm_bytes() + _memory_allowance()
    report = path.with_name(path.name + ".result.json")
    report.unlink(missing_ok=True)
    pid = os.fork()
    if pid == 0:  # child
        _read_in_child(path, how, env, limit, report)
    deadline = time.monotonic() + timeout * WALL_FACTOR
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"{path.name}: still reading after {timeout * WALL_FACTOR} s")
        time.sleep(0.005)
    out = json.loads(report.read_text()) if report.exists() else {}
    assert os.waitstatus_to_exitcode(status) == 0, (
        f"{path.name}: exit {os.waitstatus_to_exitcode(status)}\n{out.get('error', '')}"
    )
    out["seconds"] = usage.ru_utime + usage.ru_stime
    return out


def refused(path: Path, code: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    out = read_hostile(path, env)
    assert not out["ok"], f"{path.name} was read: {out}"
    assert out["code"] == code, out
    ja, _, en = out["message"].partition(" / ")
    assert ja and en, f"not bilingual: {out['message']}"
    return out


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------------------------------------
# text


@pytest.mark.parametrize("sep", ["\u2028", "\u0085", "\u2029", "\x1c", "\x0b"])
def test_tab_and_unicode_line_separator_line_ends(tmp_path: Path, sep: str) -> None:
    out = read_hostile(write(tmp_path, "sep.txt", "\t" + sep))
    assert out["ok"] or out["code"] == "empty"
    out = read_hostile(write(tmp_path, "sep2.txt", f"本文\n\t{sep}\n続き\n\t{sep}\t\n"))
    assert out["ok"]


def test_markdown_heading_with_a_long_run_of_blanks(tmp_path: Path) -> None:
    out = read_hostile(write(tmp_path, "h.md", "# a" + " " * 50_000 + "x\n"), timeout=20)
    assert out["ok"] and out["kinds"] == ["heading"]


def test_bracket_marker_with_a_long_run_of_blanks(tmp_path: Path) -> None:
    out = read_hostile(write(tmp_path, "b.txt", "【" + "\u3000" * 50_000 + "基本方針\n"), timeout=20)
    assert out["ok"]


def test_line_of_a_million_tabs(tmp_path: Path) -> None:
    refused(write(tmp_path, "tabs.txt", "a" + "\t" * 1_000_000 + "b\n"), "too_large")


def test_pipe_table_too_large(tmp_path: Path) -> None:
    refused(write(tmp_path, "pipes.md", ("|" + "a|" * 1000 + "\n") * 300), "too_large")


def test_running_lines_and_widths_stay_linear(tmp_path: Path) -> None:
    lines = []
    for k in range(40_000):
        lines += ["ひなた市デジタル推進計画", f"- {k % 999 + 1} -", "あ" * (10 + k % 300)]
    out = read_hostile(write(tmp_path, "run.txt", "\n".join(lines)), timeout=40)
    assert out["ok"]


def test_one_paragraph_of_two_hundred_thousand_lines(tmp_path: Path) -> None:
    out = read_hostile(write(tmp_path, "para.txt", ("あ" * 40 + "\n") * 200_000), timeout=40)
    assert out["ok"]


def test_deep_html_in_markdown(tmp_path: Path) -> None:
    refused(
        write(tmp_path, "deep.md", "# 表\n\n<table><tr><td>" + "<div>" * 5000 + "x\n</table>\n"),
        "too_complex",
    )


def test_huge_box_table(tmp_path: Path) -> None:
    text = "┌" + "─┬" * 2000 + "─┐\n" + ("│" + "a│" * 2000 + "\n") * 200
    refused(write(tmp_path, "box.txt", text), "too_large")


def test_form_feeds_only(tmp_path: Path) -> None:
    out = read_hostile(write(tmp_path, "ff.txt", "\f" * 100_000 + "本文\n"))
    assert out["ok"] and out["pages"] == 100_001


# ---------------------------------------------------------------------------------------------
# HTML


@pytest.mark.parametrize(
    "body",
    ["<table><tr><td>" * 500, "<div>" * 500, "<div>" * 200_000, "<span>" * 300 + "x", "<ul><li>" * 400],
)
def test_deep_html_is_refused_quickly(tmp_path: Path, body: str) -> None:
    out = refused(write(tmp_path, "deep.html", "<html><body>" + body + "x"), "too_complex")
    assert out["seconds"] < 20


def test_html_of_too_many_elements(tmp_path: Path) -> None:
    out = refused(write(tmp_path, "many.html", "<html><body>" + "<p>段落" * 600_000), "too_complex")
    assert out["seconds"] < 30
    path = write(tmp_path, "fewer.html", "<html><body>" + "<p>段落" * 1000)
    assert read_hostile(path, {"KEIKAKU_IMPORT_MAX_HTML_ELEMENTS": "100"})["code"] == "too_complex"


def test_unclosed_links_around_lists(tmp_path: Path) -> None:
    """Found by scripts/fuzz_import.py: an <a> left open around a list nests every later list inside
    it (lexbor's adoption agency keeps the blocks), which took lexbor 20 s to parse."""
    html = "<html><body><nav><ul>" + '<li><a href="/">トップ</a></li><li><a hrnav><ul>' * 20_000
    out = refused(write(tmp_path, "links.html", html), "too_complex")
    assert out["seconds"] < 20


def test_html_text_with_a_long_run_of_blanks(tmp_path: Path) -> None:
    html = "<html><body><p>本文" + " " * 200_000 + "続き\n終わり</p>"
    out = read_hostile(write(tmp_path, "blanks.html", html), timeout=20)
    assert out["ok"] and out["seconds"] < 15


def test_raw_text_elements_are_skipped_once(tmp_path: Path) -> None:
    """Found by scripts/fuzz_import.py: 20,000 <style> tags before the one </style>; the nesting scan
    looked for the end tag from each of them (the jump over raw text was lost: quadratic)."""
    head = "<html><head><title>計画</title>" + "</title>\n<style>body{font-family:sans" * 40_000
    html = head + "}</style></head><body><p>本文</p>" + "<!--" + "<p>" * 10_000 + "-->"
    out = read_hostile(write(tmp_path, "styles.html", html), timeout=30)
    assert out["ok"] and out["seconds"] < 15


@pytest.mark.parametrize("name", ["comments.md", "comments.html"])
def test_comments_between_text_in_a_table(tmp_path: Path, name: str) -> None:
    """Found by scripts/fuzz_import.py (a SelectolaxError when lexbor ran out of memory): comments
    (here bogus ones, "</ rowspan=...>") between runs of text in a table row cost lexbor memory
    growing with their square — 20,000 took a gigabyte. Comments are removed before parsing, and the
    text lexbor moves out of the table is capped (KEIKAKU_IMPORT_MAX_HTML_FOSTER_CHARS)."""
    row = '<td colspan="2">年度</td></ rowspan="2">施策</td>' * 20_000
    text = (
        f"# 計画\n\n<table><tr>{row}</tr></table>\n"
        if name.endswith(".md")
        else f"<html><body><table><tr>{row}"
    )
    out = read_hostile(write(tmp_path, name, text), timeout=30)
    assert not out["ok"] and out["code"] == "too_complex", out


def test_sloppy_table_with_blanks_between_cells_is_read(tmp_path: Path) -> None:
    html = "<html><body><table>" + "<tr>&nbsp;<td>施策</td>&nbsp;<td>担当課</td></tr>" * 5000
    out = read_hostile(write(tmp_path, "nbsp.html", html))
    assert out["ok"], out
    out = read_hostile(write(tmp_path, "nbsp.html", html), {"KEIKAKU_IMPORT_MAX_HTML_FOSTER_CHARS": "1000"})
    assert out["code"] == "too_complex"


def test_deep_html_under_a_raised_limit_reads_without_recursion(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.html", "<html><body>" + "<div>" * 3000 + "本文" + "<ul><li>項目" * 300)
    out = read_hostile(path, {"KEIKAKU_IMPORT_MAX_NESTING": "10000"})
    assert out["ok"] and "本文" in out["texts"]


def test_ordinary_nesting_is_read(tmp_path: Path) -> None:
    html = "<html><body>" + "<div><section><p>段落</p>" * 40 + "</section></div>" * 40
    html += "<p>" + "<p>一<li>二<td>三" * 2000  # unclosed p/li/td close themselves: not deep
    out = read_hostile(write(tmp_path, "ok.html", html))
    assert out["ok"]


def test_ordered_list_start_of_a_trillion(tmp_path: Path) -> None:
    path = write(tmp_path, "ol.html", '<html><body><ol type="I" start="999999999999"><li>項目</li></ol>')
    out = read_hostile(path, timeout=20)
    assert out["ok"]


def test_html_table_of_huge_spans(tmp_path: Path) -> None:
    rows = '<tr><td colspan="1000" rowspan="1000">x</td></tr>' * 300
    refused(write(tmp_path, "span.html", f"<html><body><table>{rows}</table>"), "too_large")


def test_html_rowspan_past_the_table_is_cut(tmp_path: Path) -> None:
    path = write(
        tmp_path, "cut.html", '<html><body><table><tr><td rowspan="65534">a</td><td>b</td></tr></table>'
    )
    out = read_hostile(path)
    assert out["ok"] and out["kinds"] == ["table"]


def test_unclosed_comments_and_scripts(tmp_path: Path) -> None:
    html = "<html><body><p>本文</p>" + "<!--" * 50_000 + "<script>" * 50_000
    out = read_hostile(write(tmp_path, "c.html", html), timeout=30)
    assert out["ok"]


# ---------------------------------------------------------------------------------------------
# DOCX


def _docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("ひなた市DX推進計画", 1)
    d.add_paragraph("電子申請の推進", style="List Number")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "施策", "担当"
    t.cell(1, 0).text, t.cell(1, 1).text = "電子申請", "情報政策課"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _edit(data: bytes, member: str, change: Any) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            z.writestr(info.filename, change(body) if info.filename == member else body)
    return out.getvalue()


def _first_tcpr(extra: bytes) -> Any:
    return lambda x: x.replace(b"<w:tcPr>", b"<w:tcPr>" + extra, 1)


@pytest.mark.parametrize(
    ("name", "member", "change"),
    [
        ("gridspan_text", "word/document.xml", _first_tcpr(b'<w:gridSpan w:val="abc"/>')),
        ("gridspan_huge", "word/document.xml", _first_tcpr(b'<w:gridSpan w:val="999999999"/>')),
        ("gridspan_negative", "word/document.xml", _first_tcpr(b'<w:gridSpan w:val="-5"/>')),
        ("vmerge_odd", "word/document.xml", _first_tcpr(b'<w:vMerge w:val="sideways"/>')),
        (
            "gridbefore_text",
            "word/document.xml",
            lambda x: x.replace(b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="x"/></w:trPr>', 1),
        ),
        ("ilvl_text", "word/numbering.xml", lambda x: x.replace(b'w:ilvl="0"', b'w:ilvl="zz"')),
        (
            "start_huge",
            "word/numbering.xml",
            lambda x: re.sub(rb'<w:start w:val="\d+"/>', b'<w:start w:val="999999999"/>', x),
        ),
        (
            "numfmt_letters",
            "word/numbering.xml",
            lambda x: re.sub(rb'w:val="decimal"', b'w:val="upperLetter"', x),
        ),
        (
            "sz_superscript",
            "word/document.xml",
            lambda x: x.replace(b"<w:r>", '<w:r><w:rPr><w:b/><w:sz w:val="²"/></w:rPr>'.encode(), 1),
        ),
    ],
)
def test_malformed_docx_values_read_normally(tmp_path: Path, name: str, member: str, change: Any) -> None:
    data = _edit(_docx(), member, change)
    if name == "start_huge":
        data = _edit(
            data, "word/numbering.xml", lambda x: re.sub(rb'w:val="decimal"', b'w:val="upperLetter"', x)
        )
    out = read_hostile(write(tmp_path, f"{name}.docx", data))
    assert out["ok"], out


@pytest.mark.parametrize(
    ("name", "member", "change"),
    [
        (
            "rel_missing",
            "word/_rels/document.xml.rels",
            lambda x: x.replace(b'Target="numbering.xml"', b'Target="nothere.xml"'),
        ),
        (
            "rel_directory",
            "word/_rels/document.xml.rels",
            lambda x: x.replace(b'Target="styles.xml"', b'Target="../"'),
        ),
        ("rels_truncated", "word/_rels/document.xml.rels", lambda x: x[:-20]),
        ("styles_garbage", "word/styles.xml", lambda x: b"not xml"),
        ("document_garbage", "word/document.xml", lambda x: x[: len(x) // 2]),
    ],
)
def test_broken_docx_parts_are_corrupt(tmp_path: Path, name: str, member: str, change: Any) -> None:
    refused(write(tmp_path, f"{name}.docx", _edit(_docx(), member, change)), "corrupt")


@pytest.mark.parametrize("part", ["numbering.xml", "styles.xml"])
def test_external_relationship_to_a_part_is_read_without_it(tmp_path: Path, part: str) -> None:
    """A numbering or styles relationship marked TargetMode="External" made python-docx raise
    ValueError; the document is read without that part."""
    target = f'Target="{part}"'.encode()
    rels = "word/_rels/document.xml.rels"
    data = _edit(_docx(), rels, lambda x: x.replace(target, target + b' TargetMode="External"'))
    out = read_hostile(write(tmp_path, "external.docx", data))
    assert out["ok"], out
    assert "ひなた市DX推進計画" in out["texts"]


def test_numbering_rel_to_wrong_part_is_read_or_corrupt(tmp_path: Path) -> None:
    data = _edit(
        _docx(),
        "word/_rels/document.xml.rels",
        lambda x: x.replace(b'Target="numbering.xml"', b'Target="styles.xml"'),
    )
    out = read_hostile(write(tmp_path, "wrongpart.docx", data))
    assert out["ok"] or out["code"] == "corrupt"


def test_docx_xml_bomb(tmp_path: Path) -> None:
    body = b"<w:p/>" * (40 * 1024 * 1024 // 6)
    data = _edit(_docx(), "word/document.xml", lambda x: x.replace(b"<w:body>", b"<w:body>" + body, 1))
    assert len(data) < 1_000_000
    refused(write(tmp_path, "bomb.docx", data), "too_large")


def test_docx_wide_spans_without_grid(tmp_path: Path) -> None:
    row = b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>'
    table = b"<w:tbl>" + row * 400 + b"</w:tbl>"
    data = _edit(_docx(), "word/document.xml", lambda x: x.replace(b"<w:body>", b"<w:body>" + table, 1))
    refused(write(tmp_path, "wide.docx", data), "too_large")


def test_docx_long_vertical_merge_is_linear(tmp_path: Path) -> None:
    first = b'<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'
    more = b"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"
    table = b"<w:tbl>" + first + more * 30_000 + b"</w:tbl>"
    data = _edit(_docx(), "word/document.xml", lambda x: x.replace(b"<w:body>", b"<w:body>" + table, 1))
    out = read_hostile(write(tmp_path, "merge.docx", data), timeout=40)
    assert out["ok"] or out["code"] == "too_large"


# ---------------------------------------------------------------------------------------------
# PDF (raw bytes)


def _pdf(streams: list[bytes], *, pages: int = 1, raw: bool = False) -> bytes:
    """A minimal PDF: ``pages`` pages, all drawing the given content streams (Flate-compressed unless
    ``raw``: then each stream is already compressed)."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + k} 0 R" for k in range(pages)).encode()
    objs.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages))
    font = 3 + pages + len(streams)
    contents = b" ".join(b"%d 0 R" % (3 + pages + k) for k in range(len(streams)))
    for _ in range(pages):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [%s] "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (contents, font)
        )
    for body in streams:
        data = body if raw else zlib.compress(body)
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _spaces_deflated(megabytes: int) -> bytes:
    """A zlib stream of ``megabytes`` MB of spaces built from one flushed block repeated (about 1 KB
    per MB), with the right checksum."""
    chunk = b" " * (1 << 20)
    c = zlib.compressobj(9)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(chunk) + c.flush()
    adler = 1
    for _ in range(megabytes):
        adler = zlib.adler32(chunk, adler)
    return first + block * (megabytes - 2) + last[:-4] + adler.to_bytes(4, "big")


def test_pdf_gigabyte_of_spaces(tmp_path: Path) -> None:
    stream = b"BT /F1 12 Tf 72 720 Td (Plan) Tj ET\n" + zlib.decompress(_spaces_deflated(4))[:0]
    data = _pdf([zlib.compress(stream), _spaces_deflated(1024)], raw=True)
    assert len(data) < 1_500_000
    out = refused(write(tmp_path, "spaces.pdf", data), "too_large")
    assert out["seconds"] < 30


def test_pdf_two_million_text_operators(tmp_path: Path) -> None:
    data = _pdf([b"BT /F1 1 Tf 10 10 Td " + b"(a) Tj " * 2_000_000 + b"ET"])
    assert len(data) < 100_000
    refused(write(tmp_path, "ops.pdf", data), "too_large")


def test_pdf_objects_counted_after_load_over_several_streams(tmp_path: Path) -> None:
    part = b"BT /F1 10 Tf 72 720 Td " + b"(a) Tj " * 60 + b"ET"
    path = write(tmp_path, "split.pdf", _pdf([part, part, part]))
    refused(path, "too_large", {"KEIKAKU_IMPORT_MAX_PDF_PAGE_OBJECTS": "100"})
    assert read_hostile(path)["ok"]


def _form_bomb(draws: int, operators: int) -> bytes:
    """A page drawing one form XObject ``draws`` times, the form showing ``operators`` strings: PDFium
    builds the form's objects once per draw."""
    page = b"q " + b"/Fm1 Do " * draws + b"Q"
    form = b"BT /F1 1 Tf 10 10 Td " + b"(a) Tj " * operators + b"ET"
    pc, fc = zlib.compress(page), zlib.compress(form)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 6 0 R >> /XObject << /Fm1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(pc) + pc + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >> "
        b"/Length %d /Filter /FlateDecode >>\nstream\n" % len(fc) + fc + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_pdf_form_drawn_thousands_of_times(tmp_path: Path) -> None:
    data = _form_bomb(5000, 1000)
    assert len(data) < 2000
    refused(write(tmp_path, "forms.pdf", data), "too_large")
    assert read_hostile(write(tmp_path, "few.pdf", _form_bomb(3, 50)))["ok"]


@pytest.mark.parametrize("encrypted", [False, True])
def test_pdf_form_bomb_written_by_reportlab(tmp_path: Path, encrypted: bool) -> None:
    """Also when the file is encrypted with an empty user password (PDFium opens it unasked): the
    streams are decrypted before they are checked."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "rl.pdf"
    enc = StandardEncryption("", ownerPassword="owner", strength=128) if encrypted else None
    c = canvas.Canvas(str(path), pageCompression=1, encrypt=enc)
    c.beginForm("f")
    for i in range(1000):
        c.drawString(10, 10 + i % 700, "a")
    c.endForm()
    c.drawString(72, 720, "Plan")
    for _ in range(5000):
        c.doForm("f")
    c.showPage()
    c.save()
    refused(path, "too_large")


def test_pdf_stream_keywords_inside_stream_data(tmp_path: Path) -> None:
    """Found by scripts/fuzz_import.py: thousands of "stream" keywords with no endstream after them;
    each was taken for a stream running to the end of the file (quadratic). A keyword inside another
    stream's data is that data."""
    data = _pdf([b"BT /F1 10 Tf 72 720 Td (Plan) Tj ET"]) + (b"stream\n" + b"x" * 1000) * 3000
    out = read_hostile(write(tmp_path, "keywords.pdf", data), timeout=30)
    assert out["ok"] and out["seconds"] < 20


def test_pdf_footer_line_with_a_long_run_of_blanks(tmp_path: Path) -> None:
    footer = b"BT /F1 1 Tf 20 20 Td (1" + b"\t" * 3000 + b"x) Tj 0 -2 Td (2" + b"-" * 3000 + b"x) Tj ET "
    body = b"BT /F1 10 Tf 72 720 Td (Plan) Tj ET "
    out = read_hostile(write(tmp_path, "footer.pdf", _pdf([body + footer], pages=2)), timeout=30)
    assert out["ok"] and out["seconds"] < 20


def test_pdf_stream_with_a_broken_ascii85_filter(tmp_path: Path) -> None:
    """Found by scripts/fuzz_import.py: the stream check's ASCII85 decoder raised ValueError on a
    character outside the alphabet; such a stream is left to PDFium."""
    data = _pdf([b"BT /F1 10 Tf 72 720 Td (Plan) Tj ET"])
    data = data.replace(b"/Type /Font", b"/Type /Font /X 9 0 R") + (
        b"9 0 obj\n<< /Length 12 /Filter [/ASCII85Decode /FlateDecode] >>\nstream\n\xb7\xb7bad~~data~>\nendstream\nendobj\n"
    )
    out = read_hostile(write(tmp_path, "a85.pdf", data))
    assert out["ok"] or out["code"] in ("corrupt", "needs_ocr")


def test_pdf_characters_per_page(tmp_path: Path) -> None:
    path = write(tmp_path, "chars.pdf", _pdf([b"BT /F1 10 Tf 72 720 Td (" + b"x" * 500 + b") Tj ET"]))
    refused(path, "too_large", {"KEIKAKU_IMPORT_MAX_PDF_PAGE_CHARS": "100"})


def test_pdf_pages(tmp_path: Path) -> None:
    path = write(tmp_path, "pages.pdf", _pdf([b"BT /F1 10 Tf 72 720 Td (Plan) Tj ET"], pages=5))
    refused(path, "too_large", {"KEIKAKU_IMPORT_MAX_PDF_PAGES": "3"})
    assert read_hostile(path)["pages"] == 5


def test_pdf_content_total(tmp_path: Path) -> None:
    body = b"BT /F1 10 Tf 72 720 Td (Plan) Tj ET\n" + b"%" + b" " * 3_000_000 + b"\n"
    path = write(tmp_path, "total.pdf", _pdf([body, body]))
    refused(path, "too_large", {"KEIKAKU_IMPORT_MAX_PDF_CONTENT_BYTES": "5000000"})
    refused(path, "too_large", {"KEIKAKU_IMPORT_MAX_PDF_STREAM_BYTES": "1000000"})


def test_pdf_dense_ruling_grid_stays_quick(tmp_path: Path) -> None:
    rules = b"".join(b"%d 100 m %d 700 l S " % (50 + x, 50 + x) for x in range(0, 500, 2))
    rules += b"".join(b"50 %d m 550 %d l S " % (100 + y, 100 + y) for y in range(0, 600, 2))
    text = (
        b"BT /F1 1 Tf "
        + b"".join(b"1 0 0 1 %d %d Tm (a) Tj " % (51 + k % 498, 101 + k // 498 * 2) for k in range(20_000))
        + b"ET"
    )
    out = read_hostile(write(tmp_path, "grid.pdf", _pdf([rules + text])), timeout=60)
    assert out["ok"] or out["code"] in ("too_large", "needs_ocr")


def test_pdf_lzw_and_run_length_streams_are_bounded(tmp_path: Path) -> None:
    from keikaku.ingest.readers.pdf_limits import _lzw, _run_length

    # run-length: 128 copies of one byte per two input bytes
    assert len(_run_length(b"\x81 " * 1000, 10_000)) == 128 * 79
    assert len(_run_length(b"\x81 " * 100_000, 10_000)) <= 10_000 + 128
    # LZW: a clear code, "ab" repeated, end of data
    codes = [256, 97, 98, 258, 260, 259, 257]
    bits = "".join(format(c, "09b") for c in codes)
    bits += "0" * (-len(bits) % 8)
    data = int(bits, 2).to_bytes(len(bits) // 8, "big")
    assert _lzw(data, 1000) == b"ab" + b"ab" + b"aba" + b"ba"


# ---------------------------------------------------------------------------------------------
# the extractor's one pass over sections


def test_find_sections_is_linear() -> None:
    from keikaku.ingest.extract.metadata import find_sections
    from keikaku.ingest.extract.outline import build_outline
    from keikaku.ingest.readers.text import read_text

    lines = []
    for k in range(1, 12_501):
        lines += [f"第{k}章 見出し", "本文です。"]
    blocks = read_text("\n".join(lines).encode("utf-8")).blocks
    outline = build_outline(blocks)
    started = time.process_time()  # CPU time of this process: load from other work does not count
    sections = find_sections(blocks, outline, set())
    assert time.process_time() - started < 3
    assert len(sections) == 12_500
    assert sections[-1].text == "本文です。"


def test_find_kinds_is_linear_on_a_paragraph_without_full_stops() -> None:
    """Fuzzing found a 1 MB text whose one paragraph repeated 本計画の… with no 。: the sentence that
    positions the plan as a kind was searched from every 本計画 to the end (38 s)."""
    from keikaku.core.plan import PlanKind
    from keikaku.ingest.blocks import Block, BlockKind
    from keikaku.ingest.extract.metadata import find_kinds

    para = "本計画の期間は、令和6年度から" * 20_000  # 300,000 characters, no 。
    blocks = [Block(BlockKind.HEADING, "計画期間"), Block(BlockKind.PARAGRAPH, para)]
    started = time.process_time()
    assert find_kinds("ひなた市デジタル推進計画", blocks) == []
    assert time.process_time() - started < 3
    positioned = "本計画は、官民データ活用推進基本法に基づく官民データ活用推進計画として位置付けます。"
    assert find_kinds("ひなた市デジタル推進計画", [Block(BlockKind.PARAGRAPH, positioned)]) == [
        PlanKind.KANMIN_DATA
    ]


def test_surrogate_code_points_never_leave_a_reader(tmp_path: Path) -> None:
    """Fuzzing found a PDF whose text layer decoded to a lone surrogate (U+D800) in a heading: the
    measure could not be validated (nor stored as UTF-8). Readers' text is made whole: a surrogate pair
    becomes its character, a lone one U+FFFD."""
    from keikaku.ingest.blocks import Block, BlockKind, Cell, ReadResult, Table
    from keikaku.ingest.extract import extract_plan
    from keikaku.ingest.readers import well_formed

    pair = "\ud842\udfb7"  # 𠮷 written as two UTF-16 halves
    result = well_formed(
        ReadResult(
            [
                Block(BlockKind.HEADING, "第1章 施策"),
                Block(BlockKind.HEADING, "電子申請の拡充\ud800", marker="(1)"),
                Block(BlockKind.PARAGRAPH, "担当：総務課"),
                Block(
                    BlockKind.TABLE,
                    "",
                    table=Table([[Cell("施策"), Cell("担当課")], [Cell(f"{pair}野の窓口"), Cell("市民課")]]),
                ),
            ],
            "pdf",
        )
    )
    assert result.blocks[1].text == "電子申請の拡充\ufffd"
    assert result.blocks[3].table is not None and result.blocks[3].table.rows[1][0].text == "𠮷野の窓口"
    plan = extract_plan(result, "plan.pdf")
    assert all(m.title.encode("utf-8") for m in plan.measures)
    assert "電子申請の拡充\ufffd" in [m.title for m in plan.measures]
