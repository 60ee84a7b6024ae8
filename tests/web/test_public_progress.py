"""Progress where residents land: the measure page (status, KPI actual against target with a chart and its
table, the evaluation once published, a timeline, the predecessor's evaluation), the plan page (status
column, summary line, weighted roll-up), progress.csv / progress.json / the API, the Atom feed, the
dashboard's public URL. Only approved reports and published evaluations, ever."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services.evaluations import evaluation_decide, evaluation_publish
from keikaku.services.progress import evaluation_save, progress_approve, progress_save
from keikaku.services.revision import plan_revise
from tests.factories import XSS
from tests.people import NOW, People, approve_bob_report, make_people, report_input

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def people(db) -> People:
    return make_people()


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _evaluate(p: People, *, publish: bool, rationale: str = "目標に向け順調=1+1") -> gm.Evaluation:
    ev = evaluation_save(
        p.alice, p.bob_measure, 2025, decision="継続", rationale=rationale, revision=0, now=NOW
    )
    if publish:
        ev = evaluation_decide(p.dana, ev, revision=ev.revision, now=NOW)
        ev = evaluation_publish(p.dana, ev, revision=ev.revision, now=NOW)
    return ev


def test_measure_page_shows_only_approved_progress(people: People) -> None:
    p = people
    c = Client()
    url = f"/measures/{p.bob_measure.pk}/"
    rep = progress_save(
        p.bob, p.bob_measure, p.period_a, report_input(p.bob_measure), revision=0, now=NOW, submit=True
    )
    page = _main(c.get(url).content.decode())
    assert "承認された進捗報告はまだありません" in page and "進めた" not in page
    progress_approve(p.alice, rep, revision=rep.revision, now=NOW)
    page = _main(c.get(url).content.decode())
    assert "順調" in page and "進めた" in page
    assert "25件" in page and "50%" in page  # (25 − 10) / (40 − 10)
    assert "40件（令和9年度 (2027)）" in page and "10件（令和6年度 (2024)）" in page  # target and baseline
    assert "<svg" in page and 'tabindex="0"' in page  # the chart, reachable by keyboard …
    assert "年度別の実績と目標" in page  # … and its table twin
    assert "未評価" in page
    assert XSS not in page


def test_evaluation_appears_once_published(people: People) -> None:
    p = people
    approve_bob_report(p, "n")
    ev = _evaluate(p, publish=False, rationale="まだ内部の検討")
    url = f"/measures/{p.bob_measure.pk}/"
    page = _main(Client().get(url).content.decode())
    assert "まだ内部の検討" not in page and "未評価" in page
    ev = evaluation_decide(p.dana, ev, revision=ev.revision, now=NOW)
    evaluation_publish(p.dana, ev, revision=ev.revision, now=NOW)
    page = _main(Client().get(url).content.decode())
    assert "令和7年度 (2025) の評価: <strong>継続</strong>" in page and "まだ内部の検討" in page
    assert "年度ごとの経過" in page


def test_new_version_shows_the_predecessors_published_evaluation(people: People) -> None:
    p = people
    _evaluate(p, publish=True, rationale="引き続き拡大する")
    new = plan_revise(p.alice, p.plan_a, now=NOW, revision=p.plan_a.revision)
    pm.Plan.objects.filter(pk=new.pk).update(status=pm.PUBLISHED)
    carried = gm.MeasureLineage.objects.get(from_measure=p.bob_measure, to_plan=new).to_measure
    page = _main(Client().get(f"/measures/{carried.pk}/").content.decode())
    assert "前の計画での評価" in page and "<strong>継続</strong>" in page and "引き続き拡大する" in page
    assert f'href="/measures/{p.bob_measure.pk}/"' in page


def test_plan_page_status_column_summary_and_roll_up(people: People) -> None:
    p = people
    c = Client()
    url = f"/plans/{p.plan_a.pk}/"
    page = _main(c.get(url).content.decode())
    assert "承認された進捗報告はまだありません" in page
    approve_bob_report(p, "n")
    page = _main(c.get(url).content.decode())  # the cached page follows the approval
    assert "順調 1" in page and "未報告 3" in page  # the summary line
    assert '<span class="status status-on_track">順調</span>' in page  # the measure table's column
    assert "基本方針別の進捗" in page and "柱別の進捗" in page
    assert "50%" in page  # the one measured measure's progress, in its policy and pillar
    assert f'href="/plans/{p.plan_a.pk}/feed.xml"' in c.get(url).content.decode()  # <link rel=alternate>


def test_progress_csv_opens_in_excel(people: People) -> None:
    p = people
    approve_bob_report(p, '=HYPERLINK("http://x")')
    _evaluate(p, publish=True)
    r = Client().get(f"/plans/{p.plan_a.pk}/progress.csv")
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff年度,四半期,施策番号,施策名,進捗状況,取組の状況,KPI,単位,実績値,目標値")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert len([ln for ln in lines if ln]) == 2
    row = lines[1]
    assert "2025" in row and "25件" in row and "40件" in row and ",50," in row and "継続" in row
    assert "'=HYPERLINK" in row and ",=HYPERLINK" not in row  # formula-safe
    assert "'目標に向け順調=1+1" not in row  # only cells that start like a formula are changed


def test_progress_json_and_api_agree_and_hide_drafts(people: People) -> None:
    p = people
    approve_bob_report(p, "n")
    progress_save(p.alice, p.other_measure, p.period_a, report_input(p.other_measure), revision=0, now=NOW)
    _evaluate(p, publish=False)
    doc = Client().get(f"/plans/{p.plan_a.pk}/progress.json").json()
    assert [a["measure"]["id"] for a in doc["actuals"]] == [p.bob_measure.pk]
    assert doc["actuals"][0]["actual"] == "25件" and doc["actuals"][0]["attainment"] == 0.5
    assert doc["evaluations"] == []
    api = Client().get(f"/api/plans/{p.plan_a.pk}/actuals").json()
    assert api == doc
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    for url in ("progress.json", "progress.csv", "feed.xml", "progress/"):
        assert Client().get(f"/plans/{p.plan_a.pk}/{url}").status_code == 404, url
    assert Client().get(f"/api/plans/{p.plan_a.pk}/actuals").status_code == 404


def test_feed_lists_approved_reports_and_published_evaluations(people: People) -> None:
    p = people
    approve_bob_report(p, "n")
    progress_save(p.alice, p.other_measure, p.period_a, report_input(p.other_measure), revision=0, now=NOW)
    _evaluate(p, publish=True)
    r = Client().get(f"/plans/{p.plan_a.pk}/feed.xml")
    assert r.status_code == 200 and "atom" in r["Content-Type"]
    feed = ET.fromstring(r.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 2
    assert any("の進捗: 順調" in t for t in titles) and any("の評価: 継続" in t for t in titles)
    assert all("施策2" not in t for t in titles)  # the other measure's report is a draft
    assert b"<script>" not in r.content  # escaped in XML


def test_dashboard_is_public_and_the_old_address_redirects(people: People) -> None:
    p = people
    r = Client().get(f"/manage/plans/{p.plan_a.pk}/dashboard/?period={p.period_a.pk}")
    assert r.status_code == 301 and r["Location"] == f"/plans/{p.plan_a.pk}/progress/?period={p.period_a.pk}"
    page = Client().get(r["Location"])
    assert page.status_code == 200 and "進捗ダッシュボード" in page.content.decode()
