"""要確認: pillars the importer inferred and KPI values it guessed are flagged in the editor until a person
confirms them (measure_confirm records the choice: pillars ``edited``, KPIs confirmed); notes and the KPI
kind (activity / outcome) are edited and kept; national measures are picked from the loaded catalogue."""

from __future__ import annotations

import pytest
from django.test import Client

from keikaku.core import plan as core
from keikaku.core.guesses import kpi_guesses
from keikaku.db.plans import models as pm
from keikaku.services import changes
from keikaku.services import editing as ed
from keikaku.services.confidence import measure_unconfirmed
from keikaku.services.errors import PermissionDenied
from keikaku.services.plan_editing import plan_editor
from keikaku.services.plans import catalogue_save, plan_export
from tests.people import NOW, People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    p = make_people()
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    p.plan_a.refresh_from_db()
    ms = p.bob_measure
    ms.pillar_refs.update(source="inferred", confidence=0.4)
    ms.provenance = {
        "page": 12,
        "line_start": 3,
        "line_end": 5,
        "text": "電子申請件数 10件（令和6年度）→ 40件",
    }
    ms.save()
    return p


def test_guessed_values_are_those_not_in_the_source_text() -> None:
    assert kpi_guesses(("10件", 2024), [("40件", 2027)], "10件（令和6年度）→ 40件") == ["目標年度"]
    assert kpi_guesses(("10件", 2024), [("45件", 2027)], "10件（2024年度）→ 40件（2027年度）") == ["目標値"]
    assert kpi_guesses(None, [("1,200件", None)], "１２００件をめざす") == []
    assert kpi_guesses(None, [("40件", 2027)], None) == []  # typed in keikaku: nothing guessed


def test_unconfirmed_until_a_person_confirms(people: People) -> None:
    ms = people.bob_measure
    u = measure_unconfirmed(ms)
    assert u.pillars == [r.code for r in ms.pillar_refs.all()]
    assert [(k.pk, f) for k, f in u.kpis] == [(ms.kpis.get().pk, ["目標年度"])]
    assert plan_editor(people.alice, people.plan_a.pk).to_check == {ms.pk: ["柱（推定）", "KPI の目標年度"]}
    with pytest.raises(PermissionDenied):
        ed.measure_confirm(people.bob, ms, revision=ms.revision, now=NOW)
    row = ed.measure_confirm(people.alice, ms, revision=ms.revision, now=NOW)
    assert row.revision == ms.revision + 1
    assert {r.source for r in row.pillar_refs.all()} == {"edited"} and row.kpis.get().confirmed
    assert not measure_unconfirmed(row)
    lines = changes.measure_changes(people.alice, row, limit=1)[0].lines
    assert lines[0].endswith("（推定）→ 確認済み") and "の値: 確認済み" in lines[1]


def test_saving_a_kpi_confirms_it_and_keeps_its_kind(people: People) -> None:
    ms = people.bob_measure
    k = ms.kpis.get()
    data = ed.KpiInput(indicator="電子申請件数", unit="件", targets=[("40件", 2027)], kind="outcome")
    ed.kpi_update(people.alice, k, data, revision=ms.revision, now=NOW)
    k.refresh_from_db()
    assert k.confirmed and k.kind == "outcome"
    doc = plan_export(people.plan_a.pk)
    assert doc.measures[0].kpis[0].kind == core.KpiKind.OUTCOME
    with pytest.raises(ed.ServiceError):
        ed.kpi_update(
            people.alice, k, ed.KpiInput(indicator="x", kind="impact"), revision=ms.revision + 1, now=NOW
        )


def test_the_measure_page_shows_the_source_and_the_confirm_button(people: People) -> None:
    c = Client()
    c.force_login(people.alice)
    ms = people.bob_measure
    page = c.get(f"/manage/measures/{ms.pk}/edit/").content.decode()
    assert "出典（計画書の該当箇所）" in page and "12 ページ" in page and "3–5 行" in page
    assert "電子申請件数 10件（令和6年度）→ 40件" in page
    assert "要確認" in page and "目標年度" in page and f"/manage/measures/{ms.pk}/confirm/" in page
    plan_page = c.get(f"/manage/plans/{people.plan_a.pk}/edit/").content.decode()
    assert "要確認" in plan_page and "出典 12 ページ" in plan_page
    r = c.post(f"/manage/measures/{ms.pk}/confirm/", {"confirm-revision": str(ms.revision)})
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "確認済みにしました" in page and "確認した（このままにする）" not in page
    r = c.post(f"/manage/measures/{ms.pk}/confirm/", {"confirm-revision": str(ms.revision)})  # stale
    assert r.status_code == 409


def test_notes_and_national_measures_from_the_catalogue(people: People) -> None:
    catalogue_save(
        core.Catalogue(
            title="見本の手引",
            measures=[
                core.ExampleMeasure(
                    key="1", title="例", national_measures=["自治体DX推進計画", "マイナポータル"]
                ),
            ],
        ),
        now=NOW,
    )
    c = Client()
    c.force_login(people.alice)
    ms = people.bob_measure
    page = c.get(f"/manage/measures/{ms.pk}/edit/").content.decode()
    assert 'name="national_picked" value="自治体DX推進計画"' in page and 'name="notes"' in page
    form = {
        "revision": str(ms.revision),
        "title": "施策",
        "pillars": ["A"],
        "national_picked": ["マイナポータル"],
        "national_measures": "独自の国の施策",
        "notes": "令和8年度に見直す",
    }
    assert c.post(f"/manage/measures/{ms.pk}/edit/", form).status_code == 302
    ms.refresh_from_db()
    assert ms.national_measures == ["マイナポータル", "独自の国の施策"] and ms.notes == "令和8年度に見直す"
    assert plan_export(people.plan_a.pk).measures[0].notes == "令和8年度に見直す"
    page = c.get(f"/manage/measures/{ms.pk}/edit/").content.decode()
    assert 'value="マイナポータル" id="id_national_picked_1" checked' in page
    assert "独自の国の施策</textarea>" in page  # the one not in the list stays free text


def test_a_changed_note_is_in_the_next_versions_diff() -> None:
    from keikaku.services.revision import plan_diff, plan_revise

    p = make_people()
    new = plan_revise(p.dana, p.plan_a, now=NOW, revision=p.plan_a.revision)
    ms = new.measures.order_by("order").first()
    data = ed.measure_input_of(ms)
    data.notes = "次の版で追記した備考"
    ed.measure_update(p.alice, ms, data, revision=ms.revision, now=NOW)
    diff = plan_diff(p.plan_a, new)
    assert [(c.field, c.new) for m in diff.changed for c in m.changes] == [("notes", "次の版で追記した備考")]
