"""Prepare the demo database for the editor's browser tests (tests/browser/test_axe_editor.py).

    KEIKAKU_DATA_DIR=... python -m tests.browser.editor_setup USERNAME PASSWORD

A user with the admin role (editor and approver) in the first plan's organisation and that plan's next
version (a draft, from plan_revise) that differs from it (a measure added, one deleted, one retitled), and
that draft's workbook with a refused cell. Prints the ids (and the workbook's path) the audit needs as one
JSON object.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any


def main(username: str, password: str) -> dict[str, Any]:
    from keikaku.web import bootstrap

    bootstrap.migrate()
    from django.contrib.auth import get_user_model

    from keikaku.db.plans import models as pm
    from keikaku.services.people import membership_set
    from keikaku.services.revision import plan_revise

    now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    plan = pm.Plan.objects.filter(previous__isnull=True).order_by("pk").first()
    assert plan is not None, "load the demo plans first (keikaku demo)"
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    membership_set(user, plan.organisation, "admin")
    new = pm.Plan.objects.filter(previous=plan).order_by("pk").first()
    if new is None:
        new = plan_revise(user, plan, now=now, revision=plan.revision)
        _differ(user, new, now)
    measure = next(m for m in new.measures.order_by("order") if m.kpis.exists())
    # as an import leaves it: a source excerpt, an inferred pillar and a KPI year not in the excerpt, so
    # that the page shows its 出典 and 要確認 sections to axe
    measure.provenance = {
        "source": "計画書.pdf",
        "page": 12,
        "line_start": 3,
        "line_end": 5,
        "text": measure.title,
    }
    measure.save()
    measure.pillar_refs.update(source="inferred", confidence=0.4)
    pm.Kpi.objects.filter(measure=measure).update(confirmed=False)
    return {
        "plan": new.pk,
        "measure": measure.pk,
        "title": measure.title,
        "bad_workbook": _bad_workbook(user, new.pk),
    }


def _differ(user: Any, new: Any, now: datetime) -> None:
    """The draft differs from the published version: one measure added, the last one deleted and one
    retitled, so that the workflow page shows its three tables of 「公開中の版からの変更」."""
    from keikaku.services.editing import (
        MeasureInput,
        measure_create,
        measure_delete,
        measure_input_of,
        measure_update,
    )

    last = new.measures.order_by("-order").first()
    assert last is not None
    measure_delete(user, last, revision=last.revision, now=now)
    new.refresh_from_db()
    measure_create(
        user, new, MeasureInput(title="ブラウザ試験で追加した施策"), revision=new.revision, now=now
    )
    second = new.measures.order_by("order")[1]
    data = measure_input_of(second)
    data.title = second.title + "（見直し）"
    measure_update(user, second, data, revision=second.revision, now=now)


def _bad_workbook(user: Any, plan_id: int) -> str:
    """The draft's workbook with a cell the upload refuses (再掲 is ○ or blank): the workbook page then
    lists the problems in a table. Written next to the database; its path."""
    import io
    import os
    from pathlib import Path

    from openpyxl import load_workbook

    from keikaku.export.plan_xlsx import FIRST_ROW, MEASURES
    from keikaku.services.plan_workbook import plan_workbook_export

    _name, data = plan_workbook_export(user, plan_id)
    wb = load_workbook(io.BytesIO(data))
    wb[MEASURES].cell(row=FIRST_ROW, column=8).value = "たぶん"
    path = Path(os.environ["KEIKAKU_DATA_DIR"]) / "axe-bad-plan.xlsx"
    wb.save(path)
    return str(path)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2]), ensure_ascii=False))
