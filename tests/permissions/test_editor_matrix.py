"""The permission matrix of the plan editor and the version workflow (keikaku/web/progress/urls_editor.py),
for the same characters as test_matrix.py: Alice (editor 市A), Bob (reporter 市A), Charlie (editor 市B),
Dana (admin 市A, the approver) and the anonymous resident. 市A's plan is a draft here (only drafts are
edited). Every route of urls_editor must have a row."""

from __future__ import annotations

import pytest

from keikaku.db.plans import models as pm
from keikaku.services import workflow
from tests.people import NOW, People
from tests.permissions.test_matrix import CHARACTERS, Case, _request

pytestmark = pytest.mark.django_db

EDITORS_A = {"alice", "dana"}
APPROVER_A = {"dana"}


def prepare_people(p: People) -> None:
    """Plan A a draft (module_people calls this once, after make_people)."""
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)


def _kpi(p: People) -> pm.Kpi:
    return p.bob_measure.kpis.get()


def _measure_form(p: People) -> dict:
    ms = p.bob_measure
    return {"revision": str(ms.revision), "title": "変えた施策名", "pillars": ["A"]}


def _kpi_form(p: People) -> dict:
    k = _kpi(p)
    return {
        f"kpi{k.pk}-revision": "1",
        f"kpi{k.pk}-indicator": "変えた指標",
        f"kpi{k.pk}-target_value_0": "5件",
    }


