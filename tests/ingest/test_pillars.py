"""Pillar inference: the labelled set, the model's behaviour, and its accuracy on the corpus gold."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from keikaku.core.pillars import PILLAR_CODES
from keikaku.core.plan import PillarRef, PillarSource
from keikaku.ingest import pillars
from keikaku.ingest.pillars import (
    TRAINING_FILE,
    cross_validate,
    evaluate_gold,
    gold_measures,
    infer_pillars,
    load_training,
)

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "gold"


def codes(refs: list[PillarRef]) -> list[str]:
    return [r.code for r in refs]


# --- the training file ------------------------------------------------------------------------------


def test_training_file_is_valid_and_balanced() -> None:
    raw = [
        json.loads(line) for line in TRAINING_FILE.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert len(raw) >= 400
    titles = [unicodedata.normalize("NFKC", r["title"]) for r in raw]
    assert len(set(titles)) == len(titles), "duplicate titles"
    counts = dict.fromkeys(PILLAR_CODES, 0)
    for r in raw:
        assert set(r) <= {"title", "description", "pillars"}
        assert r["title"].strip() and r["pillars"]
        assert set(r["pillars"]) <= PILLAR_CODES, r
        assert len(set(r["pillars"])) == len(r["pillars"]), r
        for c in r["pillars"]:
            counts[c] += 1
    assert min(counts.values()) >= 60, counts  # every pillar, other included, well represented
    assert sum(len(r["pillars"]) > 1 for r in raw) >= 30  # multi-label examples exist
    assert len(load_training()) == len(raw)


def test_training_file_mentions_no_seed_municipality() -> None:
    text = TRAINING_FILE.read_text(encoding="utf-8")
    for name in ("都城", "名取", "東御", "湯沢"):
        assert name not in text


def test_load_training_rejects_bad_records(tmp_path: Path) -> None:
    bad = tmp_path / "t.jsonl"
    bad.write_text('{"title": "電子申請の拡大", "pillars": ["Z"]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown pillar"):
        load_training(bad)
    bad.write_text(
        '{"title": "電子申請の拡大", "pillars": ["A"]}\n{"title": "電子申請の拡大", "pillars": ["E"]}\n'
    )
    with pytest.raises(ValueError, match="duplicate"):
        load_training(bad)
    bad.write_text('{"title": "電子申請の拡大", "pillars": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":1:"):
        load_training(bad)


# --- behaviour ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("転入届と児童手当の申請を自宅からインターネットで行えるようにする", "A"),
        ("市ウェブサイトでの統計表のCSV形式による公開", "B"),
        ("休日にも個人番号カードを受け取れる窓口の設置", "C"),
        ("シニア世代を対象としたタブレット操作の体験講座", "D"),
        ("住民情報システムを国の標準仕様に合わせて更改する", "E"),
        ("職員に対する標的型メールへの対処訓練", "other"),
    ],
)
def test_clear_cases_land_on_their_pillar(title: str, expected: str) -> None:
    got = infer_pillars(title)
    assert got[0].code == expected, got


def test_card_based_online_application_serves_both_pillars() -> None:
    got = codes(infer_pillars("個人番号カードを利用したスマートフォンからの電子申請の拡充"))
    assert set(got) == {"A", "C"}


def test_convenience_store_issuance_is_the_card_pillar() -> None:
    assert codes(infer_pillars("住民票の写しをコンビニで取得できるサービスの拡充"))[0] == "C"


def test_public_wifi_is_divide_but_office_network_is_systems() -> None:
    # the corpus convention: Wi-Fi for residents closes a gap (D); the office network is a system (E)
    assert codes(infer_pillars("公衆無線LANの整備"))[0] == "D"
    assert codes(infer_pillars("庁内ネットワークの更新"))[0] == "E"


def test_output_is_well_formed() -> None:
    for title, desc in [
        ("オープンデータの公開", ""),
        ("よくわからない取組", ""),
        ("", ""),
        ("庁舎のネットワーク機器の更新", "老朽化したスイッチとルーターを入れ替える。"),
    ]:
        refs = infer_pillars(title, desc)
        assert refs, title
        assert all(isinstance(r, PillarRef) for r in refs)
        assert all(r.source is PillarSource.INFERRED for r in refs)
        assert all(0.0 <= r.confidence <= 1.0 for r in refs)
        assert len({r.code for r in refs}) == len(refs)
        confs = [r.confidence for r in refs]
        assert confs == sorted(confs, reverse=True)
        assert all(r.confidence >= pillars.THRESHOLD for r in refs[1:])


def test_description_contributes() -> None:
    title = "サービスの拡充"
    with_card = infer_pillars(title, "マイナンバーカードを使って証明書をコンビニで受け取れるようにする。")
    with_data = infer_pillars(title, "保有するデータを機械判読可能な形式でオープンデータとして公開する。")
    assert with_card[0].code == "C"
    assert with_data[0].code == "B"


def test_extra_examples_shift_predictions() -> None:
    # A plan that files its school-network measures under the digital-divide pillar (D): given a few
    # of its own labelled measures, the model follows the plan's convention for a new one.
    title = "小中学校の校内ネットワーク高速化"
    before = infer_pillars(title)
    extra = [
        ("学校の通信回線の増強", ["D"]),
        ("校内無線LANのアクセスポイント増設", ["D"]),
        ("学校ネットワークの帯域拡張", ["D"]),
        ("小学校の校内LAN更新", ["D"]),
    ]
    after = infer_pillars(title, extra=extra)
    p_before = {r.code: r.confidence for r in before}.get("D", 0.0)
    p_after = {r.code: r.confidence for r in after}.get("D", 0.0)
    assert before[0].code != "D"
    assert after[0].code == "D"
    assert p_after > p_before
    # the base model is untouched by an extra-augmented call
    assert codes(infer_pillars(title)) == codes(before)


def test_extra_ignores_unknown_codes_and_blank_texts() -> None:
    base = infer_pillars("統計データの公開")
    same = infer_pillars("統計データの公開", extra=[("", ["D"]), ("何かの取組", ["Z"])])
    assert codes(base) == codes(same)


def test_model_is_trained_once() -> None:
    """Trained lazily once per process (speed is measured in scripts, never asserted here)."""
    pillars._model.cache_clear()
    pillars._base_training.cache_clear()
    infer_pillars("電子申請の拡大")
    for _ in range(20):
        infer_pillars("オープンデータの推進")
    assert pillars._model.cache_info().misses == 1


def test_cross_validation_figures() -> None:
    r = cross_validate(5)
    assert r["n"] == len(load_training())
    assert r["accuracy"] >= 0.7, r
    assert r["micro_f1"] >= 0.78, r
    assert r["top1_accuracy"] >= r["accuracy"]


def test_cli_prints_cross_validation(capsys: pytest.CaptureFixture[str]) -> None:
    assert pillars.main(["--cv", "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert "3-fold" in out and "micro-F1" in out
    assert pillars.main([]) == 2


# --- out-of-sample: the corpus gold ------------------------------------------------------------------


@pytest.mark.corpus
def test_accuracy_on_gold_document_labelled_measures() -> None:
    if not GOLD.is_dir():
        pytest.skip("shared corpus not present")
    rows = gold_measures(GOLD)
    assert len(rows) >= 100
    assert all(set(c) <= PILLAR_CODES for _, _, c, _ in rows)
    r = evaluate_gold(GOLD)
    total = r["total"]
    assert total["n"] == len(rows)
    # measured 0.836 exact / 0.867 top-1 (docs/pillar-model.md); a floor with some slack
    assert total["accuracy"] >= 0.75, r
    assert total["top1_accuracy"] >= 0.8, r
