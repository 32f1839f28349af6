"""Screened notices for tests, made through the real intake (which screens every notice)."""

from childfirst.directory.models import School
from childfirst.incidents.services import notices_of
from childfirst.screening.services import current_screenings
from tests.incidents.builders import payload, person, record


def school(urn=900123):
    return School.objects.get_or_create(urn=urn, defaults={"name": "Example Primary School"})[0]


def child(role, dob="2016-09-03", **fields):
    """A child (Tobi Example unless told), the same person in every incident."""
    fields.setdefault("given_name", "Tobi")
    fields.setdefault("nhs_number", "9434765919")
    return person(role, surname="Example", date_of_birth=dob, **fields)


def incident(*, kind, people, occurred_at="2026-11-23T21:40:00Z", **overrides):
    """An incident payload at the Example household's address."""
    overrides.setdefault("questionnaires", [])
    return payload(kind=kind, people=people, occurred_at=occurred_at, reported_at=None, **overrides)


def screen(data) -> dict:
    """Record an incident; its current screenings by the child's ref (household-records
    children as "household")."""
    result = record(data)
    notices = notices_of(incident=result.incident)
    screenings = current_screenings(notice_ids=[notice.pk for notice in notices])
    return {
        (notice.involvement.ref if notice.involvement else "household"): screenings[notice.pk]
        for notice in notices
    }


def fired(screening) -> dict[str, str]:
    return {rule["id"]: rule["reason"] for rule in screening.rules_fired}


def dash(yes: int, *, respondent="P1", grade="standard") -> dict:
    answers = {f"q{n}": "yes" if n <= yes else "no" for n in range(1, 28)}
    return {"kind": "dash", "respondent": respondent, "answers": answers, "officer_grade": grade}
