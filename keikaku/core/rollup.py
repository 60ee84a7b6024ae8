"""Progress roll-ups (推進管理の集計): KPI attainment against the target for a period, timeliness of
reports, and aggregation of measures by pillar, policy and department.

Pure: no Django. Values arrive as written in plans and reports ("40件", "△30", "100%", "3.5万人",
"実施", "導入完了"); :func:`parse_value` turns them into numbers or qualitative states.

Attainment rules (``ratio`` 1.0 = the target reached; may exceed 1.0 or be negative):

- increase: with a numeric baseline below the target, (actual − baseline) / (target − baseline);
  otherwise actual / target.  Met when actual ≥ target.
- decrease: with a numeric baseline above the target, (baseline − actual) / (baseline − target);
  otherwise target / actual (1.0 when actual ≤ target).  Met when actual ≤ target.
- keep (維持): met when the actual is at the target level or better than the baseline side would
  suggest — for a target of 0 (事故0件を維持) met when actual ≤ 0; otherwise actual / target capped at 1.0,
  met when actual ≥ target.
- qualitative (実施, 導入完了 …): 1.0 when the actual says done (実施, 完了, 導入, 達成, 稼働 …) or is the
  target's own words, 0.0 when it says not done (未実施, 未着手, 検討中 …), unknown otherwise.

A summary counts a KPI as measured (``kpis_measured``) when it has an actual, whether or not a ratio
could be computed; the mean attainment is over the KPIs with a ratio (``kpis_rated``).

A KPI without a direction gets one inferred: qualitative when the target is not a number, decrease when
the numeric baseline is above the target, increase otherwise. Units that differ (件 vs %) after
normalisation (NFKC: ％ = %; keikaku.core.text.normalise_unit) → unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from keikaku.core.text import nfkc, normalise_unit, squash

DIRECTIONS = ("increase", "decrease", "keep", "qualitative")

_MULTIPLIERS = {"千": 1_000.0, "万": 10_000.0, "億": 100_000_000.0}
# a number, optionally negative (Japanese accounting writes △ / ▲ for minus), with a multiplier
_NUMBER = re.compile(r"(?P<neg>[△▲\-−])?\s*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*(?P<mult>[千万億])?")
_YEAR_AFTER = re.compile(r"\s*(?:年度|年(?!間))")
_DONE_WORDS = (
    "実施済",
    "完了",
    "実施",
    "導入",
    "達成",
    "稼働",
    "運用開始",
    "開始",
    "策定",
    "公開",
    "済",
    "有",
    "○",
    "◯",
)
_NOT_DONE_WORDS = (
    "未実施",
    "未着手",
    "未導入",
    "未達",
    "未完了",
    "未策定",
    "未公開",
    "検討中",
    "準備中",
    "未",
    "無",
    "×",
    "中止",
)


@dataclass(frozen=True)
class Quantity:
    """A value as written and what it means: a number with its unit, or a qualitative state."""

    written: str
    number: float | None = None
    unit: str = ""
    done: bool | None = None  # qualitative: True 実施/完了…, False 未実施…, None unknown

    @property
    def is_number(self) -> bool:
        return self.number is not None


def qualitative_state(text: str) -> bool | None:
    """True when ``text`` says done (実施, 導入完了 …), False when not done (未実施 …), else None."""
    s = nfkc(text).strip()
    if not s:
        return None
    for w in _NOT_DONE_WORDS:
        if w in s:
            return False
    for w in _DONE_WORDS:
        if w in s:
            return True
    return None


def parse_value(written: str | None, unit_hint: str | None = None) -> Quantity:
    """'40件' → 40 件; '△30' → −30; '100%' → 100 %; '3.5万人' → 35000 人; '約1,200件以上' → 1200 件;
    '令和9年度までに50%' → 50 % (numbers followed by 年 / 年度 are years, skipped); '実施' → done."""
    text = written or ""
    s = nfkc(text).strip().replace("▲", "△")
    for m in _NUMBER.finditer(s):
        rest = s[m.end() :]
        if _YEAR_AFTER.match(rest) and not m.group("mult"):
            continue
        before = s[: m.start()]
        if re.search(r"(?:令和|平成|昭和|R|H)\s*$", before):
            continue
        try:
            value = float(m.group("num").replace(",", ""))
        except ValueError:  # pragma: no cover - the pattern only matches numbers
            continue
        value *= _MULTIPLIERS.get(m.group("mult") or "", 1.0)
        if m.group("neg"):
            value = -value
        unit = re.match(r"\s*([^\d\s、。,（）()以上以下未満程度超程]{0,6})", rest)
        unit_text = (unit.group(1) if unit else "").strip()
        for suffix in ("以上", "以下", "未満", "程度", "まで", "を維持", "維持"):
            unit_text = unit_text.removesuffix(suffix)
        if not unit_text and unit_hint:
            unit_text = nfkc(unit_hint).strip()
        return Quantity(written=text, number=value, unit=unit_text)
    return Quantity(written=text, done=qualitative_state(s))


def infer_direction(direction: str | None, baseline: Quantity | None, target: Quantity | None) -> str:
    if direction in DIRECTIONS:
        return direction
    if target is None or not target.is_number:
        return "qualitative"
    if baseline is not None and baseline.is_number and baseline.number > target.number:  # type: ignore[operator]
        return "decrease"
    return "increase"


@dataclass(frozen=True)
class Target:
    value: str
    fiscal_year: int | None


def target_for(targets: Sequence[Target], fiscal_year: int) -> Target | None:
    """The target a period is measured against: the first target due in or after ``fiscal_year``, else
    the last one; targets without a year count as the final one."""
    if not targets:
        return None
    dated = sorted((t for t in targets if t.fiscal_year is not None), key=lambda t: t.fiscal_year or 0)
    for t in dated:
        if t.fiscal_year is not None and t.fiscal_year >= fiscal_year:
            return t
    undated = [t for t in targets if t.fiscal_year is None]
    if undated:
        return undated[-1]
    return dated[-1]


@dataclass(frozen=True)
class Attainment:
    direction: str
    ratio: float | None  # 1.0 = target reached; None when it cannot be computed
    met: bool | None
    expected: float | None = None  # the linear path from baseline to target for the period's year
    on_track: bool | None = None  # actual at or beyond the expected path
    reason: str = ""  # why ratio is None: no-actual, no-target, unit, not-a-number, unknown-word


def _units_differ(a: Quantity, b: Quantity) -> bool:
    """Both have a unit and they differ after normalisation (30 ％ and 40% are both in %)."""
    ua, ub = normalise_unit(a.unit), normalise_unit(b.unit)
    return bool(ua and ub and ua != ub)


def attainment(
    direction: str | None,
    actual: Quantity | None,
    target: Quantity | None,
    baseline: Quantity | None = None,
    *,
    fiscal_year: int | None = None,
    target_year: int | None = None,
    baseline_year: int | None = None,
) -> Attainment:
    """Attainment of ``actual`` against ``target`` (see the module docstring for the rules)."""
    d = infer_direction(direction, baseline, target)
    if actual is None or not actual.written.strip():
        return Attainment(d, None, None, reason="no-actual")
    if d == "qualitative" and actual.is_number and target is not None and target.is_number:
        d = "increase"  # a qualitative KPI measured in numbers after all
    elif d == "qualitative":
        if actual.done is None and target is not None and squash(actual.written) == squash(target.written):
            return Attainment(d, 1.0, True)  # the target's own words (継続任用 for 継続任用)
        if actual.done is None:
            return Attainment(d, None, None, reason="unknown-word")
        return Attainment(d, 1.0 if actual.done else 0.0, actual.done)
    if target is None:
        return Attainment(d, None, None, reason="no-target")
    if not (actual.is_number and target.is_number):
        return Attainment(d, None, None, reason="not-a-number")
    if _units_differ(actual, target):
        return Attainment(d, None, None, reason="unit")
    a, t = float(actual.number), float(target.number)  # type: ignore[arg-type]
    b = float(baseline.number) if baseline is not None and baseline.is_number else None  # type: ignore[arg-type]
    if b is not None and baseline is not None and _units_differ(baseline, target):
        b = None
    ratio: float | None
    if d == "increase":
        ratio = (a - b) / (t - b) if b is not None and t > b else (a / t if t else (1.0 if a >= t else 0.0))
        met = a >= t
    elif d == "decrease":
        if b is not None and b > t:
            ratio = (b - a) / (b - t)
        else:
            ratio = 1.0 if a <= t else (t / a if a > 0 else 0.0)
        met = a <= t
    else:  # keep
        if t == 0:
            ratio, met = (1.0, True) if a <= 0 else (0.0, False)
        else:
            ratio = min(1.0, a / t)
            met = a >= t
    expected = on_track = None
    if b is not None and fiscal_year is not None and target_year is not None and baseline_year is not None:
        if target_year > baseline_year:
            share = min(1.0, max(0.0, (fiscal_year - baseline_year) / (target_year - baseline_year)))
            expected = b + (t - b) * share
            on_track = a >= expected if d in ("increase", "keep") else a <= expected
    return Attainment(d, round(ratio, 4), met, expected=expected, on_track=on_track)


# ---- timeliness ----------------------------------------------------------------------------------

TIMELINESS = ("on_time", "late", "missing", "pending", "no_due")
TIMELINESS_LABELS = {
    "on_time": "期限内",
    "late": "期限後に提出",
    "missing": "未提出（期限超過）",
    "pending": "未提出（期限前）",
    "no_due": "期限なし",
}


def timeliness(due: date | None, submitted: date | None, today: date) -> str:
    """on_time / late (submitted after the due date) / missing (none by the due date, which has passed)
    / pending (none yet, due date not reached) / no_due (the period has no due date)."""
    if due is None:
        return "no_due"
    if submitted is not None:
        return "on_time" if submitted <= due else "late"
    return "missing" if today > due else "pending"


# ---- aggregation ---------------------------------------------------------------------------------

STATUS_KINDS = ("not_started", "on_track", "delayed", "done", "cancelled", "other", "unreported")
STATUS_KIND_LABELS = {
    "not_started": "未着手",
    "on_track": "順調",
    "delayed": "遅れ",
    "done": "完了",
    "cancelled": "中止",
    "other": "その他",
    "unreported": "未報告",
}


@dataclass(frozen=True)
class MeasureProgress:
    """One measure in one period, as the roll-up sees it."""

    measure_id: int
    status_kind: str  # one of STATUS_KINDS
    attainments: Sequence[Attainment] = ()
    timeliness: str = "no_due"
    groups: dict[str, Sequence[tuple[str, str]]] = field(default_factory=dict)  # dimension → (key, label)


@dataclass
class GroupSummary:
    key: str
    label: str
    measures: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    kpis: int = 0
    kpis_measured: int = 0  # KPIs with an actual (whether or not an attainment could be computed)
    kpis_rated: int = 0  # of those, the ones with an attainment ratio (the mean's denominator)
    kpis_met: int = 0
    ratio_sum: float = 0.0
    by_timeliness: Counter[str] = field(default_factory=Counter)

    @property
    def reported(self) -> int:
        return self.measures - self.by_kind.get("unreported", 0)

    @property
    def mean_attainment(self) -> float | None:
        """Mean of the measured KPIs' ratios, each capped to [0, 1] so one outlier cannot hide others."""
        return self.ratio_sum / self.kpis_rated if self.kpis_rated else None

    @property
    def on_time_share(self) -> float | None:
        due = sum(self.by_timeliness[k] for k in ("on_time", "late", "missing"))
        return self.by_timeliness["on_time"] / due if due else None

    def add(self, m: MeasureProgress) -> None:
        self.measures += 1
        self.by_kind[m.status_kind] += 1
        self.by_timeliness[m.timeliness] += 1
        for a in m.attainments:
            self.kpis += 1
            if a.reason != "no-actual":
                self.kpis_measured += 1
            if a.ratio is not None:
                self.kpis_rated += 1
                self.ratio_sum += min(1.0, max(0.0, a.ratio))
            self.kpis_met += 1 if a.met else 0


def aggregate(
    items: Iterable[MeasureProgress], dimension: str, order: Sequence[str] | None = None
) -> list[GroupSummary]:
    """Summaries per group of ``dimension`` (a measure in several groups counts in each; one in none
    counts under key "" — 未設定). Groups come in ``order`` when given, else in first-seen order."""
    groups: dict[str, GroupSummary] = {}
    for m in items:
        keys = list(m.groups.get(dimension, ())) or [("", "未設定")]
        seen: set[str] = set()
        for key, label in keys:
            if key in seen:
                continue
            seen.add(key)
            groups.setdefault(key, GroupSummary(key=key, label=label)).add(m)
    if order is not None:
        rank = {k: i for i, k in enumerate(order)}
        return sorted(groups.values(), key=lambda g: (rank.get(g.key, len(rank)), g.key))
    return list(groups.values())


def total(items: Iterable[MeasureProgress]) -> GroupSummary:
    g = GroupSummary(key="*", label="全体")
    for m in items:
        g.add(m)
    return g
