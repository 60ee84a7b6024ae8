from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "keikaku.web.portal"
    label = "portal"
    verbose_name = "ポータル / Portal"
