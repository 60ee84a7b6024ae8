"""The plan as a workbook, both ways (計画の Excel 入出力), used alike by the manage pages and the CLI.

- :func:`plan_workbook_export` — a version's measures, KPIs and schedule as a workbook
  (keikaku.export.plan_xlsx);
- :func:`plan_workbook_update` — the workbook back, applied through the editing use cases
  (keikaku.services.editing: the same checks, draft-only rule and change log as the editor pages) in one
  transaction: every problem reported as sheet!cell and nothing saved if there is any; rows equal to what
  is stored change nothing (an untouched workbook: no change), new rows become new measures and KPIs, a
  workbook of another plan is refused, and a measure someone else changed since the export is refused
  rather than overwritten.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from keikaku.core.pillars import PILLARS
from keikaku.core.schedule import PHASE_WORDS
from keikaku.db.plans import models as pm
from keikaku.export.plan_xlsx import (
    AREA_WORDS,
    KPIS,
    MEASURES,
    SCHEDULE,
    KpiRow,
    MeasureRow,
    PlanWorkbookSpec,
    ScheduleRow,
    clean_line,
    clean_text,
    filename,
    workbook_bytes,
)
from keikaku.ingest.plan_xlsx import Problem, compare, read_workbook
from keikaku.services import editing, logs
from keikaku.services.errors import NotFound, PermissionDenied, ServiceError
from keikaku.services.people import Actor, can, require
from keikaku.services.plans import plan_get

logger = logging.getLogger(__name__)

MAX_TARGET_PAIRS = 10
PILLAR_ORDER = [p.code for p in PILLARS]  # the editor's order (editing._clean_measure)


class PlanWorkbookRejected(ServiceError):
    """The workbook has problems; nothing was saved. ``problems`` lists every one, located."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        head = "; ".join(str(p) for p in self.problems[:3])
        super().__init__(f"{len(self.problems)} 件の問題があるため何も保存しませんでした: {head}")


@dataclass(frozen=True)
class WorkbookUpdate:
    measures_changed: int = 0
    measures_created: int = 0
    kpis_changed: int = 0
    kpis_created: int = 0
    schedules_changed: int = 0

    @property
    def changed(self) -> int:
        return (
            self.measures_changed
            + self.measures_created
            + self.kpis_changed
            + self.kpis_created
            + self.schedules_changed
        )

    def summary(self) -> str:
        if not self.changed:
            return "変更はありません（ブックの内容は保存されている計画と同じです）"
        parts = [
            (self.measures_changed, "施策の更新"),
            (self.measures_created, "施策の追加"),
            (self.kpis_changed, "KPI の更新"),
            (self.kpis_created, "KPI の追加"),
            (self.schedules_changed, "スケジュールの更新"),
        ]
        return "保存しました: " + "、".join(f"{label} {n} 件" for n, label in parts if n)


# ---- the workbook the database would write now ------------------------------------------------------


def _policy_labels(plan: pm.Plan) -> dict[int, str]:
    labels: dict[int, str] = {}
    used: set[str] = set()
    for p in plan.policies.order_by("order"):
        base = clean_line(f"{p.key} {p.title}")
        label, n = base, 2
        while label in used:
            label, n = f"{base}（{n}）", n + 1
        used.add(label)
        labels[p.pk] = label
    return labels


