"""The shared corpus scored with the project's scorer (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from keikaku.ingest import import_document

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
CORPUS = SHARED / "corpus"
SCORER = SHARED / "eval" / "score.py"

# the bars (docs/benchmarks.md prints the full table)
BARS = {
    "measure_f1": 0.98,
    "pillars": 0.98,
    "kpi_f1": 0.95,
    "kpi_target": 0.90,
    "kpi_year": 0.90,
    "dept_f1": 0.95,
    "schedule": 0.95,
}

pytestmark = pytest.mark.corpus


def _scorer():
    spec = importlib.util.spec_from_file_location("keikaku_corpus_score", SCORER)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_corpus_meets_the_bars() -> None:
    if not (CORPUS / "gold").is_dir() or not SCORER.is_file():
        pytest.skip("../shared/corpus is not here")
    score = _scorer()
    tally = score.Tally()
    rows = {}
    for gold_path in sorted((CORPUS / "gold").glob("*.json")):
        docs = sorted((CORPUS / "plans").glob(gold_path.stem + ".*"))
        assert docs, gold_path.stem
        doc = import_document(docs[0])
        pred = json.loads(json.dumps(doc.model_dump(mode="json", exclude_none=True), ensure_ascii=False))
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        rows[gold_path.stem] = score.score_doc(gold, pred, tally, 0.8)
    totals = score.totals(tally)
    short = {k: totals[k] for k, bar in BARS.items() if totals[k] is not None and totals[k] < bar}
    assert not short, f"below the bars: {short}; per document: {rows}"
    assert all(totals[k] is not None for k in BARS)
