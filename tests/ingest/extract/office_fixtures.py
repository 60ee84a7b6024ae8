"""Fictional plans authored as Word documents (python-docx) in office layouts the other fixture modules do
not cover, each with the plan a careful reader writes down FIRST (shared scorer's gold format). The tests
convert some of them with LibreOffice to PDF / HTML, as municipalities publish them.

- ゆずは市: Heading styles; a measure table whose 取組 cell holds the title in its first paragraph and the
  description in the next, 担当課 "総務課／企画課", ★ in a 重点 column, KPI "指標名（単位）" with
  multi-year targets (現状値(R4) | R6目標 | R8目標 | R10目標: the final target is the latest year).
- ひかり町: chapters as bold numbered paragraphs without heading styles; 施策No.n cards whose merged header
  row carries number and title; label rows 内容 / 担当課 / 指標 / 現状値（令和5年度） / 目標値（令和9年度）.
- なぎさ村: a landscape schedule table, merged header rows, two columns per fiscal year (上期 / 下期).
- もえぎ町: a measure table without ruling lines (borders none).
- こはく市: headings and measure titles told apart only by bold + size (no styles, no numbers); label
  lines "担当：市民課／情報政策課", "指標：…（件）", "現状値：…", "目標値：…".
- すずらん町: a measure list with ◎ marks in a 重点 column and a separate 成果指標 table keyed by 番号,
  merged 目標値 header over R6 / R8 / R10.

All towns, titles and numbers are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class C:
    """A table cell: text (``\\n`` separates paragraphs of the cell) and its spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class El:
    kind: str  # title | h | b (bold paragraph, size) | p | table | landscape | portrait
    text: str = ""
    level: int = 1
    size: float = 0.0
    rows: list[list[C | str]] = field(default_factory=list)
    borders: bool = True
    widths: list[float] = field(default_factory=list)  # cm


def _k(indicator: str, baseline: str | None, target: str, year: int) -> dict:
    return {"indicator": indicator, "baseline": baseline, "target": target, "target_year": year}


# ---------------------------------------------------------------------------------------------
# ゆずは市 — expected first

YUZUHA_EXPECTED = {
    "title": "ゆずは市デジタル化推進計画",
    "measures": [
        {
            "title": "オンライン申請の拡大",
            "departments": ["総務課", "企画課"],
            "priority": True,
            "kpis": [_k("オンライン申請件数", "1,200件", "4,000件", 2028)],
        },
        {
            "title": "窓口キャッシュレス決済の導入",
            "departments": ["市民課", "会計課"],
            "priority": False,
            "kpis": [_k("キャッシュレス対応窓口数", "0か所", "10か所", 2028)],
        },
        {
            "title": "公共施設Wi-Fiの整備",
            "departments": ["防災危機管理課"],
            "priority": True,
            "kpis": [_k("Wi-Fi整備施設数", "5施設", "20施設", 2028)],
        },
        {
            "title": "デジタル活用講座の開催",
            "departments": ["生涯学習課", "高齢福祉課"],
            "priority": False,
            "kpis": [_k("講座受講者数", "80人", "300人", 2028)],
        },
    ],
}

_YUZUHA_HEAD = ["No.", "取組", "重点", "担当課", "指標（単位）", "現状値(R4)", "R6目標", "R8目標", "R10目標"]
YUZUHA = [
    El("title", "ゆずは市デジタル化推進計画"),
    El("p", "令和6年3月"),
    El("p", "計画期間：令和6年度～令和10年度"),
    El("h", "第1章 計画の概要", 1),
    El("p", "本計画は、市民の暮らしの利便性を高めるため、市の行政サービスのデジタル化を進めるものです。"),
    El("h", "第2章 施策の展開", 1),
    El("h", "基本目標1 便利な行政サービス", 2),
    El("p", "★は重点取組を示します。"),
    El(
        "table",
        rows=[
            _YUZUHA_HEAD,
            [
                "1",
                "オンライン申請の拡大\n各種申請をスマートフォンから行えるようにします。",
                "★",
                "総務課／企画課",
                "オンライン申請件数（件）",
                "1,200",
                "2,000",
                "3,000",
                "4,000",
            ],
            [
                "2",
                "窓口キャッシュレス決済の導入\n窓口手数料の支払いに電子決済を使えるようにします。",
                "",
                "市民課／会計課",
                "キャッシュレス対応窓口数（か所）",
                "0",
                "3",
                "6",
                "10",
            ],
        ],
        widths=[1.0, 5.0, 1.0, 2.2, 3.0, 1.6, 1.4, 1.4, 1.4],
    ),
    El("h", "基本目標2 地域のデジタル化", 2),
    El(
        "table",
        rows=[
            _YUZUHA_HEAD,
            [
                "3",
                "公共施設Wi-Fiの整備\n避難所となる施設に無線LANを整備します。",
                "★",
                "防災危機管理課",
                "Wi-Fi整備施設数（施設）",
                "5",
                "10",
                "15",
                "20",
            ],
            [
                "4",
                "デジタル活用講座の開催\n高齢者向けにスマートフォン講座を開きます。",
                "",
                "生涯学習課／高齢福祉課",
                "講座受講者数（人）",
                "80",
                "150",
                "200",
                "300",
            ],
        ],
        widths=[1.0, 5.0, 1.0, 2.2, 3.0, 1.6, 1.4, 1.4, 1.4],
    ),
]

