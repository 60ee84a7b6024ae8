"""/manage/import/: a planner uploads a plan document, its job reads it (a real worker, run here in batch
mode in this process; the parse in its bounded child process), the planner reviews what was read and stores
it as a draft. Real DOCX files (python-docx); bad files end in the reason, 400, and store nothing.

The tests use ``transactional_db``: the worker checks its database connection as it would between jobs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client, override_settings

from keikaku.db.plans import models as pm
from keikaku.services.imports import uploads_dir
from keikaku.services.jobs import worker_make
from tests.ingest import doc_fixtures as fixtures
from tests.people import People, make_people
from tests.web.import_docs import SCRIPT, TOWN, name_alice_org, write_town_plan_docx

pytestmark = pytest.mark.django_db(transaction=True)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def people(transactional_db, settings, tmp_path: Path) -> People:
    settings.DATA_DIR = tmp_path / "data"
    p = make_people()
    name_alice_org(p)
    return p


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _docx(tmp_path: Path, town: str = TOWN) -> SimpleUploadedFile:
    path = write_town_plan_docx(tmp_path / f"{town}計画.docx", town)
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=DOCX)


def run_jobs() -> None:
    """The queued import jobs, run by the worker `keikaku worker` runs, until the queue is empty."""
    worker_make(batch=True, interval=0).run()


def upload(client: Client, document, **headers):
    """POST the upload, run the job, and GET the job's page (the review when it read a plan)."""
    r = client.post("/manage/import/", {"document": document}, **headers)
    if r.status_code != 302:
        return r
    assert r["Location"].startswith("/manage/import/jobs/")
    run_jobs()
    return client.get(r["Location"], **headers)


def _token(page: str) -> str:
    m = re.search(r'name="token" value="([^"]+)"', page)
    assert m, "no token on the review page"
    return m.group(1)


def _uploads() -> list[Path]:
    root = uploads_dir()
    return sorted(root.iterdir()) if root.is_dir() else []


def _documents() -> list[Path]:
    """Uploaded documents still kept (a failed job keeps only its record, to show the reason)."""
    return [f for d in _uploads() for f in d.iterdir() if f.name not in ("upload.json", "plan.json")]


def test_form_is_accessible_and_shows_the_limit(people: People) -> None:
    with override_settings(KEIKAKU_IMPORT_MAX_BYTES=20 * 1024 * 1024):
        page = _client(people.alice).get("/manage/import/").content.decode()
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    field = re.search(r'<input type="file"[^>]*id="([^"]+)"', page)
    assert field and f'<label for="{field.group(1)}">' in page
    assert "20 MB" in page and "docx" in page and "pdf" in page
    assert "/manage/import/" in _client(people.alice).get("/manage/").content.decode()
    assert "/manage/import/" not in _client(people.bob).get("/manage/").content.decode()


def test_alice_uploads_reviews_and_saves_a_draft(people: People, tmp_path: Path) -> None:
    alice = _client(people.alice)
    before = pm.Plan.objects.count()
    r = upload(alice, _docx(tmp_path))
    assert r.status_code == 200
    page = r.content.decode()
    assert f"{TOWN}デジタル推進計画" in page
    assert "電子申請&lt;script&gt;alert(1)&lt;/script&gt;の拡充" in page and SCRIPT not in page
    assert "窓口の案内表示の改善" in page and "オンライン手続数" in page and "情報政策課" in page
    assert "<details>" in page and "令和7年度" in page
    assert pm.Plan.objects.count() == before  # nothing stored yet
    assert len(_uploads()) == 1

    r = alice.post("/manage/import/save/", {"token": _token(page), "action": "save"})
    assert r.status_code == 302
    plan = pm.Plan.objects.exclude(pk__in=[people.plan_a.pk, people.plan_b.pk]).get()
    assert r["Location"] == f"/manage/plans/{plan.pk}/"
    assert plan.status == "draft" and plan.organisation_id == people.plan_a.organisation_id
    assert plan.measures.count() == 2
    assert plan.source_file.filename == f"{TOWN}計画.docx" and plan.source_file.size > 0
    assert _uploads() == []  # the temporary file is gone once stored
    # the plan page leads on to the version's workflow (確認依頼・承認・公開)
    assert f"/manage/plans/{plan.pk}/workflow/" in alice.get(r["Location"]).content.decode()
    # the token is used up
    assert alice.post("/manage/import/save/", {"token": _token(page)}).status_code == 404


