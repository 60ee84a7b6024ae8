from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keikaku.web.accounts"
    label = "accounts"
    verbose_name = "利用者 / Accounts"
