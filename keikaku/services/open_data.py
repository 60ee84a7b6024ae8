"""Use cases of the open-data catalogue: the published plans as DCAT-AP datasets (catalogue_read) and the
linked data of the plan and measure pages (plan_dataset_read, measure_link_read).

The web layer says which downloads exist (:class:`Download`: a name, its path for a plan, its media type)
and the address of the public site (``base_url``); this module reads the plans and returns the plain
dataclasses of :mod:`keikaku.export.dcat`, every URL absolute. Byte sizes are those of the files the site
serves (plan.json and the CSVs are built here, as the download views build them); other downloads (DOCX,
PDF, workbooks, feeds) are made on request and carry no size. Unknown or unpublished plans, measures and
organisations raise :class:`NotFound`. A fixed handful of queries, plus one plan read per plan whose byte
sizes are not cached yet (at most ``SIZED_PER_REQUEST`` plans a request).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max

from keikaku.core.fiscal import wareki
from keikaku.core.pillars import PILLAR_BY_CODE, PRIORITY_AREAS
from keikaku.db.plans import models as m
from keikaku.export import dcat
from keikaku.export.csv import plan_csv
from keikaku.services.errors import NotFound
from keikaku.services.plans import dump_document, plan_export
from keikaku.services.portal import OrganisationEntry, generation, organisations_by_prefecture

logger = logging.getLogger(__name__)

CATALOGUE_TITLE = "自治体のデジタル・データ活用計画"
DESCRIPTION_CHARS = 400  # of the plan's 計画の目的, in the dataset description
# byte sizes: building a plan's JSON and CSVs takes ~0.1 s, so one request computes them for this many plans
# not yet in the cache (a national catalogue fills over a few requests), kept this long
SIZED_PER_REQUEST = 50
SIZE_CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Download:
    """One download the site offers for every published plan."""

    name: str  # measures.csv
    path: Callable[[int], str]  # plan id → path from the site root: /plans/3/measures.csv
    title: str
    description: str
    media_type: str  # text/csv
    file_type: str  # EU file-type code (CSV, JSON, DOCX …)
    size: str | None = None  # "json" or "csv:<table>": built here to give its byte size
    conforms_to: str | None = None  # path of the schema it follows


def _abs(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def dataset_uri(base_url: str, plan_id: int) -> str:
    return _abs(base_url, f"/plans/{plan_id}/#dataset")


def organisation_uri(base_url: str, code: str | None) -> str | None:
    return _abs(base_url, f"/orgs/{code}/#org") if code else None


def _publisher(base_url: str, org: m.Organisation) -> dcat.Agent:
    return dcat.Agent(
        uri=organisation_uri(base_url, org.code), name=f"{org.prefecture}{org.name}", identifier=org.code
    )


def _sizes(plan_id: int, downloads: Sequence[Download]) -> dict[str, int]:
    wanted = [d for d in downloads if d.size]
    if not wanted:
        return {}
    plan = plan_export(plan_id)
    out = {}
    for d in wanted:
        kind = d.size or ""
        text = dump_document(plan) if kind == "json" else plan_csv(plan, kind.split(":", 1)[1])
        out[d.name] = len(text.encode("utf-8"))
    return out


def _size_key(row: m.Plan) -> str:
    """A plan's sizes stay valid while its revision and update time do (every edit moves them) within this
    process's saves (the generation: a test database reuses ids)."""
    return f"keikaku-download-sizes:{row.pk}:{row.revision}:{row.updated_at.isoformat()}:{generation()}"


def _known_sizes(
    rows: Sequence[m.Plan], downloads: Sequence[Download], budget: int | None
) -> dict[int, dict[str, int]]:
    """Byte sizes of the built downloads, per plan: from the cache, and computed (then cached) for at most
    ``budget`` plans not in it (None: all), so that a first request for a large catalogue stays short;
    the others get their size on later requests (DCAT: byte size where known)."""
    keys = {r.pk: _size_key(r) for r in rows}
    cached = cache.get_many(list(keys.values()))
    out: dict[int, dict[str, int]] = {}
    computed = 0
    for row in rows:
        hit = cached.get(keys[row.pk])
        if hit is None and (budget is None or computed < budget):
            hit = _sizes(row.pk, downloads)
            cache.set(keys[row.pk], hit, SIZE_CACHE_SECONDS)
            computed += 1
        if hit is not None:
            out[row.pk] = hit
    return out


def download_sizes_warm(plan_ids: Iterable[int], downloads: Sequence[Download]) -> None:
    """Compute and cache the byte sizes of these published plans' downloads (keikaku export-site, before it
    writes the catalogue)."""
    rows = list(m.Plan.objects.published().filter(pk__in=list(plan_ids)))
    _known_sizes(rows, downloads, None)


