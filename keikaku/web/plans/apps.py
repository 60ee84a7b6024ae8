from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "keikaku.web.plans"
    label = "web_plans"  # pages, templates and admin; the models are keikaku.db.plans (label "plans")
    verbose_name = "計画 / Plans"
