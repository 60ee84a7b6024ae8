from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "keikaku.web.plans"
    label = "plans"
    verbose_name = "計画 / Plans"
    default_auto_field = "django.db.models.BigAutoField"
