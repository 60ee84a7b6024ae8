"""The draft wizard (/manage/plans/new/), the gap report (/manage/plans/<id>/gaps/) and the 手引への適合 panel
on the plan editor, the import review and the plan page — with plain forms (no JavaScript)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from keikaku.core.compliance import BLANK
from keikaku.core.plan import Catalogue
from keikaku.db.plans import models as pm
from keikaku.demo import SAMPLE_CATALOGUE
from keikaku.services.plans import catalogue_save
from tests.people import NOW, People, make_people

pytestmark = pytest.mark.django_db
EIGHT = ["1-1", "1-2", "2-1", "2-2", "3-1", "4-1", "5-1", "5-2"]


@pytest.fixture
def people(db) -> People:
    return make_people()


@pytest.fixture
def catalogue(db) -> pm.Catalogue:
    return catalogue_save(
        Catalogue.model_validate_json(SAMPLE_CATALOGUE.read_text(encoding="utf-8")), now=NOW
    )


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _main(html: str) -> str:
    return html.split("<main", 1)[1]


def test_walk_the_wizard_then_fill_the_blanks_until_the_panel_has_nothing(
    people: People, catalogue: pm.Catalogue
) -> None:
    alice = _client(people.alice)
    step1 = alice.get("/manage/plans/new/").content.decode()
    assert "手引から計画を起草" in step1 and "テスト市A" in step1 and "テスト市B" not in step1
    assert 'method="get"' in step1 and "DX推進計画を兼ねる" in step1
    org = people.plan_a.organisation_id
    query = f"organisation={org}&start_fy=2026&end_fy=2030&catalogue={catalogue.pk}&also=dx"
    step2 = alice.get(f"/manage/plans/new/measures/?{query}").content.decode()
    assert "令和8年度〜令和12年度" in step2
    assert step2.count('type="checkbox" name="measures"') == 11
    assert "<legend>手続における情報通信の技術の利用等（オンライン化原則）</legend>" in step2
    assert "◎ 対応する国の施策" in step2 and "○ 参考になる事例" in step2 and "重点分野" in step2
    # the back link keeps the choices
    assert f'href="/manage/plans/new/?organisation={org}&amp;start_fy=2026' in step2
    back = alice.get(f"/manage/plans/new/?{query}").content.decode()
    assert 'value="2030"' in back
    data = {"organisation": org, "start_fy": 2026, "end_fy": 2030, "catalogue": catalogue.pk, "also": "dx"}
    r = alice.post("/manage/plans/new/measures/", {**data, "measures": EIGHT})
    assert r.status_code == 302
    plan_id = int(re.fullmatch(r"/manage/plans/(\d+)/edit/", r["Location"]).group(1))
    plan = pm.Plan.objects.get(pk=plan_id)
    assert plan.status == pm.DRAFT and plan.measures.count() == 8 and plan.sections.count() == 7
    editor = _main(alice.get(r["Location"]).content.decode())
    assert "手引から計画の下書きを作りました（施策 8 件）" in editor
    assert "手引への適合" in editor and "総論4" in editor and "総論6" in editor and "雛型" in editor
    assert "kpi-target" not in editor  # rule ids are codes: not shown

    # the author fills in the blanks with the editor's own forms
    _fill_with_the_editor_forms(alice, plan)
    editor = _main(alice.get(r["Location"]).content.decode())
    assert "手引に照らして足りないものはありません。" in editor
    # … in English too
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Nothing the guide asks for is missing." in alice.get(r["Location"]).content.decode()
    # then the version goes through review to publication as any other draft
    from keikaku.services.plans import plan_publish
    from keikaku.services.workflow import plan_approve, plan_submit

    plan = plan_submit(people.alice, plan, revision=pm.Plan.objects.get(pk=plan.pk).revision, now=NOW)
    plan = plan_approve(people.dana, plan, revision=plan.revision, now=NOW)
    plan = plan_publish(people.dana, plan, revision=plan.revision, now=NOW)
    assert plan.status == pm.PUBLISHED
    assert Client().get(f"/plans/{plan.pk}/").status_code == 200


def test_who_may_draft(people: People, catalogue: pm.Catalogue) -> None:
    assert _client(people.bob).get("/manage/plans/new/").status_code == 403
    assert Client().get("/manage/plans/new/").status_code == 302
    charlie = _client(people.charlie)
    org_a = people.plan_a.organisation_id
    r = charlie.post(
        "/manage/plans/new/measures/",
        {"organisation": org_a, "start_fy": 2026, "end_fy": 2030, "catalogue": catalogue.pk},
    )
    assert r.status_code == 403
    assert pm.Plan.objects.filter(organisation_id=org_a).count() == 1


def test_step_one_errors_are_shown_in_words(people: People, catalogue: pm.Catalogue) -> None:
    org = people.plan_a.organisation_id
    r = _client(people.alice).get(
        f"/manage/plans/new/measures/?organisation={org}&start_fy=2030&end_fy=2026&catalogue={catalogue.pk}"
    )
    assert r.status_code == 400
    assert "最後の年度は最初の年度より後にしてください。" in r.content.decode()


def test_without_a_catalogue_the_wizard_says_to_import_the_guide(people: People) -> None:
    html = _client(people.alice).get("/manage/plans/new/").content.decode()
    assert "手引（カタログ）がまだ登録されていません" in html


def test_gap_report_adds_a_chapter_with_one_button(people: People, catalogue: pm.Catalogue) -> None:
    pm.Plan.objects.filter(pk=people.plan_a.pk).update(status=pm.DRAFT)
    plan = pm.Plan.objects.get(pk=people.plan_a.pk)
    alice = _client(people.alice)
    page = _main(alice.get(f"/manage/plans/{plan.pk}/gaps/").content.decode())
    assert "「計画の目的」の章がありません" in page and "この章を手引の記載例で追加" in page
    assert "この施策を追加" in page
    r = alice.post(
        f"/manage/plans/{plan.pk}/gaps/add/",
        {"revision": plan.revision, "catalogue": catalogue.pk, "item": "chapter:purpose"},
    )
    assert r.status_code == 302
    page = _main(alice.get(r["Location"]).content.decode())
    assert "手引から追加しました: 本文の節を追加: テスト市A官民データ活用推進計画の目的" in page
    assert "「計画の目的」の章がありません" not in page
    # a stale click is refused in words
    alice.post(
        f"/manage/plans/{plan.pk}/gaps/add/",
        {"revision": plan.revision, "catalogue": catalogue.pk, "item": "chapter:position"},
    )
    page = _main(alice.get(f"/manage/plans/{plan.pk}/gaps/").content.decode())
    assert "他の人がこの計画を先に更新しました" in page
    # a reporter sees the report without buttons
    page = _main(_client(people.bob).get(f"/manage/plans/{plan.pk}/gaps/").content.decode())
    assert "章がありません" in page and "この章を手引の記載例で追加" not in page


def test_the_plan_page_shows_the_panel_to_members_only(people: People) -> None:
    url = f"/manage/plans/{people.plan_a.pk}/"
    member = _main(_client(people.bob).get(url).content.decode())
    assert "手引への適合" in member and "問い合わせ先" in member
    assert "手引への適合" not in Client().get(url).content.decode()
    assert "手引への適合" not in _client(people.charlie).get(url).content.decode()


def _post(client: Client, url: str, prefix: str, initial: dict, **changes) -> None:
    data = {
        f"{prefix}-{k}" if prefix else k: ("" if v is None else v) for k, v in {**initial, **changes}.items()
    }
    data = {k: v for k, v in data.items() if v is not False}
    r = client.post(url, data)
    assert r.status_code == 302, (url, r.status_code, r.content.decode()[-1500:])


def _fill_with_the_editor_forms(client: Client, plan: pm.Plan) -> None:
    """The contact (計画の基本情報), each chapter's blanks (本文の節), each measure's blanks and a telework
    measure for the DX plan (施策の基本情報), each KPI's target and its year (KPI) — all through the forms."""
    from keikaku.web.progress import editor_forms as ef

    plan.refresh_from_db()
    initial = ef.PlanForm.initial_for(plan)
    _post(client, f"/manage/plans/{plan.pk}/edit/plan/", "plan", initial, contact_section="総務課 情報係")
    for s in pm.Section.objects.filter(plan=plan).order_by("order"):
        if BLANK in s.text:
            plan.refresh_from_db()
            data = {
                "revision": plan.revision,
                "key": s.key or "",
                "title": s.title,
                "text": s.text.replace(BLANK, "2"),
            }
            _post(client, f"/manage/sections/{s.pk}/edit/", f"s{s.pk}", data)
    for i, ms in enumerate(pm.Measure.objects.filter(plan=plan).order_by("order")):
        title = ms.title + ("とテレワーク" if i == 0 else "")
        _post(
            client,
            f"/manage/measures/{ms.pk}/edit/",
            "",
            ef.MeasureForm.initial_for(ms),
            title=title,
            description=ms.description.replace(BLANK, "3"),
        )
        for k in pm.Kpi.objects.filter(measure=ms).order_by("order"):
            ms.refresh_from_db()
            data = ef.KpiForm.initial_for(k, ms.revision)
            _post(
                client,
                f"/manage/kpis/{k.pk}/edit/",
                f"kpi{k.pk}",
                data,
                target_value_0="10",
                target_fy_0=2030,
            )
