"""Dispatch test data, made through the real intake, desk and dispatch services: a domestic
abuse incident in Hackney with Tobi (10) present, his mother the victim and an adult suspect
with a record; a referral to children's social care, Tobi's school and MARAC."""

from datetime import date

from childfirst.accounts.models import Role
from childfirst.desk import services as desk
from childfirst.desk.models import Decision
from childfirst.directory.models import (
    Agency,
    AgencyKind,
    InformationCategory,
    School,
    SharingAgreement,
)
from tests.builders import london_local_authority, make_user
from tests.desk.builders import dash, hackney_postcode, items_of
from tests.incidents.builders import payload, record

SCHOOL_URN = 100234
SECRET = "test-webhook-secret"

SUSPECT = {
    "ref": "P2",
    "role": "suspect",
    "given_name": "Dominic",
    "surname": "Harlow",
    "date_of_birth": "1984-02-17",
    "sex": "male",
    "address": "Flat 2, 14 Example Road, London",
    "postcode": "E8 1DY",
}


def _agreement(kind, categories, name=None):
    return SharingAgreement.objects.create(
        agency_kind=kind,
        name=name or f"Hackney agreement for {kind}",
        categories=list(categories),
        lawful_basis="Children Act 2004 section 11; Data Protection Act 2018 section 35",
        reference=f"HK-{kind}",
        starts_on=date(2020, 1, 1),
    )


def setting(*, school_categories=None):
    """Hackney's MASH, MARAC and a primary school with its agreements. The school's agreement
    lists every category unless told, to show the hard rule holds whatever it says."""
    hackney_postcode()
    hackney = london_local_authority("E09000012")
    mash = Agency.objects.create(
        code="hackney-mash",
        name="Hackney MASH",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        local_authority=hackney,
        notify_email="mash@hackney.example.org",
    )
    marac = Agency.objects.create(
        code="hackney-marac", name="Hackney MARAC", kind=AgencyKind.MARAC, local_authority=hackney
    )
    school_agency = Agency.objects.create(
        code="example-primary",
        name="Example Primary School",
        kind=AgencyKind.SCHOOL,
        local_authority=hackney,
    )
    School.objects.create(
        urn=SCHOOL_URN,
        name="Example Primary School",
        local_authority=hackney,
        agency=school_agency,
    )
    everything = InformationCategory.values
    _agreement(AgencyKind.CHILDRENS_SOCIAL_CARE, everything)
    _agreement(AgencyKind.MARAC, everything)
    _agreement(AgencyKind.SCHOOL, school_categories or everything)
    return {"mash": mash, "marac": marac, "school": school_agency}


def incident_with_suspect(**overrides):
    data = payload(questionnaires=[dash(15)], **overrides)
    people = data["people"]
    people.insert(1, dict(SUSPECT))
    for person in people:
        if person["ref"] == "P3":
            person["school_urn"] = SCHOOL_URN
            person["address"] = "Flat 2, 14 Example Road, London"
            person["postcode"] = "E8 1DY"
    return record(data)


def earlier_offence_by_the_suspect():
    return offence_by_the_suspect(
        occurred_at="2025-03-02T22:10:00Z", reported_at="2025-03-02T22:30:00Z"
    )


def offence_by_the_suspect(*, occurred_at: str, reported_at: str):
    """A violence incident with the suspect as suspect and Lee Other as victim."""
    data = payload(
        kind="violence",
        occurred_at=occurred_at,
        reported_at=reported_at,
        people=[dict(SUSPECT, role="suspect")],
        questionnaires=[],
    )
    data["people"].append(
        {
            "ref": "P9",
            "role": "victim",
            "given_name": "Lee",
            "surname": "Other",
            "date_of_birth": "1970-01-01",
        }
    )
    return record(data)


def referral(
    agencies: dict,
    *,
    names=("mash", "school", "marac"),
    decision=Decision.REFER,
    researcher=None,
    supervisor=None,
    now=None,
):
    """A complete referral of Tobi to the named agencies (approved by a supervisor: red)."""
    earlier_offence_by_the_suspect()
    item = items_of(incident_with_suspect())["Tobi"]
    researcher = researcher or make_user(role=Role.DESK_RESEARCHER)
    made = desk.decide(
        notice=item.notice,
        by=researcher,
        request_=desk.DecisionRequest(
            decision=decision,
            text="Tobi, 10, hid under his bed while his mother was assaulted.",
            reason="The school and MARAC need to know as well",
            agency_ids=tuple(agencies[n].pk for n in names),
        ),
        now=now,
    )
    if made.needs_approval:
        made = desk.approve(
            referral=made, by=supervisor or make_user(role=Role.DESK_SUPERVISOR), now=now
        )
    made.refresh_from_db()
    return made
