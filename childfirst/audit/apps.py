from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "childfirst.audit"
    label = "audit"
