"""One decorator for manage views: domain errors → 404, login redirect or an explained 403 page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from keikaku.services.errors import NotFound, PermissionDenied


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NotFound → 404; PermissionDenied → the login page for visitors, a 403 page that says why otherwise."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kw: Any) -> HttpResponse:
        try:
            return view(request, *args, **kw)
        except NotFound as e:
            raise Http404(str(e)) from None
        except PermissionDenied as e:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return render(request, "403.html", {"reason": str(e)}, status=403)

    return wrapper
