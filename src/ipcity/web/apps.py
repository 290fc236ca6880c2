from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ipcity.web"
    label = "web"
    verbose_name = "界面与附件"

    def ready(self):
        from ipcity import versions
        from ipcity.bounds import connect_guard

        connect_guard()  # no save() stores a number its column cannot hold or its rule refuses
        versions.install()  # every write moves the versions of the scopes it touches
