"""People: a user's role in an organisation (Membership) and API tokens.

Authentication is Django's own (users, sessions, password hashing). Authorisation is one module,
``keikaku.services.people`` (``can`` / ``require``), used by views, the API and the use cases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keikaku.db.plans.models import Department, Organisation


class Role(models.TextChoices):
    ADMIN = "admin", _("管理者 (CIO・推進本部事務局)")
    EDITOR = "editor", _("計画担当")
    REPORTER = "reporter", _("担当課報告者")
    VIEWER = "viewer", _("閲覧者")


class Membership(models.Model):
    """A user's role in one organisation. A reporter reports only on the measures of ``departments``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="reporters", verbose_name=_("担当部署")
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("所属と役割")
        verbose_name_plural = _("所属と役割")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class ApiToken(models.Model):
    """A bearer token for the API. Only the SHA-256 of the token is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名前"), max_length=100)
    prefix = models.CharField(_("先頭文字"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("作成日時"))
    last_used_at = models.DateTimeField(_("最終使用日時"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    revoked = models.BooleanField(_("失効"), default=False)

    class Meta:
        verbose_name = _("API トークン")
        verbose_name_plural = _("API トークン")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
