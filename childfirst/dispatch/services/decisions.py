"""The decisions a partner agency records on a disclosure, by kind of agency (issue 5, item 4).
Each kind has its own choices; `details` says what else each decision must carry."""

from dataclasses import dataclass

from django.db import models

from childfirst.directory.models import AgencyKind


class SocialCareDecision(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    EARLY_HELP = "early_help", "Early help"
    SECTION_17_ASSESSMENT = "section_17_assessment", "Child in need assessment (section 17)"
    STRATEGY_DISCUSSION_SECTION_47 = (
        "strategy_discussion_section_47",
        "Strategy discussion and section 47 enquiry",
    )
    POLICE_PROTECTION = "police_protection", "Police protection"
    ALREADY_OPEN = "already_open", "Already open to children's social care"


class SchoolDecision(models.TextChoices):
    RECEIVED_AND_ACTED_ON = "received_and_acted_on", "Received and acted on"


class MaracDecision(models.TextChoices):
    HEARD = "heard", "Heard at MARAC"


class NrmDecision(models.TextChoices):
    REASONABLE_GROUNDS = "reasonable_grounds", "Reasonable grounds decision"
    CONCLUSIVE_GROUNDS = "conclusive_grounds", "Conclusive grounds decision"


class OtherDecision(models.TextChoices):
    RECEIVED_AND_ACTED_ON = "received_and_acted_on", "Received and acted on"
    NO_ACTION_NEEDED = "no_action_needed", "No action needed"


@dataclass(frozen=True)
class DetailField:
    name: str
    label: str
    kind: str  # "date", "text", "yes_no"
    required: bool = True


DECISIONS = {
    AgencyKind.CHILDRENS_SOCIAL_CARE: SocialCareDecision,
    AgencyKind.SCHOOL: SchoolDecision,
    AgencyKind.MARAC: MaracDecision,
    AgencyKind.NRM: NrmDecision,
}
# What each decision must carry besides its value.
DETAILS = {
    (AgencyKind.SCHOOL, SchoolDecision.RECEIVED_AND_ACTED_ON): (
        DetailField("notes", "What the school did", "text", required=False),
    ),
    (AgencyKind.MARAC, MaracDecision.HEARD): (
        DetailField("date_heard", "Date heard", "date"),
        DetailField("actions", "Actions agreed", "text"),
    ),
    (AgencyKind.NRM, NrmDecision.REASONABLE_GROUNDS): (
        DetailField("decision", "Were there reasonable grounds", "yes_no"),
        DetailField("decided_on", "Date of the decision", "date"),
    ),
    (AgencyKind.NRM, NrmDecision.CONCLUSIVE_GROUNDS): (
        DetailField("decision", "Were there conclusive grounds", "yes_no"),
        DetailField("decided_on", "Date of the decision", "date"),
    ),
}


def decision_choices_for(agency_kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs the agency may record."""
    return list(DECISIONS.get(agency_kind, OtherDecision).choices)


def decision_details_for(agency_kind: str, decision: str) -> tuple[DetailField, ...]:
    return DETAILS.get((agency_kind, decision), ())
