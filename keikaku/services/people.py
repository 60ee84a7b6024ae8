"""People and permissions: the one place that says who may do what.

``can(user, action, obj)`` answers; ``require(...)`` raises :class:`PermissionDenied`. Views, the API and
the use cases all call these. Roles are per organisation (Membership); a user without a membership in an
organisation — and the anonymous public — sees only published plans and approved progress.

Actions (``obj`` in brackets):
  plan.view [Plan]            published → everyone; draft → members
  plan.edit [Plan]            admin, editor (edit a draft, submit it for review, revise, manage the plan)
  plan.approve [Plan]         admin (the approver: approve or return a version in review, publish, withdraw)
  progress.view [ProgressReport]  approved report of a published plan → everyone; else members
  progress.edit [Measure]     admin, editor; reporter for measures of their departments
  progress.review [Plan]      admin, editor (approve / return)
  evaluation.edit [Plan]      admin, editor (write evaluations; a change puts a decided one back to draft)
  evaluation.decide [Plan]    admin (the approver role, 推進本部: decide, publish, take back to draft)
  period.manage [Plan]        admin (open / close periods, set due dates)
  department.merge [Organisation]  admin, editor
  history.view [Plan]         members
  manage [Organisation]       members (see the manage pages at all)
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from keikaku.db.accounts.models import ApiToken, Membership, Role
from keikaku.db.plans import models as pm
from keikaku.services import logs
from keikaku.services.errors import NotFound, PermissionDenied, ServiceError

logger = logging.getLogger(__name__)

# Who acts in a use case: a login, the anonymous public, or None — the operator at the server's command
# line (keikaku load / import / publish / user), who may do anything the command offers.
Actor: TypeAlias = AbstractBaseUser | AnonymousUser | None

ACTIONS = (
    "plan.view",
    "plan.edit",
    "plan.approve",
    "progress.view",
    "progress.edit",
    "progress.review",
    "evaluation.edit",
    "evaluation.decide",
    "period.manage",
    "department.merge",
    "history.view",
    "manage",
)
_PLANNERS = {Role.ADMIN, Role.EDITOR}


def _organisation_of(obj: Any) -> pm.Organisation:
    from keikaku.db.progress import models as gm

    if isinstance(obj, pm.Organisation):
        return obj
    if isinstance(obj, pm.Plan):
        return obj.organisation
    if isinstance(obj, pm.Measure | pm.Section | pm.Policy):
        return obj.plan.organisation
    if isinstance(obj, pm.Kpi):
        return obj.measure.plan.organisation
    if isinstance(obj, gm.ProgressReport):
        return obj.measure.plan.organisation
    if isinstance(obj, gm.ReportingPeriod | gm.Evaluation):
        return _organisation_of(obj.plan if isinstance(obj, gm.ReportingPeriod) else obj.measure)
    if isinstance(obj, pm.Department):
        return obj.organisation
    raise TypeError(f"no organisation for {type(obj).__name__}")


def membership(user: Any, organisation: pm.Organisation) -> Membership | None:
    """The user's membership in the organisation (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_keikaku_memberships", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(user=user, organisation=organisation)
            .prefetch_related("departments")
            .first()
        )
    return cache[organisation.pk]


def role(user: Any, organisation: pm.Organisation) -> str | None:
    ms = membership(user, organisation)
    return ms.role if ms else None


def _reporter_covers(ms: Membership, measure: pm.Measure) -> bool:
    mine = {d.pk for d in ms.departments.all()}
    return bool(mine) and measure.department_links.filter(department_id__in=mine).exists()


def can(user: Any, action: str, obj: Any) -> bool:
    """Whether ``user`` (a Django user or AnonymousUser) may do ``action`` on ``obj``."""
    from keikaku.db.progress import models as gm

    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    ms = membership(user, _organisation_of(obj))
    r = ms.role if ms else None
    if action == "plan.view":
        return obj.is_published or r is not None
    if action == "progress.view":
        assert isinstance(obj, gm.ProgressReport)
        public = obj.state == gm.ProgressReport.State.APPROVED and obj.measure.plan.is_published
        return public or r is not None
    if action == "progress.edit":
        if r in _PLANNERS:
            return True
        return r == Role.REPORTER and ms is not None and _reporter_covers(ms, obj)
    if action in ("plan.edit", "progress.review", "evaluation.edit", "department.merge"):
        return r in _PLANNERS
    if action in ("period.manage", "plan.approve", "evaluation.decide"):
        return r == Role.ADMIN
    # history.view, manage
    return r is not None


def require(user: Any, action: str, obj: Any) -> None:
    if not can(user, action, obj):
        e = PermissionDenied(f"権限がありません / not allowed: {action}")
        e.action = action
        raise e


def organisations_of(user: Any) -> list[pm.Organisation]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(pm.Organisation.objects.filter(memberships__user=user).order_by("prefecture", "name"))


def reportable_departments(user: Any, organisation: pm.Organisation) -> list[int] | None:
    """Department ids a reporter may report for; None = all (planners); [] = none."""
    ms = membership(user, organisation)
    if ms is None:
        return []
    if ms.role in _PLANNERS:
        return None
    if ms.role == Role.REPORTER:
        return [d.pk for d in ms.departments.all()]
    return []


# ---- memberships -------------------------------------------------------------------------------


