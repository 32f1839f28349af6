from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_delete, post_save


class TimescalesConfig(AppConfig):
    name = "childfirst.timescales"
    label = "timescales"

    def ready(self):
        from childfirst.directory.models import School
        from childfirst.timescales import permissions  # noqa: F401
        from childfirst.timescales.calendars import clear_calendar_cache
        from childfirst.timescales.models import TermDate

        checks.register(check_clock_rules, checks.Tags.compatibility)
        # A changed term date or school start time is seen at once in this process.
        for model in (TermDate, School):
            for signal in (post_save, post_delete):
                signal.connect(clear_calendar_cache, sender=model, dispatch_uid=f"clocks-{model}")


def check_clock_rules(app_configs=None, **kwargs):
    """`childfirst check` (and every server start) reads rules/clocks.yaml and names any rule
    and field that is wrong."""
    from childfirst.timescales.rules import ClockRulesError, clock_rules

    try:
        clock_rules()
    except ClockRulesError as error:
        return [checks.Error(str(error), id="timescales.E001")]
    return []
