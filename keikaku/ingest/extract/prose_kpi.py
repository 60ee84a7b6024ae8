"""KPIs stated as sentences in a measure's prose, as plain plans write them:

    電子申請の件数を令和９年度までに年間800件に増やします（現状：令和６年度 250件）。
        → indicator 電子申請の件数, baseline 250件 (FY2024), target 年間800件 (FY2027)
    公開データセット数は、2027年度までに50件を目指します（2024年度実績：6件）。
        → indicator 公開データセット数, baseline 6件 (FY2024), target 50件 (FY2027)
    成果指標は「スマホ教室の参加者数」とし、令和10年度までに累計300人を目標とします。
        → indicator スマホ教室の参加者数, target 累計300人 (FY2028)

A sentence counts only when it names a fiscal year as a deadline (までに / 末 / を目標) and a quantity
after it; a bracket holding a baseline word of the vocabulary (現状 / 実績 / 基準値 …) and a quantity gives
the baseline. The parts are read into one
:class:`Kpi` with the KPI parser's indicator cleaning and direction rules.
"""

from __future__ import annotations

import re

from keikaku.core.fiscal import find_years
from keikaku.core.plan import Kpi, Value
from keikaku.core.text import nfkc
from keikaku.ingest.extract.common import one_year_form
from keikaku.ingest.extract.kpi import clean_indicator, infer_direction
from keikaku.ingest.extract.vocabulary import FIELD_WORDS
from keikaku.ingest.tolerances import TOLERANCES as TOL

_BASE_WORDS = "|".join(
    re.escape(nfkc(w)) for w in sorted({*FIELD_WORDS["baseline"], "実績", "基準"}, key=len, reverse=True)
)
_BASE_BRACKET = re.compile(rf"[（(](?P<inner>[^（）()]*(?:{_BASE_WORDS})[^（）()]*)[）)]")
_NAMED = re.compile(
    r"(?:成果指標|評価指標|活動指標|指標|KPI|目標指標)(?:名)?\s*(?:は|を|として)\s*[「『](?P<ind>[^」』]{2,60})[」』]"
)
_DEADLINE = re.compile(r"^\s*(?:末)?\s*(?:まで(?:に)?|を目途に|を目標に|には|に(?!かけて|わたり))\s*")
_QTY = re.compile(
    r"(?P<rate>年間|累計|延べ|毎年度?)?\s*(?P<num>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*"
    r"(?P<unit>%|か所|箇所|カ所|ヶ所|ケ所|[ァ-ヶー]{1,6}|[一-龥]{1,3})"
    # what follows the unit: a particle, a bracket, the end — or a verb written with kanji (50件公開します)
    r"(?=\s*(?:を|に|へ|まで|と|の|で|以上|以下|程度|[、。）)]|$)|[一-龥]{2}(?:し|す|さ|せ))"
)
# a bracket holding only a year and a quantity: （令和6年度：20手続） — the baseline when the year is
# before the target's and the unit the same
_YEAR_VALUE = re.compile(r"[（(](?P<inner>[^（）()]{3,30})[）)]")
# a clause, not a name: ends as a verb joins the next clause (導入し、 / 進めて)
_CLAUSE_END = re.compile(r"(?:し|して|り|って|て|け|せ|え)$")
_OBJECT_VERB = re.compile(r"^\s*を\s*(?P<verb>[^、。をにがで（）()]{1,15}?)(?:します|する|し|を図|を進め)")
# a qualitative target: '…移行状況を令和5年度までに移行完了にすることを目標とします'
_STATE = re.compile(r"^(?P<val>[^、。をにが0-9]{2,12}?)(?:に|と)(?:する|します|なる|なること|すること)")
_LEAD = re.compile(r"^.*?(?:、|。|は|では|として|について)(?=[^、。]*$)")
_INDICATOR_END = re.compile(r"\s*(?:を|は|が|について)\s*$")


def _sentences(text: str) -> list[str]:
    s = one_year_form(text)
    return [p.strip() for p in re.split(r"(?<=[。])|\n", s) if p.strip()]


def _baseline(sentence: str) -> tuple[str, Value | None]:
    """(sentence without its baseline bracket, the baseline it states or None)."""
    m = _BASE_BRACKET.search(sentence)
    if not m:
        return sentence, None
    inner = m.group("inner")
    q = _quantity(inner)
    years = find_years(inner)
    fy = years[-1].fiscal_year if years else None
    if not q:  # '（現状：令和2年度 未移行）': a state, not a number
        rest = inner[years[-1].end :] if years else re.sub(rf"^.*?(?:{_BASE_WORDS})", "", inner)
        rest = rest.strip(" :：、")
        if not (1 <= len(rest) <= TOL.prose_state_max_chars) or re.search(rf"{_BASE_WORDS}", rest):
            return sentence, None
        return sentence[: m.start()] + sentence[m.end() :], Value(value=rest, fiscal_year=fy)
    value = Value(value=_value(q), fiscal_year=fy)
    return sentence[: m.start()] + sentence[m.end() :], value