def test_charlie_stores_only_into_his_own_organisation(people: People, tmp_path: Path) -> None:
    """The document names 市A; Charlie (editor of 市B) may store it only in 市B, his own."""
    charlie = _client(people.charlie)
    r = upload(charlie, _docx(tmp_path))
    assert r.status_code == 200
    page = r.content.decode()
    org_a, org_b = people.plan_a.organisation, people.plan_b.organisation
    assert f'<option value="{org_b.pk}" selected>' in page and f'value="{org_a.pk}"' not in page
    token = _token(page)
    r = charlie.post(
        "/manage/import/save/", {"token": token, "action": "save", "organisation": str(org_a.pk)}
    )
    assert r.status_code == 403 and pm.Plan.objects.count() == 2
    r = charlie.post(
        "/manage/import/save/", {"token": token, "action": "save", "organisation": str(org_b.pk)}
    )
    assert r.status_code == 302
    plan = pm.Plan.objects.exclude(pk__in=[people.plan_a.pk, people.plan_b.pk]).get()
    assert plan.organisation == org_b and plan.status == "draft"
    assert charlie.get(f"/manage/plans/{plan.pk}/").status_code == 200  # the uploader sees the draft


def test_a_misread_organisation_is_stored_in_the_uploaders(people: People, tmp_path: Path) -> None:
    alice = _client(people.alice)
    page = upload(alice, _docx(tmp_path, "あおば市")).content.decode()
    assert "未登録の団体" in page and "あおば市" in page and 'value="new"' not in page
    assert alice.post("/manage/import/save/", {"token": _token(page), "action": "save"}).status_code == 302
    assert not pm.Organisation.objects.filter(name="あおば市").exists()
    plan = pm.Plan.objects.exclude(pk__in=[people.plan_a.pk, people.plan_b.pk]).get()
    assert plan.organisation == people.plan_a.organisation


def test_a_superuser_registers_a_new_organisation_with_its_code(people: People, tmp_path: Path) -> None:
    people.charlie.is_superuser = True
    people.charlie.save()
    charlie = _client(people.charlie)
    page = upload(charlie, _docx(tmp_path, "あおば市")).content.decode()
    assert '<option value="new" selected>' in page and 'name="new_code"' in page
    token = _token(page)
    new = {
        "token": token,
        "action": "save",
        "organisation": "new",
        "new_name": "札幌市",
        "new_prefecture": "北海道",
    }
    r = charlie.post("/manage/import/save/", {**new, "new_code": "011001"})  # wrong check digit
    assert (
        r.status_code == 400 and "検査数字" in r.content.decode() and 'value="011001"' in r.content.decode()
    )
    r = charlie.post("/manage/import/save/", {**new, "new_prefecture": "青森県", "new_code": "011002"})
    assert r.status_code == 400 and "北海道 札幌市 のコード" in r.content.decode()
    assert not pm.Organisation.objects.filter(name="札幌市").exists()
    r = charlie.post("/manage/import/save/", {**new, "new_code": "011002"})
    assert r.status_code == 302
    org = pm.Organisation.objects.get(code="011002")
    assert (org.name, org.prefecture, org.kind) == ("札幌市", "北海道", "市")
    plan = pm.Plan.objects.get(organisation=org)
    assert plan.status == "draft" and charlie.get(f"/manage/plans/{plan.pk}/").status_code == 200
    # without a choice, a superuser's import registers the organisation the document names
    page = upload(charlie, _docx(tmp_path, "あおば市")).content.decode()
    assert charlie.post("/manage/import/save/", {"token": _token(page), "action": "save"}).status_code == 302
    assert pm.Plan.objects.get(organisation__name="あおば市").status == "draft"


