"""Editing a draft plan version itself: its fields (title, organisation, kinds, period, published date,
contact, related plans), its narrative sections and its policy tree. The same rules as
keikaku.services.editing: ``actor`` first and ``plan.edit`` before writing, drafts only, the plan's
``revision`` as the caller read it (Conflict when stale), every change logged old → new in Japanese.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max

from keikaku.core import plan as core
from keikaku.core.plan import MAX_FY, MIN_FY
from keikaku.core.text import one_line
from keikaku.db.plans import models as pm
from keikaku.services import changes as log
from keikaku.services import logs
from keikaku.services.confidence import plan_unconfirmed
from keikaku.services.editing import bump_plan, locked_plan
from keikaku.services.errors import NotFound, ServiceError
from keikaku.services.people import Actor, can, require
from keikaku.services.plans import plan_get

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanEditor:
    """What the plan editor shows."""

    plan: pm.Plan
    sections: list[pm.Section]
    policies: list[pm.Policy]  # in tree order, with ``depth``
    measures: list[pm.Measure]  # in the plan's order, with ``policy``
    departments: list[str]  # the organisation's department names
    editable: bool  # a draft: the forms are offered
    may_approve: bool
    to_check: dict[int, list[str]] = field(default_factory=dict)  # measure id → what is 要確認


def plan_editor(actor: Actor, plan_id: int) -> PlanEditor:
    """The plan for the editor: NotFound outside its organisation, PermissionDenied without the editor
    role."""
    plan = plan_get(plan_id)
    if not can(actor, "plan.view", plan):
        raise NotFound(f"計画 {plan_id} はありません。")
    require(actor, "plan.edit", plan)
    return PlanEditor(
        plan=plan,
        sections=list(plan.sections.order_by("order")),
        policies=list(plan.policies.order_by("order")),
        measures=list(plan.measures.select_related("policy").order_by("order")),
        departments=list(plan.organisation.departments.order_by("name").values_list("name", flat=True)),
        editable=plan.status == pm.DRAFT,
        may_approve=can(actor, "plan.approve", plan),
        to_check={mid: u.labels for mid, u in plan_unconfirmed(plan).items()},
    )


# ---- the version's fields ----------------------------------------------------------------------

PLAN_LABELS = {
    "title": "計画名",
    "kinds": "計画の種類",
    "period": "計画期間",
    "period_note": "期間の注記",
    "published": "公表年月",
    "version": "版",
    "contact_section": "問い合わせ先（担当）",
    "contact_phone": "問い合わせ先（電話）",
    "contact_email": "問い合わせ先（電子メール）",
    "related_plans": "位置付け（関連する計画）",
}
KINDS = [k.value for k in core.PlanKind]


@dataclass
class PlanInput:
    title: str
    kinds: list[str] = field(default_factory=list)
    period_start: int | None = None
    period_end: int | None = None
    period_note: str = ""
    published: str = ""  # YYYY-MM
    version: str = ""
    contact_section: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    related_plans: list[str] = field(default_factory=list)


def _period(start: int | None, end: int | None) -> str:
    if not start and not end:
        return ""
    return f"{log.fiscal(start)} 〜 {log.fiscal(end) if end else '（終わりなし）'}"


def _plan_values(p: pm.Plan) -> dict[str, Any]:
    contact = p.contact or {}
    return {
        "title": p.title,
        "kinds": list(p.kinds),
        "period": _period(p.period_start, p.period_end),
        "period_note": p.period_note or "",
        "published": p.published,
        "version": p.version or "",
        "contact_section": contact.get("section", ""),
        "contact_phone": contact.get("phone", ""),
        "contact_email": contact.get("email", ""),
        "related_plans": list(p.related_plans or []),
    }


def _clean_plan(data: PlanInput) -> PlanInput:
    title = one_line(data.title)
    if not title or len(title) > 500:
        raise ServiceError("計画名を 500 字までで入力してください。")
    if any(k not in KINDS for k in data.kinds):
        raise ServiceError("計画の種類は一覧から選んでください。")
    for fy in (data.period_start, data.period_end):
        if fy is not None and not MIN_FY <= fy <= MAX_FY:
            raise ServiceError(f"計画期間は {MIN_FY}〜{MAX_FY} の西暦の年度で入力してください。")
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise ServiceError("計画期間の終わりが始まりより前です。")
    published = data.published.strip()
    if published and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", published):
        raise ServiceError("公表年月は 2025-04 のように 年-月 で入力してください。")
    email = data.contact_email.strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ServiceError("問い合わせ先の電子メールアドレスが正しくありません。")
    return PlanInput(
        title=title,
        kinds=[k for k in KINDS if k in data.kinds],
        period_start=data.period_start,
        period_end=data.period_end,
        period_note=data.period_note.strip(),
        published=published,
        version=data.version.strip()[:50],
        contact_section=data.contact_section.strip()[:200],
        contact_phone=data.contact_phone.strip()[:50],
        contact_email=email[:200],
        related_plans=[r.strip()[:500] for r in data.related_plans if r.strip()],
    )


@transaction.atomic
def plan_update(actor: Actor, plan: pm.Plan, data: PlanInput, *, revision: int, now: datetime) -> pm.Plan:
    """Change the version's title, kinds, period, published date, version, contact (問い合わせ先, shown
    on the public plan page) and related plans (位置付け). ``revision``: the plan's."""
    require(actor, "plan.edit", plan)
    row = locked_plan(plan, revision)
    data = _clean_plan(data)
    before = _plan_values(row)
    row.title = data.title
    row.kinds = data.kinds
    row.period_start, row.period_end = data.period_start, data.period_end
    row.period_note = data.period_note or None
    row.published = data.published
    row.version = data.version or None
    row.contact = {
        k: v
        for k, v in (
            ("section", data.contact_section),
            ("phone", data.contact_phone),
            ("email", data.contact_email),
        )
        if v
    }
    row.related_plans = data.related_plans
    row.revision += 1
    row.updated_at = now
    if actor is not None and getattr(actor, "is_authenticated", False):
        row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    lines = log.describe(PLAN_LABELS, before, _plan_values(row))
    if lines:
        log.log(actor, row, "edit", "計画", lines, now=now)
    _done = row
    logger.info("plan_update: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


# ---- narrative sections ------------------------------------------------------------------------


def section_get(section_id: int) -> pm.Section:
    try:
        return pm.Section.objects.select_related("plan__organisation").get(pk=section_id)
    except (pm.Section.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"本文の節 {section_id} はありません。") from None


def _section_label(title: str) -> str:
    return f"本文「{log.text(title)}」"


def _renumber_sections(plan: pm.Plan, ordered: list[pm.Section]) -> None:
    for i, s in enumerate(ordered):
        if s.order != i:
            pm.Section.objects.filter(pk=s.pk).update(order=i)


def _clean_section(title: str, key: str, text: str) -> tuple[str, str | None, str]:
    title = one_line(title)
    if not title or len(title) > 500:
        raise ServiceError("節の見出しを 500 字までで入力してください。")
    return title, key.strip()[:50] or None, text.strip()


@transaction.atomic
def section_create(
    actor: Actor, plan: pm.Plan, *, title: str, text: str = "", key: str = "", revision: int, now: datetime
) -> pm.Section:
    """Add a narrative section (Markdown) at the end. ``revision``: the plan's."""
    require(actor, "plan.edit", plan)
    row = locked_plan(plan, revision)
    title, key_, text = _clean_section(title, key, text)
    top = pm.Section.objects.filter(plan=row).aggregate(n=Max("order"))["n"]
    s = pm.Section.objects.create(
        plan=row, order=0 if top is None else top + 1, key=key_, title=title, text=text
    )
    bump_plan(row, actor, now)
    log.log(actor, row, "create", _section_label(title), [f"本文: {log.text(text)}"], now=now)
    _done = s
    logger.info("section_create: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def section_update(
    actor: Actor, section: pm.Section, *, title: str, text: str, key: str = "", revision: int, now: datetime
) -> pm.Section:
    """Change a section's heading, number and text. ``revision``: the plan's."""
    require(actor, "plan.edit", section.plan)
    row = locked_plan(section.plan, revision)
    title, key_, text = _clean_section(title, key, text)
    s = pm.Section.objects.get(pk=section.pk)
    before = {"key": s.key or "", "title": s.title, "text": s.text}
    s.key, s.title, s.text = key_, title, text
    s.save()
    bump_plan(row, actor, now)
    labels = {"key": "番号", "title": "見出し", "text": "本文"}
    lines = log.describe(labels, before, {"key": key_ or "", "title": title, "text": text})
    log.log(actor, row, "edit", _section_label(before["title"]), lines, now=now)
    _done = s
    logger.info("section_update: %s -> %s (by %s)", logs.ref(section), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def section_move(actor: Actor, section: pm.Section, *, step: int, revision: int, now: datetime) -> None:
    """Move a section up (``step`` -1) or down (+1). ``revision``: the plan's."""
    require(actor, "plan.edit", section.plan)
    row = locked_plan(section.plan, revision)
    ordered = list(pm.Section.objects.filter(plan=row).order_by("order", "pk"))
    i = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
    j = max(0, min(len(ordered) - 1, i + step))
    if i == j:
        return
    ordered.insert(j, ordered.pop(i))
    _renumber_sections(row, ordered)
    bump_plan(row, actor, now)
    log.log(
        actor, row, "move", _section_label(section.title), [f"順番: {i + 1} 番目 → {j + 1} 番目"], now=now
    )


@transaction.atomic
def section_delete(actor: Actor, section: pm.Section, *, revision: int, now: datetime) -> None:
    """Delete a narrative section. ``revision``: the plan's."""
    require(actor, "plan.edit", section.plan)
    row = locked_plan(section.plan, revision)
    label = _section_label(section.title)
    pm.Section.objects.filter(pk=section.pk).delete()
    _renumber_sections(row, list(pm.Section.objects.filter(plan=row).order_by("order", "pk")))
    bump_plan(row, actor, now)
    log.log(actor, row, "delete", label, [f"削除: {label}"], now=now)
    logger.info("section_delete: %s -> %s (by %s)", logs.ref(section), logs.ref(None), logs.by(actor))


# ---- the policy tree ---------------------------------------------------------------------------


def policy_get(policy_id: int) -> pm.Policy:
    try:
        return pm.Policy.objects.select_related("plan__organisation").get(pk=policy_id)
    except (pm.Policy.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"施策体系 {policy_id} はありません。") from None


def _policy_label(key: str, title: str) -> str:
    return f"施策体系「{log.text(f'{key} {title}'.strip())}」"


def _renumber_policies(plan: pm.Plan, siblings_order: dict[int | None, list[int]]) -> None:
    """Store the tree in pre-order (``order``) with each node's ``depth``, from each parent's children
    in the wanted order."""
    counter = 0

    def walk(parent: int | None, depth: int) -> None:
        nonlocal counter
        for pk in siblings_order.get(parent, []):
            pm.Policy.objects.filter(pk=pk).update(order=counter, depth=depth, parent_id=parent)
            counter += 1
            walk(pk, depth + 1)

    walk(None, 0)


def _tree(plan: pm.Plan) -> dict[int | None, list[int]]:
    out: dict[int | None, list[int]] = {}
    for p in pm.Policy.objects.filter(plan=plan).order_by("order", "pk"):
        out.setdefault(p.parent_id, []).append(p.pk)
    return out


def _clean_policy(key: str, title: str) -> tuple[str, str]:
    key, title = key.strip(), one_line(title)
    if not key or not title or len(key) > 100 or len(title) > 500:
        raise ServiceError("施策体系の番号（100 字まで）と名称（500 字まで）を入力してください。")
    return key, title


@transaction.atomic
def policy_create(
    actor: Actor,
    plan: pm.Plan,
    *,
    key: str,
    title: str,
    parent: pm.Policy | None = None,
    revision: int,
    now: datetime,
) -> pm.Policy:
    """Add a policy as the last child of ``parent`` (or at the top level). ``revision``: the plan's."""
    require(actor, "plan.edit", plan)
    row = locked_plan(plan, revision)
    key, title = _clean_policy(key, title)
    if parent is not None and parent.plan_id != row.pk:
        raise ServiceError("上位の施策体系がこの計画にありません。")
    p = pm.Policy.objects.create(plan=row, parent=parent, order=10**6, depth=0, key=key, title=title)
    tree = _tree(row)
    _renumber_policies(row, tree)
    bump_plan(row, actor, now)
    where = f"（上位: {log.text(parent.key)}）" if parent else ""
    log.log(actor, row, "create", _policy_label(key, title), [f"追加{where}"], now=now)
    p.refresh_from_db()
    _done = p
    logger.info("policy_create: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def policy_update(
    actor: Actor, policy: pm.Policy, *, key: str, title: str, revision: int, now: datetime
) -> pm.Policy:
    """Rename a policy (number and name); its measures follow the new number. ``revision``: the plan's."""
    require(actor, "plan.edit", policy.plan)
    row = locked_plan(policy.plan, revision)
    key, title = _clean_policy(key, title)
    p = pm.Policy.objects.get(pk=policy.pk)
    before = {"key": p.key, "title": p.title}
    p.key, p.title = key, title
    p.save()
    pm.Measure.objects.filter(policy=p).update(policy_key=key)
    bump_plan(row, actor, now)
    lines = log.describe({"key": "番号", "title": "名称"}, before, {"key": key, "title": title})
    log.log(actor, row, "edit", _policy_label(before["key"], before["title"]), lines, now=now)
    _done = p
    logger.info("policy_update: %s -> %s (by %s)", logs.ref(policy), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def policy_move(
    actor: Actor,
    policy: pm.Policy,
    *,
    revision: int,
    now: datetime,
    step: int = 0,
    parent: pm.Policy | None = None,
    to_top: bool = False,
) -> None:
    """Move a policy among its siblings (``step`` -1 up, +1 down), under another ``parent``, or to the
    top level (``to_top``). Its children move with it. ``revision``: the plan's."""
    require(actor, "plan.edit", policy.plan)
    row = locked_plan(policy.plan, revision)
    tree = _tree(row)
    old_parent = policy.parent_id
    lines = []
    reparent = parent is not None or to_top
    new_parent = parent.pk if parent is not None else None if to_top else old_parent
    if reparent:
        if parent is not None:
            if parent.plan_id != row.pk:
                raise ServiceError("移動先の施策体系がこの計画にありません。")
            node: int | None = parent.pk
            ancestors = {p.pk: p.parent_id for p in pm.Policy.objects.filter(plan=row)}
            while node is not None:  # not under itself or its own descendants
                if node == policy.pk:
                    raise ServiceError("施策体系を自分の下には移動できません。")
                node = ancestors.get(node)
        if new_parent != old_parent:
            tree[old_parent].remove(policy.pk)
            tree.setdefault(new_parent, []).append(policy.pk)
            name = f"{parent.key} の下" if parent is not None else "最上位"
            lines.append(f"位置: {name}へ移動")
    if step:
        siblings = tree[new_parent]
        i = siblings.index(policy.pk)
        j = max(0, min(len(siblings) - 1, i + step))
        if i != j:
            siblings.insert(j, siblings.pop(i))
            lines.append(f"順番: {i + 1} 番目 → {j + 1} 番目")
    if not lines:
        return
    _renumber_policies(row, tree)
    bump_plan(row, actor, now)
    log.log(actor, row, "move", _policy_label(policy.key, policy.title), lines, now=now)


@transaction.atomic
def policy_delete(actor: Actor, policy: pm.Policy, *, revision: int, now: datetime) -> None:
    """Delete a policy without children; its measures stay in the plan, under no policy. ``revision``:
    the plan's."""
    require(actor, "plan.edit", policy.plan)
    row = locked_plan(policy.plan, revision)
    if pm.Policy.objects.filter(parent=policy).exists():
        raise ServiceError("下位の施策体系があるため削除できません。先に下位を移動するか削除してください。")
    label = _policy_label(policy.key, policy.title)
    n = pm.Measure.objects.filter(policy=policy).update(policy=None, policy_key=None)
    pm.Policy.objects.filter(pk=policy.pk).delete()
    _renumber_policies(row, _tree(row))
    bump_plan(row, actor, now)
    log.log(actor, row, "delete", label, [f"削除: {label}（施策 {n} 件は施策体系なしに）"], now=now)
    logger.info("policy_delete: %s -> %s (by %s)", logs.ref(policy), logs.ref(None), logs.by(actor))
