from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "childfirst.incidents"
    label = "incidents"

    def ready(self):
        from childfirst.incidents import permissions  # noqa: F401
