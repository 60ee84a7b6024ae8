"""Number markers of headings and items (番号): "1.", "(1)", "Ⅱ", "(i)", "①", "ア)", "1-①", "第2章".

Shared by the readers (to split a marker from a line) and the extractor (to build the outline from
the kinds of markers a document uses). Markers are matched on the text as written, before NFKC,
because NFKC turns ① into 1 and Ⅱ into II.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from keikaku.core.text import nfkc, squash
from keikaku.ingest.blocks import Cell, ReaderError

# leader dots of a table of contents ("施策の展開・・・・・・12"): a line with them names a page, not a heading
TOC_LEADER = re.compile(r"[.．・･…‥·]{3,}|[…‥]{2,}")

_DIG = r"[0-9０-９]"
_CIRCLED = r"[①-⑳㉑-㉟]"
_KATA = r"[ア-ンｱ-ﾝ]"
_ROMAN_UP = r"(?:X{0,3}(?:IX|IV|V?I{0,3})|[Ⅰ-Ⅻ])"
_ROMAN_LOW = r"(?:x{0,3}(?:ix|iv|v?i{0,3})|[ⅰ-ⅻ])"
_DASH = r"[-－‐―−]"  # not ー (長音): "オープン" is no key
_OPEN = r"[(（]"
_CLOSE = r"[)）]"

# a component of a compound key: 1, (1), (i), ①, ア
_PART = rf"(?:{_OPEN}{_DIG}{{1,2}}{_CLOSE}|{_OPEN}{_ROMAN_LOW}{_CLOSE}|{_DIG}{{1,2}}|{_CIRCLED}|{_KATA})"

_ITEM_WORD = r"(?:重点取組|取組|取り組み|施策|事業|項目|アクション)"

# words that number a level of a plan's outline: "基本方針1 …", "施策1-2 …", "取組項目3"
_LEVEL_WORD = (
    r"(?:基本目標|基本方針|基本施策|施策の方向性?|施策の柱|重点施策|重点取組|重点分野|具体的施策|推進施策|"
    r"取組項目|取組方針|施策|取組|方針|目標|分野)"
)
_WORD_NUMBER = re.compile(rf"{_DIG}{{1,2}}(?:\s*{_DASH}\s*{_DIG}{{1,2}})*")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 【取組1】 【1】 ［施策2］ ＜事業3＞: an item number in brackets (a label such as 【担当】 has no number)
    (
        "bracket",
        re.compile(
            rf"^(?:【\s*(?:{_ITEM_WORD}\s*)?{_DIG}{{1,2}}\s*】|[\[［〔＜<〈]\s*{_ITEM_WORD}\s*{_DIG}{{1,2}}\s*[\]］〕＞>〉])"
        ),
    ),
    ("chapter", re.compile(rf"^第\s*(?:{_DIG}+|[一二三四五六七八九十]+)\s*[章節部編]")),
    # 基本方針1 / 施策1-2 / 取組項目3: a level word and its number, no other marker
    (
        "word",
        re.compile(
            rf"^{_LEVEL_WORD}\s*{_DIG}{{1,2}}(?:\s*{_DASH}\s*{_DIG}{{1,2}})*(?=[\s　:：.．ァ-ヶ一-龥]|$)(?:\s*[:：.．])?"
        ),
    ),
    ("compound", re.compile(rf"^{_PART}(?:\s*{_DASH}\s*{_PART})+(?=[\s　]|[^\s0-9０-９)）])")),
    # 2.1 / 3.2.1: dotted section numbers (not 2.5% or 1.5倍)
    (
        "dotted",
        re.compile(
            rf"^{_DIG}{{1,2}}(?:[.．]{_DIG}{{1,2}})+(?![0-9０-９])[.．]?(?=[\s　]|[^\s.．%％倍年月日件人回か箇万千億])"
        ),
    ),
    ("paren_arabic", re.compile(rf"^{_OPEN}\s*{_DIG}{{1,2}}\s*{_CLOSE}")),
    ("paren_roman", re.compile(rf"^{_OPEN}\s*(?=[ivxⅰ-ⅻ])({_ROMAN_LOW})\s*{_CLOSE}")),
    ("paren_kata", re.compile(rf"^{_OPEN}\s*{_KATA}\s*{_CLOSE}")),
    ("paren_alpha", re.compile(rf"^{_OPEN}\s*[a-zａ-ｚ]\s*{_CLOSE}")),
    ("circled", re.compile(rf"^{_CIRCLED}")),
    ("roman", re.compile(rf"^(?=[IVXⅠ-Ⅻ])({_ROMAN_UP})(?:\s*[.．、]|[\s　]+)(?![A-Za-z]\b)")),
    (
        "arabic",
        re.compile(
            rf"^{_DIG}{{1,2}}(?:\s*[.．、](?!{_DIG})|\s*{_CLOSE}|[\s　]+)(?!{_DIG}|[年月日件%％人回])"
        ),
    ),
    ("kata", re.compile(rf"^{_KATA}(?:\s*[)）.．、]|[\s　]+)")),
    ("alpha", re.compile(r"^[A-ZＡ-Ｚa-z](?:\s*[.．)）])")),
]

# every reader: a marked line longer than this (or containing 。) is a sentence, not a heading


def limit_setting(name: str, default: int) -> int:
    """A reader limit from the environment (a positive integer; unset, empty or invalid → default).

    Read when a document is read, not at import, so a changed setting applies to the next import."""
    raw = os.environ.get(name, "").strip().replace("_", "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


# HTML (and HTML embedded in text) nested deeper than this is refused: ReaderError("too_complex")
MAX_NESTING_ENV = "KEIKAKU_IMPORT_MAX_NESTING"
DEFAULT_MAX_NESTING = 256


def max_nesting() -> int:
    return limit_setting(MAX_NESTING_ENV, DEFAULT_MAX_NESTING)


# a table whose grid (rows × widest row, merged cells counted in every position they cover) is larger
# than this is refused: ReaderError("too_large")
MAX_TABLE_CELLS_ENV = "KEIKAKU_IMPORT_MAX_TABLE_CELLS"
DEFAULT_MAX_TABLE_CELLS = 200_000


def limit_error(code: str, ja: str, en: str) -> ReaderError:
    return ReaderError(f"{ja} / {en}", code=code)


def nesting_error(depth: int, limit: int) -> ReaderError:
    return limit_error(
        "too_complex",
        f"HTML の入れ子が深すぎます ({depth:,} 段以上、上限 {limit:,} 段)",
        f"HTML nested too deeply ({depth:,}+ levels, limit {limit:,}; set {MAX_NESTING_ENV})",
    )


def fit_table(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Check a reader's table before anything expands it into a grid (Table.grid).

    A row span running past the last row is cut to the rows there are (as HTML does); then the grid
    the table would fill — rows × the most positions any row's cells (its own and those spanning into
    it from above) cover — must stay within KEIKAKU_IMPORT_MAX_TABLE_CELLS, else ReaderError."""
    n = len(rows)
    limit = limit_setting(MAX_TABLE_CELLS_ENV, DEFAULT_MAX_TABLE_CELLS)
    covered = [0] * (n + 1)  # difference array: positions covered per row
    for r, row in enumerate(rows):
        for cell in row:
            cell.colspan = max(1, cell.colspan)
            cell.rowspan = max(1, min(cell.rowspan, n - r))
            covered[r] += cell.colspan
            covered[r + cell.rowspan] -= cell.colspan
    width = run = 0
    for r in range(n):
        run += covered[r]
        width = max(width, run)
    if n * width > limit:
        raise limit_error(
            "too_large",
            f"表が大きすぎます ({n:,} 行 × {width:,} 列、上限 {limit:,} セル)",
            f"table too large ({n:,} rows × {width:,} columns, limit {limit:,} cells; set {MAX_TABLE_CELLS_ENV})",
        )
    return rows


