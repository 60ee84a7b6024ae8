"""Prepare the demo database for the editor's browser tests (tests/browser/test_axe_editor.py).

    KEIKAKU_DATA_DIR=... python -m tests.browser.editor_setup USERNAME PASSWORD

A user with the admin role (editor and approver) in the first plan's organisation and that plan's next
version (a draft, from plan_revise). Prints the ids the audit needs as one JSON object.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime


def main(username: str, password: str) -> dict[str, int]:
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
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2]), ensure_ascii=False))
