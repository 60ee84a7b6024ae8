"""The work lists of /manage/ (仕事の一覧): 「報告を書く」 — the reports a reporter still has to write or fix
in open reporting periods (measures of their departments, not yet submitted or approved), earliest due
date first — and 「確認待ち」 — the submitted reports an approver (admin, editor) has to approve or return.
A fixed number of queries per organisation the user belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from keikaku.db.accounts.models import Membership, Role
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm

State = gm.ProgressReport.State
_FAR = date(9999, 12, 31)  # a period without a due date sorts last


@dataclass(frozen=True)
class ToWrite:
    period: gm.ReportingPeriod
    measure: pm.Measure
    report: gm.ProgressReport | None  # None: not started; else a draft or a returned report


@dataclass
class WorkLists:
    to_write: list[ToWrite] = field(default_factory=list)
    to_review: list[gm.ProgressReport] = field(default_factory=list)
    reviewer: bool = False  # the user reviews reports somewhere (show the list even when empty)
    reporter: bool = False


def work_lists(user: Any) -> WorkLists:
    """The user's two lists (empty for visitors)."""
    out = WorkLists()
    if not getattr(user, "is_authenticated", False):
        return out
    for ms in (
        Membership.objects.filter(user=user).select_related("organisation").prefetch_related("departments")
    ):
        periods = list(
            gm.ReportingPeriod.objects.filter(
                plan__organisation=ms.organisation, state=gm.ReportingPeriod.State.OPEN
            ).select_related("plan")
        )
        if ms.role in (Role.ADMIN, Role.EDITOR):
            out.reviewer = True
            out.to_review += list(
                gm.ProgressReport.objects.filter(
                    measure__plan__organisation=ms.organisation, state=State.SUBMITTED
                ).select_related("measure", "period__plan")
            )
        if ms.role != Role.REPORTER or not periods:
            out.reporter = out.reporter or ms.role == Role.REPORTER
            continue
        out.reporter = True
        departments = [d.pk for d in ms.departments.all()]
        measures = list(
            pm.Measure.objects.filter(
                plan__in={p.plan_id for p in periods}, department_links__department_id__in=departments
            )
            .distinct()
            .order_by("order")
        )
        reports = {
            (r.period_id, r.measure_id): r
            for r in gm.ProgressReport.objects.filter(period__in=periods, measure__in=measures)
        }
        for period in periods:
            for m in measures:
                if m.plan_id != period.plan_id:
                    continue
                rep = reports.get((period.pk, m.pk))
                if rep is None or rep.state in (State.DRAFT, State.RETURNED):
                    out.to_write.append(ToWrite(period, m, rep))
    out.to_write.sort(key=lambda w: (w.period.due_date or _FAR, w.period.plan_id, w.measure.order))
    out.to_review.sort(key=lambda r: (r.period.due_date or _FAR, r.submitted_at or r.updated_at, r.pk))
    return out
