"""Public pages: organisations by prefecture, plan page with filters, measure page, coverage, Gantt."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keikaku.core import plan as core
from keikaku.services import portal
from keikaku.services.plans import plan_save
from tests.factories import XSS, make_measure, make_plan

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _shared_plans() -> tuple:
    """Two towns' plans that share two measures (worded differently) and differ in the rest."""
    a = make_plan(
        0,
        org="みどり市",
        prefecture="静岡県",
        measures=[
            make_measure(
                1,
                title="行政手続のオンライン化の拡大",
                description="電子申請で受け付ける手続を増やします。",
                pillars=[core.PillarRef(code="A")],
                priority_areas=["電子行政"],
                priority=True,
                departments=["企画課"],
                national_measures=["国の施策X"],
                provenance=core.Provenance(
                    source="plan.pdf",
                    page=12,
                    line_start=3,
                    line_end=9,
                    text=f"（１）行政手続のオンライン化の拡大{XSS}",
                ),
            ),
            make_measure(
                2,
                title="オープンデータの公開拡充",
                description="データセットを増やします。",
                pillars=[core.PillarRef(code="B")],
                priority_areas=["電子行政"],
                departments=["情報課"],
            ),
            make_measure(
                3,
                title="スマート農業の導入支援",
                description="農家のICT活用を支援します。",
                pillars=[core.PillarRef(code="other")],
                priority_areas=["農林水産"],
                reposted=True,
                departments=["農政課"],
            ),
        ],
    )
    b = make_plan(
        0,
        org="さくら町",
        prefecture="岡山県",
        measures=[
            make_measure(
                1,
                title="電子申請による行政手続のオンライン化",
                description="電子申請の手続を拡大します。",
                pillars=[core.PillarRef(code="A")],
            ),
            make_measure(
                2,
                title="オープンデータの公開",
                description="データセットを公開します。",
                pillars=[core.PillarRef(code="B")],
            ),
            make_measure(
                3,
                title="高齢者向けスマホ相談会の開催",
                description="公民館で相談会を開きます。",
                pillars=[core.PillarRef(code="D")],
            ),
        ],
    )
    return plan_save(a, now=NOW), plan_save(b, now=NOW)


def test_home_groups_organisations_by_prefecture_with_versions(client: Client) -> None:
    v1 = plan_save(make_plan(1, org="あおば村", prefecture="宮城県", version="1.0"), now=NOW)
    v2 = plan_save(make_plan(2, org="あおば村", prefecture="宮城県", version="2.0"), now=NOW, previous=v1)
    other = plan_save(make_plan(1, org="さくら町", prefecture="岡山県"), now=NOW)
    draft = plan_save(make_plan(1, org="かえで町", prefecture="岡山県"), now=NOW, status="draft")
    groups = portal.organisations_by_prefecture()
    assert [g.prefecture for g in groups] == ["宮城県", "岡山県"]
    line = groups[0].organisations[0].plans[0]
    assert line.latest.id == v2.pk and [v.id for v in line.older] == [v1.pk]
    r = client.get("/")
    body = r.content.decode()
    assert r.status_code == 200
    assert body.index("宮城県") < body.index("岡山県")
    assert (
        f'href="/plans/{v2.pk}/"' in body
        and f'href="/plans/{v1.pk}/"' in body
        and f'href="/plans/{other.pk}/"' in body
    )
    assert f'href="/plans/{draft.pk}/"' not in body and "かえで町" not in body
    assert XSS not in body
    only = client.get("/", {"prefecture": "岡山県"}).content.decode()
    assert "さくら町" in only and "あおば村" not in only
    assert client.get("/", {"prefecture": "どこにもない県"}).status_code == 200


def test_plan_page_versions_sections_policies(client: Client) -> None:
    v1 = plan_save(make_plan(1, version="1.0"), now=NOW)
    v2 = plan_save(make_plan(2, version="2.0"), now=NOW, previous=v1)
    text = client.get(f"/plans/{v2.pk}/").content.decode()
    assert f'href="/plans/{v1.pk}/"' in text
    assert "令和7年度 (2025)" in text and "令和11年度 (2029)" in text
    assert "基本方針" in text and "セキュリティ" in text
    assert XSS not in text and "&lt;script&gt;" in text
    for name in ("coverage", "gantt"):
        assert f'href="/plans/{v2.pk}/{name}/"' in text
    assert f'href="/plans/{v2.pk}/measures.csv"' in text and f'href="/plans/{v2.pk}/plan.json"' in text
    assert 'href="/schema/plan-v1.schema.json"' in text
    back = client.get(f"/plans/{v1.pk}/").content.decode()
    assert f'href="/plans/{v2.pk}/"' in back


