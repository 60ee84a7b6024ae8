"""The profile page: memberships and API tokens (created here, shown once, stored hashed)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from keikaku.db.accounts.models import ApiToken, Membership
from keikaku.services.errors import NotFound, PermissionDenied
from keikaku.services.people import token_create, token_revoke
from keikaku.web import clock


class TokenForm(forms.Form):
    name = forms.CharField(label=_("トークンの名前（用途）"), max_length=100)


def _profile(
    request: HttpRequest, form: TokenForm, new_token: str | None = None, status: int = 200
) -> HttpResponse:
    ctx = {
        "memberships": Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .prefetch_related("departments"),
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
        "form": form,
        "new_token": new_token,
    }
    return render(request, "accounts/profile.html", ctx, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request, TokenForm())


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _profile(request, form, status=400)
    _row, token = token_create(request.user, form.cleaned_data["name"], now=clock.now())
    return _profile(request, TokenForm(), new_token=token)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token_revoke(request.user, token_id)
    except (NotFound, PermissionDenied):
        raise Http404("no such token") from None
    return redirect("accounts:profile")
