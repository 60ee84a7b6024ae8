"""Fictional plans written as Word and PDF files (generated with python-docx and reportlab), in layouts
the other fixtures do not cover, each with the plan a careful reader writes down (scorer gold format).

- ことり区: 取組項目 cards (取組名 / 現状と課題 / 取組内容 / 所管 / 指標 rows) with a 年次計画 table whose
  rows are phases and whose cells are ■ in the years the phase runs (DOCX);
- もみじ村: a two-level list "(1) … / ア …" with ＜所管課＞ / ＜目標＞ labels, running header (PDF);
- かえで町: headings numbered by Word automatic numbering, a schedule table with merged header rows
  (年度 over R6/R7/R8) and a target table (DOCX);
- あさひ市: measure headings 1-1 / 1-2, a landscape schedule page, running headers and page numbers (PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from keikaku.ingest.blocks import Cell, Table


@dataclass
class El:
    kind: str  # title, h, p, num, table, landscape
    text: str = ""
    level: int = 1  # heading level; list level for num
    table: Table | None = None
    widths: list[float] = field(default_factory=list)


def c(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan=rowspan, colspan=colspan)


def t(*rows: list[Cell | str]) -> Table:
    return Table(rows=[[x if isinstance(x, Cell) else c(x) for x in row] for row in rows])


# ---------------------------------------------------------------------------------------------
# ことり区 (DOCX): cards


def _card(n: int, name: str, issue: str, content: str, dept: str, kpi: list[str] | None) -> list[El]:
    rows: list[list[Cell | str]] = [
        ["取組名", name],
        ["現状と課題", issue],
        ["取組内容", content],
        ["所管", dept],
    ]
    if kpi:
        rows += [["指標", kpi[0]], ["現状値（令和5年度）", kpi[1]], ["目標値（令和8年度）", kpi[2]]]
    return [El("h", f"取組項目{n}", level=3), El("table", table=t(*rows), widths=[110, 340])]


def _gantt(phases: list[tuple[str, list[int]]]) -> El:
    head: list[Cell | str] = ["年次計画", "令和6年度", "令和7年度", "令和8年度"]
    rows = [head] + [[p] + ["■" if i in years else "" for i in range(3)] for p, years in phases]
    return El("table", table=t(*rows), widths=[110, 110, 110, 110])


KOTORI: list[El] = [
    El("title", "ことり区DX推進計画"),
    El("p", "令和6年3月　ことり区"),
    El("h", "第1章 計画の基本的な考え方", level=1),
    El("p", "計画期間は、令和6年度から令和8年度までの3年間とします。"),
    El("h", "第2章 取組項目", level=1),
    El("h", "重点分野1 区民サービスのDX", level=2),
    *_card(1, "区民手続のオンライン化", "来庁しなければできない手続が多く残っています。",
           "子育てや介護の手続から順にオンライン化します。", "情報政策課",
           ["オンライン化した手続数", "45手続", "200手続"]),
    _gantt([("検討", [0]), ("実施", [1, 2])]),
    *_card(2, "窓口予約システムの導入", "窓口の待ち時間が長くなっています。",
           "来庁予約の仕組みを導入します。", "区民課", ["予約システムの利用件数", "0件", "12,000件"]),
    _gantt([("検討", [0]), ("導入", [1]), ("運用", [2])]),
    El("h", "重点分野2 教育のDX", level=2),
    *_card(3, "区立小中学校の校務DX", "教員の事務負担が大きくなっています。",
           "校務支援システムをクラウド化します。", "教育総務課、教育指導課", None),
    _gantt([("実施", [0, 1, 2])]),
]  # fmt: skip

KOTORI_EXPECTED = {
    "title": "ことり区DX推進計画",
    "measures": [
        {"title": "区民手続のオンライン化", "departments": ["情報政策課"],
         "kpis": [{"indicator": "オンライン化した手続数", "baseline": "45手続", "target": "200手続",
                   "target_year": 2026}],
         "schedule": {"2024": "検討", "2025": "実施", "2026": "実施"}},
        {"title": "窓口予約システムの導入", "departments": ["区民課"],
         "kpis": [{"indicator": "予約システムの利用件数", "baseline": "0件", "target": "12,000件",
                   "target_year": 2026}],
         "schedule": {"2024": "検討", "2025": "導入", "2026": "運用"}},
        {"title": "区立小中学校の校務DX", "departments": ["教育総務課", "教育指導課"], "kpis": [],
         "schedule": {"2024": "実施", "2025": "実施", "2026": "実施"}},
    ],
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# もみじ村 (PDF): (1) / ア list, ＜＞ labels after paragraphs that run to the line width

_LONG = (
    "紙で保存している文書を電子化し、起案から決裁までを電子で行えるようにするとともに、"
    "文書の保存年限や廃棄の手続についても見直し、関係する規程を改める。"
)

MOMIJI: list[El] = [
    El("title", "もみじ村情報化推進計画"),
    El("p", "令和6年3月"),
    El("p", "もみじ村"),
    El("h", "第1章 計画の概要", level=1),
    El("p", "本計画の期間は、令和6年度から令和9年度までの4年間とします。"),
    El("h", "第2章 具体的な施策", level=1),
    El("h", "(1) 行政事務の効率化", level=2),
    El("p", "ア 文書管理システムの導入"),
    El("p", _LONG),
    El("p", "＜所管課＞総務課"),
    El("p", "＜目標＞電子決裁率 10%（令和5年度）→ 80%（令和9年度）"),
    El("p", "イ 定型業務へのRPAの活用"),
    El("p", "入力や照合など繰り返しの多い事務にRPAを導入し、職員が相談業務に充てる時間を増やすため、"
            "対象業務を毎年度見直して拡大していく。"),
    El("p", "＜所管課＞企画財政課"),
    El("p", "＜目標＞RPAを導入した業務数 2業務（令和5年度）→ 12業務（令和9年度）"),
    El("h", "(2) 住民サービスの向上", level=2),
    El("p", "ア 子育て手続のオンライン化"),
    El("p", "児童手当や保育所の申込みなど、子育てに関する手続をマイナポータルから申請できるようにする。"),
    El("p", "＜所管課＞住民福祉課"),
    El("p", "イ 防災情報のメール配信"),
    El("p", "防災無線の放送内容を、登録した住民に電子メールとアプリで配信し、聞き逃しを防ぐ仕組みをつくる。"),
    El("p", "＜所管課＞総務課"),
    El("p", "＜目標＞配信登録者数 300人（令和5年度）→ 1,200人（令和9年度）"),
]  # fmt: skip

MOMIJI_EXPECTED = {
    "title": "もみじ村情報化推進計画",
    "measures": [
        {"title": "文書管理システムの導入", "departments": ["総務課"],
         "kpis": [{"indicator": "電子決裁率", "baseline": "10%", "target": "80%", "target_year": 2027}]},
        {"title": "定型業務へのRPAの活用", "departments": ["企画財政課"],
         "kpis": [{"indicator": "RPAを導入した業務数", "baseline": "2業務", "target": "12業務",
                   "target_year": 2027}]},
        {"title": "子育て手続のオンライン化", "departments": ["住民福祉課"], "kpis": []},
        {"title": "防災情報のメール配信", "departments": ["総務課"],
         "kpis": [{"indicator": "配信登録者数", "baseline": "300人", "target": "1,200人", "target_year": 2027}]},
    ],
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# かえで町 (DOCX): Word automatic numbering ("1." / "(1)"), merged header rows, a target table

KAEDE: list[El] = [
    El("title", "かえで町DX推進計画"),
    El("p", "令和6年3月　かえで町"),
    El("num", "計画の概要", level=0),
    El("p", "本計画の期間は、令和6年度から令和8年度までの3年間とします。"),
    El("num", "行政サービスのデジタル化", level=0),
    El("num", "電子申請の推進", level=1),
    El("p", "町の手続をスマートフォンから申請できるようにします。"),
    El("p", "担当：企画課"),
    El("num", "公金のキャッシュレス収納", level=1),
    El("p", "町税や使用料をキャッシュレスで納められるようにします。"),
    El("p", "担当：税務課、会計室"),
    El("num", "地域社会のデジタル化", level=0),
    El("num", "デジタル活用支援員の配置", level=1),
    El("p", "公民館に支援員を置き、スマートフォンの相談に応じます。"),
    El("p", "担当：生涯学習課"),
    El("num", "推進スケジュール", level=0),
    El("table", table=t(
        [c("施策", rowspan=2), c("担当課", rowspan=2), c("年度", colspan=3)],
        ["R6", "R7", "R8"],
        ["電子申請の推進", "企画課", "検討", "実施", "→"],
        ["公金のキャッシュレス収納", "税務課、会計室", "準備", "導入", "拡大"],
        ["デジタル活用支援員の配置", "生涯学習課", "実施", "→", "→"],
    ), widths=[150, 90, 60, 60, 60]),
    El("num", "目標指標", level=0),
    El("table", table=t(
        ["施策", "指標", "現状値（R5）", "目標値（R8）"],
        ["電子申請の推進", "電子申請の利用件数", "1,200件", "5,000件"],
        ["デジタル活用支援員の配置", "相談会の参加者数", "150人", "600人"],
    ), widths=[150, 130, 80, 80]),
]  # fmt: skip

KAEDE_EXPECTED = {
    "title": "かえで町DX推進計画",
    "measures": [
        {"title": "電子申請の推進", "departments": ["企画課"],
         "kpis": [{"indicator": "電子申請の利用件数", "baseline": "1,200件", "target": "5,000件",
                   "target_year": 2026}],
         "schedule": {"2024": "検討", "2025": "実施", "2026": "実施"}},
        {"title": "公金のキャッシュレス収納", "departments": ["税務課", "会計室"], "kpis": [],
         "schedule": {"2024": "準備", "2025": "導入", "2026": "拡大"}},
        {"title": "デジタル活用支援員の配置", "departments": ["生涯学習課"],
         "kpis": [{"indicator": "相談会の参加者数", "baseline": "150人", "target": "600人", "target_year": 2026}],
         "schedule": {"2024": "実施", "2025": "実施", "2026": "実施"}},
    ],
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# あさひ市 (PDF): 1-1 headings, a landscape schedule page, running headers

ASAHI: list[El] = [
    El("title", "あさひ市情報化推進計画"),
    El("p", "令和6年3月"),
    El("p", "あさひ市"),
    El("h", "第1章 計画の概要", level=1),
    El("p", "本計画の計画期間は、令和6年度から令和10年度までの5年間とします。"),
    El("h", "第2章 施策の体系", level=1),
    El("h", "1 スマート市役所の実現", level=2),
    El("h", "1-1 行政手続の電子化", level=3),
    El("p", "申請や届出をオンラインで受け付け、来庁しなくても手続できるようにします。"),
    El("h", "1-2 業務システムの標準化", level=3),
    El("p", "国の標準仕様に沿った業務システムへ移行し、運用経費を削減します。"),
    El("h", "2 暮らしのデジタル化", level=2),
    El("h", "2-1 地域の見守りへのIoTの活用", level=3),
    El("p", "センサーを使って高齢者の見守りを行う事業者を支援します。"),
    El("landscape"),
    El("h", "第3章 推進スケジュール", level=1),
    El("table", table=t(
        ["No.", "取組", "担当課", "R6", "R7", "R8", "R9", "R10"],
        ["1-1", "行政手続の電子化", "デジタル推進課", "拡充", "→", "→", "→", "→"],
        ["1-2", "業務システムの標準化", "デジタル推進課\n各業務所管課", "移行準備", "移行", "運用", "→", "→"],
        ["2-1", "地域の見守りへのIoTの活用", "高齢福祉課", "調査研究", "実証", "実証", "本格実施", "→"],
    ), widths=[40, 200, 120, 70, 70, 70, 70, 70]),
]  # fmt: skip

ASAHI_EXPECTED = {
    "title": "あさひ市情報化推進計画",
    "measures": [
        {"title": "行政手続の電子化", "departments": ["デジタル推進課"],
         "schedule": {"2024": "拡充", "2025": "拡充", "2026": "拡充", "2027": "拡充", "2028": "拡充"}},
        {"title": "業務システムの標準化", "departments": ["デジタル推進課", "各業務所管課"],
         "schedule": {"2024": "移行準備", "2025": "移行", "2026": "運用", "2027": "運用", "2028": "運用"}},
        {"title": "地域の見守りへのIoTの活用", "departments": ["高齢福祉課"],
         "schedule": {"2024": "調査研究", "2025": "実証", "2026": "実証", "2027": "本格実施",
                      "2028": "本格実施"}},
    ],
}  # fmt: skip

DOC_PROBES: dict[str, tuple[str, list[El], dict]] = {
    "kotori": (".docx", KOTORI, KOTORI_EXPECTED),
    "momiji": (".pdf", MOMIJI, MOMIJI_EXPECTED),
    "kaede": (".docx", KAEDE, KAEDE_EXPECTED),
    "asahi": (".pdf", ASAHI, ASAHI_EXPECTED),
}

# ---------------------------------------------------------------------------------------------
# writers


def _numbering(document: object) -> str:
    """A two-level outline list "1." / "(1)" in numbering.xml; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    levels = [("decimal", "%1."), ("decimal", "(%2)")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/><w:lvlText w:val="{x}"/></w:lvl>'
        for i, (f, x) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">{lvl_xml}</w:abstractNum>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    return "91"


def write_docx(elements: list[El], path: Path) -> Path:
    import docx

    from tests.ingest.doc_fixtures import _docx_table, _set_num

    document = docx.Document()
    num_id = _numbering(document)
    for el in elements:
        if el.kind == "title":
            document.add_paragraph(el.text, style="Title")
        elif el.kind == "h":
            document.add_paragraph(el.text, style=f"Heading {el.level}")
        elif el.kind == "num":
            p = document.add_paragraph(el.text, style=f"Heading {el.level + 1}")
            _set_num(p, num_id, el.level)
        elif el.kind == "p":
            document.add_paragraph(el.text)
        elif el.kind == "table" and el.table is not None:
            _docx_table(document, el.table)
    document.save(str(path))
    return path


def write_pdf(elements: list[El], path: Path) -> Path:
    """Portrait pages with a running header (the title) and "- n -" page numbers; an ``El("landscape")``
    switches the following pages to landscape A4."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
    )

    from tests.ingest.doc_fixtures import FONT, _pdf_styles, _pdf_table

    styles = _pdf_styles()
    title = elements[0].text

    def decorate(canvas: object, doc: object) -> None:
        width, height = canvas._pagesize  # type: ignore[attr-defined]
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 8)  # type: ignore[attr-defined]
        canvas.drawRightString(width - 56, height - 36, title)  # type: ignore[attr-defined]
        canvas.setFont(FONT, 9)  # type: ignore[attr-defined]
        canvas.drawCentredString(width / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    portrait = PageTemplate("portrait", [Frame(56, 56, A4[0] - 112, A4[1] - 120)], onPage=decorate,
                            pagesize=A4)  # fmt: skip
    wide = landscape(A4)
    land = PageTemplate("landscape", [Frame(56, 56, wide[0] - 112, wide[1] - 120)], onPage=decorate,
                        pagesize=wide)  # fmt: skip
    story: list[object] = []
    for el in elements:
        if el.kind == "title":
            story.append(Paragraph(el.text, styles["title"]))
        elif el.kind == "h":
            story.append(Paragraph(el.text, styles["h1" if el.level == 1 else "h2"]))
        elif el.kind == "p":
            story.append(Paragraph(el.text, styles["body"]))
        elif el.kind == "landscape":
            story += [NextPageTemplate("landscape"), PageBreak()]
        elif el.kind == "table" and el.table is not None:
            table = Table(rows=[[Cell(x.text.replace("\n", "<br/>"), x.rowspan, x.colspan) for x in row]
                                for row in el.table.rows])  # fmt: skip
            story.append(_pdf_table(table, el.widths, styles))
    BaseDocTemplate(str(path), pageTemplates=[portrait, land], title=title).build(story)
    return path


def write(name: str, directory: Path) -> Path:
    suffix, elements, _ = DOC_PROBES[name]
    path = directory / f"{name}{suffix}"
    return write_docx(elements, path) if suffix == ".docx" else write_pdf(elements, path)
