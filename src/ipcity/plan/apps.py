from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "ipcity.plan"
    label = "plan"
    verbose_name = "工作方案"
