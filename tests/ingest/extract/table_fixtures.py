"""Fictional plans in table layouts, written as Markdown, HTML, DOCX (python-docx) and PDF (reportlab).

Everything here is invented (さくら町, あおば村, ひばり市). A plan is a list of elements:
("h", level, text), ("p", text), ("table", Table), ("break",) — a page break (PDF) between the two
parts of a table continued on the next page.
"""

from __future__ import annotations

from pathlib import Path

from keikaku.ingest.blocks import Cell, Table
from tests.ingest.doc_fixtures import _docx_table, _pdf_styles, _pdf_table

Element = tuple


def c(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan=rowspan, colspan=colspan)


def t(*rows: list[Cell | str]) -> Table:
    return Table(rows=[[x if isinstance(x, Cell) else Cell(x) for x in row] for row in rows])


# ---- さくら町: measure tables per policy (vocabulary 2), merged department, 重点 and 柱 columns; a separate
# schedule table with 区分, ━ / ⇒ / ● and a merged span ------------------------------------------------

_SAKURA_HEAD = ["番号", "施策名", "概要", "所管課", "成果指標", "基準値", "目標値", "重点", "柱"]
SAKURA: list[Element] = [
    ("h", 1, "さくら町地域情報化計画"),
    ("p", "令和6年3月 さくら町"),
    ("h", 2, "第2章 施策の展開"),
    ("h", 3, "基本施策1 暮らしの手続"),
    (
        "table",
        t(
            _SAKURA_HEAD,
            [
                "1-1",
                "転入手続のワンストップ化",
                "転入時の手続を一つの窓口にまとめる。",
                c("住民生活課", rowspan=2),
                "ワンストップ対応件数",
                "0件（2022年度）",
                "300件（2028年度）",
                "○",
                "A",
            ],
            [
                "1-2",
                "公共施設予約の電子化",
                "体育館と公民館の予約をウェブで受け付ける。",
                "電子予約の割合",
                "15%（2022年度）",
                "70%（2028年度）",
                "",
                "A",
            ],
        ),
    ),
    ("h", 3, "基本施策2 学びと交流"),
    (
        "table",
        t(
            _SAKURA_HEAD,
            [
                "2-1",
                "町民向けデジタル講座",
                "図書館でタブレットの使い方講座を開く。",
                "教育総務課・図書館",
                "講座の受講者数",
                "40人（2022年度）",
                "400人（2028年度）",
                "",
                "D",
            ],
        ),
    ),
    ("h", 2, "第3章 年次計画"),
    (
        "table",
        t(
            ["区分", "施策名", "令和6年度", "令和7年度", "令和8年度"],
            [c("暮らしの手続", rowspan=2), "転入手続のワンストップ化", "検討", "試行", "━"],
            ["公共施設予約の電子化", c("導入 ⇒", colspan=2), "拡充"],
            ["学びと交流", "町民向けデジタル講座", "●", "●", "●"],
        ),
    ),
]

SAKURA_EXPECTED = {
    "転入手続のワンストップ化": {
        "key": "1-1",
        "departments": ["住民生活課"],
        "kpis": [("ワンストップ対応件数", ("0件", 2022), ("300件", 2028))],
        "schedule": {2024: "検討", 2025: "試行", 2026: "試行"},
        "priority": True,
        "pillars": ["A"],
    },
    "公共施設予約の電子化": {
        "key": "1-2",
        "departments": ["住民生活課"],
        "kpis": [("電子予約の割合", ("15%", 2022), ("70%", 2028))],
        "schedule": {2024: "導入", 2025: "導入", 2026: "拡充"},
        "priority": False,
        "pillars": ["A"],
    },
    "町民向けデジタル講座": {
        "key": "2-1",
        "departments": ["教育総務課", "図書館"],
        "kpis": [("講座の受講者数", ("40人", 2022), ("400人", 2028))],
        "schedule": {2024: "●", 2025: "●", 2026: "●"},
        "priority": False,
        "pillars": ["D"],
    },
}

# ---- あおば村: a schedule table alone under a chapter (keys from the table), years as 2024 / 5年度 mixed
# with R-notation, and a separate KPI table joined by 関連施策 ---------------------------------------

AOBA: list[Element] = [
    ("h", 1, "あおば村DX推進計画"),
    ("p", "計画期間は令和6年度から令和8年度までとします。"),
    ("h", 2, "第4章 工程表"),
    (
        "table",
        t(
            ["No.", "取組", "担当部署", "R6", "R7", "R8"],
            ["1", "村民ポータルサイトの開設", "総務企画課", "設計", "開設", "→"],
            ["2", "農地情報の地図化", "産業振興課", "", "調査", "整備"],
            ["3", "集落の見守りセンサー", "保健福祉課", "実証", c("運用", colspan=2)],
        ),
    ),
    ("h", 2, "第5章 成果目標"),
    (
        "table",
        t(
            ["指標", "現状値（令和5年度）", "目標値（令和8年度）", "関連施策"],
            ["ポータルサイトの月間閲覧数", "0件", "5,000件", "村民ポータルサイトの開設"],
            ["見守り対象世帯数", "12世帯", "60世帯", "3"],
        ),
    ),
]

