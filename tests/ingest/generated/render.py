"""Render a :class:`~tests.ingest.generated.grammar.GenPlan` as a document.

A layout turns the plan into a small element list (title, headings with their number as written,
paragraphs, list items, tables with spans, page breaks); a format writer turns the elements into
txt (tab tables, running page footers), md (pipe or embedded HTML tables), html, docx (python-docx),
pdf (reportlab, ruled tables, a Japanese font), xlsx (openpyxl, one アクションプラン sheet) or pptx
(python-pptx: a slide per chapter and policy, text boxes and table shapes). A field with its value is a label
line, or — as the style's ``field_form`` says — a definition list or a bold label, each format drawing it its
own way (``("field", form, label, value)`` elements).

    path = write(plan, directory)            # → directory / f"gen_{seed:05d}.{fmt}"
"""

from __future__ import annotations

import html as htmlmod
from dataclasses import dataclass
from pathlib import Path

from tests.ingest.generated import grammar as g
from tests.ingest.generated.grammar import GenMeasure, GenPlan
from tests.ingest.generated.render_office import _docx, _pdf, _pptx, _rowspans_hidden, _xlsx


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    fill: bool = False  # a bar of a drawn Gantt chart (PDF: the cell's background filled)


def _row(*cells: str | Cell) -> list[Cell]:
    return [c if isinstance(c, Cell) else Cell(c) for c in cells]


# elements: ("title", text) ("h", level, text) ("p", text) ("li", text) ("table", rows, header_rows) ("break",)
# ("field", form, label, value): a field written as a definition list (form "dl") or a bold label ("bold")
El = tuple


def _field(plan: GenPlan, kind: str, value: str) -> El:
    """A field with its value in the document's field form: a label line (【担当課】企画課), else a
    ("field", form, label word, value) element each format writer draws in its own way."""
    form = g.field_form(plan.style)
    if form == "label":
        return ("p", g.label(plan.style, kind, value))
    return ("field", form, plan.style.syn.get(kind, kind), value)


GLOSSARY = [
    ("BPR", "業務の目的から手順を見直し、仕事の進め方を組み立て直すこと。"),
    ("RPA", "パソコンで行う定型的な操作をソフトウェアで自動化する仕組み。"),
    ("オープンデータ", "誰もが二次利用できるルールで、機械判読に適した形式で公開されたデータ。"),
    ("LGWAN", "地方公共団体を相互に接続する行政専用のネットワーク。"),
]


def _sep(plan: GenPlan, key: str) -> str:
    if key.endswith(("：", "．", ")")) or key.startswith("【"):
        return "" if key.endswith(("：", "．", "】")) else " "
    return "　" if plan.seed % 3 == 0 else " "


def heading_text(plan: GenPlan, m: GenMeasure) -> str:
    s = plan.style
    text = f"{m.key}{_sep(plan, m.key)}{m.title}"
    if s.dept_style == "title_paren":
        text += f"（{g.depts(s, m.departments)}）"
    return text


def _chapter(plan: GenPlan, n: int, title: str) -> El:
    key = g.number(plan.style.chapter_num, n)
    return ("h", 1, f"{key}{'' if key.endswith('．') else ' '}{title}")


def _grid_cells(plan: GenPlan, m: GenMeasure, years: list[int]) -> list[Cell]:
    """One row of year cells: words, marks, arrows or merged cells over a run."""
    written = g.grid_written(plan, m)
    if plan.style.grid_cells == "bars":  # filled cells, the phase word printed on the bar's first year
        bars: list[Cell] = []
        for i, y in enumerate(years):
            phase = m.phases.get(y)
            first = phase is not None and (i == 0 or m.phases.get(years[i - 1]) != phase)
            bars.append(Cell(phase if first and phase else "", fill=phase is not None))
        return bars
    if plan.style.grid_cells != "span":
        return [Cell(written.get(y, "")) for y in years]
    out: list[Cell] = []
    i = 0
    while i < len(years):
        y = years[i]
        if y not in m.phases:
            out.append(Cell(""))
            i += 1
            continue
        j = i
        while j + 1 < len(years) and m.phases.get(years[j + 1]) == m.phases[y]:
            j += 1
        out.append(Cell(m.phases[y], colspan=j - i + 1))
        out.extend(Cell("", colspan=0) for _ in range(j - i))  # covered (colspan 0 = hidden)
        i = j + 1
    return out


