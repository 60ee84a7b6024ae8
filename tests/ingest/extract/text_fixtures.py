"""Fictional plans in text layouts (no text from real plans), each with the plan expected from it.

- MIDORI: text converted from a PDF — no blank lines, wrapped prose, a running header and "- n -" page
  numbers, a narrative chapter with numbered items, measures as ア items with 【担当課】/【指標】/【現状値】/
  【目標値】/【スケジュール】 labels under (1)/(2) policies in 「第2章 具体的な取組」.
- SAKURA: ■ items with "担当部署：", "KPI：", "実施時期：", "内容：" colon labels; policy headings that are
  the law's pillars by their everyday names (オープンデータの推進 …); period "2024年度から2028年度まで".
- AOBA: 【取組1】 items with ＜所管課＞ ＜成果指標＞ ＜工程＞ labels; qualitative targets (レベルAA, 導入);
  a policy heading that is no pillar heading.

EXPECTED_* give, per measure: (key, title, departments, [(indicator, baseline, target, target year)],
{fiscal year: phase} schedule, deadline fiscal year).
"""

from __future__ import annotations

_HEADER = "みどり市地域情報化計画"


def _wrap(text: str, width: int = 38) -> str:
    """Prose as a PDF converter writes it: cut every `width` characters, no blank lines."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


_PURPOSE = _wrap(
    "本市では、人口減少と高齢化が進むなか、行政サービスの質を保ちながら職員の負担を減らす必要がある。"
    "このため、デジタル技術を活用した市政の方向性を定め、市民と職員の双方にとって使いやすい仕組みを整える。"
)
LIBRARY_TEXT = (
    "市立図書館で電子書籍の貸出を開始し、来館できない市民も本を借りられるようにするとともに、"
    "利用の状況を分析して蔵書の充実に生かす。"
)

MIDORI = f"""\
{_HEADER}
令和6年3月
みどり市
第1章 計画の概要
1 計画策定の趣旨
{_PURPOSE}
2 計画期間
計画期間は、令和6年度～令和10年度の5年間とする。
3 基本方針
(1) 誰もが使える行政サービス
(2) 効率的な行政運営
- 1 -
{_HEADER}
第2章 具体的な取組
(1) 誰もが使える行政サービス
ア 図書館の電子書籍サービス
{_wrap(LIBRARY_TEXT)}
【担当課】生涯学習課・情報政策課
【指標】電子書籍の年間貸出冊数
【現状値】0冊（令和5年度）
【目標値】3,000冊（令和9年度）
【スケジュール】令和6年度 検討、令和7年度～令和9年度 実施
イ 高齢者向けスマートフォン講座
【担当課】高齢福祉課
【指標】講座の延べ参加者数　現状120人（令和5年度）→　600人（令和10年度）
- 2 -
{_HEADER}
(2) 効率的な行政運営
ア 会議録作成への音声認識の導入
【担当課】総務課 情報政策課
【目標】令和7年度までに全ての部署で音声認識による会議録作成を導入する。
第3章 推進体制
1 推進組織
市長を本部長とする推進本部を設け、進捗を管理する。
- 3 -
"""

EXPECTED_MIDORI = [
    (
        "(1)-ア",
        "図書館の電子書籍サービス",
        ["生涯学習課", "情報政策課"],
        [("電子書籍の年間貸出冊数", "0冊", "3,000冊", 2027)],
        {2024: "検討", 2025: "実施", 2026: "実施", 2027: "実施"},
        None,
    ),
    (
        "(1)-イ",
        "高齢者向けスマートフォン講座",
        ["高齢福祉課"],
        [("講座の延べ参加者数", "120人", "600人", 2028)],
        {},
        2028,
    ),
    (
        "(2)-ア",
        "会議録作成への音声認識の導入",
        ["総務課", "情報政策課"],
        [("全ての部署で音声認識による会議録作成を導入", None, "導入", 2025)],
        {},
        2025,
    ),
]

SAKURA = """\
さくら町DX推進計画

2024年6月

さくら町

1. はじめに

1) 計画の目的
町民の暮らしを支えるため、デジタル技術の活用方針を示します。
2) 計画の期間
本計画の期間は、2024年度から2028年度までとします。

2. 施策の展開

