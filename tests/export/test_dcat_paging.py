"""The catalogues in pages (KEIKAKU_CATALOG_PAGE_SIZE, ``?page=N``, Hydra links): a harvester that follows
hydra:next as ckanext-dcat's does gets every published plan exactly once, each page valid DCAT-AP; bad
pages are 404; the static export writes the pages as files whose links a harvester can follow."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from keikaku.export.dcat import DCAT, HYDRA
from keikaku.services.plans import plan_save
from keikaku.web import static_site
from tests.export.harvest import ckan_datasets, conforms, harvest
from tests.factories import make_plan

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 1, tzinfo=UTC)
BASE = "https://keikaku.example.lg.jp"
TESTSERVER = "http://testserver"


def _plans() -> dict[str, list[int]]:
    """Seven published plans of three organisations (saved out of code order) and a draft; the plan ids by
    団体コード."""
    out: dict[str, list[int]] = {}
    for code, org, prefecture, n in (
        ("336998", "テスト町B", "岡山県", 2),
        ("221309", "テスト市A", "静岡県", 3),
        ("011002", "テスト市C", "北海道", 2),
    ):
        for i in range(n):
            row = plan_save(make_plan(1 + i, org=org, prefecture=prefecture), now=NOW)
            row.organisation.code = code
            row.organisation.save()
            out.setdefault(code, []).append(row.pk)
    plan_save(make_plan(1, org="テスト市A"), now=NOW, status="draft")
    return out


def _in_order(ids: dict[str, list[int]]) -> list[str]:
    """The dataset URIs in the catalogue's order: by 団体コード, then plan id."""
    return [f"{TESTSERVER}/plans/{pk}/#dataset" for code in sorted(ids) for pk in sorted(ids[code])]


def _live(client: Client):
    def get(url: str) -> tuple[str, str]:
        assert url.startswith(TESTSERVER + "/"), url  # absolute: the harvester parses without a base
        r = client.get(url.removeprefix(TESTSERVER))
        assert r.status_code == 200, url
        return r.content.decode("utf-8"), r["Content-Type"]

    return get


def _view(g: Graph) -> URIRef:
    views = list(g.subjects(RDF.type, HYDRA.PartialCollectionView))
    assert len(views) == 1
    return views[0]


def _link(g: Graph, p) -> str | None:
    value = g.value(_view(g), p)
    return str(value) if value is not None else None


def _dataset_uris(pages: list[Graph]) -> list[str]:
    """The datasets of each page as the harvester takes them, in the catalogue's order (its dcat:dataset
    links are a set: order them as the pages were cut)."""
    out = []
    for g in pages:
        out += sorted((d["uri"] for d in ckan_datasets(g)), key=lambda u: int(u.split("/")[-2]))
    return out


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_following_next_visits_every_published_plan_once(client: Client, settings, fmt: str) -> None:
    settings.KEIKAKU_CATALOG_PAGE_SIZE = 3
    ids = _plans()
    url = f"{TESTSERVER}/catalog.{fmt}"
    pages = harvest(_live(client), url)
    assert len(pages) == 3  # 7 plans, 3 a page
    expected = _in_order(ids)
    seen = [d["uri"] for g in pages for d in ckan_datasets(g)]
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))  # each once, no draft
    assert [len(ckan_datasets(g)) for g in pages] == [3, 3, 1]
    # the cut follows 団体コード then plan id: page 1 has exactly the first three
    assert {d["uri"] for d in ckan_datasets(pages[0])} == set(expected[:3])
    assert {d["uri"] for d in ckan_datasets(pages[2])} == set(expected[6:])
    for n, g in enumerate(pages, start=1):
        ok, report = conforms(g)
        assert ok, (n, report)
        view = _view(g)
        assert str(view) == (url if n == 1 else f"{url}?page={n}")
        catalogue = next(g.subjects(RDF.type, DCAT.Catalog))
        assert g.value(catalogue, HYDRA.view) == view
        assert int(g.value(view, HYDRA.totalItems)) == 7 and int(g.value(view, HYDRA.itemsPerPage)) == 3
        assert (_link(g, HYDRA.first), _link(g, HYDRA.last)) == (url, f"{url}?page=3")
        assert _link(g, HYDRA.previous) == (None if n == 1 else url if n == 2 else f"{url}?page={n - 1}")
        assert _link(g, HYDRA.next) == (f"{url}?page={n + 1}" if n < 3 else None)
        assert "団体 3、計画 7 件" in str(g.value(catalogue, DCTERMS.description))  # the whole catalogue
        assert set(g.objects(catalogue, DCAT.dataset)) == set(g.subjects(RDF.type, DCAT.Dataset))
    # page 1 is the catalogue's own URL, ?page=1 the same document
    assert client.get(f"/catalog.{fmt}?page=1").content == client.get(f"/catalog.{fmt}").content


