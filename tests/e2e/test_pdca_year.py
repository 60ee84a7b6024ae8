"""One fiscal year of PDCA, end to end, as a new town would live it — through the real entry points only
(the ``keikaku`` command, the web pages with CSRF enforced, the API with a token, the Django admin).

Cast: the CIO office (Django superuser + admin of 市A), Alice (editor, 市A = みどり市), Bob (reporter for
市A's 情報政策課), Charlie (editor, 市B = さくら町), and an anonymous resident.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from keikaku.cli import main
from keikaku.db.accounts.models import Membership
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.export.progress_xlsx import FIRST_ROW, SHEET
from tests.ingest.doc_fixtures import write_plan_docx

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "keikaku" / "demo"
FY = 2025
DEPT = "情報政策課"


def _csrf_post(client: Client, form_url: str, url: str, data: dict, **kw):
    """GET the page that shows the form (sets the CSRF cookie), then POST as the browser would."""
    assert client.get(form_url).status_code == 200, form_url
    data = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    return client.post(url, data, **kw)


def _login(user) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    return c


def _load(path: Path, capsys: pytest.CaptureFixture[str]) -> pm.Plan:
    assert main(["load", str(path)]) == 0
    return pm.Plan.objects.get(pk=int(capsys.readouterr().out.strip()))


def _pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    return "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def test_a_whole_pdca_year(tmp_path: Path, capsys: pytest.CaptureFixture[str], settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    anon = Client()

    # ---- 0. a plan document is imported and checked --------------------------------------------
    doc = write_plan_docx(tmp_path / "計画.docx")
    assert main(["import", str(doc), "--to", "json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["organisation"]["name"] == "みどり市" and len(preview["measures"]) == 2
    assert main(["import", "--publish", str(doc)]) == 0  # imports are drafts unless --publish
    capsys.readouterr()
    imported = pm.Plan.objects.get(title="みどり市デジタル推進計画")
    page = anon.get(f"/plans/{imported.pk}/").content.decode()
    assert "オンライン申請の拡充" in page and "情報政策課" in page

    # the towns' real plans (the demo's fictional みどり市 = 市A and さくら町 = 市B) are loaded
    plan_a = _load(DEMO / "sample_plan.json", capsys)
    plan_b = _load(DEMO / "sample_plan_b.json", capsys)
    assert plan_a.measures.count() == 30 and plan_b.organisation.name == "さくら町"
    org_a, org_b = plan_a.organisation, plan_b.organisation
    dept = pm.Department.objects.get(organisation=org_a, name=DEPT)
    bob_measures = list(plan_a.measures.filter(departments=dept).order_by("order"))
    assert len(bob_measures) >= 4

    # ---- 1. the CIO office creates the memberships in the admin ---------------------------------
    User = get_user_model()
    cio = User.objects.create_superuser("cio", "cio@example.jp", "pw-cio-12345")
    alice = User.objects.create_user("alice", "alice@example.jp")
    bob = User.objects.create_user("bob", "bob@example.jp")
    charlie = User.objects.create_user("charlie", "charlie@example.jp")
    admin = _login(cio)
    add = "/admin/accounts/membership/add/"
    for user, org, role, depts in (
        (cio, org_a, "admin", []),
        (alice, org_a, "editor", []),
        (bob, org_a, "reporter", [dept.pk]),
        (charlie, org_b, "editor", []),
    ):
        data = {"user": user.pk, "organisation": org.pk, "role": role, "departments": depts}
        resp = _csrf_post(admin, add, add, data)
        assert resp.status_code == 302, resp.content.decode()[:2000]
    assert Membership.objects.get(user=bob).departments.get() == dept

    # the CIO opens the reporting period from the manage pages
    manage_a = f"/manage/plans/{plan_a.pk}/"
    resp = _csrf_post(
        admin, manage_a, f"{manage_a}periods/new/", {"fiscal_year": FY, "due_date": "2026-04-30"}
    )
    assert resp.status_code == 302
    period = gm.ReportingPeriod.objects.get(plan=plan_a, fiscal_year=FY)
    edit = f"/manage/periods/{period.pk}/"
    resp = _csrf_post(
        admin, edit, edit, {"revision": period.revision, "state": "open", "due_date": "2026-04-30"}
    )
    assert resp.status_code == 302
    period.refresh_from_db()
    assert period.state == "open"

    # ---- 2. Bob reports: Excel workbook, then a web form, then the API -------------------------
    b = _login(bob)
    page = b.get(manage_a).content.decode()
    assert f"/manage/periods/{period.pk}/workbooks/" in page  # the manage page leads to Excel
    wb_page = f"/manage/periods/{period.pk}/workbooks/"
    listing = b.get(wb_page).content.decode()
    assert DEPT in listing and "市民課" not in listing  # only his department
    resp = b.get(f"/manage/periods/{period.pk}/workbooks/{dept.pk}.xlsx")
    assert resp.status_code == 200
    assert b.get(f"/manage/periods/{period.pk}/workbooks/0.xlsx").status_code in (403, 404)

    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb[SHEET]
    excel_measures = bob_measures[:2]
    ids = {m.pk for m in excel_measures}
    filled = 0
    for row in range(FIRST_ROW, ws.max_row + 1):
        mid = ws[f"K{row}"].value
        if mid not in ids:
            continue
        if ws[f"A{row}"].value:  # a measure's first row
            ws[f"G{row}"] = "順調"
            ws[f"I{row}"] = f"Excel で報告した取組の状況です（{mid}）。"
        if ws[f"L{row}"].value:
            ws[f"H{row}"] = 12
            filled += 1
    assert filled >= 1
    buf = io.BytesIO()
    wb.save(buf)
    upload = io.BytesIO(buf.getvalue())
    upload.name = "情報政策課.xlsx"
    resp = _csrf_post(b, wb_page, wb_page, {"files": upload})
    assert resp.status_code == 200, resp.content.decode()[-3000:]
    assert "保存しました" in resp.content.decode()
    for m in excel_measures:
        r = gm.ProgressReport.objects.get(measure=m, period=period)
        assert (r.status, r.state, r.created_by) == ("順調", "draft", bob)
        assert r.actuals.filter(value_number=12).exists()

    # a report through the web form, submitted at once
    web_measure = bob_measures[2]
    form_url = f"/manage/periods/{period.pk}/measures/{web_measure.pk}/report/"
    form_page = b.get(form_url).content.decode()
    for field in re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_[^"]+)"', form_page):
        if field != "id_revision":
            assert f'for="{field}"' in form_page, f"no label for {field}"
    data = {"revision": 0, "status": "遅れ", "narrative": "調整に時間がかかっています。", "submit": "1"}
    data |= {f"kpi_{k.pk}": "3" for k in web_measure.kpis.all()}
    resp = _csrf_post(b, form_url, form_url, data)
    assert resp.status_code == 302
    web_report = gm.ProgressReport.objects.get(measure=web_measure, period=period)
    assert (web_report.status, web_report.state) == ("遅れ", "submitted")

    # a report through the API with his token (issued on the profile page)
    resp = _csrf_post(b, "/accounts/profile/", "/accounts/tokens/new/", {"name": "集計用"})
    token = re.search(r"kk_[A-Za-z0-9_\-]+", resp.content.decode()).group(0)
    api_measure = bob_measures[3]
    body = {
        "status": "完了",
        "narrative": "API から報告しました。",
        "actuals": [{"kpi_id": k.pk, "number": "40"} for k in api_measure.kpis.all()],
        "submit": True,
    }
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/periods/{period.pk}/measures/{api_measure.pk}/progress"
    resp = api.put(url, body, content_type="application/json")
    assert resp.status_code == 200, resp.content
    api_report = gm.ProgressReport.objects.get(pk=resp.json()["id"])
    assert api_report.state == "submitted" and api_report.updated_by == bob
    # not his department: refused
    other = plan_a.measures.exclude(departments=dept).first()
    resp = api.put(
        f"/api/periods/{period.pk}/measures/{other.pk}/progress", body, content_type="application/json"
    )
    assert resp.status_code == 403
    assert b.get(f"/manage/periods/{period.pk}/measures/{other.pk}/report/").status_code == 403

    # Bob submits the Excel drafts from the report page
    for m in excel_measures:
        r = gm.ProgressReport.objects.get(measure=m, period=period)
        resp = _csrf_post(
            b, f"/manage/reports/{r.pk}/", f"/manage/reports/{r.pk}/submit/", {"revision": r.revision}
        )
        assert resp.status_code == 302
    assert gm.ProgressReport.objects.filter(period=period, state="submitted").count() == 4

    # ---- 3. Charlie (市B) and the resident see no drafts and cannot write to 市A ----------------
    c = _login(charlie)
    assert c.get(f"/manage/reports/{web_report.pk}/").status_code == 404
    assert c.get(form_url).status_code == 403
    assert c.get(wb_page).status_code == 404
    assert c.get(f"/manage/measures/{web_measure.pk}/history/").status_code == 403
    outsider = c.get(manage_a).content.decode()  # as the public: nothing approved yet
    assert "提出済" not in outsider and "下書き" not in outsider and "報告を書く" not in outsider
    resp = c.post(form_url, data)  # no CSRF token
    assert resp.status_code == 403
    charlie_api = Client()
    charlie_api.force_login(charlie)
    resp = charlie_api.put(url, body, content_type="application/json")
    assert resp.status_code in (401, 403)
    assert anon.get(f"/manage/reports/{web_report.pk}/").status_code == 404
    assert anon.get(f"/api/progress/{web_report.pk}").status_code in (403, 404)

    # ---- 4. Alice reviews: returns one with a comment, approves the others ----------------------
    a = _login(alice)
    page = a.get(manage_a).content.decode()
    assert "提出済" in page
    ret = gm.ProgressReport.objects.get(measure=excel_measures[0], period=period)
    rurl = f"/manage/reports/{ret.pk}/"
    resp = _csrf_post(
        a, rurl, f"{rurl}return/", {"revision": ret.revision, "comment": "実績の根拠を添えてください。"}
    )
    assert resp.status_code == 302
    ret.refresh_from_db()
    assert (ret.state, ret.review_comment) == ("returned", "実績の根拠を添えてください。")
    assert (
        "実績の根拠を添えてください。"
        in b.get(form_url.replace(str(web_measure.pk), str(ret.measure_id))).content.decode()
    )
    approved = gm.ProgressReport.objects.filter(period=period, state="submitted")
    for r in approved:
        resp = _csrf_post(
            a, f"/manage/reports/{r.pk}/", f"/manage/reports/{r.pk}/approve/", {"revision": r.revision}
        )
        assert resp.status_code == 302
    assert gm.ProgressReport.objects.filter(period=period, state="approved").count() == 3

    # ---- 5. the resident sees approved progress only ----------------------------------------------
    portal = anon.get(f"/plans/{plan_a.pk}/").content.decode()
    assert f"/plans/{plan_a.pk}/progress/" in portal  # the public plan page leads to progress
    public = anon.get(manage_a).content.decode()
    assert "完了" in public and "遅れ" in public  # approved API + web reports
    assert "差戻し" not in public
    dash = anon.get(f"/plans/{plan_a.pk}/progress/?period={period.pk}")
    assert dash.status_code == 200
    assert anon.get(f"/api/progress/{api_report.pk}").status_code == 200
    assert anon.get(f"/api/progress/{ret.pk}").status_code in (403, 404)
    listed = anon.get(f"/api/plans/{plan_a.pk}/progress?period_id={period.pk}").json()
    assert {r["state"] for r in listed} == {"approved"} and len(listed) == 3

    # ---- 6. reminders: after the due date the rest are late and mailed ---------------------------
    mail.outbox.clear()
    assert main(["remind", "--today", "2026-05-07"]) == 0
    out = capsys.readouterr().out
    assert "督促" in out
    late_page = a.get(manage_a).content.decode()
    assert "遅延" in late_page
    assert mail.outbox and any("bob@example.jp" in m.to for m in mail.outbox)
    bob_mail = next(m for m in mail.outbox if "bob@example.jp" in m.to)
    assert excel_measures[0].title in bob_mail.body  # the returned one is still to do

    # ---- 7. Alice evaluates, revises the plan, reads the diff --------------------------------------
    ms = list(plan_a.measures.order_by("order"))
    decisions = {ms[0]: "継続", ms[1]: "完了", ms[2]: "終了", ms[3]: "見直し", ms[4]: "統合"}
    for m, decision in decisions.items():
        eurl = f"/manage/measures/{m.pk}/evaluations/{FY}/"
        data = {"revision": 0, "decision": decision, "rationale": f"{decision}とする理由"}
        if decision == "統合":
            data["merge_into"] = ms[0].pk
        resp = _csrf_post(a, eurl, eurl, data)
        assert resp.status_code == 302, resp.content.decode()[-2000:]
    assert gm.Evaluation.objects.filter(measure__plan=plan_a, fiscal_year=FY).count() == 5
    assert c.get(f"/manage/measures/{ms[0].pk}/evaluations/{FY}/").status_code == 403
    # drafts are not public; the CIO office (admin) decides the year's evaluations at once
    assert anon.get(f"/api/plans/{plan_a.pk}/evaluations").json() == []
    year_action = f"{manage_a}evaluations/{FY}/"
    forbidden = _csrf_post(a, manage_a, f"{year_action}decide/", {"period": period.pk})
    assert forbidden.status_code == 403  # the planning office writes, it does not decide
    resp = _csrf_post(admin, manage_a, f"{year_action}decide/", {"period": period.pk})
    assert resp.status_code == 302 and "#h-evaluations" in resp["Location"]
    states = set(gm.Evaluation.objects.filter(measure__plan=plan_a).values_list("state", flat=True))
    assert states == {"decided"}
    assert anon.get(f"/api/plans/{plan_a.pk}/evaluations").json() == []  # decided, not yet public
    base = f"/manage/plans/{plan_a.pk}/evaluation-report"
    public_report = anon.get(f"{base}.html?fy={FY}").content.decode()
    assert "&lt;継続&gt;" not in public_report and "未評価" in public_report
    resp = _csrf_post(admin, manage_a, f"{year_action}publish/", {"period": period.pk})
    assert resp.status_code == 302
    assert len(anon.get(f"/api/plans/{plan_a.pk}/evaluations").json()) == 5
    assert "&lt;継続&gt;" in anon.get(f"{base}.html?fy={FY}").content.decode()

    plan_a.refresh_from_db()
    resp = _csrf_post(a, manage_a, f"{manage_a}revise/", {"revision": plan_a.revision, "fiscal_year": FY})
    assert resp.status_code == 302
    new = pm.Plan.objects.get(previous=plan_a)
    assert new.measures.count() == 30 - 3  # 完了, 終了 and 統合 are not carried over
    lineage = {x.from_measure_id: x for x in gm.MeasureLineage.objects.filter(from_plan=plan_a)}
    assert lineage[ms[0].pk].to_measure.title == ms[0].title  # 継続
    assert lineage[ms[3].pk].to_measure.title == ms[3].title  # 見直し
    assert lineage[ms[1].pk].to_measure is None and lineage[ms[2].pk].to_measure is None
    assert lineage[ms[4].pk].to_measure == lineage[ms[0].pk].to_measure  # 統合 → 1-①
    diff = a.get(resp["Location"])
    assert diff.status_code == 200
    text = diff.content.decode()
    assert ms[1].title.replace("<", "&lt;")[:10] in text or ms[1].title[:10] in text

    # ---- 8. the yearly evaluation report --------------------------------------------------------
    base = f"/manage/plans/{plan_a.pk}/evaluation-report"
    html = a.get(f"{base}.html?fy={FY}")
    assert html.status_code == 200
    body_html = html.content.decode()
    assert ms[0].title in body_html and "評価" in body_html and "継続" in body_html
    docx = a.get(f"{base}.docx?fy={FY}")
    assert docx.status_code == 200
    doc_text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    doc_text += "\n".join(
        c.text for t in Document(io.BytesIO(docx.content)).tables for row in t.rows for c in row.cells
    )
    assert ms[0].title in doc_text and "継続" in doc_text
    pdf = a.get(f"{base}.pdf?fy={FY}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pdf_text = _pdf_text(pdf.content)
    assert ms[0].title[:8] in pdf_text and "継続" in pdf_text
    # the public version leaves drafts out
    public_report = anon.get(f"{base}.html?fy={FY}").content.decode()
    assert "調整に時間がかかっています" in public_report
    assert f"Excel で報告した取組の状況です（{excel_measures[1].pk}）。" in public_report  # approved
    assert f"Excel で報告した取組の状況です（{ret.measure_id}）。" not in public_report  # returned

    # ---- 9. history shows who changed what -------------------------------------------------------
    hist = a.get(f"/manage/measures/{excel_measures[0].pk}/history/").content.decode()
    assert "bob" in hist and "alice" in hist and "進捗報告" in hist
    assert anon.get(f"/manage/measures/{excel_measures[0].pk}/history/").status_code == 302

    assert date(2026, 4, 30) == period.due_date