AOBA_EXPECTED = {
    "村民ポータルサイトの開設": {
        "key": "1",
        "departments": ["総務企画課"],
        "kpis": [("ポータルサイトの月間閲覧数", ("0件", 2023), ("5,000件", 2026))],
        "schedule": {2024: "設計", 2025: "開設", 2026: "開設"},
    },
    "農地情報の地図化": {
        "key": "2",
        "departments": ["産業振興課"],
        "kpis": [],
        "schedule": {2025: "調査", 2026: "整備"},
    },
    "集落の見守りセンサー": {
        "key": "3",
        "departments": ["保健福祉課"],
        "kpis": [("見守り対象世帯数", ("12世帯", 2023), ("60世帯", 2026))],
        "schedule": {2024: "実証", 2025: "運用", 2026: "運用"},
    },
}

# ---- ひばり市: one table for all measures, continued on the next page without its header; a measure
# with two KPI rows (title merged down); a row broken by the page; 5年度 columns ----------------------

_HIBARI_HEAD = [
    "#",
    "事業名",
    "事業概要",
    "実施主体",
    "目標指標",
    "現況（R4）",
    "目標（R9）",
    "6年度",
    "7年度",
]
HIBARI: list[Element] = [
    ("h", 1, "ひばり市情報化推進プラン"),
    ("h", 2, "3 具体的な事業"),
    (
        "table",
        t(
            _HIBARI_HEAD,
            [
                c("1", rowspan=2),
                c("窓口キャッシュレス化", rowspan=2),
                c("市民課の窓口で電子決済を使えるようにする。", rowspan=2),
                c("市民課", rowspan=2),
                "対応窓口数",
                "1か所",
                "8か所",
                c("導入", rowspan=2),
                c("→", rowspan=2),
            ],
            ["電子決済の利用率", "5%", "40%"],
            [
                "2",
                "防災情報の多言語配信",
                "避難情報を英語と中国語でも",
                "危機管理課",
                "配信言語数",
                "1言語",
                "4言語",
                "準備",
                "配信",
            ],
        ),
    ),
    ("break",),
    (
        "table",
        t(
            ["", "", "配信する。", "", "", "", "", "", ""],
            [
                "3",
                "職員テレワーク環境",
                "在宅勤務の端末を整える。",
                "情報政策課",
                "テレワーク実施職員数",
                "10人",
                "150人",
                "整備",
                "運用",
            ],
        ),
    ),
]

HIBARI_EXPECTED = {
    "窓口キャッシュレス化": {
        "key": "1",
        "departments": ["市民課"],
        "kpis": [
            ("対応窓口数", ("1か所", 2022), ("8か所", 2027)),
            ("電子決済の利用率", ("5%", 2022), ("40%", 2027)),
        ],
        "schedule": {2024: "導入", 2025: "導入"},
    },
    "防災情報の多言語配信": {
        "key": "2",
        "departments": ["危機管理課"],
        "kpis": [("配信言語数", ("1言語", 2022), ("4言語", 2027))],
        "schedule": {2024: "準備", 2025: "配信"},
        "description": "避難情報を英語と中国語でも配信する。",
    },
    "職員テレワーク環境": {
        "key": "3",
        "departments": ["情報政策課"],
        "kpis": [("テレワーク実施職員数", ("10人", 2022), ("150人", 2027))],
        "schedule": {2024: "整備", 2025: "運用"},
    },
}

# ---- くるみ村: a measure table continued on the next page with its header repeated; years in the
# headers as (2022) / 令和9年度; a schedule table whose rows name measures by No. only ----------------

_KURUMI_HEAD = ["No.", "施策", "内容", "担当", "KPI", "基準値(2022)", "目標値（令和9年度）"]
KURUMI: list[Element] = [
    ("h", 1, "くるみ村情報化計画"),
    ("h", 2, "第2章 取組"),
    (
        "table",
        t(
            _KURUMI_HEAD,
            [
                "1",
                "行政情報のメール配信",
                "村のお知らせをメールで届ける。",
                "総務課",
                "登録者数",
                "150人",
                "600人",
            ],
            [
                "2",
                "診療予約のオンライン化",
                "村立診療所の予約をウェブで受ける。",
                "診療所",
                "オンライン予約率",
                "0%",
                "50%",
            ],
        ),
    ),
    ("break",),
    (
        "table",
        t(
            _KURUMI_HEAD,
            [
                "3",
                "スクールバスの位置情報配信",
                "バスの位置をスマートフォンで見られるようにする。",
                "教育課",
                "",
                "",
                "",
            ],
        ),
    ),
    ("h", 2, "第3章 スケジュール"),
    (
        "table",
        t(
            ["No.", "令和5年度", "令和6年度", "令和7年度"],
            ["1", "実施", "→", "→"],
            ["3", "", "検討", "導入"],
        ),
    ),
]