def test_plan_page_filters_by_pillar_area_department_flag(client: Client) -> None:
    a, _b = _shared_plans()
    url = f"/plans/{a.pk}/"

    def shown(**params: str) -> list[str]:
        body = client.get(url, params).content.decode()
        return re.findall(r'<a href="/measures/\d+/">([^<]+)</a>', body)

    assert len(shown()) == 3
    assert shown(pillar="A") == ["行政手続のオンライン化の拡大"]
    assert shown(area="電子行政") == ["行政手続のオンライン化の拡大", "オープンデータの公開拡充"]
    assert shown(flag="priority") == ["行政手続のオンライン化の拡大"]
    assert shown(flag="reposted") == ["スマート農業の導入支援"]
    dept = re.search(r'<option value="(\d+)">情報課</option>', client.get(url).content.decode())
    assert dept
    assert shown(department=dept.group(1)) == ["オープンデータの公開拡充"]
    assert shown(pillar="B", area="農林水産") == []
    # unknown values are ignored, not errors
    assert len(shown(pillar="Z", area="宇宙", flag="x", department="１２")) == 3
    body = client.get(url, {"pillar": "A"}).content.decode()
    assert '<option value="A" selected>' in body and "3 件中 1 件を表示" in body


def test_plan_page_queries_do_not_grow_with_measures(client: Client) -> None:
    small = plan_save(make_plan(3, org="小さい町"), now=NOW)
    big = plan_save(make_plan(100, org="大きい市"), now=NOW)
    counts = []
    for row in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/plans/{row.pk}/")
        assert r.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] and counts[1] <= 16, counts  # 16: whether any report is approved (progress)
    assert r.content.decode().count('href="/measures/') == 100


def test_plan_page_queries_with_approved_progress_do_not_grow(client: Client) -> None:
    """With approved reports the page also shows each measure's status and the roll-ups: a fixed number
    of queries more, whatever the number of measures."""
    from django.contrib.auth import get_user_model

    from keikaku.db.progress import models as gm
    from keikaku.services.people import membership_set
    from keikaku.services.progress import ReportInput, parse_actual, progress_approve, progress_save

    admin = get_user_model().objects.create_user("queries-admin")
    counts = []
    for n in (3, 100):
        row = plan_save(make_plan(n, org=f"町{n}"), now=NOW)
        membership_set(admin, row.organisation, "admin")
        period = gm.ReportingPeriod.objects.create(plan=row, fiscal_year=2025, state="open")
        for ms in row.measures.order_by("order")[:2]:
            kpi = ms.kpis.first()
            data = ReportInput(status="順調", actuals=[parse_actual(kpi.pk, "25", "件")])
            rep = progress_save(admin, ms, period, data, revision=0, now=NOW, submit=True)
            progress_approve(admin, rep, revision=rep.revision, now=NOW)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/plans/{row.pk}/")
        assert r.status_code == 200 and "status-on_track" in r.content.decode()
        counts.append(len(ctx))
    assert counts[0] == counts[1] and counts[1] <= 28, counts


