"""One fictional plan (みどり市) written as DOCX, PDF and HTML, for tests and benchmarks.

Everything here is invented. The same content in every format lets tests check that readers give
the same blocks whichever format a plan arrives in, and ``write_plan_pdf(path, pages=100)`` gives
the benchmark a long PDF with a ruled table on every page.

python-docx and reportlab are needed only when the matching writer is called (reportlab is a test
dependency).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from keikaku.ingest.blocks import Cell, Table

TOWN = "みどり市"
TITLE = "みどり市デジタル推進計画"
PURPOSE = (
    "本市は、人口減少と高齢化が進むなかでも誰もが便利に行政サービスを利用できるよう、"
    "デジタル技術を活用した手続の見直しと情報の公開を進め、市民の暮らしの質を高めることを目指します。"
    "この計画は、その取組を総合的かつ計画的に推進するための指針として定めるものです。"
)
PERIOD = "本計画の期間は、令和6年度から令和10年度までの5年間とします。"
FOOTNOTE = "※1 マイナンバーカードを利用した本人確認をいう。"


@dataclass
class Item:
    """One element of the fictional plan, in the readers' vocabulary."""

    kind: str  # title, heading, para, numbered, bullet, table
    text: str = ""
    marker: str | None = None  # as the reader should report it
    level: int = 1
    auto: bool = False  # DOCX: the marker comes from Word numbering, not the text
    table: Table | None = None
    col_widths: list[float] = field(default_factory=list)


def _c(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan=rowspan, colspan=colspan)


def schedule_table(n: int = 0) -> Table:
    """A schedule table merged both ways: 施策/担当課 span two header rows, 年度 spans three columns,
    a phase spans two years and a department spans two measures."""
    suffix = f"{n}" if n else ""
    return Table(
        rows=[
            [_c("施策", rowspan=2), _c("担当課", rowspan=2), _c("年度", colspan=3)],
            [_c("2024"), _c("2025"), _c("2026")],
            [
                _c(f"オンライン申請の拡充{suffix}"),
                _c("情報政策課", rowspan=2),
                _c("検討"),
                _c("実施 →", colspan=2),
            ],
            [
                _c(f"マイナンバーカードを活用した証明書のコンビニ交付{suffix}"),
                _c("準備"),
                _c("導入"),
                _c("運用"),
            ],
        ]
    )


SCHEDULE_WIDTHS = [170.0, 80.0, 60.0, 60.0, 60.0]


def plan_items() -> list[Item]:
    return [
        Item("title", TITLE, level=1),
        Item("heading", "計画の概要", marker="第1章", level=1),
        Item("heading", "計画の目的", marker="(1)", level=2, auto=True),
        Item("para", PURPOSE),
        Item("heading", "計画の期間", marker="(2)", level=2, auto=True),
        Item("para", PERIOD),
        Item("heading", "施策の展開", marker="第2章", level=1),
        Item("heading", "行政手続のオンライン化", marker="I.", level=2),
        Item("numbered", "オンライン申請の拡充", marker="①", auto=True),
        Item(
            "para",
            "子育てや介護の手続を中心に、オンラインで申請できる手続を令和8年度までに100件へ増やします。",
        ),
        Item("numbered", "マイナンバーカードの活用", marker="②", auto=True),
        Item("bullet", "証明書のコンビニ交付を拡大する"),
        Item("bullet", "窓口での本人確認を簡素化する"),
        Item("heading", "スケジュール", marker="II.", level=2),
        Item("table", table=schedule_table(), col_widths=SCHEDULE_WIDTHS),
        Item("para", FOOTNOTE),
    ]


# ---------------------------------------------------------------------------------------------
# DOCX


