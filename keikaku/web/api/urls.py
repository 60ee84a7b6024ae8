from django.urls import path
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from keikaku.web.api import pdca, read


class UTF8Renderer(JSONRenderer):
    """Japanese stays as UTF-8 text, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="keikaku API", version="1", renderer=UTF8Renderer(), docs_url="/docs", urls_namespace="api"
)
api.add_router("/", read.router)
api.add_router("/", pdca.router)

urlpatterns = [path("", api.urls)]
