"""The one vocabulary of plan documents: for each kind of field, every word real plans label it with.

Every recogniser (label lines, box labels, property tables, row-table headers, prose, the guide's boxes,
the previous-plan review) reads its words from here; none keeps a list of its own. To teach the importer a new spelling, add it to the kind it
names — that is all (see docs/import.md, 「語彙」).

Kinds (``FIELD_WORDS``):

==============  =====================================================================================
key             the measure's number as written (No. / 番号 / 施策番号)
title           the measure's name (施策名 / 取組名 / 事業名)
description     what the measure does (内容 / 概要 / 取組内容 / めざす姿 …)
example         examples under a measure (事業例 / 主な取組)
department      who is responsible (担当課 / 所管部署 / 実施主体 / 推進主体 …)
kpi             an indicator (KPI / 成果指標 / 評価指標 / 指標名 / 数値目標 …)
baseline        the indicator's starting value (現状値 / 基準値 / 実績値 …)
target          the indicator's target value (目標値 / 到達目標 …)
schedule        the yearly schedule (スケジュール / 工程表 / 年次計画 / ロードマップ …)
pillar          the law's basic measure a measure serves (柱 / 基本法の条項 / 関連条項 …)
area            the national plan's 重点分野
background      the current situation (現状と課題 / 背景)
date            a date column (年月 / 日付): the table is a chronology, not measures
term            a term column (用語): the table is a glossary, not measures
==============  =====================================================================================

Words are compared after NFKC and without spaces (``squash``). A word ending in ``*`` matches as a
prefix (``担当*`` is 担当課, 担当部署, 担当係 …). Unknown words are never errors: a recogniser that
meets a label it does not know keeps its text as description.
"""

from __future__ import annotations

import re
from functools import lru_cache

from keikaku.core.chapters import NARRATIVE_KINDS
from keikaku.core.chapters import words as chapter_words
from keikaku.core.text import nfkc, squash

FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "key": ("No", "No.", "NO", "NO.", "番号", "項番", "施策番号", "取組番号", "整理番号", "通番", "ID", "#"),
    "title": (
        "施策",
        "施策名",
        "個別施策",
        "施策項目",
        "取組名",
        "取組み名",
        "取り組み名",
        "取組項目",
        "取組事項",
        "事業",
        "事業名",
        "アクション",
        "アクション名",
        "名称",
        "項目",
        "項目名",
    ),
    "description": (
        "内容",
        "概要",
        "説明",
        "目的",
        "取組内容",
        "取組の内容",
        "取組概要",
        "取組の概要",
        "取組",
        "取組み",
        "事業内容",
        "事業概要",
        "施策の概要",
        "施策内容",
        "施策の内容",
        "具体的な内容",
        "めざす姿",
        "目指す姿",
        "目指すべき姿",
    ),
    "example": ("事業例", "具体例", "取組例", "主な事業", "主な取組", "具体的な取組", "主な取組内容"),
    "department": (
        "担当",
        "担当課",
        "担当部署",
        "担当部局",
        "担当部課",
        "担当課室",
        "担当課等",
        "担当部",
        "担当係",
        "担当所属",
        "所管",
        "所管課",
        "所管部署",
        "所管部局",
        "主管課",
        "主管部署",
        "主担当",
        "主担当課",
        "実施主体",
        "推進主体",
        "実施機関",
        "実施部署",
        "関係課",
        "関係部署",
        "関係課等",
        "作成課",
        "所属",
        "所属名",
        "課名",
        "部署",
        "部署名",
        "担当部署名",
    ),
    "kpi": (
        "KPI",
        "成果指標",
        "評価指標",
        "活動指標",
        "目標指標",
        "重要業績評価指標",
        "指標",
        "指標名",
        "数値目標",
        "目標項目",
        "成果目標",
        "KPIの例",
    ),
    "baseline": (
        "現状値",
        "現況値",
        "基準値",
        "実績値",
        "現状",
        "現況",
        "策定時",
        "策定時の値",
        "当初値",
        "現状値等",
        "基準値等",
    ),
    "target": ("目標値", "目標", "到達目標", "目標値等", "目標年度の値", "目標水準"),
    "target_year": ("目標年度", "目標年次", "目標時期", "達成年度", "達成時期"),
    "schedule": (
        "スケジュール",
        "取組スケジュール",
        "実施スケジュール",
        "工程",
        "工程表",
        "年次計画",
        "年度別計画",
        "年度計画",
        "実施予定",
        "実施時期",
        "実施年度",
        "実施期間",
        "取組期間",
        "ロードマップ",
        "目標時期",
    ),
    "pillar": (
        "柱",
        "施策の柱",
        "関連する施策の柱",
        "関連する柱",
        "対応する柱",
        "該当する柱",
        "基本法の柱",
        "関連条文",
        "根拠法令",
        "基本的施策",
        "基本法の施策",
        "基本法",
        "基本法の条項",
        "関連条項",
        "根拠条文",
        "官民データ",
        "官民データ活用推進基本法",
        "分類",
    ),
    "area": ("重点分野",),
    # the 現状と課題 of a card: the situation chapter's words that name no other field (現状 is a baseline)
    "background": (),
    # a column of dates makes a chronology (沿革), not a list of measures
    "date": ("年月", "年月日", "日付", "月日", "年", "沿革"),
    # a column of terms makes a glossary (用語集), not a list of measures
    "term": ("用語", "語句", "用語名", "単語", "略語"),
}
_OTHER_FIELDS = {squash(w) for k, ws in FIELD_WORDS.items() for w in ws}
FIELD_WORDS["background"] = tuple(w for w in chapter_words("situation") if squash(w) not in _OTHER_FIELDS)
# column kinds that make a table something other than measures
NOT_MEASURE_COLUMNS = ("date", "term")

