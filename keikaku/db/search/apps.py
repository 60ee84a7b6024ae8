from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "keikaku.db.search"
    label = "search"  # the label the tables and migrations were made under: never change it
    verbose_name = "検索 / Search"
    default_auto_field = "django.db.models.BigAutoField"