@transaction.atomic
def membership_set(
    user: Any, organisation: pm.Organisation, role_: str, departments: Sequence[pm.Department] = ()
) -> Membership:
    """Give a user a role in an organisation (replacing an earlier one)."""
    if role_ not in Role.values:
        raise ServiceError(f"不明な役割 / unknown role: {role_}")
    for d in departments:
        if d.organisation_id != organisation.pk:
            raise PermissionDenied("部署が別の団体のものです / department of another organisation")
    ms, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role_}
    )
    ms.departments.set(departments)
    user.__dict__.pop("_keikaku_memberships", None)
    _done = ms
    logger.info("membership_set: %s -> %s (by %s)", logs.ref(user), logs.ref(_done), "operator")
    return _done


# ---- departments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    department: pm.Department
    links_moved: int
    reporters_moved: int
    aliases: list[str]


@transaction.atomic
def department_merge(
    actor: Actor, keep: pm.Department, alias: pm.Department, *, now: datetime | None = None
) -> MergeResult:
    """Merge ``alias`` into ``keep``: measure links and reporters move, the alias name is recorded."""
    require(actor, "department.merge", keep.organisation)
    if keep.pk == alias.pk:
        raise ServiceError("同じ部署です / the same department")
    if keep.organisation_id != alias.organisation_id:
        raise PermissionDenied("別の団体の部署は統合できません / departments of different organisations")
    moved = pm.MeasureDepartment.objects.filter(department=alias).update(department=keep)
    reporters = 0
    for ms in Membership.objects.filter(departments=alias):
        ms.departments.remove(alias)
        ms.departments.add(keep)
        reporters += 1
    names = list(keep.aliases or [])
    for n in [alias.name, *(alias.aliases or [])]:
        if n not in names and n != keep.name:
            names.append(n)
    keep.aliases = names
    if actor is not None and getattr(actor, "is_authenticated", False):
        keep._history_user = actor
    keep.save()
    alias.delete()
    _done = MergeResult(department=keep, links_moved=moved, reporters_moved=reporters, aliases=names)
    logger.info("department_merge: %s -> %s (by %s)", logs.ref(keep), logs.ref(_done), logs.by(actor))
    return _done


# ---- API tokens --------------------------------------------------------------------------------

TOKEN_PREFIX = "kk_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(
    actor: Actor, name: str, *, now: datetime, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new API token of ``actor``'s own (an active login); returns the row and the token text (shown
    once, stored hashed)."""
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        raise PermissionDenied("ログインが必要です / log in first")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=actor,
        name=name[:100] or "token",
        prefix=token[:10],
        token_hash=_hash(token),
        created_at=now,
        expires_at=expires_at,
    )
    _done = row, token
    logger.info("token_create: %s -> %s (by %s)", logs.ref(name), logs.ref(_done), logs.by(actor))
    return _done


def token_authenticate(token: str, *, now: datetime) -> Any | None:
    """The active user a token belongs to, or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = ApiToken.objects.select_related("user").filter(token_hash=_hash(token), revoked=False).first()
    if row is None or not row.user.is_active or (row.expires_at and row.expires_at <= now):
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def token_revoke(actor: Actor, token_id: int) -> None:
    row = ApiToken.objects.filter(pk=token_id).first()
    if row is None:
        raise NotFound(f"no token {token_id}")
    if row.user_id != getattr(actor, "pk", None) and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("他人のトークンです / not your token")
    row.revoked = True
    row.save(update_fields=["revoked"])
    logger.info("token_revoke: %s -> %s (by %s)", logs.ref(token_id), logs.ref(None), logs.by(actor))


@dataclass(frozen=True)
class UserUpsert:
    user: Any
    created: bool


@transaction.atomic
def user_upsert(
    actor: Actor,
    username: str,
    *,
    email: str | None = None,
    password: str | None = None,
    superuser: bool = False,
) -> UserUpsert:
    """Create the login ``username`` or update it: ``email`` when given, ``superuser`` (may use /admin/)
    when true, ``password`` when given — a new login without one gets an unusable password (it signs in
    once one is set). ``actor``: None for the operator at the server's command line, else a superuser."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("利用者を作れるのは管理者だけです / only a superuser manages logins")
    if not username or len(username) > 150:
        raise ServiceError(f"利用者名が不正です / bad login name: {username!r}")
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": email or ""})
    if email:
        user.email = email
    if superuser:
        user.is_staff = user.is_superuser = True
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    _done = UserUpsert(user, created)
    logger.info("user_upsert: %s -> %s (by %s)", logs.ref(username), logs.ref(_done), logs.by(actor))
    return _done


def organisation_lookup(name_or_id: str) -> pm.Organisation:
    """The one organisation named ``name_or_id`` (or with that id); NotFound when none or several."""
    qs = pm.Organisation.objects.all()
    matches = list(qs.filter(pk=int(name_or_id)) if name_or_id.isdigit() else qs.filter(name=name_or_id))
    if len(matches) != 1:
        raise NotFound(f"団体が見つかりません / no single organisation: {name_or_id}")
    return matches[0]


def department_lookup(organisation: pm.Organisation, name: str) -> pm.Department:
    """The organisation's department called ``name``; NotFound otherwise."""
    d = pm.Department.objects.filter(organisation=organisation, name=name).first()
    if d is None:
        raise NotFound(f"部署が見つかりません / no such department: {name}")
    return d


def user_get(username: str) -> Any:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise NotFound(f"利用者 {username} はいません / no user {username}") from None


ANONYMOUS = AnonymousUser()
