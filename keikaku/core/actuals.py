"""The one rule for a KPI actual (KPI の実績値) as a person types it — in the web form, the API and the
progress workbook alike. Pure: no Django.

Numbers come with or without their unit, in any width, with thousands separators and 万 / 千 / 億::

    30 ％ → 30 %      ３０% → 30 %      1,200件 → 1200 件      1.2万件 → 12000 件
    年間800件 → 800 件  約30% → 30 %      △5 → −5               3.5万人 (unit 万人) → 3.5 万人

The text is NFKC-normalised (全角 → 半角) and the unit is compared after the same normalisation
(:func:`keikaku.core.text.normalise_unit`), so 「％」 and 「%」 are one unit. A unit is accepted when it is the KPI's unit or
the unit of its baseline or a target (or the start of one: 12回 for 回/年); another unit is refused.
Words (実施, 導入完了 …) are accepted only for a qualitative KPI; for a numeric KPI the message asks for a
number. Every refusal is a :class:`ActualRefused` whose ``message`` is a Japanese sentence for the clerk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from keikaku.core.rollup import parse_value
from keikaku.core.text import nfkc, normalise_unit

MAX_TEXT = 500
_LIMIT = Decimal("1e15")
_MULTIPLIERS = {"千": Decimal(1_000), "万": Decimal(10_000), "億": Decimal(100_000_000)}
# words around a number that do not change it: 年間800件, 累計1,200件, 約30%, 30%以上, 30%（見込み）
_PREFIX = r"(?:年間|年度計|累計|合計|総計|延べ|延|計|約|月平均|年平均|平均)"
_SUFFIX = r"(?:以上|以下|未満|程度|超|\(見込み?\)|\(速報値?\)|\(暫定値?\))"
_NUMBER = re.compile(
    rf"^{_PREFIX}?\s*(?P<neg>[△▲\-−])?\s*(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    rf"\s*(?P<rest>[^\d]*?)\s*{_SUFFIX}?$"
)


class ActualRefused(ValueError):
    """An actual the rule does not accept; ``message`` says why, in Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class KpiRule:
    """What the rule needs to know about a KPI: its unit, the other units its baseline and targets are
    written in (normalised), and whether it is qualitative (実施 / 導入完了 …)."""

    unit: str = ""
    units: tuple[str, ...] = ()
    qualitative: bool = False

    @property
    def accepted_units(self) -> list[str]:
        out: list[str] = []
        for u in (normalise_unit(self.unit), *self.units):
            if u and u not in out:
                out.append(u)
        return out


@dataclass(frozen=True)
class Actual:
    """An accepted actual: a number with its (normalised) unit, or a qualitative text."""

    number: Decimal | None = None
    unit: str = ""
    text: str = ""

    @property
    def written(self) -> str:
        if self.number is None:
            return self.text
        return f"{format(self.number.normalize(), 'f')}{self.unit}"


def _number(text: str) -> Decimal:
    try:
        d = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        raise ActualRefused(f"「{text}」を数値として読めません。") from None
    if not d.is_finite() or abs(d) >= _LIMIT:
        raise ActualRefused("数値が大きすぎます。")
    return d


def _unit(written: str, number: Decimal, rule: KpiRule) -> tuple[Decimal, str]:
    accepted = rule.accepted_units
    u = normalise_unit(written)
    mult = u[:1] if u[:1] in _MULTIPLIERS else ""
    if mult and u not in accepted:  # 1.2万件 → 12000 件 (unless the KPI counts in 万件)
        number, u = number * _MULTIPLIERS[mult], u[1:]
    if not u:
        return number, accepted[0] if accepted else ""
    if not accepted or u in accepted:
        return number, u
    longer = [a for a in accepted if a.startswith(u)]  # 12回 for a KPI in 回/年
    if longer:
        return number, longer[0]
    raise ActualRefused(
        f"単位「{u}」はこの KPI の単位（{'・'.join(accepted)}）と違います。"
        f"{accepted[0]} で入力してください（例: 30{accepted[0]}）。"
    )


def parse_actual(written: object, rule: KpiRule) -> Actual | None:
    """``written`` (a typed text, or a number from a spreadsheet cell) as an :class:`Actual`; None when
    empty. Raises :class:`ActualRefused` with a Japanese sentence when the rule does not accept it."""
    if written is None or isinstance(written, bool):
        return None
    if isinstance(written, int | float | Decimal):
        number = _number(str(written) if not isinstance(written, float) else repr(written))
        return Actual(number=number, unit=rule.accepted_units[0] if rule.accepted_units else "")
    raw = str(written).strip()
    s = re.sub(r"\s+", " ", nfkc(raw)).strip()
    if not s:
        return None
    m = _NUMBER.match(s)
    if m:
        number = _number(m.group("num"))
        if m.group("neg"):
            number = -number
        number, unit = _unit(m.group("rest"), number, rule)
        return Actual(number=number, unit=unit)
    if not rule.qualitative:
        example = "、".join(f"30{u}" for u in rule.accepted_units[:1]) or "30"
        raise ActualRefused(
            f"この KPI は数値の指標です。実績は数値で入力してください（例: {example}。「{raw[:30]}」は読めません）。"
        )
    if len(raw) > MAX_TEXT:
        raise ActualRefused(f"実績が長すぎます（{MAX_TEXT} 字まで）。")
    return Actual(text=raw)


def check_number(number: Decimal, unit: str, rule: KpiRule) -> Actual:
    """A number given apart from its unit (the API's ``number`` and ``unit``), under the same rule."""
    n = _number(str(number))
    n, u = _unit(unit, n, rule)
    return Actual(number=n, unit=u)


def kpi_rule(
    unit: str | None, direction: str | None, baseline: str | None, targets: Iterable[str]
) -> KpiRule:
    """The rule of a KPI from its plan data: unit, direction, baseline and target values as written.
    A KPI is qualitative when its direction says so, or, without a direction, when none of its targets
    is a number."""
    units: list[str] = []
    numeric_target = False
    targets = [t for t in targets if t]
    for value in (baseline, *targets):
        q = parse_value(value, None) if value else None
        if q is None or not q.is_number:
            continue
        numeric_target = numeric_target or value in targets
        u = normalise_unit(q.unit)
        if u and u not in units:
            units.append(u)
    if direction in ("increase", "decrease", "keep"):
        qualitative = False
    elif direction == "qualitative":
        qualitative = True
    elif targets:
        qualitative = not numeric_target
    else:  # no target: a unit says it is counted
        qualitative = not normalise_unit(unit)
    return KpiRule(unit=unit or "", units=tuple(units), qualitative=qualitative)