def test_a_token_is_bound_to_its_session_and_uploader(people: People, tmp_path: Path) -> None:
    page = upload(_client(people.alice), _docx(tmp_path)).content.decode()
    token = _token(page)
    # Dana (admin of the same organisation) cannot use Alice's token; forged tokens and paths neither
    dana = _client(people.dana)
    for forged in (token, "../../etc/passwd", "x" * 32, ""):
        assert dana.post("/manage/import/save/", {"token": forged}).status_code == 404
    assert pm.Plan.objects.count() == 2 and len(_uploads()) == 1


def test_discard_deletes_the_upload(people: People, tmp_path: Path) -> None:
    alice = _client(people.alice)
    page = upload(alice, _docx(tmp_path)).content.decode()
    r = alice.post("/manage/import/save/", {"token": _token(page), "action": "discard"})
    assert r.status_code == 302 and r["Location"] == "/manage/import/"
    assert _uploads() == [] and pm.Plan.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "空"),
        ("broken.pdf", b"%PDF-1.4 not really", "PDF"),
        ("diary.txt", "今日は晴れ。散歩をした。\n".encode(), "施策が見つかりません"),
        ("plan.doc", b"\xd0\xcf\x11\xe0" + b"0" * 100, "unsupported"),
    ],
)
def test_bad_files_come_back_with_the_reason(people: People, name: str, content: bytes, message: str) -> None:
    r = upload(_client(people.alice), SimpleUploadedFile(name, content))
    assert r.status_code == 400
    page = r.content.decode()
    assert 'role="alert"' in page and message in page and "何も保存していません" in page
    assert pm.Plan.objects.count() == 2 and _documents() == []


def test_encrypted_pdf_and_too_large_file(people: People, tmp_path: Path) -> None:
    alice = _client(people.alice)
    enc = fixtures.write_plan_pdf(tmp_path / "enc.pdf", encrypt_password="secret")
    r = upload(alice, SimpleUploadedFile(enc.name, enc.read_bytes()))
    assert r.status_code == 400 and "パスワード" in r.content.decode()
    with override_settings(KEIKAKU_IMPORT_MAX_BYTES=1000):
        r = upload(alice, _docx(tmp_path))
    assert r.status_code == 400 and "大きすぎます" in r.content.decode()
    assert pm.Plan.objects.count() == 2 and _documents() == []


def test_no_file_is_a_400(people: People) -> None:
    r = _client(people.alice).post("/manage/import/", {})
    assert r.status_code == 400 and 'role="alert"' in r.content.decode()


def test_reporters_get_403_and_visitors_the_login(people: People, tmp_path: Path) -> None:
    bob = _client(people.bob)
    assert bob.get("/manage/import/").status_code == 403
    assert bob.post("/manage/import/", {"document": _docx(tmp_path)}).status_code == 403
    anon = Client()
    for r in (anon.get("/manage/import/"), anon.post("/manage/import/save/", {"token": "x"})):
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert _uploads() == []


def test_csrf_is_enforced(people: People, tmp_path: Path) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(people.alice)
    assert c.post("/manage/import/", {"document": _docx(tmp_path)}).status_code == 403
    assert c.post("/manage/import/save/", {"token": "x" * 32}).status_code == 403
    assert _uploads() == []


def test_form_and_review_in_english(people: People, tmp_path: Path) -> None:
    alice = _client(people.alice)
    alice.cookies["django_language"] = "en"
    page = alice.get("/manage/import/", headers={"accept-language": "en"}).content.decode()
    assert "Import a plan document" in page and "Accepted formats:" in page and " MB." in page
    page = upload(alice, _docx(tmp_path), headers={"accept-language": "en"}).content.decode()
    assert "Review the import" in page and "Save as draft" in page and "2 measures, 1 KPIs" in page


