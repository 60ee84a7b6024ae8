"""A fictional plan as DOCX for the web import tests: a town's plan whose measure titles carry <script>.

The extractor reads an organisation from the title («○○市…計画»), so the tests give Alice's
organisation (テスト市A of tests.people) the town's name with ``name_alice_org``.
"""

from __future__ import annotations

from pathlib import Path

from tests.people import People

TOWN = "さくら市"
SCRIPT = "<script>alert(1)</script>"


def write_town_plan_docx(path: Path, town: str = TOWN) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(f"{town}デジタル推進計画", style="Title")
    d.add_paragraph("令和7年3月")
    d.add_paragraph("1. 計画の期間", style="Heading 1")
    d.add_paragraph("本計画の期間は、令和7年度から令和11年度までの5年間とします。")
    d.add_paragraph("2. 施策の展開", style="Heading 1")
    d.add_paragraph("(1) 行政手続のオンライン化", style="Heading 2")
    d.add_paragraph(f"① 電子申請{SCRIPT}の拡充")
    d.add_paragraph("子育ての手続をオンラインで申請できるようにする。")
    d.add_paragraph("【担当】情報政策課")
    d.add_paragraph("【KPI】オンライン手続数 20件（令和6年度）→ 100件（令和9年度）")
    d.add_paragraph("【スケジュール】令和7年度 検討、令和8年度～ 実施")
    d.add_paragraph("② 窓口の案内表示の改善")
    d.add_paragraph("来庁者が迷わないよう案内を見直す。")
    d.add_paragraph("【担当】市民課")
    d.add_paragraph("【スケジュール】令和7年度 導入、令和8年度～ 運用")
    d.save(str(path))
    return path


def name_alice_org(p: People, town: str = TOWN) -> None:
    """Alice's organisation (テスト市A) takes the town's name, so the document names it."""
    org = p.plan_a.organisation
    org.name = town
    org.save()
