"""Measures written as numbered items with label lines (項目 + ラベル行), as plain-text plans write them:

    2. 施策                                 ← a chapter on measures
    (1) 住民サービスの向上                  ← policy heading
    ① 施設予約のオンライン化                ← item: a number marker (①, ア, (ア), 1), 【取組1】) or ■/◆
    体育館の予約をオンラインで受け付ける。  ← prose → description
    【担当】総務課、財政課                  ← label lines: 担当/担当課/所管課/担当部署/実施主体 → departments
    【目標】交付率 現状65％（令和5年度）→ 90％（令和8年度）       目標/KPI/指標/成果指標 → KPIs
    【スケジュール】令和6年度 検討、令和7年度 実施                 スケジュール/実施時期/工程 → schedule
    【内容】…                                                     内容/概要/取組内容 → description

Labels are recognised in brackets (【】 ＜＞ 〈〉 《》 [] （）), after a label bullet (■担当 …), before a
colon (担当課：…), set in bold at the start of the line (**担当課** 企画課, <b>担当課</b>　企画課, a bold run in
Word: the reader's bold runs, ``readers/emphasis.py``) or alone on a line with the value on the lines below
(a definition list as text: 担当課 / 　企画課; an HTML ``<dl>`` reaches here as 担当課：企画課). An item becomes a measure only when it has a department, KPI or schedule label — or a
description label inside a chapter on measures; numbered items of a narrative chapter (計画の概要 …)
have no such labels and stay narrative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from keikaku.core.fiscal import find_years
from keikaku.core.plan import Kpi, ScheduleEntry
from keikaku.core.schedule import normalise_phase, strip_arrows
from keikaku.core.text import ends_sentence
from keikaku.ingest.blocks import Block, BlockKind, Location
from keikaku.ingest.extract.common import (
    BRACKET_KEY,
    clean_text,
    clean_title,
    nfkc,
    split_departments,
    trailing_departments,
)
from keikaku.ingest.extract.kpi import bracket_unit, parse_deadline, parse_kpi_text
from keikaku.ingest.extract.outline import Outline, pillars_stated
from keikaku.ingest.extract.prose_kpi import prose_kpis
from keikaku.ingest.extract.vocabulary import (
    FIELD_WORDS,
    MEASURE_HEADING_WORDS,
    NARRATIVE_HEADING_WORDS,
    kind_of,
)
from keikaku.ingest.markers import parse_marker
from keikaku.ingest.readers.emphasis import bold_runs
from keikaku.ingest.tolerances import TOLERANCES as TOL

# the kinds of label line a measure carries (words from the one vocabulary)
LABEL_KINDS = ("department", "kpi", "baseline", "target", "schedule", "description", "pillar")
LABEL_WORDS: dict[str, tuple[str, ...]] = {kind: FIELD_WORDS[kind] for kind in LABEL_KINDS}
_WORDS = sorted(((w, k) for k, ws in LABEL_WORDS.items() for w in ws), key=lambda x: -len(x[0]))
_ALT = "|".join(re.escape(w) for w, _ in _WORDS)
_KIND = {w: k for w, k in _WORDS}
_LABEL = re.compile(
    rf"^(?:[【〔＜<〈《\[［(（]\s*(?P<a>{_ALT})\s*[】〕＞>〉》\]］)）]"
    rf"|[【〔＜<〈《\[［(（]\s*(?P<d>{_ALT})\s*[:：]\s*(?P<inner>[^】〕＞>〉》\]］)）]*)[】〕＞>〉》\]］)）]\s*$"
    rf"|[■□◆◇●○◎▼▽▶►★☆・]\s*(?P<b>{_ALT})(?=[\s　:：0-9０-９]|$)"
    rf"|(?:[^\s:：_＿]{{0,8}}[0-9０-９]{{1,2}}[_＿])?(?P<c>{_ALT})\s*[0-9０-９]{{0,2}}\s*[:：])\s*[:：]?\s*(?P<rest>.*)$",
    re.DOTALL,
)
# a bracket label inside a paragraph (a reader joined a label line to the line before it), or a label
# ending it after a full stop (a definition list's term line joined to the sentence above: …図ります。工程)
_INNER_LABEL = re.compile(
    rf"(?<=.)(?=[【〔＜<〈《\[［]\s*(?:{_ALT})\s*[】〕＞>〉》\]］])|(?<=[。．])(?=(?:{_ALT})\s*(?:[:：]|$))"
)
_MEASURE_CHAPTER = re.compile("|".join(MEASURE_HEADING_WORDS))
_NARRATIVE_CHAPTER = re.compile("|".join(NARRATIVE_HEADING_WORDS))
_PLAN_TITLE = re.compile(r"(?:計画|プラン|戦略|ビジョン)(?:[（(][^）)]*[）)])?$")
_LIGHT_BULLETS = ("・", "-", "*", "+", "‐", "－")
_ITEM_SYMBOLS = "■□◆◇●○◎▶►★☆"
DEFINING = ("department", "kpi", "baseline", "target", "schedule")


def _whole_kpi(text: str) -> bool:
    """'交付率 65％→90％' states a whole KPI (an indicator before its first number); '年間41回（R4）',
    '98%（2026年度）' and '移行完了（2024年度）' are values."""
    s = nfkc(text)
    if "までに" in s or ends_sentence(s, ("。",)):
        return True  # a target sentence ('令和7年度までに全ての部署で…を導入する。')
    m = re.search(r"[0-9]", s)
    if m is None or any(y.start <= m.start() < y.end for y in find_years(s)):
        return False
    pre = re.sub(r"(?:年間|月間|累計|延べ|毎年度?|約|現状値?|現況値?|基準値?)\s*$", "", s[: m.start()])
    return len(pre.strip(" 　:：(（")) >= TOL.kpi_indicator_min_chars


def _bold_label(b: Block, text: str) -> tuple[str, str] | None:
    """A label set in bold at the start of a line, its value after it in normal type: the block's first
    bold run is a field word and the text opens with it (**担当課** 企画課 → department, 企画課)."""
    runs = bold_runs(b.style)
    if not runs:
        return None
    head = clean_text(runs[0])
    word = head.rstrip(":：　 ")
    kind = kind_of(word) if word else None
    if kind not in LABEL_KINDS or not text.startswith(head):
        return None
    rest = text[len(head) :]
    if rest and rest[0] not in " 　:：\n":
        return None  # a bold word opening a sentence ('**目標**を達成するため…') is no label
    rest = rest.strip(" 　:：\n")
    if not rest and b.kind == BlockKind.HEADING:
        return None  # a whole-bold line the reader took for a heading: as a bare label heading, no label
    if kind == "target" and _whole_kpi(rest):
        kind = "kpi"
    return kind, rest


def label_of(b: Block) -> tuple[str, str] | None:
    """(kind, inline content) when a block is a label line: 【担当】総務課, 目標：…, ■KPI …"""
    if b.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.HEADING):
        return None
    text = clean_text(b.text)
    if b.kind == BlockKind.LIST_ITEM and b.marker and not parse_marker(b.marker, alone=True)[0]:
        text = f"{b.marker}{text}"
    elif b.kind == BlockKind.HEADING and b.marker:
        return None
    bold = _bold_label(b, text)
    if bold is not None:
        return bold
    m = _LABEL.match(nfkc(text[:1]) + text[1:] if text[:1] in "（［" else text)
    if not m:
        bare = kind_of(
            text
        )  # a label alone on its line, its items below ('ロードマップ' / '・令和7年度：検討')
        return (bare, "") if bare in LABEL_KINDS and b.kind != BlockKind.HEADING else None
    word = m.group("a") or m.group("b") or m.group("c") or m.group("d")
    rest = (m.group("inner") if m.group("d") else m.group("rest")).strip()
    kind = _KIND[word]
    if kind == "target" and _whole_kpi(rest):
        kind = "kpi"  # 【目標】交付率 65％→90％: a whole KPI statement under a target word
    return kind, rest


def _title_like(b: Block) -> bool:
    """A short line that is no sentence and no label: a measure title written without a marker."""
    if b.kind != BlockKind.PARAGRAPH:
        return False
    s = clean_text(b.text)
    if "\n" in s or "。" in s or s.endswith(("．", "ます", "です", "る")):
        return False
    return TOL.item_title_min_chars <= len(s) <= TOL.item_title_max_chars or (
        len(s) <= TOL.item_title_max_chars_no_comma and "、" not in s
    )


def _is_item(b: Block) -> bool:
    """A block that can open a measure: a heading, or a list item / paragraph with a marker."""
    if b.kind == BlockKind.HEADING:
        return True
    if b.kind == BlockKind.LIST_ITEM:
        return bool(b.marker)
    return _symbol_item(b) is not None or _bracket_key(b) is not None


def _bracket_key(b: Block) -> str | None:
    """The key of a paragraph written as '【1-1】統計情報の公開' (a short line, no sentence)."""
    if (
        b.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING)
        or b.marker
        or len(b.text) > TOL.bracket_key_line_max_chars
        or "。" in b.text
    ):
        return None
    m = BRACKET_KEY.match(b.text)
    return nfkc(re.sub(r"\s+", "", m.group(1))) if m and b.text[m.end() :].strip() else None


def _symbol_item(b: Block) -> str | None:
    """The symbol of a paragraph written as '■ 町の統計データの公開' (a text file has no list markup)."""
    s = b.text.lstrip(" 　")
    if (
        b.kind == BlockKind.PARAGRAPH
        and s[:1] in _ITEM_SYMBOLS
        and len(s) <= TOL.symbol_item_max_chars
        and "。" not in s
    ):
        return s[0]
    return None


_LEADING_NUMBER = re.compile(r"^\s*([0-9０-９][0-9０-９,，.．]*)(?=\s*(?:[（(]|$))")


def _with_unit(value: str, unit: str | None) -> str:
    """A value written as a bare number (with its year in brackets) gets the indicator's unit."""
    return _LEADING_NUMBER.sub(lambda m: m.group(1) + (unit or ""), value, count=1) if unit else value