def _period(fy: int | None, *, end: bool) -> date | None:
    if fy is None:
        return None
    return date(fy + 1, 3, 31) if end else date(fy, 4, 1)


def _description(row: m.Plan, purpose: str, measures: int) -> str:
    org = f"{row.organisation.prefecture}{row.organisation.name}"
    parts = [f"{org}の「{row.title}」。"]
    if row.period_start and row.period_end:
        parts.append(f"計画期間は{wareki(row.period_start)}から{wareki(row.period_end)}まで。")
    parts.append(f"施策 {measures} 件の名称・内容・成果指標 (KPI)・年度別工程を収めます。")
    text = " ".join(purpose.split())
    if text:
        parts.append(text[:DESCRIPTION_CHARS] + ("…" if len(text) > DESCRIPTION_CHARS else ""))
    return "".join(parts)


def _keywords(kinds: Iterable[str], pillars: Iterable[str], areas: Iterable[str]) -> tuple[str, ...]:
    words = [*kinds]
    words += [PILLAR_BY_CODE[c].short for c in sorted(set(pillars)) if c in PILLAR_BY_CODE]
    used = set(areas)
    words += [a for a in PRIORITY_AREAS if a in used] + sorted(used - set(PRIORITY_AREAS))
    return tuple(dict.fromkeys(w for w in words if w))


def _contact(row: m.Plan, landing: str) -> dcat.Contact:
    """The plan's 問い合わせ先; without one, the organisation (and the plan page)."""
    contact = row.contact or {}
    name = contact.get("section") or f"{row.organisation.prefecture}{row.organisation.name}"
    return dcat.Contact(
        name=name, email=contact.get("email") or None, phone=contact.get("phone") or None, url=landing
    )


def _datasets(
    rows: Sequence[m.Plan],
    *,
    base_url: str,
    downloads: Sequence[Download],
    licence: str | None,
    sizes: bool = True,
    sized_per_request: int | None = None,
) -> list[dcat.Dataset]:
    ids = [r.pk for r in rows]
    known_sizes = _known_sizes(rows, downloads, sized_per_request) if sizes else {}
    purposes: dict[int, str] = {}
    for plan_id, text in (
        m.Section.objects.filter(plan_id__in=ids, kind="purpose")
        .order_by("order")
        .values_list("plan_id", "text")
    ):
        purposes.setdefault(plan_id, text)
    pillars: dict[int, set[str]] = defaultdict(set)
    areas: dict[int, list[str]] = defaultdict(list)
    measures: dict[int, set[int]] = defaultdict(set)
    for plan_id, measure_id, values, code in m.Measure.objects.filter(plan_id__in=ids).values_list(
        "plan_id", "pk", "priority_areas", "pillar_refs__code"
    ):  # one row per measure and pillar
        if measure_id not in measures[plan_id]:
            measures[plan_id].add(measure_id)
            areas[plan_id].extend(values or [])
        if code:
            pillars[plan_id].add(code)
    previous = {r.previous_id for r in rows if r.previous_id}
    published = (
        set(m.Plan.objects.published().filter(pk__in=previous).values_list("pk", flat=True))
        if previous
        else set()
    )
    out = []
    for row in rows:
        landing = _abs(base_url, f"/plans/{row.pk}/")
        known = known_sizes.get(row.pk, {})
        distributions = tuple(
            dcat.Distribution(
                url=_abs(base_url, d.path(row.pk)),
                title=f"{row.title}: {d.title}",
                description=d.description,
                media_type=d.media_type,
                file_type=d.file_type,
                byte_size=known.get(d.name),
                conforms_to=_abs(base_url, d.conforms_to) if d.conforms_to else None,
            )
            for d in downloads
        )
        out.append(
            dcat.Dataset(
                uri=dataset_uri(base_url, row.pk),
                landing_page=landing,
                identifier=f"{row.organisation.code or row.organisation.pk}-plan-{row.pk}",
                title=row.title,
                description=_description(row, purposes.get(row.pk, ""), len(measures[row.pk])),
                publisher=_publisher(base_url, row.organisation),
                modified=row.updated_at,
                issued=row.published or row.created_at.date().isoformat(),
                start=_period(row.period_start, end=False),
                end=_period(row.period_end, end=True),
                keywords=_keywords(row.kinds or [], pillars[row.pk], areas[row.pk]),
                contact=_contact(row, landing),
                licence=licence,
                version=row.version or None,
                previous=dataset_uri(base_url, row.previous_id) if row.previous_id in published else None,
                distributions=distributions,
            )
        )
    return out


