"""The plan document as one self-contained HTML document, the input of the PDF writer (plan_pdf): A4,
IPAex 明朝 for the text and IPAex ゴシック for headings and tables, a cover, a table of contents with page
numbers, running page numbers. The same content and layout as the DOCX (plan_docx): headings, label
lines and ruled tables. Figures come as PNG data: URIs from ``rasterise`` (left out without it).
Every text is escaped here. Pure: no Django."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable

from keikaku.export import plan_figures as fig
from keikaku.export.plan_docx import contact_lines, kpi_table, measure_lines, schedule_row
from keikaku.export.plan_model import NO_VALUE, DocMeasure, PlanDocument, fy_label

Rasterise = Callable[[str, int, int], bytes | None]

CSS = """
@page { size: A4; margin: 20mm 20mm 18mm;
  @bottom-center { content: counter(page); font-family: "KeikakuGothic", "IPAexGothic", sans-serif; font-size: 9pt; } }
@page cover { @bottom-center { content: none; } }
body { font-family: "KeikakuMincho", "IPAexMincho", serif; font-size: 10.5pt; line-height: 1.7; color: #1a1a1a; }
h1, h2, h3, h4, .label, table, .toc, .cover { font-family: "KeikakuGothic", "IPAexGothic", sans-serif; }
.cover { page: cover; text-align: center; page-break-after: always; }
.cover .band { height: 8mm; background: #0b356b; margin: 0 -20mm; }
.cover .kinds { font-size: 12pt; color: #0b356b; margin: 55mm 0 4mm; letter-spacing: .1em; }
.cover .title { font-size: 24pt; font-weight: bold; margin: 0 0 40mm; padding: 8mm 4mm; line-height: 1.4;
  border-top: 2.5pt solid #0b356b; border-bottom: 1pt solid #0b356b; color: #0b2a52; }
.cover .meta { font-size: 13pt; margin: 3mm 0; }
.cover .org { font-size: 18pt; margin-top: 30mm; letter-spacing: .2em; }
.toc { page-break-after: always; }
.toc h2 { text-align: center; font-size: 16pt; border: none; letter-spacing: .5em; }
.toc ol { list-style: none; padding: 0 10mm; font-size: 11pt; }
.toc li { margin: 3mm 0; }
.toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader('.') target-counter(attr(href url), page); }
h1 { font-size: 16pt; color: #0b356b; border-bottom: 2px solid #0b356b; padding-bottom: 1mm; margin: 0 0 5mm;
  page-break-before: always; }
h2 { font-size: 13.5pt; color: #0b356b; margin: 7mm 0 3mm; border-left: 5px solid #0b356b; padding-left: 2mm; }
h3 { font-size: 12pt; color: #0b356b; margin: 6mm 0 2mm; }
h4 { font-size: 11pt; color: #0b356b; margin: 5mm 0 2mm; border-bottom: 1px solid #9bb0c9; }
h2, h3, h4, .label { page-break-after: avoid; }
p { margin: 0 0 1.5mm; }
p.text { text-indent: 1em; }
.label { color: #0b356b; margin: 2mm 0 1mm; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; font-size: 9.5pt; line-height: 1.4; }
th, td { border: 0.8pt solid #555; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
thead th { background: #dde7f3; text-align: center; }
td.c, th.c { text-align: center; }
tbody th { background: #f0f4f9; font-weight: bold; }
tr { page-break-inside: avoid; }
figure { margin: 3mm 0 5mm; text-align: center; page-break-inside: avoid; }
figure img { max-width: 100%; max-height: 225mm; }
figcaption { font-size: 9pt; }
.measure { page-break-inside: auto; }
"""


def esc(text: object) -> str:
    return html.escape(str(text or ""), quote=True)


def _figure(svg_text: str, rasterise: Rasterise | None, caption: str) -> str:
    if rasterise is None:
        return ""
    w, h = fig.size(svg_text)
    png = rasterise(svg_text, w, h)
    if not png:
        return ""
    data = base64.b64encode(png).decode("ascii")
    # the PNG is drawn at twice its size: CSS px width = the SVG's width (scaled down to the page)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{esc(caption)}" style="width: {w}px">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def _table(
    header: list[str] | None, rows: list[list[str]], *, first_col_head: bool = False, center_from: int = 99
) -> str:
    out = ["<table>"]
    if header is not None:
        out.append(
            "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in header) + "</tr></thead>"
        )
    out.append("<tbody>")
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            text = esc(v).replace("\n", "<br>")
            if first_col_head and i == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cls = ' class="c"' if i >= center_from else ""
                cells.append(f"<td{cls}>{text}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """A text's lines, one paragraph each (as in the DOCX: the same lines on paper)."""
    return [line for line in text.splitlines() if line.strip()] or [NO_VALUE]


def _measure(m: DocMeasure, level: int, years: list[int]) -> str:
    before, after = measure_lines(m)
    out = [
        '<section class="measure">',
        f"<h{level}>{esc(m.heading + ('（再掲）' if m.reposted else ''))}</h{level}>",
        *(f'<p class="text">{esc(line)}</p>' for line in _lines(m.description or NO_VALUE)),
        *(f"<p>{esc(line)}</p>" for line in before),
    ]
    if m.kpis:
        header, krows = kpi_table(m)
        out.append('<p class="label">【成果指標】</p>')
        out.append(_table(header, krows, center_from=1))
    if years:
        out.append('<p class="label">【スケジュール】</p>')
        out.append(_table([fy_label(y) for y in years], [schedule_row(m, years)], center_from=0))
    out += [f"<p>{esc(line)}</p>" for line in after]
    out.append("</section>")
    return "\n".join(out)


def body(d: PlanDocument, *, rasterise: Rasterise | None = None) -> str:
    years = list(d.years)
    out = [
        '<div class="cover">',
        '<div class="band"></div>',
        f'<p class="kinds">{esc("・".join(d.kinds))}</p>' if d.kinds else '<p class="kinds">&#160;</p>',
        f'<p class="title">{esc(d.title)}</p>',
        f'<p class="meta">計画期間：{esc(d.period)}</p>',
        f'<p class="meta">{esc(d.date)}</p>',
        f'<p class="org">{esc(d.organisation)}</p>',
        "</div>",
    ]
    entries = [(f"ch{c.number}", c.heading) for c in d.chapters]
    entries += [
        ("gantt", f"第{d.gantt_chapter}章　工程表"),
        ("coverage", f"第{d.coverage_chapter}章　施策の柱と重点分野"),
    ]
    if d.contact:
        entries.append(("contact", "問い合わせ先"))
    out.append('<nav class="toc"><h2>目次</h2><ol>')
    out += [f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in entries]
    out.append("</ol></nav>")
    for i, ch in enumerate(d.chapters):
        out.append(f'<h1 id="ch{ch.number}">{esc(ch.heading)}</h1>')
        out += [f'<p class="text">{esc(p)}</p>' for p in ch.paragraphs]
        if i != d.measures_chapter:
            continue
        if d.tree:
            out.append("<h2>施策体系図</h2>")
            out += [_figure(svg_text, rasterise, caption) for svg_text, caption in fig.tree_figures(d)]
        for p in d.policies:
            if p.heading:
                lv = min(2 + p.depth, 3)
                out.append(f"<h{lv}>{esc(p.heading)}</h{lv}>")
            level = min(3 + (p.depth if p.key else 0), 4)
            out += [_measure(m, level, years) for m in p.measures]
    out.append(f'<h1 id="gantt">第{d.gantt_chapter}章　工程表</h1>')
    out.append('<p class="text">各施策の年度別の取組段階は次のとおりです。</p>')
    out += [_figure(svg_text, rasterise, caption) for svg_text, caption in fig.gantt_figures(d)]
    cov = d.coverage
    out.append(f'<h1 id="coverage">第{d.coverage_chapter}章　施策の柱と重点分野</h1>')
    out.append(
        '<p class="text">官民データ活用推進基本法の基本的施策（施策の柱）と、国の計画の重点分野ごとの施策数は次のとおりです'
        "（再掲の施策は数えていません）。</p>"
    )
    out.append(
        _table(
            ["施策の柱", *cov.areas, "施策数"],
            [
                [label, *(str(n) if n else "" for n in row), str(t)]
                for label, row, t in zip(cov.pillars, cov.counts, cov.totals, strict=True)
            ],
            first_col_head=True,
            center_from=1,
        )
    )
    if d.contact:
        out.append('<h1 id="contact">問い合わせ先</h1>')
        out += [f"<p>{esc(line)}</p>" for line in contact_lines(d)]
    return "\n".join(out)


def render(d: PlanDocument, *, rasterise: Rasterise | None = None, extra_css: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{esc(d.title)}</title>\n<style>{extra_css}{CSS}</style>\n</head>\n<body>\n"
        f"{body(d, rasterise=rasterise)}\n</body>\n</html>\n"
    )