def kpi_with_values(indicator: str, base: str, target: str) -> str:
    """One KPI text from 指標 / 現状値 / 目標値 label lines; a unit closing the indicator
    ('交付件数（件）') goes onto bare-number values ('300（令和4年度）' → 300件)."""
    indicator, unit = bracket_unit(indicator)
    parts = [indicator]
    if base:
        parts.append(f"現状値 {_with_unit(base, unit)}")
    if target:
        parts.append(f"目標値 {_with_unit(target, unit)}")
    return "　".join(parts)


@dataclass
class LabelledMeasure:
    title_index: int
    end: int = 0
    title: str = ""
    key: str | None = None
    priority: bool = False
    reposted: bool = False
    prose: list[str] = field(default_factory=list)
    titles_inside: int = 0  # short title-like lines between labels (template layout: several measures)
    pending_titles: int = 0  # title-like lines after the last label: count only if a label follows
    labels: list[tuple[str, list[str]]] = field(default_factory=list)
    loc: Location | None = None

    def texts(self, kind: str) -> list[str]:
        return [t for k, ts in self.labels if k == kind for t in ts]

    @property
    def kinds(self) -> set[str]:
        return {k for k, _ in self.labels}

    @property
    def description(self) -> str:
        parts = self.texts("description") or self.prose
        return "\n".join(p for p in parts if p)

    @property
    def departments_text(self) -> str:
        return "、".join(self.texts("department"))

    def kpis(self) -> list[Kpi]:
        out: list[Kpi] = []
        # label lines in order: each 指標 line opens a KPI; 現状値 / 目標値 lines give the open KPI's values
        groups: list[dict[str, list[str]]] = []
        for kind, texts in self.labels:
            if kind == "kpi" or (kind in ("baseline", "target") and not groups):
                groups.append({"kpi": [], "baseline": [], "target": []})
            if kind in ("kpi", "baseline", "target"):
                if kind != "kpi" and groups[-1][kind]:
                    groups.append({"kpi": [], "baseline": [], "target": []})  # a second value: a new KPI
                groups[-1][kind].extend(texts)
        for g in groups:
            kpis: list[Kpi] = []
            for text in g["kpi"]:
                kpis.extend(parse_kpi_text(text, indicator=self.title))
            base, target = " ".join(g["baseline"]), " ".join(g["target"])
            if base or target:
                # 指標 / 現状値 / 目標値 on separate label lines: one KPI
                indicator = kpis.pop().indicator if kpis and not kpis[-1].targets else self.title
                kpis.extend(parse_kpi_text(kpi_with_values(indicator, base, target), indicator=self.title))
            out.extend(kpis)
        if not out:  # no KPI label: a KPI sentence in the prose or description
            out = prose_kpis("\n".join([*self.prose, *self.texts("description")]), fallback=self.title)
        return out

    def schedule(self) -> tuple[list[ScheduleEntry], int | None]:
        entries: list[ScheduleEntry] = []
        deadline: int | None = None
        for text in self.texts("schedule"):
            d = parse_deadline(text)
            if d is not None:
                deadline = d if deadline is None else max(deadline, d)
                continue
            entries.extend(schedule_entries(text))
        if deadline is None and not entries:  # the KPI's target year is the measure's deadline
            for kpi in self.kpis():
                years = [t.fiscal_year for t in kpi.targets if t.fiscal_year]
                if years:
                    deadline = max([deadline or 0, *years])
        return entries, deadline


