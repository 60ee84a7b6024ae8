"""The permission matrix of the write API (keikaku/web/api/write.py) for the same characters as
test_matrix.py: Alice (editor 市A), Bob (reporter 市A), Charlie (editor 市B), Dana (admin 市A, the
approver) and the anonymous resident (no token: 401). 市A's plan is a draft here (only drafts are edited).
Every operation of the write API must have a row."""

from __future__ import annotations

import pytest

from keikaku.db.plans import models as pm
from tests.people import People
from tests.permissions.test_editor_matrix import _approved, _in_review, _published, prepare_people  # noqa: F401 — module_people calls it
from tests.permissions.test_matrix import CHARACTERS, Case, _request

pytestmark = pytest.mark.django_db

EDITORS_A = {"alice", "dana"}
APPROVER_A = {"dana"}


def _plan_rev(p: People) -> int:
    return pm.Plan.objects.get(pk=p.plan_a.pk).revision


def _policy(p: People) -> pm.Policy:
    return pm.Policy.objects.filter(plan=p.plan_a).first()  # type: ignore[return-value]


def _kpi(p: People) -> pm.Kpi:
    return p.bob_measure.kpis.get()


def _rev(p: People) -> dict:
    return {"revision": _plan_rev(p)}


API_WRITE_CASES = [
    Case(
        "api create plan",
        "API-POST",
        lambda p: "/api/plans",
        EDITORS_A,
        lambda p: {"organisation_id": p.plan_a.organisation_id, "title": "<script>新しい計画</script>"},
    ),
    Case(
        "api edit plan",
        "API-PATCH",
        lambda p: f"/api/plans/{p.plan_a.pk}",
        EDITORS_A,
        lambda p: {**_rev(p), "title": "変えた計画名"},
    ),
    Case(
        "api add policy",
        "API-POST",
        lambda p: f"/api/plans/{p.plan_a.pk}/policies",
        EDITORS_A,
        lambda p: {**_rev(p), "key": "(9)", "title": "新しい方針"},
    ),
    Case(
        "api rename policy",
        "API-PATCH",
        lambda p: f"/api/policies/{_policy(p).pk}",
        EDITORS_A,
        lambda p: {**_rev(p), "title": "変えた方針"},
    ),
    Case(
        "api delete policy",
        "API-DELETE",
        lambda p: f"/api/policies/{_policy(p).pk}?revision={_plan_rev(p)}",
        EDITORS_A,
    ),
    Case(
        "api add measure",
        "API-POST",
        lambda p: f"/api/plans/{p.plan_a.pk}/measures",
        EDITORS_A,
        lambda p: {**_rev(p), "title": "新しい施策"},
    ),
    Case(
        "api edit measure",
        "API-PATCH",
        lambda p: f"/api/measures/{p.bob_measure.pk}",
        EDITORS_A,
        lambda p: {"revision": p.bob_measure.revision, "title": "変えた施策"},
    ),
    Case(
        "api delete measure",
        "API-DELETE",
        lambda p: f"/api/measures/{p.other_measure.pk}?revision={p.other_measure.revision}",
        EDITORS_A,
    ),
    Case(
        "api add KPI",
        "API-POST",
        lambda p: f"/api/measures/{p.bob_measure.pk}/kpis",
        EDITORS_A,
        lambda p: {"revision": p.bob_measure.revision, "indicator": "新しい指標"},
    ),
    Case(
        "api edit KPI",
        "API-PATCH",
        lambda p: f"/api/kpis/{_kpi(p).pk}",
        EDITORS_A,
        lambda p: {"revision": p.bob_measure.revision, "targets": [{"value": "50件", "fiscal_year": 2029}]},
    ),
    Case(
        "api delete KPI",
        "API-DELETE",
        lambda p: f"/api/kpis/{_kpi(p).pk}?revision={p.bob_measure.revision}",
        EDITORS_A,
    ),
    Case(
        "api schedule",
        "API-PUT",
        lambda p: f"/api/measures/{p.bob_measure.pk}/schedule",
        EDITORS_A,
        lambda p: {"revision": p.bob_measure.revision, "cells": [{"fiscal_year": 2026, "written": "実施"}]},
    ),
    Case("api submit", "API-POST", lambda p: f"/api/plans/{p.plan_a.pk}/submit", EDITORS_A, _rev),
    Case("api approve", "API-POST", lambda p: f"/api/plans/{_in_review(p).pk}/approve", APPROVER_A, _rev),
    Case(
        "api return",
        "API-POST",
        lambda p: f"/api/plans/{_in_review(p).pk}/return",
        APPROVER_A,
        lambda p: {**_rev(p), "comment": "目標値を直してください"},
    ),
    Case("api publish", "API-POST", lambda p: f"/api/plans/{_approved(p).pk}/publish", APPROVER_A, _rev),
    Case("api withdraw", "API-POST", lambda p: f"/api/plans/{_published(p).pk}/withdraw", APPROVER_A, _rev),
    Case("api revise", "API-POST", lambda p: f"/api/plans/{p.plan_a.pk}/revise", EDITORS_A, _rev),
    Case(
        "api edit 市B plan",
        "API-PATCH",
        lambda p: f"/api/plans/{p.plan_b.pk}",
        set(),  # published: Charlie may edit only a draft (400), the others may not at all
        lambda p: {"revision": p.plan_b.revision, "title": "x"},
    ),
    Case(
        "api revise 市B plan",
        "API-POST",
        lambda p: f"/api/plans/{p.plan_b.pk}/revise",
        {"charlie"},
        lambda p: {"revision": p.plan_b.revision},
    ),
]


def test_every_write_operation_is_in_the_matrix() -> None:
    from keikaku.web.api.write import TAGS, router, shared

    ops = {
        (m, path)
        for path, view in router.path_operations.items()
        for op in view.operations
        for m in op.methods
    }
    ops |= {
        (m, path)
        for path, view in shared.path_operations.items()
        for op in view.operations
        if op.tags == TAGS
        for m in op.methods
    }
    assert len(ops) == 18  # a new operation: add its row above, then raise this count
    assert sum(1 for c in API_WRITE_CASES if "市B" not in c.name) >= len(ops)


@pytest.mark.parametrize("who", CHARACTERS)
@pytest.mark.parametrize("case", API_WRITE_CASES, ids=[c.name for c in API_WRITE_CASES])
def test_api_write_matrix(people: People, case: Case, who: str) -> None:
    status, _location = _request(people, who, case)
    if who in case.allowed:
        assert status == (case.ok or 200), f"{who} should be allowed: {status}"
    else:
        # anonymous: no token; Bob and the others: not allowed (403), or the draft is not even visible (404)
        expected = {401} if who == "anon" else {403, 404}
        if case.name == "api edit 市B plan" and who == "charlie":
            expected = {400}  # allowed by role, refused because the version is published
        assert status in expected, f"{who} should be refused: {status}"
