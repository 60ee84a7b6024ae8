"""The pillar model as a small file: the fitted TF-IDF vocabulary, IDF weights and logistic-regression
coefficients (``data/pillar_model.npz``), so that an import does not load scikit-learn or fit the model at
every start (that cost ~3 s of a cold ``keikaku import``).

The file is built from the training list by ``python -m keikaku.ingest.pillars --build`` and carries the
training file's SHA-256: when the list changes and the file was not rebuilt, the model is fitted in
process as before (and a test fails, so the file is rebuilt in the same commit). The transform below is
scikit-learn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)`` written out
(lower-casing, word-boundary character n-grams, 1 + log tf, × idf, L2 rows); a test checks it gives the
same probabilities as the fitted scikit-learn model.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

MODEL_FILE = Path(__file__).parent / "data" / "pillar_model.npz"
_WHITE = re.compile(r"\s\s+")


def logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x), as scipy.special.expit computes it (equal to the last bit; scipy.special alone
    takes a quarter of a second to import, on every cold start of an import)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def training_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def char_wb_ngrams(text: str, n_min: int = 1, n_max: int = 3) -> list[str]:
    """scikit-learn's char_wb analyser: n-grams inside each space-padded word, lower-cased."""
    out: list[str] = []
    for w in _WHITE.sub(" ", text.lower()).split():
        w = f" {w} "
        for n in range(n_min, n_max + 1):
            offset = 0
            out.append(w[offset : offset + n])
            while offset + n < len(w):
                offset += 1
                out.append(w[offset : offset + n])
            if offset == 0:
                break
    return out


class StoredPillarModel:
    """The fitted model read back: ``transform`` and ``probabilities_of`` as PillarModel has them."""

    def __init__(self, data: Any) -> None:
        self.codes: list[str] = json.loads(str(data["codes"]))
        self.vocabulary: dict[str, int] = {t: i for i, t in enumerate(json.loads(str(data["terms"])))}
        self.idf = np.asarray(data["idf"], dtype=np.float64)
        self.coef = np.asarray(data["coef"], dtype=np.float64)  # (features, fitted codes)
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self.constants: dict[str, float] = json.loads(str(data["constants"]))
        self.digest = str(data["digest"])
        self.vectorizer = self  # PillarModel's callers use model.vectorizer.transform

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            counts = Counter(i for g in char_wb_ngrams(text) if (i := self.vocabulary.get(g)) is not None)
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64)
            tf = np.array([1.0 + math.log(c) for c in counts.values()]) * self.idf[idx]
            tf /= np.linalg.norm(tf)
            rows.extend([r] * len(idx))
            cols.extend(idx.tolist())
            vals.extend(tf.tolist())
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocabulary)))

    def probabilities_of(self, x: Any) -> np.ndarray:
        scores = np.asarray(x @ self.coef) + self.intercept
        cols, k = [], 0
        for code in self.codes:
            if code in self.constants:
                cols.append(np.full(x.shape[0], self.constants[code]))
            else:
                cols.append(logistic(scores[:, k]))
                k += 1
        return np.column_stack(cols)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return self.probabilities_of(self.transform(texts))


def save(model: Any, codes: Sequence[str], digest: str, path: Path = MODEL_FILE) -> None:
    """Write a fitted PillarModel (scikit-learn) as the small file."""
    vocab = model.vectorizer.vocabulary_
    terms = [""] * len(vocab)
    for t, i in vocab.items():
        terms[i] = t
    fitted = [c for c in codes if not isinstance(model.models[c], float)]
    coef = np.column_stack([model.models[c].coef_.ravel() for c in fitted])
    np.savez_compressed(
        path,
        codes=json.dumps(list(codes)),
        terms=json.dumps(terms, ensure_ascii=False),
        idf=model.vectorizer.idf_.astype(np.float64),
        coef=coef,
        intercept=np.array([model.models[c].intercept_[0] for c in fitted]),
        constants=json.dumps({c: m for c, m in model.models.items() if isinstance(m, float)}),
        digest=digest,
    )


def load(digest: str, path: Path = MODEL_FILE) -> StoredPillarModel | None:
    """The stored model when the file exists and was built from this training list, else None."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        model = StoredPillarModel(data)
    return model if model.digest == digest else None
