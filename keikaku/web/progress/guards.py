"""One decorator for manage views: domain errors → 404, login redirect or an explained 403 page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from keikaku.services.errors import NotFound, PermissionDenied

# what a refused action means, in the words of the 403 page (never the action's code)
REFUSALS = {
    "plan.view": _("この計画を見る権限がありません。"),
    "plan.edit": _("この計画を編集する権限がありません（計画担当・管理者の操作です）。"),
    "plan.approve": _("計画の版を承認・公開する権限がありません（管理者の操作です）。"),
    "progress.view": _("この進捗報告を見る権限がありません。"),
    "progress.edit": _(
        "この施策の進捗を報告する権限がありません（担当部署の報告担当・計画担当の操作です）。"
    ),
    "progress.review": _("進捗報告を承認・差戻しする権限がありません（計画担当・管理者の操作です）。"),
    "evaluation.edit": _("施策を評価する権限がありません（計画担当・管理者の操作です）。"),
    "period.manage": _("報告期間を開く・締め切る権限がありません（管理者の操作です）。"),
    "department.merge": _("部署を統合する権限がありません（計画担当・管理者の操作です）。"),
    "history.view": _("変更履歴を見る権限がありません（団体の職員の操作です）。"),
    "manage": _("この団体の進行管理の画面を見る権限がありません。"),
}


def refusal(e: PermissionDenied) -> str:
    """The 403 page's sentence for a refused action."""
    return str(REFUSALS.get(e.action or "", _("この操作を行う権限がありません。")))


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
            return render(request, "403.html", {"reason": refusal(e)}, status=403)

    return wrapper
