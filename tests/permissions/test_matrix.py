"""The permission matrix: every PDCA page and API endpoint that reads or writes, for each character —
Alice (editor 市A), Bob (reporter, one department of 市A), Charlie (editor 市B), Dana (admin 市A) and the
anonymous resident — allowed or refused as the roles say.

Allowed: a GET answers 200, a form POST redirects to a page other than the login, an API call answers 200.
Refused: 401 / 403 / 404, or a redirect to the login page.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from keikaku.services.evaluations import evaluation_decide
from keikaku.services.progress import (
    ReportInput,
    evaluation_save,
    parse_actual,
    progress_approve,
    progress_save,
)
from tests.people import NOW, People
from tests.web.import_docs import name_alice_org, write_town_plan_docx

pytestmark = pytest.mark.django_db

CHARACTERS = ("alice", "bob", "charlie", "dana", "anon")


@pytest.fixture
def people(people: People, settings, tmp_path) -> People:
    """The characters of tests/permissions/conftest.py, with uploads of the import pages under tmp_path."""
    settings.DATA_DIR = tmp_path
    return people


def _report(p: People, measure=None, *, submit: bool = False, approve: bool = False):
    measure = measure or p.bob_measure
    kpi = measure.kpis.first()
    data = ReportInput(status="順調", narrative="n", actuals=[parse_actual(kpi.pk, "5", "件")])
    r = progress_save(p.alice, measure, p.period_a, data, revision=0, now=NOW, submit=submit or approve)
    if approve:
        r = progress_approve(p.alice, r, revision=r.revision, now=NOW)
    return r


def _evaluation(p: People, state: str = "draft"):
    """An evaluation of Bob's measure for 2025 written by Alice (revision 1), decided by Dana (revision 2)."""
    e = evaluation_save(p.alice, p.bob_measure, 2025, decision="継続", rationale="r", revision=0, now=NOW)
    if state == "decided":
        e = evaluation_decide(p.dana, e, revision=e.revision, now=NOW)
    return e


def _report_form(p: People, measure) -> dict:
    kpi = measure.kpis.first()
    return {
        "revision": "0",
        "status": "遅れ",
        "narrative": "書いた",
        "evidence": "https://example.jp/x",
        f"kpi_{kpi.pk}": "12",
    }


def _upload(p: People) -> dict:
    """A DOCX of Alice's organisation's plan, as a form upload."""
    name_alice_org(p)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_town_plan_docx(Path(tmp) / "plan.docx")
        return {"document": SimpleUploadedFile(path.name, path.read_bytes())}


def _uploaded_token(p: People, client: Client) -> dict:
    """The token of the same upload made first by this client's user, read by its job (the job's function
    as the worker calls it; tests/web/test_import_jobs.py runs the real worker), or a placeholder when the
    upload is refused."""
    from keikaku.services.jobs import import_read

    r = client.post("/manage/import/", _upload(p))
    m = (
        re.search(r"/manage/import/jobs/([^/]+)/", r.headers.get("Location", ""))
        if r.status_code == 302
        else None
    )
    if m:
        import_read.call(m.group(1))
    return {"token": m.group(1) if m else "x" * 32, "action": "save"}


def _uploaded_token_for_a(p: People, client: Client) -> dict:
    """The same, saved into 市A by choice (the uploader picks the organisation; only 市A's editors may)."""
    return {**_uploaded_token(p, client), "organisation": str(p.plan_a.organisation_id)}


def _alices_job(p: People) -> str:
    """The page of an import job Alice submitted (only she may see it)."""
    from keikaku.services.jobs import import_submit

    document = _upload(p)["document"]
    return f"/manage/import/jobs/{import_submit(p.alice, document.name, [document.read()], now=NOW).token}/"


def _org_code(p: People) -> str:
    """市A's 団体コード (given here: the people fixture makes organisations without one)."""
    org = p.plan_a.organisation
    org.code = "221309"
    org.save()
    return org.code


def _draft(plan):
    """The plan made a draft again (not public)."""
    plan.status = "draft"
    plan.save()
    return plan


@dataclass
class Case:
    name: str
    method: str  # GET / POST (form) / API-GET / API-PUT / API-POST
    url: Callable[[People], str]
    allowed: set[str]
    data: Callable[[People], dict] = lambda p: {}
    ok: int | None = None  # the success status when not the default (200 for GET/API, 302 for a form POST)
    session_data: Callable[[People, Client], dict] | None = None  # data made with the logged-in client


