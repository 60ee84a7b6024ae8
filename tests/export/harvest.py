"""The open-data catalogue read as CKAN reads it: ckanext-dcat's RDF harvester (harvesters/rdf.py,
gather_stage: fetch, parse, take the datasets, follow the Hydra next link) and its euro_dcat_ap profiles
(profiles/base.py, euro_dcat_ap_base.py); and the DCAT-AP 3.0 SHACL shapes. Shared by the catalogue tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS

from keikaku.export.dcat import DCAT, HYDRA, VCARD

SHAPES = Graph().parse(Path(__file__).with_name("dcat_ap_3_shapes.ttl"), format="turtle")
SH = "http://www.w3.org/ns/shacl#"


def conforms(g: Graph) -> tuple[bool, str]:
    ok, _, text = validate(g, shacl_graph=SHAPES, inference="none", allow_warnings=False)
    return bool(ok), str(text)


def violated_paths(g: Graph) -> set[str]:
    """The properties of the violations pyshacl reports."""
    _, results, _ = validate(g, shacl_graph=SHAPES, inference="none")
    return {str(p) for p in results.objects(None, URIRef(SH + "resultPath"))}


def _value(g: Graph, s, p) -> str:
    """RDFProfile._object_value: the first literal (Japanese preferred), or a node's rdfs:label, or its URI."""
    fallback = ""
    for o in g.objects(s, p):
        if isinstance(o, Literal):
            if o.language == "ja":
                return str(o)
            fallback = fallback or str(o)
        elif (label := g.value(o, RDFS.label)) is not None:
            return str(label)
        else:
            return str(o)
    return fallback


def ckan_datasets(g: Graph) -> list[dict]:
    """The CKAN dataset dicts the harvester would make: the fields _parse_dataset_base reads, by the same
    lookups (datasets by rdf:type dcat:Dataset, publisher / contact / temporal / distributions)."""
    out = []
    for ref in g.subjects(RDF.type, DCAT.Dataset):
        d: dict = {"title": _value(g, ref, DCTERMS.title), "notes": _value(g, ref, DCTERMS.description)}
        d["url"] = _value(g, ref, DCAT.landingPage)
        d["version"] = _value(g, ref, DCAT.version)
        d["tags"] = sorted(str(k) for k in g.objects(ref, DCAT.keyword))
        for key, p in (
            ("issued", DCTERMS.issued),
            ("modified", DCTERMS.modified),
            ("identifier", DCTERMS.identifier),
        ):
            d[key] = _value(g, ref, p)
        d["theme"] = [str(t) for t in g.objects(ref, DCAT.theme)]
        d["language"] = [str(t) for t in g.objects(ref, DCTERMS.language)]
        publisher = g.value(ref, DCTERMS.publisher)
        d["publisher_uri"] = str(publisher) if isinstance(publisher, URIRef) else ""
        d["publisher_name"] = _value(g, publisher, FOAF.name)
        d["publisher_identifier"] = _value(g, publisher, DCTERMS.identifier)
        contact = g.value(ref, DCAT.contactPoint)
        d["contact_name"] = _value(g, contact, VCARD.fn)
        d["contact_email"] = _value(g, contact, VCARD.hasEmail).removeprefix("mailto:")
        d["contact_url"] = _value(g, contact, VCARD.hasURL)
        temporal = g.value(ref, DCTERMS.temporal)  # DCAT-AP 2+: dcat:startDate / dcat:endDate
        d["temporal_start"] = _value(g, temporal, DCAT.startDate)
        d["temporal_end"] = _value(g, temporal, DCAT.endDate)
        d["uri"] = str(ref) if isinstance(ref, URIRef) else ""
        d["resources"] = []
        for dist in g.objects(ref, DCAT.distribution):
            size = _value(g, dist, DCAT.byteSize)
            d["resources"].append(
                {
                    "name": _value(g, dist, DCTERMS.title),
                    "description": _value(g, dist, DCTERMS.description),
                    "url": _value(g, dist, DCAT.downloadURL) or _value(g, dist, DCAT.accessURL),
                    "access_url": _value(g, dist, DCAT.accessURL),
                    "mimetype": _value(g, dist, DCAT.mediaType),
                    "format": _value(g, dist, DCTERMS["format"]),
                    "license": _value(g, dist, DCTERMS.license),
                    "size": int(size) if size else None,
                    "uri": str(dist) if isinstance(dist, URIRef) else "",
                }
            )
        out.append(d)
    return out


# --- the RDF harvester's paging (processors.py RDFParser.next_page, harvesters/rdf.py gather_stage) ------

PAGINATION_DESIGNS = (HYDRA.PartialCollectionView, HYDRA.PagedCollection)
RDF_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld"}  # url_to_rdflib_format


def next_page(g: Graph) -> str | None:
    """RDFParser.next_page: hydra:next (else the older hydra:nextPage) of a node typed with one of the
    supported designs, as a string."""
    for design in PAGINATION_DESIGNS:
        for node in g.subjects(RDF.type, design):
            for o in g.objects(node, HYDRA.next):
                return str(o)
            for o in g.objects(node, HYDRA.nextPage):
                return str(o)
    return None


def harvest(get: Callable[[str], tuple[str, str]], url: str, max_pages: int = 100) -> list[Graph]:
    """gather_stage: from the source URL, get each page (``get(url)`` → text, content type), parse it as
    the harvester does (the text alone: no base address, so relative links would not lead anywhere), stop
    when a page repeats the first one, follow next_page until there is none. The parsed pages in order."""
    pages: list[Graph] = []
    first_hash = None
    next_url: str | None = url
    while next_url:
        assert len(pages) < max_pages, f"no end after {max_pages} pages: {next_url}"
        content, content_type = get(next_url)
        digest = hashlib.md5(content.encode("utf-8")).digest()
        if first_hash is not None and digest == first_hash:
            break
        first_hash = first_hash or digest
        g = Graph().parse(data=content, format=RDF_FORMATS[content_type.split(";", 1)[0]])
        pages.append(g)
        next_url = next_page(g)
    return pages


def without_paging(g: Graph) -> Graph:
    """The graph without its Hydra triples (a page's links name its own format's URLs)."""
    out = Graph()
    for s, p, o in g:
        if not str(p).startswith(str(HYDRA)) and not str(o).startswith(str(HYDRA)):
            out.add((s, p, o))
    return out
