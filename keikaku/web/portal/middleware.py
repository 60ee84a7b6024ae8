"""Whole-response cache of public portal pages for anonymous visitors.

A public page shows the same thing to every visitor who has no session: no CSRF token, no user name (the
language switcher is a list of plain links, see views.language). Such responses are kept in the Django
cache (``KEIKAKU_CACHE_URL``) keyed by path + query string, language, htmx and the data stamp
(:func:`keikaku.services.portal.public_page_stamp`: any save or delete through the models — plan_save, a
revision, the admin — changes it, in this process at once, in other processes within
``KEIKAKU_PAGE_STAMP_SECONDS``, for which a process remembers a stamp), for at most
``KEIKAKU_PAGE_CACHE_SECONDS`` (changes made without the models, e.g. raw SQL, show after that). A hit
costs a cache read (and at most one small query a second per page), before sessions, CSRF, authentication
and the view run.

The host is checked against ``ALLOWED_HOSTS`` before the cache is read (``request.get_host()`` raises
DisallowedHost, answered with 400 as everywhere else), and it is part of the key: a page is never served
to, nor stored from, a host the site does not accept.

Never cached: requests with a session or messages cookie (signed-in visitors), methods other than
GET/HEAD, pages outside the portal app, responses other than 200, responses that set a cookie or used the
CSRF token, error pages of unknown or unpublished ids.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

from keikaku.services import portal as uc

MAX_ID = 2**62
MAX_BODY = 4 * 1024 * 1024  # larger responses are not kept
SKIP_COOKIES = ("messages",)  # besides the session cookie
UNCACHED = ("language", "schema")  # a redirect setting a cookie; a file read from disk (no data stamp needed)


class AnonymousPageCacheMiddleware:
    """Put it after WhiteNoise and before SessionMiddleware, so that a hit skips everything after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.timeout = int(getattr(settings, "KEIKAKU_PAGE_CACHE_SECONDS", 0))
        self.stamp_seconds = float(getattr(settings, "KEIKAKU_PAGE_STAMP_SECONDS", 0))
        self._stamps: dict[tuple, tuple[float, int, tuple | None]] = {}
        self._lock = threading.Lock()

    def _stamp(self, ids: dict[str, int]) -> tuple | None:
        """public_page_stamp, remembered for KEIKAKU_PAGE_STAMP_SECONDS in this process (a hit then needs
        no database at all); a save or delete in this process (the generation) forgets it at once."""
        if self.stamp_seconds <= 0:
            return uc.public_page_stamp(**ids)
        which, now, generation = tuple(sorted(ids.items())), time.monotonic(), uc.generation()
        known = self._stamps.get(which)
        if known is not None and known[1] == generation and now - known[0] < self.stamp_seconds:
            return known[2]
        stamp = uc.public_page_stamp(**ids)
        with self._lock:
            if len(self._stamps) > 10_000:
                self._stamps.clear()
            self._stamps[which] = (now, generation, stamp)
        return stamp

    def _key(self, request: HttpRequest) -> str | None:
        if self.timeout <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or any(c in request.COOKIES for c in SKIP_COOKIES):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.app_name != "portal" or match.url_name in UNCACHED:
            return None
        ids = {k: match.kwargs.get(k) for k in ("plan_id", "measure_id")}
        try:
            ids = {k: int(v) for k, v in ids.items() if v is not None}
        except ValueError:
            return None
        if any(v > MAX_ID for v in ids.values()):
            return None
        stamp = self._stamp(ids)
        if stamp is None:
            return None
        parts = (
            request.get_host(),
            request.get_full_path(),
            get_language_from_request(request),
            request.headers.get("HX-Request", ""),
            stamp,
        )
        return "portal-anon:" + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.get_host()  # ALLOWED_HOSTS before any cache: DisallowedHost → 400
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if self._storable(request, response):
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            cache.set(key, (response.content, headers), self.timeout)
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_USED") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        return isinstance(response, HttpResponse) and len(response.content) <= MAX_BODY