def _years(plan: pm.Plan, used: set[int]) -> list[int]:
    start = plan.period_start or (min(used) if used else None)
    if start is None:
        return []
    end = plan.period_end if plan.period_end and plan.period_end >= start else start + 4
    return sorted(set(range(start, min(end, start + 20) + 1)) | used)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _spec(plan: pm.Plan) -> PlanWorkbookSpec:
    """The workbook of ``plan`` as the database would write it now, every value in the form the reader
    gives back (cleaned text, pillars and 重点分野 in the editor's order, no repeats), so that an untouched
    workbook compares equal."""
    policies = _policy_labels(plan)
    measures_qs = plan.measures.order_by("order").prefetch_related(
        Prefetch("pillar_refs", queryset=pm.MeasurePillar.objects.order_by("order")),
        Prefetch("department_links", queryset=pm.MeasureDepartment.objects.order_by("order")),
        Prefetch(
            "kpis",
            queryset=pm.Kpi.objects.order_by("order").prefetch_related(
                Prefetch("targets", queryset=pm.KpiTarget.objects.order_by("order"))
            ),
        ),
        Prefetch("schedule", queryset=pm.ScheduleEntry.objects.order_by("fiscal_year", "order")),
    )
    measures, kpis, schedules = [], [], []
    used: set[int] = set()
    pairs = 1
    for ms in measures_qs:
        key, title = clean_line(ms.key), clean_line(ms.title)
        measures.append(
            MeasureRow(
                measure_id=ms.pk,
                revision=ms.revision,
                key=key,
                title=title,
                description=clean_text(ms.description),
                policy=policies.get(ms.policy_id, "") if ms.policy_id else "",
                pillars=tuple(
                    sorted(dict.fromkeys(r.code for r in ms.pillar_refs.all()), key=PILLAR_ORDER.index)
                ),
                priority_areas=tuple(a for a in AREA_WORDS if a in (ms.priority_areas or ())),
                priority=ms.priority,
                reposted=ms.reposted,
                departments=_unique(clean_line(d.written) for d in ms.department_links.all()),
                deadline_fy=ms.deadline_fy,
                national_measures=_unique(clean_line(n) for n in ms.national_measures or ()),
            )
        )
        for k in ms.kpis.all():
            targets = tuple((clean_line(t.value), t.fiscal_year) for t in k.targets.all())
            pairs = max(pairs, len(targets))
            kpis.append(
                KpiRow(
                    kpi_id=k.pk,
                    measure_id=ms.pk,
                    indicator=clean_line(k.indicator),
                    measure_key=key,
                    measure_title=title,
                    unit=clean_line(k.unit),
                    direction=k.direction or "",
                    baseline_value=clean_line(k.baseline_value),
                    baseline_fy=k.baseline_fy,
                    targets=targets,
                )
            )
        cells: dict[int, str] = {}
        for e in ms.schedule.all():
            written = clean_line(e.written)
            if written and e.fiscal_year not in cells:
                cells[e.fiscal_year] = written
        used |= set(cells)
        schedules.append(
            ScheduleRow(
                measure_id=ms.pk, cells=tuple(sorted(cells.items())), measure_key=key, measure_title=title
            )
        )
    return PlanWorkbookSpec(
        plan_id=plan.pk,
        plan_revision=plan.revision,
        plan_title=plan.title,
        organisation=str(plan.organisation),
        status=plan.get_status_display(),
        policies=list(policies.values()),
        departments=list(plan.organisation.departments.order_by("name").values_list("name", flat=True)),
        phases=PHASE_WORDS,
        years=_years(plan, used),
        target_pairs=min(MAX_TARGET_PAIRS, max(2, pairs + 1)),
        measures=measures,
        kpis=kpis,
        schedules=schedules,
    )


def _visible_plan(actor: Actor, plan_id: int) -> pm.Plan:
    plan = plan_get(plan_id)
    if actor is not None:  # None: the operator at the server's command line (`keikaku export`)
        if not can(actor, "plan.view", plan):
            raise NotFound(f"計画 {plan_id} はありません。")
        require(actor, "plan.edit", plan)
    return plan


def plan_workbook_export(actor: Actor, plan_id: int) -> tuple[str, bytes]:
    """The version's workbook (file name, bytes): for its editors and admins (``plan.edit``); ``actor``
    None is the operator at the server's command line."""
    spec = _spec(_visible_plan(actor, plan_id))
    return filename(spec), workbook_bytes(spec)


# ---- applying a workbook ------------------------------------------------------------------------


def _measure_input(m: MeasureRow, policies: dict[str, int], notes: str = "") -> editing.MeasureInput:
    """The row as the editor's input; ``notes`` (not on the sheet) kept as stored."""
    return editing.MeasureInput(
        title=m.title,
        key=m.key,
        description=m.description,
        policy_id=policies.get(m.policy) if m.policy else None,
        pillars=list(m.pillars),
        priority_areas=list(m.priority_areas),
        priority=m.priority,
        reposted=m.reposted,
        departments=list(m.departments),
        deadline_fy=m.deadline_fy,
        national_measures=list(m.national_measures),
        notes=notes,
    )


def _kpi_input(k: KpiRow, kind: str = "") -> editing.KpiInput:
    """The row as the editor's input; ``kind`` (activity / outcome, not on the sheet) kept as stored."""
    return editing.KpiInput(
        indicator=k.indicator,
        unit=k.unit,
        direction=k.direction,
        baseline_value=k.baseline_value,
        baseline_fy=k.baseline_fy,
        targets=list(k.targets),
        kind=kind,
    )


