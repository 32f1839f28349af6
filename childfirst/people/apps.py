from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "childfirst.people"
    label = "people"

    def ready(self):
        from childfirst.people import permissions  # noqa: F401
