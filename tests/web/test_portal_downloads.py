"""Downloads: plan JSON, CSV tables (BOM, Excel-safe), the JSON Schema at its stable URL; comparison."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from keikaku.core import plan as core
from keikaku.core.schema import SCHEMA_DIR
from keikaku.export.csv import KPI_COLUMNS, MEASURE_COLUMNS, SCHEDULE_COLUMNS, plan_csv, safe_cell
from keikaku.services import portal
from keikaku.services.plans import plan_save
from tests.factories import XSS, make_measure, make_plan

NOW = datetime(2026, 4, 1, tzinfo=UTC)


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_tables_from_a_plan() -> None:
    plan = make_plan(
        3,
        measures=[
            make_measure(1, priority_areas=["電子行政", "観光"], priority=True),
            make_measure(2, kpis=[core.Kpi(indicator="研修の実施", direction=core.Direction.QUALITATIVE)]),
            make_measure(3, schedule=[]),
        ],
    )
    measures = _rows(plan_csv(plan, "measures"))
    assert tuple(measures[0]) == MEASURE_COLUMNS
    assert len(measures) == 4
    first = dict(zip(MEASURE_COLUMNS, measures[1], strict=True))
    assert first["施策名"] == plan.measures[0].title and XSS in first["施策名"]  # data kept as it is
    assert first["重点分野"] == "電子行政|観光" and first["重点取組"] == "1" and first["KPI数"] == "1"
    kpis = _rows(plan_csv(plan, "kpis"))
    assert tuple(kpis[0]) == KPI_COLUMNS
    assert len(kpis) == 1 + 3  # one target row for KPI 1 and 3, one row without target for KPI 2
    assert kpis[2][2] == "研修の実施" and kpis[2][7] == ""
    assert kpis[1][5:] == ["10件", "2024", "40件", "2027"]
    schedule = _rows(plan_csv(plan, "schedule"))
    assert tuple(schedule[0]) == SCHEDULE_COLUMNS and len(schedule) == 1 + 3 + 3
    assert plan_csv(plan, "schedule").count("\r\n") == 7
    with pytest.raises(ValueError):
        plan_csv(plan, "other")


def test_csv_cells_cannot_become_formulas() -> None:
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+1+2") == "'+1+2" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-5") == "-5" and safe_cell("-3.5") == "-3.5"
    assert safe_cell(None) == "" and safe_cell(True) == "1" and safe_cell(2025) == "2025"
    plan = make_plan(1, measures=[make_measure(1, title="=1+1 施策", departments=["-課"])])
    row = _rows(plan_csv(plan))[1]
    assert row[2] == "'=1+1 施策" and row[8] == "'-課"


@pytest.mark.django_db
def test_download_urls(client: Client) -> None:
    row = plan_save(make_plan(3), now=NOW)
    for table, n in (("measures", 4), ("kpis", 4), ("schedule", 10)):
        r = client.get(f"/plans/{row.pk}/{table}.csv")
        assert r.status_code == 200
        assert r["Content-Type"] == "text/csv; charset=utf-8"
        assert r["Content-Disposition"] == f'attachment; filename="plan-{row.pk}-{table}.csv"'
        assert r.content.startswith("\ufeff".encode())
        assert len(_rows(r.content.decode("utf-8"))) == n
    assert client.get(f"/plans/{row.pk}/other.csv").status_code == 404
    data = client.get(f"/plans/{row.pk}/plan.json")
    assert data["Content-Type"] == "application/json; charset=utf-8"
    assert (
        "\\u" not in data.content.decode()
        and data.json()["measures"][0]["title"] == row.measures.first().title
    )
    draft = plan_save(make_plan(1, org="下書き町"), now=NOW, status="draft")
    for url in (f"/plans/{draft.pk}/measures.csv", f"/plans/{draft.pk}/plan.json", "/plans/999999/kpis.csv"):
        assert client.get(url).status_code == 404


def test_schema_at_a_stable_url(client: Client) -> None:
    r = client.get("/schema/plan-v1.schema.json")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/schema+json")
    assert r.content == (SCHEMA_DIR / "plan-v1.schema.json").read_bytes()
    assert json.loads(r.content)["$id"].endswith("/schema/plan-v1.schema.json")
    assert client.get("/schema/catalogue-v1.schema.json").status_code == 200
    for bad in ("/schema/nothing.schema.json", "/schema/..%2Fplan.py", "/schema/plan-v1.schema.json.bak"):
        assert client.get(bad).status_code == 404


@pytest.mark.django_db
def test_compare_plans_pairs_shared_measures(client: Client) -> None:
    a = plan_save(
        make_plan(
            0,
            org="みどり市",
            measures=[
                make_measure(
                    1, title="行政手続のオンライン化の拡大", description="電子申請の手続を増やします。"
                ),
                make_measure(2, title="オープンデータの公開拡充", description="データセットを増やします。"),
                make_measure(3, title="スマート農業の導入支援", description="農家を支援します。"),
            ],
        ),
        now=NOW,
    )
    b = plan_save(
        make_plan(
            0,
            org="さくら町",
            measures=[
                make_measure(1, title="オープンデータの公開", description="データセットを公開します。"),
                make_measure(
                    2, title="電子申請による行政手続のオンライン化", description="電子申請を拡大します。"
                ),
                make_measure(3, title="高齢者向けスマホ相談会", description="相談会を開きます。"),
            ],
        ),
        now=NOW,
    )
    result = portal.plans_compare([a.pk, b.pk])
    pair = result.pairs[0]
    assert [(s.a.title, s.b.title) for s in pair.shared] == [
        ("行政手続のオンライン化の拡大", "電子申請による行政手続のオンライン化"),
        ("オープンデータの公開拡充", "オープンデータの公開"),
    ]
    assert [r.title for r in pair.only_a] == ["スマート農業の導入支援"]
    assert [r.title for r in pair.only_b] == ["高齢者向けスマホ相談会"]
    assert [c.measures for c in result.plans] == [3, 3]
    r = client.get("/compare/", {"plans": [a.pk, b.pk]})
    assert r.status_code == 200
    body = r.content.decode()
    assert "共通の施策（2 組）" in body and "みどり市 だけにある施策（1 件）" in body
    assert XSS not in body
    # three plans: the first is compared with each other one
    c = plan_save(make_plan(2, org="あおば村"), now=NOW)
    assert len(portal.plans_compare([a.pk, b.pk, c.pk]).pairs) == 2
    with pytest.raises(ValueError):
        portal.plans_compare([a.pk])


@pytest.mark.django_db
def test_compare_form_and_bad_input(client: Client) -> None:
    a = plan_save(make_plan(1, org="一の町"), now=NOW)
    b = plan_save(make_plan(1, org="二の町"), now=NOW)
    form = client.get("/compare/")
    assert form.status_code == 200 and '<label for="f-plan-1">' in form.content.decode()
    one = client.get("/compare/", {"plans": a.pk})
    assert one.status_code == 200 and f'<option value="{a.pk}" selected>' in one.content.decode()
    assert client.get("/compare/", {"plans": [a.pk, a.pk]}).status_code == 200  # duplicates collapse: a form
    assert client.get("/compare/", {"plans": [a.pk, 999999]}).status_code == 404
    for bad in (["1 OR 1=1"], ["<script>"], ["-1"], ["9" * 40], ["１"]):
        r = client.get("/compare/", {"plans": [a.pk, *bad]})
        assert r.status_code == 400 and b"<script>" not in r.content
    many = [plan_save(make_plan(1, org=f"町{i}"), now=NOW).pk for i in range(5)]
    assert client.get("/compare/", {"plans": [a.pk, *many]}).status_code == 400
    draft = plan_save(make_plan(1, org="下書き町"), now=NOW, status="draft")
    assert client.get("/compare/", {"plans": [a.pk, draft.pk]}).status_code == 404
    assert client.get("/compare/", {"plans": [a.pk, b.pk]}).status_code == 200
