from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "keikaku.db.progress"
    label = "progress"  # the label the tables and migrations were made under: never change it
    verbose_name = "進行管理 / Progress"
