from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "childfirst.timescales"
    label = "timescales"

    def ready(self):
        from childfirst.timescales import permissions  # noqa: F401