# ---------------------------------------------------------------------------------------------
# ひかり町

HIKARI_EXPECTED = {
    "title": "ひかり町情報化推進計画",
    "measures": [
        {
            "title": "電子申請システムの導入",
            "departments": ["総務課", "企画財政課"],
            "kpis": [_k("電子申請できる手続数", "20手続", "80手続", 2027)],
        },
        {
            "title": "町税のスマホ決済",
            "departments": ["税務課"],
            "kpis": [_k("スマホ決済の利用率", "5%", "30%", 2027)],
        },
        {
            "title": "電子図書館の開設",
            "departments": ["教育委員会生涯学習係"],
            "kpis": [_k("電子書籍の貸出件数", "0件", "3,000件", 2027)],
        },
    ],
}


def _hikari_card(no: int, title: str, body: str, dept: str, kpi: str, base: str, target: str) -> El:
    return El("table", rows=[
        [C(f"施策No.{no}　{title}", colspan=2)],
        ["内容", body],
        ["担当課", dept],
        ["指標", kpi],
        ["現状値（令和5年度）", base],
        ["目標値（令和9年度）", target],
    ], widths=[4.0, 11.0])  # fmt: skip


HIKARI = [
    El("title", "ひかり町情報化推進計画"),
    El("p", "令和5年12月　ひかり町"),
    El("b", "1　計画の趣旨", size=14),
    El("p", "町の行政手続と地域の暮らしにデジタル技術を取り入れるため、この計画を定めます。"),
    El("b", "2　行政手続のデジタル化", size=14),
    El("p", "町役場に来なくても手続ができる環境をつくります。"),
    _hikari_card(
        1,
        "電子申請システムの導入",
        "町の主要な申請を電子化します。\n対象の手続を毎年広げます。",
        "総務課\n企画財政課",
        "電子申請できる手続数",
        "20手続",
        "80手続",
    ),
    _hikari_card(
        2,
        "町税のスマホ決済",
        "町税をスマートフォン決済で納められるようにします。",
        "税務課",
        "スマホ決済の利用率",
        "5%",
        "30%",
    ),
    El("b", "3　地域情報化の推進", size=14),
    El("p", "学びと暮らしの場にデジタルを広げます。"),
    _hikari_card(
        3,
        "電子図書館の開設",
        "電子書籍を貸し出す電子図書館を開設します。",
        "教育委員会生涯学習係",
        "電子書籍の貸出件数",
        "0件",
        "3,000件",
    ),
]

# ---------------------------------------------------------------------------------------------
# なぎさ村

NAGISA_EXPECTED = {
    "title": "なぎさ村DX推進計画",
    "measures": [
        {
            "title": "証明書のコンビニ交付の開始",
            "departments": ["住民課"],
            "schedule": {"2024": "検討", "2025": "導入、運用", "2026": "運用"},
        },
        {
            "title": "行政文書の電子化",
            "departments": ["総務課"],
            "schedule": {"2024": "調査", "2025": "電子化", "2026": "電子化"},
        },
        {
            "title": "防災情報メールの再構築",
            "departments": ["防災係"],
            "schedule": {"2024": "設計、構築", "2025": "運用", "2026": "運用"},
        },
    ],
}

NAGISA = [
    El("title", "なぎさ村DX推進計画"),
    El("p", "令和6年4月　なぎさ村"),
    El("p", "計画期間：令和6年度から令和8年度まで"),
    El("h", "1. 計画の目的", 1),
    El("p", "村の事務と住民サービスをデジタルで見直します。"),
    El("h", "2. 取組の工程", 1),
    El("p", "各取組を次の工程で進めます（→は前の工程の継続）。"),
    El("landscape"),
    El(
        "table",
        rows=[
            [
                C("取組", rowspan=2),
                C("担当課", rowspan=2),
                C("令和6年度", colspan=2),
                C("令和7年度", colspan=2),
                C("令和8年度", colspan=2),
            ],
            ["上期", "下期", "上期", "下期", "上期", "下期"],
            ["証明書のコンビニ交付の開始", "住民課", "検討", "→", "導入", "運用", "→", "→"],
            ["行政文書の電子化", "総務課", "", "調査", "電子化", "→", "→", "→"],
            ["防災情報メールの再構築", "防災係", "設計", "構築", "運用", "→", "→", "→"],
        ],
        widths=[6.0, 3.0, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2],
    ),
    El("portrait"),
    El("h", "3. 推進体制", 1),
    El("p", "村長を本部長とする推進本部で進捗を確認します。"),
]

