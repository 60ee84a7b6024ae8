"""Pillar inference (基本的施策の推定): which of the law's five pillars a measure serves.

Where a plan maps its measures to the pillars (a letter column, a heading per pillar, a mapping table)
the extractor uses that (source ``document``). Where it does not, :func:`infer_pillars` guesses them with
a small model (source ``inferred``, with the model's probability as confidence):

- features: character n-grams (1–3, word-boundary aware) of the NFKC-normalised title and description,
  TF-IDF weighted with sublinear term frequency — Japanese has no spaces, and the telling words
  (オープンデータ, マイナンバー, 標準化, Wi-Fi …) are runs of characters;
- one logistic regression per pillar (one-vs-rest), so a measure can serve several pillars;
- the answer is the most probable pillar plus any other whose probability reaches ``THRESHOLD``.

The training set is the project's own labelled list of fictional measure titles,
``keikaku/ingest/data/pillar_training.jsonl`` (no text of any real plan); the model is fitted once per
process. A plan's own document-labelled measures can be passed with ``extra=``: they vote as nearest
neighbours in the model's TF-IDF space (cosine similarity), and the votes are blended with the model's
probabilities in proportion to how close the nearest one is — no refit, so a plan costs a matrix product.

``python -m keikaku.ingest.pillars --cv`` prints cross-validated figures; ``--gold DIR`` scores the
model on the document-labelled measures of gold annotations (an out-of-sample test).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from keikaku.core.pillars import PILLAR_CODES, PILLARS
from keikaku.core.plan import PillarRef, PillarSource
from keikaku.core.text import nfkc
from keikaku.ingest import pillar_file
from keikaku.ingest.pillar_file import StoredPillarModel

TRAINING_FILE = Path(__file__).parent / "data" / "pillar_training.jsonl"
CODES: tuple[str, ...] = tuple(p.code for p in PILLARS)  # A, B, C, D, E, other
THRESHOLD = 0.6  # a second (third …) pillar is reported when its probability reaches this (tuned by CV)
KNN_K = 5  # extra examples that vote for a measure: its nearest neighbours among the plan's labelled ones
KNN_WEIGHT = 0.5  # mass of a neighbour's labels at cosine 1 (the model counts 1; tuned on gold, see docs)
_C = 8.0  # inverse regularisation strength of each logistic regression

Example = tuple[str, list[str]]


@dataclass(frozen=True)
class LabelledMeasure:
    title: str
    pillars: tuple[str, ...]
    description: str = ""


def normalise(title: str, description: str = "") -> str:
    """The text the model sees: NFKC title, then the description (titles carry most of the signal)."""
    t = nfkc(title).strip()
    d = nfkc(description).strip()
    return f"{t} {t} {d}" if d else f"{t} {t}"


def load_training(path: Path = TRAINING_FILE) -> list[LabelledMeasure]:
    """Read and check the labelled set; raises ValueError naming the line of any bad record."""
    out: list[LabelledMeasure] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path.name}:{n}: not JSON ({e})") from e
        title = str(rec.get("title", "")).strip()
        codes = rec.get("pillars")
        if not title or not isinstance(codes, list) or not codes:
            raise ValueError(f"{path.name}:{n}: needs a title and a non-empty pillars list")
        unknown = [c for c in codes if c not in PILLAR_CODES]
        if unknown:
            raise ValueError(f"{path.name}:{n}: unknown pillar code(s) {unknown}")
        key = nfkc(title)
        if key in seen:
            raise ValueError(f"{path.name}:{n}: duplicate title {title!r}")
        seen.add(key)
        out.append(LabelledMeasure(title, tuple(dict.fromkeys(codes)), str(rec.get("description", ""))))
    return out


class PillarModel:
    """TF-IDF character n-grams + one logistic regression per pillar."""

    def __init__(self, texts: Sequence[str], labels: Sequence[Sequence[str]], weights: Sequence[float]):
        from sklearn.feature_extraction.text import TfidfVectorizer  # fitting only: imports use the file
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1, dtype=np.float32
        )
        x = self.vectorizer.fit_transform(texts)
        w = np.asarray(weights, dtype=float)
        self.models: dict[str, Any] = {}  # LogisticRegression, or a constant probability
        for code in CODES:
            y = np.array([code in lab for lab in labels], dtype=int)
            if y.min() == y.max():  # no positive (or no negative) example: a constant
                self.models[code] = float(y[0])
                continue
            clf = LogisticRegression(C=_C, class_weight="balanced", solver="liblinear")
            clf.fit(x, y, sample_weight=w)
            self.models[code] = clf

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """An array (len(texts), len(CODES)) of per-pillar probabilities."""
        return self.probabilities_of(self.vectorizer.transform(texts))

    def probabilities_of(self, x: Any) -> np.ndarray:
        """Per-pillar probabilities of TF-IDF rows ``x`` (the logistic function of each model's score,
        computed directly rather than through predict_proba's input checks)."""
        if not hasattr(self, "_coef"):
            fitted = [m for m in self.models.values() if not isinstance(m, float)]
            self._coef = np.column_stack([m.coef_.ravel() for m in fitted]) if fitted else None
            self._intercept = np.array([m.intercept_[0] for m in fitted])
        scores = x @ self._coef + self._intercept if self._coef is not None else None
        cols = []
        k = 0
        for code in CODES:
            m = self.models[code]
            if isinstance(m, float):
                cols.append(np.full(x.shape[0], m))
            else:
                assert scores is not None  # a fitted model exists, so scores were computed
                cols.append(pillar_file.logistic(np.asarray(scores[:, k]).ravel()))
                k += 1
        return np.column_stack(cols)


def decide(probs: np.ndarray, threshold: float = THRESHOLD) -> list[tuple[str, float]]:
    """Top-1 always, then every other pillar at or above the threshold, most probable first."""
    order = np.argsort(-probs, kind="stable")
    chosen = [order[0]] + [i for i in order[1:] if probs[i] >= threshold]
    return [(CODES[i], float(probs[i])) for i in chosen]


def _fit(items: Iterable[LabelledMeasure]) -> PillarModel:
    texts: list[str] = []
    labels: list[Sequence[str]] = []
    for m in items:
        texts.append(normalise(m.title, m.description))
        labels.append(m.pillars)
    return PillarModel(texts, labels, [1.0] * len(texts))


@lru_cache(maxsize=1)
def _base_training() -> tuple[LabelledMeasure, ...]:
    return tuple(load_training())


@lru_cache(maxsize=1)
def _model() -> PillarModel | StoredPillarModel:
    """The stored model (data/pillar_model.npz) when it matches the training list, else one fitted now."""
    stored = pillar_file.load(pillar_file.training_digest(TRAINING_FILE))
    return stored if stored is not None else _fit(_base_training())


def build_model_file() -> Path:
    """Fit the model on the training list and write data/pillar_model.npz (``--build``)."""
    pillar_file.save(_fit(_base_training()), CODES, pillar_file.training_digest(TRAINING_FILE))
    return pillar_file.MODEL_FILE


@dataclass(frozen=True)
class _Neighbours:
    """A plan's document-labelled measures in the model's TF-IDF space (rows L2-normalised)."""

    x: Any  # sparse (n, features)
    y: np.ndarray  # (n, len(CODES)) 0/1 labels


@lru_cache(maxsize=8)
def _neighbours(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> _Neighbours:
    x = _model().vectorizer.transform([normalise(t) for t, _ in extra])
    y = np.array([[float(c in codes) for c in CODES] for _, codes in extra])
    return _Neighbours(x, y)


def blend_neighbours(probs: np.ndarray, sims: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The model's probabilities pooled with the labels of the ``KNN_K`` most similar labelled measures:
    each neighbour adds its labels with mass ``KNN_WEIGHT`` × its cosine similarity, the model counts 1."""
    top = np.argsort(-sims, kind="stable")[:KNN_K]
    top = top[sims[top] > 0]
    if not len(top):
        return probs
    w = KNN_WEIGHT * sims[top]
    return (probs + w @ labels[top]) / (1.0 + float(w.sum()))


def _extra_key(extra: list[tuple[str, list[str]]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not extra:
        return ()
    key: list[tuple[str, tuple[str, ...]]] = []
    for text, codes in extra:
        good = tuple(c for c in dict.fromkeys(codes) if c in PILLAR_CODES)
        if text.strip() and good:
            key.append((text, good))
    return tuple(key)


def infer_pillars(
    title: str, description: str = "", *, extra: list[tuple[str, list[str]]] | None = None
) -> list[PillarRef]:
    """The pillars a measure most likely serves (at least one), as inferred PillarRefs.

    ``extra``: (measure text, pillar codes) pairs labelled by the same document (e.g. measures under a
    pillar heading elsewhere in the plan); the nearest of them vote (see :func:`blend_neighbours`).
    The model is trained once per process and cached; so is each distinct ``extra`` set's index.
    """
    return infer_pillars_many([(title, description)], extra=extra)[0]


def infer_pillars_many(
    measures: Sequence[tuple[str, str]], *, extra: list[tuple[str, list[str]]] | None = None
) -> list[list[PillarRef]]:
    """:func:`infer_pillars` for many (title, description) pairs at once (one vectoriser pass)."""
    if not measures:
        return []
    model = _model()
    x = model.vectorizer.transform([normalise(t, d) for t, d in measures])
    probs = model.probabilities_of(x)
    key = _extra_key(extra)
    sims = None
    if key:
        nb = _neighbours(key)
        sims = np.asarray((x @ nb.x.T).todense())
    out: list[list[PillarRef]] = []
    for i in range(len(measures)):
        p = probs[i] if sims is None else blend_neighbours(probs[i], sims[i], nb.y)
        out.append(
            [
                PillarRef(code=code, source=PillarSource.INFERRED, confidence=round(min(max(q, 0.0), 1.0), 4))
                for code, q in decide(p)
            ]
        )
    return out


def _set_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, float]:
    exact = sum(set(g) == set(p) for g, p in zip(gold, pred, strict=True))
    top1 = sum(p[0] in g for g, p in zip(gold, pred, strict=True) if p)
    tp = sum(len(set(g) & set(p)) for g, p in zip(gold, pred, strict=True))
    n_pred = sum(len(set(p)) for p in pred)
    n_gold = sum(len(set(g)) for g in gold)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    n = len(gold)
    return {
        "n": n,
        "accuracy": round(exact / n, 4) if n else 0.0,
        "top1_accuracy": round(top1 / n, 4) if n else 0.0,
        "micro_f1": round(f1, 4),
    }


def cross_validate(k: int = 5, *, seed: int = 0) -> dict[str, Any]:
    """k-fold cross-validation on the training file: exact-set accuracy, top-1 accuracy, micro-F1."""
    items = list(_base_training())
    idx = list(range(len(items)))
    random.Random(seed).shuffle(idx)
    folds = [idx[i::k] for i in range(k)]
    gold: list[Sequence[str]] = []
    pred: list[list[str]] = []
    for f in range(k):
        held = set(folds[f])
        model = _fit([items[i] for i in idx if i not in held])
        test = [items[i] for i in folds[f]]
        probs = model.probabilities([normalise(m.title, m.description) for m in test])
        for m, p in zip(test, probs, strict=True):
            gold.append(m.pillars)
            pred.append([c for c, _ in decide(p)])
    return {"k": k, **_set_scores(gold, pred)}


def gold_measures(gold_dir: Path) -> list[tuple[str, str, list[str], str]]:
    """(file, title, pillar codes, description) of gold measures whose pillars the document states.

    Municipal plans: ``pillars_source == "document"`` and a non-empty ``pillars``. The guide (a catalogue
    whose measures carry one ``code``) counts as document-labelled too.
    """
    out: list[tuple[str, str, list[str], str]] = []
    for f in sorted(gold_dir.glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        for m in data.get("measures", []):
            title = str(m.get("title", ""))
            desc = str(m.get("description") or "")
            if "pillars" in m:
                codes = [c for c in m["pillars"] if c in PILLAR_CODES]
                if m.get("pillars_source") == "document" and codes:
                    out.append((f.name, title, codes, desc))
            elif m.get("code") in PILLAR_CODES:
                out.append((f.name, title, [m["code"]], desc))
    return out


def evaluate_gold(
    gold_dir: Path, *, use_description: bool = False, same_plan_extra: bool = False
) -> dict[str, Any]:
    """Score infer_pillars on the gold's document-labelled measures, per file and in total.

    ``same_plan_extra``: leave-one-out within each plan — every other document-labelled measure of the
    same plan is passed as ``extra`` (what the extractor does when a plan labels only some measures).
    """
    rows = gold_measures(gold_dir)
    by_file: dict[str, tuple[list[list[str]], list[list[str]]]] = {}
    for i, (name, title, codes, desc) in enumerate(rows):
        extra = None
        if same_plan_extra:
            extra = [(t, c) for j, (n, t, c, _) in enumerate(rows) if n == name and j != i]
        got = [r.code for r in infer_pillars(title, desc if use_description else "", extra=extra)]
        g, p = by_file.setdefault(name, ([], []))
        g.append(codes)
        p.append(got)
    all_g = [x for g, _ in by_file.values() for x in g]
    all_p = [x for _, p in by_file.values() for x in p]
    return {
        "files": {name: _set_scores(g, p) for name, (g, p) in by_file.items()},
        "total": _set_scores(all_g, all_p),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m keikaku.ingest.pillars", description=__doc__.split("\n")[0])
    ap.add_argument("--cv", action="store_true", help="k-fold cross-validation on the training file")
    ap.add_argument("--build", action="store_true", help="write data/pillar_model.npz from the training file")
    ap.add_argument("-k", type=int, default=5, help="folds for --cv (default 5)")
    ap.add_argument("--gold", type=Path, help="score on the document-labelled measures of gold/*.json")
    ap.add_argument("--with-description", action="store_true", help="--gold: give the model descriptions")
    ap.add_argument(
        "--same-plan-extra",
        action="store_true",
        help="--gold: leave-one-out, the plan's other labelled measures passed as extra (slow: a fit each)",
    )
    args = ap.parse_args(argv)
    if args.build:
        print(build_model_file())
        return 0
    if not args.cv and not args.gold:
        ap.print_help()
        return 2
    if args.cv:
        r = cross_validate(args.k)
        print(
            f"cross-validation ({r['k']}-fold, {r['n']} labelled measures): "
            f"accuracy (exact set) {r['accuracy']:.3f}  top-1 {r['top1_accuracy']:.3f}  "
            f"micro-F1 {r['micro_f1']:.3f}"
        )
    if args.gold:
        if not args.gold.is_dir():
            print(f"no such directory: {args.gold}", file=sys.stderr)
            return 1
        r = evaluate_gold(
            args.gold, use_description=args.with_description, same_plan_extra=args.same_plan_extra
        )
        print(f"{'file':<28} {'n':>4} {'exact':>6} {'top1':>6} {'microF1':>8}")
        for name, s in [*r["files"].items(), ("TOTAL", r["total"])]:
            print(
                f"{name:<28} {s['n']:>4} {s['accuracy']:>6.3f} {s['top1_accuracy']:>6.3f} {s['micro_f1']:>8.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