# '令和9～10年度': the era written once for both ends of a range
_ERA_RANGE = re.compile(
    r"(?P<era>令和|平成|R|H)\s*(?P<a>[0-9]{1,2})(?:年度?)?\s*[～〜~\-－ー―]\s*(?P<b>[0-9]{1,2})年度"
)


def _expand_era_ranges(text: str) -> str:
    """'令和9～10年度' → '令和9年度～令和10年度': the era written at both ends, so every year is found."""
    return _ERA_RANGE.sub(r"\g<era>\g<a>年度～\g<era>\g<b>年度", text)


def schedule_entries(text: str) -> list[ScheduleEntry]:
    """'令和6年度 検討、令和7年度～令和8年度 実施' → 2024 検討, 2025 実施, 2026 実施."""
    s = _expand_era_ranges(nfkc(clean_text(text)))
    years = find_years(s)
    out: dict[int, str] = {}
    pending: list[int] = []  # years waiting for their word: '令和6年度、令和7年度 検討', a range's start
    for n, y in enumerate(years):
        end = years[n + 1].start if n + 1 < len(years) else len(s)
        between = s[y.end : end]
        if n + 1 < len(years) and re.match(r"^\s*(?:[～〜~\-－ー―]|から)\s*$", between):
            pending.extend(range(y.fiscal_year, years[n + 1].fiscal_year))
            continue
        word = strip_arrows(re.sub(r"^[\s:：、,。]+|[\s、,。]+$", "", between)).strip(" 　:：、,。")
        word = re.sub(r"^(?:[～〜~]\s*[:：]?|から|より|以降)\s*", "", word)
        pending.append(y.fiscal_year)
        if not word:
            continue
        for fy in pending:
            out.setdefault(fy, word)
        pending = []
    return [
        ScheduleEntry(fiscal_year=fy, written=w, phase=normalise_phase(w)) for fy, w in sorted(out.items())
    ]


