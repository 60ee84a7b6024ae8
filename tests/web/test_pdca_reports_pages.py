"""Dashboard, evaluation report downloads and the Excel pages over HTTP: escaping, permissions (Alice,
Bob, Charlie, the anonymous resident), CSRF on the upload form, bad input never a 500."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from keikaku.db.progress import models as gm
from keikaku.export.progress_xlsx import FIRST_ROW, SHEET
from keikaku.services.progress import ActualInput, ReportInput, progress_save
from tests.factories import XSS
from tests.people import NOW, People, approve_bob_report, make_people

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.pdca_reports_urls")]


@pytest.fixture
def people(db) -> People:
    p = make_people()
    approve_bob_report(p, f"進めた{XSS}")
    return p


def login(user) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    return c


def test_dashboard_renders_escaped_charts_and_tables(people: People) -> None:
    page = Client().get(f"/plans/{people.plan_a.pk}/progress/")
    assert page.status_code == 200
    body = page.content.decode()
    assert XSS not in body and "&lt;script&gt;" in body
    svgs = re.findall(r"<svg.*?</svg>", body, re.S)
    assert len(svgs) == 2  # status by pillar + the KPI trend
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        assert root.find("{http://www.w3.org/2000/svg}desc") is not None
    assert body.count("<caption>") >= 5 and 'scope="col"' in body
    assert "50%" in body  # 10件 → 25件 of 40件


def test_dashboard_bad_input(people: People) -> None:
    c = Client()
    pid = people.plan_a.pk
    assert c.get(f"/plans/{pid}/progress/?period=abc").status_code == 400
    assert c.get(f"/plans/{pid}/progress/?period=999999").status_code == 404
    assert c.get(f"/plans/{pid}/progress/?period={people.period_b.pk}").status_code == 404
    assert c.get(f"/plans/{pid}/progress/?kpi=999999").status_code == 200
    assert c.get("/plans/999999/progress/").status_code == 404


def test_public_dashboard_hides_unapproved_reports(people: People) -> None:
    other = people.plan_a.measures.order_by("order")[1]
    progress_save(people.alice, other, people.period_a, ReportInput(status="遅れ"), revision=0, now=NOW)
    public = Client().get(f"/plans/{people.plan_a.pk}/progress/").content.decode()
    member = login(people.alice).get(f"/plans/{people.plan_a.pk}/progress/").content.decode()
    assert "遅れ</td>" not in public.replace('<th scope="col">遅れ</th>', "")
    assert member.count("遅れ") > public.count("遅れ")


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_report_downloads(people: People, fmt: str) -> None:
    r = Client().get(f"/manage/plans/{people.plan_a.pk}/evaluation-report.{fmt}?fy=2025")
    assert r.status_code == 200
    if fmt == "html":
        assert XSS.encode() not in r.content and "default-src 'none'" in r["Content-Security-Policy"]


def test_report_bad_input(people: People) -> None:
    c = Client()
    assert c.get(f"/manage/plans/{people.plan_a.pk}/evaluation-report.exe").status_code == 404
    assert c.get(f"/manage/plans/{people.plan_a.pk}/evaluation-report.html?fy=x").status_code == 400


def test_workbook_pages_permissions(people: People) -> None:
    url = f"/manage/periods/{people.period_a.pk}/workbooks/"
    assert Client().get(url).status_code == 302  # anonymous → login
    assert login(people.charlie).get(url).status_code == 404  # another organisation
    bob = login(people.bob).get(url)
    assert bob.status_code == 200 and bob.content.decode().count(".xlsx)") == 1
    other = people.other_measure.department_links.first().department_id
    assert (
        login(people.bob).get(f"/manage/periods/{people.period_a.pk}/workbooks/{other}.xlsx").status_code
        == 403
    )
    assert (
        login(people.charlie).get(f"/manage/periods/{people.period_a.pk}/workbooks/all.zip").status_code
        == 403
    )
    assert (
        login(people.alice).get(f"/manage/periods/{people.period_a.pk}/workbooks/all.zip").status_code == 200
    )


def test_upload_round_trip_with_csrf(people: People) -> None:
    c = login(people.alice)
    page = c.get(f"/manage/periods/{people.period_a.pk}/workbooks/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    third = people.plan_a.measures.order_by("order")[2]
    dept = people.department.pk
    data = c.get(f"/manage/periods/{people.period_a.pk}/workbooks/{dept}.xlsx").content
    wb = load_workbook(io.BytesIO(data))
    wb[SHEET][f"G{FIRST_ROW + 1}"] = "遅れ"
    wb[SHEET][f"H{FIRST_ROW + 1}"] = 7
    buf = io.BytesIO()
    wb.save(buf)
    url = f"/manage/periods/{people.period_a.pk}/workbooks/"
    no_csrf = c.post(url, {"files": io.BytesIO(buf.getvalue())})
    assert no_csrf.status_code == 403
    f = io.BytesIO(buf.getvalue())
    f.name = "filled.xlsx"
    ok = c.post(url, {"files": f, "csrfmiddlewaretoken": token})
    assert ok.status_code == 200, ok.content.decode()[:500]
    assert gm.ProgressReport.objects.get(measure=third).status == "遅れ"
    wb[SHEET][f"H{FIRST_ROW + 1}"] = "たくさん"
    bad = io.BytesIO()
    wb.save(bad)
    bad.seek(0)
    bad.name = "bad.xlsx"
    refused = c.post(url, {"files": bad, "csrfmiddlewaretoken": token})
    assert refused.status_code == 400
    assert (
        "この KPI は数値の指標です" in refused.content.decode()
        and f"H{FIRST_ROW + 1}" in refused.content.decode()
    )


def test_cached_dashboard_shows_every_change(people: People) -> None:
    """The dashboard is cached per (plan, period, KPI, visibility, day, vocabulary, change stamp): a single
    save, a bulk save, a period's due date and a status vocabulary change each show at once."""
    from datetime import date

    from keikaku.services.progress import ReportSave, period_update, progress_save_many, status_vocabulary_set

    url = f"/plans/{people.plan_a.pk}/progress/"
    c = login(people.alice)
    ms = list(people.plan_a.measures.order_by("order"))

    def page() -> str:  # without the per-request CSRF token of the page's logout form
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", c.get(url).content.decode())

    before = page()
    assert page() == before  # served again (from the cache) unchanged
    progress_save(people.alice, ms[1], people.period_a, ReportInput(status="遅れ"), revision=0, now=NOW)
    one = page()
    assert one.count("遅れ") > before.count("遅れ")
    kpi = ms[2].kpis.get()
    progress_save_many(
        people.alice,
        people.period_a,
        [ReportSave(ms[2], ReportInput(status="完了", actuals=[ActualInput(kpi.pk, Decimal("7"), "件")]), 0)],
        now=NOW,
    )
    two = page()
    assert "7件" in two and two != one
    period_update(
        people.dana, people.period_a, revision=people.period_a.revision, due_date=date(2020, 1, 1), now=NOW
    )
    three = page()
    assert three != two
    status_vocabulary_set(people.dana, people.plan_a.organisation, [("順調", "on_track"), ("遅れ", "done")])
    assert page() != three


def test_public_plan_page_links_dashboard_and_progress(people: People) -> None:
    c = Client()
    body = c.get(f"/plans/{people.plan_a.pk}/").content.decode()
    for href in (f"/plans/{people.plan_a.pk}/progress/", f"/manage/plans/{people.plan_a.pk}/"):
        assert f'href="{href}"' in body
        assert c.get(href).status_code == 200  # both public for a published plan
