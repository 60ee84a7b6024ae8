from django.urls import path
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from keikaku.web.api import pdca, read, write
from keikaku.web.api.errors import declare_error_responses


class UTF8Renderer(JSONRenderer):
    """Japanese stays as UTF-8 text, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="keikaku API", version="1", renderer=UTF8Renderer(), docs_url="/docs", urls_namespace="api"
)
api.add_router("/", read.router)
api.add_router("/", pdca.router)
api.add_router("/", write.router)
declare_error_responses(api)  # after the last add_router: 400/401/403/404/409/422 in every operation's entry

urlpatterns = [path("", api.urls)]