_CHAIN_ARROW = re.compile(r"[→⇒＞>]|━|―>")


def chain_schedule(text: str) -> list[ScheduleEntry]:
    """A schedule written as a chain on one line of prose: '令和8年度 検討 → 令和9～10年度 実施'.
    Only a line naming two or more years joined by arrows counts."""
    for line in nfkc(text).split("\n"):
        line = _expand_era_ranges(line)
        if len(_CHAIN_ARROW.findall(line)) >= 1 and len(find_years(line)) >= 2:
            parts = _CHAIN_ARROW.split(line)
            if sum(1 for p in parts if find_years(p)) >= 2:
                entries = schedule_entries("、".join(p.strip() for p in parts))
                if entries:
                    return entries
    return []


_DEPT_NAME = re.compile(r"(?:課|室|局|部|係|班|センター|事務局|委員会|本部|館|所|署|園)$")


def _label_value(kind: str | None, text: str) -> bool:
    """A short line under a label that is that label's value, not a measure title: a year line under a
    schedule label ('令和7～8年度：準備'), department names under a department label, a pillar's name."""
    if kind == "schedule":
        s = nfkc(text).lstrip("・ ")
        return bool(re.match(r"^(?:令和|平成|R|H|[0-9]{4}|[0-9]{1,2}年|[→⇒●○◎■━\-～〜~])", s))
    if kind == "department":
        names = split_departments(text)
        return bool(names) and all(_DEPT_NAME.search(n) for n in names)
    if kind == "pillar":
        return pillars_stated(text) is not None
    if kind in ("kpi", "baseline", "target"):  # '受講率 61%（令和2年度）→ 100%（令和5年度）'
        return bool(re.search(r"[0-9０-９%％→⇒]", text))
    if kind == "description":
        return ends_sentence(text, ("。", "ます", "る")) or len(text) > TOL.description_long_chars
    return False


