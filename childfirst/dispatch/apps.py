from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "childfirst.dispatch"
    label = "dispatch"

    def ready(self):
        from childfirst.desk.extensions import register_timeline_provider
        from childfirst.dispatch import permissions  # noqa: F401
        from childfirst.dispatch.partner.timeline import partner_answers

        register_timeline_provider(partner_answers)
        from childfirst.dispatch.services.oversight import timeline_items

        register_timeline_provider(timeline_items)
