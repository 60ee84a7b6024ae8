"""Search text: normalisation, relevance scores, highlighting and 「もしかして」 suggestions (pure Python).

Normalisation (both sides of a search): NFKC (full/half width), lower case, katakana → hiragana, a hyphen or
dash written after a kana read as the long-vowel mark (``オープンデ-タ`` = ``オープンデータ``), control
characters and runs of spaces collapsed.

Score: BM25F over two fields — the title (weight ``TITLE_WEIGHT``) and the body (description, KPIs,
departments; weight 1) — with a term's frequency counted as substring occurrences in the normalised text
(the indexes are trigram/bigram substring indexes, so a "term" is any substring), field lengths in
characters. The order of results is ``(title has every term first, higher score, lower measure id)``:
deterministic, and the same on SQLite and PostgreSQL because it is computed here from the same rows.

Suggestions: the nearest indexed words (runs of kanji, katakana or Latin letters in titles, see
``title_words``) by Levenshtein distance (rapidfuzz), more frequent words first on equal distance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jaconv
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from keikaku.core.text import fold, nfkc

_KATA2HIRA = str.maketrans(  # jaconv.kata2hira as a translation table (fold's katakana → hiragana)
    {chr(c): jaconv.kata2hira(chr(c)) for c in range(0x30A0, 0x3100) if jaconv.kata2hira(chr(c)) != chr(c)}
)

TITLE_WEIGHT = 5.0
BODY_WEIGHT = 1.0
K1 = 1.2
B_TITLE = 0.75
B_BODY = 0.75
AVG_TITLE = 20.0  # characters of the normalised title (national synthetic data: 20.6; sample plans: 14.6)
AVG_BODY = 100.0  # characters of the normalised body: description, KPIs, departments (93; 119)

_DASHES = frozenset("-‐‑‒–—―−")  # after NFKC; "－" → "-", "ｰ" → "ー" already
_VOICING = frozenset("ﾞﾟ\u3099\u309a")  # half-width and combining (semi-)voiced sound marks


def _is_kana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u30ff" and ch not in "・゠"


def _long_vowels(text: str) -> str:
    """A dash right after a kana (of folded text) → ー."""
    if not any(ch in _DASHES for ch in text):
        return text
    chars = list(text)
    for i in range(1, len(chars)):
        if chars[i] in _DASHES and _is_kana(chars[i - 1]):
            chars[i] = "ー"
    return "".join(chars)


def _normalise_char(ch: str, prev: str) -> str:
    out = fold(ch) or " "  # a space or control character stays one (fold would drop it alone)
    if out in _DASHES and _is_kana(prev):
        return "ー"
    return out


def normalise(text: str) -> str:
    """The search form (keikaku.core.text.fold: NFKC, lower case, katakana → hiragana, control characters and
    runs of spaces collapsed), with a dash after a kana read as ー."""
    return _long_vowels(fold(text))


def text_runs(text: str) -> list[str]:
    """Maximal runs of letters and digits (the units bigrams are taken from)."""
    runs, cur = [], []
    for ch in text:
        if ch.isalnum():
            cur.append(ch)
        elif cur:
            runs.append("".join(cur))
            cur = []
    if cur:
        runs.append("".join(cur))
    return runs


def grams(text: str) -> str:
    """Space-separated character bigrams of each run, plus the run's last character on its own
    (so a 1-character prefix query finds characters at the end of a run too)."""
    out: list[str] = []
    for run in text_runs(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.append(run[-1])
    return " ".join(out)


# ---------------------------------------------------------------- score


@dataclass(frozen=True)
class Candidate:
    measure_id: int
    title: str  # normalised
    body: str  # normalised


def score(terms: list[str], title: str, body: str) -> float:
    """BM25F of normalised ``title`` and ``body`` for normalised ``terms`` (each a substring). No IDF: every
    result holds every term (AND), and on the judged queries per-term weights from capped counts changed no
    order while costing one count per term (docs/benchmarks.md)."""
    norm_t = 1.0 - B_TITLE + B_TITLE * len(title) / AVG_TITLE
    norm_b = 1.0 - B_BODY + B_BODY * len(body) / AVG_BODY
    total = 0.0
    for t in terms:
        tf = TITLE_WEIGHT * title.count(t) / norm_t + BODY_WEIGHT * body.count(t) / norm_b
        if tf > 0:
            total += tf / (K1 + tf)
    return total


def rank(terms: list[str], candidates: Iterable[Candidate]) -> list[tuple[int, float]]:
    """(measure_id, score), best first; ties by measure id. Scores are rounded (9 places) so that the
    order never depends on floating-point noise."""
    scored = [(c.measure_id, round(score(terms, c.title, c.body), 9)) for c in candidates]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored


# ---------------------------------------------------------------- highlight


def highlight(text: str, terms: Iterable[str]) -> list[tuple[str, bool]]:
    """``text`` (as written) cut into (piece, matched) parts: matched where the normalised text contains
    one of the normalised ``terms``. Each character is normalised on its own and mapped back, so width,
    case and katakana/hiragana differences still match. Plain strings: the caller escapes them."""
    text = text or ""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not text or not terms:
        return [(text, False)] if text else []
    quick = _quick_fold(text)
    if quick is not None:  # one normalised character per written character: positions carry over
        return _parts(text, _marks(quick, terms, lambda k: (k, k + 1)))
    units: list[tuple[int, int]] = []  # (start, end) in text: a character and its voicing marks (ﾃﾞ)
    for i, ch in enumerate(text):
        if units and ch in _VOICING:
            units[-1] = (units[-1][0], i + 1)
        else:
            units.append((i, i + 1))
    norm: list[str] = []
    owner: list[int] = []  # unit of each normalised character
    prev = ""
    for u, (a, b) in enumerate(units):
        n = _normalise_char(text[a:b], prev)
        prev = n[-1:] if n else prev
        norm.extend(n)
        owner.extend([u] * len(n))
    flat = "".join(norm)
    return _parts(text, _marks(flat, terms, lambda k: units[owner[k]]))


def _quick_fold(text: str) -> str | None:
    """``text`` normalised character by character when that keeps its length (the usual case: NFKC and
    lower case change no length, katakana → hiragana and ー never do), else None. Spaces are kept: terms
    never contain one."""
    folded = nfkc(text).lower()
    if len(folded) != len(text) or not _VOICING.isdisjoint(text):
        return None
    return _long_vowels(folded.translate(_KATA2HIRA))


def _marks(flat: str, terms: list[str], span: Callable[[int], tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for t in terms:
        start = flat.find(t)
        while start != -1:
            a, _ = span(start)
            _, b = span(start + len(t) - 1)
            out.append((a, b))
            start = flat.find(t, start + 1)
    return out


def _parts(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    parts: list[tuple[str, bool]] = []
    at = 0
    for a, b in sorted(spans):
        if b <= at:
            continue
        a = max(a, at)
        if a > at:
            parts.append((text[at:a], False))
        if parts and parts[-1][1] and a == at:
            parts[-1] = (parts[-1][0] + text[a:b], True)
        else:
            parts.append((text[a:b], True))
        at = b
    if at < len(text):
        parts.append((text[at:], False))
    return parts


# ---------------------------------------------------------------- suggestions


def _script(ch: str) -> str:
    if ch == "ー" or "\u30a1" <= ch <= "\u30fa":
        return "katakana"
    if "\u4e00" <= ch <= "\u9fff" or ch in "々〆ヶ":
        return "kanji"
    if ch.isascii() and ch.isalnum():
        return "latin"
    return ""


def title_words(title: str) -> list[tuple[str, str]]:
    """Words a title is made of, as (normalised, as written after NFKC): maximal runs of katakana, of kanji
    or of Latin letters and digits, two characters or more (hiragana runs are mostly particles)."""
    text = nfkc(title)
    out: list[tuple[str, str]] = []
    run, kind = "", ""
    for ch in text + " ":
        k = _script(ch)
        if k and k == kind:
            run += ch
            continue
        if kind and len(run) >= 2 and not (kind == "katakana" and set(run) == {"ー"}):
            out.append((normalise(run), run))
        run, kind = (ch, k) if k else ("", "")
    return out


@dataclass(frozen=True)
class Vocabulary:
    """Indexed words: normalised → (as written, how many titles hold it)."""

    words: dict[str, tuple[str, int]]

    @classmethod
    def from_titles(cls, titles: Iterable[tuple[str, int]]) -> Vocabulary:
        """From (title as written, how many measures have it)."""
        words: dict[str, tuple[str, int]] = {}
        for title, n in titles:
            for norm, written in dict(title_words(title)).items():
                shown, count = words.get(norm, (written, 0))
                words[norm] = (shown, count + n)
        return cls(words)

    def nearest(self, term: str) -> str | None:
        """The nearest word (normalised) to a normalised term that is not itself a word: Levenshtein
        distance ≤ 1 (≤ 2 for terms of 6+ characters), then more frequent, then the smaller string."""
        if len(term) < 3 or term in self.words or not self.words:
            return None
        limit = 2 if len(term) >= 6 else 1
        found = process.extract(
            term, list(self.words), scorer=Levenshtein.distance, score_cutoff=limit, limit=20
        )
        if not found:
            return None
        best = min(found, key=lambda f: (f[1], -self.words[f[0]][1], f[0]))
        return str(best[0])

    def written(self, norm: str) -> str:
        return self.words[norm][0] if norm in self.words else norm
