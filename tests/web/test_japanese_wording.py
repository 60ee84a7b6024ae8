"""Japanese pages speak Japanese: codes by their words, history as 「項目: 前 → 後」, 403 pages without the
action's code, one navigation header, a favicon."""

from __future__ import annotations

import pytest
from django.test import Client

from keikaku.services.progress import ReportInput, parse_actual, progress_approve, progress_save
from tests.people import NOW, People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


def test_favicon_is_served() -> None:
    c = Client()
    r = c.get("/favicon.ico")
    assert r.status_code == 301
    icon = c.get(r["Location"])
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert body.startswith(b"<svg") and "svg" in icon["Content-Type"]
    assert 'rel="icon"' in c.get("/").content.decode()


def test_history_says_what_changed_in_words(people: People) -> None:
    p = people
    kpi = p.bob_measure.kpis.first()
    data = ReportInput(status="順調", narrative="n", actuals=[parse_actual(kpi.pk, "5", "件")])
    r = progress_save(p.bob, p.bob_measure, p.period_a, data, revision=0, now=NOW, submit=True)
    progress_approve(p.alice, r, revision=r.revision, now=NOW)
    c = Client()
    c.force_login(p.alice)
    html = c.get(f"/manage/measures/{p.bob_measure.pk}/history/").content.decode()
    assert "手続の状態: 提出済 → 承認済" in html
    assert "追加" in html and "変更" in html
    for code in ("reviewed_at", "revision", "state", "Created", "Changed", "submitted"):
        assert code not in html.split("<main", 1)[1], code


def test_forbidden_page_explains_without_codes(people: People) -> None:
    c = Client()
    c.force_login(people.bob)
    r = c.post(
        f"/manage/organisations/{people.plan_a.organisation_id}/departments/",
        {"keep": str(people.department.pk), "alias": str(people.department.pk)},
    )
    assert r.status_code == 403
    html = r.content.decode()
    assert "部署を統合する権限がありません" in html
    assert "not allowed" not in html and "department.merge" not in html


def test_manage_header_names_progress_once(people: People) -> None:
    c = Client()
    c.force_login(people.alice)
    html = c.get("/manage/").content.decode()
    header = html.split("<main", 1)[0]
    assert header.count(">進行管理<") == 1


def test_other_pillar_is_その他_on_public_pages(people: People) -> None:
    p = people
    from keikaku.db.plans import models as pm

    pm.MeasurePillar.objects.filter(measure=p.bob_measure).update(code="other")
    html = Client().get(f"/plans/{p.plan_a.pk}/").content.decode()
    main = html.split("<main", 1)[1]
    assert "その他" in main
    assert ">other<" not in main and ", other" not in main and "other," not in main


def test_diff_names_fields_in_words(people: People) -> None:
    from keikaku.services.revision import plan_revise

    p = people
    new = plan_revise(p.alice, p.plan_a, now=NOW, revision=p.plan_a.revision)
    ms = new.measures.order_by("order").first()
    ms.title = ms.title + "（改）"
    ms.save()
    c = Client()
    c.force_login(p.alice)
    html = c.get(f"/manage/plans/{p.plan_a.pk}/diff/{new.pk}/").content.decode()
    main = html.split("<main", 1)[1]
    assert "施策名" in main and "（改）" in main
    assert "lineage" not in main and ">title<" not in main


def test_history_of_a_measure_whose_source_excerpt_changed(people: People) -> None:
    """A JSON column (the measure's 出典) in a change is shown as text, not looked up among choices (was 500)."""
    p = people
    m = p.bob_measure
    m.provenance = {"source": "計画書.pdf", "page": 3, "text": m.title}
    m.save()
    m.provenance = {"source": "計画書.pdf", "page": 4, "text": m.title}
    m.save()
    c = Client()
    c.force_login(p.alice)
    r = c.get(f"/manage/measures/{m.pk}/history/")
    assert r.status_code == 200
