"""Disclosures for the partner portal and API tests, made through the real services: an
incident through intake (screened, so in the desk queue), a desk decision naming the agencies,
the referral sent (dispatch.services.send_referral) and delivered (deliver_due), so each
disclosure is written, delivered to the portal and, for children's social care, has its
decision clock running."""

from datetime import date

from childfirst.accounts.models import ApiScope, Role
from childfirst.accounts.services import create_api_client
from childfirst.desk import services as desk
from childfirst.desk.models import Decision, ReferralStatus
from childfirst.directory.models import AgencyKind, InformationCategory, SharingAgreement
from childfirst.dispatch import services as dispatch
from childfirst.dispatch.models import Disclosure
from tests.builders import make_agency, make_user
from tests.desk import builders as desk_builders

KIND_NAMES = {
    AgencyKind.CHILDRENS_SOCIAL_CARE: "MASH",
    AgencyKind.SCHOOL: "school",
    AgencyKind.MARAC: "MARAC",
    AgencyKind.NRM: "NRM competent authority",
    AgencyKind.YOUTH_JUSTICE: "youth justice service",
}


def agreement_for(kind):
    SharingAgreement.objects.get_or_create(
        agency_kind=kind,
        name=f"Portal test agreement for {kind}",
        defaults={
            "categories": [c for c, _ in InformationCategory.choices],
            "lawful_basis": "Children Act 2004 section 11",
            "starts_on": date(2020, 1, 1),
        },
    )


def agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, *, code=None, name=None):
    agreement_for(kind)
    return make_agency(kind=kind, code=code, name=name)


def disclose(*agencies, child="Tobi", by=None, **incident) -> dict:
    """Send one referral about `child` from a new domestic abuse incident to each agency; the
    disclosures, delivered, by agency code."""
    desk_builders.hackney_postcode()
    for found in agencies:
        agreement_for(found.kind)
    item = desk_builders.items_of(desk_builders.incident(**incident))[child]
    researcher = by or make_user(role=Role.DESK_RESEARCHER, full_name="Riya Researcher")
    referral = desk.decide(
        notice=item.notice,
        by=researcher,
        request_=desk.DecisionRequest(
            decision=Decision.REFER,
            text=f"{child} was present at a domestic abuse incident.",
            agency_ids=tuple(a.pk for a in agencies),
            reason="Chosen for the test",
        ),
    )
    if referral.status != ReferralStatus.COMPLETE:
        supervisor = make_user(role=Role.DESK_SUPERVISOR, full_name="Sam Supervisor")
        referral = desk.approve(referral=referral, by=supervisor)
    sent = dispatch.send_referral(referral=referral, by=researcher)
    dispatch.deliver_due(disclosure_ids=[d.pk for d in sent])
    return {
        d.agency.code: d
        for d in Disclosure.objects.filter(pk__in=[d.pk for d in sent]).select_related("agency")
    }


def partner_user(of_agency, **fields):
    return make_user(role=Role.PARTNER, agency=of_agency, **fields)


def partner_token(of_agency, name=None) -> str:
    return create_api_client(
        name=name or f"{of_agency.name} case system", scope=ApiScope.PARTNER, agency=of_agency
    ).token


def portal_samples() -> dict:
    """URL arguments for every portal page (tests/accounts/test_permissions.py), and the agency
    whose partner user may open them ("partner_agency")."""
    mash = agency(code="sample-mash", name="Sample MASH")
    disclosure = disclose(mash)["sample-mash"]
    args = {"disclosure_id": disclosure.pk}
    return {
        "partner_agency": mash,
        "dispatch:portal-disclosure": args,
        "dispatch:portal-acknowledge": args,
        "dispatch:portal-decision": args,
        "dispatch:portal-note": args,
    }
