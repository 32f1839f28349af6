from django.apps import AppConfig
from django.core import checks


class IncidentsConfig(AppConfig):
    name = "childfirst.incidents"
    label = "incidents"

    def ready(self):
        from childfirst.incidents import permissions, receivers  # noqa: F401

        checks.register(check_questionnaires, checks.Tags.compatibility)


def check_questionnaires(app_configs=None, **kwargs):
    """`childfirst check` (and every server start) reads rules/questionnaires/ and names any file
    and field that is wrong."""
    from childfirst.incidents.questionnaires import QuestionnaireDefinitionError, definitions

    try:
        definitions()
    except QuestionnaireDefinitionError as error:
        return [checks.Error(str(error), id="incidents.E001")]
    return []
