"""Organisations (団体): registering a new one when a plan of it is imported.

Only a system administrator (superuser) creates an organisation: with its prefecture (one of the 47, or
none when the document names none) and, when it has one,
its 全国地方公共団体コード — six digits with the right check digit, found in the code list that keikaku
ships (keikaku.core.lgcode) with the same prefecture and name. The creator becomes the new organisation's
admin, so that they see (and can hand on) the draft they import into it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from keikaku.core import lgcode
from keikaku.core.plan import OrganisationKind
from keikaku.core.prefectures import PREFECTURES
from keikaku.db.accounts.models import Role
from keikaku.db.plans import models as pm
from keikaku.services import logs
from keikaku.services.errors import PermissionDenied, ServiceError
from keikaku.services.people import membership_set

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewOrganisation:
    name: str
    prefecture: str
    code: str = ""


def may_create_organisation(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def organisation_kind(name: str, *, prefecture: bool) -> str:
    if prefecture:
        return OrganisationKind.PREFECTURE.value
    for suffix, kind in (("区", OrganisationKind.SPECIAL_WARD), ("市", OrganisationKind.CITY),
                         ("町", OrganisationKind.TOWN), ("村", OrganisationKind.VILLAGE)):  # fmt: skip
        if name.endswith(suffix):
            return kind.value
    return ""


def organisation_check(data: NewOrganisation) -> NewOrganisation:
    """The cleaned input, or ServiceError saying what is wrong (in Japanese)."""
    name, prefecture, code = " ".join(data.name.split()), data.prefecture.strip(), data.code.strip()
    code = code.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("-", "")
    if not name or len(name) > 200:
        raise ServiceError("団体名を入力してください（200 字まで）。")
    if prefecture and prefecture not in PREFECTURES:
        raise ServiceError("都道府県を一覧から選んでください。")
    if code:
        problem = lgcode.code_problem(code)
        if problem:
            raise ServiceError(problem)
        known = lgcode.lookup(code)
        if known is None:
            raise ServiceError(f"全国地方公共団体コード {code} は団体コードの一覧にありません。")
        if known.prefecture != prefecture or known.name != name:
            raise ServiceError(
                f"全国地方公共団体コード {code} は {known.prefecture} {known.name} のコードです（入力: {prefecture} {name}）。"
            )
        if pm.Organisation.objects.filter(code=code).exists():
            raise ServiceError(
                f"全国地方公共団体コード {code} の団体はすでに登録されています。一覧から選んでください。"
            )
    if pm.Organisation.objects.filter(name=name, prefecture=prefecture).exists():
        raise ServiceError(f"{prefecture} {name} はすでに登録されています。一覧から選んでください。")
    return NewOrganisation(name=name, prefecture=prefecture, code=code)


@transaction.atomic
def organisation_create(actor: Any, data: NewOrganisation) -> pm.Organisation:
    """Register an organisation (system administrators only); ``actor`` becomes its admin."""
    if not may_create_organisation(actor):
        raise PermissionDenied(
            "新しい団体はシステム管理者だけが登録できます / only a superuser creates organisations"
        )
    data = organisation_check(data)
    is_pref = bool(data.code) and data.code[2:5] == "000" or data.name == data.prefecture
    org = pm.Organisation.objects.create(
        name=data.name,
        prefecture=data.prefecture,
        code=data.code or None,
        kind=organisation_kind(data.name, prefecture=is_pref),
    )
    membership_set(actor, org, Role.ADMIN)
    _done = org
    logger.info("organisation_create: %s -> %s (by %s)", logs.ref(data), logs.ref(_done), logs.by(actor))
    return _done
