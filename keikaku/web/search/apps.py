from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "keikaku.web.search"
    label = "search"
    verbose_name = "検索 / Search"
    default_auto_field = "django.db.models.BigAutoField"
