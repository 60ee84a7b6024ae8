"""The PDCA API reads a KPI actual by the same rule as the form and the workbook (keikaku.core.actuals)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from keikaku.db.progress import models as gm
from tests.people import People, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> People:
    return make_people()


def _put(p: People, actual: dict) -> tuple[int, dict]:
    kpi = p.bob_measure.kpis.first()
    r = Client().put(
        f"/api/periods/{p.period_a.pk}/measures/{p.bob_measure.pk}/progress",
        data=json.dumps({"revision": 0, "status": "順調", "actuals": [{"kpi_id": kpi.pk, **actual}]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {p.tokens['bob']}"},
    )
    return r.status_code, r.json()


def test_api_actuals_follow_the_one_rule(people: People) -> None:
    p = people  # the factories' KPIs count 件
    status, body = _put(p, {"text": "実施"})
    assert status == 400 and "数値の指標" in body["detail"]
    status, body = _put(p, {"number": "3", "unit": "％"})
    assert status == 400 and "単位「%」" in body["detail"]
    assert not gm.ProgressReport.objects.exists()
    status, body = _put(p, {"text": "１．２万 件"})
    assert status == 200 and body["actuals"][0]["number"] in ("12000", 12000, "12000.0000")
    stored = gm.KpiActual.objects.get()
    assert (stored.value_number, stored.unit, stored.value_text) == (Decimal("12000"), "件", "")