def test_measure_page_shows_every_field_and_similar_measures(client: Client) -> None:
    a, b = _shared_plans()
    measure = a.measures.get(order=0)
    r = client.get(f"/measures/{measure.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    text = _text(r.content)
    assert "行政手続のオンライン化の拡大" in text and "電子申請で受け付ける手続を増やします。" in text
    assert "A: オンライン化原則" in text and "電子行政" in text and "企画課" in text and "重点取組" in text
    assert "国の施策X" in text
    # KPI with baseline and target, fiscal years in 和暦 (西暦)
    assert "10件 (令和6年度 (2024))" in text and "40件 (令和9年度 (2027))" in text and "増やす" in text
    # schedule as a table
    assert "令和8年度 (2026)" in text and "検討" in text
    # the source excerpt it was imported from, escaped
    assert "plan.pdf" in text and "12 ページ" in text and "3–9 行" in text
    assert "（１）行政手続のオンライン化の拡大&lt;script&gt;" in body and XSS not in body
    # similar measures elsewhere: the other town's online-procedures measure first, linked with its plan
    similar = body[body.index('id="h-similar"') :]
    first = re.search(r'<a href="/measures/(\d+)/">', similar)
    assert first and int(first.group(1)) == b.measures.get(order=0).pk
    assert f'href="/plans/{b.pk}/"' in similar
    assert f'href="/measures/{a.measures.get(order=1).pk}/"' not in similar  # never the same plan
    assert len(portal.measure_similar(measure.pk, limit=5)) <= 5


def test_similar_index_follows_new_plans(client: Client) -> None:
    a = plan_save(make_plan(1, org="一番町", measures=[make_measure(1, title="公衆無線LANの整備")]), now=NOW)
    measure = a.measures.get()
    assert portal.measure_similar(measure.pk) == []
    b = plan_save(
        make_plan(1, org="二番町", measures=[make_measure(1, title="公衆無線LANの整備と拡充")]), now=NOW
    )
    hits = portal.measure_similar(measure.pk)
    assert [h.id for h in hits] == [b.measures.get().pk] and hits[0].score > 0.5
    draft = plan_save(
        make_plan(1, org="三番町", measures=[make_measure(1, title="公衆無線LANの整備")]),
        now=NOW,
        status="draft",
    )
    assert draft.pk not in [h.plan_id for h in portal.measure_similar(measure.pk)]


def test_coverage_matrix_and_missing_pillar_warnings(client: Client) -> None:
    a, _b = _shared_plans()
    cov = portal.plan_coverage(a.pk)
    assert cov.pillars == ["A", "B", "C", "D", "E", "other"]
    assert cov.areas[-1] == "" and len(cov.areas) == 9
    assert cov.counts[0][cov.areas.index("電子行政")] == 1
    assert cov.counts[5][cov.areas.index("農林水産")] == 1
    assert cov.pillar_totals == [1, 1, 0, 0, 0, 1]
    assert cov.missing_pillars == ["C", "D", "E"]
    r = client.get(f"/plans/{a.pk}/coverage/")
    assert r.status_code == 200
    text = _text(r.content)
    assert "柱「C: マイナンバーカードの普及・活用」に該当する施策がありません。" in text
    body = r.content.decode()
    assert '<table class="heat stack">' in body and "<caption>" in body and 'scope="row"' in body
    # on a phone each pillar is a card: every count is headed by its 重点分野 (or 計)
    heat = body[body.index('<table class="heat stack">') : body.index("</table>")]
    assert heat.count("<td") == heat.count("data-label=") and 'data-label="計"' in heat
    assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body


def test_coverage_counts_measures_without_pillar_or_area() -> None:
    row = plan_save(
        make_plan(
            2,
            measures=[
                make_measure(1, pillars=[]),
                make_measure(2, pillars=[core.PillarRef(code="A"), core.PillarRef(code="B")]),
            ],
        ),
        now=NOW,
    )
    cov = portal.plan_coverage(row.pk)
    assert cov.pillars[-1] == ""
    assert cov.counts[-1][-1] == 1 and cov.counts[0][-1] == 1 and cov.counts[1][-1] == 1
    assert cov.area_totals[-1] == 2 and cov.measures == 2


def test_gantt_page_svg_and_table(client: Client) -> None:
    row = plan_save(make_plan(4), now=NOW)
    r = client.get(f"/plans/{row.pk}/gantt/")
    assert r.status_code == 200
    body = r.content.decode()
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 1
    assert XSS not in body
    table = body[body.index('<table class="list gantt-table stack">') :]
    assert table.count('<th scope="row">') == 4
    # on a phone each measure is a card: 「令和7年度 (2025)：…」 per year
    assert table.count('<td data-label="令和7年度 (2025)">') == 4
    assert "令和7年度 (2025)" in table and "令和11年度 (2029)" in table
    svg = client.get(f"/plans/{row.pk}/gantt.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<title" in svg.content
    g = portal.plan_gantt(row.pk)
    assert g.years == [2025, 2026, 2027, 2028, 2029] and len(g.lines) == 4


def test_pages_in_english(client: Client) -> None:
    row = plan_save(make_plan(2), now=NOW)
    r = client.get(f"/plans/{row.pk}/coverage/", headers={"accept-language": "en"})
    assert r.status_code == 200
    body = r.content.decode()
    assert '<html lang="en">' in body and "Pillars and priority areas" in body
