"""The evaluation report as PDF, with a Japanese font embedded (drawn by reportlab:
keikaku.export.report_reportlab), and the WeasyPrint helpers other documents use (html_to_pdf, svg_to_png).

The font is found at run time: IPAex Gothic (Debian's fonts-ipaexfont) at its usual paths, else any font
fontconfig knows for Japanese (``fc-list :lang=ja``), else a Noto CJK file. WeasyPrint may fetch nothing
but that font file and data: URIs (no network, no other local files), whatever the report contains.
"""

from __future__ import annotations

import functools
import io
import subprocess
from pathlib import Path

from keikaku.export.report_html import render as render_html
from keikaku.export.report_model import EvaluationReport

FONT_FAMILY = "KeikakuJP"
CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
)


@functools.cache
def find_cjk_font() -> Path | None:
    """A local font file with Japanese glyphs, or None."""
    for c in CANDIDATES:
        p = Path(c)
        if p.is_file():
            return p
    try:
        out = subprocess.run(
            ["fc-list", ":lang=ja", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.strip().rstrip(":") for line in out.splitlines() if line.strip())
    preferred = [f for f in files if "Gothic" in f or "gothic" in f or "Sans" in f] or files
    return Path(preferred[0]) if preferred else None


def font_css() -> str:
    font = find_cjk_font()
    face = (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{font.resolve().as_uri()}"); }}\n'
        if font
        else ""
    )
    return (
        face
        + f"""
@page {{ size: A4; margin: 15mm 12mm; @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 9pt; }} }}
body {{ font-family: "{FONT_FAMILY}", 'IPAexGothic', 'Noto Sans CJK JP', sans-serif; margin: 0; font-size: 10pt; }}
svg text {{ font-family: "{FONT_FAMILY}", 'IPAexGothic', sans-serif; }}
tr, figure {{ page-break-inside: avoid; }}
"""
    )


def _fetcher(allowed: Path | None):
    """A URL fetcher that serves the font file and data: URIs only."""
    from weasyprint.urls import URLFetcher

    allowed_uri = allowed.resolve().as_uri() if allowed else None

    class OnlyFont(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None):  # type: ignore[override]
            if url.startswith("data:") or (allowed_uri is not None and url == allowed_uri):
                return super().fetch(url, headers)
            raise ValueError(f"blocked resource: {url[:80]}")

    return OnlyFont(allowed_protocols=("file", "data"), timeout=5)


def html_to_pdf(document: str) -> bytes:
    from weasyprint import HTML

    buf = io.BytesIO()
    HTML(string=document, base_url=None, url_fetcher=_fetcher(find_cjk_font())).write_pdf(buf)
    return buf.getvalue()


def render(report: EvaluationReport) -> bytes:
    """The report as PDF, drawn with reportlab (see keikaku.export.report_reportlab): the same content,
    tables and SVG charts as the HTML, in a fraction of a browser engine's time (docs/benchmarks.md)."""
    from keikaku.export.report_reportlab import render_pdf

    return render_pdf(report, find_cjk_font())


def render_weasyprint(report: EvaluationReport) -> bytes:
    """The report's HTML printed by WeasyPrint (the earlier writer; kept for comparison in the benchmark)."""
    return html_to_pdf(render_html(report, extra_css=font_css()))


def svg_to_png(svg: str, width: int, height: int, scale: float = 2.0) -> bytes:
    """Rasterise one chart (for DOCX, which cannot hold SVG): WeasyPrint → PDF page → pypdfium2 → PNG."""
    import pypdfium2 as pdfium

    doc = (
        f"<html><head><style>{font_css()} @page {{ size: {width}px {height}px; margin: 0; "
        "@bottom-center { content: none; } } "
        f"body {{ margin: 0; }}</style></head><body>{svg}</body></html>"
    )
    pdf = pdfium.PdfDocument(html_to_pdf(doc))
    try:
        image = pdf[0].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        pdf.close()
