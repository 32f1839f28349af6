from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "childfirst.api"
    label = "api"
