from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ipcity.accounts"
    label = "accounts"
    verbose_name = "机构与用户"
