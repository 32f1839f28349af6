"""A partner agency's recorded decision in plain words, for the portal, the partner's history
and the child's timeline at the desk. What may be recorded, and the one check of it, are the
dispatch services' (services.decision_choices_for, services.details_for,
services.check_decision)."""

from datetime import date

from childfirst.dates import london_date
from childfirst.dispatch import services


def describe_outcome(*, agency_kind: str, decision: str, details: dict) -> str:
    """The decision and its details in plain words, for the history and the child's timeline:
    "Heard at MARAC. Date heard: 20 November 2026. Actions agreed: ..."."""
    parts = [services.decision_label(agency_kind, decision)]
    for detail in services.details_for(agency_kind, decision):
        value = details.get(detail.name)
        if value in (None, ""):
            continue
        if detail.kind == "date":
            found = _date(value)
            value = london_date(found) if found else value
        elif detail.kind == "yes_no":
            value = dict(services.YES_NO).get(value, value)
        parts.append(f"{detail.label}: {value}")
    if details.get("notes"):
        parts.append(f"{services.notes_label(agency_kind, decision)}: {details['notes']}")
    return ". ".join(parts)


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None
