from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "ipcity.evidence"
    label = "evidence"
    verbose_name = "存证"
