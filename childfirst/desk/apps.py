from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "childfirst.desk"
    label = "desk"

    def ready(self):
        from childfirst.desk import permissions  # noqa: F401
