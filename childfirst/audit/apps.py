from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "childfirst.audit"
    label = "audit"

    def ready(self):
        # The lowest app registers the `any` lookup (bulk.AnyOf) for every app's queries.
        from childfirst import bulk  # noqa: F401