def test_pages_that_do_not_exist_are_404(client: Client, settings) -> None:
    settings.KEIKAKU_CATALOG_PAGE_SIZE = 3
    ids = _plans()
    assert client.get("/catalog.ttl?page=3").status_code == 200
    for query in ("4", "0", "-1", "01", "abc", "1.5", "", "9" * 40, "2&page=3"):
        for path in ("/catalog.ttl", "/catalog.jsonld"):
            assert client.get(f"{path}?page={query}").status_code == 404, (path, query)
    # one organisation's catalogue: 3 plans, one page of 3
    assert client.get("/orgs/221309/catalog.ttl?page=2").status_code == 404
    settings.KEIKAKU_CATALOG_PAGE_SIZE = 2
    pages = harvest(_live(client), f"{TESTSERVER}/orgs/221309/catalog.ttl")
    assert [len(ckan_datasets(g)) for g in pages] == [2, 1]
    assert sorted(_dataset_uris(pages)) == sorted(_in_order({"221309": ids["221309"]}))
    assert int(pages[0].value(_view(pages[0]), HYDRA.totalItems)) == 3
    assert client.get("/orgs/221309/catalog.jsonld?page=3").status_code == 404


def test_an_empty_catalogue_is_one_empty_page_and_size_0_is_one_document(client: Client, settings) -> None:
    g = Graph().parse(data=client.get("/catalog.ttl").content.decode("utf-8"), format="turtle")
    assert ckan_datasets(g) == [] and int(g.value(_view(g), HYDRA.totalItems)) == 0
    assert _link(g, HYDRA.next) is None and _link(g, HYDRA.last) == f"{TESTSERVER}/catalog.ttl"
    assert client.get("/catalog.ttl?page=2").status_code == 404

    ids = _plans()
    settings.KEIKAKU_CATALOG_PAGE_SIZE = 0  # not paged: every plan in one document, no Hydra
    g = Graph().parse(data=client.get("/catalog.ttl").content.decode("utf-8"), format="turtle")
    assert sorted(d["uri"] for d in ckan_datasets(g)) == sorted(_in_order(ids))
    assert not list(g.subjects(RDF.type, HYDRA.PartialCollectionView))
    assert client.get("/catalog.ttl?page=2").status_code == 404


def test_the_static_export_writes_every_page_with_links_a_harvester_follows(
    tmp_path: Path, client: Client, settings
) -> None:
    settings.KEIKAKU_CATALOG_PAGE_SIZE = 3
    ids = _plans()
    site = static_site.export_site(tmp_path, base_url=BASE + "/portal")  # served below a path
    assert site.skipped == []
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("catalog*") if p.is_file()}
    assert {"catalog.ttl", "catalog-2.ttl", "catalog-3.ttl", "catalog.jsonld", "catalog-3.jsonld"} <= files
    assert "catalog-4.ttl" not in files
    assert {"orgs/221309/catalog.ttl", "orgs/336998/catalog.jsonld"} <= files
    assert "orgs/221309/catalog-2.ttl" not in files  # 3 plans: one page

    def get(url: str) -> tuple[str, str]:  # a plain static file server at the public address
        assert url.startswith(BASE + "/portal/"), url
        path = tmp_path / url.removeprefix(BASE + "/portal/")
        kind = "text/turtle" if path.suffix == ".ttl" else "application/ld+json"
        return path.read_text(encoding="utf-8"), kind

    live = harvest(_live(client), f"{TESTSERVER}/catalog.ttl")
    for fmt in ("ttl", "jsonld"):
        pages = harvest(get, f"{BASE}/portal/catalog.{fmt}")
        assert len(pages) == 3
        uris = [d["uri"] for g in pages for d in ckan_datasets(g)]
        prefix = f"{BASE}/portal/plans/"
        assert sorted(uris) == sorted(u.replace(f"{TESTSERVER}/plans/", prefix) for u in _in_order(ids))
        assert len(uris) == len(set(uris))
        for n, (g, served) in enumerate(zip(pages, live, strict=True), start=1):
            assert conforms(g)[0], n
            assert {d["uri"].removeprefix(prefix) for d in ckan_datasets(g)} == {
                d["uri"].removeprefix(f"{TESTSERVER}/plans/") for d in ckan_datasets(served)
            }  # the same cut as the live pages
            assert _link(g, HYDRA.last) == f"{BASE}/portal/catalog-3.{fmt}"
            assert int(g.value(_view(g), HYDRA.totalItems)) == 7
