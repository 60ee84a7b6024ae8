"""Text similarity of measures: normalisation, shingles, the TF-IDF index and one-to-one pairing."""

from __future__ import annotations

import numpy as np
import pytest

from keikaku.core import similarity as sim

MEASURES = [
    "電子申請システムによる行政手続のオンライン化",
    "マイナンバーカードの交付促進と出張申請受付",
    "オープンデータの公開と利活用の推進",
    "高齢者向けスマートフォン教室の開催",
    "基幹業務システムの標準化・共通化への移行",
]


def test_normalise_folds_width_and_drops_punctuation() -> None:
    assert sim.normalise("ＤＸ推進（みどり市）、ＡＩ・ＲＰＡ。") == "dx推進 みどり市 ai rpa"
    assert sim.normalise("データ　ー") == "データ ー"
    assert sim.normalise("") == ""


def test_jaccard_and_shingles() -> None:
    assert sim.shingles("ABCA") == {"ab", "bc", "ca"}
    assert sim.shingles("a") == {"a"}
    assert sim.jaccard("オープンデータの公開", "オープンデータの公開") == 1.0
    assert sim.jaccard("オープンデータの公開", "") == 0.0
    close = sim.jaccard("オープンデータの公開", "オープンデータの公開拡充")
    far = sim.jaccard("オープンデータの公開", "スマートフォン教室の開催")
    assert 0.5 < close < 1.0 and far < 0.1


def test_index_finds_the_same_measure_worded_differently() -> None:
    index = sim.TextIndex(MEASURES)
    hits = index.query("行政手続のオンライン化と電子申請の拡大", k=3)
    assert hits[0][0] == 0
    assert hits[0][1] > hits[1][1]
    hits = index.query("マイナンバーカードの取得促進", k=2)
    assert hits[0][0] == 1
    assert all(0.0 < s <= 1.0 for _i, s in hits)


def test_similar_to_never_returns_itself_and_honours_exclude_and_minimum() -> None:
    texts = [*MEASURES, "オープンデータの公開拡充と利活用促進"]
    index = sim.TextIndex(texts)
    hits = index.similar_to(2, k=3)
    assert 2 not in [i for i, _ in hits]
    assert hits[0][0] == 5
    assert 5 not in [i for i, _ in index.similar_to(2, k=3, exclude={5})]
    assert index.similar_to(2, k=10, minimum=0.99) == []
    assert len(index.similar_to(2, k=100)) <= len(texts) - 1
    with pytest.raises(IndexError):
        index.similar_to(99)


def test_empty_and_blank_inputs() -> None:
    assert sim.TextIndex([]).query("何か") == []
    blank = sim.TextIndex(["", " 、 "])
    assert blank.similar_to(0) == [] and blank.query("オンライン") == []
    assert sim.cross_similarity([], ["a"]).shape == (0, 1)
    assert not sim.cross_similarity(["、"], ["。"]).any()


def test_cross_similarity_and_pair_up_are_one_to_one() -> None:
    a = ["オープンデータの公開", "スマートフォン教室の開催", "庁内の無線LAN整備"]
    b = ["スマホ教室の開催（高齢者向け）", "オープンデータの公開と活用", "オープンデータカタログの公開"]
    scores = sim.cross_similarity(a, b)
    assert scores.shape == (3, 3)
    pairs = sim.pair_up(scores, threshold=0.2)
    assert [(p.a, p.b) for p in pairs] == [(0, 1), (1, 0)]
    assert len({p.b for p in pairs}) == len(pairs)
    assert sim.pair_up(np.zeros((0, 0))) == []
    assert sim.pair_up(scores, threshold=1.01) == []


def test_measure_text_weights_the_title() -> None:
    text = sim.measure_text("窓口の改善", "説明" * 400)
    assert text.count("窓口の改善") == sim.TITLE_WEIGHT
    assert len(text) < 400 + 3 * len("窓口の改善") + 5
