from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keikaku.db.accounts"
    label = "accounts"  # the label the tables and migrations were made under: never change it
    verbose_name = "利用者 / Accounts"
