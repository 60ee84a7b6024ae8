"""The editor pages without JavaScript: plain forms that post and redirect back; a stale edit answers 409
with the other person's change and keeps what was typed; <script> in every title stays text."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from keikaku.db.plans import models as pm
from tests.factories import XSS
from tests.people import People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _draft(p: People) -> pm.Plan:
    pm.Plan.objects.filter(pk=p.plan_a.pk).update(status=pm.DRAFT)
    p.plan_a.refresh_from_db()
    return p.plan_a


def _basic(ms: pm.Measure, **kw) -> dict:
    data = {
        "revision": str(ms.revision),
        "key": ms.key or "",
        "title": ms.title,
        "description": ms.description,
        "policy": str(ms.policy_id or ""),
        "pillars": [r.code for r in ms.pillar_refs.all()],
        "departments": [d.written for d in ms.department_links.all()],
        "deadline_fy": "",
        "national_measures": "",
        "new_departments": "",
    }
    data.update(kw)
    return data


def test_measure_page_escapes_and_saves(people: People) -> None:
    p = people
    _draft(p)
    alice = _client(p.alice)
    ms = p.bob_measure
    page = alice.get(f"/manage/measures/{ms.pk}/edit/")
    html = page.content.decode()
    assert page.status_code == 200
    assert XSS not in html and ESCAPED in html
    assert 'list="phase-words"' in html and "<datalist" in html
    assert html.count("<form") >= 5  # basic, KPI, its delete, new KPI, schedule, delete measure
    r = alice.post(f"/manage/measures/{ms.pk}/edit/", _basic(ms, title="施策の新しい名前", pillars=["C"]))
    assert r.status_code == 302 and r["Location"] == f"/manage/measures/{ms.pk}/edit/"
    after = alice.get(r["Location"]).content.decode()
    assert "保存しました。" in after and "施策名: " in after and "→ 施策の新しい名前" in after
    ms.refresh_from_db()
    assert ms.title == "施策の新しい名前" and ms.pillar_refs.get().source == "edited"


def test_stale_edit_is_refused_with_the_other_change(people: People) -> None:
    p = people
    _draft(p)
    ms = p.bob_measure
    dana, alice = _client(p.dana), _client(p.alice)
    read = _basic(ms)
    assert dana.post(f"/manage/measures/{ms.pk}/edit/", _basic(ms, title="ダナの変更")).status_code == 302
    r = alice.post(f"/manage/measures/{ms.pk}/edit/", {**read, "title": "アリスの変更"})
    html = r.content.decode()
    assert r.status_code == 409
    assert 'role="alert"' in html and "ダナの変更" in html and "dana" in html
    assert "アリスの変更" in html  # what Alice typed is still there
    assert re.search(r'name="revision" value="2"', html)  # sending again saves over Dana's change
    ms.refresh_from_db()
    assert ms.title == "ダナの変更"


def test_kpi_and_schedule_forms(people: People) -> None:
    p = people
    _draft(p)
    ms = p.bob_measure
    kpi = ms.kpis.get()
    alice = _client(p.alice)
    pre = f"kpi{kpi.pk}-"
    data = {
        pre + "revision": "1",
        pre + "indicator": "電子申請件数",
        pre + "unit": "件",
        pre + "direction": "increase",
        pre + "baseline_value": "10件",
        pre + "baseline_fy": "2024",
        pre + "target_value_0": "120件",
        pre + "target_fy_0": "2027",
    }
    r = alice.post(f"/manage/kpis/{kpi.pk}/edit/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert list(kpi.targets.values_list("value", flat=True)) == ["120件"]
    r = alice.post(f"/manage/kpis/{kpi.pk}/edit/", data)  # the same revision again: stale
    assert r.status_code == 409
    sched = {"schedule-revision": "2", "schedule-fy_2025": "準備", "schedule-fy_2026": "→"}
    assert alice.post(f"/manage/measures/{ms.pk}/edit/schedule/", sched).status_code == 302
    assert list(ms.schedule.values_list("written", flat=True)) == ["準備", "→"]
    new = {"newkpi-revision": "3", "newkpi-indicator": "研修の参加者数", "newkpi-unit": "人"}
    assert alice.post(f"/manage/measures/{ms.pk}/edit/kpis/new/", new).status_code == 302
    added = ms.kpis.get(indicator="研修の参加者数")
    r = alice.post(f"/manage/kpis/{added.pk}/delete/", {f"del{added.pk}-revision": "4"})
    assert r.status_code == 302 and ms.kpis.count() == 1
    history = alice.get(f"/manage/measures/{ms.pk}/history/").content.decode()
    assert "目標値: 40件（令和9年度 (2027)） → 120件（令和9年度 (2027)）" in history


def test_plan_editor_list_and_new_measure(people: People) -> None:
    p = people
    plan = _draft(p)
    alice = _client(p.alice)
    html = alice.get(f"/manage/plans/{plan.pk}/edit/").content.decode()
    assert XSS not in html and "上へ" in html and "下へ" in html
    last = plan.measures.order_by("order").last()
    r = alice.post(f"/manage/measures/{last.pk}/list/up/", {"list-revision": str(plan.revision)})
    assert r.status_code == 302
    assert list(plan.measures.order_by("order").values_list("pk", flat=True))[2] == last.pk
    r = alice.post(f"/manage/measures/{last.pk}/list/up/", {"list-revision": str(plan.revision)})
    assert r.status_code == 409  # the plan moved on
    plan.refresh_from_db()
    r = alice.post(
        f"/manage/plans/{plan.pk}/edit/measures/new/",
        {"new-revision": str(plan.revision), "new-title": "新しい施策", "new-pillars": ["other"]},
    )
    assert r.status_code == 302
    assert plan.measures.filter(title="新しい施策").exists()


def test_published_plan_offers_no_forms(people: People) -> None:
    p = people
    alice = _client(p.alice)
    html = alice.get(f"/manage/measures/{p.bob_measure.pk}/edit/").content.decode()
    assert "のため編集できません" in html and 'action="/manage/measures/' not in html
    r = alice.post(f"/manage/measures/{p.bob_measure.pk}/edit/", _basic(p.bob_measure, title="x"))
    assert r.status_code == 400


def test_plan_fields_sections_policies_pages(people: People) -> None:
    p = people
    plan = _draft(p)
    alice = _client(p.alice)
    for page in ("plan", "sections", "policies"):
        html = alice.get(f"/manage/plans/{plan.pk}/edit/{page}/").content.decode()
        assert XSS not in html and ESCAPED in html, page
    r = alice.post(
        f"/manage/plans/{plan.pk}/edit/plan/",
        {
            "plan-revision": str(plan.revision),
            "plan-title": "テスト市の計画",
            "plan-kinds": ["DX推進計画"],
            "plan-period_start": "2025",
            "plan-contact_section": "企画課",
            "plan-contact_email": "dx@example.jp",
            "plan-related_plans": "第6次総合計画",
        },
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    # Markdown preview: raw HTML stays text, nothing is saved
    r = alice.post(
        f"/manage/plans/{plan.pk}/edit/sections/",
        {
            "new-revision": str(plan.revision),
            "new-title": "推進体制",
            "new-text": "# 体制\n\n- CIO<script>x</script>",
            "preview": "1",
        },
    )
    html = r.content.decode()
    assert (
        r.status_code == 200
        and "<h3>体制</h3>" in html
        and "<li>CIO&lt;script&gt;x&lt;/script&gt;</li>" in html
    )
    assert plan.sections.count() == 1
    r = alice.post(
        f"/manage/plans/{plan.pk}/edit/sections/",
        {"new-revision": str(plan.revision), "new-title": "推進体制", "new-text": "- CIO"},
    )
    assert r.status_code == 302 and plan.sections.count() == 2
    plan.refresh_from_db()
    r = alice.post(
        f"/manage/plans/{plan.pk}/edit/policies/",
        {"new-revision": str(plan.revision), "new-key": "(2)", "new-title": "人材", "new-parent": ""},
    )
    assert r.status_code == 302 and plan.policies.count() == 2
    # the public page shows the contact and the related plans once published
    pm.Plan.objects.filter(pk=plan.pk).update(status=pm.PUBLISHED)
    public = Client().get(f"/plans/{plan.pk}/").content.decode()
    assert "企画課" in public and "mailto:dx@example.jp" in public and "第6次総合計画" in public


def test_editor_pages_in_english(people: People) -> None:
    """Headings, labels and buttons come from the catalogue; the plan's own words stay as written."""
    from django.conf import settings

    p = people
    plan = _draft(p)
    client = _client(p.dana)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = {
        f"/manage/measures/{p.bob_measure.pk}/edit/": (
            "Edit measure",
            ["Basic information", "Save schedule", "Target 1"],
        ),
        f"/manage/plans/{plan.pk}/edit/": ("Edit plan", ["Add a measure", "Up", "Copy"]),
        f"/manage/plans/{plan.pk}/edit/plan/": ("Plan details", ["Contact (e-mail)"]),
        f"/manage/plans/{plan.pk}/edit/sections/": ("Narrative sections", ["Preview"]),
        f"/manage/plans/{plan.pk}/edit/policies/": ("Policy structure", ["Add a policy"]),
        f"/manage/plans/{plan.pk}/workflow/": (
            "Version workflow",
            ["Submit for review", "Changes from the published version"],
        ),
    }
    for url, (h1, words) in pages.items():
        html = client.get(url).content.decode()
        assert re.search(rf"<h1[^>]*>{re.escape(h1)}</h1>", html), (url, h1)
        for w in words:
            assert w in html, (url, w)


