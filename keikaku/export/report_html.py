"""The evaluation report as one self-contained HTML document (also the input of the PDF writer).

Shape of a year-end appendix: a table 項目 / 現状 / 評価と方向性 with one row per measure ("<継続> …
次期計画に引き継ぐ 2-③"), then the status by pillar (chart and table) and each measure's KPI table.
Every text is escaped here; charts come escaped from keikaku.core.charts. No scripts, no external
resources. Pure: no Django.
"""

from __future__ import annotations

import html

from keikaku.export.report_model import EvaluationReport, ReportMeasure

CSS = """
body { font-family: 'IPAexGothic', 'Noto Sans CJK JP', 'Noto Sans JP', sans-serif; color: #1a1a1a;
  line-height: 1.6; margin: 2em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; border-bottom: 2px solid #0b5394; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.5em 0 .3em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th, td { border: 1px solid #777; padding: .3em .5em; vertical-align: top; text-align: left; }
thead th, th[scope=col] { background: #dde7f3; }
caption { text-align: left; font-weight: bold; padding: .3em 0; }
td.item { width: 28%; } td.now { width: 40%; }
.decision { font-weight: bold; } .ref { display: block; margin-top: .3em; }
.meta { color: #444; } .pre { white-space: pre-wrap; }
figure { margin: .5em 0; } svg { max-width: 100%; height: auto; }
"""


def esc(text: object) -> str:
    return html.escape(str(text or ""), quote=True)


def _multiline(text: str) -> str:
    return f'<span class="pre">{esc(text)}</span>' if text else ""


def _item(m: ReportMeasure) -> str:
    depts = "、".join(m.departments)
    return f"<strong>{esc(m.key)}</strong> {esc(m.title)}" + (
        f'<br><span class="meta">担当: {esc(depts)}</span>' if depts else ""
    )


def _now(m: ReportMeasure) -> str:
    parts = []
    if m.status:
        parts.append(f"【{esc(m.status)}】")
    if m.current:
        parts.append(_multiline(m.current))
    if not parts:
        parts.append('<span class="meta">報告なし</span>')
    return " ".join(parts)


def _direction(m: ReportMeasure) -> str:
    if not m.decision:
        parts = [f'<span class="meta">{esc(m.decision_text)}</span>']
    else:
        parts = [f'<span class="decision">{esc(m.decision_text)}</span>']
    if m.direction:
        parts.append(_multiline(m.direction))
    if m.next_reference:
        parts.append(f'<span class="ref">{esc(m.next_reference)}</span>')
    return " ".join(parts)


def body(report: EvaluationReport) -> str:
    """The report's content (no <html>/<head>), for embedding in a page."""
    out = [
        f"<h1>{esc(report.title)}</h1>",
        f'<p class="meta">{esc(report.organisation)} — 作成日 {esc(report.generated)}</p>',
    ]
    if report.decisions:
        summary = "、".join(f"{esc(k)} {n}件" for k, n in report.decisions.items())
        out.append(f"<p>評価の内訳: {summary}</p>")
    out += [
        "<h2>施策の評価と方向性</h2>",
        "<table><caption>施策ごとの現状と評価・方向性</caption>",
        '<thead><tr><th scope="col">項目</th><th scope="col">現状</th><th scope="col">評価と方向性</th></tr></thead><tbody>',
    ]
    for m in report.measures:
        out.append(
            f'<tr><td class="item">{_item(m)}</td><td class="now">{_now(m)}</td><td>{_direction(m)}</td></tr>'
        )
    if not report.measures:
        out.append('<tr><td colspan="3">施策がありません</td></tr>')
    out.append("</tbody></table>")
    out.append("<h2>施策の柱別の進捗状況</h2>")
    if report.pillar_svg:
        out.append(
            f"<figure>{report.pillar_svg}<figcaption>同じ内容を次の表に示します。</figcaption></figure>"
        )
    head = "".join(f'<th scope="col">{esc(k)}</th>' for k in report.kinds)
    out.append(
        "<table><caption>施策の柱別の進捗状況</caption>"
        f'<thead><tr><th scope="col">施策の柱</th><th scope="col">施策数</th>{head}<th scope="col">KPI 平均達成率</th></tr></thead><tbody>'
    )
    for p in report.pillars:
        cells = "".join(f"<td>{n}</td>" for n in p.counts)
        out.append(
            f'<tr><th scope="row">{esc(p.label)}</th><td>{p.measures}</td>{cells}<td>{esc(p.attainment)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append("<h2>KPI の実績</h2>")
    for m in report.measures:
        if not m.kpis:
            continue
        out.append(f"<h3>{esc(m.key)} {esc(m.title)}</h3>")
        out.append(
            f"<table><caption>{esc(m.key)} の KPI</caption><thead><tr>"
            '<th scope="col">指標</th><th scope="col">基準値</th><th scope="col">目標値</th>'
            '<th scope="col">実績</th><th scope="col">達成率</th><th scope="col">達成</th></tr></thead><tbody>'
        )
        for k in m.kpis:
            out.append(
                f'<tr><th scope="row">{esc(k.indicator)}</th><td>{esc(k.baseline)}</td><td>{esc(k.target)}</td>'
                f"<td>{esc(k.actual)}</td><td>{esc(k.attainment)}</td><td>{esc(k.met)}</td></tr>"
            )
        out.append("</tbody></table>")
        for k in m.kpis:
            if k.trend_svg:
                out.append(
                    f"<figure>{k.trend_svg}<figcaption>{esc(k.indicator)} の推移（実線: 実績、破線: 目標）</figcaption></figure>"
                )
    return "\n".join(out)


def render(report: EvaluationReport, *, extra_css: str = "") -> str:
    """A complete HTML document (UTF-8, lang=ja, no scripts)."""
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{esc(report.title)}</title>\n<style>{CSS}{extra_css}</style>\n</head>\n<body>\n"
        f"{body(report)}\n</body>\n</html>\n"
    )