(1) オープンデータの推進
■ 町の統計データの公開
内容：人口や観光の統計を、機械で読める形式で町のホームページに公開する。
担当部署：企画課
KPI：公開データセット数　令和10年度までに40件
実施時期：令和6年度から順次
■ バス停位置情報のオープンデータ化
内容：町営バスのバス停と時刻表を標準的な形式で公開する。
担当部署：企画課、建設課
KPI：公開した路線数　現状0路線　目標5路線（令和8年度）

(2) マイナンバーカードの普及・活用
■ 休日の交付窓口
内容：休日に交付窓口を開き、働く世代の申請を受け付ける。
担当部署：住民課
KPI：マイナンバーカード交付率　現状70%（令和5年度）　目標95%（令和9年度）
"""

EXPECTED_SAKURA = [
    (
        "(1)-1",
        "町の統計データの公開",
        ["企画課"],
        [("公開データセット数", None, "40件", 2028)],
        {2024: "順次"},
        None,
    ),
    (
        "(1)-2",
        "バス停位置情報のオープンデータ化",
        ["企画課", "建設課"],
        [("公開した路線数", "0路線", "5路線", 2026)],
        {},
        2026,
    ),
    (
        "(2)-1",
        "休日の交付窓口",
        ["住民課"],
        [("マイナンバーカード交付率", "70%", "95%", 2027)],
        {},
        2027,
    ),
]

AOBA = """\
あおば村情報化推進計画
令和7年4月
あおば村
1．計画の基本的な考え方
(1) 計画の位置付け
本計画は、村の総合計画を情報化の面から支える計画である。
(2) 計画期間
令和7年度～令和11年度
2．施策
(1) 暮らしを支えるデジタル化
【取組1】村ホームページのアクセシビリティ向上
＜概要＞村のホームページを、高齢者や障がいのある人も使いやすいものに改める。
＜所管課＞総務課
＜成果指標＞令和9年度までにホームページをJIS X 8341-3のレベルAAへ準拠させる。
【取組2】公民館への公衆無線LANの整備
＜概要＞全ての公民館に公衆無線LANを整備する。
＜所管課＞総務課／教育委員会
＜成果指標＞令和8年度までに全ての公民館に公衆無線LANを導入する。
＜工程＞令和7年度 設計、令和8年度 整備
"""

EXPECTED_AOBA = [
    (
        "(1)-取組1",
        "村ホームページのアクセシビリティ向上",
        ["総務課"],
        [("ホームページをJIS X 8341-3のレベルAAへ準拠", None, "レベルAA", 2027)],
        {},
        2027,
    ),
    (
        "(1)-取組2",
        "公民館への公衆無線LANの整備",
        ["総務課", "教育委員会"],
        [("全ての公民館に公衆無線LANを導入", None, "導入", 2026)],
        {2025: "設計", 2026: "整備"},
        None,
    ),
]

PLANS = {
    "midori": (MIDORI, EXPECTED_MIDORI),
    "sakura": (SAKURA, EXPECTED_SAKURA),
    "aoba": (AOBA, EXPECTED_AOBA),
}


def write_docx(text: str, path: object) -> object:
    """The plan as a Word file: one paragraph per paragraph of the text (wrapped lines joined; page
    numbers and running headers, which Word keeps outside the body, left out)."""
    import docx

    from keikaku.ingest.readers.text import read_text

    d = docx.Document()
    for b in read_text(text.encode(), "plan.txt").blocks:
        d.add_paragraph(f"{b.marker} {b.text}" if b.marker else b.text)
    d.save(str(path))
    return path


def write_pdf(text: str, path: object) -> object:
    """The plan as a PDF (reportlab, CID font): one paragraph per non-blank line, page breaks at the
    "- n -" page numbers of the text, each page with the running header and a page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    font = "HeiseiKakuGo-W5"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, spaceAfter=4, wordWrap="CJK")
    story: list[object] = []
    lines = [ln for ln in text.splitlines() if ln.strip()]
    title = lines[0]
    for line in lines:
        if line.startswith("- "):
            story.append(PageBreak())
            continue
        if line == title and story:
            continue  # the running header is drawn on every page instead
        story.append(Paragraph(line, body))

    def decorate(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(font, 8)  # type: ignore[attr-defined]
        canvas.drawString(72, A4[1] - 40, title)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path
