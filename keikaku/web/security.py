"""Login throttling (django-axes) as keikaku uses it.

Settings: ``AXES_*`` in keikaku.web.settings (``KEIKAKU_LOGIN_FAILURE_LIMIT``,
``KEIKAKU_LOGIN_LOCKOUT_MINUTES``); the lockout page: ``accounts/lockout.html``.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' check before the password backend: a user name locked from this address is refused.

    Without a request (``authenticate()`` called by code, e.g. the test client's ``login``) there is no
    address to throttle and no attempt to count: the check is skipped instead of raising."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def unlock(username: str) -> int:
    """Forget the failed logins of ``username`` from every address (what an administrator does from the
    admin's 「ログイン試行」 page); returns how many lock records were removed."""
    from axes.utils import reset

    return int(reset(username=username))


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> Any:
    """The Japanese (or English) lockout page, HTTP 429 (``AXES_LOCKOUT_CALLABLE``)."""
    from django.conf import settings
    from django.shortcuts import render

    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "accounts/lockout.html", context, status=429)