def _revision(measure_id: int) -> int:
    return int(pm.Measure.objects.values_list("revision", flat=True).get(pk=measure_id))


@transaction.atomic
def plan_workbook_update(actor: Actor, plan_id: int, data: bytes, *, now: datetime) -> WorkbookUpdate:
    """Apply an edited workbook of the version ``plan_id`` (``plan.edit``): all of it, or nothing and
    :class:`PlanWorkbookRejected` with every problem at its sheet!cell."""
    plan = plan_get(plan_id)
    if not can(actor, "plan.view", plan):
        raise NotFound(f"計画 {plan_id} はありません。")
    require(actor, "plan.edit", plan)
    plan = pm.Plan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    book, problems = read_workbook(data)
    if book is None:
        raise PlanWorkbookRejected(problems)
    spec = _spec(plan)
    changes, more = compare(book, spec, expected_plan=plan.pk)
    problems += more
    if problems:
        raise PlanWorkbookRejected(problems)
    if changes.empty:
        _done = WorkbookUpdate()
        logger.info(
            "plan_workbook_update: %s -> %s (by %s)", logs.ref(plan_id), logs.ref(_done), logs.by(actor)
        )
        return _done
    try:
        editing.require_draft(plan)
    except ServiceError as e:
        raise PlanWorkbookRejected([Problem(str(e))]) from None

    policies = {label: pid for pid, label in _policy_labels(plan).items()}
    counts: dict[str, int] = {}

    def attempt(sheet: str, row: int, what: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        try:
            out = fn(actor, *args, now=now, **kw)
        except PermissionDenied:
            raise
        except ServiceError as e:  # Conflict too: someone saved meanwhile
            problems.append(Problem(str(e), sheet, row))
            return None
        counts[what] = counts.get(what, 0) + 1
        return out

    measures = {ms.pk: ms for ms in plan.measures.select_related("plan__organisation")}
    for row, m in changes.measures:
        ms = measures[m.measure_id or 0]
        attempt(
            MEASURES,
            row,
            "mu",
            editing.measure_update,
            ms,
            _measure_input(m, policies, ms.notes),
            revision=_revision(ms.pk),
        )
    created: dict[int, pm.Measure] = {}
    for i, (row, m) in enumerate(changes.new_measures):
        rev = pm.Plan.objects.values_list("revision", flat=True).get(pk=plan.pk)
        made = attempt(
            MEASURES, row, "mc", editing.measure_create, plan, _measure_input(m, policies), revision=rev
        )
        if made is not None:
            created[i] = made

    def measure_of(mid: int | None, new: int | None) -> pm.Measure | None:
        if mid is not None:
            return measures.get(mid)
        return created.get(new) if new is not None else None

    kpis = {
        k.pk: k
        for k in pm.Kpi.objects.filter(measure__plan=plan).select_related("measure__plan__organisation")
    }
    for row, k in changes.kpis:
        kpi = kpis[k.kpi_id or 0]
        attempt(
            KPIS,
            row,
            "ku",
            editing.kpi_update,
            kpi,
            _kpi_input(k, kpi.kind or ""),
            revision=_revision(kpi.measure_id),
        )
    for row, k in changes.new_kpis:
        ms = measure_of(k.measure_id, k.new_measure)
        if ms is not None:
            attempt(KPIS, row, "kc", editing.kpi_create, ms, _kpi_input(k), revision=_revision(ms.pk))
    for row, s in changes.schedules:
        ms = measure_of(s.measure_id, s.new_measure)
        if ms is not None:
            attempt(SCHEDULE, row, "su", editing.schedule_set, ms, list(s.cells), revision=_revision(ms.pk))
    if problems:
        raise PlanWorkbookRejected(problems)  # the whole transaction rolls back
    _done = WorkbookUpdate(
        measures_changed=counts.get("mu", 0),
        measures_created=counts.get("mc", 0),
        kpis_changed=counts.get("ku", 0),
        kpis_created=counts.get("kc", 0),
        schedules_changed=counts.get("su", 0),
    )
    logger.info("plan_workbook_update: %s -> %s (by %s)", logs.ref(plan_id), logs.ref(_done), logs.by(actor))
    return _done
