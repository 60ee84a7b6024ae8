from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keikaku.web.accounts"
    label = (
        "web_accounts"  # pages, templates and admin; the models are keikaku.db.accounts (label "accounts")
    )
    verbose_name = "利用者 / Accounts"
