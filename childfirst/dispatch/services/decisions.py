"""The decisions a partner agency records on a disclosure, by kind of agency (issue 5, item 4).
Each kind has its own choices; `details` says what else each decision must carry.

`check_decision` is the one check of what a partner records, whichever way it comes (the
portal's form, the partner API, or a caller of the services): the same input gets the same
message, named by field ("decision", "details.date_heard", "notes"). Every decision may carry
notes. Dates are ISO 8601 (2026-11-24) and may not be in the future; yes or no answers are
"yes" or "no" (or JSON true or false).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

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
    POLICE_PROTECTION = (
        "police_protection",
        "Immediate protection (police protection or an emergency protection order)",
    )
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


def decision_label(agency_kind: str, decision: str) -> str:
    """The words the partner chose for a recorded decision ("Child in need assessment (section
    17)" for section_17_assessment), for people; the value itself if it is not a known one."""
    return dict(decision_choices_for(agency_kind)).get(decision, decision)


def decision_details_for(agency_kind: str, decision: str) -> tuple[DetailField, ...]:
    return DETAILS.get((agency_kind, decision), ())


YES_NO = (("yes", "Yes"), ("no", "No"))
NOTES = "notes"
NOTES_MAX = 5000
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ResponseInvalid(ValueError):
    """What is wrong with a partner's response, by field ("decision", "details.date_heard",
    "notes", "text")."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def details_for(agency_kind: str, decision: str) -> tuple[DetailField, ...]:
    """The detail fields this decision carries, notes aside."""
    return tuple(d for d in decision_details_for(agency_kind, decision) if d.name != NOTES)


def notes_label(agency_kind: str, decision: str) -> str:
    for detail in decision_details_for(agency_kind, decision):
        if detail.name == NOTES:
            return detail.label
    return "Notes for the police"


def in_sentence(label: str) -> str:
    """A label inside a sentence: "Heard at MARAC" becomes "heard at MARAC"."""
    if label[1:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def missing_message(detail: DetailField) -> str:
    if detail.kind == "yes_no":
        return f"Select yes or no: {in_sentence(detail.label)}"
    return f"Enter the {in_sentence(detail.label)}"


def check_decision(*, agency_kind: str, decision, details, notes="", today: date) -> dict:
    """The decision's details, checked and tidied (notes, when given, as details["notes"]), or
    ResponseInvalid naming every field that is wrong. `today` is the London date: a date
    after it is refused."""
    details = details if isinstance(details, dict) else {}
    allowed = dict(decision_choices_for(agency_kind))
    if not isinstance(decision, str) or decision not in allowed:
        raise ResponseInvalid(
            {
                "decision": "Select the decision: "
                + ", ".join(in_sentence(label) for label in allowed.values())
            }
        )
    errors: dict[str, str] = {}
    clean: dict = {}
    expected = details_for(agency_kind, decision)
    for detail in expected:
        key = f"details.{detail.name}"
        value = details.get(detail.name)
        value = value.strip() if isinstance(value, str) else value
        if value is None or value == "":
            if detail.required:
                errors[key] = missing_message(detail)
            continue
        label = in_sentence(detail.label)
        if detail.kind == "date":
            found = _date(value)
            if found is None:
                errors[key] = f"The {label} must be a real date, like 2026-11-20"
            elif found > today:
                errors[key] = f"The {label} must be today or in the past"
            else:
                clean[detail.name] = found.isoformat()
        elif detail.kind == "yes_no":
            answer = {True: "yes", False: "no"}[value] if isinstance(value, bool) else value
            if answer not in ("yes", "no"):
                errors[key] = missing_message(detail)
            else:
                clean[detail.name] = answer
        elif not isinstance(value, str):
            errors[key] = f"The {label} must be text"
        else:
            clean[detail.name] = value
    known = {d.name for d in expected} | {NOTES}
    for unknown in sorted(set(details) - known):
        errors[f"details.{unknown}"] = (
            f"{unknown} is not a detail of the decision {in_sentence(allowed[decision])}"
        )
    notes = notes or details.get(NOTES) or ""
    if not isinstance(notes, str):
        errors[NOTES] = "Notes must be text"
    elif len(notes) > NOTES_MAX:
        errors[NOTES] = "Notes must be 5,000 characters or fewer"
    elif notes.strip():
        clean[NOTES] = notes.strip()
    if errors:
        raise ResponseInvalid(errors)
    return clean


def _date(value) -> date | None:
    """A date, or None if the value is not one (a date and time is not, nor any ISO 8601 form
    but YYYY-MM-DD, such as 20261124 or 2026-W48-2, which date.fromisoformat also reads)."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
