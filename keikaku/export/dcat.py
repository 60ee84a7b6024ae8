"""The open-data catalogue in DCAT-AP 3.0 (RDF, built with rdflib) and the schema.org JSON-LD of the pages.

Plain data in, RDF out; no Django. ``keikaku.services.catalogue`` reads the published plans into the
dataclasses below (every URL already absolute); :func:`catalogue_graph` turns them into a graph::

    dcat:Catalog <base/#catalog>            dct:title, dct:description, dct:publisher, foaf:homepage,
      │                                     dct:language, dct:license, dct:modified, dcat:themeTaxonomy
      └─ dcat:dataset <base/plans/N/#dataset>   one per published plan
           dct:title, dct:description, dct:identifier, dcat:landingPage (the plan page),
           dct:publisher <base/orgs/CODE/#org>  foaf:Agent + foaf:name + dct:identifier (団体コード),
           dct:issued (公表年月), dct:modified, dct:temporal [dct:PeriodOfTime dcat:startDate dcat:endDate]
           (the plan period, 4/1 of the first fiscal year to 3/31 after the last), dcat:theme (EU data
           theme GOVE), dcat:keyword (the pillars, 重点分野 and kinds of plan), dcat:contactPoint
           [vcard:Organization], dct:language, dcat:version, dcat:previousVersion
           └─ dcat:distribution <download URL#distribution>  dct:title, dct:description,
                dcat:accessURL = dcat:downloadURL, dcat:mediaType (IANA), dct:format (EU file type),
                dcat:byteSize (when known), dct:license, dct:conformsTo (plan.json: its JSON Schema)

A paged catalogue (:class:`Paging`) holds one page of the datasets, and the catalogue names the page:
``hydra:view <page URL>``, a ``hydra:PartialCollectionView`` with hydra:first / previous / next / last,
hydra:totalItems and hydra:itemsPerPage (what ckanext-dcat's RDF harvester follows).

The same URIs name the plan and the measure in the JSON-LD of the pages (:func:`dataset_schema_org`,
:func:`measure_schema_org`), so a harvester that reads both sees one thing. Serialised as Turtle or
JSON-LD (:func:`catalogue_turtle`, :func:`catalogue_jsonld`); :func:`json_for_script` escapes JSON-LD for an
inline ``<script type="application/ld+json">`` block.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's closed one lacks DCAT 3 (dcat:version …)
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA = Namespace("https://schema.org/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")  # the paging that ckanext-dcat's harvester follows
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_THEMES = "http://publications.europa.eu/resource/authority/data-theme"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "http://www.iana.org/assignments/media-types/"
GOVERNMENT = EU_THEME + "GOVE"  # 政府・公共部門 / Government and public sector
LANGUAGES = {"ja": "JPN", "en": "ENG"}
PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "xsd": XSD,
    "skos": SKOS,
    "hydra": HYDRA,
}


@dataclass(frozen=True)
class Agent:
    """The publisher: an organisation (and its 全国地方公共団体コード when known)."""

    uri: str | None
    name: str
    identifier: str | None = None
    homepage: str | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    phone: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Distribution:
    url: str  # absolute download URL
    title: str
    description: str
    media_type: str  # text/csv
    file_type: str  # EU file-type code: CSV, JSON, DOCX, PDF, XLSX, ATOM
    byte_size: int | None = None
    conforms_to: str | None = None


@dataclass(frozen=True)
class Dataset:
    uri: str
    landing_page: str
    identifier: str
    title: str
    description: str
    publisher: Agent
    modified: datetime
    issued: str | None = None  # "2025-04" (公表年月) or "2025-04-01"
    start: date | None = None
    end: date | None = None
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = (GOVERNMENT,)
    contact: Contact | None = None
    licence: str | None = None
    version: str | None = None
    previous: str | None = None  # the earlier version's dataset URI
    language: str = "ja"
    distributions: tuple[Distribution, ...] = ()


@dataclass(frozen=True)
class Paging:
    """One page of a paged catalogue (Hydra): the URLs of this page and of the first, previous, next and
    last ones (absolute; previous / next None at the ends), the number of datasets in all pages and per
    page."""

    page: str
    first: str
    last: str
    previous: str | None
    next: str | None
    total: int
    per_page: int


@dataclass(frozen=True)
class Catalogue:
    uri: str
    title: str
    description: str
    publisher: Agent
    homepage: str
    modified: datetime | None
    licence: str | None
    language: str = "ja"
    datasets: Sequence[Dataset] = field(default_factory=tuple)
    paging: Paging | None = None  # this document is one page of the catalogue


def _date_literal(value: str) -> Literal:
    """公表年月 as written: ``2025`` → xsd:gYear, ``2025-04`` → xsd:gYearMonth, ``2025-04-01`` → xsd:date."""
    kind = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=kind)


def _bnode(kind: str, key: str) -> BNode:
    """A blank node named from what it describes, so that the same data gives the same document."""
    return BNode(f"{kind}{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}")


def _agent(g: Graph, agent: Agent) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(agent.uri) if agent.uri else _bnode("agent", agent.name)
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(agent.name, lang="ja")))
    if agent.identifier:
        g.add((node, DCTERMS.identifier, Literal(agent.identifier)))
    if agent.homepage:
        g.add((node, FOAF.homepage, URIRef(agent.homepage)))
    return node


def _licence(g: Graph, uri: str) -> URIRef:
    node = URIRef(uri)
    g.add((node, RDF.type, DCTERMS.LicenseDocument))
    return node


def _contact(g: Graph, contact: Contact, owner: str) -> BNode:
    node = _bnode("contact", owner)
    g.add((node, RDF.type, VCARD.Organization))
    g.add((node, RDF.type, VCARD.Kind))
    g.add((node, VCARD.fn, Literal(contact.name, lang="ja")))
    if contact.email:
        g.add((node, VCARD.hasEmail, URIRef("mailto:" + contact.email)))
    if contact.phone:
        g.add((node, VCARD.hasTelephone, URIRef("tel:" + "".join(contact.phone.split()))))
    if contact.url:
        g.add((node, VCARD.hasURL, URIRef(contact.url)))
    return node


def _distribution(g: Graph, d: Distribution, licence: str | None, language: str) -> URIRef:
    node = URIRef(d.url + "#distribution")
    url = URIRef(d.url)
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(d.title, lang=language)))
    g.add((node, DCTERMS.description, Literal(d.description, lang=language)))
    g.add((node, DCAT.accessURL, url))
    g.add((node, DCAT.downloadURL, url))
    media = URIRef(IANA + d.media_type)
    g.add((node, DCAT.mediaType, media))
    g.add((media, RDF.type, DCTERMS.MediaType))
    file_type = URIRef(EU_FILE_TYPE + d.file_type)
    g.add((node, DCTERMS["format"], file_type))
    g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    if d.byte_size is not None:
        g.add((node, DCAT.byteSize, Literal(d.byte_size, datatype=XSD.nonNegativeInteger)))
    if licence:
        g.add((node, DCTERMS.license, _licence(g, licence)))
    if d.conforms_to:
        standard = URIRef(d.conforms_to)
        g.add((node, DCTERMS.conformsTo, standard))
        g.add((standard, RDF.type, DCTERMS.Standard))
    g.add((node, DCTERMS.language, URIRef(EU_LANGUAGE + LANGUAGES.get(language, "JPN"))))
    return node


def _dataset(g: Graph, ds: Dataset) -> URIRef:
    node = URIRef(ds.uri)
    lang = ds.language
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.title, Literal(ds.title, lang=lang)))
    g.add((node, DCTERMS.description, Literal(ds.description, lang=lang)))
    g.add((node, DCTERMS.identifier, Literal(ds.identifier)))
    g.add((node, DCAT.landingPage, URIRef(ds.landing_page)))
    g.add((URIRef(ds.landing_page), RDF.type, FOAF.Document))
    g.add((node, DCTERMS.publisher, _agent(g, ds.publisher)))
    g.add((node, DCTERMS.modified, Literal(ds.modified.isoformat(), datatype=XSD.dateTime)))
    if ds.issued:
        g.add((node, DCTERMS.issued, _date_literal(ds.issued)))
    if ds.start or ds.end:
        period = _bnode("period", ds.uri)
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if ds.start:
            g.add((period, DCAT.startDate, Literal(ds.start.isoformat(), datatype=XSD.date)))
        if ds.end:
            g.add((period, DCAT.endDate, Literal(ds.end.isoformat(), datatype=XSD.date)))
        g.add((node, DCTERMS.temporal, period))
    for theme in ds.themes:
        g.add((node, DCAT.theme, URIRef(theme)))
        g.add((URIRef(theme), RDF.type, SKOS.Concept))
    for word in ds.keywords:
        g.add((node, DCAT.keyword, Literal(word, lang=lang)))
    if ds.contact:
        g.add((node, DCAT.contactPoint, _contact(g, ds.contact, ds.uri)))
    g.add((node, DCTERMS.language, URIRef(EU_LANGUAGE + LANGUAGES.get(lang, "JPN"))))
    if ds.version:
        g.add((node, DCAT.version, Literal(ds.version)))
    if ds.previous:
        g.add((node, DCAT.previousVersion, URIRef(ds.previous)))
    if ds.licence:  # DCAT-AP puts the licence on the distributions; schema.org readers look here too
        g.add((node, DCTERMS.rights, _licence(g, ds.licence)))
    for d in ds.distributions:
        g.add((node, DCAT.distribution, _distribution(g, d, ds.licence, lang)))
    return node


def catalogue_graph(cat: Catalogue) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    node = URIRef(cat.uri)
    g.add((node, RDF.type, DCAT.Catalog))
    g.add((node, DCTERMS.title, Literal(cat.title, lang=cat.language)))
    g.add((node, DCTERMS.description, Literal(cat.description, lang=cat.language)))
    g.add((node, DCTERMS.publisher, _agent(g, cat.publisher)))
    g.add((node, FOAF.homepage, URIRef(cat.homepage)))
    g.add((URIRef(cat.homepage), RDF.type, FOAF.Document))
    g.add((node, DCTERMS.language, URIRef(EU_LANGUAGE + LANGUAGES.get(cat.language, "JPN"))))
    themes = URIRef(EU_THEMES)
    g.add((node, DCAT.themeTaxonomy, themes))
    g.add((themes, RDF.type, SKOS.ConceptScheme))
    g.add((themes, DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((URIRef(GOVERNMENT), SKOS.prefLabel, Literal("政府・公共部門", lang="ja")))
    g.add((URIRef(GOVERNMENT), SKOS.prefLabel, Literal("Government and public sector", lang="en")))
    g.add((URIRef(GOVERNMENT), SKOS.inScheme, themes))
    if cat.licence:
        g.add((node, DCTERMS.license, _licence(g, cat.licence)))
    if cat.modified:
        g.add((node, DCTERMS.modified, Literal(cat.modified.isoformat(), datatype=XSD.dateTime)))
    for ds in cat.datasets:
        g.add((node, DCAT.dataset, _dataset(g, ds)))
    if cat.paging:
        _paging(g, node, cat.paging)
    return g


def _paging(g: Graph, catalogue: URIRef, paging: Paging) -> None:
    """The page as a hydra:PartialCollectionView, as ckanext-dcat's harvester reads it (processors.py,
    RDFParser.next_page: a subject typed hydra:PartialCollectionView or hydra:PagedCollection, its
    hydra:next, followed until there is none). totalItems and itemsPerPage on the view as ckanext-dcat's own
    catalogue endpoint writes them; the catalogue names the view (hydra:view)."""
    view = URIRef(paging.page)
    g.add((view, RDF.type, HYDRA.PartialCollectionView))
    g.add((catalogue, HYDRA.view, view))
    g.add((view, HYDRA.first, URIRef(paging.first)))
    g.add((view, HYDRA.last, URIRef(paging.last)))
    if paging.previous:
        g.add((view, HYDRA.previous, URIRef(paging.previous)))
    if paging.next:
        g.add((view, HYDRA.next, URIRef(paging.next)))
    g.add((view, HYDRA.totalItems, Literal(paging.total, datatype=XSD.nonNegativeInteger)))
    g.add((view, HYDRA.itemsPerPage, Literal(paging.per_page, datatype=XSD.nonNegativeInteger)))


# --- serialisation ------------------------------------------------------------------------------------
# rdflib's own Turtle and JSON-LD writers take minutes on a national catalogue (1,788 plans, ~300,000
# triples: 155 s and 79 s, docs/benchmarks.md); these write the same graph in one pass over its subjects,
# sorted, with rdflib's own term syntax (n3()). The tests parse both back and compare the graphs.


def _by_subject(g: Graph) -> dict[Any, dict[Any, list[Any]]]:
    subjects: dict[Any, dict[Any, list[Any]]] = {}
    for s, p, o in g:
        subjects.setdefault(s, {}).setdefault(p, []).append(o)
    return subjects


def _order(term: Any) -> tuple[int, str]:
    return (0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2, str(term))


LOCAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def _turtle_iri(iri: str) -> str:
    """prefix:name for our vocabularies' terms, else <iri> (rdflib's quoting)."""
    for prefix, ns in PREFIXES.items():
        base = str(ns)
        if iri.startswith(base) and LOCAL_NAME.match(iri, len(base)):
            return f"{prefix}:{iri[len(base) :]}"
    return URIRef(iri).n3()


TURTLE_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _turtle_string(text: str) -> str:
    return '"' + text.translate(TURTLE_ESCAPES) + '"'


def catalogue_turtle(cat: Catalogue) -> str:
    g = catalogue_graph(cat)
    subjects = _by_subject(g)
    referenced: dict[BNode, int] = {}
    for props in subjects.values():
        for objects in props.values():
            for o in objects:
                if isinstance(o, BNode):
                    referenced[o] = referenced.get(o, 0) + 1
    inline = {b for b, n in referenced.items() if n == 1 and b in subjects}

    def term(t: Any, depth: int) -> str:
        if t in inline:
            return "[ " + body(t, depth + 1) + " ]"
        if t == RDF.type:
            return "a"
        if isinstance(t, URIRef):
            return _turtle_iri(str(t))
        if isinstance(t, BNode):
            return "_:" + str(t)
        text = _turtle_string(str(t))
        if t.language:
            return f"{text}@{t.language}"
        return f"{text}^^{_turtle_iri(str(t.datatype))}" if t.datatype is not None else text

    def body(s: Any, depth: int) -> str:
        pad = "    " * depth
        props = subjects[s]
        keys = sorted(props, key=lambda p: (p != RDF.type, str(p)))
        parts = [
            term(p, depth) + " " + ", ".join(term(o, depth) for o in sorted(props[p], key=_order))
            for p in keys
        ]
        return (" ;\n" + pad).join(parts)

    lines = [f"@prefix {prefix}: <{ns}> ." for prefix, ns in sorted(PREFIXES.items())]
    lines.append("")
    for s in sorted((s for s in subjects if s not in inline), key=_order):
        lines.append(f"{term(s, 0)} {body(s, 1)} .\n")
    return "\n".join(lines)


def _json_term(t: Any) -> Any:
    if isinstance(t, URIRef):
        return {"@id": str(t)}
    if isinstance(t, BNode):
        return {"@id": "_:" + str(t)}
    if t.language:
        return {"@value": str(t), "@language": t.language}
    if t.datatype is not None:
        return {"@value": str(t), "@type": str(t.datatype)}
    return str(t)


def _compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)) :]}"
    return iri


def catalogue_jsonld(cat: Catalogue) -> str:
    """JSON-LD: a @graph of node objects (property names as compact IRIs of the context's prefixes), nodes by
    their id, values sorted: the same catalogue gives the same text."""
    g = catalogue_graph(cat)
    nodes = []
    for s, props in _by_subject(g).items():
        node: dict[str, Any] = {"@id": str(s) if isinstance(s, URIRef) else "_:" + str(s)}
        for p, objects in props.items():
            if p == RDF.type:
                node["@type"] = sorted(_compact(str(o)) for o in objects)
            else:
                node[_compact(str(p))] = sorted((_json_term(o) for o in objects), key=lambda v: json.dumps(v))
        nodes.append(node)
    nodes.sort(key=lambda n: n["@id"])
    doc = {"@context": {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}, "@graph": nodes}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --- schema.org JSON-LD of the pages ----------------------------------------------------------------


def _schema_agent(agent: Agent) -> dict[str, object]:
    out: dict[str, object] = {"@type": "GovernmentOrganization", "name": agent.name}
    if agent.uri:
        out["@id"] = agent.uri
    if agent.identifier:
        out["identifier"] = agent.identifier
    return out


def dataset_schema_org(ds: Dataset) -> dict[str, object]:
    """The plan page's JSON-LD: a schema.org Dataset with the catalogue's URIs."""
    out: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": ds.uri,
        "url": ds.landing_page,
        "identifier": ds.identifier,
        "name": ds.title,
        "description": ds.description,
        "inLanguage": ds.language,
        "publisher": _schema_agent(ds.publisher),
        "creator": _schema_agent(ds.publisher),
        "dateModified": ds.modified.isoformat(),
        "keywords": list(ds.keywords),
        "isAccessibleForFree": True,
        "distribution": [
            {
                "@type": "DataDownload",
                "@id": d.url + "#distribution",
                "name": d.title,
                "contentUrl": d.url,
                "encodingFormat": d.media_type,
                **({"contentSize": f"{d.byte_size} B"} if d.byte_size is not None else {}),
            }
            for d in ds.distributions
        ],
    }
    if ds.issued:
        out["datePublished"] = ds.issued
    if ds.start or ds.end:
        out["temporalCoverage"] = "/".join(d.isoformat() if d else ".." for d in (ds.start, ds.end))
    if ds.licence:
        out["license"] = ds.licence
    if ds.version:
        out["version"] = ds.version
    if ds.contact:
        point: dict[str, object] = {"@type": "ContactPoint", "name": ds.contact.name}
        if ds.contact.email:
            point["email"] = ds.contact.email
        if ds.contact.phone:
            point["telephone"] = ds.contact.phone
        out["publisher"] = {**_schema_agent(ds.publisher), "contactPoint": point}
    return out


@dataclass(frozen=True)
class MeasureLink:
    uri: str
    url: str
    key: str | None
    title: str
    description: str
    keywords: tuple[str, ...] = ()


def measure_schema_org(ms: MeasureLink, plan: Dataset) -> dict[str, object]:
    """The measure page's JSON-LD: a schema.org CreativeWork, part of the plan's Dataset."""
    name = f"{ms.key} {ms.title}" if ms.key else ms.title
    out: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": ms.uri,
        "url": ms.url,
        "name": name,
        "inLanguage": plan.language,
        "isPartOf": {"@type": "Dataset", "@id": plan.uri, "name": plan.title, "url": plan.landing_page},
        "publisher": _schema_agent(plan.publisher),
        "dateModified": plan.modified.isoformat(),
        "keywords": list(ms.keywords),
    }
    if ms.key:
        out["identifier"] = ms.key
    if ms.description:
        out["description"] = ms.description
    if plan.licence:
        out["license"] = plan.licence
    return out


def json_for_script(data: object) -> str:
    """JSON for an inline ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` as \\u escapes, so
    no text in the data (a title holding ``</script>``) can end the block or open a comment. Still the
    same JSON to a parser."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