# the columns of a review of the previous plan (前計画の評価: 項目 | 現状 | 方向性)
REVIEW_WORDS: dict[str, tuple[str, ...]] = {
    "status": ("現状", "現況", "進捗状況", "進捗", "実施状況", "取組状況", "取組実績", "実績", "成果"),
    "direction": (
        "方向性",
        "今後の方針",
        "今後の方向",
        "対応方針",
        "評価",
        "判定",
        "今後の取組",
        "今後の対応",
    ),
    "item": ("項目", "取組内容", "施策内容", "事業名", "取組", "施策", "事業", "内容"),
}

# a heading that names a list of measures (施策の一覧 / 重点取組 / アクションプラン …) and a heading of a
# narrative chapter (計画の概要 / 計画の期間 / 推進体制 …): the chapter words of core/chapters.py
MEASURE_HEADING_WORDS: tuple[str, ...] = chapter_words("measures", broad=True)
NARRATIVE_HEADING_WORDS: tuple[str, ...] = chapter_words(*NARRATIVE_KINDS)
# flags written in brackets after or before a title
PRIORITY_WORDS: tuple[str, ...] = ("重点取組", "重点取り組み", "重点施策", "重点事業", "重点項目", "重点")
PRIORITY_MARKS = "★◎"
REPOSTED_WORDS: tuple[str, ...] = ("再掲",)

# department name endings: a word ending so is an organisational unit
DEPARTMENT_ENDINGS: tuple[str, ...] = (
    "課",
    "室",
    "局",
    "部",
    "所",
    "館",
    "センター",
    "係",
    "班",
    "本部",
    "委員会",
    "事務局",
    "園",
    "署",
    "庁",
    "グループ",
    "チーム",
    "担当",
    "機構",
    "公社",
    "協議会",
    "団",
    "会",
)


def _squash(text: str) -> str:
    return squash(text).lower()


def words(*kinds: str) -> tuple[str, ...]:
    """All words of the given kinds, longest first (so that a regex alternation tries 担当課 before 担当)."""
    out = {w for k in kinds for w in FIELD_WORDS[k]}
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


def alternation(*kinds: str) -> str:
    """A regex alternation of the kinds' words (NFKC forms and as written), longest first."""
    ws = set(words(*kinds))
    ws |= {nfkc(w) for w in ws}
    return "|".join(re.escape(w) for w in sorted(ws, key=lambda w: (-len(w), w)))


_LOOKUP: dict[str, str] = {}
for _kind, _ws in FIELD_WORDS.items():
    for _w in _ws:
        _LOOKUP.setdefault(_squash(_w), _kind)


@lru_cache(maxsize=8192)
def kind_of(label: str) -> str | None:
    """The kind a whole label names (``"担当部署" → "department"``), exact after NFKC; else None."""
    return _LOOKUP.get(_squash(label).rstrip(":："))


def is_word(label: str, kind: str) -> bool:
    return kind_of(label) == kind
