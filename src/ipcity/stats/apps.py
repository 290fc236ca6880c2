from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "ipcity.stats"
    label = "stats"
    verbose_name = "知识产权登记与指标"