BULLETS = "・●○◎■□◆◇▶▷►▸✓✔※-–—*"


@dataclass(frozen=True)
class Marker:
    written: str  # as written, trimmed: "1-①", "(1)", "Ⅱ.", "ア)"
    kind: str  # bracket, chapter, word, compound, dotted, paren_arabic, paren_roman, paren_kata, circled, roman, arabic, kata, alpha

    @property
    def key(self) -> str:
        """The marker without trailing punctuation: "1." → "1", "ア)" → "ア", "Ⅱ." → "Ⅱ"."""
        s = self.written.strip().replace("（", "(").replace("）", ")")
        if self.kind in ("arabic", "kata", "alpha", "roman", "dotted"):
            s = re.sub(r"[.．、)）]$", "", s).strip()
        if self.kind == "bracket":
            s = nfkc(s[1:-1]).strip()
        if self.kind == "word":
            m = _WORD_NUMBER.search(s)
            s = squash(m.group(0)) if m else s
        return s

    @property
    def style(self) -> str:
        """Kind plus depth for compound keys, so "1-①" and "(1)-1-ア" are different levels."""
        if self.kind == "compound":
            return f"compound{len(re.findall(_DASH, self.written))}"
        if self.kind == "dotted":
            return f"dotted{len(re.findall(r'[.．]', self.written.rstrip('.．')))}"
        if self.kind == "word":
            word = re.match(_LEVEL_WORD, self.written)
            return f"word:{word.group(0) if word else ''}{len(re.findall(_DASH, self.written))}"
        return self.kind