def test_the_job_page_shows_progress_and_refreshes_itself(people: People, tmp_path: Path) -> None:
    alice = _client(people.alice)
    r = alice.post("/manage/import/", {"document": _docx(tmp_path)})
    assert r.status_code == 302
    job_url = r["Location"]
    page = alice.get(job_url).content.decode()
    # queued: a polite status region polled by htmx, a meta refresh without JavaScript, a reload link
    assert 'role="status"' in page and 'aria-live="polite"' in page and "順番を待っています" in page
    assert f'hx-get="{job_url}"' in page and 'hx-trigger="every 2s"' in page and "htmx" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert f'<a href="{job_url}">最新の状態を表示</a>' in page
    # htmx asks for the status region alone while the job waits
    part = alice.get(job_url, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "順番を待っています" in part.content.decode()
    assert "<html" not in part.content.decode()
    # the form lists the unfinished import
    form = alice.get("/manage/import/").content.decode()
    assert "あなたの取り込み" in form and job_url in form and "順番待ち" in form

    run_jobs()
    done = alice.get(job_url, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    review = alice.get(job_url).content.decode()
    assert "取り込みの確認" in review and 'value="save"' in review and "http-equiv" not in review
    # the guide's rules on what was read (the compliance panel), in words with the guide's section
    assert "手引への適合" in review and "総論4" in review and "[contact]" not in review
    # the uploader sees the job from another session too; nobody else does
    other_session = _client(people.alice)
    assert "取り込みの確認" in other_session.get(job_url).content.decode()
    for who in (people.dana, people.charlie):
        assert _client(who).get(job_url).status_code == 404
    assert _client(people.bob).get(job_url).status_code == 403


def test_a_document_stored_already_is_named_and_may_become_a_new_version(
    people: People, tmp_path: Path
) -> None:
    alice = _client(people.alice)
    document = _docx(tmp_path)  # one file, sent twice (a DOCX written again differs: its saved time)
    first = upload(alice, SimpleUploadedFile(document.name, document.read())).content.decode()
    r = alice.post("/manage/import/save/", {"token": _token(first), "action": "save"})
    stored = pm.Plan.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))

    document.seek(0)
    again = upload(alice, SimpleUploadedFile(document.name, document.read()))
    page = again.content.decode()
    assert "同じ文書を取り込み済みです" in page and f'href="/manage/plans/{stored.pk}/"' in page
    assert f"計画 {stored.pk}" in page and 'value="save_version"' in page and 'value="save"' not in page
    token = _token(page)
    # a plain save does not store a duplicate: back to the review
    r = alice.post("/manage/import/save/", {"token": token, "action": "save"})
    assert r.status_code == 302 and r["Location"] == f"/manage/import/jobs/{token}/"
    assert pm.Plan.objects.count() == 3
    r = alice.post("/manage/import/save/", {"token": token, "action": "save_version"})
    version = pm.Plan.objects.order_by("-pk").first()
    assert version is not None and r["Location"] == f"/manage/plans/{version.pk}/"
    assert version.previous_id == stored.pk and version.status == "draft" and pm.Plan.objects.count() == 4


def test_finished_jobs_older_than_a_day_are_forgotten(people: People, tmp_path: Path) -> None:
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    alice = _client(people.alice)
    upload(alice, SimpleUploadedFile("empty.txt", b""))
    assert DBTaskResult.objects.count() == 1
    DBTaskResult.objects.update(finished_at=F("finished_at") - timedelta(days=2))
    alice.post("/manage/import/", {"document": _docx(tmp_path)})
    assert DBTaskResult.objects.count() == 1  # the new one


def test_reading_shows_the_seconds_and_a_lost_worker_is_reported(people: People, tmp_path: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    alice = _client(people.alice)
    job_url = alice.post("/manage/import/", {"document": _docx(tmp_path)})["Location"]
    # the worker has taken the job (as Worker.run marks it) 10 seconds ago
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now() - timedelta(seconds=10))
    page = alice.get(job_url).content.decode()
    assert "読み取っています" in page and "秒経過（上限 120 秒）" in page and "<progress" in page
    # still "running" long after the time limit: its worker was stopped
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(seconds=300))
    r = alice.get(job_url)
    assert r.status_code == 400 and "途中で止まりました" in r.content.decode()
