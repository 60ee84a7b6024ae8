"""The plan document as PDF (WeasyPrint) with IPAex 明朝 and ゴシック embedded, and the figures it holds
as PNG (rasterised through keikaku.export.report_pdf.svg_to_png). WeasyPrint may fetch nothing but the two
font files and data: URIs, whatever the plan contains."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

from keikaku.export import plan_figures as fig
from keikaku.export import plan_html
from keikaku.export.plan_model import PlanDocument
from keikaku.export.report_pdf import find_cjk_font

MINCHO = (
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
)


def fonts() -> dict[str, Path]:
    """The font files of the two families (明朝 falls back to the Gothic one when absent)."""
    gothic = find_cjk_font()
    mincho = next((Path(p) for p in MINCHO if Path(p).is_file()), gothic)
    return {k: v for k, v in (("KeikakuGothic", gothic), ("KeikakuMincho", mincho)) if v is not None}


def font_css() -> str:
    return "".join(
        f'@font-face {{ font-family: "{name}"; src: url("{path.resolve().as_uri()}"); }}\n'
        for name, path in fonts().items()
    )


def _fetcher(allowed: set[str]):
    from weasyprint.urls import URLFetcher

    class OnlyFonts(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None):  # type: ignore[override]
            if url.startswith("data:") or url in allowed:
                return super().fetch(url, headers)
            raise ValueError(f"blocked resource: {url[:80]}")

    return OnlyFonts(allowed_protocols=("file", "data"), timeout=5)


_SEEN: dict[str, bytes] = {}  # SVG → PNG, the most recent last (a small process-wide cache)
_SEEN_MAX = 32


def rasterise_many(svgs: Sequence[str], scale: float = 2.0) -> dict[str, bytes]:
    """PNG pictures of many SVG figures in one WeasyPrint pass (one page per figure, sized to it) →
    pypdfium2; {} without WeasyPrint or pypdfium2 (the documents then go without figures)."""
    try:
        import pypdfium2 as pdfium
        from weasyprint import HTML
    except (ImportError, OSError):
        return {}
    wanted = list(dict.fromkeys(svgs))
    done = {s: _SEEN[s] for s in wanted if s in _SEEN}
    unique = [s for s in wanted if s not in done]
    if not unique:
        return done
    pages = []
    rules = []
    for i, s in enumerate(unique):
        w, h = fig.size(s)
        rules.append(f"@page f{i} {{ size: {w}px {h}px; margin: 0; }} .f{i} {{ page: f{i}; }}")
        pages.append(f'<div class="f{i}" style="page-break-after: always">{s}</div>')
    allowed = {p.resolve().as_uri() for p in fonts().values()}
    doc = (
        f"<html><head><style>{font_css()} body {{ margin: 0; }} "
        f'svg text {{ font-family: "KeikakuGothic", sans-serif; }} {" ".join(rules)}</style></head>'
        f"<body>{''.join(pages)}</body></html>"
    )
    buf = io.BytesIO()
    HTML(string=doc, base_url=None, url_fetcher=_fetcher(allowed)).write_pdf(buf)
    pdf = pdfium.PdfDocument(buf.getvalue())
    out: dict[str, bytes] = {}
    try:
        for i, s in enumerate(unique[: len(pdf)]):
            image = pdf[i].render(scale=scale).to_pil()
            png = io.BytesIO()
            image.save(png, format="PNG")
            out[s] = png.getvalue()
    finally:
        pdf.close()
    for s, png_bytes in out.items():  # the same plan printed again (both formats, each visitor): drawn once
        _SEEN[s] = png_bytes
    try:
        while len(_SEEN) > _SEEN_MAX:
            _SEEN.pop(next(iter(_SEEN)))
    except (KeyError, RuntimeError, StopIteration):  # another thread trimmed it meanwhile
        pass
    return {**done, **out}


def rasteriser(document: PlanDocument) -> Callable[[str, int, int], bytes | None]:
    """The figures of ``document`` rasterised at once, looked up by their SVG."""
    pictures = rasterise_many([s for s, _c in (*fig.tree_figures(document), *fig.gantt_figures(document))])
    return lambda svg_text, _w, _h: pictures.get(svg_text)


def render(document: PlanDocument) -> bytes:
    from weasyprint import HTML

    allowed = {p.resolve().as_uri() for p in fonts().values()}
    text = plan_html.render(document, rasterise=rasteriser(document), extra_css=font_css())
    buf = io.BytesIO()
    HTML(string=text, base_url=None, url_fetcher=_fetcher(allowed)).write_pdf(buf)
    return buf.getvalue()
