"""Small builders for people tests."""

import itertools
from datetime import date

from childfirst.people.services import MentionInput, resolve_mentions

_incidents = itertools.count(1)


def incident_ref() -> str:
    return f"CAD-{next(_incidents):06d}"


def mention(**fields) -> MentionInput:
    defaults = {"source_system": "NICHE", "source_reference": incident_ref()}
    defaults.update(fields)
    return MentionInput(**defaults)


def resolve_one(**fields):
    return resolve_mentions(mentions=[mention(**fields)])[0]


SAM = {
    "given_name": "William",
    "surname": "Okafor",
    "date_of_birth": date(2014, 3, 7),
    "sex": "male",
    "postcode": "E8 1DY",
    "address": "Flat 2, 14 Albion Road, London",
}
