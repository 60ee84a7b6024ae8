"""Fiscal years (年度, April–March) and Japanese era years (和暦).

Parsing is forgiving in the ways real plan documents are: full-width digits, 元年, R/H abbreviations,
era years that never existed (平成32年 = 2020, 平成35年度 = 2023), a western year with the era year in
brackets and the reverse, 年度末, and bare two-digit column headers read against a known era.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from keikaku.core.text import nfkc

# era name → (first western year, abbreviations)
ERAS: dict[str, tuple[int, tuple[str, ...]]] = {
    "明治": (1868, ("M",)),
    "大正": (1912, ("T",)),
    "昭和": (1926, ("S",)),
    "平成": (1989, ("H",)),
    "令和": (2019, ("R",)),
}
_ABBR = {a: name for name, (_, abbrs) in ERAS.items() for a in abbrs}
_ERA_NAMES = "|".join(ERAS)
# longest plausible era year: 昭和64; 平成 is seen up to ~35 in plans written before 2019
_MAX_ERA_YEAR = 99

MIN_YEAR = 1950
MAX_YEAR = 2100


class FiscalYearError(ValueError):
    """Raised when text names a year that cannot be a plan's fiscal year."""


def normalise_digits(text: str) -> str:
    """Full-width digits and letters to ASCII (NFKC), 元年 to 1年; keeps everything else."""
    s = nfkc(text)
    return s.replace("元年", "1年")


def era_to_western(era: str, year: int) -> int:
    """令和 2 → 2020. Accepts era names and their one-letter abbreviations."""
    name = _ABBR.get(era.upper(), era) if len(era) == 1 else era
    if name not in ERAS:
        raise FiscalYearError(f"unknown era {era!r}")
    if not 1 <= year <= _MAX_ERA_YEAR:
        raise FiscalYearError(f"impossible era year {era}{year}")
    return ERAS[name][0] + year - 1


def western_to_era(year: int) -> tuple[str, int]:
    """2020 → ('令和', 2). The era current on 1 April of that year (the fiscal year's start)."""
    best = None
    for name, (start, _) in ERAS.items():
        if year >= start:
            best = name
    if best is None:
        raise FiscalYearError(f"year {year} is before 明治")
    # 平成31年度 began in April 2019 under 平成 (令和 started 1 May 2019); plans call it 令和元年度 too.
    # We display the era in force for most of the year: 2019 → 令和元年度.
    return best, year - ERAS[best][0] + 1


def wareki(fy: int, suffix: str = "年度") -> str:
    """2025 → '令和7年度'; 2019 → '令和元年度'."""
    era, n = western_to_era(fy)
    return f"{era}{'元' if n == 1 else n}{suffix}"


def display(fy: int | None) -> str:
    """'令和7年度 (2025)' — how keikaku shows a fiscal year everywhere."""
    if fy is None:
        return ""
    return f"{wareki(fy)} ({fy})"


def fiscal_year_label(fy: int | None, language: str | None = "ja") -> str:
    """A fiscal year for a page in ``language``: 2025 → 令和7年度 (2025); in English FY2025 (the Japanese
    era name means little to its readers). 0 and None give ""."""
    if not fy:
        return ""
    if (language or "").startswith("en"):
        return f"FY{fy}"
    return display(fy)


@dataclass(frozen=True)
class YearMention:
    year: int  # western year as written (calendar year for 年, fiscal year for 年度)
    is_fiscal: bool  # 年度 (or a bare column header) rather than 年
    month: int | None = None
    end_of: bool = False  # 年度末
    start: int = 0
    end: int = 0

    @property
    def fiscal_year(self) -> int:
        """The fiscal year this mention falls in (年 with a month Jan–Mar belongs to the previous FY)."""
        if not self.is_fiscal and self.month is not None and self.month <= 3:
            return self.year - 1
        return self.year