def _years(plan: GenPlan) -> list[int]:
    return list(range(plan.start_fy, plan.end_fy + 1))


def _common(values: list[int | None]) -> int | None:
    vals = {v for v in values if v is not None}
    return vals.pop() if len(vals) == 1 else None


def _front(plan: GenPlan) -> list[El]:
    s = plan.style
    era = s.era if s.era != "R" else "reiwa"
    town = plan.town
    out: list[El] = [("title", plan.title)]
    if plan.subtitle:
        out.append(("p", plan.subtitle))
    out += [("p", _pub(plan)), ("p", town), ("break",)]
    chapters = ["計画の策定にあたって", "計画期間", "推進体制", "施策の展開"]
    if s.layout == "gantt":
        chapters.append("工程表")
    if s.toc:
        out.append(("p", "目次"))
        page = 1
        for i, c in enumerate(chapters):
            key = g.number(s.chapter_num, i + 1)
            out.append(("p", f"{key} {c}{'・' * 12}{page}"))
            page += 2
            if i == 3 and s.toc_measures:
                for m in plan.measures:
                    out.append(("p", f"{m.key}{_sep(plan, m.key)}{m.title}{'・' * 8}{page}"))
                    page += 1
        out.append(("break",))
    pn = "({n})" if any(w in s.policy_num for w in ("基本方針", "施策の柱", "基本目標")) else s.policy_num

    def sub(n: int, t: str) -> El:
        key = g.number(pn, n)
        return ("h", 2, f"{key}{'' if key.endswith(('】', '．')) else ' '}{t}")

    out += [_chapter(plan, 1, chapters[0]), sub(1, "計画策定の趣旨")]
    out.append(
        (
            "p",
            f"国は、デジタル社会の実現に向けて、行政手続のオンライン化や自治体情報システムの標準化を進めています。"
            f"{town}においても、人口減少や高齢化が進むなか、限られた職員で質の高い行政サービスを提供し続けるため、"
            f"デジタル技術とデータの活用が欠かせません。",
        )
    )
    if s.prev_plan:
        a, b = plan.prev_period
        out.append(
            (
                "p",
                f"{town}では、「{town}情報化計画」（計画期間：{g.fy(a, era)}～{g.fy(b, era)}）に基づき、"
                f"電子申請の導入や庁内ネットワークの更新に取り組んできました。前計画の期間が{g.fy(b, era)}で終了することから、"
                f"これまでの成果と課題を踏まえ、新たに本計画を策定します。",
            )
        )
    out += [
        sub(2, "計画の位置付け"),
        (
            "p",
            f"本計画は、官民データ活用推進基本法第9条第3項に基づく市町村官民データ活用推進計画として位置付けるとともに、"
            f"{town}総合計画の個別計画とします。",
        ),
    ]
    n_years = plan.end_fy - plan.start_fy + 1
    out += [
        _chapter(plan, 2, chapters[1]),
        (
            "p",
            f"本計画の計画期間は、{g.fy(plan.start_fy, era)}から{g.fy(plan.end_fy, era)}までの{n_years}年間とします。"
            "ただし、社会情勢や技術の進展を踏まえ、必要に応じて見直しを行います。",
        ),
    ]
    out += [
        _chapter(plan, 3, chapters[2]),
        (
            "p",
            f"本計画は、{'町長' if '町' in town else '市長' if '市' in town else '村長' if '村' in town else '区長'}を本部長とするDX推進本部のもとで推進します。",
        ),
        ("li", "DX推進本部：計画の決定と進行管理"),
        ("li", "DX推進リーダー会議：各課の取組の調整"),
        ("li", "外部アドバイザー：専門的な助言"),
        ("p", "各取組の進捗は毎年度把握し、PDCAサイクルにより評価と改善を行います。"),
        ("break",),
        _chapter(plan, 4, chapters[3]),
    ]
    return out