KURUMI_EXPECTED = {
    "行政情報のメール配信": {
        "key": "1",
        "departments": ["総務課"],
        "kpis": [("登録者数", ("150人", 2022), ("600人", 2027))],
        "schedule": {2023: "実施", 2024: "実施", 2025: "実施"},
    },
    "診療予約のオンライン化": {
        "key": "2",
        "departments": ["診療所"],
        "kpis": [("オンライン予約率", ("0%", 2022), ("50%", 2027))],
        "schedule": {},
    },
    "スクールバスの位置情報配信": {
        "key": "3",
        "departments": ["教育課"],
        "kpis": [],
        "schedule": {2024: "検討", 2025: "導入"},
    },
}

PLANS = {
    "kurumi": (KURUMI, KURUMI_EXPECTED),
    "sakura": (SAKURA, SAKURA_EXPECTED),
    "aoba": (AOBA, AOBA_EXPECTED),
    "hibari": (HIBARI, HIBARI_EXPECTED),
}


# ---- writers ---------------------------------------------------------------------------------------


def _html_table(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = "".join(
            "<td"
            + (f' rowspan="{x.rowspan}"' if x.rowspan > 1 else "")
            + (f' colspan="{x.colspan}"' if x.colspan > 1 else "")
            + f">{x.text}</td>"
            for x in row
        )
        rows.append(f"<tr>{cells}</tr>")
    return "<table border=1>\n" + "\n".join(rows) + "\n</table>"


def _has_spans(table: Table) -> bool:
    return any(x.rowspan > 1 or x.colspan > 1 for row in table.rows for x in row)


def to_markdown(plan: list[Element]) -> str:
    """Markdown with pipe tables; a table with merged cells as embedded HTML (as converted plans have)."""
    out: list[str] = []
    for el in plan:
        if el[0] == "h":
            out.append("#" * el[1] + " " + el[2])
        elif el[0] == "p":
            out.append(el[1])
        elif el[0] == "table":
            table: Table = el[1]
            if _has_spans(table):
                out.append(_html_table(table))
            else:
                lines = ["| " + " | ".join(x.text for x in row) + " |" for row in table.rows]
                lines.insert(1, "|" + "---|" * len(table.rows[0]))
                out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def to_html(plan: list[Element]) -> str:
    body: list[str] = []
    for el in plan:
        if el[0] == "h":
            body.append(f"<h{el[1]}>{el[2]}</h{el[1]}>")
        elif el[0] == "p":
            body.append(f"<p>{el[1]}</p>")
        elif el[0] == "table":
            body.append(_html_table(el[1]))
    return '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>計画</title></head><body>\n' + (
        "\n".join(body) + "\n</body></html>"
    )


def write_docx(plan: list[Element], path: Path) -> Path:
    import docx

    document = docx.Document()
    for el in plan:
        if el[0] == "h":
            document.add_paragraph(el[2], style="Title" if el[1] == 1 else f"Heading {el[1] - 1}")
        elif el[0] == "p":
            document.add_paragraph(el[1])
        elif el[0] == "table":
            _docx_table(document, el[1])
        elif el[0] == "break":
            document.add_page_break()
    document.save(str(path))
    return path


def write_pdf(plan: list[Element], path: Path) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = _pdf_styles()
    story: list[object] = []
    for el in plan:
        if el[0] == "h":
            story.append(Paragraph(el[2], styles["title" if el[1] == 1 else ("h1" if el[1] == 2 else "h2")]))
        elif el[0] == "p":
            story.append(Paragraph(el[1], styles["body"]))
        elif el[0] == "table":
            table: Table = el[1]
            n = len(table.grid()[0])
            first = 110.0
            widths = [30.0] + [first] + [(700.0 - 30 - first) / (n - 2)] * (n - 2)
            story.append(_pdf_table(table, widths, styles))
            story.append(Spacer(1, 10))
        elif el[0] == "break":
            story.append(PageBreak())
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), topMargin=48, bottomMargin=48,
                            leftMargin=40, rightMargin=40)  # fmt: skip
    doc.build(story)
    return path


def write(plan: list[Element], fmt: str, path: Path) -> Path:
    if fmt == "md":
        path.write_text(to_markdown(plan), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(plan), encoding="utf-8")
    elif fmt == "docx":
        write_docx(plan, path)
    elif fmt == "pdf":
        write_pdf(plan, path)
    return path