_NUM = r"(\d{1,4})"
_ERA_RE = re.compile(
    rf"(?P<era>{_ERA_NAMES}|(?<![A-Za-z])[RHSTM](?=\s*\d))\s*(?P<n>\d{{1,2}})\s*"
    rf"(?:[\(（]\s*(?P<w2>\d{{4}})\s*[\)）])?\s*"
    rf"(?P<suf>年度末|年度|年)?(?:\s*(?P<m>\d{{1,2}})\s*月)?"
)
_WESTERN_RE = re.compile(
    rf"(?<!\d)(?P<w>(?:19|20)\d{{2}}|2100)\s*(?:[\(（]\s*(?P<era>{_ERA_NAMES}|[RH])\s*(?P<n>\d{{1,2}})\s*(?:年度|年)?(?:\s*[・/／,、]\s*(?:{_ERA_NAMES}|[RH])\s*(?:\d{{1,2}}|元)\s*(?:年度|年)?)?\s*[\)）])?\s*"
    rf"(?P<suf>年度末|年度|年)?(?:\s*(?P<m>\d{{1,2}})\s*月)?(?!\d)"
)


def find_years(text: str) -> list[YearMention]:
    """Every year mention in text, in order. Text is NFKC-normalised first (positions refer to it)."""
    return list(year_mentions(text))