EDITORS_A = {"alice", "dana"}
ADMIN_A = {"dana"}
PLANNERS = {"alice", "charlie", "dana"}
MEMBERS_A = {"alice", "bob", "dana"}
EVERYONE = set(CHARACTERS)

CASES = [
    # ---- pages ----
    Case("manage index", "GET", lambda p: "/manage/", {"alice", "bob", "charlie", "dana"}),
    Case("plan progress (published)", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/", EVERYONE),
    Case("plan B progress", "GET", lambda p: f"/manage/plans/{p.plan_b.pk}/", EVERYONE),
    # the plan as a document (計画書): published → everyone; a draft → the members of its organisation
    Case("plan document PDF", "GET", lambda p: f"/plans/{p.plan_a.pk}/plan.pdf", EVERYONE),
    Case("plan document DOCX", "GET", lambda p: f"/plans/{p.plan_b.pk}/plan.docx", EVERYONE),
    Case("plan document of a draft", "GET", lambda p: f"/plans/{_draft(p.plan_a).pk}/plan.docx", MEMBERS_A),
    Case(
        "report form, Bob's measure",
        "GET",
        lambda p: f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/",
        MEMBERS_A,
    ),
    Case(
        "report form, other measure",
        "GET",
        lambda p: f"/manage/periods/{p.period_a.pk}/measures/{p.other_measure.pk}/report/",
        EDITORS_A,
    ),
    Case(
        "report form, 市B measure",
        "GET",
        lambda p: f"/manage/periods/{p.period_b.pk}/measures/{p.measure_b.pk}/report/",
        {"charlie"},
    ),
    Case(
        "save report, Bob's measure",
        "POST",
        lambda p: f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/",
        MEMBERS_A,
        lambda p: _report_form(p, p.bob_measure),
    ),
    Case(
        "save report, other measure",
        "POST",
        lambda p: f"/manage/periods/{p.period_a.pk}/measures/{p.other_measure.pk}/report/",
        EDITORS_A,
        lambda p: _report_form(p, p.other_measure),
    ),
    Case("read draft report", "GET", lambda p: f"/manage/reports/{_report(p).pk}/", MEMBERS_A),
    Case(
        "read approved report", "GET", lambda p: f"/manage/reports/{_report(p, approve=True).pk}/", EVERYONE
    ),
    Case(
        "submit report",
        "POST",
        lambda p: f"/manage/reports/{_report(p).pk}/submit/",
        MEMBERS_A,
        lambda p: {"revision": "1"},
    ),
    Case(
        "approve report",
        "POST",
        lambda p: f"/manage/reports/{_report(p, submit=True).pk}/approve/",
        EDITORS_A,
        lambda p: {"revision": "1"},
    ),
    Case(
        "return report",
        "POST",
        lambda p: f"/manage/reports/{_report(p, submit=True).pk}/return/",
        EDITORS_A,
        lambda p: {"revision": "1", "comment": "直して"},
    ),
    Case(
        "evaluation form",
        "GET",
        lambda p: f"/manage/measures/{p.bob_measure.pk}/evaluations/2025/",
        EDITORS_A,
    ),
    Case(
        "evaluation grid",
        "GET",
        lambda p: f"/manage/plans/{p.plan_a.pk}/evaluations/2025/",
        EDITORS_A,
    ),
    Case(
        "save evaluation grid",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/evaluations/2025/",
        EDITORS_A,
        lambda p: {f"decision_{p.bob_measure.pk}": "継続", f"rationale_{p.bob_measure.pk}": "r"},
    ),
    Case(
        "save evaluation",
        "POST",
        lambda p: f"/manage/measures/{p.bob_measure.pk}/evaluations/2025/",
        EDITORS_A,
        lambda p: {"revision": "0", "decision": "継続", "rationale": "r", "merge_into": ""},
    ),
    Case(
        "decide evaluation",
        "POST",
        lambda p: f"/manage/measures/{_evaluation(p).measure_id}/evaluations/2025/decide/",
        ADMIN_A,
        lambda p: {"revision": "1"},
    ),
    Case(
        "publish evaluation",
        "POST",
        lambda p: f"/manage/measures/{_evaluation(p, 'decided').measure_id}/evaluations/2025/publish/",
        ADMIN_A,
        lambda p: {"revision": "2"},
    ),
    Case(
        "evaluation back to draft",
        "POST",
        lambda p: f"/manage/measures/{_evaluation(p, 'decided').measure_id}/evaluations/2025/withdraw/",
        ADMIN_A,
        lambda p: {"revision": "2"},
    ),
    Case(
        "decide the year's evaluations",
        "POST",
        lambda p: f"/manage/plans/{_evaluation(p).measure.plan_id}/evaluations/2025/decide/",
        ADMIN_A,
    ),
    Case(
        "publish the year's evaluations",
        "POST",
        lambda p: f"/manage/plans/{_evaluation(p, 'decided').measure.plan_id}/evaluations/2025/publish/",
        ADMIN_A,
    ),
    Case("measure history", "GET", lambda p: f"/manage/measures/{p.bob_measure.pk}/history/", MEMBERS_A),
    Case(
        "revise plan",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/revise/",
        EDITORS_A,
        lambda p: {"revision": "1", "fiscal_year": "2025"},
    ),
    Case("diff of versions", "GET", lambda p: f"/manage/plans/{p.plan_a.pk}/diff/{p.plan_a.pk}/", EVERYONE),
    Case(  # the approver (the admin) only: publishing an approved version, or withdrawing
        "withdraw plan",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/publish/",
        {"dana"},
        lambda p: {"revision": str(p.plan_a.revision), "action": "withdraw"},
    ),
    Case(
        "new period",
        "POST",
        lambda p: f"/manage/plans/{p.plan_a.pk}/periods/new/",
        {"dana"},
        lambda p: {"fiscal_year": "2026", "quarter": "1", "due_date": "2026-07-31"},
    ),
    Case("period form", "GET", lambda p: f"/manage/periods/{p.period_a.pk}/", {"dana"}),
    Case(
        "close period",
        "POST",
        lambda p: f"/manage/periods/{p.period_a.pk}/",
        {"dana"},
        lambda p: {"revision": "1", "state": "closed", "due_date": "2026-04-30"},
    ),
    Case(
        "departments",
        "GET",
        lambda p: f"/manage/organisations/{p.plan_a.organisation_id}/departments/",
        EDITORS_A,
    ),
    Case(
        "merge departments",
        "POST",
        lambda p: f"/manage/organisations/{p.plan_a.organisation_id}/departments/",
        EDITORS_A,
        lambda p: {
            "keep": str(p.department.pk),
            "alias": str(p.plan_a.organisation.departments.exclude(pk=p.department.pk).first().pk),
        },
        ok=200,  # the page shows the result
    ),
    Case("import form", "GET", lambda p: "/manage/import/", PLANNERS),
    Case("import upload (queues a job)", "POST", lambda p: "/manage/import/", PLANNERS, _upload),
    Case("import job page, Alice's job", "GET", _alices_job, {"alice"}),
    Case(
        "import save 市A plan as draft",
        "POST",
        lambda p: "/manage/import/save/",
        EDITORS_A,
        session_data=_uploaded_token_for_a,
    ),
    Case(
        "import save into the uploader's own organisation",
        "POST",
        lambda p: "/manage/import/save/",
        PLANNERS,
        session_data=_uploaded_token,
    ),
    Case("profile", "GET", lambda p: "/accounts/profile/", {"alice", "bob", "charlie", "dana"}),
    Case(
        "new token",
        "POST",
        lambda p: "/accounts/tokens/new/",
        {"alice", "bob", "charlie", "dana"},
        lambda p: {"name": "ci"},
        ok=200,
    ),
    # ---- open-data catalogue (public; drafts are never listed: test_drafts_are_invisible…) ----
    Case("catalogue", "GET", lambda p: "/catalog.ttl", EVERYONE),
    Case("catalogue JSON-LD", "GET", lambda p: "/catalog.jsonld", EVERYONE),
    Case("organisation catalogue", "GET", lambda p: f"/orgs/{_org_code(p)}/catalog.ttl", EVERYONE),
    Case("organisation page", "GET", lambda p: f"/orgs/{_org_code(p)}/", EVERYONE),
    # ---- public progress (approved reports and published evaluations only; a draft plan is 404) ----
    Case("public progress dashboard", "GET", lambda p: f"/plans/{p.plan_a.pk}/progress/", EVERYONE),
    Case(
        "old dashboard address (redirect)",
        "GET",
        lambda p: f"/manage/plans/{p.plan_a.pk}/dashboard/",
        EVERYONE,
        ok=301,
    ),
    Case("progress.csv", "GET", lambda p: f"/plans/{p.plan_a.pk}/progress.csv", EVERYONE),
    Case("progress.json", "GET", lambda p: f"/plans/{p.plan_a.pk}/progress.json", EVERYONE),
    Case("progress feed", "GET", lambda p: f"/plans/{p.plan_a.pk}/feed.xml", EVERYONE),
    Case("favicon (redirect)", "GET", lambda p: "/favicon.ico", EVERYONE, ok=301),
    Case("api actuals", "API-GET", lambda p: f"/api/plans/{p.plan_a.pk}/actuals", EVERYONE),
    # ---- API ----
    Case("api periods", "API-GET", lambda p: f"/api/plans/{p.plan_a.pk}/periods", EVERYONE),
    Case("api progress list", "API-GET", lambda p: f"/api/plans/{p.plan_a.pk}/progress", EVERYONE),
    Case("api draft report", "API-GET", lambda p: f"/api/progress/{_report(p).pk}", MEMBERS_A),
    Case(
        "api approved report", "API-GET", lambda p: f"/api/progress/{_report(p, approve=True).pk}", EVERYONE
    ),
    Case(
        "api save Bob's measure",
        "API-PUT",
        lambda p: f"/api/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/progress",
        MEMBERS_A,
        lambda p: {
            "revision": 0,
            "status": "順調",
            "actuals": [{"kpi_id": p.bob_measure.kpis.first().pk, "number": "3"}],
        },
    ),
    Case(
        "api save other measure",
        "API-PUT",
        lambda p: f"/api/periods/{p.period_a.pk}/measures/{p.other_measure.pk}/progress",
        EDITORS_A,
        lambda p: {"revision": 0, "status": "順調"},
    ),
    Case(
        "api save 市B measure",
        "API-PUT",
        lambda p: f"/api/periods/{p.period_b.pk}/measures/{p.measure_b.pk}/progress",
        {"charlie"},
        lambda p: {"revision": 0, "status": "順調"},
    ),
    Case(
        "api submit",
        "API-POST",
        lambda p: f"/api/progress/{_report(p).pk}/submit",
        MEMBERS_A,
        lambda p: {"revision": 1},
    ),
    Case(
        "api approve",
        "API-POST",
        lambda p: f"/api/progress/{_report(p, submit=True).pk}/approve",
        EDITORS_A,
        lambda p: {"revision": 1},
    ),
    Case(
        "api return",
        "API-POST",
        lambda p: f"/api/progress/{_report(p, submit=True).pk}/return",
        EDITORS_A,
        lambda p: {"revision": 1, "comment": "直して"},
    ),
    Case("api evaluations", "API-GET", lambda p: f"/api/plans/{p.plan_a.pk}/evaluations", EVERYONE),
    Case(
        "api save evaluation",
        "API-PUT",
        lambda p: f"/api/measures/{p.bob_measure.pk}/evaluations/2025",
        EDITORS_A,
        lambda p: {"revision": 0, "decision": "完了", "rationale": "達成"},
    ),
    Case(
        "api decide evaluation",
        "API-POST",
        lambda p: f"/api/evaluations/{_evaluation(p).pk}/decide",
        ADMIN_A,
        lambda p: {"revision": 1},
    ),
    Case(
        "api publish evaluation",
        "API-POST",
        lambda p: f"/api/evaluations/{_evaluation(p, 'decided').pk}/publish",
        ADMIN_A,
        lambda p: {"revision": 2},
    ),
    Case(
        "api evaluation back to draft",
        "API-POST",
        lambda p: f"/api/evaluations/{_evaluation(p, 'decided').pk}/withdraw",
        ADMIN_A,
        lambda p: {"revision": 2},
    ),
    Case("api status counts", "API-GET", lambda p: f"/api/plans/{p.plan_a.pk}/status-counts", EVERYONE),
]


def _request(p: People, who: str, case: Case) -> tuple[int, str]:
    client = Client()
    url, data = case.url(p), case.data(p)
    if case.method.startswith("API"):
        headers = {} if who == "anon" else {"Authorization": f"Bearer {p.tokens[who]}"}
        method = case.method.split("-")[1].lower()
        if method == "get":
            r = client.get(url, headers=headers)
        else:
            r = getattr(client, method)(
                url, data=json.dumps(data), content_type="application/json", headers=headers
            )
        return r.status_code, ""
    if who != "anon":
        client.force_login(getattr(p, who))
    if case.session_data:
        data = case.session_data(p, client)
    r = client.get(url) if case.method == "GET" else client.post(url, data)
    return r.status_code, r.headers.get("Location", "")


@pytest.mark.parametrize("who", CHARACTERS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_matrix(people: People, case: Case, who: str) -> None:
    status, location = _request(people, who, case)
    to_login = status == 302 and location.startswith("/accounts/login/")
    if who in case.allowed:
        expected = case.ok or (302 if case.method == "POST" else 200)
        assert status == expected and not to_login, f"{who} should be allowed: {status} {location}"
    else:
        assert status in (401, 403, 404) or to_login, f"{who} should be refused: {status} {location}"


def test_every_route_is_in_the_matrix() -> None:
    """A new PDCA page or endpoint must be added to the table."""
    from keikaku.web.accounts.urls import urlpatterns as acc
    from keikaku.web.api.pdca import router
    from keikaku.web.progress.urls import urlpatterns as prog

    pages = {p.name for p in prog} | {p.name for p in acc} - {"login", "logout", "token_revoke"}
    covered_pages = {
        "index",
        "plan",
        "report_edit",
        "report",
        "report_action",
        "evaluation",
        "evaluation_grid",
        "evaluation_action",
        "evaluations_year_action",
        "history",
        "revise",
        "publish",
        "diff",
        "period_new",
        "period_edit",
        "departments",
        "import",
        "import_save",
        "import_job",
        "profile",
        "token_new",
    }
    assert pages <= covered_pages
    from keikaku.web.portal.urls import urlpatterns as portal
    from keikaku.web.progress.urls_reports import urlpatterns as reports

    # the public progress routes (portal) and the dashboard's old address, each with its case above
    public_progress = {
        "progress": "public progress dashboard",
        "progress_csv": "progress.csv",
        "progress_json": "progress.json",
        "feed": "progress feed",
        "favicon": "favicon (redirect)",
        "dashboard": "old dashboard address (redirect)",
    }
    assert set(public_progress) <= {p.name for p in portal} | {p.name for p in reports}
    assert set(public_progress.values()) <= {c.name for c in CASES}
    api_ops = {
        (m, path) for path, ops in router.path_operations.items() for op in ops.operations for m in op.methods
    }
    assert len(api_ops) == 13
    assert sum(1 for c in CASES if c.method.startswith("API")) >= len(api_ops)


def test_drafts_are_invisible_outside_the_organisation(people: People) -> None:
    p = people
    p.plan_a.status = "draft"
    p.plan_a.save()
    for who, allowed in (("alice", True), ("bob", True), ("charlie", False), ("anon", False)):
        status, _ = _request(p, who, Case("x", "GET", lambda q: f"/manage/plans/{q.plan_a.pk}/", set()))
        assert (status == 200) is allowed, who
        status, _ = _request(
            p, who, Case("x", "API-GET", lambda q: f"/api/plans/{q.plan_a.pk}/periods", set())
        )
        assert (status == 200) is allowed, who
    for who in CHARACTERS:  # the open-data catalogue lists published plans only, whoever asks
        client = Client()
        if who != "anon":
            client.force_login(getattr(p, who))
        body = client.get("/catalog.ttl").content.decode("utf-8")
        assert f"/plans/{p.plan_a.pk}/#dataset" not in body and f"/plans/{p.plan_b.pk}/#dataset" in body


def test_anonymous_sees_only_approved_progress(people: People) -> None:
    p = people
    draft = _report(p, p.bob_measure)
    draft.narrative = "下書きの秘密"
    draft.save()
    approved = _report(p, p.other_measure, approve=True)
    anon = Client()
    page = anon.get(f"/manage/plans/{p.plan_a.pk}/").content.decode()
    assert f"/manage/reports/{approved.pk}/" in page and f"/manage/reports/{draft.pk}/" not in page
    listed = anon.get(f"/api/plans/{p.plan_a.pk}/progress").json()
    assert [r["id"] for r in listed] == [approved.pk]
    bad = anon.get(f"/api/plans/{p.plan_a.pk}/progress", headers={"Authorization": "Bearer kk_wrong"})
    assert bad.status_code == 401