def _pub(plan: GenPlan) -> str:
    y, _, mo = plan.published.partition("年")
    year = int(y)
    if plan.style.era in ("west", "west_fw"):
        return f"{year}年{mo}"
    return f"令和{year - 2018}年{mo}"


def _policy_heading(plan: GenPlan, pi: int) -> El:
    p = plan.policies[pi]
    sep = "" if p.key.endswith(("】", "．")) else " "
    return ("h", 2, f"{p.key}{sep}{p.title}")


def _kpi_box(plan: GenPlan, m: GenMeasure) -> list[El]:
    s, era = plan.style, plan.style.era
    bfy = _common([k.baseline_fy for k in m.kpis])
    tfy = _common([k.target_fy for k in m.kpis])
    head = _row(
        s.syn["kpi"] if s.syn["kpi"] not in ("KPI", "数値目標") else "指標名",
        f"{s.syn['baseline']}（{g.fy(bfy, era)}）" if bfy else s.syn["baseline"],
        f"{s.syn['target']}（{g.fy(tfy, era)}）" if tfy else s.syn["target"],
    )
    rows = [head]
    for k in m.kpis:
        b = k.baseline_text or "－"
        if k.baseline and not bfy:
            b += f"（{g.fy(k.baseline_fy, era)}）"
        t = k.target_text if tfy else f"{k.target_text}（{g.fy(k.target_fy, era)}）"
        rows.append(_row(k.indicator, b, t))
    return [("p", g.label_form_only(s, "kpi")), ("table", rows, 1)]


def _kpi_elements(plan: GenPlan, m: GenMeasure) -> list[El]:
    s, era = plan.style, plan.style.era
    if not m.kpis:
        return []
    if s.kpi_style == "box":
        return _kpi_box(plan, m)
    out: list[El] = []
    for i, k in enumerate(m.kpis):
        if s.kpi_style == "lines":
            out.append(_field(plan, "kpi", k.indicator))
            if k.baseline:
                out.append(_field(plan, "baseline", f"{k.baseline_text}（{g.fy(k.baseline_fy, era)}）"))
            out.append(_field(plan, "target", f"{k.target_text}（{g.fy(k.target_fy, era)}）"))
        elif s.kpi_style == "oneline":
            out.append(_field(plan, "kpi", g.kpi_oneline(plan, k)))
        else:
            out.append(("p", g.kpi_sentence(plan, k, plan.seed + i)))
    return out


def _sched_elements(plan: GenPlan, m: GenMeasure) -> list[El]:
    s = plan.style
    if not m.phases or s.sched_style in ("none", "gantt_end", "columns"):
        return []
    if s.sched_style == "chain":
        return [_field(plan, "schedule", g.chain(plan, m))]
    if s.sched_style == "sentence":
        return [("p", g.sentence_schedule(plan, m))]
    if s.sched_style == "yearlines":
        return [("p", g.label_form_only(s, "schedule"))] + [
            ("li" if plan.seed % 2 else "p", f"{g.fy_range(a, b, s.era)}：{p}")
            for a, b, p in g.runs(m.phases)
        ]
    years = _years(plan)
    head = _row(*(g.year_header(y, s.era) for y in years))
    return [("p", g.label_form_only(s, "schedule")), ("table", [head, _grid_cells(plan, m, years)], 1)]


