"""The evaluation grid (評価の一覧入力): every measure of a plan for one fiscal year on one page — its
report's status, its evaluation's 方向性 and 理由 — saved together. Each row goes through
:func:`keikaku.services.progress.evaluation_save` (the one rule), only rows that changed, in one transaction:
a refused row saves nothing and names its measure."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services import logs
from keikaku.services.errors import ServiceError
from keikaku.services.people import Actor, require
from keikaku.services.progress import evaluation_save

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GridRow:
    measure: pm.Measure
    evaluation: gm.Evaluation | None
    status: str  # the year's report status ("" when none)


def evaluation_grid(actor: Actor, plan: pm.Plan, fiscal_year: int) -> list[GridRow]:
    """One row per measure (document order) for those who may evaluate: three queries."""
    require(actor, "evaluation.edit", plan)
    evs = {e.measure_id: e for e in gm.Evaluation.objects.filter(measure__plan=plan, fiscal_year=fiscal_year)}
    status: dict[int, str] = {}
    for rep in gm.ProgressReport.objects.filter(measure__plan=plan, period__fiscal_year=fiscal_year).order_by(
        "period__quarter"
    ):
        status.setdefault(rep.measure_id, rep.status)  # the yearly period first, else the first quarter
    return [GridRow(ms, evs.get(ms.pk), status.get(ms.pk, "")) for ms in plan.measures.order_by("order")]


@dataclass(frozen=True)
class GridInput:
    measure_id: int
    decision: str  # "" = leave unevaluated
    rationale: str
    revision: int


@transaction.atomic
def evaluation_grid_save(
    actor: Actor, plan: pm.Plan, fiscal_year: int, rows: list[GridInput], *, now: datetime
) -> int:
    """Save the rows whose 方向性 or 理由 changed; the number saved. A refused row (a stale revision, 統合
    without a target …) raises ServiceError naming the measure, and nothing is saved."""
    require(actor, "evaluation.edit", plan)
    current = {r.measure.pk: r for r in evaluation_grid(actor, plan, fiscal_year)}
    saved = 0
    for row in rows:
        cur = current.get(row.measure_id)
        if cur is None or not row.decision:
            continue
        ev = cur.evaluation
        if ev is not None and ev.decision == row.decision and ev.rationale == row.rationale.strip():
            continue
        try:
            evaluation_save(
                actor,
                cur.measure,
                fiscal_year,
                decision=row.decision,
                rationale=row.rationale,
                revision=row.revision,
                now=now,
            )
        except ServiceError as e:
            name = " ".join(filter(None, [cur.measure.key or "", cur.measure.title]))
            raise type(e)(f"施策 {name}: {e}") from None
        saved += 1
    logger.info(
        "evaluation_grid_save: %s FY%s -> %s (by %s)", logs.ref(plan), fiscal_year, saved, logs.by(actor)
    )
    return saved


def grid_inputs(data: Any, measure_ids: list[int]) -> list[GridInput]:
    """The grid's form fields (decision_<id>, rationale_<id>, revision_<id>) as inputs; bad numbers → 0."""
    out = []
    for mid in measure_ids:
        rev = str(data.get(f"revision_{mid}", "0"))
        out.append(
            GridInput(
                mid,
                str(data.get(f"decision_{mid}", "")),
                str(data.get(f"rationale_{mid}", ""))[:5000],
                int(rev) if rev.isdigit() and len(rev) < 10 else 0,
            )
        )
    return out