@lru_cache(maxsize=16384)
def year_mentions(text: str) -> tuple[YearMention, ...]:
    """find_years, memoised (a plan names the same years in many cells and sentences)."""
    s = normalise_digits(text)
    found: list[YearMention] = []
    taken: list[tuple[int, int]] = []
    for m in _ERA_RE.finditer(s):
        suf = m.group("suf")
        abbr = len(m.group("era")) == 1
        if not suf and not abbr:
            continue
        if abbr and not suf and re.match(r"[A-Za-z]", s[m.end() : m.end() + 1]):
            continue  # a name such as M2M or H2O, not R4 / H31
        try:
            year = era_to_western(m.group("era"), int(m.group("n")))
        except FiscalYearError:
            continue
        if m.group("w2"):
            year = int(m.group("w2"))
        if not (MIN_YEAR <= year <= MAX_YEAR):
            continue
        month = int(m.group("m")) if m.group("m") else None
        if month is not None and not 1 <= month <= 12:
            month = None
        is_fiscal = suf in ("年度", "年度末") or (abbr and not suf)
        found.append(YearMention(year, is_fiscal, month, suf == "年度末", m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _WESTERN_RE.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        suf = m.group("suf")
        year = int(m.group("w"))
        if not (MIN_YEAR <= year <= MAX_YEAR):
            continue
        if not suf and not m.group("era"):
            # a bare 4-digit number is a year only if it stands alone (column header, "2025")
            rest = s[m.end() : m.end() + 1]
            if rest and rest not in " 　\t~〜～-－/・,、)）":
                continue
        month = int(m.group("m")) if m.group("m") else None
        if month is not None and not 1 <= month <= 12:
            month = None
        is_fiscal = suf in ("年度", "年度末") or not suf
        found.append(YearMention(year, is_fiscal, month, suf == "年度末", m.start(), m.end()))
    found.sort(key=lambda y: y.start)
    return tuple(found)


def parse_fiscal_year(text: str, default_era: str | None = None) -> int | None:
    """The first fiscal year named in text, or None.

    ``default_era`` reads a bare number as an era year ("3年度" in a table whose first column said 令和2年度).
    """
    ys = find_years(text)
    if ys:
        return ys[0].fiscal_year
    if default_era:
        m = re.search(r"(?<!\d)(\d{1,2})\s*(年度|年)?(?!\d)", normalise_digits(text))
        if m:
            try:
                return era_to_western(default_era, int(m.group(1)))
            except FiscalYearError:
                return None
    return None


def parse_year_month(text: str) -> str | None:
    """'令和2年4月' → '2020-04'; '平成 30(2018)年 7 月' → '2018-07'; '2022年' → '2022'."""
    for y in find_years(text):
        if y.month:
            return f"{y.year:04d}-{y.month:02d}"
    ys = find_years(text)
    return f"{ys[0].year:04d}" if ys else None


def column_header_year(text: str, era_hint: str | None = None) -> int | None:
    """A schedule or target table's column header: '2022', 'R4', '令和4年度', '4年度', 'H31', "'25"."""
    s = normalise_digits(text).strip()
    fy = parse_fiscal_year(s)
    if fy is not None:
        return fy
    m = re.fullmatch(r"['’]?(\d{1,2})\s*(年度)?", s)
    if m:
        n = int(m.group(1))
        if era_hint:
            return era_to_western(era_hint, n)
        if len(m.group(1)) == 2:
            return 2000 + n
    return None


def fiscal_year_of_date(year: int, month: int) -> int:
    """The fiscal year a calendar date falls in: 2021-03 → 2020."""
    return year - 1 if month <= 3 else year


@dataclass(frozen=True)
class FiscalRange:
    """A span of fiscal years written in text: 令和7年度～令和11年度, 令和7～11年度, 2025年4月から2030年3月まで,
    令和7年度から5年間. Positions refer to the NFKC-normalised text (as in :func:`find_years`)."""

    start_fy: int
    end_fy: int
    start: int
    end: int


_DASH = r"[～〜~\-－―ー]"
_CONNECTOR = re.compile(rf"^(?:{_DASH}|から|より)$")
# 令和7～11年度, R7～R11, 平成31～令和5年度, 令和元～5年度: the first year's era (and 年度) left out
_SHORT_RANGE = re.compile(
    rf"(?P<era>{_ERA_NAMES}|(?<![A-Za-z])[RH])\s*(?P<a>\d{{1,2}}|元)\s*(?:年度)?\s*(?:{_DASH}|から)\s*"
    rf"(?:同|(?P<era2>{_ERA_NAMES}|[RH]))?\s*(?P<b>\d{{1,2}})\s*年度"
)
# 令和7年度から5年間, 令和7年度を初年度とする5か年, 2025年度からの5年間
_DURATION = re.compile(
    r"^\s*(?:から(?:の)?|より|を(?:初年度|始期|開始年度)と(?:する|した|し)、?)\s*(?:向こう|今後)?\s*"
    r"(?P<n>\d{1,2})\s*(?:か|ヵ|ヶ|ケ|カ|箇|カ)?\s*年(?:間|計画)?"
)
_MAX_SPAN = 15


def find_fiscal_ranges(text: str) -> list[FiscalRange]:
    """Every span of fiscal years in text, in order.

    A month range follows the fiscal year: 令和7年4月～令和10年3月 is FY2025–2027 (a range ending in March
    ends the fiscal year before). A span is at most 15 years; one whose end is before its start is not a span.
    """
    s = normalise_digits(text)
    out: list[FiscalRange] = []
    starts: list[int] = []  # the spans taken so far, sorted and never overlapping: a look-up is a bisect
    ends: list[int] = []

    def add(a: int, b: int, start: int, end: int) -> None:
        k = bisect.bisect_left(starts, end)  # spans starting before this one ends …
        if k and ends[k - 1] > start:  # … the last of which ends after it starts: they overlap
            return
        out.append(FiscalRange(a, b, start, end))
        starts.insert(k, start)
        ends.insert(k, end)

    for m in _SHORT_RANGE.finditer(s):
        try:
            a = era_to_western(m.group("era"), 1 if m.group("a") == "元" else int(m.group("a")))
            b = era_to_western(m.group("era2") or m.group("era"), int(m.group("b")))
        except FiscalYearError:
            continue
        if 0 < b - a <= _MAX_SPAN:
            add(a, b, m.start(), m.end())
    ys = find_years(s)
    for y1, y2 in zip(ys, ys[1:], strict=False):
        # 令和7年4月1日から令和12年3月31日まで: the day is no part of the connector
        if not _CONNECTOR.match(re.sub(r"[\s\)）]|年度|\d{1,2}\s*日", "", s[y1.end : y2.start])):
            continue
        a, b = y1.fiscal_year, y2.fiscal_year
        months = y1.month is not None or y2.month is not None
        if 0 < b - a <= _MAX_SPAN or (months and a == b):
            add(a, b, y1.start, y2.end)
    for y in ys:
        d = _DURATION.match(s[y.end :])
        if d and 1 <= int(d.group("n")) <= _MAX_SPAN:
            add(y.fiscal_year, y.fiscal_year + int(d.group("n")) - 1, y.start, y.end + d.end())
    out.sort(key=lambda r: r.start)
    return out
