from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "childfirst.screening"
    label = "screening"

    def ready(self):
        from childfirst.screening import permissions  # noqa: F401