def _add_numbering(document: object) -> str:
    """Add a three-level list ((1) / ① / ア) to numbering.xml; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    levels = [("decimal", "(%1)"), ("decimalEnclosedCircle", "%2"), ("aiueoFullWidth", "%3")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvl_xml}</w:abstractNum>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _set_num(paragraph: object, num_id: str, ilvl: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ppr.append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _docx_table(document: object, table: Table) -> None:
    grid = table.grid()
    t = document.add_table(rows=len(grid), cols=len(grid[0]))  # type: ignore[attr-defined]
    t.style = "Table Grid"
    r = 0
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while grid[r][c].is_span_copy or grid[r][c] is not cell:
                c += 1
            origin = t.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                origin = origin.merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            origin.text = cell.text
            c += cell.colspan


def write_plan_docx(path: Path) -> Path:
    """The fictional plan as DOCX: Title/Heading styles, Word numbering, a table merged both ways."""
    import docx

    document = docx.Document()
    num_id = _add_numbering(document)
    for item in plan_items():
        if item.kind == "title":
            document.add_paragraph(item.text, style="Title")
        elif item.kind == "heading":
            if item.auto:
                p = document.add_paragraph(item.text, style=f"Heading {item.level}")
                _set_num(p, num_id, 0)
            else:
                document.add_paragraph(f"{item.marker} {item.text}", style=f"Heading {item.level}")
        elif item.kind == "para":
            document.add_paragraph(item.text)
        elif item.kind == "numbered":
            _set_num(document.add_paragraph(item.text), num_id, 1)
        elif item.kind == "bullet":
            document.add_paragraph(item.text, style="List Bullet")
        elif item.kind == "table" and item.table is not None:
            _docx_table(document, item.table)
    document.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# HTML


def plan_html(encoding: str = "utf-8") -> str:
    """The fictional plan as an HTML page with nav/header/footer noise and a <dl>."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="ja"><head><meta charset="{encoding}"><title>{TITLE}</title>',
        "<style>body{font-family:sans-serif}</style><script>var tracker = 1;</script></head><body>",
        f"<header><p>{TOWN}公式ホームページ</p></header>",
        '<nav><ul><li><a href="/">トップ</a></li><li><a href="/kurashi">くらし</a></li></ul></nav><main>',
    ]
    bullets: list[str] = []
    for item in plan_items():
        if bullets and item.kind != "bullet":
            out.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
            bullets = []
        if item.kind == "title":
            out.append(f"<h1>{item.text}</h1>")
        elif item.kind == "heading":
            out.append(f"<h{item.level + 1}>{item.marker} {item.text}</h{item.level + 1}>")
        elif item.kind == "para":
            # wrapped source lines inside a Japanese paragraph must join without spaces
            text = item.text
            out.append("<p>" + "\n      ".join(text[i : i + 30] for i in range(0, len(text), 30)) + "</p>")
        elif item.kind == "numbered":
            out.append(f"<p>{item.marker} {item.text}</p>")
        elif item.kind == "bullet":
            bullets.append(item.text)
        elif item.kind == "table" and item.table is not None:
            out.append("<table border=1><caption>スケジュール表</caption>")
            for r, row in enumerate(item.table.rows):
                tag = "th" if r < 2 else "td"
                cells = "".join(
                    f"<{tag}"
                    + (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
                    + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
                    + f">{c.text}</{tag}>"
                    for c in row
                )
                out.append(f"<tr>{cells}</tr>")
            out.append("</table>")
    out.append("<dl><dt>目的</dt><dd>手続の負担を減らす</dd><dt>担当</dt><dd>情報政策課</dd></dl>")
    out.append(f"</main><footer><p>Copyright {TOWN}</p></footer></body></html>")
    return "\n".join(out)


def write_plan_html(path: Path, encoding: str = "utf-8") -> Path:
    """Write the HTML page in ``encoding`` (e.g. "utf-8" or "shift_jis", written as cp932)."""
    codec = "cp932" if encoding.lower().replace("-", "_") in ("shift_jis", "sjis", "cp932") else encoding
    path.write_bytes(plan_html(encoding).encode(codec))
    return path


# ---------------------------------------------------------------------------------------------
# PDF (reportlab, Japanese CID font HeiseiKakuGo-W5 — extracts correctly with pypdfium2)

FONT = "HeiseiKakuGo-W5"


def _pdf_styles() -> dict[str, object]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = {"fontName": FONT, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontSize=20, leading=28, spaceAfter=12, **base),
        "h1": ParagraphStyle("h1", fontSize=16, leading=22, spaceBefore=8, spaceAfter=6, **base),
        "h2": ParagraphStyle("h2", fontSize=13, leading=18, spaceBefore=6, spaceAfter=4, **base),
        "body": ParagraphStyle("body", fontSize=10.5, leading=16, spaceAfter=6, **base),
        "cell": ParagraphStyle("cell", fontSize=9, leading=12, **base),
        "note": ParagraphStyle("note", fontSize=8, leading=11, **base),
    }


