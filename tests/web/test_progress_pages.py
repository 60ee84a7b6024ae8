"""PDCA pages and API: CSRF on every form, escaping, stale writes refused (form error / HTTP 409), labels,
the login page, history, the remind command."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client

from keikaku.cli_pdca import register
from keikaku.services.progress import ReportInput, parse_actual, progress_save
from tests.factories import XSS
from tests.people import NOW, PASSWORD, People, make_people, qualitative

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


def _form(p: People, revision: int = 0, value: str = "12") -> dict:
    kpi = p.bob_measure.kpis.first()
    return {
        "revision": str(revision),
        "status": "遅れ",
        "narrative": f"説明{XSS}",
        "evidence": "https://example.jp/e",
        f"kpi_{kpi.pk}": value,
    }


def _csrf(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert m, url
    return m.group(1)


def test_every_form_needs_csrf(people: People) -> None:
    p = people
    dana = Client(enforce_csrf_checks=True)
    dana.force_login(p.dana)
    report_url = f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/"
    posts = [
        (report_url, _form(p)),
        (f"/manage/plans/{p.plan_a.pk}/periods/new/", {"fiscal_year": "2027"}),
        (f"/manage/periods/{p.period_a.pk}/", {"revision": "1", "state": "closed"}),
        (f"/manage/measures/{p.bob_measure.pk}/evaluations/2025/", {"revision": "0", "decision": "継続"}),
        (f"/manage/plans/{p.plan_a.pk}/revise/", {"revision": "1"}),
        (f"/manage/organisations/{p.plan_a.organisation_id}/departments/", {"keep": "1", "alias": "2"}),
        ("/accounts/tokens/new/", {"name": "x"}),
        ("/accounts/logout/", {}),
    ]
    r = progress_save(
        p.alice, p.other_measure, p.period_a, ReportInput(status="順調"), revision=0, now=NOW, submit=True
    )
    posts += [
        (f"/manage/reports/{r.pk}/{a}/", {"revision": str(r.revision), "comment": "c"})
        for a in ("submit", "approve", "return")
    ]
    for url, data in posts:
        assert dana.post(url, data).status_code == 403, url
    # and with the token from the page the same form goes through
    token = _csrf(dana, report_url)
    ok = dana.post(report_url, {**_form(p), "csrfmiddlewaretoken": token})
    assert ok.status_code == 302
    login = Client(enforce_csrf_checks=True)
    assert login.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 403


def test_login_with_django_auth_and_the_form_is_labelled(people: People) -> None:
    p = people
    p.alice.set_password(PASSWORD)
    p.alice.save()
    c = Client()
    page = c.get("/accounts/login/?next=/manage/").content.decode()
    for field in ("id_username", "id_password"):
        assert f'for="{field}"' in page
    r = c.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "/manage/"})
    assert r.status_code == 302 and r["Location"] == "/manage/"
    index = c.get("/manage/").content.decode()
    assert "テスト市A" in index and "テスト市B" not in index  # isolation
    assert c.post("/accounts/login/", {"username": "alice", "password": "wrong"}).status_code == 200


def _labelled(html: str) -> int:
    """Every visible form control has a <label for=…>."""
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', html)
    controls = re.findall(r"<(?:input|select|textarea)(?![^>]*type=\"(?:hidden|submit)\")[^>]*>", html)
    assert len(ids) == len(controls), controls
    for i in ids:
        assert f'for="{i}"' in html, i
    return len(ids)


def test_pages_escape_and_label_everything(people: People) -> None:
    p = people
    c = Client()
    c.force_login(p.dana)
    qualitative(p.bob_measure)  # a word (here markup) is an actual only for a qualitative KPI
    r = progress_save(
        p.bob,
        p.bob_measure,
        p.period_a,
        ReportInput(
            status="順調",
            narrative=f"進捗{XSS}",
            evidence=["https://example.jp/?q=<script>"],
            actuals=[parse_actual(p.bob_measure.kpis.first().pk, XSS)],
        ),
        revision=0,
        now=NOW,
        submit=True,
    )
    urls = [
        "/manage/",
        f"/manage/plans/{p.plan_a.pk}/",
        f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/",
        f"/manage/reports/{r.pk}/",
        f"/manage/measures/{p.bob_measure.pk}/evaluations/2025/",
        f"/manage/measures/{p.bob_measure.pk}/history/",
        f"/manage/plans/{p.plan_a.pk}/diff/{p.plan_b.pk}/",
        f"/manage/periods/{p.period_a.pk}/",
        f"/manage/organisations/{p.plan_a.organisation_id}/departments/",
        "/accounts/profile/",
    ]
    for url in urls:
        res = c.get(url)
        assert res.status_code == 200, url
        html = res.content.decode()
        assert "<script>" not in html, url
        assert '<html lang="' in html and 'href="#main"' in html
        n = _labelled(html)  # (the header's language switcher is links, not a form control)
        assert n >= (4 if "/report/" in url else 0), url
        assert html.count("<caption>") >= html.count("<table"), url
    assert "&lt;script&gt;" in c.get(f"/manage/reports/{r.pk}/").content.decode()
    api = Client().get(f"/api/plans/{p.plan_a.pk}/periods").json()
    assert api[0]["fiscal_year"] == 2025


def test_stale_form_write_is_refused_with_a_message(people: People) -> None:
    p = people
    url = f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/"
    alice, bob = Client(), Client()
    alice.force_login(p.alice)
    bob.force_login(p.bob)
    assert alice.post(url, _form(p, 0, "10")).status_code == 302  # revision 1
    assert bob.post(url, _form(p, 1, "20")).status_code == 302  # Bob read revision 1 → 2
    stale = alice.post(url, _form(p, 1, "30"))  # Alice still holds revision 1
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "他の人が先に更新しました" in html and 'role="alert"' in html
    kpi = p.bob_measure.kpis.first()
    assert p.bob_measure.progress_reports.get().actuals.get(kpi=kpi).value_number == 20
    # a fresh form carries the current revision
    assert 'name="revision" value="2"' in alice.get(url).content.decode()
    # stale evaluation form
    ev_url = f"/manage/measures/{p.bob_measure.pk}/evaluations/2025/"
    assert alice.post(ev_url, {"revision": "0", "decision": "継続"}).status_code == 302
    assert alice.post(ev_url, {"revision": "0", "decision": "完了"}).status_code == 409


def test_stale_api_write_is_409(people: People) -> None:
    p = people
    url = f"/api/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/progress"
    h = {"Authorization": f"Bearer {p.tokens['bob']}"}
    c = Client()
    body = {"revision": 0, "status": "順調", "narrative": "n", "evidence": ["https://example.jp/a"]}
    first = c.put(url, json.dumps(body), content_type="application/json", headers=h)
    assert first.status_code == 200 and first.json()["revision"] == 1
    again = c.put(url, json.dumps(body), content_type="application/json", headers=h)
    assert again.status_code == 409
    second = c.put(
        url, json.dumps({**body, "revision": 1, "submit": True}), content_type="application/json", headers=h
    )
    assert second.status_code == 200 and second.json()["state"] == "submitted"
    rid = second.json()["id"]
    ha = {"Authorization": f"Bearer {p.tokens['alice']}"}
    stale = c.post(
        f"/api/progress/{rid}/approve",
        json.dumps({"revision": 1}),
        content_type="application/json",
        headers=ha,
    )
    assert stale.status_code == 409 and "reload" in stale.json()["detail"]
    ok = c.post(
        f"/api/progress/{rid}/approve",
        json.dumps({"revision": 2}),
        content_type="application/json",
        headers=ha,
    )
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    bad = c.put(
        url,
        json.dumps({**body, "evidence": ["javascript:alert(1)"]}),
        content_type="application/json",
        headers=ha,
    )
    assert bad.status_code in (400, 409)
    counts = Client().get(f"/api/plans/{p.plan_a.pk}/status-counts").json()
    assert counts["counts"] == {"順調": 1, "未報告": 3}
    schema = Client().get("/api/openapi.json").json()
    assert "/api/periods/{period_id}/measures/{measure_id}/progress" in schema["paths"]


def test_history_page_lists_who_changed_what(people: People) -> None:
    p = people
    c = Client()
    c.force_login(p.bob)
    url = f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/"
    c.post(url, _form(p, 0))
    c.post(url, {**_form(p, 1), "narrative": "変えた"})
    html = c.get(f"/manage/measures/{p.bob_measure.pk}/history/").content.decode()
    assert "bob" in html and "進捗報告" in html
    assert "取組の状況: " in html and "→ 変えた" in html  # 「項目: 前 → 後」 in words
    assert "narrative" not in html and "revision" not in html and "Created" not in html


def test_remind_command(people: People, capsys: pytest.CaptureFixture[str]) -> None:
    # the lead wires keikaku.cli_pdca.register into keikaku.cli; here on a parser of its own
    ap = argparse.ArgumentParser()
    register(ap.add_subparsers(dest="command"))
    ns = ap.parse_args(["remind", "--today", "2026-05-01"])
    mail.outbox.clear()
    assert ns.func(ns) == 0
    assert "late measure(s)" in capsys.readouterr().out
    assert len(mail.outbox) >= 3 and all("進捗報告" in m.subject for m in mail.outbox)
    assert date(2026, 5, 1) > people.period_a.due_date
    assert ap.parse_args(["remind"]).today is None