EDITOR_CASES = [
    Case("plan editor", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/edit/", EDITORS_A),
    Case("plan B editor", "GET", lambda p: f"/manage/plans/{p.plan_b.pk}/edit/", {"charlie"}),
    Case("measure editor", "GET", lambda p: f"/manage/measures/{p.bob_measure.pk}/edit/", EDITORS_A),
    Case(
        "save measure",
        "POST",
        lambda p: f"/manage/measures/{p.bob_measure.pk}/edit/",
        EDITORS_A,
        _measure_form,
    ),
    Case(
        "new measure",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/edit/measures/new/",
        EDITORS_A,
        lambda p: {"new-revision": str(p.plan_a.revision), "new-title": "新しい施策"},
    ),
    Case(
        "move measure",
        "POST",
        lambda p: f"/manage/measures/{p.other_measure.pk}/list/up/",
        EDITORS_A,
        lambda p: {"list-revision": str(p.plan_a.revision)},
    ),
    Case(
        "copy measure",
        "POST",
        lambda p: f"/manage/measures/{p.other_measure.pk}/list/copy/",
        EDITORS_A,
        lambda p: {"list-revision": str(p.plan_a.revision)},
    ),
    Case(
        "delete measure",
        "POST",
        lambda p: f"/manage/measures/{p.other_measure.pk}/delete/",
        EDITORS_A,
        lambda p: {"delete-revision": "1"},
    ),
    Case(
        "new KPI",
        "POST",
        lambda p: f"/manage/measures/{p.bob_measure.pk}/edit/kpis/new/",
        EDITORS_A,
        lambda p: {"newkpi-revision": "1", "newkpi-indicator": "新しい指標"},
    ),
    Case("save KPI", "POST", lambda p: f"/manage/kpis/{_kpi(p).pk}/edit/", EDITORS_A, _kpi_form),
    Case(
        "delete KPI",
        "POST",
        lambda p: f"/manage/kpis/{_kpi(p).pk}/delete/",
        EDITORS_A,
        lambda p: {f"del{_kpi(p).pk}-revision": "1"},
    ),
    Case(
        "measure title form", "GET", lambda p: f"/manage/measures/{p.bob_measure.pk}/edit/title/", EDITORS_A
    ),
    Case(
        "save measure title",
        "POST",
        lambda p: f"/manage/measures/{p.bob_measure.pk}/edit/title/",
        EDITORS_A,
        lambda p: {f"t{p.bob_measure.pk}-revision": "1", f"t{p.bob_measure.pk}-title": "直した施策名"},
    ),
    Case(
        "confirm measure",
        "POST",
        lambda p: f"/manage/measures/{p.bob_measure.pk}/confirm/",
        EDITORS_A,
        lambda p: {"confirm-revision": "1"},
    ),
    Case(
        "save schedule",
        "POST",
        lambda p: f"/manage/measures/{p.bob_measure.pk}/edit/schedule/",
        EDITORS_A,
        lambda p: {"schedule-revision": "1", "schedule-fy_2025": "準備"},
    ),
]


def _section(p: People) -> pm.Section:
    return p.plan_a.sections.first()


def _policy(p: People) -> pm.Policy:
    return p.plan_a.policies.first()


def _list(p: People) -> dict:
    return {"list-revision": str(p.plan_a.revision)}


STRUCTURE_CASES = [
    Case("plan fields", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/edit/plan/", EDITORS_A),
    Case(
        "save plan fields",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/edit/plan/",
        EDITORS_A,
        lambda p: {"plan-revision": str(p.plan_a.revision), "plan-title": "変えた計画名"},
    ),
    Case("sections", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/edit/sections/", EDITORS_A),
    Case(
        "new section",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/edit/sections/",
        EDITORS_A,
        lambda p: {"new-revision": str(p.plan_a.revision), "new-title": "推進体制", "new-text": "本文"},
    ),
    Case(
        "save section",
        "POST",
        lambda p: f"/manage/sections/{_section(p).pk}/edit/",
        EDITORS_A,
        lambda p: {
            f"s{_section(p).pk}-revision": str(p.plan_a.revision),
            f"s{_section(p).pk}-title": "見出し",
        },
    ),
    Case("delete section", "POST", lambda p: f"/manage/sections/{_section(p).pk}/delete/", EDITORS_A, _list),
    Case("policies", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/edit/policies/", EDITORS_A),
    Case(
        "new policy",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/edit/policies/",
        EDITORS_A,
        lambda p: {"new-revision": str(p.plan_a.revision), "new-key": "(2)", "new-title": "人材"},
    ),
    Case(
        "rename policy",
        "POST",
        lambda p: f"/manage/policies/{_policy(p).pk}/edit/",
        EDITORS_A,
        lambda p: {
            f"p{_policy(p).pk}-revision": str(p.plan_a.revision),
            f"p{_policy(p).pk}-key": "I",
            f"p{_policy(p).pk}-title": "方針",
        },
    ),
    Case("delete policy", "POST", lambda p: f"/manage/policies/{_policy(p).pk}/delete/", EDITORS_A, _list),
]


def _in_review(p: People) -> pm.Plan:
    return workflow.plan_submit(p.alice, p.plan_a, revision=p.plan_a.revision, now=NOW)


def _approved(p: People) -> pm.Plan:
    plan = _in_review(p)
    return workflow.plan_approve(p.dana, plan, revision=plan.revision, now=NOW)


def _published(p: People) -> pm.Plan:
    plan = _approved(p)
    return workflow.plan_publish(p.dana, plan, revision=plan.revision, now=NOW)


def _step(action: str, plan: pm.Plan, **extra: str) -> dict:
    return {f"{action}-revision": str(plan.revision), **{f"{action}-{k}": v for k, v in extra.items()}}


WORKFLOW_CASES = [
    Case(
        "workflow page", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/workflow/", {"alice", "bob", "dana"}
    ),
    Case("draft preview", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/preview/", {"alice", "bob", "dana"}),
    Case(
        "submit for review",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/workflow/submit/",
        EDITORS_A,
        lambda p: _step("submit", p.plan_a, comment="確認お願いします"),
    ),
    Case(
        "approve",
        "POST",
        lambda p: f"/manage/plans/{_in_review(p).pk}/workflow/approve/",
        APPROVER_A,
        lambda p: _step("approve", pm.Plan.objects.get(pk=p.plan_a.pk)),
    ),
    Case(
        "return to draft",
        "POST",
        lambda p: f"/manage/plans/{_in_review(p).pk}/workflow/return/",
        APPROVER_A,
        lambda p: _step("return", pm.Plan.objects.get(pk=p.plan_a.pk), comment="直してください"),
    ),
    Case(
        "publish",
        "POST",
        lambda p: f"/manage/plans/{_approved(p).pk}/workflow/publish/",
        APPROVER_A,
        lambda p: _step("publish", pm.Plan.objects.get(pk=p.plan_a.pk), confirm="on"),
    ),
    Case(
        "withdraw",
        "POST",
        lambda p: f"/manage/plans/{_published(p).pk}/workflow/withdraw/",
        APPROVER_A,
        lambda p: _step("withdraw", pm.Plan.objects.get(pk=p.plan_a.pk), confirm="on"),
    ),
]


def _workbook(p: People) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from keikaku.services.plan_workbook import plan_workbook_export

    name, data = plan_workbook_export(None, p.plan_a.pk)
    return {"file": SimpleUploadedFile(name, data)}


WORKBOOK_CASES = [
    Case("plan workbook page", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/edit/workbook/", EDITORS_A),
    Case(
        "plan workbook download",
        "GET",
        lambda p: f"/manage/plans/{p.plan_a.pk}/edit/workbook.xlsx",
        EDITORS_A,
    ),
    Case(
        "plan workbook upload",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/edit/workbook/",
        EDITORS_A,
        _workbook,
    ),
]


def _catalogue_id() -> int:
    """The demo's fictional catalogue, stored once."""
    from keikaku.core.plan import Catalogue
    from keikaku.demo import SAMPLE_CATALOGUE
    from keikaku.services.plans import catalogue_save

    row = pm.Catalogue.objects.first()
    if row is None:
        row = catalogue_save(
            Catalogue.model_validate_json(SAMPLE_CATALOGUE.read_text(encoding="utf-8")), now=NOW
        )
    return row.pk


def _draft_choices(p: People) -> dict:
    return {
        "organisation": str(p.plan_a.organisation_id),
        "start_fy": "2026",
        "end_fy": "2030",
        "catalogue": str(_catalogue_id()),
        "also": "dx",
    }


DRAFT_CASES = [
    Case("draft wizard", "GET", lambda p: "/manage/plans/new/", {"alice", "charlie", "dana"}),
    Case(
        "draft wizard: pick measures",
        "GET",
        lambda p: "/manage/plans/new/measures/?" + "&".join(f"{k}={v}" for k, v in _draft_choices(p).items()),
        EDITORS_A,
    ),
    Case(
        "draft wizard: create",
        "POST",
        lambda p: "/manage/plans/new/measures/",
        EDITORS_A,
        lambda p: {**_draft_choices(p), "measures": ["1-1", "3-1"]},
    ),
    Case("gap report", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/gaps/", {"alice", "bob", "dana"}),
    Case(
        "add from the guide",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/gaps/add/",
        EDITORS_A,
        lambda p: {
            "revision": str(p.plan_a.revision),
            "catalogue": str(_catalogue_id()),
            "item": "chapter:purpose",
        },
    ),
]
EDITOR_CASES += STRUCTURE_CASES + WORKFLOW_CASES + WORKBOOK_CASES + DRAFT_CASES


def test_every_editor_route_is_in_the_matrix() -> None:
    from keikaku.web.progress.urls_editor import urlpatterns

    covered = {
        "plan",
        "measure_new",
        "measure",
        "kpi_new",
        "schedule",
        "measure_delete",
        "measure_confirm",
        "measure_title",
        "measure_list",
        "kpi",
        "kpi_delete",
        "plan_fields",
        "sections",
        "section",
        "section_action",
        "policies",
        "policy",
        "policy_action",
        "workflow",
        "workflow_action",
        "preview",
        "workbook",
        "workbook_download",
        "draft_start",
        "draft_measures",
        "gaps",
        "gap_add",
    }
    assert {p.name for p in urlpatterns} <= covered


@pytest.mark.parametrize("who", CHARACTERS)
@pytest.mark.parametrize("case", EDITOR_CASES, ids=[c.name for c in EDITOR_CASES])
def test_editor_matrix(people: People, case: Case, who: str) -> None:
    status, location = _request(people, who, case)
    to_login = status == 302 and location.startswith("/accounts/login/")
    if who in case.allowed:
        expected = case.ok or (302 if case.method == "POST" else 200)
        assert status == expected and not to_login, f"{who} should be allowed: {status} {location}"
    else:
        assert status in (401, 403, 404) or to_login, f"{who} should be refused: {status} {location}"
