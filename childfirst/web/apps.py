from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "childfirst.web"
    label = "web"

    def ready(self):
        from childfirst.web.admin_site import register_models

        register_models()
