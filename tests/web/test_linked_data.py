"""Linked data on the pages: the plan page's schema.org Dataset and the measure page's CreativeWork, with
the catalogue's URIs, in an inline JSON-LD block that no title can break out of."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from rdflib import Graph
from rdflib.namespace import RDF

from keikaku.export.dcat import DCAT
from keikaku.services.plans import plan_save
from tests.factories import XSS, make_plan

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, tzinfo=UTC)
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _json_ld(html: str) -> dict:
    blocks = BLOCK.findall(html)
    assert len(blocks) == 1
    assert "<" not in blocks[0]  # nothing in it can close the block or open a comment
    return json.loads(blocks[0])


def _catalogue_datasets(client: Client) -> set[str]:
    g = Graph().parse(data=client.get("/catalog.ttl").content.decode("utf-8"), format="turtle")
    return {str(s) for s in g.subjects(RDF.type, DCAT.Dataset)}


def test_plan_page_carries_the_catalogue_dataset(client: Client) -> None:
    row = plan_save(make_plan(3), now=NOW)
    html = client.get(f"/plans/{row.pk}/").content.decode("utf-8")
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["@id"] == f"http://testserver/plans/{row.pk}/#dataset"
    assert data["@id"] in _catalogue_datasets(client)
    assert data["name"] == row.title and XSS in data["name"]  # the text as it is, escaped as JSON
    assert data["url"] == f"http://testserver/plans/{row.pk}/"
    assert data["temporalCoverage"] == "2025-04-01/2030-03-31"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    downloads = {d["contentUrl"].rsplit("/", 1)[1]: d for d in data["distribution"]}
    assert {"plan.json", "measures.csv", "kpis.csv", "schedule.csv"} <= set(downloads)
    assert downloads["plan.json"]["encodingFormat"] == "application/json"
    assert downloads["measures.csv"]["@id"] == f"http://testserver/plans/{row.pk}/measures.csv#distribution"
    # the factories' <script> stays inert: the only <script> elements are the data block
    assert re.findall(r"<script\b[^>]*>", html) == ['<script type="application/ld+json">']


def test_measure_page_is_part_of_the_plan(client: Client, settings) -> None:
    settings.KEIKAKU_PUBLIC_URL = "https://keikaku.example.lg.jp"
    row = plan_save(make_plan(2), now=NOW)
    ms = row.measures.order_by("order").first()
    html = client.get(f"/measures/{ms.pk}/").content.decode("utf-8")
    data = _json_ld(html)
    assert data["@type"] == "CreativeWork"
    assert data["@id"] == f"https://keikaku.example.lg.jp/measures/{ms.pk}/#measure"
    assert data["isPartOf"]["@id"] == f"https://keikaku.example.lg.jp/plans/{row.pk}/#dataset"
    assert data["isPartOf"]["@id"] in _catalogue_datasets(client)
    assert data["name"] == f"{ms.key} {ms.title}" and data["identifier"] == ms.key
    assert data["publisher"]["name"] == "静岡県テスト市A"
    assert re.findall(r"<script\b[^>]*>", html) == ['<script type="application/ld+json">']


def test_the_plan_page_cache_keeps_the_address_apart(client: Client) -> None:
    """Without KEIKAKU_PUBLIC_URL the URIs follow the address asked: the cached page body of one host
    must not give its URIs to another."""
    row = plan_save(make_plan(1), now=NOW)
    first = _json_ld(client.get(f"/plans/{row.pk}/").content.decode("utf-8"))
    second = _json_ld(client.get(f"/plans/{row.pk}/", HTTP_HOST="localhost").content.decode("utf-8"))
    assert first["@id"] == f"http://testserver/plans/{row.pk}/#dataset"
    assert second["@id"] == f"http://localhost/plans/{row.pk}/#dataset"
