from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "keikaku.web.progress"
    label = (
        "web_progress"  # pages, templates and admin; the models are keikaku.db.progress (label "progress")
    )
    verbose_name = "進行管理 / Progress"
