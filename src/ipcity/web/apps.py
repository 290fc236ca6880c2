from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ipcity.web"
    label = "web"
    verbose_name = "界面与附件"
