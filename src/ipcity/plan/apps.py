from django.apps import AppConfig

# What the supervision dashboard reads: its computation is cached under this scope's version (ipcity/versions.py).
SUPERVISION_MODELS = ("plan.WorkItem", "plan.WorkItemEvent", "plan.ProgressReport", "plan.SupervisionSettings",
                      "plan.KeyTask", "plan.Action", "accounts.Organization")


class PlanConfig(AppConfig):
    name = "ipcity.plan"
    label = "plan"
    verbose_name = "工作方案"

    def ready(self):
        from ipcity import versions
        versions.declare("supervision", lambda: list(SUPERVISION_MODELS))
