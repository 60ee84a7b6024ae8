"""The closed loop: a plan printed as keikaku's own plan document (DOCX / PDF, keikaku.export.plan_*) and
read back with keikaku's importer, scored against the plan it was printed from (score.py's rules).

- :func:`from_generated`: a generated fictional plan (grammar.py) as a plan JSON document (core.Plan),
  with a few narrative chapters of fictional text;
- :func:`printed`: the expected side in the form the document prints it — a KPI value with its unit
  ("300" 手続 → "300手続"), as the plan document writes it (plan_model.with_unit);
- :func:`roundtrip`: print, import, score → (Tally, diff lines).

Used by tests/ingest/generated/test_roundtrip.py and scripts/bench_roundtrip.py.
"""

from __future__ import annotations

import copy
from pathlib import Path

from keikaku.core import plan as core
from keikaku.export.plan_model import build, with_unit
from tests.ingest.generated import grammar as g
from tests.ingest.generated.score import Tally, diff, score


def from_generated(gen: g.GenPlan) -> core.Plan:
    town = gen.town
    sections = [
        core.Section(
            title="現状と課題",
            kind="situation",
            text=f"{town}では人口減少と高齢化が進んでいます。限られた職員で行政サービスを維持するため、"
            "デジタル技術とデータの活用が欠かせません。",
        ),
        core.Section(
            title="計画の目的",
            kind="purpose",
            text=f"本計画は、{town}の行政手続と地域の暮らしをデジタルの力で便利にすることを目的とします。",
        ),
        core.Section(
            title="推進体制",
            kind="structure",
            text="首長を本部長とする推進本部のもとで、各課の取組を毎年度点検します。",
        ),
        core.Section(
            title="セキュリティ及び個人情報の取扱い",
            kind="security",
            text="情報セキュリティポリシーに基づき、個人情報を適正に取り扱います。",
        ),
    ]
    policies = [
        core.Policy(key=p.key, title=p.title, pillars=[p.pillar] if p.pillar else []) for p in gen.policies
    ]
    measures = []
    for m in gen.measures:
        kpis = [
            core.Kpi(
                indicator=k.indicator,
                unit=k.unit or None,
                baseline=core.Value(value=k.baseline, fiscal_year=k.baseline_fy) if k.baseline else None,
                targets=[core.Value(value=f"{k.rate}{k.target}", fiscal_year=k.target_fy)],
            )
            for k in m.kpis
        ]
        measures.append(
            core.Measure(
                key=m.key,
                policy_key=gen.policies[m.policy].key,
                title=m.title,
                description=m.description,
                pillars=[core.PillarRef(code=c) for c in m.pillars],
                departments=list(m.departments),
                kpis=kpis,
                schedule=[core.ScheduleEntry(fiscal_year=y, written=w) for y, w in sorted(m.phases.items())],
            )
        )
    return core.Plan(
        title=gen.title,
        organisation=core.Organisation(name=town),
        period=core.Period(start_fy=gen.start_fy, end_fy=gen.end_fy),
        sections=sections,
        policies=policies,
        measures=measures,
    )


def printed(plan: core.Plan) -> dict:
    """The plan JSON with each KPI value as the document prints it (with its unit)."""
    data = copy.deepcopy(plan.model_dump(mode="json", exclude_none=True))
    for m in data.get("measures", []):
        for k in m.get("kpis", []):
            unit = k.get("unit")
            if k.get("baseline"):
                k["baseline"]["value"] = with_unit(k["baseline"]["value"], unit)
            for t in k.get("targets", []):
                t["value"] = with_unit(t["value"], unit)
    return data


def write(plan: core.Plan, fmt: str, path: Path, *, contact: dict | None = None, draft: bool = False) -> Path:
    """The plan document of ``plan`` as ``fmt`` (docx / pdf) at ``path`` (``draft``: blanks as 【要記入】)."""
    from keikaku.export import plan_docx, plan_pdf

    document = build(plan, contact=contact or {}, date="令和8年1月", draft=draft)
    if fmt == "docx":
        path.write_bytes(plan_docx.render(document, rasterise=plan_pdf.rasteriser(document)))
    else:
        path.write_bytes(plan_pdf.render(document))
    return path


def read(path: Path) -> dict:
    """The plan JSON `keikaku import FILE --to json` prints for ``path``."""
    from keikaku.ingest import import_document

    return import_document(path).model_dump(mode="json", exclude_none=True)


def roundtrip(
    plan: core.Plan, fmt: str, directory: Path, stem: str = "plan", *, draft: bool = False
) -> tuple[Tally, list[str]]:
    contact = {"section": "企画課", "phone": "000-000-0000"}
    path = write(plan, fmt, directory / f"{stem}.{fmt}", contact=contact, draft=draft)
    got = read(path)
    want = printed(plan)
    return score(want, got), diff(want, got)
