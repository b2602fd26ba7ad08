from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sdsf.web.apps.accounts"
    label = "accounts"
    verbose_name = "Organisations et comptes"
