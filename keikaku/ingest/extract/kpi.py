"""KPI text as plans write it (成果指標・数値目標) → :class:`keikaku.core.plan.Kpi`.

Shapes handled (and combinations of them):

- an indicator alone, with or without a label: "<KPI> 電子申請可能な手続数", "【KPI】…", "指標：…";
- a deadline sentence: "令和2年度までに〇〇の申請件数40件を達成" → indicator "〇〇の申請件数",
  target 40件 in FY2020; "平成32年度末までに100％" (no indicator: the sentence is kept as indicator);
- labelled baseline and target: "現況 13件 (2021) → 目標 充実 (2025)", "現状値：40%（令和3年度）
  目標値：100%（令和7年度）";
- several KPIs in one box: one per line, "・" bullets (a "・" inside a word such as 参加者数・登録者数 is
  not a bullet), HTML list markup; "、" separates KPIs only when ``split_commas`` is asked for, because
  plans write one indicator as "手続数、サービス数".

Values are NFKC-normalised with spaces removed ("40 件" → "40件", "100％" → "100%"); a qualitative
target ("充実", "実施") is kept as its word. Years are fiscal years (see :mod:`keikaku.core.fiscal`).
"""

from __future__ import annotations

import re

from keikaku.core.fiscal import find_years
from keikaku.core.plan import Direction, Kpi, Value
from keikaku.core.text import nfkc, one_line
from keikaku.ingest.extract.common import one_year_form
from keikaku.ingest.tolerances import TOLERANCES as TOL

