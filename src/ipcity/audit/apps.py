from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ipcity.audit"
    label = "audit"
    verbose_name = "审计"
