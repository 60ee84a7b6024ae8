"""The plan as a document (計画書) — DOCX or PDF — for `keikaku export PLAN --to docx|pdf` and the plan
page's downloads (/plans/<id>/plan.docx, plan.pdf). Reads the stored plan (as plan JSON) and its contact
(問い合わせ先); the document itself is built and written by keikaku.export.plan_* (pure)."""

from __future__ import annotations

from datetime import date
from typing import Any

from keikaku.core.fiscal import western_to_era
from keikaku.export.plan_model import PlanDocument, build
from keikaku.services.errors import NotFound, ServiceError
from keikaku.services.people import can
from keikaku.services.plans import plan_get, plan_to_core

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
OPERATOR = object()  # the operator at the server's command line: every plan, drafts included


def _month(today: date) -> str:
    era, n = western_to_era(today.year)
    if today.year == 2019 and today.month < 5:
        era, n = "平成", 31
    return f"{era}{'元' if n == 1 else n}年{today.month}月"


def plan_document(actor: Any, plan_id: int, *, today: date) -> PlanDocument:
    """The document of a plan ``actor`` may see: a published plan for everyone, a draft for the members
    of its organisation (NotFound for everyone else, as the plan pages). ``actor`` :data:`OPERATOR`:
    any plan. ``today`` is printed on the cover when the plan states no publication month."""
    row = plan_get(plan_id)
    if actor is not OPERATOR and not can(actor, "plan.view", row):
        raise NotFound(f"計画 {plan_id} はありません / no plan with id {plan_id}")
    contact = {k: str(v) for k, v in (row.contact or {}).items() if isinstance(v, str | int)}
    return build(plan_to_core(row), contact=contact, date=_month(today), draft=not row.is_published)


def plan_document_render(document: PlanDocument, fmt: str) -> bytes:
    """The document as ``fmt`` (docx or pdf), its figures as pictures."""
    if fmt == "docx":
        from keikaku.export.plan_docx import render as render_docx
        from keikaku.export.plan_pdf import rasteriser

        return render_docx(document, rasterise=rasteriser(document))
    if fmt == "pdf":
        from keikaku.export.plan_pdf import render as render_pdf

        return render_pdf(document)
    raise ServiceError(f"形式は {' / '.join(FORMATS)} のいずれかです / unknown format {fmt}")
