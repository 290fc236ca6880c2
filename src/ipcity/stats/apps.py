from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "ipcity.stats"
    label = "stats"
    verbose_name = "知识产权登记与指标"

    def ready(self):
        from ipcity import versions
        from ipcity.stats.activities import engine_models

        versions.declare("registry", engine_models)
