"""Previous-plan review tables and paragraphs → Evaluation (keikaku.ingest.extract.review)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from keikaku.core.plan import Decision
from keikaku.ingest.blocks import Block, BlockKind, Cell, Location, ReadResult, Table
from keikaku.ingest.extract.review import extract_evaluations, parse_decision, strip_item_marker
from keikaku.ingest.readers.html import read_html
from keikaku.ingest.readers.text import read_text

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

# a fictional town's review appendix, tab-separated as text converted from PDF gives it; the second
# table continues the first after a page break, the third has no header at all
TEXT_PLAN = """\
# 資料 さくら町情報化計画(第2次)の取組状況

重点項目\t具体的施策\t項目\t現状\t方向性
■ 行政サービスの向上\t① 窓口の電子化\tア) 窓口での電子申請端末の設置を進めます。\t本庁舎に2台を設置し運用している。\t<継続> 支所への設置を検討するため次期計画に引き継ぐ。 P8.①
\t\tイ) 申請書様式の電子掲載を拡充します。\t主要な様式の掲載を終えた。\t<完了> 本項目は完了とし、今後は適正管理を続ける。

重点項目\t具体的施策\t項目\t現状\t方向性
\t② 情報発信の充実\tり) 町公式アプリの導入を検討します。\t民間アプリで代替できることが分かった。\t＜終了＞ 本項目は終了とする。
\t\t1) 防災メールの登録者を増やします。\t登録者は年々増えている。\t＜継続＞ 引き続き周知を行う。 P12.②.③ P15.①

\t③ 庁内システム\tア) 共同利用型クラウドへの参加を検討します。\t近隣町と協議中である。\t<見直し> 標準化の取組に包含して整理する。 P20.③
"""


def test_text_tables_with_continuations() -> None:
    evs = extract_evaluations(read_text(TEXT_PLAN.encode("utf-8")))
    assert [e.item for e in evs] == [
        "窓口での電子申請端末の設置を進めます。",
        "申請書様式の電子掲載を拡充します。",
        "町公式アプリの導入を検討します。",
        "防災メールの登録者を増やします。",
        "共同利用型クラウドへの参加を検討します。",
    ]
    assert [e.decision for e in evs] == [
        Decision.CONTINUE,
        Decision.COMPLETE,
        Decision.END,
        Decision.CONTINUE,
        Decision.REVISE,
    ]
    assert [e.decision_written for e in evs] == ["<継続>", "<完了>", "＜終了＞", "＜継続＞", "<見直し>"]
    assert [e.reference for e in evs] == ["P8.①", None, None, "P12.②.③ P15.①", "P20.③"]
    assert evs[0].status == "本庁舎に2台を設置し運用している。"
    assert evs[0].direction == "支所への設置を検討するため次期計画に引き継ぐ。"
    # provenance points at the row's own line
    lines = TEXT_PLAN.splitlines()
    for e in evs:
        assert e.provenance is not None and e.provenance.line_start is not None
        assert e.item in lines[e.provenance.line_start - 1]


HTML_PLAN = """\
<html><body>
<h2>前計画の評価</h2>
<p>評価の凡例 ◎：完了 ○：継続 △：見直し ×：廃止</p>
<table>
<tr><th>取組内容</th><th>進捗状況</th><th>評価</th></tr>
<tr><td>(ア) 公衆無線LANの整備</td><td>避難所8か所に整備した。</td><td>◎ 維持管理に移る。</td></tr>
<tr><td>(イ) オープンデータの公開</td><td>12件を公開した。</td><td>○ 公開件数を増やす。 P14.②</td></tr>
<tr><td>(ウ) 電子会議室の開設</td><td>利用が少なかった。</td><td>× SNSで代替する。</td></tr>
</table>
</body></html>
"""


def test_html_table_with_symbol_legend() -> None:
    evs = extract_evaluations(read_html(HTML_PLAN.encode("utf-8")))
    assert [(e.item, e.decision, e.decision_written) for e in evs] == [
        ("公衆無線LANの整備", Decision.COMPLETE, "◎"),
        ("オープンデータの公開", Decision.CONTINUE, "○"),
        ("電子会議室の開設", Decision.END, "×"),
    ]
    assert evs[1].reference == "P14.②"
    assert evs[1].status == "12件を公開した。"


def test_merged_group_cells_do_not_hide_rows() -> None:
    header = [Cell("分野"), Cell("項目"), Cell("現状"), Cell("方向性")]
    rows = [
        header,
        [Cell("防災", rowspan=2), Cell("防災アプリの配信"), Cell("配信中"), Cell("【継続】 機能を増やす")],
        [Cell("避難所の無線LAN"), Cell("整備済み"), Cell("【完了】")],
    ]
    block = Block(BlockKind.TABLE, loc=Location(page=3), table=Table(rows=rows))
    evs = extract_evaluations(ReadResult(blocks=[block], format="pdf", pages=5))
    assert [(e.item, e.decision) for e in evs] == [
        ("防災アプリの配信", Decision.CONTINUE),
        ("避難所の無線LAN", Decision.COMPLETE),
    ]
    assert evs[1].direction == ""
    assert all(e.provenance is not None and e.provenance.page == 3 for e in evs)


PARAGRAPH_PLAN = """\
# 第1次計画の振り返り

