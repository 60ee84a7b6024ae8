"""The pillar model kept as a small file (ingest/data/pillar_model.npz): built from the training list it
names, and giving what the model fitted by scikit-learn gives."""

from __future__ import annotations

import numpy as np

from keikaku.ingest import pillar_file, pillars


def test_committed_file_is_built_from_the_current_training_list() -> None:
    digest = pillar_file.training_digest(pillars.TRAINING_FILE)
    assert pillar_file.load(digest) is not None, "run: python -m keikaku.ingest.pillars --build"


def test_stored_model_equals_the_fitted_model() -> None:
    stored = pillar_file.load(pillar_file.training_digest(pillars.TRAINING_FILE))
    assert stored is not None
    fitted = pillars._fit(pillars._base_training())
    texts = [pillars.normalise(m.title, m.description) for m in pillars._base_training()]
    texts += [
        pillars.normalise("住民票のコンビニ交付とオンライン申請の拡大", ""),
        pillars.normalise("Wi-Fi  環境の整備  と  スマホ教室", "高齢者向け"),
        pillars.normalise("", ""),
    ]
    assert np.allclose(stored.probabilities(texts), fitted.probabilities(texts), atol=1e-6)


def test_imports_use_the_stored_model() -> None:
    pillars._model.cache_clear()
    try:
        assert isinstance(pillars._model(), pillar_file.StoredPillarModel)
    finally:
        pillars._model.cache_clear()


def test_char_wb_ngrams_as_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyse = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3)).build_analyzer()
    for text in ["オープンデータ の推進", "Wi-Fi  整備\tA", "a", ""]:
        assert pillar_file.char_wb_ngrams(text) == analyse(text)