def _prose_after(kind: str, b: Block, text: str) -> bool:
    """A full sentence that follows a department / schedule / pillar label's items belongs to the prose
    (a KPI sentence after the 〔ロードマップ〕 lines), not to that label."""
    return (
        kind in ("department", "schedule", "pillar")
        and b.kind == BlockKind.PARAGRAPH
        and ends_sentence(text, ("。",))
        and len(text) > TOL.prose_after_min_chars
    )


def chapter_context(outline: Outline, i: int) -> tuple[bool, bool]:
    """(inside a chapter on measures, inside a narrative chapter) for block i."""
    titles = [outline.nodes[n].title for n in outline.chain(outline.context[i])]
    measures = any(_MEASURE_CHAPTER.search(t) for t in titles[:-1] or titles)
    # the document's own title (…計画（概要版）) is no chapter: the first heading that names no plan is
    chapters = [t for t in titles if not _PLAN_TITLE.search(t)]
    narrative = bool(chapters) and bool(_NARRATIVE_CHAPTER.search(chapters[0])) and not measures
    return measures, narrative


def find_labelled_measures(blocks: list[Block], taken: set[int], outline: Outline) -> list[LabelledMeasure]:
    cands: list[LabelledMeasure] = []
    cur: LabelledMeasure | None = None
    owner_marker: str | None = None
    current: list[str] | None = None  # content of the label being read

    def close(end: int) -> None:
        nonlocal cur
        if cur is not None:
            cur.end = end
            if cur.pending_titles >= 2:  # a run of short lines after the labels: another layout's items
                cur.titles_inside += cur.pending_titles
            cands.append(cur)
        cur = None

    for i, b in enumerate(blocks):
        if i in taken:
            if (
                b.kind == BlockKind.TABLE
                and cur is not None
                and cur.labels
                and cur.labels[-1][0] == "schedule"
            ):
                if current is not None and not current:
                    current = None  # the label's value was this grid: what follows is prose again
                continue  # the schedule label's grid (read by another recogniser): the measure goes on
            close(i)
            continue
        if b.kind in (BlockKind.FOOTNOTE, BlockKind.TABLE):
            if b.kind == BlockKind.TABLE and current is not None and not current:
                current = None  # the label's value was this table (目標項目 over its 指標 | 現状値 | 目標値)
            continue
        lab = label_of(b)
        pieces = _INNER_LABEL.split(b.text) if b.kind == BlockKind.PARAGRAPH else [b.text]
        if lab is None and len(pieces) > 1 and cur is not None:
            # prose with label lines run into it: the prose, then each label
            if current is None:
                cur.prose.append(clean_text(pieces[0]))
            else:
                current.append(clean_text(pieces[0]))
            lab = label_of(Block(BlockKind.PARAGRAPH, "".join(pieces[1:]), b.loc))
            pieces = pieces[1:]
        if lab is not None:
            if cur is not None:
                cur.titles_inside += cur.pending_titles
                cur.pending_titles = 0
                for n, piece in enumerate(pieces):
                    pl = lab if n == 0 else label_of(Block(BlockKind.PARAGRAPH, piece, b.loc))
                    if pl is None:
                        continue
                    if n == 0 and len(pieces) > 1:
                        pl = label_of(Block(BlockKind.PARAGRAPH, piece, b.loc)) or pl
                    current = [pl[1]] if pl[1] else []
                    cur.labels.append((pl[0], current))
            continue
        opens = _is_item(b)
        symbol = _symbol_item(b) if b.kind == BlockKind.PARAGRAPH else b.marker
        if opens and b.kind != BlockKind.HEADING and cur is not None:
            numbered = parse_marker(symbol or "", alone=True)[0] is not None
            opens = numbered or symbol == owner_marker or (current is None and symbol not in _LIGHT_BULLETS)
        # an item naming its department in closing brackets: "電子申請の拡充（デジタル推進課）"
        trail = (
            trailing_departments(b.text)
            if len(b.text) <= TOL.trailing_department_max_chars and b.kind != BlockKind.FOOTNOTE
            else None
        )
        if opens or trail is not None:
            close(i)
            title, priority, reposted = clean_title(trail[0] if trail else b.text)
            marker = parse_marker(b.marker or "", alone=True)[0] if b.marker else None
            cur = LabelledMeasure(
                i,
                title=title,
                key=marker.key if marker else _bracket_key(b),
                priority=priority,
                reposted=reposted,
            )
            if trail is not None:
                cur.labels.append(("department", ["、".join(trail[1])]))
            owner_marker = symbol
            current = None
            continue
        if cur is None:
            continue
        text = clean_text(b.text)
        kind_now = cur.labels[-1][0] if current is not None and cur.labels else None
        # the line under a label standing alone is its value (a definition list written as text: 指標 /
        # 　オンライン申請件数), even when it reads like a title
        first_value = current == [] and kind_now is not None
        if (
            _title_like(b)
            and (current is not None or not cur.prose)
            and not first_value
            and not _label_value(kind_now, text)
        ):
            cur.pending_titles += 1
            if kind_now in ("department", "schedule", "pillar"):
                continue  # not this label's value ('用語解説' after 所管課：企画課): no part of the measure
        if current is None or (current and _prose_after(cur.labels[-1][0], b, text)):
            cur.prose.append(text)  # a sentence after a list label's items is the measure's prose again
        else:
            current.append(text)
    close(len(blocks))
    out: list[LabelledMeasure] = []
    for c in cands:
        if not c.labels or not c.title or c.titles_inside or kind_of(c.title):
            continue  # a heading that is a field's label (スケジュール, 指標) names no measure  # titles between the labels: template measures (template.py) under one heading
        in_measures, narrative = chapter_context(outline, c.title_index)
        if narrative:
            continue
        if not (c.kinds & set(DEFINING)) and not ("description" in c.kinds and in_measures):
            continue
        head = blocks[c.title_index]
        c.loc = Location(head.loc.line_start, blocks[c.end - 1].loc.line_end, head.loc.page)
        out.append(c)
    return out