ア) 電子申請の対象手続を増やします。

現状：子育て関係の5手続で受付を始めた。

方向性：<継続> 対象を全庁に広げる。 P9.①

イ) 庁内会議のペーパーレス化を進めます。

現状：全ての部長会議でタブレットを使っている。

【完了】 定着したため完了とする。

# 計画の推進体制

<継続> ここは評価ではない。
"""


def test_review_written_as_paragraphs() -> None:
    evs = extract_evaluations(read_text(PARAGRAPH_PLAN.encode("utf-8")))
    assert [(e.item, e.decision, e.reference) for e in evs] == [
        ("電子申請の対象手続を増やします。", Decision.CONTINUE, "P9.①"),
        ("庁内会議のペーパーレス化を進めます。", Decision.COMPLETE, None),
    ]
    assert evs[0].status == "子育て関係の5手続で受付を始めた。"
    assert evs[1].direction == "定着したため完了とする。"


def test_a_plan_without_a_review_gives_nothing() -> None:
    text = (
        "# みどり市DX推進計画\n\n項目\t内容\t担当\n電子申請\t手続を増やす\t情報政策課\n\n<継続>は使わない。\n"
    )
    assert extract_evaluations(read_text(text.encode("utf-8"))) == []


def test_schedule_table_is_not_a_review() -> None:
    text = "施策\tR4年度\tR5年度\t担当部署\n電子申請の拡充\t検討\t実施\t情報政策課\n"
    assert extract_evaluations(read_text(text.encode("utf-8"))) == []


@pytest.mark.parametrize(
    ("text", "decision", "written", "direction", "ref"),
    [
        ("<継続> 次期計画に引き継ぐ。 P8.②", Decision.CONTINUE, "<継続>", "次期計画に引き継ぐ。", "P8.②"),
        ("＜完了＞本項目は完了とする。", Decision.COMPLETE, "＜完了＞", "本項目は完了とする。", None),
        ("【終了】", Decision.END, "【終了】", "", None),
        ("[見直し] 内容を整理する", Decision.REVISE, "[見直し]", "内容を整理する", None),
        ("（統合）他の項目にまとめる", Decision.MERGE, "（統合）", "他の項目にまとめる", None),
        ("継続 今後も続ける", Decision.CONTINUE, "継続", "今後も続ける", None),
        ("◎ 達成済み", Decision.OTHER, "◎", "達成済み", None),
        ("今後も継続して取り組む", None, None, "今後も継続して取り組む", None),
        ("<継続> P13.①.② P18.②", Decision.CONTINUE, "<継続>", "", "P13.①.② P18.②"),
    ],
)
def test_parse_decision(
    text: str, decision: Decision | None, written: str | None, direction: str, ref: str | None
) -> None:
    assert parse_decision(text) == (decision, written, direction, ref)


def test_parse_decision_with_legend() -> None:
    assert parse_decision("△ 手法を改める", {"△": Decision.REVISE})[0] == Decision.REVISE


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("ア) 窓口の電子化", "窓口の電子化"),
        ("り) 窓口の電子化", "窓口の電子化"),
        ("1) 窓口の電子化", "窓口の電子化"),
        ("(イ) 窓口の電子化", "窓口の電子化"),
        ("① 窓口の電子化", "窓口の電子化"),
        ("窓口の電子化", "窓口の電子化"),
        ("5Gの活用", "5Gの活用"),
    ],
)
def test_strip_item_marker(text: str, item: str) -> None:
    assert strip_item_marker(text) == item


def _n(s: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


@pytest.mark.corpus
def test_corpus_review_rows_recovered() -> None:
    """Every gold previous-plan review row is found with its decision and reference."""
    if not (CORPUS / "gold").is_dir():
        pytest.skip("shared corpus not available")
    total = matched = decided = referenced = 0
    for gold_path in sorted((CORPUS / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8")).get("previous_plan_review") or []
        doc = CORPUS / "plans" / f"{gold_path.stem}.txt"
        if not doc.exists():
            continue
        evs = extract_evaluations(read_text(doc))
        if not gold:
            assert evs == [], gold_path.stem
            continue
        used: set[int] = set()
        for row in gold:
            total += 1
            g = _n(row["item"])[:40]
            j = next((j for j, e in enumerate(evs) if j not in used and _n(e.item).startswith(g)), None)
            if j is None:
                continue
            used.add(j)
            matched += 1
            decided += evs[j].decision is not None and evs[j].decision.value == row["evaluation"]
            referenced += _n(evs[j].reference) == _n(row["next_ref"])
    if total == 0:
        pytest.skip("no review rows in the gold")
    assert matched / total >= 0.95
    assert decided / total >= 0.95
    assert referenced / total >= 0.9