def test_plan_workbook_page_download_and_upload(people: People) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from keikaku.export.plan_xlsx import FIRST_ROW, MEASURES

    plan = _draft(people)
    c = _client(people.alice)
    page = c.get(f"/manage/plans/{plan.pk}/edit/workbook/")
    assert page.status_code == 200 and ESCAPED in page.content.decode() and XSS not in page.content.decode()
    r = c.get(f"/manage/plans/{plan.pk}/edit/workbook.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    data = b"".join(r)
    r = c.post(f"/manage/plans/{plan.pk}/edit/workbook/", {"file": SimpleUploadedFile("p.xlsx", data)})
    assert r.status_code == 302
    assert "変更はありません" in c.get(r["Location"]).content.decode()
    wb = load_workbook(io.BytesIO(data))
    wb[MEASURES].cell(row=FIRST_ROW, column=8).value = "たぶん"  # 再掲: ○ or blank
    wb[MEASURES].cell(row=FIRST_ROW + 1, column=2).value = "直した施策名"
    buf = io.BytesIO()
    wb.save(buf)
    r = c.post(
        f"/manage/plans/{plan.pk}/edit/workbook/", {"file": SimpleUploadedFile("p.xlsx", buf.getvalue())}
    )
    body = r.content.decode()
    assert r.status_code == 400 and f"施策!H{FIRST_ROW}" in body and "何も保存しませんでした" in body
    assert not plan.measures.filter(title="直した施策名").exists()
    r = c.post(f"/manage/plans/{plan.pk}/edit/workbook/", {})
    assert r.status_code == 400 and "ブック (.xlsx) を選んでください" in r.content.decode()


def test_inline_title_editing_with_and_without_htmx(people: People) -> None:
    plan = _draft(people)
    ms = people.other_measure
    c = _client(people.alice)
    url = f"/manage/measures/{ms.pk}/edit/title/"
    listing = c.get(f"/manage/plans/{plan.pk}/edit/").content.decode()
    assert f'hx-get="{url}"' in listing and f'href="{url}"' in listing
    # htmx: the cell becomes a form, the save answers the cell again with the new title
    cell = c.get(url, headers={"HX-Request": "true"}).content.decode()
    assert (
        cell.startswith(f'<td id="title-{ms.pk}" data-label="施策">')
        and "<form" in cell
        and "<html" not in cell
    )
    assert ESCAPED in cell and XSS not in cell
    data = {f"t{ms.pk}-revision": str(ms.revision), f"t{ms.pk}-title": "その場で直した施策名"}
    r = c.post(url, data, headers={"HX-Request": "true"})
    assert (
        r.status_code == 200
        and "その場で直した施策名" in r.content.decode()
        and "<form" not in r.content.decode()
    )
    ms.refresh_from_db()
    assert ms.title == "その場で直した施策名" and ms.description.startswith("説明")  # the other fields kept
    r = c.post(url, data, headers={"HX-Request": "true"})  # the same revision again: stale
    assert r.status_code == 409 and "他の人" in r.content.decode() and "<form" in r.content.decode()
    # without JavaScript: a page of its own, then back to the list
    page = c.get(url).content.decode()
    assert "<html" in page and f'name="t{ms.pk}-title"' in page
    data = {f"t{ms.pk}-revision": str(ms.revision), f"t{ms.pk}-title": "フォームで直した施策名"}
    r = c.post(url, data)
    assert r.status_code == 302 and r["Location"] == f"/manage/plans/{plan.pk}/edit/#m-{ms.pk}"
    assert "フォームで直した施策名" in c.get(r["Location"]).content.decode()
    r = c.post(url, {f"t{ms.pk}-revision": str(ms.revision + 1), f"t{ms.pk}-title": ""})
    assert r.status_code == 400