def _dept_elements(plan: GenPlan, m: GenMeasure) -> list[El]:
    s = plan.style
    if s.dept_style == "label":
        return [_field(plan, "dept", g.depts(s, m.departments))]
    if s.dept_style == "sentence":
        return [("p", f"（{s.syn['dept']}：{g.depts(s, m.departments)}）")]
    return []


def _desc_elements(plan: GenPlan, m: GenMeasure) -> list[El]:
    s = plan.style
    if plan.seed % 2 == 0 and s.layout == "labels":
        return [_field(plan, "desc", m.description)]
    return [("p", m.description)]


def _measure_labels(plan: GenPlan, m: GenMeasure, idx: int) -> list[El]:
    out: list[El] = [("h", 3, heading_text(plan, m))]
    parts = {
        "desc": _desc_elements(plan, m),
        "dept": _dept_elements(plan, m),
        "kpi": _kpi_elements(plan, m),
        "sched": _sched_elements(plan, m),
        "pillar": [_field(plan, *f)] if (f := g.pillar_field(plan.style, m, idx)) else [],
    }
    for f in plan.style.field_order:
        out += parts[f]
    return out


def _measure_proptable(plan: GenPlan, m: GenMeasure, idx: int) -> list[El]:
    s, era = plan.style, plan.style.era
    out: list[El] = [] if s.title_row else [("h", 3, heading_text(plan, m))]
    rows: list[list[Cell]] = [_row("項目", "内容")] if plan.seed % 4 == 1 else []
    if s.title_row:
        rows.append(
            _row(s.syn["title"], f"{m.key}{_sep(plan, m.key)}{m.title}" if plan.seed % 2 else m.title)
        )
    extra: list[El] = []
    for f in s.field_order:
        if f == "desc":
            rows.append(_row(s.syn["desc"], m.description))
        elif f == "dept":
            rows.append(_row(s.syn["dept"], g.depts(s, m.departments)))
        elif f == "kpi":
            for k in m.kpis:
                rows.append(_row(s.syn["kpi"], k.indicator))
                if k.baseline:
                    rows.append(_row(s.syn["baseline"], f"{k.baseline_text}（{g.fy(k.baseline_fy, era)}）"))
                rows.append(_row(s.syn["target"], f"{k.target_text}（{g.fy(k.target_fy, era)}）"))
        elif f == "sched" and m.phases and s.sched_style != "none":
            if s.sched_style == "chain":
                rows.append(_row(s.syn["schedule"], g.chain(plan, m)))
            elif s.sched_style == "yearlines":
                rows.append(
                    _row(
                        s.syn["schedule"],
                        "\n".join(f"{g.fy_range(a, b, era)}：{p}" for a, b, p in g.runs(m.phases)),
                    )
                )
            else:
                extra = _sched_elements(plan, m)
        elif f == "pillar" and g.pillar_text(s, m, idx):
            rows.append(
                _row(
                    s.syn["pillar_article" if s.pillar_style == "article" else "pillar_name"],
                    _pillar_value(s, m, idx),
                )
            )
    out.append(("table", rows, 1 if rows and rows[0][0].text == "項目" else 0))
    return out + extra


def _pillar_value(s: g.Style, m: GenMeasure, idx: int) -> str:
    p = m.pillars[0]
    if s.pillar_style == "article":
        return g.ARTICLE.get(p, "")
    names = g.PILLAR_NAMES[p]
    return names[idx % len(names)]


def _measure_prose(plan: GenPlan, m: GenMeasure, idx: int) -> list[El]:
    s = plan.style
    if plan.seed % 4 == 1 and s.dept_style == "sentence":
        # one numbered paragraph: 「①title：description（担当：…）」, its KPI and schedule sentences after it
        dept = f"（{s.syn['dept']}：{g.depts(s, m.departments)}）"
        out: list[El] = [("p", f"{heading_text(plan, m)}：{m.description}{dept}")]
        out += _kpi_elements(plan, m)
        out += _sched_elements(plan, m)
    else:
        out = [("h", 3, heading_text(plan, m)), ("p", m.description)]
        out += _kpi_elements(plan, m)
        out += _sched_elements(plan, m)
        out += _dept_elements(plan, m)
    if f := g.pillar_field(plan.style, m, idx):
        out.append(_field(plan, *f))
    return out


