"""A plan version's workflow: 下書き → 確認依頼 → 承認 → 公開.

- ``plan_submit``: an editor (or the admin) asks for review of a draft (``plan.edit``);
- ``plan_approve`` / ``plan_return``: the approver (``plan.approve``: the organisation's admin — the CIO
  or 推進本部事務局) approves a version in review, or returns it (in review or approved) to draft with a
  comment saying what to fix;
- ``plan_publish`` (keikaku.services.plans): the approver publishes an approved version;
  ``plan_withdraw``: the approver takes a published version back to draft.

Each takes the plan's ``revision`` as the caller read it (Conflict when stale), logs the step with its
comment (keikaku.services.changes), and only moves from the states named. ``plan_review`` reads what the
workflow page shows, with 「公開中の版からの変更」: the diff against the published version this draft
would follow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from keikaku.db.plans import models as pm
from keikaku.services import changes, logs
from keikaku.services.errors import Conflict, NotFound, ServiceError
from keikaku.services.people import Actor, can, require
from keikaku.services.plans import plan_get, plan_publish
from keikaku.services.revision import PlanDiff, plan_diff

logger = logging.getLogger(__name__)

__all__ = ["plan_approve", "plan_publish", "plan_return", "plan_review", "plan_submit", "plan_withdraw"]

MAX_COMMENT = 4000


def _step(
    actor: Actor,
    plan: pm.Plan,
    *,
    revision: int,
    now: datetime,
    action: str,
    allowed_from: tuple[str, ...],
    to: str,
    comment: str,
) -> pm.Plan:
    """Move ``plan`` from one of ``allowed_from`` to ``to`` (the caller has checked permission)."""
    row = pm.Plan.objects.select_for_update().get(pk=plan.pk)
    if row.revision != revision:
        raise Conflict("他の人がこの計画を先に更新しました。画面を読み直してから、もう一度操作してください。")
    if row.status not in allowed_from:
        states = "・".join(dict(pm.Plan.STATUS)[s] for s in allowed_from)
        raise ServiceError(
            f"この操作は「{states}」の版にだけできます（いまは「{row.get_status_display()}」）。"
        )
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ServiceError(f"コメントは {MAX_COMMENT} 字までです。")
    before = row.get_status_display()
    row.status = to
    row.revision += 1
    row.updated_at = now
    if actor is not None and getattr(actor, "is_authenticated", False):
        row._history_user = actor  # type: ignore[attr-defined]
    row.save(update_fields=["status", "revision", "updated_at"])
    line = f"状態: {before} → {row.get_status_display()}"
    changes.log(actor, row, action, "計画", [line], now=now, comment=comment)
    return row


@transaction.atomic
def plan_submit(actor: Actor, plan: pm.Plan, *, revision: int, now: datetime, comment: str = "") -> pm.Plan:
    """確認依頼: a draft goes to the approver's review. Editors and the admin."""
    require(actor, "plan.edit", plan)
    _done = _step(
        actor,
        plan,
        revision=revision,
        now=now,
        action="submit",
        allowed_from=(pm.DRAFT,),
        to=pm.REVIEW,
        comment=comment,
    )
    logger.info("plan_submit: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def plan_approve(actor: Actor, plan: pm.Plan, *, revision: int, now: datetime, comment: str = "") -> pm.Plan:
    """承認: the approver approves a version in review (it may then be published)."""
    require(actor, "plan.approve", plan)
    _done = _step(
        actor,
        plan,
        revision=revision,
        now=now,
        action="approve",
        allowed_from=(pm.REVIEW,),
        to=pm.APPROVED,
        comment=comment,
    )
    logger.info("plan_approve: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def plan_return(actor: Actor, plan: pm.Plan, *, revision: int, now: datetime, comment: str) -> pm.Plan:
    """差戻し: the approver returns a version in review (or approved) to draft, saying what to fix."""
    require(actor, "plan.approve", plan)
    if not comment.strip():
        raise ServiceError("差し戻す理由（直してほしいこと）をコメントに書いてください。")
    _done = _step(
        actor,
        plan,
        revision=revision,
        now=now,
        action="return",
        allowed_from=(pm.REVIEW, pm.APPROVED),
        to=pm.DRAFT,
        comment=comment,
    )
    logger.info("plan_return: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


def plan_withdraw(actor: Actor, plan: pm.Plan, *, revision: int, now: datetime, comment: str = "") -> pm.Plan:
    """公開の取り下げ: the approver takes a published version back to draft (residents no longer see it)."""
    require(actor, "plan.approve", plan)
    _done = plan_publish(actor, plan, revision=revision, now=now, publish=False, comment=comment)
    logger.info("plan_withdraw: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


def published_version(plan: pm.Plan) -> pm.Plan | None:
    """The published version this one follows: itself when published, else the nearest published
    version up its ``previous`` chain; None when there is none (a first plan)."""
    seen: set[int] = set()
    row: pm.Plan | None = plan
    while row is not None and row.pk not in seen:
        if row.is_published:
            return row
        seen.add(row.pk)
        row = row.previous
    return None


@dataclass(frozen=True)
class Review:
    """What the workflow page shows."""

    plan: pm.Plan
    may_edit: bool  # submit a draft
    may_approve: bool  # approve, return, publish, withdraw
    steps: list[changes.Change]  # the workflow's own log entries (with comments), newest first
    published: pm.Plan | None  # the published version the diff is against
    diff: PlanDiff | None  # 公開中の版からの変更; None when this is the published version or there is none


WORKFLOW_ACTIONS = ("submit", "approve", "return", "publish", "withdraw")


def plan_review(actor: Actor, plan_id: int) -> Review:
    """The plan's workflow state for a member: who may do what now, the steps so far with their comments,
    and the diff against the published version. NotFound for non-members."""
    plan = plan_get(plan_id)
    if not can(actor, "history.view", plan):
        raise NotFound(f"計画 {plan_id} はありません。")
    published = published_version(plan)
    diff = plan_diff(published, plan) if published is not None and published.pk != plan.pk else None
    steps = [c for c in changes.plan_changes(actor, plan) if c.action in WORKFLOW_ACTIONS]
    _done = Review(
        plan=plan,
        may_edit=can(actor, "plan.edit", plan),
        may_approve=can(actor, "plan.approve", plan),
        steps=steps,
        published=published,
        diff=diff,
    )
    logger.info("plan_review: %s -> %s (by %s)", logs.ref(plan_id), logs.ref(_done), logs.by(actor))
    return _done