@dataclass(frozen=True)
class Pages:
    """How to page a catalogue: datasets per page and the absolute URL of page n (1-based)."""

    size: int
    url: Callable[[int], str]


def page_count(total: int, size: int) -> int:
    """Pages of ``size`` datasets for ``total`` datasets; an empty catalogue is one (empty) page."""
    return max(1, -(-total // size))


def catalogue_read(
    *,
    base_url: str,
    downloads: Sequence[Download],
    licence: str | None,
    organisation_code: str | None = None,
    publisher_name: str = "",
    sized_per_request: int | None = SIZED_PER_REQUEST,
    page: int = 1,
    pages: Pages | None = None,
) -> dcat.Catalogue:
    """Every published plan (of one organisation, by its 団体コード, when given) as a DCAT-AP catalogue, in
    a stable order (団体コード, plan id); with ``pages``, only page ``page`` of them, with its Hydra links
    (a page beyond the last raises NotFound).

    The whole catalogue's publisher is ``publisher_name`` (the site's operator) when set, else the one
    organisation when all plans are one organisation's, else the site itself. The description, publisher
    and modification time describe the whole catalogue on every page."""
    qs = m.Plan.objects.published().select_related("organisation").order_by("organisation__code", "pk")
    if organisation_code is not None:
        org = m.Organisation.objects.filter(code=organisation_code).first()
        if org is None:
            raise NotFound(
                f"団体コード {organisation_code} の団体はありません / no organisation {organisation_code}"
            )
        qs = qs.filter(organisation=org)
    summary = qs.aggregate(
        plans=Count("pk"), orgs=Count("organisation", distinct=True), latest=Max("updated_at")
    )
    total, n_orgs = summary["plans"], summary["orgs"]
    if organisation_code is not None and not total:
        raise NotFound(f"団体コード {organisation_code} の公開された計画はありません / no published plans")
    paging = None
    last = page_count(total, pages.size) if pages is not None else 1
    if not 1 <= page <= last:
        raise NotFound(f"カタログの {page} ページはありません（全 {last} ページ） / no page {page}")
    if pages is not None:
        rows = list(qs[(page - 1) * pages.size : page * pages.size])
        paging = dcat.Paging(
            page=pages.url(page),
            first=pages.url(1),
            last=pages.url(last),
            previous=pages.url(page - 1) if page > 1 else None,
            next=pages.url(page + 1) if page < last else None,
            total=total,
            per_page=pages.size,
        )
    else:
        rows = list(qs)
    home = _abs(base_url, "/")
    if organisation_code is not None:
        org = rows[0].organisation
        uri, publisher = _abs(base_url, f"/orgs/{organisation_code}/#catalog"), _publisher(base_url, org)
        title = f"{org.prefecture}{org.name}の{CATALOGUE_TITLE}"
    else:
        uri, title = _abs(base_url, "/#catalog"), CATALOGUE_TITLE
        if publisher_name:
            publisher = dcat.Agent(uri=_abs(base_url, "/#publisher"), name=publisher_name)
        elif n_orgs == 1:
            publisher = _publisher(base_url, rows[0].organisation)
        else:
            publisher = dcat.Agent(uri=_abs(base_url, "/#publisher"), name=CATALOGUE_TITLE)
    description = (
        "自治体の官民データ活用推進計画・情報化推進計画・DX推進計画の公開データ。計画ごとに、"
        "施策・成果指標 (KPI)・年度別工程を JSON と CSV で提供します。"
        f" 団体 {n_orgs}、計画 {total} 件。"
    )
    return dcat.Catalogue(
        uri=uri,
        title=title,
        description=description,
        publisher=publisher,
        homepage=home,
        modified=summary["latest"],
        licence=licence,
        datasets=_datasets(
            rows, base_url=base_url, downloads=downloads, licence=licence, sized_per_request=sized_per_request
        ),
        paging=paging,
    )


def plan_dataset_read(
    plan_id: int, *, base_url: str, downloads: Sequence[Download], licence: str | None
) -> dcat.Dataset:
    """One published plan as the catalogue describes it, without byte sizes (for the plan page's JSON-LD:
    building the files to measure them would cost more than the page)."""
    row = m.Plan.objects.published().select_related("organisation").filter(pk=plan_id).first()
    if row is None:
        raise NotFound(f"計画 {plan_id} はありません / no plan with id {plan_id}")
    return _datasets([row], base_url=base_url, downloads=downloads, licence=licence, sizes=False)[0]


def measure_link_read(
    measure_id: int, *, base_url: str, licence: str | None
) -> tuple[dcat.MeasureLink, dcat.Dataset]:
    """A published measure and its plan's dataset without downloads (for the measure page's JSON-LD)."""
    ms = m.Measure.objects.published().filter(pk=measure_id).prefetch_related("pillar_refs").first()
    if ms is None:
        raise NotFound(f"施策 {measure_id} はありません / no measure with id {measure_id}")
    plan = plan_dataset_read(ms.plan_id, base_url=base_url, downloads=(), licence=licence)
    link = dcat.MeasureLink(
        uri=_abs(base_url, f"/measures/{ms.pk}/#measure"),
        url=_abs(base_url, f"/measures/{ms.pk}/"),
        key=ms.key,
        title=ms.title,
        description=ms.description,
        keywords=_keywords([], [r.code for r in ms.pillar_refs.all()], ms.priority_areas or []),
    )
    return link, plan


# --- the portal as static files (keikaku export-site) ---------------------------------------------------


@dataclass(frozen=True)
class SitePlan:
    id: int
    organisation_code: str | None
    previous_id: int | None  # the earlier version, when it is published (and so exported) too
    measure_ids: tuple[int, ...]


def site_plans(organisation_code: str | None = None) -> list[SitePlan]:
    """The published plans a static copy of the portal holds (one organisation's, by 団体コード, when
    given), with their measures. Two queries."""
    qs = m.Plan.objects.published().select_related("organisation").order_by("pk")
    if organisation_code is not None:
        if not qs.filter(organisation__code=organisation_code).exists():
            raise NotFound(
                f"団体コード {organisation_code} の公開された計画はありません / no published plans"
            )
        qs = qs.filter(organisation__code=organisation_code)
    rows = list(qs)
    ids = {r.pk for r in rows}
    measures: dict[int, list[int]] = defaultdict(list)
    for plan_id, measure_id in (
        m.Measure.objects.filter(plan_id__in=ids)
        .order_by("plan_id", "order", "pk")
        .values_list("plan_id", "pk")
    ):
        measures[plan_id].append(measure_id)
    return [
        SitePlan(
            r.pk,
            r.organisation.code,
            r.previous_id if r.previous_id in ids else None,
            tuple(measures[r.pk]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class IndexedMeasure:
    """One measure in the static site's search index."""

    id: int
    plan_id: int
    key: str | None
    title: str
    description: str
    plan_title: str
    prefecture: str
    organisation: str
    pillars: tuple[str, ...]
    priority_areas: tuple[str, ...]
    fiscal_years: tuple[int, ...]  # of its schedule, else its plan's period
    departments: tuple[str, ...]


def site_search_entries(plan_ids: Iterable[int]) -> list[IndexedMeasure]:
    """The measures of these published plans, for a search in the browser. A fixed handful of queries."""
    qs = (
        m.Measure.objects.published()
        .filter(plan_id__in=list(plan_ids))
        .select_related("plan__organisation")
        .prefetch_related("pillar_refs", "schedule", "department_links")
        .order_by("plan_id", "order", "pk")
    )
    out = []
    for ms in qs:
        plan = ms.plan
        years = sorted({e.fiscal_year for e in ms.schedule.all() if e.fiscal_year})
        if not years and plan.period_start and plan.period_end:
            years = list(range(plan.period_start, plan.period_end + 1))
        out.append(
            IndexedMeasure(
                id=ms.pk,
                plan_id=plan.pk,
                key=ms.key,
                title=ms.title,
                description=ms.description,
                plan_title=plan.title,
                prefecture=plan.organisation.prefecture,
                organisation=plan.organisation.name,
                pillars=tuple(r.code for r in ms.pillar_refs.all()),
                priority_areas=tuple(ms.priority_areas or ()),
                fiscal_years=tuple(years),
                departments=tuple(d.written for d in ms.department_links.all()),
            )
        )
    return out


@dataclass(frozen=True)
class OrganisationPage:
    prefecture: str
    organisation: OrganisationEntry


def organisation_page(code: str) -> OrganisationPage:
    """An organisation (by 団体コード) and its published plans, versions folded as on the home page."""
    org = m.Organisation.objects.filter(code=code).first()
    if org is None:
        raise NotFound(f"団体コード {code} の団体はありません / no organisation {code}")
    for group in organisations_by_prefecture(prefecture=org.prefecture):
        for entry in group.organisations:
            if entry.id == org.pk:
                return OrganisationPage(group.prefecture, entry)
    raise NotFound(f"団体コード {code} の公開された計画はありません / no published plans")
