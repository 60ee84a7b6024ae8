"""Clerks see their work and what happened: 「報告を書く」 and 「確認待ち」 on /manage/ with counts, a message after
each action, the KPI's baseline and targets beside every actual, a return without a comment re-shows the
report with its reason (once)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from keikaku.services.progress import progress_save
from tests.people import NOW, People, make_people, report_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_reporter_sees_reports_to_write_and_approver_what_waits(people: People) -> None:
    p = people
    bob, alice = _client(p.bob), _client(p.alice)
    mine = p.plan_a.measures.filter(department_links__department=p.department).distinct().count()
    assert mine >= 1
    page = bob.get("/manage/").content.decode()
    todo = _section(page, "h-to-write")
    assert f"報告を書く（{mine} 件）" in todo  # his department's measures in the open period
    assert f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/" in todo
    assert f"/measures/{p.other_measure.pk}/report/" not in todo  # another department's measure
    assert 'id="h-to-review"' not in page  # a reporter reviews nothing
    assert "確認待ち（0 件）" in alice.get("/manage/").content.decode()

    rep = progress_save(
        p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW, submit=True
    )
    assert f"報告を書く（{mine - 1} 件）" in bob.get("/manage/").content.decode()
    waiting = _section(alice.get("/manage/").content.decode(), "h-to-review")
    assert "確認待ち（1 件）" in waiting and f'href="/manage/reports/{rep.pk}/"' in waiting
    assert (
        "確認待ち"
        not in _client(p.charlie).get("/manage/").content.decode().split("<main", 1)[1].split("</h2>")[0]
        or "確認待ち（0 件）" in _client(p.charlie).get("/manage/").content.decode()
    )


def test_actions_say_what_happened(people: People) -> None:
    p = people
    bob = _client(p.bob)
    url = f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/"
    kpi = p.bob_measure.kpis.first()
    form = {"revision": "0", "status": "順調", "narrative": "n", "evidence": "", f"kpi_{kpi.pk}": "25"}
    r = bob.post(url, {**form, "submit": "1"}, follow=True)
    assert "報告を提出しました。確認を待っています。" in r.content.decode()
    rep = p.bob_measure.progress_reports.get()
    r = _client(p.alice).post(
        f"/manage/reports/{rep.pk}/approve/", {"revision": str(rep.revision)}, follow=True
    )
    html = r.content.decode()
    assert "報告を承認しました" in html and html.count('class="notice"') == 1


def test_baseline_and_targets_beside_every_actual(people: People) -> None:
    p = people
    bob = _client(p.bob)
    url = f"/manage/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/report/"
    form_page = bob.get(url).content.decode()
    assert "基準値 10件（令和6年度 (2024)） / 目標 40件（令和9年度 (2027)）" in form_page
    rep = progress_save(
        p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW, submit=True
    )
    review = _client(p.alice).get(f"/manage/reports/{rep.pk}/").content.decode()
    assert "25件" in review and "基準値 10件（令和6年度 (2024)） / 目標 40件（令和9年度 (2027)）" in review
    evaluation = (
        _client(p.alice).get(f"/manage/measures/{p.bob_measure.pk}/evaluations/2025/").content.decode()
    )
    assert "25件" in evaluation and "目標 40件（令和9年度 (2027)）" in evaluation


def test_return_without_comment_reshows_the_report_with_the_reason_once(people: People) -> None:
    p = people
    rep = progress_save(
        p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW, submit=True
    )
    r = _client(p.alice).post(
        f"/manage/reports/{rep.pk}/return/", {"revision": str(rep.revision), "comment": ""}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "差戻しには理由を書いてください" in html
    assert len(re.findall("差戻しには理由を書いてください", html)) == 1  # shown once
    assert "a return needs a comment" not in html  # the page's language only
    assert "承認する" in html and "差し戻す" in html  # the report and its buttons, not a bare form
    assert "25件" in html and "進めた" in html


def test_evaluation_grid_saves_a_whole_year_in_one_form(people: People) -> None:
    from keikaku.db.progress import models as gm

    p = people
    alice = _client(p.alice)
    url = f"/manage/plans/{p.plan_a.pk}/evaluations/2025/"
    page = alice.get(url).content.decode()
    measures = list(p.plan_a.measures.order_by("order"))
    for ms in measures:  # every field labelled, in document order
        assert f'<label class="visually-hidden" for="decision_{ms.pk}">' in page
        assert f'<label class="visually-hidden" for="rationale_{ms.pk}">' in page
    assert page.index(f'id="decision_{measures[0].pk}"') < page.index(f'id="decision_{measures[1].pk}"')
    a, b = measures[0], measures[1]
    form = {
        f"decision_{a.pk}": "継続",
        f"rationale_{a.pk}": "続ける",
        f"decision_{b.pk}": "完了",
        f"rationale_{b.pk}": "達成",
    }
    r = alice.post(url, form, follow=True)
    assert "評価を 2 件保存しました（下書き）。" in r.content.decode()
    saved = {e.measure_id: e for e in gm.Evaluation.objects.filter(measure__plan=p.plan_a, fiscal_year=2025)}
    assert saved[a.pk].decision == "継続" and saved[b.pk].decision == "完了" and len(saved) == 2
    # a stale row refuses the whole form and names the measure; nothing else is saved
    form2 = {
        **form,
        f"rationale_{a.pk}": "変えた",
        f"revision_{a.pk}": "0",
        f"decision_{measures[2].pk}": "終了",
    }
    r = alice.post(url, form2)
    assert r.status_code in (400, 409)
    html = r.content.decode()
    assert "施策 " in html and a.key in html and 'role="alert"' in html
    assert not gm.Evaluation.objects.filter(measure=measures[2], fiscal_year=2025).exists()
    assert "変えた" in html  # what was typed is kept
    assert _client(p.bob).get(url).status_code == 403


def test_a_refused_submit_shows_its_reason_on_the_report(people: People) -> None:
    p = people
    rep = progress_save(p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW)
    r = _client(p.bob).post(f"/manage/reports/{rep.pk}/submit/", {"revision": str(rep.revision + 5)})
    assert r.status_code == 409
    html = r.content.decode()
    assert 'role="alert"' in html and "他の人が先に更新しました" in html and "提出する" in html
