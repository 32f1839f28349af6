from django.apps import AppConfig
from django.core import checks


class ScreeningConfig(AppConfig):
    name = "childfirst.screening"
    label = "screening"

    def ready(self):
        from childfirst.incidents.extensions import notice_details_providers
        from childfirst.incidents.signals import notices_created
        from childfirst.screening import permissions  # noqa: F401
        from childfirst.screening.language import patterns as language_patterns
        from childfirst.screening.receivers import screen_new_notices
        from childfirst.screening.services import notice_details

        notices_created.connect(screen_new_notices, dispatch_uid="screening.screen_new_notices")
        if notice_details not in notice_details_providers:
            notice_details_providers.append(notice_details)
        checks.register(check_screening_rules, checks.Tags.compatibility)
        checks.register(language_patterns.check_language_rules, checks.Tags.compatibility)


def check_screening_rules(app_configs=None, **kwargs):
    """`childfirst check` (and every server start) reads rules/screening/ and names each file,
    rule and field that is wrong."""
    from childfirst.screening.rules import ScreeningRuleError, current_rules

    try:
        current_rules()
    except ScreeningRuleError as error:
        return [checks.Error(message, id="screening.E001") for message in error.errors]
    return []
