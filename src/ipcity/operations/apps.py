from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "ipcity.operations"
    label = "operations"
    verbose_name = "运营中心"