def _rowtable(plan: GenPlan, ms: list[GenMeasure]) -> El:
    s, era = plan.style, plan.style.era
    years = _years(plan) if s.sched_style != "none" else []
    kp = [k for m in ms for k in m.kpis] or [k for m in plan.measures for k in m.kpis]
    bfy, tfy = _common([k.baseline_fy for k in kp]), _common([k.target_fy for k in kp])
    two = bool(years) or s.pillar_style == "matrix"
    sp = 2 if two else 1
    head1 = _row(
        Cell("No.", sp),
        Cell(s.syn["title"], sp),
        *([Cell(s.syn["desc"], sp)] if plan.seed % 3 else []),
        Cell(s.syn["dept"], sp),
        Cell(s.syn["kpi"] if s.syn["kpi"] not in ("KPI",) else "KPI（指標）", sp),
        Cell(f"{s.syn['baseline']}（{g.fy(bfy, era)}）" if bfy else s.syn["baseline"], sp),
        Cell(f"{s.syn['target']}（{g.fy(tfy, era)}）" if tfy else s.syn["target"], sp),
    )
    head2: list[Cell] = []
    if years:
        head1.append(Cell(s.syn["schedule"], 1, len(years)))
        head1 += [Cell("", colspan=0) for _ in years[1:]]
        head2 += [Cell(g.year_header(y, era)) for y in years]
    if s.pillar_style == "matrix":
        head1.append(Cell("関連条項", 1, 5))
        head1 += [Cell("", colspan=0) for _ in range(4)]
        head2 += [Cell(a) for a in g.ARTICLE.values()]
    elif s.pillar_style in ("article", "name"):
        head1.append(Cell(s.syn["pillar_article" if s.pillar_style == "article" else "pillar_name"], sp))
    rows = [head1] + ([head2] if two else [])
    for i, m in enumerate(ms):
        n = max(1, len(m.kpis))
        ks = m.kpis or [None]
        for r, k in enumerate(ks):
            row: list[Cell] = []
            if r == 0:
                row += [
                    Cell(m.key, n),
                    Cell(m.title, n),
                    *([Cell(m.description, n)] if plan.seed % 3 else []),
                    Cell(g.depts(s, m.departments), n),
                ]
            if k is None:
                row += _row("－", "－", "－")
            else:
                b = (k.baseline_text or "－") + (
                    f"（{g.fy(k.baseline_fy, era)}）" if k.baseline and not bfy else ""
                )
                t = k.target_text + ("" if tfy else f"（{g.fy(k.target_fy, era)}）")
                row += _row(k.indicator, b, t)
            if r == 0:
                if years:
                    row += [Cell(c.text, n, c.colspan, c.fill) for c in _grid_cells(plan, m, years)]
                if s.pillar_style == "matrix":
                    row += [Cell("●" if m.pillars_stated and m.pillars[0] == p else "", n) for p in g.ARTICLE]
                elif s.pillar_style in ("article", "name"):
                    row.append(Cell(_pillar_value(s, m, i) if m.pillars_stated else "", n))
            rows.append(row)
    return ("table", rows, 2 if two else 1)


