"""Text similarity of measures (施策の類似度): "similar measures elsewhere" and "measures two plans share".

Japanese has no spaces between words, so measures are compared by character n-grams: a TF-IDF weighted
bag of 2- and 3-character shingles with cosine similarity (scikit-learn), after NFKC normalisation and
with punctuation and spaces removed. A plain shingle Jaccard (:func:`jaccard`) is here too for small
one-off comparisons and tests.

Pure: no Django, no database. Callers give texts and get indices and scores back.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from keikaku.core.text import nfkc

# punctuation, symbols and spaces carry no meaning for similarity; brackets and markers neither
_NOISE = re.compile(
    r"[\s\u3000、。，．,.・:：;；!！?？()（）「」『』【】\[\]{}<>＜＞〈〉《》\"'“”‘’~〜～\-－―_/／\\|｜…]+"
)
NGRAM_RANGE = (2, 3)
DEFAULT_SHARED_THRESHOLD = 0.25
TITLE_WEIGHT = 2  # the title counts this many times against the description once
DESCRIPTION_CHARS = 300  # only the start of a long description: it says what the measure is


def normalise(text: str) -> str:
    """NFKC, lower case, punctuation turned into single spaces (the long vowel mark ー is kept)."""
    text = nfkc(text).lower()
    return re.sub(r" +", " ", _NOISE.sub(" ", text)).strip()


def measure_text(title: str, description: str = "") -> str:
    """The text a measure is compared by: its title (weighted) and the start of its description."""
    parts = [title] * TITLE_WEIGHT
    if description:
        parts.append(description[:DESCRIPTION_CHARS])
    return "\n".join(parts)


def shingles(text: str, n: int = 2) -> set[str]:
    """The set of character n-grams of the normalised text (spaces removed)."""
    s = normalise(text).replace(" ", "")
    if len(s) < n:
        return {s} if s else set()
    return {s[i : i + n] for i in range(len(s) - n + 1)}


def jaccard(a: str, b: str, n: int = 2) -> float:
    """Shingle Jaccard similarity in [0, 1]; 0 when either text is empty."""
    sa, sb = shingles(a, n), shingles(b, n)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        preprocessor=normalise,
        sublinear_tf=True,
        dtype=np.float32,
    )


def _has_content(texts: Sequence[str]) -> bool:
    return any(len(normalise(t).replace(" ", "")) >= NGRAM_RANGE[0] for t in texts)


class TextIndex:
    """A TF-IDF index over texts; ask it for the nearest texts to one of its own or to a new text.

    Indices returned are positions in the sequence the index was built from.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        self._vec: TfidfVectorizer | None = None
        self._matrix: csr_matrix | None = None
        if texts and _has_content(texts):
            self._vec = _vectorizer()
            self._matrix = self._vec.fit_transform(texts).tocsr()

    def _rank(
        self, row: csr_matrix, k: int, exclude: Collection[int], minimum: float
    ) -> list[tuple[int, float]]:
        if self._matrix is None or k <= 0:
            return []
        scores = np.asarray((self._matrix @ row.T).todense()).ravel()
        if exclude:
            idx = np.fromiter((i for i in exclude if 0 <= i < self.size), dtype=np.int64)
            scores[idx] = -1.0
        count = min(k, self.size)
        top = np.argpartition(-scores, count - 1)[:count] if count < self.size else np.arange(self.size)
        ranked = sorted(((int(i), float(scores[i])) for i in top), key=lambda t: (-t[1], t[0]))
        return [(i, round(min(1.0, s), 4)) for i, s in ranked if s > minimum]

    def similar_to(
        self, position: int, k: int = 5, *, exclude: Collection[int] = (), minimum: float = 0.0
    ) -> list[tuple[int, float]]:
        """The k texts most similar to the text at ``position`` (never itself), best first."""
        if self._matrix is None:
            return []
        if not 0 <= position < self.size:
            raise IndexError(position)
        return self._rank(self._matrix[position], k, {*exclude, position}, minimum)

    def query(
        self, text: str, k: int = 5, *, exclude: Collection[int] = (), minimum: float = 0.0
    ) -> list[tuple[int, float]]:
        """The k indexed texts most similar to a new text, best first."""
        if self._vec is None:
            return []
        return self._rank(self._vec.transform([text]).tocsr(), k, exclude, minimum)


def cross_similarity(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """The cosine similarity of every text of ``a`` with every text of ``b`` (len(a) × len(b))."""
    if not a or not b or not _has_content([*a, *b]):
        return np.zeros((len(a), len(b)), dtype=np.float32)
    vec = _vectorizer()
    vec.fit([*a, *b])
    return np.asarray((vec.transform(a) @ vec.transform(b).T).todense(), dtype=np.float32)


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    score: float


def pair_up(scores: np.ndarray, threshold: float = DEFAULT_SHARED_THRESHOLD) -> list[Pair]:
    """One-to-one pairs (greedy, best score first) whose similarity is at least ``threshold``.

    Each text of either side is used at most once; the pairs come back in order of ``a``.
    """
    if scores.size == 0:
        return []
    rows, cols = np.nonzero(scores >= threshold)
    candidates = sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda rc: (-scores[rc], rc))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append(Pair(i, j, round(min(1.0, float(scores[i, j])), 4)))
    return sorted(pairs, key=lambda p: p.a)
