from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "keikaku.db.plans"
    label = "plans"  # the label the tables and migrations were made under: never change it
    verbose_name = "計画 / Plans"
    default_auto_field = "django.db.models.BigAutoField"
