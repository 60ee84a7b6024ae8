"""Plan revision (次期計画) and the diff between two versions of a plan.

``plan_revise`` exports the current plan, keeps the measures the evaluations carry over (継続, 見直し, or
not evaluated), drops 完了 / 終了 / 統合, stores the result as a new draft version (``previous`` = the
current plan) and records each measure's lineage. Only published (公開) evaluations count: a draft is the
office's proposal, and the new version's plan.json (public once the version is) may show only what the
organisation has published. The new version's ``evaluations`` list
says where each old measure went, as plans write it (<継続> … 次期計画に引き継ぐ 2-①); a measure without
such an evaluation is written <未評価> (decision empty) and carried over.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.db import transaction

from keikaku.core import plan as core
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services import logs
from keikaku.services.errors import Conflict, ServiceError
from keikaku.services.people import Actor, require
from keikaku.services.plans import measure_to_core, plan_export, plan_save

logger = logging.getLogger(__name__)

Decision = gm.Decision
NOT_EVALUATED = core.NOT_EVALUATED


def _latest_evaluations(plan: pm.Plan, fiscal_year: int | None) -> dict[int, gm.Evaluation]:
    qs = (
        gm.Evaluation.objects.filter(measure__plan=plan)
        .filter(state=gm.Evaluation.State.PUBLISHED)
        .order_by("fiscal_year")
    )
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    return {e.measure_id: e for e in qs}  # the latest year wins


def _decision_target(ms: pm.Measure, e: gm.Evaluation | None) -> tuple[gm.Decision | None, int | None]:
    """The evaluation's decision (None when not evaluated: 未評価) and the measure it carries over to:
    itself when continued, revised or not evaluated, the one it merges into, else None."""
    if e is None:
        return None, ms.pk
    decision = cast(gm.Decision, Decision(e.decision))
    carried, merged = decision in gm.CARRIED, decision == Decision.MERGE  # (no narrowing of ``decision``)
    if carried:
        return decision, ms.pk
    return decision, (e.merge_into_id if merged else None)


def _next_version(v: str | None) -> str:
    if v and v.strip().isdigit():
        return str(int(v) + 1)
    return f"{v} 改訂" if v else "2"


@transaction.atomic
def plan_revise(
    actor: Actor,
    plan: pm.Plan,
    *,
    now: datetime,
    fiscal_year: int | None = None,
    title: str | None = None,
    version: str | None = None,
    revision: int | None = None,
) -> pm.Plan:
    """Create the next version of ``plan`` from its evaluations (of ``fiscal_year``, or the latest)."""
    require(actor, "plan.edit", plan)
    if revision is not None and plan.revision != revision:
        raise Conflict("計画が更新されています。読み込み直してください / the plan changed since you read it")
    if plan.next_versions.exists():
        raise Conflict("この計画にはすでに次の版があります / this plan already has a next version")
    doc = plan_export(plan.pk)
    rows = list(plan.measures.order_by("order"))
    evals = _latest_evaluations(plan, fiscal_year)
    kept: list[int] = []  # indexes into rows
    for i, ms in enumerate(rows):
        e = evals.get(ms.pk)
        if e is None or e.decision in gm.CARRIED:
            kept.append(i)
    new_measures = [doc.measures[i] for i in kept]
    position = {rows[i].pk: j for j, i in enumerate(kept)}
    reviews: list[core.Evaluation] = []
    for ms in rows:
        e = evals.get(ms.pk)
        decision, target = _decision_target(ms, e)
        ref = None
        if target in position:
            ref = new_measures[position[target]].key
        direction = (e.rationale if e else "") or ""
        if ref:
            direction = (direction + " " if direction else "") + f"次期計画に引き継ぐ {ref}"
        reviews.append(
            core.Evaluation(
                item=ms.title,
                status=e.rationale if e else "",
                decision=core.Decision(decision.value) if decision else None,
                decision_written=f"<{decision.value if decision else NOT_EVALUATED}>",
                direction=direction,
                reference=ref,
            )
        )
    start = (fiscal_year + 1) if fiscal_year else plan.period_start
    end = plan.period_end
    if start and end and end < start:
        end = None
    new_doc = doc.model_copy(
        update={
            "title": title or doc.title,
            "version": version or _next_version(doc.version),
            "measures": new_measures,
            "evaluations": reviews,
            "period": core.Period(start_fy=start, end_fy=end, note=doc.period.note),
            "source": None,
        }
    )
    try:
        new_doc = core.Plan.model_validate(new_doc.model_dump())
    except ValueError as e:
        raise ServiceError(f"次の版を作れません / cannot build the next version: {e}") from None
    new = plan_save(new_doc, now=now, status=pm.DRAFT, previous=plan)
    new.contact, new.related_plans = dict(plan.contact or {}), list(plan.related_plans or [])
    new.save(update_fields=["contact", "related_plans"])  # related plans are not in the plan JSON
    pm.Kpi.objects.filter(measure__plan=new).update(confirmed=True)  # the published version's, looked at
    new_rows = list(new.measures.order_by("order"))
    lineage = []
    for ms in rows:
        ev = evals.get(ms.pk)
        decision, target = _decision_target(ms, ev)
        lineage.append(
            gm.MeasureLineage(
                from_plan=plan,
                to_plan=new,
                from_measure=ms,
                to_measure=new_rows[position[target]] if target in position else None,
                decision=decision.value if decision else "",
                evaluation=ev,
            )
        )
    gm.MeasureLineage.objects.bulk_create(lineage)
    _done = new
    logger.info("plan_revise: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


# ---- diff ----------------------------------------------------------------------------------------

DIFF_FIELDS = (
    "key",
    "policy_key",
    "title",
    "description",
    "pillars",
    "priority_areas",
    "priority",
    "reposted",
    "departments",
    "kpis",
    "schedule",
    "deadline_fy",
    "national_measures",
    "notes",
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class MeasureChange:
    old_id: int
    new_id: int
    key: str | None
    title: str
    changes: list[FieldChange]


@dataclass
class PlanDiff:
    old_plan: int
    new_plan: int
    added: list[tuple[int, str | None, str]] = field(default_factory=list)  # (id, key, title)
    removed: list[tuple[int, str | None, str, str | None]] = field(default_factory=list)  # + decision
    changed: list[MeasureChange] = field(default_factory=list)
    unchanged: int = 0
    matched_by: str = "key"


def _fields(ms: pm.Measure) -> dict[str, Any]:
    data = measure_to_core(ms).model_dump(mode="json", exclude={"provenance"})
    for k in data.get("kpis", []):
        k.pop("provenance", None)
    for s in data.get("schedule", []):
        s.pop("provenance", None)
    data["pillars"] = [p["code"] for p in data.get("pillars", [])]
    return {f: data.get(f) for f in DIFF_FIELDS}


def plan_diff(old: pm.Plan, new: pm.Plan) -> PlanDiff:
    """Added / removed / changed measures between two plans, matched by lineage when ``new`` was revised
    from ``old``, otherwise by key (then by title)."""
    from keikaku.services.plans import _measures_qs

    old_ms = list(_measures_qs().filter(plan=old).order_by("order"))
    new_ms = list(_measures_qs().filter(plan=new).order_by("order"))
    new_by_id = {m.pk: m for m in new_ms}
    diff = PlanDiff(old_plan=old.pk, new_plan=new.pk)
    pairs: list[tuple[pm.Measure, pm.Measure]] = []
    used: set[int] = set()
    lineage = {ln.from_measure_id: ln for ln in gm.MeasureLineage.objects.filter(from_plan=old, to_plan=new)}
    if lineage:
        diff.matched_by = "lineage"
        for ms in old_ms:
            ln = lineage.get(ms.pk)
            if ln and ln.to_measure_id and ln.decision != Decision.MERGE and ln.to_measure_id not in used:
                pairs.append((ms, new_by_id[ln.to_measure_id]))
                used.add(ln.to_measure_id)
            else:
                diff.removed.append((ms.pk, ms.key, ms.title, ln.decision if ln else None))
    else:
        by_key: dict[str, pm.Measure] = {}
        by_title: dict[str, pm.Measure] = {}
        for m in new_ms:
            if m.key:
                by_key.setdefault(m.key, m)
            by_title.setdefault(m.title, m)
        for ms in old_ms:
            cand = by_key.get(ms.key) if ms.key else None
            if cand is None or cand.pk in used:
                cand = by_title.get(ms.title)
            if cand is not None and cand.pk not in used:
                pairs.append((ms, cand))
                used.add(cand.pk)
            else:
                diff.removed.append((ms.pk, ms.key, ms.title, None))
    for a, b in pairs:
        fa, fb = _fields(a), _fields(b)
        changes = [FieldChange(f, fa[f], fb[f]) for f in DIFF_FIELDS if fa[f] != fb[f]]
        if changes:
            diff.changed.append(MeasureChange(a.pk, b.pk, b.key, b.title, changes))
        else:
            diff.unchanged += 1
    diff.added = [(m.pk, m.key, m.title) for m in new_ms if m.pk not in used]
    return diff


@transaction.atomic
def plan_create(
    actor: Actor,
    organisation: pm.Organisation,
    *,
    title: str,
    now: datetime,
    start_fy: int | None = None,
    end_fy: int | None = None,
) -> pm.Plan:
    """An empty draft plan of ``organisation`` (a title and a period; the rest is added in the editor or
    through the API). Editors and admins of the organisation only."""
    require(actor, "plan.edit", organisation)
    if not title.strip():
        raise ServiceError("表題を入れてください / a title is required")
    if start_fy is not None and end_fy is not None and end_fy < start_fy:
        raise ServiceError("計画期間の終わりが始まりより前です / the period ends before it starts")
    doc = core.Plan(
        title=title.strip(),
        organisation=core.Organisation(
            name=organisation.name, prefecture=organisation.prefecture or None, code=organisation.code or None
        ),
        period=core.Period(start_fy=start_fy, end_fy=end_fy),
    )
    row = plan_save(doc, now=now, status=pm.DRAFT)
    assert row.organisation_id == organisation.pk  # plan_save finds the organisation by code or name
    _done = row
    logger.info("plan_create: %s -> %s (by %s)", logs.ref(organisation), logs.ref(_done), logs.by(actor))
    return _done
