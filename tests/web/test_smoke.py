"""The whole stack serves: home lists plans, a plan page renders, everything escaped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from keikaku.services.plans import plan_save
from tests.factories import XSS, make_plan

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def test_home_and_plan_page(client: Client) -> None:
    row = plan_save(make_plan(4), now=NOW)
    home = client.get("/")
    assert home.status_code == 200
    body = home.content.decode()
    assert f"/plans/{row.pk}/" in body
    assert XSS not in body and "&lt;script&gt;" in body
    page = client.get(f"/plans/{row.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert XSS not in text
    assert "令和7年度 (2025)" in text
    assert text.count("<tr>") >= 5
    assert client.get(f"/plans/{row.pk}/plan.json").json()["title"] == row.title


def test_unknown_and_draft_plans_are_404(client: Client) -> None:
    row = plan_save(make_plan(1), now=NOW, status="draft")
    assert client.get(f"/plans/{row.pk}/").status_code == 404
    assert client.get("/plans/999999/").status_code == 404


def test_english_is_available(client: Client) -> None:
    r = client.get("/", headers={"accept-language": "en"})
    assert r.status_code == 200
    assert '<html lang="en">' in r.content.decode()


def test_admin_lists_measures(admin_client: Client) -> None:
    row = plan_save(make_plan(2), now=NOW)
    measure = row.measures.first()
    r = admin_client.get(f"/admin/plans/measure/{measure.pk}/change/")
    assert r.status_code == 200
    assert "出典の抜粋" in r.content.decode()


def test_every_domain_model_is_in_the_admin() -> None:
    from django.apps import apps
    from django.contrib import admin

    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in ("plans", "progress", "accounts")
        and not m.__name__.startswith("Historical")
        and not admin.site.is_registered(m)
    ]
    assert missing == []


def test_admin_pages_of_pdca_models_render(admin_client: Client) -> None:
    for url in (
        "/admin/progress/progressreport/",
        "/admin/progress/reportingperiod/",
        "/admin/accounts/membership/",
    ):
        assert admin_client.get(url).status_code == 200
