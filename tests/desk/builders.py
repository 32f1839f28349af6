"""Desk test data, made through the real intake (which screens every notice and so puts it in
the desk queue) and the real desk services."""

from datetime import date

from childfirst.desk.models import DeskItem
from childfirst.directory.models import (
    AgencyKind,
    InformationCategory,
    Postcode,
    SharingAgreement,
)
from childfirst.incidents.services import notices_of
from tests.builders import london_local_authority, make_agency
from tests.incidents.builders import payload, record

HACKNEY = "E09000012"


def dash(yes: int, *, respondent="P1", grade="standard") -> dict:
    answers = {f"q{n}": "yes" if n <= yes else "no" for n in range(1, 28)}
    return {"kind": "dash", "respondent": respondent, "answers": answers, "officer_grade": grade}


def hackney_postcode(postcode="E8 1DY"):
    """The incident's postcode, known to be in Hackney, so notices get their borough."""
    return Postcode.objects.get_or_create(
        postcode=postcode, defaults={"local_authority": london_local_authority(HACKNEY)}
    )[0]


def agencies() -> dict[str, object]:
    """Hackney's MASH and MARAC, each kind with an agreement
    that covers a referral (the child's identity and what happened)."""
    made = {
        AgencyKind.CHILDRENS_SOCIAL_CARE: make_agency(
            kind=AgencyKind.CHILDRENS_SOCIAL_CARE, code="hackney-mash", name="Hackney MASH"
        ),
        AgencyKind.MARAC: make_agency(
            kind=AgencyKind.MARAC, code="hackney-marac", name="Hackney MARAC"
        ),
    }
    for kind in [*made, AgencyKind.SCHOOL]:
        SharingAgreement.objects.get_or_create(
            agency_kind=kind,
            name=f"Test agreement for {kind}",
            defaults={
                "categories": [
                    InformationCategory.CHILD_IDENTITY,
                    InformationCategory.INCIDENT_SUMMARY,
                ],
                "lawful_basis": "Children Act 2004 section 11",
                "starts_on": date(2020, 1, 1),
            },
        )
    return made


def incident(**overrides):
    """A domestic abuse incident in Hackney (E8 1DY) with Tobi (10) present and Ade (2) in the
    household; DASH with 14 "yes" answers unless told, so the children are red."""
    overrides.setdefault("questionnaires", [dash(14)])
    return record(payload(**overrides))


def items_of(result) -> dict[str, DeskItem]:
    """The desk items of an intake result's notices, by the child's given name."""
    notices = notices_of(incident=result.incident)
    items = DeskItem.objects.filter(notice__in=notices).select_related("notice__person")
    return {item.notice.person.given_name: item for item in items}


def desk_samples() -> dict[str, dict]:
    """URL arguments for every desk page (tests/accounts/test_permissions.py): a red notice
    and a decision on it waiting for approval."""
    from childfirst.desk import services
    from childfirst.desk.models import Decision
    from tests.builders import make_user

    made = agencies()
    item = items_of(incident())["Tobi"]
    other = items_of(incident())["Tobi"]
    referral = services.decide(
        notice=other.notice,
        by=make_user(),
        request_=services.DecisionRequest(
            decision=Decision.REFER,
            text="Tobi was present at a domestic abuse incident.",
            agency_ids=(made[AgencyKind.CHILDRENS_SOCIAL_CARE].pk, made[AgencyKind.MARAC].pk),
            reason="Sample",
        ),
    )
    notice = {"notice_id": item.notice_id}
    return {
        "desk:notice": notice,
        "desk:claim": notice,
        "desk:assign": notice,
        "desk:decide": notice,
        "desk:pause-clock": notice,
        "desk:resume-clock": notice,
        "desk:approve": {"referral_id": referral.pk},
        "desk:quality-note": {"referral_id": referral.pk},
    }