@lru_cache(maxsize=16384)  # a reader and then the recognisers ask about the same lines
def parse_marker(text: str, *, alone: bool = False) -> tuple[Marker | None, str]:
    """The one reader of number markers: "(1) 背景" → (Marker("(1)", "paren_arabic"), "背景"); no marker
    → (None, text). ``Marker.written`` is the marker as written, ``Marker.key`` without its punctuation.

    ``alone=True`` reads text that is a marker by itself (a reader's ``Block.marker``, a key cell): the
    patterns look at what follows a marker (a title does), so it is read as if a title followed; the rest
    is what the text holds after the marker ("" when the marker is the whole text).

    No recursion and no nested quantifiers: every pattern is anchored and runs in time linear in the
    text (a long run of blanks after 【 once backtracked quadratically)."""
    if alone:
        found, rest = parse_marker(text + " x")
        return (found, rest[:-1].rstrip()) if found is not None else (None, text)
    s = text.lstrip(" \t　")
    for kind, pat in _PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        written = m.group(0).strip(" \t　")
        if kind == "roman" and not m.group(1):
            continue
        if kind == "paren_roman" and not m.group(1):
            continue
        rest = s[m.end() :].lstrip(" \t　")
        if not rest and kind not in ("chapter", "word"):
            return None, text
        if kind in ("arabic", "kata", "alpha") and rest[:1] in ")）":
            continue
        if kind == "word" and re.match(r"[年月日件%％人回か箇]", rest):
            continue
        return Marker(written, kind), rest
    return None, text


def strip_bullet(text: str) -> tuple[str | None, str]:
    """Split a leading bullet (・, ●, ◆, ▶ …): "・電子申請" → ("・", "電子申請")."""
    s = text.lstrip(" \t　")
    if s and s[0] in BULLETS and not s.startswith("※") and len(s) > 1:
        return s[0], s[1:].lstrip(" \t　")
    return None, text


def normalise_key(key: str) -> str:
    """Compare keys across layouts: "1－①" == "1-①", "（1）" == "(1)"; circled digits kept."""
    out = []
    for ch in key:
        if "①" <= ch <= "⑳" or "㉑" <= ch <= "㉟":
            out.append(ch)
        else:
            out.append(nfkc(ch))
    s = "".join(out)
    s = re.sub(r"[‐ー―−–]", "-", s)
    return re.sub(r"\s+", "", s)
