from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "keikaku.web.api"
    label = "api"
    verbose_name = "API"
