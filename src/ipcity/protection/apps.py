from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "ipcity.protection"
    label = "protection"
    verbose_name = "保护"
