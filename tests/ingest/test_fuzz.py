"""A few hundred fuzzed inputs in every format the importer reads, in the test suite (the long run is
``scripts/fuzz_import.py``, ≥ 100,000 inputs, figures in docs/benchmarks.md). Each input runs through
``import_document`` in a forked child under a time and a memory limit: the outcome must be a plan or the
importer's domain error (ReaderError) — never another exception, a hang or a blow-up."""

from __future__ import annotations

import importlib
import random
from collections import Counter
from pathlib import Path

import pytest

from tests.ingest import fuzzing
from tests.ingest.fuzzing import FORMATS, mutate, run_one, seed

INPUTS_PER_FORMAT = 30
# Repeats up to ×100 here: the suite explores structure; the size limits are hit by the long run and by the
# hostile-file tests (tests/ingest/readers/test_hostile.py), each on purpose.
SMALL = tuple((n, w) for n, w in fuzzing.AMPLIFY if n <= 100)
TIMEOUT_S = 60.0  # CPU seconds, far above any input's normal time: a hang is what this catches
MEMORY = 1024 << 20


@pytest.fixture(scope="module")
def headroom() -> int:
    """This process warmed as keikaku.services.bounded warms its parse fork server (the pillar model fitted,
    the readers' libraries imported), so that every child forked from it starts warm instead of doing that
    again (about 0.3 s of CPU per input). What the warm-up added to this process's address space is taken off
    the children's MEMORY: the reading gets no more room than it had in a cold child."""
    before = fuzzing._vm_bytes()
    importlib.import_module("keikaku.services.parse_preload")
    importlib.import_module("keikaku.services.parse_preload_libraries")
    return MEMORY - max(0, fuzzing._vm_bytes() - before)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("seeds")
    return {fmt: seed(fmt, tmp) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_fuzzed_inputs_end_in_a_plan_or_a_domain_error(
    fmt: str, seeds: dict[str, bytes], headroom: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fuzzing, "AMPLIFY", SMALL)
    rng = random.Random(f"suite-{fmt}")
    path = tmp_path / f"input.{fmt}"
    path.write_bytes(seeds[fmt])
    assert run_one(path, TIMEOUT_S, headroom) == ("ok", ""), "the seed itself must import"
    outcomes: Counter[str] = Counter()
    failures = []
    for i in range(INPUTS_PER_FORMAT):
        data = mutate(rng, fmt, seeds[fmt])
        path.write_bytes(data)
        outcome, detail = run_one(path, TIMEOUT_S, headroom)
        outcomes[outcome] += 1
        if outcome not in ("ok", "reader_error"):
            keep = tmp_path / f"failure-{i}.{fmt}"
            keep.write_bytes(data)
            failures.append(f"{outcome}: {detail.splitlines()[0] if detail else ''} ({keep})")
    assert not failures, failures
    assert outcomes["ok"] + outcomes["reader_error"] == INPUTS_PER_FORMAT
