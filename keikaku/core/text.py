"""Text normalisation, in one place: NFKC, width and kana folding, whitespace, "is this a sentence".

- :func:`nfkc` — Unicode NFKC. It folds width (全角 ＡＢＣ１２３ → ABC123, 半角 ｶﾅ → カナ) and
  compatibility forms (① → 1, Ⅱ → II, ㈱ → (株)). The form texts are read in.
- :func:`squash` — NFKC without any whitespace: the form texts are compared in.
- :func:`fold` — the search form: NFKC, lower case, katakana → hiragana (jaconv), control characters and
  runs of whitespace to one space.
- :func:`normalise_unit` — the form a KPI unit is compared in (％ and % are one unit).
- :func:`one_line` — runs of whitespace (newlines included) to one space, stripped.
- :func:`ends_sentence` / :func:`is_sentence` — the one test for running prose: ends with a full stop
  or a sentence ending (ます, です …), holds a 。, or is long.

Markers such as ① are read before NFKC (keikaku.ingest.markers): NFKC turns ① into 1.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jaconv

FULL_STOPS = ("。", "．")
# how a Japanese sentence ends (after the full stops, the polite and plain verb endings)
SENTENCE_ENDINGS = (*FULL_STOPS, "ます", "です", "する", "した")
# running text longer than this is prose even without a sentence ending (is_sentence's default)
LONG_PROSE_CHARS = 60

_WS = re.compile(r"\s+")


def nfkc(text: str | None) -> str:
    """Unicode NFKC (width and compatibility folding); None → ''."""
    return unicodedata.normalize("NFKC", text or "")


@lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """NFKC without any whitespace: the form texts are compared in."""
    return _WS.sub("", nfkc(text))


_UNIT_ALIASES = {"パーセント": "%", "percent": "%", "pct": "%", "ポイント": "pt"}


def normalise_unit(unit: str | None) -> str:
    """The form a unit is compared in (KPI actuals, targets, attainment): NFKC (％ → %, ｋｍ → km), no
    whitespace, a few spelled-out words folded (パーセント → %)."""
    u = _WS.sub("", nfkc(unit))
    return _UNIT_ALIASES.get(u.lower(), u)


def one_line(text: str | None) -> str:
    """Runs of whitespace (newlines, tabs, 全角 spaces included) to one space, stripped."""
    return " ".join((text or "").split())


def fold(text: str | None) -> str:
    """The search form: NFKC, lower case, katakana → hiragana, control characters and runs of whitespace
    to one space ('ｵﾝﾗｲﾝ 申請' and 'おんらいん申請' meet)."""
    s = jaconv.kata2hira(nfkc(text).lower())
    return one_line("".join(ch if ch.isprintable() else " " for ch in s))


def ends_sentence(text: str, endings: tuple[str, ...] = FULL_STOPS) -> bool:
    """The text ends (trailing whitespace ignored) with one of ``endings`` (by default a full stop 。 ．)."""
    return text.rstrip().endswith(endings)


def is_sentence(
    text: str, long_chars: int | None = LONG_PROSE_CHARS, endings: tuple[str, ...] = SENTENCE_ENDINGS
) -> bool:
    """Running prose rather than a title or a label: ends like a sentence (one of ``endings``), holds a 。,
    or is longer than ``long_chars`` characters (None: length alone never makes prose). Whitespace at the
    ends is ignored."""
    s = text.strip()
    return s.endswith(endings) or "。" in s or (long_chars is not None and len(s) > long_chars)
