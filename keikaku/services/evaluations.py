"""The state of a year-end evaluation (評価): 下書き (draft) → 決定 (decided) → 公開 (published).

The planning office writes evaluations (``keikaku.services.progress.evaluation_save``; changing a decided
or published one puts it back to draft). The approver role — the organisation's admin (CIO・推進本部事務局),
action ``evaluation.decide`` — decides them and publishes them, one by one or a whole year at once, and may
take one back to draft. Only published evaluations are shown outside the organisation: pages, API, open
data and reports read them through :func:`evaluations_visible` (or ``Evaluation.objects.published()``).

A measure without a visible evaluation is 「未評価」 (:data:`NOT_EVALUATED`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count

from keikaku.core.plan import NOT_EVALUATED as NOT_EVALUATED  # re-exported
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services import logs
from keikaku.services.errors import NotFound, ServiceError
from keikaku.services.people import Actor, can, require
from keikaku.services.progress import _by, _locked, _save

logger = logging.getLogger(__name__)

EState = gm.Evaluation.State
DRAFT, DECIDED, PUBLISHED = "draft", "decided", "published"  # EState's values


def evaluation_get(measure: pm.Measure, fiscal_year: int) -> gm.Evaluation | None:
    """The evaluation of ``measure`` for ``fiscal_year`` whatever its state (for the manage pages)."""
    return gm.Evaluation.objects.filter(measure=measure, fiscal_year=fiscal_year).first()


def evaluation_by_id(evaluation_id: Any) -> gm.Evaluation:
    try:
        return gm.Evaluation.objects.select_related("measure__plan__organisation").get(pk=evaluation_id)
    except (gm.Evaluation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"評価 {evaluation_id} はありません / no evaluation {evaluation_id}") from None


def evaluation_visible(user: Any, ev: gm.Evaluation) -> bool:
    """Whether ``user`` may see ``ev``: members always, everyone else once it is published."""
    if can(user, "history.view", ev.measure.plan):
        return True
    return ev.state == PUBLISHED and can(user, "plan.view", ev.measure.plan)


def evaluations_visible(user: Any, plan: pm.Plan, fiscal_year: int | None = None) -> Any:
    """The plan's evaluations ``user`` may see: every state for members of the organisation, published
    ones for everyone else. A queryset (ordered by year and measure)."""
    qs = gm.Evaluation.objects.filter(measure__plan=plan).select_related("measure", "merge_into")
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if not can(user, "history.view", plan):
        qs = qs.published()
    return qs.order_by("fiscal_year", "measure__order")


def evaluation_state_counts(plan: pm.Plan, fiscal_year: int) -> dict[str, int]:
    """How many of the plan's evaluations of ``fiscal_year`` are in each state (every state listed)."""
    counts = dict.fromkeys(EState.values, 0)
    qs = gm.Evaluation.objects.filter(measure__plan=plan, fiscal_year=fiscal_year)
    for state, n in qs.values_list("state").annotate(n=Count("pk")).values_list("state", "n"):
        counts[state] = n
    return counts


def evaluation_state_label(state: str) -> str:
    return str(EState(state).label) if state in EState.values else state


def _move(actor: Actor, ev: gm.Evaluation, revision: int, now: datetime, to: str) -> gm.Evaluation:
    obj: gm.Evaluation = _locked(gm.Evaluation, ev.pk, revision)
    allowed = {
        DECIDED: {DRAFT},
        PUBLISHED: {DECIDED},
        DRAFT: {DECIDED, PUBLISHED},
    }[to]
    if obj.state not in allowed:
        raise ServiceError(
            {
                DECIDED: "下書きの評価だけを決定できます / only a draft evaluation can be decided",
                PUBLISHED: "決定した評価だけを公開できます / only a decided evaluation can be published",
                DRAFT: "この評価はすでに下書きです / the evaluation is a draft already",
            }[to]
        )
    obj.state = to
    if to == DECIDED:
        obj.decided_by, obj.decided_at = _by(actor), now
    elif to == PUBLISHED:
        obj.published_at = now
    else:
        obj.decided_by = obj.decided_at = obj.published_at = None
    obj.updated_at = now
    obj.revision += 1
    _save(obj, actor)
    return obj


@transaction.atomic
def evaluation_decide(actor: Actor, ev: gm.Evaluation, *, revision: int, now: datetime) -> gm.Evaluation:
    """決定: the approver role accepts a draft evaluation as the organisation's decision (not public yet)."""
    require(actor, "evaluation.decide", ev.measure.plan)
    _done = _move(actor, ev, revision, now, DECIDED)
    logger.info("evaluation_decide: %s -> %s (by %s)", logs.ref(ev), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def evaluation_publish(actor: Actor, ev: gm.Evaluation, *, revision: int, now: datetime) -> gm.Evaluation:
    """公開: a decided evaluation becomes public (pages, API, open data, reports)."""
    require(actor, "evaluation.decide", ev.measure.plan)
    _done = _move(actor, ev, revision, now, PUBLISHED)
    logger.info("evaluation_publish: %s -> %s (by %s)", logs.ref(ev), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def evaluation_withdraw(actor: Actor, ev: gm.Evaluation, *, revision: int, now: datetime) -> gm.Evaluation:
    """下書きに戻す: take a decided or published evaluation back to draft (no longer public)."""
    require(actor, "evaluation.decide", ev.measure.plan)
    _done = _move(actor, ev, revision, now, DRAFT)
    logger.info("evaluation_withdraw: %s -> %s (by %s)", logs.ref(ev), logs.ref(_done), logs.by(actor))
    return _done


def _year_move(actor: Actor, plan: pm.Plan, fiscal_year: int, now: datetime, frm: str, to: str) -> int:
    if not 1900 <= fiscal_year <= 2200:
        raise ServiceError("年度が不正です / fiscal year out of range")
    n = 0
    for ev in gm.Evaluation.objects.select_for_update().filter(
        measure__plan=plan, fiscal_year=fiscal_year, state=frm
    ):
        _move(actor, ev, ev.revision, now, to)
        n += 1
    if n == 0:
        word = evaluation_state_label(frm)
        raise NotFound(f"{word}の評価がありません / no {frm} evaluation that year")
    return n


@transaction.atomic
def evaluations_decide(actor: Actor, plan: pm.Plan, fiscal_year: int, *, now: datetime) -> int:
    """Decide every draft evaluation of the plan's ``fiscal_year``; the number decided."""
    require(actor, "evaluation.decide", plan)
    _done = _year_move(actor, plan, fiscal_year, now, DRAFT, DECIDED)
    logger.info("evaluations_decide: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def evaluations_publish(actor: Actor, plan: pm.Plan, fiscal_year: int, *, now: datetime) -> int:
    """Publish every decided evaluation of the plan's ``fiscal_year``; the number published."""
    require(actor, "evaluation.decide", plan)
    _done = _year_move(actor, plan, fiscal_year, now, DECIDED, PUBLISHED)
    logger.info("evaluations_publish: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done