# ---------------------------------------------------------------------------------------------
# もえぎ町

MOEGI_EXPECTED = {
    "title": "もえぎ町官民データ活用推進計画",
    "measures": [
        {
            "title": "マイナンバーカードの普及促進",
            "departments": ["町民課"],
            "kpis": [_k("マイナンバーカード交付率", "72%", "90%", 2026)],
        },
        {
            "title": "オープンデータの公開",
            "departments": ["企画課"],
            "kpis": [_k("公開データセット数", "12件", "40件", 2026)],
        },
        {
            "title": "スマホ相談会の開催",
            "departments": ["福祉課"],
            "kpis": [_k("相談会の参加者数", "60人", "200人", 2026)],
        },
    ],
}

MOEGI = [
    El("title", "もえぎ町官民データ活用推進計画"),
    El("p", "令和5年3月　もえぎ町"),
    El("h", "1. 計画の位置付け", 1),
    El("p", "官民データ活用推進基本法に基づく町の計画です。"),
    El("h", "2. 具体的な施策", 1),
    El(
        "table",
        borders=False,
        rows=[
            ["施策名", "担当課", "指標", "現状値（R4）", "目標値（R8）"],
            ["マイナンバーカードの普及促進", "町民課", "マイナンバーカード交付率", "72%", "90%"],
            ["オープンデータの公開", "企画課", "公開データセット数", "12件", "40件"],
            ["スマホ相談会の開催", "福祉課", "相談会の参加者数", "60人", "200人"],
        ],
        widths=[5.0, 2.2, 4.6, 2.2, 2.2],
    ),
    El("h", "3. 計画の推進", 1),
    El("p", "毎年度、取組の状況を町のホームページで公表します。"),
]

# ---------------------------------------------------------------------------------------------
# こはく市

KOHAKU_EXPECTED = {
    "title": "こはく市DX推進プラン",
    "measures": [
        {
            "title": "証明書のコンビニ交付",
            "departments": ["市民課", "情報政策課"],
            "kpis": [_k("コンビニ交付件数", "300件", "1,500件", 2027)],
        },
        {
            "title": "施設予約のオンライン化",
            "departments": ["スポーツ振興課"],
            "kpis": [_k("オンライン予約の割合", "10%", "70%", 2027)],
        },
        {
            "title": "児童手当の電子申請",
            "departments": ["こども家庭課"],
            "kpis": [_k("電子申請の件数", "50件", "400件", 2027)],
        },
    ],
}

KOHAKU = [
    El("b", "こはく市DX推進プラン", size=20),
    El("p", "令和5年3月　こはく市"),
    El("b", "計画の考え方", size=15),
    El("p", "市民の手間を減らし、職員の事務を効率化するため、デジタル技術を活用します。"),
    El("b", "くらしの利便性向上", size=15),
    El("p", "市民が身近な場所で手続できるようにします。"),
    El("b", "証明書のコンビニ交付", size=12),
    El("p", "住民票の写しなどの証明書をコンビニエンスストアで受け取れるようにします。"),
    El("p", "担当：市民課／情報政策課"),
    El("p", "指標：コンビニ交付件数（件）"),
    El("p", "現状値：300（令和4年度）"),
    El("p", "目標値：1,500（令和9年度）"),
    El("b", "施設予約のオンライン化", size=12),
    El("p", "体育館などの予約をインターネットで受け付けます。"),
    El("p", "担当：スポーツ振興課"),
    El("p", "指標：オンライン予約の割合（％）"),
    El("p", "現状値：10（令和4年度）"),
    El("p", "目標値：70（令和9年度）"),
    El("b", "子育て世帯への支援", size=15),
    El("b", "児童手当の電子申請", size=12),
    El("p", "児童手当の申請をオンラインで受け付けます。"),
    El("p", "担当：こども家庭課"),
    El("p", "指標：電子申請の件数（件）"),
    El("p", "現状値：50（令和4年度）"),
    El("p", "目標値：400（令和9年度）"),
]

# ---------------------------------------------------------------------------------------------
# すずらん町

