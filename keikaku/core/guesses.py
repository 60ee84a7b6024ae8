"""Which KPI values the importer guessed (推定した値): a value or year not written in the text it was read
from. The importer fills in what a plan leaves implicit — a target year from the plan's last year, a unit
from the column header — and such values are shown as 「要確認」 in the editor until a person confirms them.

Rule: with the KPI's source excerpt (its provenance text), a value is *written* when its number (digits,
without thousands separators) — or, for a value without digits, its text — occurs in the excerpt; a fiscal
year is written when the excerpt names it (令和9年度, 2027年度, R9 …). No excerpt: nothing is flagged (a
plan typed in keikaku or loaded as JSON has nothing guessed). Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from keikaku.core.fiscal import find_years
from keikaku.core.text import nfkc, squash

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _written(value: str, text: str) -> bool:
    v = squash(nfkc(value)).replace(",", "")
    if not v:
        return True
    numbers = _NUMBER.findall(v)
    if numbers:
        return all(n in text for n in numbers)
    return v in text


def kpi_guesses(
    baseline: tuple[str, int | None] | None, targets: Sequence[tuple[str, int | None]], source: str | None
) -> list[str]:
    """The guessed fields of a KPI, as labels: 基準値, 基準年度, 目標値, 目標年度 (each once)."""
    if not source:
        return []
    text = squash(nfkc(source)).replace(",", "")
    years = {y.fiscal_year for y in find_years(nfkc(source))}
    out: list[str] = []
    pairs = [("基準値", "基準年度", baseline)] if baseline else []
    pairs += [("目標値", "目標年度", t) for t in targets]
    for value_label, year_label, (value, fy) in pairs:
        if value and not _written(value, text) and value_label not in out:
            out.append(value_label)
        if fy and fy not in years and str(fy) not in text and year_label not in out:
            out.append(year_label)
    return out
