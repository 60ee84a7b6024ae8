from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "keikaku.web.search"
    label = "web_search"  # pages, templates and admin; the models are keikaku.db.search (label "search")
    verbose_name = "検索 / Search"