def _gantt_end(plan: GenPlan) -> list[El]:
    s = plan.style
    years = _years(plan)
    rows = [_row(s.syn["title"] if plan.seed % 2 else "取組", *(g.year_header(y, s.era) for y in years))]
    whole = plan.seed % 3 == 0
    for pi, p in enumerate(plan.policies):
        if whole:
            rows.append(
                [Cell(f"{p.key} {p.title}", 1, len(years) + 1)] + [Cell("", colspan=0) for _ in years]
            )
        for m in plan.measures:
            if m.policy != pi:
                continue
            lab = {"key_title": f"{m.key}{_sep(plan, m.key)}{m.title}", "title": m.title, "key": m.key}[
                s.gantt_row_label
            ]
            rows.append([Cell(lab)] + _grid_cells(plan, m, years))
    return [
        _chapter(plan, 5, "工程表"),
        ("p", f"各取組の{s.syn['schedule']}は次のとおりです。"),
        ("table", rows, 1),
    ]


def elements(plan: GenPlan) -> list[El]:
    """The document as elements, in reading order."""
    s = plan.style
    out = _front(plan)
    body = {"labels": _measure_labels, "gantt": _measure_labels, "proptable": _measure_proptable,
            "prose": _measure_prose}.get(s.layout)  # fmt: skip
    idx = 0
    for pi in range(len(plan.policies)):
        out.append(_policy_heading(plan, pi))
        ms = [m for m in plan.measures if m.policy == pi]
        if s.layout == "rowtable":
            out.append(_rowtable(plan, ms))
            continue
        for m in ms:
            out += body(plan, m, idx)
            idx += 1
    if s.layout == "gantt":
        out += _gantt_end(plan)
    if s.glossary:
        out += [
            ("break",),
            ("h", 1, "用語解説"),
            ("table", [_row("用語", "説明")] + [_row(a, b) for a, b in GLOSSARY], 1),
        ]
    return out


# ---------------------------------------------------------------------------------------------
# format writers


def _txt(plan: GenPlan, els: list[El]) -> str:
    lines: list[str] = []
    page = 1
    since = 0

    def footer() -> None:
        nonlocal page, since
        if plan.style.footer:
            lines.extend(["", f"- {page} -" if plan.seed % 2 else f"{plan.title}　{page}", "\f"])
        page += 1
        since = 0

    for el in els:
        kind = el[0]
        if kind == "break":
            footer()
            continue
        if kind == "table":
            for r in _rowspans_hidden(el[1]):
                lines.append("\t".join(c.text.replace("\n", " ") if c else "" for c in r))
            block = len(el[1])
        elif kind == "li":
            lines.append(f"・{el[1]}")
            block = 1
        elif kind == "field":  # a definition list as text: the term, then its value indented
            lines += [el[2], f"　{el[3]}"]
            block = 2
        else:
            text = el[-1]
            lines.extend(text.split("\n"))
            block = text.count("\n") + 1
        if kind in ("h", "title") or plan.seed % 2 == 0:
            lines.append("")
        since += block
        if since > 38:
            footer()
    footer()
    return "\n".join(lines) + "\n"


def _md_table(rows: list[list[Cell]], header_rows: int, as_html: bool) -> list[str]:
    if as_html or any(c.rowspan > 1 or c.colspan > 1 for r in rows for c in r):
        return [_html_table(rows, header_rows)]
    width = max(len(r) for r in rows)
    out = []
    for i, r in enumerate(rows if header_rows else [_row(*([""] * width)), *rows]):
        out.append("| " + " | ".join(c.text.replace("\n", "<br>") for c in r) + " |")
        if i == 0:
            out.append("|" + "---|" * width)
    return out


