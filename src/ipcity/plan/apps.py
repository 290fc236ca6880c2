from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "ipcity.plan"
    label = "plan"
    verbose_name = "工作方案"

    def ready(self):
        from ipcity import versions
        from ipcity.plan.dashboard import SUPERVISION_MODELS

        versions.declare("supervision", lambda: list(SUPERVISION_MODELS))