def _year_value(sentence: str, target_fy: int, unit: str) -> Value | None:
    """The baseline a bracket states with a year and a quantity alone, before the target's year."""
    for m in _YEAR_VALUE.finditer(sentence):
        inner = m.group("inner")
        years = find_years(inner)
        q = _quantity(inner)
        if len(years) != 1 or q is None or q.group("unit") != unit or years[0].fiscal_year >= target_fy:
            continue
        if inner[: years[0].start].strip() or not re.fullmatch(
            r"[\s:：、]*", inner[years[0].end : q.start()]
        ):
            continue  # more than 'year：quantity'
        if inner[q.end() :].strip(" 。"):
            continue
        return Value(value=_value(q), fiscal_year=years[0].fiscal_year)
    return None


def _quantity(text: str) -> re.Match[str] | None:
    """The first quantity of text that is not part of a year ('令和8年度' is no '8年度' of anything)."""
    years = find_years(text)
    for q in _QTY.finditer(text):
        if not any(y.start <= q.start("num") < y.end for y in years):
            return q
    return None


def _value(q: re.Match[str]) -> str:
    return f"{q.group('rate') or ''}{q.group('num')}{q.group('unit')}"


def _indicator_before(text: str) -> str:
    """'…増やします。電子申請の件数を' → '電子申請の件数'; '公開データセット数は、' → '公開データセット数'."""
    s = text.rstrip(" 、,")
    s = _INDICATOR_END.sub("", s).rstrip(" 、,")
    s = _LEAD.sub("", s)
    return s.strip(" 、,「」")


def kpi_sentence(sentence: str, fallback: str | None = None) -> Kpi | None:
    """The KPI one sentence states, or None (see the module docstring)."""
    s, baseline = _baseline(one_year_form(sentence))
    for y in find_years(s):
        after = s[y.end :]
        d = _DEADLINE.match(after)
        if not d:
            continue
        rest = after[d.end() :]
        q = _quantity(rest[:40])
        if not q:
            state = _STATE.match(rest)
            named = _NAMED.search(s)
            indicator = named.group("ind") if named else _indicator_before(s[: y.start])
            if state and len(indicator) >= TOL.prose_indicator_min_chars:
                target = Value(value=state.group("val"), fiscal_year=y.fiscal_year)
                return Kpi(
                    indicator=clean_indicator(indicator),
                    baseline=baseline,
                    targets=[target],
                    direction=infer_direction(indicator, target, baseline),
                )
            continue
        named = _NAMED.search(s)
        between = re.sub(r"^(?:の|、)|(?:を|は|が|の)$", "", rest[: q.start()].strip()).strip()
        if named:
            indicator = named.group("ind")
        elif len(between) >= TOL.prose_indicator_min_chars:
            indicator = between  # '2027年度までに端末を活用している学級の割合100%を目指します'
        else:
            indicator = _indicator_before(s[: y.start])
        tail = re.match(r"[のでに]([^、。をにで]{2,30})を", rest[q.end() :])
        if len(indicator) < TOL.prose_indicator_min_chars or (tail and indicator.endswith("に")):
            # '2027年度までに50件の公開を目指します' / '…の支払いに、2027年度までに20か所でキャッシュレス
            # 決済を導入': what the quantity counts (not where it happens), else the measure
            indicator = tail.group(1) if tail else (fallback or "")
        if _CLAUSE_END.search(indicator):
            # '…電子申請を導入し、令和12年度までに100手続をオンライン化します': what is counted is named
            # by the verb after the quantity
            verb = _OBJECT_VERB.match(rest[q.end() :])
            indicator = f"{verb.group('verb')}した{q.group('unit')}数" if verb else (fallback or "")
        indicator = clean_indicator(indicator)
        if not indicator:
            return None
        target = Value(value=_value(q), fiscal_year=y.fiscal_year)
        if baseline is None:
            baseline = _year_value(s, y.fiscal_year, q.group("unit"))
        return Kpi(
            indicator=indicator,
            unit=q.group("unit"),
            baseline=baseline,
            targets=[target],
            direction=infer_direction(indicator, target, baseline),
        )
    return None


def prose_kpis(text: str, fallback: str | None = None) -> list[Kpi]:
    """Every KPI sentence in a description, in order."""
    out: list[Kpi] = []
    for sentence in _sentences(text):
        k = kpi_sentence(sentence, fallback)
        if k is not None:
            out.append(k)
    return out
