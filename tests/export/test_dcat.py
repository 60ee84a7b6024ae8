"""The open-data catalogue: DCAT-AP 3.0 shapes (pyshacl), what ckanext-dcat's harvester reads, the routes,
the settings (licence, public address) and the demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.test import Client
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF

from keikaku.config import CC_BY_4
from keikaku.export import dcat
from keikaku.export.dcat import DCAT, HYDRA, VCARD
from keikaku.services.demo import demo_load
from keikaku.services.plans import plan_save
from tests.export.harvest import ckan_datasets, conforms, violated_paths, without_paging
from tests.factories import XSS, make_plan

ROOT = Path(__file__).resolve().parent.parent.parent
NOW = datetime(2026, 4, 1, tzinfo=UTC)
BASE = "https://keikaku.example.lg.jp"


# --- pure: the graph from plain data -----------------------------------------------------------------


def _catalogue(**dataset_kw) -> dcat.Catalogue:
    org = dcat.Agent(uri=f"{BASE}/orgs/221309/#org", name="静岡県テスト市", identifier="221309")
    ds = dcat.Dataset(
        uri=f"{BASE}/plans/7/#dataset",
        landing_page=f"{BASE}/plans/7/",
        identifier="221309-plan-7",
        title=f"計画{XSS}",
        description=f'説明{XSS} "引用" \\ 改行\n\tタブ\r',  # Turtle's escapes
        publisher=org,
        modified=NOW,
        issued="2025-04",
        start=date(2025, 4, 1),
        end=date(2030, 3, 31),
        keywords=("オンライン化原則", "電子行政"),
        contact=dcat.Contact("情報政策課", email="joho@example.lg.jp", phone="054 000 0000"),
        licence=CC_BY_4,
        version="1.0",
        distributions=(
            dcat.Distribution(
                f"{BASE}/plans/7/plan.json", "JSON", "計画データ", "application/json", "JSON", 123
            ),
            dcat.Distribution(f"{BASE}/plans/7/measures.csv", "CSV", "施策", "text/csv", "CSV", None),
        ),
    )
    ds = dcat.Dataset(**{**ds.__dict__, **dataset_kw})
    return dcat.Catalogue(
        uri=f"{BASE}/#catalog",
        title="カタログ",
        description="説明",
        publisher=org,
        homepage=f"{BASE}/",
        modified=NOW,
        licence=CC_BY_4,
        datasets=[ds],
    )


def test_graph_conforms_and_keeps_text_as_data() -> None:
    g = dcat.catalogue_graph(_catalogue())
    ok, report = conforms(g)
    assert ok, report
    ds = URIRef(f"{BASE}/plans/7/#dataset")
    assert str(g.value(ds, DCTERMS.title)) == f"計画{XSS}"  # RDF literals, escaped by the serialisers
    turtle = dcat.catalogue_turtle(_catalogue())
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), g)
    assert isomorphic(Graph().parse(data=dcat.catalogue_jsonld(_catalogue()), format="json-ld"), g)
    size = g.value(URIRef(f"{BASE}/plans/7/plan.json#distribution"), DCAT.byteSize)
    assert size is not None and size.toPython() == 123
    assert g.value(URIRef(f"{BASE}/plans/7/measures.csv#distribution"), DCAT.byteSize) is None  # unknown
    contact = g.value(ds, DCAT.contactPoint)
    assert g.value(contact, VCARD.hasTelephone) == URIRef("tel:0540000000")


@pytest.mark.parametrize(
    "drop",
    [
        (URIRef(f"{BASE}/plans/7/#dataset"), DCTERMS.description),
        (URIRef(f"{BASE}/plans/7/#dataset"), DCTERMS.title),
        (URIRef(f"{BASE}/#catalog"), DCTERMS.publisher),
        (URIRef(f"{BASE}/#catalog"), DCAT.dataset),
        (URIRef(f"{BASE}/plans/7/plan.json#distribution"), DCAT.accessURL),
        (URIRef(f"{BASE}/orgs/221309/#org"), FOAF.name),
    ],
    ids=[
        "dataset description",
        "dataset title",
        "catalogue publisher",
        "catalogue datasets",
        "access URL",
        "agent name",
    ],
)
def test_the_shapes_catch_a_missing_mandatory_property(drop) -> None:
    g = dcat.catalogue_graph(_catalogue())
    g.remove((drop[0], drop[1], None))
    assert violated_paths(g) == {str(drop[1])}


def test_the_shapes_catch_wrong_kinds() -> None:
    g = dcat.catalogue_graph(_catalogue())
    dist = URIRef(f"{BASE}/plans/7/plan.json#distribution")
    g.set((dist, DCAT.byteSize, Literal("large")))
    assert not conforms(g)[0]
    g = dcat.catalogue_graph(_catalogue())
    g.set((URIRef(f"{BASE}/plans/7/#dataset"), DCTERMS.issued, Literal("令和7年4月")))
    assert not conforms(g)[0]
    g = dcat.catalogue_graph(_catalogue())
    g.add((URIRef(f"{BASE}/plans/7/#dataset"), DCTERMS.publisher, BNode()))  # a second, untyped publisher
    assert not conforms(g)[0]


def test_the_same_catalogue_gives_the_same_text() -> None:
    """Harvesters and the static copy compare files: no random blank-node ids, no hash order."""
    assert dcat.catalogue_turtle(_catalogue()) == dcat.catalogue_turtle(_catalogue())
    text = dcat.catalogue_jsonld(_catalogue())
    assert text == dcat.catalogue_jsonld(_catalogue())
    ids = [n.get("@id", "") for n in json.loads(text)["@graph"]]
    assert ids == sorted(ids)
    # and in another process, whose string hashing (and so rdflib's set order) differs
    script = (
        "import sys; sys.path.insert(0, '.'); from keikaku.export import dcat; from datetime import datetime, UTC; "
        "a = dcat.Agent('https://x.example/orgs/1/#org', '市'); "
        "d = dcat.Dataset('https://x.example/p/#dataset', 'https://x.example/p/', 'i', 't', 'd', a, datetime(2026, 1, 1, tzinfo=UTC), "
        "keywords=tuple('abcdefgh'), contact=dcat.Contact('課'), start=datetime(2025, 4, 1).date(), "
        "distributions=tuple(dcat.Distribution(f'https://x.example/p/{n}', n, n, 'text/csv', 'CSV', 1) for n in 'uvwxyz')); "
        "c = dcat.Catalogue('https://x.example/#c', 'c', 'c', a, 'https://x.example/', None, None, datasets=[d]); "
        "print(dcat.catalogue_jsonld(c), dcat.catalogue_turtle(c))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1 and "dcat:Catalog" in runs.pop()


def test_json_for_script_cannot_end_the_block() -> None:
    text = dcat.json_for_script({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}


# --- the routes ---------------------------------------------------------------------------------------


def _plans() -> tuple:
    a = plan_save(make_plan(3, org="テスト市A"), now=NOW)
    a.organisation.code = "221309"
    a.organisation.save()
    a.contact = {"section": f"情報政策課{XSS}", "phone": "054-000-0000", "email": "joho@example.lg.jp"}
    a.save()
    b = plan_save(make_plan(2, org="テスト町B", prefecture="岡山県"), now=NOW)
    b.organisation.code = "336998"
    b.organisation.save()
    draft = plan_save(make_plan(1, org="テスト市A"), now=NOW, status="draft")
    return a, b, draft


@pytest.mark.django_db
def test_catalogue_lists_every_published_plan_as_ckan_reads_it(client: Client) -> None:
    a, b, draft = _plans()
    r = client.get("/catalog.ttl")
    assert r.status_code == 200 and r["Content-Type"] == "text/turtle; charset=utf-8"
    g = Graph().parse(data=r.content.decode("utf-8"), format="turtle")
    ok, report = conforms(g)
    assert ok, report
    j = client.get("/catalog.jsonld")
    assert j["Content-Type"] == "application/ld+json; charset=utf-8"
    jg = Graph().parse(data=j.content.decode("utf-8"), format="json-ld")
    assert isomorphic(without_paging(jg), without_paging(g))  # the same but for the pages' own URLs
    assert str(jg.value(None, RDF.type, HYDRA.PartialCollectionView)) == "http://testserver/catalog.jsonld"

    datasets = {d["uri"]: d for d in ckan_datasets(g)}
    assert set(datasets) == {f"http://testserver/plans/{p.pk}/#dataset" for p in (a, b)}  # no draft
    d = datasets[f"http://testserver/plans/{a.pk}/#dataset"]
    assert d["title"] == a.title and XSS in d["title"]
    assert "テスト市A" in d["notes"] and "施策 3 件" in d["notes"]
    assert d["url"] == f"http://testserver/plans/{a.pk}/"
    assert d["publisher_name"] == "静岡県テスト市A" and d["publisher_identifier"] == "221309"
    assert d["publisher_uri"] == "http://testserver/orgs/221309/#org"
    assert d["contact_name"] == f"情報政策課{XSS}" and d["contact_email"] == "joho@example.lg.jp"
    assert (d["temporal_start"], d["temporal_end"]) == ("2025-04-01", "2030-03-31")
    assert d["issued"] == "2025-04" and d["modified"].startswith(a.updated_at.date().isoformat())
    assert {"官民データ活用推進計画", "オープンデータの推進", "マイナンバーカードの普及・活用"} <= set(
        d["tags"]
    )
    assert d["theme"] == ["http://publications.europa.eu/resource/authority/data-theme/GOVE"]
    assert d["identifier"] == f"221309-plan-{a.pk}"

    resources = {res["url"].rsplit("/", 1)[1]: res for res in d["resources"]}
    assert {"plan.json", "measures.csv", "kpis.csv", "schedule.csv"} <= set(resources)
    for name, res in resources.items():
        served = client.get(res["url"].removeprefix("http://testserver"))
        assert served.status_code == 200, name
        assert res["license"] == CC_BY_4 and res["access_url"] == res["url"]
        assert (
            res["mimetype"]
            == "http://www.iana.org/assignments/media-types/" + served["Content-Type"].split(";")[0]
        )
        if res["size"] is not None:
            assert res["size"] == len(served.content), name
    assert resources["plan.json"]["size"] and resources["measures.csv"]["size"]
    assert resources["measures.csv"]["format"].endswith("/file-type/CSV")


@pytest.mark.django_db
def test_organisation_catalogue(client: Client) -> None:
    a, b, _ = _plans()
    g = Graph().parse(data=client.get("/orgs/336998/catalog.ttl").content.decode("utf-8"), format="turtle")
    assert conforms(g)[0]
    assert [d["uri"] for d in ckan_datasets(g)] == [f"http://testserver/plans/{b.pk}/#dataset"]
    cat = next(g.subjects(RDF.type, DCAT.Catalog))
    assert str(cat) == "http://testserver/orgs/336998/#catalog"
    assert g.value(cat, DCTERMS.publisher) == URIRef("http://testserver/orgs/336998/#org")
    assert client.get("/orgs/336998/catalog.jsonld").status_code == 200
    page = client.get("/orgs/336998/").content.decode("utf-8")  # the organisation's page links to it
    assert 'href="/orgs/336998/catalog.ttl"' in page and f'href="/plans/{b.pk}/"' in page
    assert f'href="/plans/{a.pk}/"' not in page
    assert client.get("/orgs/999999/").status_code == 404
    assert client.get("/orgs/999999/catalog.ttl").status_code == 404
    assert client.get("/orgs/336998/catalog.rdf").status_code == 404
    assert client.post("/catalog.ttl").status_code == 405


@pytest.mark.django_db
def test_settings_public_address_licence_and_publisher(client: Client, settings) -> None:
    a, b, _ = _plans()
    settings.KEIKAKU_PUBLIC_URL = BASE
    settings.KEIKAKU_OPEN_DATA_LICENSE = (
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
    )
    settings.KEIKAKU_CATALOG_PUBLISHER = "テスト県 情報政策課"
    g = Graph().parse(data=client.get("/catalog.ttl").content.decode("utf-8"), format="turtle")
    assert conforms(g)[0]
    res = ckan_datasets(g)[0]["resources"][0]
    assert res["url"].startswith(BASE + "/plans/")
    assert res["license"] == settings.KEIKAKU_OPEN_DATA_LICENSE
    cat = next(g.subjects(RDF.type, DCAT.Catalog))
    assert str(g.value(g.value(cat, DCTERMS.publisher), FOAF.name)) == "テスト県 情報政策課"


@pytest.mark.django_db
def test_demo_catalogue_passes_the_shapes(client: Client) -> None:
    demo_load(now=NOW)
    g = Graph().parse(data=client.get("/catalog.ttl").content.decode("utf-8"), format="turtle")
    ok, report = conforms(g)
    assert ok, report
    datasets = ckan_datasets(g)
    assert len(datasets) == 2 and all(len(d["resources"]) >= 4 for d in datasets)


@pytest.mark.django_db
def test_byte_sizes_are_computed_for_a_bounded_number_of_plans_a_request(client: Client) -> None:
    from keikaku.services.open_data import catalogue_read
    from keikaku.web.portal.catalogue_views import downloads

    _plans()

    def sized() -> int:
        cat = catalogue_read(base_url=BASE, downloads=downloads(), licence=CC_BY_4, sized_per_request=1)
        return sum(1 for ds in cat.datasets if any(d.byte_size for d in ds.distributions))

    assert [sized(), sized(), sized()] == [1, 2, 2]  # one more plan measured each time, then all known
