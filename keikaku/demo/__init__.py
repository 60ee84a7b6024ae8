"""Fictional sample plans for the demo portal, tests and benchmarks (架空の計画データ), as JSON only.

``sample_plan.json`` — みどり市官民データ活用推進計画（兼 みどり市DX推進計画）, 30 measures. The
municipality, its figures, departments and measures are invented; 静岡県 is real, its code 22299 (check
digit 2) belongs to no municipality.

``sample_plan_b.json`` — さくら町地域情報化推進計画, 14 measures: a smaller town plan with its own key
style ((1)-ア) and schedule marks (○, →). Several measures share a theme with みどり市 (online procedures,
マイナンバーカード, open data, standardisation …) so that comparisons find pairs; others are the town's own.
岡山県 is real; its code 33699 (check digit 8) belongs to no municipality.

``sample_catalogue.json`` — a small fictional guide catalogue (見本の手引): the template's seven chapters in
short sample wording and 11 example measures over the five pillars and その他, written for the demo (not the
national guide's text), so that drafting a plan from the catalogue works on a fresh install. The demo
also registers a fictional village, ひなた村, with no plan yet, to draft one for.

The files are the one form of this data: edit them, then ``python -m devtools.samples`` validates them and
rewrites them in canonical form (tests/demo/test_samples.py checks they are). ``keikaku demo`` loads them
(keikaku.services.demo).
"""

from __future__ import annotations

from pathlib import Path

from keikaku.core.plan import Plan

HERE = Path(__file__).resolve().parent
SAMPLE_PLAN = HERE / "sample_plan.json"
SAMPLE_PLAN_B = HERE / "sample_plan_b.json"
SAMPLE_PATHS: tuple[Path, ...] = (SAMPLE_PLAN, SAMPLE_PLAN_B)
SAMPLE_CATALOGUE = HERE / "sample_catalogue.json"
DEMO_VILLAGE = {"name": "ひなた村", "prefecture": "静岡県", "kind": "村"}  # fictional; no plan yet


def load_sample(path: Path = SAMPLE_PLAN) -> Plan:
    """One sample plan, validated."""
    return Plan.model_validate_json(path.read_text(encoding="utf-8"))