def _md(plan: GenPlan, els: list[El]) -> str:
    lines: list[str] = []
    hashes = plan.style.heading_markup == "hash"
    bold = not hashes and plan.seed % 2 == 0  # headings set in bold only, as converters and clerks write them
    for el in els:
        kind = el[0]
        if kind == "title":
            lines += [f"# {el[1]}", ""]
        elif kind == "h":
            lines += [f"{'#' * (el[1] + 1)} {el[2]}" if hashes else f"**{el[2]}**" if bold else el[2], ""]
        elif kind == "p":
            lines += [el[1].replace("\n", "  \n"), ""]
        elif kind == "li":
            lines.append(f"- {el[1]}")
        elif kind == "field" and el[1] == "dl":  # a definition list (PHP Markdown Extra, pandoc)
            lines += [el[2], f": {el[3]}", ""]
        elif kind == "field":
            lines += [f"**{el[2]}**{'　' if plan.seed % 2 else ' '}{el[3]}", ""]
        elif kind == "table":
            lines += ["", *_md_table(el[1], el[2], plan.seed % 5 == 0), ""]
    return "\n".join(lines) + "\n"


def _html_table(rows: list[list[Cell]], header_rows: int) -> str:
    out = ['<table border="1">']
    for i, r in enumerate(rows):
        tag = "th" if i < header_rows else "td"
        cells = []
        for c in r:
            if c.colspan == 0:
                continue
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            cells.append(f"<{tag}{attrs}>{htmlmod.escape(c.text).replace(chr(10), '<br>')}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _html(plan: GenPlan, els: list[El]) -> str:
    body: list[str] = []
    h = plan.style.heading_markup == "h"
    bold = "strong" if plan.seed % 2 else "b"
    for n, el in enumerate(els):
        kind = el[0]
        if kind == "field" and el[1] == "dl":  # consecutive fields make one <dl>
            dl = n == 0 or els[n - 1][:2] != ("field", "dl")
            last = n + 1 == len(els) or els[n + 1][:2] != ("field", "dl")
            body.append(("<dl>" if dl else "") + f"<dt>{htmlmod.escape(el[2])}</dt><dd>{htmlmod.escape(el[3])}</dd>"
                        + ("</dl>" if last else ""))  # fmt: skip
        elif kind == "field":
            body.append(f"<p><{bold}>{htmlmod.escape(el[2])}</{bold}>　{htmlmod.escape(el[3])}</p>")
        elif kind == "title":
            body.append(f"<h1>{htmlmod.escape(el[1])}</h1>")
        elif kind == "h":
            t = htmlmod.escape(el[2])
            size = {1: "16pt", 2: "14pt", 3: "12pt"}[el[1]]
            body.append(
                f"<h{el[1] + 1}>{t}</h{el[1] + 1}>" if h else f'<p style="font-size:{size}"><b>{t}</b></p>'
            )
        elif kind == "p":
            body.append(f"<p>{htmlmod.escape(el[1]).replace(chr(10), '<br>')}</p>")
        elif kind == "li":
            body.append(f"<ul><li>{htmlmod.escape(el[1])}</li></ul>")
        elif kind == "table":
            body.append(_html_table(el[1], el[2]))
    return ('<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
            f"<title>{htmlmod.escape(plan.title)}</title></head><body>\n" + "\n".join(body) + "\n</body></html>\n")  # fmt: skip


def render(plan: GenPlan, path: Path) -> Path:
    els = elements(plan)
    fmt = plan.style.fmt
    if fmt == "txt":
        path.write_text(_txt(plan, els), encoding="utf-8")
    elif fmt == "md":
        path.write_text(_md(plan, els), encoding="utf-8")
    elif fmt == "html":
        path.write_text(_html(plan, els), encoding="utf-8")
    elif fmt == "docx":
        _docx(plan, els, path)
    elif fmt == "pdf":
        _pdf(plan, els, path)
    elif fmt == "xlsx":
        _xlsx(plan, els, path)
    elif fmt == "pptx":
        _pptx(plan, els, path)
    else:
        raise ValueError(fmt)
    return path


def write(plan: GenPlan, directory: Path, stem: str | None = None) -> Path:
    """Render into directory / f"{stem}.{fmt}" (stem: gen_<seed>)."""
    directory.mkdir(parents=True, exist_ok=True)
    return render(plan, directory / f"{stem or f'gen_{plan.seed:05d}'}.{plan.style.fmt}")
