from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "keikaku.web.progress"
    label = "progress"
    verbose_name = "進行管理 / Progress"
