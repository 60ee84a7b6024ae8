"""Use cases on the guide's catalogue (手引 → 雛型 and 施策例): catalogue_list, catalogue_get, and the
compliance check of a stored plan against the guide (compliance_check)."""

from __future__ import annotations

from dataclasses import dataclass

from keikaku.core import plan as core
from keikaku.core.compliance import Finding, check_plan
from keikaku.db.plans import models as m
from keikaku.services.errors import NotFound
from keikaku.services.plans import plan_to_core


@dataclass(frozen=True)
class CatalogueSummary:
    id: int
    title: str
    published: str
    measures: int
    chapters: int


def _summary(row: m.Catalogue) -> CatalogueSummary:
    doc = row.document or {}
    return CatalogueSummary(
        row.pk,
        row.title,
        row.published,
        len(doc.get("measures") or []),
        len(doc.get("template_sections") or []),
    )


def catalogue_list() -> list[CatalogueSummary]:
    """The stored catalogues, newest first (an imported guide, the demo's fictional one)."""
    return [_summary(r) for r in m.Catalogue.objects.order_by("-created_at", "-pk")]


def catalogue_get(catalogue_id: int | None = None) -> tuple[CatalogueSummary, core.Catalogue]:
    """One stored catalogue as its document; None: the newest. NotFound when there is none."""
    qs = m.Catalogue.objects.order_by("-created_at", "-pk")
    try:
        row = qs.first() if catalogue_id is None else qs.get(pk=catalogue_id)
    except (m.Catalogue.DoesNotExist, ValueError, TypeError, OverflowError):
        row = None
    if row is None:
        raise NotFound(
            f"手引（カタログ）{catalogue_id or ''} がありません。手引を取り込んでください / no catalogue"
            f"{f' {catalogue_id}' if catalogue_id else ''}: import the guide first"
        )
    return _summary(row), core.Catalogue.model_validate(row.document)


def compliance_check(plan: m.Plan, *, catalogue_id: int | None = None) -> list[Finding]:
    """What the guide asks for that the stored ``plan`` lacks (keikaku.core.compliance), with the 総論7
    rules checked against the given catalogue or the newest stored one (not checked when there is none)."""
    return compliance_of(plan_to_core(plan), catalogue_id=catalogue_id)


def compliance_of(doc: core.Plan, *, catalogue_id: int | None = None) -> list[Finding]:
    """The same check on a plan document not stored yet (the import review)."""
    try:
        _s, cat = catalogue_get(catalogue_id)
    except NotFound:
        if catalogue_id is not None:
            raise
        cat = None
    return check_plan(doc, catalogue=cat)


def catalogue_national_measures() -> list[str]:
    """The national measures (国の施策) the newest catalogue's example measures name, in the guide's order,
    for the editor to pick from; [] when no catalogue is loaded."""
    try:
        _summary_row, doc = catalogue_get()
    except NotFound:
        return []
    return list(dict.fromkeys(n.strip() for m in doc.measures for n in m.national_measures if n.strip()))
