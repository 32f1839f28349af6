"""Checking what a partner agency records as its decision on a disclosure. The portal's form and
the partner API both check through `check_outcome`, so the same input gets the same message
whichever way it comes.

The decisions each kind of agency may record, and the details each decision carries (MARAC: the
date heard and the actions; NRM: whether there were grounds and the date of the decision), are
the dispatch app's (services.decision_choices_for, services.decision_details_for). Every decision
may carry notes. Dates are ISO 8601 (2026-11-24) and may not be in the future; yes or no answers
are "yes" or "no".
"""

from dataclasses import dataclass, field
from datetime import date

from childfirst.dispatch import services

YES_NO = (("yes", "Yes"), ("no", "No"))
NOTES = "notes"


class OutcomeInvalid(ValueError):
    """What is wrong with an outcome, by field ("decision", "details.date_heard", "notes")."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Outcome:
    decision: str
    details: dict = field(default_factory=dict)  # notes, when given, are details["notes"]


def details_for(agency_kind: str, decision: str) -> tuple:
    """The detail fields (name, label, kind, required) this decision carries, notes aside."""
    return tuple(d for d in services.decision_details_for(agency_kind, decision) if d.name != NOTES)


def notes_label(agency_kind: str, decision: str) -> str:
    for detail in services.decision_details_for(agency_kind, decision):
        if detail.name == NOTES:
            return detail.label
    return "Notes for the police"


def missing_message(detail) -> str:
    if detail.kind == "yes_no":
        return f"Select yes or no: {detail.label.lower()}"
    return f"Enter the {detail.label.lower()}"


def check_outcome(
    *, agency_kind: str, decision: str, details: dict | None, notes: str = "", today: date
) -> Outcome:
    """The outcome, cleaned, or OutcomeInvalid naming every field that is wrong."""
    details = details if isinstance(details, dict) else {}
    errors: dict[str, str] = {}
    allowed = dict(services.decision_choices_for(agency_kind))
    if decision not in allowed:
        errors["decision"] = "Select the decision: " + ", ".join(
            label.lower() for label in allowed.values()
        )
        raise OutcomeInvalid(errors)
    clean: dict = {}
    expected = details_for(agency_kind, decision)
    for detail in expected:
        key = f"details.{detail.name}"
        value = details.get(detail.name)
        value = value.strip() if isinstance(value, str) else value
        if value in (None, ""):
            if detail.required:
                errors[key] = missing_message(detail)
            continue
        if detail.kind == "date":
            found = _date(value)
            if found is None:
                errors[key] = f"The {detail.label.lower()} must be a real date, like 2026-11-20"
            elif found > today:
                errors[key] = f"The {detail.label.lower()} must be today or in the past"
            else:
                clean[detail.name] = found.isoformat()
        elif detail.kind == "yes_no":
            answer = (
                {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            )
            if answer not in ("yes", "no"):
                errors[key] = missing_message(detail)
            else:
                clean[detail.name] = answer
        elif not isinstance(value, str):
            errors[key] = f"The {detail.label.lower()} must be text"
        else:
            clean[detail.name] = value
    known = {d.name for d in expected} | {NOTES}
    for unknown in sorted(set(details) - known):
        errors[f"details.{unknown}"] = (
            f"{unknown} is not a detail of the decision {allowed[decision].lower()}"
        )
    notes = notes or details.get(NOTES) or ""
    if not isinstance(notes, str):
        errors["notes"] = "Notes must be text"
    elif len(notes) > 5000:
        errors["notes"] = "Notes must be 5,000 characters or fewer"
    elif notes.strip():
        clean[NOTES] = notes.strip()
    if errors:
        raise OutcomeInvalid(errors)
    return Outcome(decision=decision, details=clean)


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def describe_outcome(*, agency_kind: str, decision: str, details: dict) -> str:
    """The decision and its details in plain words, for the history and the child's timeline:
    "Heard at MARAC. Date heard: 20 November 2026. Actions agreed: ..."."""
    label = dict(services.decision_choices_for(agency_kind)).get(decision, decision)
    parts = [label]
    for detail in details_for(agency_kind, decision):
        value = details.get(detail.name)
        if value in (None, ""):
            continue
        if detail.kind == "date":
            found = _date(value)
            value = f"{found.day} {found:%B %Y}" if found else value
        elif detail.kind == "yes_no":
            value = dict(YES_NO).get(value, value)
        parts.append(f"{detail.label}: {value}")
    if details.get(NOTES):
        parts.append(f"{notes_label(agency_kind, decision)}: {details[NOTES]}")
    return ". ".join(parts)