# units plans count in; longest first when matched
UNITS: tuple[str, ...] = (
    "%",
    "件",
    "人",
    "名",
    "回",
    "箇所",
    "か所",
    "ヶ所",
    "カ所",
    "ケ所",
    "団体",
    "業務",
    "手続",
    "種類",
    "種",
    "例",
    "台",
    "校",
    "施設",
    "世帯",
    "社",
    "事業者",
    "事業",
    "分野",
    "分",
    "時間",
    "日",
    "秒",
    "万円",
    "千円",
    "億円",
    "円",
    "割",
    "倍",
    "ポイント",
    "pt",
    "項目",
    "システム",
    "言語",
    "ページ",
    "データセット",
    "セット",
    "アクセス",
    "店舗",
    "地区",
    "か国",
    "者",
    "組",
    "本",
    "枚",
    "点",
    "機",
    "課",
    "局",
    "万人",
    "万件",
    "千人",
    "千件",
    "冊",
    "路線",
    "講座",
    "教室",
    "棟",
    "基",
    "部",
    "経営体",
    "サービス",
    "アプリ",
    "事業所",
    "自治会",
    "地域",
    "プロジェクト",
    "コンテンツ",
    "チーム",
    "拠点",
    "台数",
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_QUALIFIER = r"(?:以上|以下|未満|超|程度|前後)"
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_QTY_RE = re.compile(
    rf"(?<![0-9A-Za-z.,])(?P<pre>約|概ね|おおむね)?(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT_ALT})?\s*(?P<q>{_QUALIFIER})?"
)
# words after a deadline year that make it a deadline
_DEADLINE_AFTER = re.compile(r"^\s*(?:まで|末|内|中|の末|を目途|目途|を目標|目標|に完了|に達成|を期限)")

_LABEL_RE = re.compile(
    r"^\s*[<＜〈《【〔\[(（]?\s*(?:KPI|ＫＰＩ|成果指標|評価指標|数値目標|目標指標|指標|重要業績評価指標)"
    r"[\s⁰¹²³⁴⁵⁶⁷⁸⁹0-9*※]*(?:の例)?\s*[>＞〉》】〕\])）]?\s*[:：]?\s*"
)
_BASELINE_LABEL = r"(?:現況値?|現状値?|基準値|基準|実績値?|策定時|当初値?)"
_TARGET_LABEL = r"(?:目標値?|目標水準)"
_SEGMENT_RE = re.compile(rf"(?P<label>{_BASELINE_LABEL}|{_TARGET_LABEL})\s*[:：]?")
_HTML_BREAK = re.compile(r"<\s*(?:br|/?li|/?p|/?ul|/?ol|/?div|/?tr)\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?\s*(?:span|td|th|b|strong|em|i|u|sup|sub|font|a)\b[^>]*>", re.I)
# a bullet opening an item; a dash standing for "no value" before an arrow ('割合 － → 60%') is none
_BULLET_RE = re.compile(r"(?:^|(?<=\s))(?:[・●○◎■□◆◇▪▫•‣]|[\-－](?!\s*[→⇒]))(?=\s*\S)")
_LINE_MARKER = re.compile(r"^\s*(?:[①-⑳㉑-㉟]|[\(（]\d{1,2}[\)）]|\d{1,2}[.．)）](?!\d)|[ア-ン][\)）])\s*")
_FOOTNOTE_RE = re.compile(r"\^\{[^}]*\}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|※\s*\d+|\*\s*\d*$|[*＊]+(?=\s|$)")
_TRAILING_PARTICLES = re.compile(r"[\s、,。を（(の:：は が]+$")

_DECREASE = ("削減", "減少", "短縮", "抑制", "縮減", "低減", "減らす", "ゼロ", "以下", "未満", "解消")
_KEEP = ("維持", "堅持", "保持", "現状維持")
_INCREASE = ("増加", "向上", "拡大", "拡充", "増やす", "以上", "普及", "促進", "創出")
_NEGATIVE_NOUNS = (
    "インシデント",
    "事故",
    "被害",
    "苦情",
    "待ち時間",
    "滞在時間",
    "処理時間",
    "所要時間",
    "コスト",
    "経費",
    "費用",
    "誤り",
    "エラー",
    "紙",
    "残業",
)
_COUNT_ENDINGS = ("数", "率", "件数", "人数", "回数", "割合", "者数", "量")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def split_value_unit(text: str) -> tuple[str, str | None]:
    """'40件' → ('40', '件'); '11.7 %' → ('11.7', '%'); '2業務以上' → ('2', '業務'); '充実' → ('充実', None).

    The number keeps its thousands commas; qualifiers (約, 以上 …) are dropped. Text without a number is
    returned whole (stripped) with no unit.
    """
    s = nfkc(text).strip()
    qs = _quantities(s) or [m for m in _QTY_RE.finditer(s) if not find_years(s)]
    if not qs:
        return s, None
    m = _pick_quantity(s, qs)
    return m.group("num"), m.group("unit")


def _quantities(s: str) -> list[re.Match[str]]:
    """Quantities in NFKC text, year mentions excluded; a bare number counts only when it is the text."""
    years = [(y.start, y.end) for y in find_years(s)]
    out = []
    for m in _QTY_RE.finditer(s):
        if any(a <= m.start("num") < b for a, b in years):
            continue
        if not m.group("unit"):
            rest = s[m.end() :]
            if not (
                s.strip() == m.group(0).strip() or re.match(r"\s*(?:を達成|を目指|に|まで|とする)", rest)
            ):
                continue
            # a bare number glued to letters is a name (5G, Society 5.0), not a quantity
            if re.match(r"[A-Za-z]", rest) or re.search(r"[A-Za-z]\s*$", s[: m.start()]):
                continue
        out.append(m)
    return out


def _value_text(m: re.Match[str]) -> str:
    return _squash(m.group(0))


def parse_deadline(text: str) -> int | None:
    """The deadline fiscal year a sentence states: '令和3年度までに…' → 2021, '平成32年度末' → 2020,
    '2025年度を目標時期として' → 2025, '平成30(2018)年度内に' → 2018. The latest when several; None when the
    sentence names years but none as a deadline ('平成29年度から実施')."""
    s = nfkc(text)
    best: int | None = None
    for y in find_years(s):
        if y.end_of or _DEADLINE_AFTER.match(s[y.end :]):
            best = y.fiscal_year if best is None else max(best, y.fiscal_year)
    return best


def parse_target(text: str, *, default_year: int | None = None) -> Value | None:
    """The target a text states, as a :class:`Value`.

    A deadline sentence gives its quantity and deadline year ('令和2年度までに…40件を達成' →
    Value('40件', 2020)); a table cell gives its content ('100％' → '100%', '充実' → '充実',
    '13件 (2021)' → Value('13件', 2021)). A sentence with a deadline but no quantity gives the deadline with
    the sentence's statement as value ('令和元年度までに通知の電子化を実現' → Value('通知の電子化を実現',
    2019)); a bare year gives Value('', year).
    '-', '―', '' → None.
    """
    s = nfkc(text).strip()
    if not s or re.fullmatch(r"[-‐―—−~〜()（）\s]*", s):
        return None
    deadline = parse_deadline(s)
    years = find_years(s)
    qs = _quantities(s)
    if qs:
        m = _pick_quantity(s, qs)
        fy = deadline or (years[-1].fiscal_year if years else default_year)
        rate = _RATE_BEFORE.search(s[: m.start()])  # '年間12,917件': the rate word belongs to the value
        return Value(value=(rate.group(1) if rate else "") + _value_text(m), fiscal_year=fy)
    rest = qualitative_target(one_line(_strip_years(s)).strip(" 、,。.()（）:：→⇒"))
    fy = deadline or (years[-1].fiscal_year if years else default_year)
    if not rest:
        return Value(value="", fiscal_year=fy) if fy is not None else None
    return Value(value=rest, fiscal_year=fy)


_RATE_BEFORE = re.compile(r"(年間|月間|累計|延べ|毎年度?)\s*$")
_VERB_END = re.compile(r"(?:を達成|を目指す|を図る)?(?:する|させる|します|させます|される|できる)?[。.]*$")
_REACH = re.compile(
    r"(?:^|[をのはが、])(?P<goal>[^をのはが、]{1,15}?)(?:へ|に)(?:準拠|到達|達成|移行|対応|引き上げ|引上げ)$"
)
_LAST_PHRASE = re.compile(r"[をのにへはが、](?P<word>[^をのにへはが、\s]{1,12})$")


def qualitative_target(statement: str) -> str:
    """The word a target without a number states: '…をJIS X 8341-3のレベルAAへ準拠させる' → 'レベルAA',
    '全校に無線LANを導入する' → '導入', '通知の電子化を実現' → '実現'; a bare word ('充実') as it is."""
    s = _VERB_END.sub("", statement.strip()).strip()
    if not s:
        return statement.strip()
    m = _REACH.search(s)
    if m:
        return m.group("goal").strip()
    m = _LAST_PHRASE.search(s)
    if m:
        return m.group("word")
    return s if len(s) <= TOL.kpi_goal_max_chars else statement.strip()


def _pick_quantity(s: str, qs: list[re.Match[str]]) -> re.Match[str]:
    """The quantity that is the goal: one right before を達成/とする/に…, else the last outside brackets."""
    for m in qs:
        if re.match(r"\s*(?:を|に|へ|まで|と)", s[m.end() :]) and not _in_brackets(s, m.start()):
            return m
    outside = [m for m in qs if not _in_brackets(s, m.start())]
    return (outside or qs)[-1]


def _in_brackets(s: str, pos: int) -> bool:
    depth = 0
    for c in s[:pos]:
        if c in "(（":
            depth += 1
        elif c in ")）" and depth:
            depth -= 1
    return depth > 0


_AFTER_YEAR = re.compile(
    r"\s*(?:の)?(?:末|内|中)?(?:まで)?(?:に|には|では|で)?(?:を目途に?|を目標時期として|を目標として|を目標に|目途に?)?[、,\s]*"
)


def _strip_years(s: str) -> str:
    """Remove the year mentions that frame a value, keep the others (JIS X 8341-3:2016 stays).

    Removed: a deadline with its particle ('令和2年度までに', '平成30(2018)年度内に'), a year opening the
    text ('令和7年度に…'), and a year alone in brackets ('13件 (2021)', '充実（令和7年度）').
    """
    cuts: list[tuple[int, int]] = []
    for y in find_years(s):
        before, after = s[: y.start], s[y.end :]
        if y.end_of or _DEADLINE_AFTER.match(after) or not before.strip():
            m = _AFTER_YEAR.match(after)
            cuts.append((y.start, y.end + (m.end() if m else 0)))
            continue
        b = re.search(r"[\(（]\s*$", before)
        a = re.match(r"\s*[\)）]", after)
        if b and a:
            cuts.append((b.start(), y.end + a.end()))
    out, last = [], 0
    for cut_from, cut_to in sorted(cuts):
        if cut_from < last:
            continue
        out.append(s[last:cut_from])
        last = cut_to
    out.append(s[last:])
    return "".join(out).strip()


def clean_indicator(text: str) -> str:
    """An indicator as it should be stored: label, list marker, footnote markers and HTML removed."""
    s = _HTML_TAG.sub("", _HTML_BREAK.sub(" ", text or ""))
    s = _LABEL_RE.sub("", s)
    s = _BULLET_RE.sub("", s, count=1) if _BULLET_RE.match(s.strip()) else s
    s = _LINE_MARKER.sub("", s.strip())
    s = re.sub(r"^\d{1,2}\s*[-－ー―]\s*[①-⑳0-9]+\s*", "", s)  # '1-② …' item keys of target tables
    s = _FOOTNOTE_RE.sub("", s)
    s = one_line(s).strip(" 　・、,。:：")
    return s


def infer_direction(
    indicator: str = "", target: Value | str | None = None, baseline: Value | str | None = None
) -> Direction | None:
    """increase / decrease / keep / qualitative, from words first, then from the numbers.

    Words in the target or indicator win (削減・短縮 → decrease, 維持 → keep, 向上・以上 → increase);
    then numeric baseline vs target; a target without a number (実施, 導入完了, 充実) is qualitative; an
    indicator that counts something (…数, …率) defaults to increase unless it counts something bad
    (インシデント, 待ち時間 …). None when nothing says.
    """
    tv = target.value if isinstance(target, Value) else (target or "")
    bv = baseline.value if isinstance(baseline, Value) else (baseline or "")
    words = nfkc(f"{indicator} {tv}")
    if any(w in words for w in _KEEP):
        return Direction.KEEP
    if any(w in words for w in _DECREASE):
        return Direction.DECREASE
    tn, bn = _number(tv), _number(bv)
    if tn is not None and bn is not None:
        if tn > bn:
            return Direction.INCREASE
        if tn < bn:
            return Direction.DECREASE
        return Direction.KEEP
    if tv and tn is None:
        return Direction.QUALITATIVE
    if any(w in words for w in _INCREASE):
        return Direction.INCREASE
    ind = nfkc(indicator).strip()
    if any(n in ind for n in _NEGATIVE_NOUNS):
        return Direction.DECREASE if tn is not None or ind.endswith(_COUNT_ENDINGS) else None
    if tn is not None or ind.endswith(_COUNT_ENDINGS):
        return Direction.INCREASE
    return None


def _number(text: str) -> float | None:
    m = re.search(_NUMBER, nfkc(text or ""))
    return float(m.group(0).replace(",", "")) if m else None


def _unit_of(*values: Value | None) -> str | None:
    for v in values:
        if v is not None and v.value:
            unit = split_value_unit(v.value)[1]
            if unit:
                return unit
    return None


def split_kpi_items(text: str, *, split_commas: bool = False) -> list[str]:
    """One string per KPI in a box: lines, '・' bullets (not 参加者数・登録者数), HTML list items."""
    s = _HTML_TAG.sub("", _HTML_BREAK.sub("\n", text or ""))
    items: list[str] = []
    for line in s.splitlines():
        line = _LABEL_RE.sub("", line).strip()
        if not line:
            continue
        parts = _BULLET_RE.split(line)
        for p in parts:
            p = p.strip()
            if not p:
                continue
            if split_commas and not _SEGMENT_RE.search(p):
                items.extend(x.strip() for x in re.split(r"[、,，]", p) if x.strip())
            else:
                items.append(p)
    return items


def parse_kpi_text(
    text: str,
    *,
    default_year: int | None = None,
    split_commas: bool = False,
    indicator: str | None = None,
) -> list[Kpi]:
    """Every KPI in a block of KPI text (a <KPI> box, a table cell, a schedule sentence).

    ``default_year`` is the fiscal year given to a target that names none (e.g. the plan's last year).
    ``indicator`` names the KPI of an item that states only values ('平成32年度末までに100％',
    '現況 13件 → 目標 40件'), e.g. the row's 項目; without it such an item keeps its whole text as
    indicator.
    """
    out: list[Kpi] = []
    for item in split_kpi_items(one_year_form(text), split_commas=split_commas):
        kpi = _parse_item(item, default_year, clean_indicator(indicator) if indicator else None)
        if kpi is not None:
            out.append(kpi)
    return out


_RATE_WORD = re.compile(r"[\s　]+(年間|月間|毎年度?|毎月|累計|延べ)$")


def _parse_item(item: str, default_year: int | None, fallback: str | None) -> Kpi | None:
    s = _arrow_labels(nfkc(item).strip())
    labels = list(_SEGMENT_RE.finditer(s))
    if labels:
        return _parse_labelled(s, labels, default_year, fallback)
    deadline = parse_deadline(s)
    qs = _quantities(s)
    if deadline is None and not qs:
        ind = clean_indicator(s)
        return Kpi(indicator=ind, direction=infer_direction(ind)) if ind else None
    target = parse_target(s, default_year=default_year)
    body = _strip_years(s)
    body_qs = _quantities(body)
    if body_qs:
        # the indicator is what precedes the goal quantity ('…件数40件を達成', '…件数を40件に')
        m = _pick_quantity(body, body_qs)
        indicator = clean_indicator(_TRAILING_PARTICLES.sub("", body[: m.start()]))
        if target is not None and indicator in ("年間", "月間", "累計", "延べ", "毎年", "毎年度"):
            # nothing but the rate word before the value: it names the KPI ('累計 500人' → 累計, 500人)
            target = target.model_copy(update={"value": target.value.removeprefix(indicator)})
        rate = _RATE_WORD.search(indicator)
        if rate and rate.start() > 0 and target is not None and target.value:
            # '…の枚数 年間8,000枚': the rate word belongs to the value, not the indicator
            indicator = indicator[: rate.start()].rstrip()
            if not target.value.startswith(rate.group(1)):
                target = target.model_copy(update={"value": rate.group(1) + target.value})
        after = body[m.end() :]
        if after.startswith("の") and len(_VERB_END.sub("", after)) > 2:
            # the quantity qualifies what follows: '対象施設10施設のオンライン予約を開始' → '対象施設の…を開始'
            head = indicator or (m.group("unit") or "")
            indicator = clean_indicator(head + _VERB_END.sub("", after))
    else:
        indicator = clean_indicator(_VERB_END.sub("", body))
    if not indicator:
        indicator = fallback or clean_indicator(s)
    if not indicator:
        return None
    targets = [target] if target is not None else []
    return Kpi(
        indicator=indicator,
        unit=_unit_of(target),
        targets=targets,
        direction=infer_direction(indicator, target),
    )


def _arrow_labels(s: str) -> str:
    """'整備箇所数 3か所（令和5年度）→10か所（令和7年度）' → '整備箇所数 現状値 3か所（…）目標値 10か所（…）':
    a quantity on each side of an arrow, no 現状 / 目標 words, is a baseline and its target."""
    if _SEGMENT_RE.search(s):
        return s
    parts = re.split(r"\s*[→⇒]\s*", s)
    if len(parts) != 2:
        return s
    left, right = parts
    dash = re.match(r"^(?P<ind>.*?\S)\s*[-‐―—−ー－]\s*$", left)
    if dash and _quantities(right) and not _quantities(left):
        return f"{dash.group('ind')} 目標値 {right}"  # '予約の割合 － → 60%（R8年度）': no baseline yet
    state = re.match(r"^(?P<ind>.*\S)\s+(?P<base>[^\s0-9]{1,12}[（(][^）)]*年[^）)]*[）)])$", left)
    if state and not _quantities(right) and find_years(right):
        # '移行状況 未移行（2021年度）→ 移行完了（2026年度）': a state on each side of the arrow
        return f"{state.group('ind')} 現状値 {state.group('base')} 目標値 {right}"
    lq = [q for q in _quantities(left) if not _in_brackets(left, q.start())]
    if not lq or not _quantities(right):
        return s
    q = lq[-1]
    if not left[: q.start()].strip():
        return s  # no indicator before the baseline
    return f"{left[: q.start()].rstrip()} 現状値 {left[q.start() :]} 目標値 {right}"


def _parse_labelled(
    s: str, labels: list[re.Match[str]], default_year: int | None, fallback: str | None
) -> Kpi | None:
    indicator = clean_indicator(s[: labels[0].start()].strip(" 　:：|/／"))
    baseline: Value | None = None
    targets: list[Value] = []
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(s)
        seg = s[m.end() : end]
        seg = re.sub(rf"^[\s{re.escape('→⇒>＞')}]+|[\s{re.escape('→⇒>＞')}、,]+$", "", seg)
        if not any(re.fullmatch(_TARGET_LABEL, x.group("label")) for x in labels) and re.search("[→⇒]", seg):
            # '現状65%（令和5年度）→ 90%（令和8年度）': the arrow leads to the target
            seg, goal = re.split("[→⇒]", seg, maxsplit=1)
            tv = parse_target(goal.strip(), default_year=default_year)
            if tv is not None:
                targets.append(tv)
        v = parse_target(seg, default_year=None)
        if v is None:
            continue
        if v.fiscal_year is None and re.fullmatch(_TARGET_LABEL, m.group("label")):
            v = Value(value=v.value, fiscal_year=default_year)
        if re.fullmatch(_TARGET_LABEL, m.group("label")):
            targets.append(v)
        elif baseline is None:
            baseline = v
    if not indicator:
        indicator = fallback or clean_indicator(s)
    if not indicator:
        return None
    last = targets[-1] if targets else None
    return Kpi(
        indicator=indicator,
        unit=_unit_of(last, baseline),
        baseline=baseline,
        targets=targets,
        direction=infer_direction(indicator, last, baseline),
    )


_BRACKET_UNIT = re.compile(
    r"^(?P<ind>.+?)\s*[（(]\s*(?:単位\s*[:：]?\s*)?(?P<unit>[%％]|[^\s（）()0-9０-９、。・:：]{1,3})\s*[）)]$"
)
_NOT_UNITS = {
    "再掲",
    "仮称",
    "累計",
    "年間",
    "年度",
    "各年度",
    "単年度",
    "全体",
    "概数",
    "予定",
    "新規",
    "参考",
    "延べ",
}
_BARE_NUMBER = re.compile(r"^[0-9０-９][0-9０-９,，.．]*$")


def bracket_unit(indicator: str) -> tuple[str, str | None]:
    """'講座受講者数（人）' → ('講座受講者数', '人'): a unit in brackets closing an indicator."""
    m = _BRACKET_UNIT.match(indicator.strip())
    if not m or m.group("unit") in _NOT_UNITS or any(w in m.group("unit") for w in ("年", "月", "課")):
        return indicator, None
    return m.group("ind").strip(), nfkc(m.group("unit"))


def with_unit(value: str | None, unit: str | None) -> str | None:
    """A bare number ('1,200') gets the indicator's unit ('1,200件'); anything else stays as written."""
    if value and unit and _BARE_NUMBER.match(value.strip()):
        return value.strip() + unit
    return value


def kpi_from_row(
    indicator: str,
    baseline: str | None = None,
    target: str | None = None,
    *,
    baseline_year: int | None = None,
    target_year: int | None = None,
    more_targets: list[tuple[str, int | None]] | None = None,
) -> Kpi | None:
    """A KPI from a target table row (項目 / 現況 2021 / 目標 2025): cell texts and the column years.

    '-' or '' cells give no value; a year written in the cell itself wins over the column's year.
    ``more_targets`` are further (cell, column year) targets (R6目標 | R8目標 | R10目標); the targets are
    kept in year order, so the last is the plan's final target. A unit in brackets closing the indicator
    ('講座受講者数（人）') is moved onto bare-number values.
    """
    ind, unit = bracket_unit(clean_indicator(indicator))
    if not ind:
        return None
    b = parse_target(with_unit(baseline, unit) or "", default_year=baseline_year)
    targets = [parse_target(with_unit(target, unit) or "", default_year=target_year)]
    for text, fy in more_targets or []:
        targets.append(parse_target(with_unit(text, unit) or "", default_year=fy))
    kept = [t for t in targets if t is not None]
    if len(kept) > 1 and all(t.fiscal_year is not None for t in kept):
        kept.sort(key=lambda t: t.fiscal_year or 0)
    t = kept[-1] if kept else None
    return Kpi(
        indicator=ind,
        unit=unit or _unit_of(t, b),
        baseline=b,
        targets=kept,
        direction=infer_direction(ind, t, b),
    )
