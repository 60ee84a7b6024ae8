"""Prepare the demo database for the logged-in browser audit (tests/browser/test_axe_manage.py).

Run with the server's KEIKAKU_DATA_DIR after ``keikaku demo`` has loaded the sample plans:

    KEIKAKU_DATA_DIR=... python -m tests.browser.manage_setup USERNAME PASSWORD

Creates (or reuses) a user with the admin role in the first plan's organisation, an open reporting
period, one submitted progress report with a KPI actual, the plan's next version (for the diff page) and a
department's progress workbook with a refused cell. Prints the ids (and the workbook's path) the audit
needs as one JSON object.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from typing import Any


def main(username: str, password: str) -> dict[str, Any]:
    from keikaku.web import bootstrap

    bootstrap.migrate()
    from django.contrib.auth import get_user_model

    from keikaku.db.plans import models as pm
    from keikaku.db.progress import models as gm
    from keikaku.services.evaluations import evaluation_decide, evaluation_publish
    from keikaku.services.people import membership_set
    from keikaku.services.progress import (
        ReportInput,
        evaluation_save,
        parse_actual,
        progress_approve,
        progress_save,
        status_vocabulary,
    )
    from keikaku.services.revision import plan_revise

    now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    plan = pm.Plan.objects.filter(previous__isnull=True).order_by("pk").first()
    assert plan is not None, "load the demo plans first (keikaku demo)"
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    membership_set(user, plan.organisation, "admin")
    period, _created = gm.ReportingPeriod.objects.get_or_create(
        plan=plan, fiscal_year=2025, quarter=None, defaults={"due_date": date(2026, 4, 30), "state": "open"}
    )
    measure = next(m for m in plan.measures.order_by("order") if m.kpis.exists())
    report = gm.ProgressReport.objects.filter(measure=measure, period=period).first()
    if report is None:
        kpi = measure.kpis.order_by("order").first()
        words = [w for w, _kind in status_vocabulary(plan.organisation)]
        data = ReportInput(
            status=words[1],
            narrative="庁内の説明会を 2 回開き、手続の見直しを進めました。",
            evidence=["https://example.jp/evidence"],
            actuals=[parse_actual(kpi.pk, "12", kpi.unit or "")],
        )
        report = progress_save(user, measure, period, data, revision=0, now=now, submit=True)
    if not gm.Evaluation.objects.filter(measure=measure, fiscal_year=period.fiscal_year).exists():
        # a draft evaluation: the evaluation page shows its state and the admin's 決定 button
        evaluation_save(
            user,
            measure,
            period.fiscal_year,
            decision="継続",
            rationale="対象を広げて続ける。",
            revision=0,
            now=now,
        )
    # a second measure with an approved report and a published evaluation: its public page shows progress
    done = [m for m in plan.measures.order_by("order") if m.kpis.exists() and m.pk != measure.pk][0]
    approved = gm.ProgressReport.objects.filter(measure=done, period=period).first()
    if approved is None:
        kpi = done.kpis.order_by("order").first()
        words = [w for w, _kind in status_vocabulary(plan.organisation)]
        data = ReportInput(
            status=words[1],
            narrative="計画どおり進みました。",
            actuals=[parse_actual(kpi.pk, "20", kpi.unit or "")],
        )
        approved = progress_save(user, done, period, data, revision=0, now=now, submit=True)
        approved = progress_approve(user, approved, revision=approved.revision, now=now)
        ev = evaluation_save(
            user, done, 2025, decision="継続", rationale="引き続き進める。", revision=0, now=now
        )
        ev = evaluation_decide(user, ev, revision=ev.revision, now=now)
        evaluation_publish(user, ev, revision=ev.revision, now=now)
    new = pm.Plan.objects.filter(previous=plan).order_by("pk").first()
    if new is None:
        plan.refresh_from_db()
        new = plan_revise(user, plan, now=now, revision=plan.revision)
    return {
        "bad_workbook": _bad_workbook(user, period),
        "plan": plan.pk,
        "new_plan": new.pk,
        "organisation": plan.organisation_id,
        "period": period.pk,
        "measure": measure.pk,
        "report": report.pk,
        "approved_measure": done.pk,
        "fiscal_year": period.fiscal_year,
    }


def _bad_workbook(user: Any, period: Any) -> str:
    """A department's progress workbook with a status that is not one of the choices: the workbooks page
    then lists the problems in a table. Written next to the database; its path."""
    import io
    import os
    from pathlib import Path

    from openpyxl import load_workbook

    from keikaku.export.progress_xlsx import FIRST_ROW, SHEET
    from keikaku.services.excel import department_workbooks, progress_workbook_export

    department = department_workbooks(user, period)[0].department_id
    _name, data = progress_workbook_export(user, period, department)
    wb = load_workbook(io.BytesIO(data))
    wb[SHEET][f"G{FIRST_ROW}"] = "たぶん順調"
    path = Path(os.environ["KEIKAKU_DATA_DIR"]) / "axe-bad-progress.xlsx"
    wb.save(path)
    return str(path)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