def _pdf_table(table: Table, widths: list[float], styles: dict[str, object]) -> object:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    grid = table.grid()
    data: list[list[object]] = [
        ["" if c.is_span_copy else Paragraph(c.text, styles["cell"]) for c in row] for row in grid
    ]
    commands: list[tuple[object, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                          ("VALIGN", (0, 0), (-1, -1), "TOP")]  # fmt: skip
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if not cell.is_span_copy and (cell.rowspan > 1 or cell.colspan > 1):
                commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    return RLTable(data, colWidths=widths, style=commands, hAlign="LEFT")


def _pdf_story(items: list[Item], styles: dict[str, object]) -> list[object]:
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    story: list[object] = []
    after_chapter = False
    for item in items:
        if item.kind != "heading":
            after_chapter = False
        if item.kind == "title":
            story.append(Paragraph(item.text, styles["title"]))
        elif item.kind == "heading":
            area = bool(item.marker and item.marker.startswith("(") and not item.auto)
            if story and (item.level == 1 or (area and not after_chapter)):
                story.append(PageBreak())  # a chapter, or a benchmark measure area, starts a page
            after_chapter = item.level == 1
            story.append(Paragraph(f"{item.marker} {item.text}", styles["h1" if item.level == 1 else "h2"]))
        elif item.kind == "para":
            style = styles["note"] if item.text.startswith("※") else styles["body"]
            story.append(Paragraph(item.text, style))
        elif item.kind == "numbered":
            story.append(Paragraph(f"{item.marker} {item.text}", styles["body"]))
        elif item.kind == "bullet":
            story.append(Paragraph(f"・{item.text}", styles["body"]))
        elif item.kind == "table" and item.table is not None:
            story.append(_pdf_table(item.table, item.col_widths, styles))
            story.append(Spacer(1, 8))
    return story


# The benchmark plan: chapters of basic policies, one measure area a page (heading, three paragraphs of
# prose, a merged-cell schedule table of two measures over five fiscal years, a closing paragraph). Titles
# are subject × action pairs, all different, as in a real plan (no title is another with a number added).
SUBJECTS = (
    "子育て", "介護", "国民健康保険", "住民票", "税証明", "図書館", "体育館", "公民館", "上下水道", "ごみ収集",
    "防災", "道路", "公園", "農業", "観光", "商工", "学校", "保育所", "福祉", "障害福祉",
    "健康診断", "予防接種", "選挙", "議会", "消防", "地域交通", "住宅", "文化財", "環境", "空き家",
    "移住", "高齢者見守り", "窓口", "職員研修", "文書管理", "財務会計", "人事給与", "契約", "統計", "広報",
)  # fmt: skip
ACTIONS = (
    ("手続のオンライン化", "情報のオープンデータ化"),
    ("の電子申請の拡充", "のキャッシュレス決済導入"),
    ("の予約システム導入", "のデータ連携基盤整備"),
    ("の相談窓口のデジタル化", "の情報発信の強化"),
    ("業務のペーパーレス化", "業務へのAI活用"),
)
POLICIES = (
    "行政手続のオンライン化",
    "データの利活用",
    "マイナンバーカードの活用",
    "誰もがデジタルを使える地域づくり",
    "業務の効率化と標準化",
)
DEPARTMENTS = ("市民課", "税務課", "こども家庭課", "長寿福祉課", "健康推進課", "生涯学習課", "都市整備課",
               "農林振興課", "商工観光課", "情報政策課")  # fmt: skip


def benchmark_titles(n: int) -> tuple[str, str]:
    """The two measures of benchmark page n (n ≥ 1): different on every page."""
    subject = SUBJECTS[(n - 1) % len(SUBJECTS)]
    first, second = ACTIONS[((n - 1) // len(SUBJECTS)) % len(ACTIONS)]
    return subject + first, subject + second


def _benchmark_table(n: int) -> Table:
    a, b = benchmark_titles(n)
    d1, d2 = DEPARTMENTS[n % len(DEPARTMENTS)], DEPARTMENTS[(n + 3) % len(DEPARTMENTS)]
    return Table(
        rows=[
            [_c("施策", rowspan=2), _c("担当課", rowspan=2), _c("年度", colspan=5)],
            [_c(str(y)) for y in range(2024, 2029)],
            [_c(a), _c(d1), _c("検討"), _c("試行"), _c("実施 →", colspan=3)],
            [_c(b), _c(d2), _c("準備"), _c("導入", colspan=2), _c("運用", colspan=2)],
        ]
    )


BENCHMARK_WIDTHS = [150.0, 70.0, 50.0, 50.0, 50.0, 50.0, 50.0]


def _benchmark_prose(n: int) -> list[str]:
    subject = SUBJECTS[(n - 1) % len(SUBJECTS)]
    return [
        f"{subject}に関する手続や情報提供は、窓口での書面の記入や押印、紙の資料の配布を前提としたものが"
        f"多く残っています。市民アンケートでは、{subject}の手続のために平日の日中に来庁することが負担だと"
        "答えた人が半数を超え、特に子育て世代や働く世代からは、自宅からいつでも手続できる仕組みを求める"
        "声が多く寄せられています。",
        f"このため本市は、{subject}の分野で扱う手続と情報を棚卸しし、利用件数の多いものから順にオンライン"
        "で完結できるよう見直します。あわせて、職員の事務の流れを見直して入力や照合の手作業を減らし、"
        "生み出した時間を相談や支援など人にしかできない業務に振り向けます。見直しにあたっては、デジタル"
        "機器の利用に不安のある方も取り残さないよう、窓口での支援を続けます。",
        f"取組の進み具合は、{subject}の手続のオンライン利用率と、市民の満足度を指標として毎年度点検し、"
        f"結果を公表します。目標値は令和10年度までに{20 + n % 60}件とします。",
    ]


def _benchmark_items(pages: int) -> list[Item]:
    """plan_items() then one measure page per extra page, under chapters of basic policies."""
    items = plan_items()
    per_policy = max((pages - 2) // len(POLICIES), 1)
    for n in range(1, max(pages - 2, 1)):
        k = (n - 1) // per_policy
        if (n - 1) % per_policy == 0 and k < len(POLICIES):
            items.append(Item("heading", POLICIES[k], marker=f"基本方針{k + 1}", level=1))
        subject = SUBJECTS[(n - 1) % len(SUBJECTS)]
        items.append(Item("heading", f"{subject}分野のデジタル化", marker=f"({n})", level=2))
        items += [Item("para", text) for text in _benchmark_prose(n)]
        items.append(Item("table", table=_benchmark_table(n), col_widths=BENCHMARK_WIDTHS))
        items.append(Item("para", PURPOSE[:80]))
    return items


def write_plan_pdf(path: Path, pages: int | None = None, *, encrypt_password: str | None = None) -> Path:
    """The fictional plan as a PDF with a running header, page numbers "- n -" and ruled tables.

    ``pages=N`` appends one measure page (heading, paragraphs, a merged-cell table) per extra page,
    for benchmarks. ``encrypt_password`` sets a user password (the file cannot be opened without it).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    styles = _pdf_styles()
    items = _benchmark_items(pages) if pages else plan_items()
    encrypt = None
    if encrypt_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(encrypt_password, ownerPassword=encrypt_password + "-owner")

    def decorate(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 8)  # type: ignore[attr-defined]
        width, height = A4
        canvas.drawRightString(width - 56, height - 36, TITLE)  # type: ignore[attr-defined]
        canvas.line(56, height - 40, width - 56, height - 40)  # type: ignore[attr-defined]
        canvas.setFont(FONT, 9)  # type: ignore[attr-defined]
        canvas.drawCentredString(width / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=64, bottomMargin=56, leftMargin=56,
                            rightMargin=56, title=TITLE, encrypt=encrypt)  # fmt: skip
    doc.build(_pdf_story(items, styles), onFirstPage=decorate, onLaterPages=decorate)
    return path


def write_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A scanned-looking PDF: only drawn shapes, no text layer (needs OCR)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        c.setFillGray(0.3)
        for i in range(30):
            c.rect(
                60, 780 - i * 22, 300 + (i * 37) % 160, 8, stroke=0, fill=1
            )  # grey bars like scanned lines
        c.showPage()
    c.save()
    return path
