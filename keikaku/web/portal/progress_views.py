"""Public progress: the dashboard at /plans/<id>/progress/, the actuals and evaluations as open data
(progress.csv, progress.json) and an Atom feed of approved reports and published evaluations. Thin: the
reads are keikaku.services.public_progress (approved reports and published evaluations only)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from keikaku.core.fiscal import display
from keikaku.services import NotFound
from keikaku.services import public_progress as pp
from keikaku.web.portal.views import MAX_ID, _public


def _open_data(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_public
def progress_csv(request: HttpRequest, plan_id: int) -> HttpResponse:
    data = pp.progress_data(plan_id)
    response = HttpResponse(pp.progress_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{data.plan.pk}-progress.csv"'
    return _open_data(response)


@_public
def progress_json(request: HttpRequest, plan_id: int) -> HttpResponse:
    doc = pp.progress_document(pp.progress_data(plan_id))
    return _open_data(JsonResponse(doc, json_dumps_params={"ensure_ascii": False, "indent": 1}))


class ProgressFeed(Feed):
    """Atom feed of one plan: its approved progress reports and published evaluations, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, plan_id: int) -> Any:  # type: ignore[override]
        if int(plan_id) > MAX_ID:
            raise Http404("no such id")
        try:
            return pp.progress_feed(int(plan_id))
        except NotFound as e:
            raise Http404(str(e)) from None

    def title(self, obj: Any) -> str:
        return gettext("%(plan)s の進捗") % {"plan": obj[0].title}

    def link(self, obj: Any) -> str:
        return reverse("portal:progress", args=[obj[0].pk])

    def subtitle(self, obj: Any) -> str:
        return gettext("承認された進捗報告と公開された評価（%(org)s）") % {"org": obj[0].organisation.name}

    def items(self, obj: Any) -> list[pp.FeedEntry]:
        return obj[1]

    def item_title(self, item: pp.FeedEntry) -> str:
        name = " ".join(filter(None, [item.measure.key or "", item.measure.title]))
        year = display(item.fiscal_year)
        if item.quarter:
            year = gettext("%(year)s 第%(quarter)s四半期") % {"year": year, "quarter": item.quarter}
        if item.kind == "evaluation":
            return gettext("%(measure)s — %(year)s の評価: %(word)s") % {
                "measure": name,
                "year": year,
                "word": item.word,
            }
        return gettext("%(measure)s — %(year)s の進捗: %(word)s") % {
            "measure": name,
            "year": year,
            "word": item.word,
        }

    def item_description(self, item: pp.FeedEntry) -> str:
        return item.text

    def item_link(self, item: pp.FeedEntry) -> str:
        return reverse("portal:measure", args=[item.measure.pk]) + f"#{item.kind}-{item.id}"

    def item_updateddate(self, item: pp.FeedEntry) -> Any:
        return item.when

    def item_pubdate(self, item: pp.FeedEntry) -> Any:
        return item.when


progress_feed = _public(ProgressFeed())
