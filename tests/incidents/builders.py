"""Incident payloads and senders for tests, made the way real ones are."""

import copy
import itertools

from childfirst.accounts.models import ApiScope
from childfirst.accounts.services import create_api_client
from childfirst.audit.services import SystemActor
from childfirst.incidents import services

_references = itertools.count(1)

FILE_IMPORT = SystemActor(label="File import: tests")


def payload(**overrides) -> dict:
    """A domestic abuse incident like docs/intake.md's example: an adult victim, a child present
    (Tobi, 10) and a toddler in the household but not present (Ade, 2)."""
    data = {
        "source_system": "NICHE",
        "source_reference": f"CAD-2026-{next(_references):07d}",
        "kind": "domestic_abuse_incident",
        "occurred_at": "2026-11-23T21:40:00Z",
        "reported_at": "2026-11-23T21:52:00Z",
        "location": {"address": "Flat 2, 14 Example Road, London", "postcode": "E8 1DY"},
        "narrative": "Police called by a neighbour who heard shouting.",
        "officer": {
            "name": "PC Sam Example",
            "collar_number": "1234CE",
            "email": "sam.example@example.police.uk",
        },
        "people": [
            {
                "ref": "P1",
                "role": "victim",
                "given_name": "Amara",
                "surname": "Example",
                "date_of_birth": "1990-04-12",
                "sex": "female",
                "address": "Flat 2, 14 Example Road, London",
                "postcode": "E8 1DY",
            },
            {
                "ref": "P3",
                "role": "present",
                "given_name": "Tobi",
                "surname": "Example",
                "date_of_birth": "2016-09-03",
                "sex": "male",
                "present": True,
                "where_during_incident": "In the bedroom",
                "voice": "Said he hid under the bed when the shouting started",
            },
            {
                "ref": "P4",
                "role": "child_in_household",
                "given_name": "Ade",
                "surname": "Example",
                "age": 2,
            },
        ],
        "questionnaires": [
            {
                "kind": "dash",
                "respondent": "P1",
                "answers": {"q1": "yes", "q2": "no", "q3": "not_known"},
                "officer_grade": "high",
            }
        ],
    }
    data.update(copy.deepcopy(overrides))
    return data


def person(role="victim", **fields) -> dict:
    return {"role": role, "given_name": "Sam", "surname": "Example", **fields}


def intake_client(name=None):
    """(client, token) for a police records system with the intake scope."""
    created = create_api_client(name=name or f"RMS {next(_references)}", scope=ApiScope.INTAKE)
    return created.client, created.token


def record(data=None, *, received_from=FILE_IMPORT, **overrides):
    return services.record_incident(
        payload=data or payload(**overrides), received_from=received_from
    )
