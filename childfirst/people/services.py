"""Resolve each mention of a person to one Person.

This is the contract the rest of the system uses. The first version links only on exact
identifiers (PNC ID, a valid NHS number); probabilistic matching replaces its insides.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from childfirst.people.identifiers import clean_nhs_number, clean_pnc_id, valid_nhs_number
from childfirst.people.models import MatchStatus, Mention, Person, Sex


@dataclass(frozen=True)
class MentionInput:
    """A person as one record describes them."""

    source_system: str
    source_reference: str
    source_person_ref: str = ""
    given_name: str = ""
    surname: str = ""
    date_of_birth: date | None = None
    date_of_birth_text: str = ""
    recorded_age: int | None = None
    appears_under_18: bool | None = None
    sex: str = Sex.UNKNOWN
    ethnicity: str = ""
    address: str = ""
    postcode: str = ""
    nhs_number: str = ""
    pnc_id: str = ""


@dataclass(frozen=True)
class Resolution:
    mention: Mention
    person: Person
    status: str
    probability: float | None = None
    reasons: list = field(default_factory=list)


def resolve_mentions(*, mentions: Sequence[MentionInput]) -> list[Resolution]:
    """Store one Mention per input, each resolved to a Person, in the caller's transaction.

    Mentions from the same record (same source system and reference) are never linked to each
    other: two people in one incident are two people, even twins with one name.
    """
    return [_resolve_one(item) for item in mentions]


def _resolve_one(item: MentionInput) -> Resolution:
    person, status = None, MatchStatus.NEW
    pnc = clean_pnc_id(item.pnc_id)
    nhs = clean_nhs_number(item.nhs_number) if valid_nhs_number(item.nhs_number) else ""
    if pnc:
        person = Person.objects.filter(pnc_id=pnc, merged_into=None).first()
    if person is None and nhs:
        person = Person.objects.filter(nhs_number=nhs, merged_into=None).first()
    if person is not None:
        status = MatchStatus.EXACT_IDENTIFIER
    else:
        person = Person.objects.create(
            given_name=item.given_name,
            surname=item.surname,
            date_of_birth=item.date_of_birth,
            sex=item.sex,
            ethnicity=item.ethnicity,
            postcode=item.postcode,
            address=item.address,
            nhs_number=nhs,
            pnc_id=pnc,
        )
    mention = Mention.objects.create(
        person=person,
        source_system=item.source_system,
        source_reference=item.source_reference,
        source_person_ref=item.source_person_ref,
        given_name=item.given_name,
        surname=item.surname,
        date_of_birth=item.date_of_birth,
        date_of_birth_text=item.date_of_birth_text,
        recorded_age=item.recorded_age,
        appears_under_18=item.appears_under_18,
        sex=item.sex,
        ethnicity=item.ethnicity,
        address=item.address,
        postcode=item.postcode,
        nhs_number=clean_nhs_number(item.nhs_number),
        pnc_id=pnc or item.pnc_id,
        match_status=status,
        match_probability=1.0 if status == MatchStatus.EXACT_IDENTIFIER else None,
    )
    return Resolution(
        mention=mention, person=person, status=status, probability=mention.match_probability
    )


def age_on(*, date_of_birth: date, on: date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_child(
    *, date_of_birth: date | None, recorded_age: int | None, appears_under_18: bool | None, on: date
) -> bool:
    """Under 18 on the date that matters; with no date of birth, a recorded age or
    'appears to be under 18' counts."""
    if date_of_birth is not None:
        return age_on(date_of_birth=date_of_birth, on=on) < 18
    if recorded_age is not None:
        return recorded_age < 18
    return bool(appears_under_18)