SUZURAN_EXPECTED = {
    "title": "すずらん町デジタル推進計画",
    "measures": [
        {
            "title": "電子申請の拡充",
            "departments": ["総務課"],
            "priority": True,
            "kpis": [_k("電子申請率", "25%", "80%", 2028)],
        },
        {
            "title": "窓口予約システムの導入",
            "departments": ["住民課"],
            "priority": False,
            "kpis": [_k("窓口の平均待ち時間", "30分", "10分", 2028)],
        },
        {
            "title": "小中学校の学習用端末の更新",
            "departments": ["学校教育課"],
            "priority": True,
            "kpis": [_k("端末を毎日使う児童生徒の割合", "60%", "95%", 2028)],
        },
    ],
}

SUZURAN = [
    El("title", "すずらん町デジタル推進計画"),
    El("p", "令和6年3月"),
    El("p", "計画期間　令和6年度～令和10年度"),
    El("h", "第1章 計画の基本的な考え方", 1),
    El("p", "町民一人ひとりがデジタルの便利さを実感できる町を目指します。"),
    El("h", "第2章 施策一覧", 1),
    El("p", "◎は重点施策です。"),
    El(
        "table",
        rows=[
            ["番号", "施策名", "重点施策", "所管課"],
            ["1-1", "電子申請の拡充", "◎", "総務課"],
            ["1-2", "窓口予約システムの導入", "", "住民課"],
            ["2-1", "小中学校の学習用端末の更新", "◎", "学校教育課"],
        ],
        widths=[1.6, 8.0, 2.0, 3.0],
    ),
    El("h", "第3章 成果指標", 1),
    El(
        "table",
        rows=[
            [
                C("番号", rowspan=2),
                C("指標（単位）", rowspan=2),
                C("基準値（R4）", rowspan=2),
                C("目標値", colspan=3),
            ],
            ["R6", "R8", "R10"],
            ["1-1", "電子申請率（％）", "25", "40", "60", "80"],
            ["1-2", "窓口の平均待ち時間（分）", "30", "20", "15", "10"],
            ["2-1", "端末を毎日使う児童生徒の割合（％）", "60", "75", "85", "95"],
        ],
        widths=[1.6, 6.0, 2.4, 1.8, 1.8, 1.8],
    ),
]

OFFICE_PROBES: dict[str, tuple[list[El], dict]] = {
    "yuzuha": (YUZUHA, YUZUHA_EXPECTED),
    "hikari": (HIKARI, HIKARI_EXPECTED),
    "nagisa": (NAGISA, NAGISA_EXPECTED),
    "moegi": (MOEGI, MOEGI_EXPECTED),
    "kohaku": (KOHAKU, KOHAKU_EXPECTED),
    "suzuran": (SUZURAN, SUZURAN_EXPECTED),
}

# ---------------------------------------------------------------------------------------------
# writer


def _no_borders(table: object) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    sides = "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tbl_pr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>"))


def _table(document: object, el: El) -> None:
    from docx.shared import Cm

    n_cols = sum(c.colspan if isinstance(c, C) else 1 for c in el.rows[0])
    table = document.add_table(rows=len(el.rows), cols=n_cols)  # type: ignore[attr-defined]
    if el.borders:
        table.style = "Table Grid"
    else:
        _no_borders(table)
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(el.rows):
        col = 0
        for item in row:
            cell = item if isinstance(item, C) else C(item)
            while (r, col) in taken:
                col += 1
            target = table.cell(r, col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, col + cell.colspan - 1))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            paragraphs = cell.text.split("\n")
            target.paragraphs[0].text = paragraphs[0]
            for extra in paragraphs[1:]:
                target.add_paragraph(extra)
            col += cell.colspan
    for i, width in enumerate(el.widths):
        for cell in table.columns[i].cells:
            cell.width = Cm(width)


def write_docx(elements: list[El], path: Path) -> Path:
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Pt

    document = docx.Document()
    for el in elements:
        if el.kind == "title":
            document.add_paragraph(el.text, style="Title")
        elif el.kind == "h":
            document.add_paragraph(el.text, style=f"Heading {el.level}")
        elif el.kind == "b":
            run = document.add_paragraph().add_run(el.text)
            run.bold = True
            run.font.size = Pt(el.size)
        elif el.kind == "p":
            document.add_paragraph(el.text)
        elif el.kind == "table":
            _table(document, el)
        elif el.kind in ("landscape", "portrait"):
            section = document.add_section(WD_SECTION.NEW_PAGE)
            wide = el.kind == "landscape"
            short, long_ = sorted((section.page_width, section.page_height))
            section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = (long_, short) if wide else (short, long_)
    document.save(str(path))
    return path


def write(name: str, directory: Path) -> Path:
    return write_docx(OFFICE_PROBES[name][0], directory / f"{name}.docx")
