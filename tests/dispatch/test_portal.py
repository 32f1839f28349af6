"""The partner portal: a partner agency's users see only their own agency's referrals (another
agency's is 404), read exactly what was disclosed, acknowledge, record the decision their kind
of agency makes, and send notes back; every read is logged; police roles do not use it."""

import pytest

from childfirst.accounts.models import Role
from childfirst.audit.models import AccessLogEntry, Action
from childfirst.directory.models import AgencyKind
from childfirst.dispatch.models import Disclosure, DisclosureEvent, EventKind
from childfirst.incidents.models import Incident
from childfirst.timescales.models import Clock
from tests.dispatch.portal_builders import agency, disclose

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return {
        "mash": agency(code="hackney-mash", name="Hackney MASH"),
        "other": agency(code="camden-mash", name="Camden MASH"),
        "marac": agency(AgencyKind.MARAC, code="hackney-marac", name="Hackney MARAC"),
        "nrm": agency(AgencyKind.NRM, code="nrm", name="Single Competent Authority"),
        "school": agency(AgencyKind.SCHOOL, code="example-primary", name="Example Primary"),
    }


@pytest.fixture
def sent(agencies):
    """Tobi's referral to Hackney MASH, Hackney MARAC, the NRM and his school; Ade's to Camden."""
    tobi = disclose(agencies["mash"], agencies["marac"], agencies["nrm"], agencies["school"])
    ade = disclose(agencies["other"], child="Ade")
    return {**tobi, **ade}


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def portal(disclosure, action=""):
    return f"/dispatch/portal/{disclosure.pk}{'/' + action if action else ''}"


def test_a_partner_sees_only_their_own_agencys_referrals(signed_in, agencies, sent):
    client, _ = signed_in(Role.PARTNER, agency=agencies["mash"])
    html = page(client, "/dispatch/portal/?state=all")
    assert "Tobi Example" in html
    assert f'href="{portal(sent["hackney-mash"])}"' in html
    for other in ("camden-mash", "hackney-marac", "nrm", "example-primary"):
        assert f'href="{portal(sent[other])}"' not in html
    assert "Ade Example" not in html


def test_a_partner_from_another_agency_cannot_open_or_act_on_a_disclosure(
    signed_in, agencies, sent
):
    client, _ = signed_in(Role.PARTNER, agency=agencies["other"])
    theirs = sent["hackney-mash"]
    for action in ("", "decision", "note"):
        assert client.get(portal(theirs, action)).status_code == 404
    for action, data in (
        ("acknowledge", {}),
        ("decision", {"decision": "early_help"}),
        ("note", {"text": "Hello"}),
    ):
        assert client.post(portal(theirs, action), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None and theirs.decided_at is None
    assert not DisclosureEvent.objects.filter(disclosure=theirs, kind=EventKind.NOTE).exists()
    assert not AccessLogEntry.objects.filter(
        subject_type="disclosure", subject_id=str(theirs.pk), user__agency=agencies["other"]
    ).exists()
    assert client.get("/dispatch/portal/999999").status_code == 404


@pytest.mark.parametrize(
    "role", [Role.DESK_RESEARCHER, Role.DESK_SUPERVISOR, Role.FRONTLINE_OFFICER, Role.ADMINISTRATOR]
)
def test_police_roles_do_not_use_the_portal(signed_in, sent, role):
    client, _ = signed_in(role)
    assert client.get("/dispatch/portal/").status_code == 403
    assert client.get(portal(sent["hackney-mash"])).status_code == 403
    assert client.post(portal(sent["hackney-mash"], "acknowledge")).status_code == 403


def test_the_referral_page_shows_what_was_disclosed_and_logs_the_read(signed_in, agencies, sent):
    client, user = signed_in(Role.PARTNER, agency=agencies["mash"])
    disclosure = sent["hackney-mash"]
    # The live police record changes after sending: the partner still sees what was sent.
    Incident.objects.filter(pk=disclosure.referral.notice.incident_id).update(
        narrative="Changed after the referral was sent."
    )
    html = page(client, portal(disclosure))
    assert '<h1 class="govuk-heading-l">Tobi Example</h1>' in html
    assert "Said he hid under the bed when the shouting started" in html
    assert "Police called by a neighbour who heard shouting." in html
    assert "Changed after the referral was sent." not in html
    assert "Referral sent to Hackney MASH by Riya Researcher" in html
    read = AccessLogEntry.objects.get(
        user=user, action=Action.READ, subject_type="disclosure", subject_id=str(disclosure.pk)
    )
    assert read.justification == f"Disclosure {disclosure.pk} to Hackney MASH"
    assert read.person_id == str(disclosure.referral.notice.person_id)


def test_the_list_logs_the_children_it_names(signed_in, agencies, sent):
    client, user = signed_in(Role.PARTNER, agency=agencies["mash"])
    page(client, "/dispatch/portal/")
    assert AccessLogEntry.objects.filter(
        user=user, action=Action.READ, subject_id=str(sent["hackney-mash"].pk)
    ).exists()


@pytest.mark.parametrize(
    ("action", "why"), [("decision", "Recording a decision"), ("note", "Adding a note")]
)
def test_the_decision_and_note_pages_log_the_person_they_name(
    signed_in, agencies, sent, action, why
):
    client, user = signed_in(Role.PARTNER, agency=agencies["mash"])
    disclosure = sent["hackney-mash"]
    html = page(client, portal(disclosure, action))
    assert "Tobi" in html
    assert AccessLogEntry.objects.filter(
        user=user,
        action=Action.READ,
        subject_id=str(disclosure.pk),
        subject_label__startswith=why,
        person_id=str(disclosure.referral.notice.person_id),
    ).exists()


def test_acknowledging_records_who_and_when_and_is_logged(signed_in, agencies, sent):
    client, user = signed_in(Role.PARTNER, agency=agencies["mash"], full_name="Jo Smith")
    disclosure = sent["hackney-mash"]
    assert "New (1)" in page(client, "/dispatch/portal/")
    response = client.post(portal(disclosure, "acknowledge"))
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.acknowledged_by_label == "Jo Smith, Hackney MASH"
    assert disclosure.acknowledged_at is not None
    assert DisclosureEvent.objects.filter(disclosure=disclosure, kind=EventKind.ACKNOWLEDGED)
    assert AccessLogEntry.objects.filter(
        user=user, action=Action.UPDATE, subject_id=str(disclosure.pk)
    ).exists()
    html = page(client, "/dispatch/portal/?state=acknowledged")
    assert "Acknowledged (1)" in html and "New (0)" in html
    assert "Tobi Example" in html
    # Acknowledging twice changes nothing.
    client.post(portal(disclosure, "acknowledge"))
    assert (
        DisclosureEvent.objects.filter(disclosure=disclosure, kind=EventKind.ACKNOWLEDGED).count()
        == 1
    )


def test_a_referral_past_its_decision_clock_is_overdue(signed_in, agencies, sent, fixed_clock):
    client, _ = signed_in(Role.PARTNER, agency=agencies["mash"])
    disclosure = sent["hackney-mash"]
    clock = Clock.objects.get(subject_type="disclosure", subject_id=disclosure.pk)
    assert clock.rule == "la_decision"
    assert "Overdue (0)" in page(client, "/dispatch/portal/")
    fixed_clock.move_to(clock.due_at.replace(microsecond=0).isoformat())
    fixed_clock.shift(60)
    client, _ = signed_in(Role.PARTNER, agency=agencies["mash"])  # the first session timed out
    html = page(client, "/dispatch/portal/?state=overdue")
    assert "Overdue (1)" in html
    assert "Tobi Example" in html
    assert "govuk-tag--red" in html


def decide(client, disclosure, data):
    return client.post(portal(disclosure, "decision"), data)


def test_social_care_records_a_decision_that_stops_its_clock(signed_in, agencies, sent):
    client, user = signed_in(Role.PARTNER, agency=agencies["mash"])
    disclosure = sent["hackney-mash"]
    html = page(client, portal(disclosure, "decision"))
    for label in (
        "No further action",
        "Early help",
        "Child in need assessment (section 17)",
        "Strategy discussion and section 47 enquiry",
        "Immediate protection (police protection or an emergency protection order)",
    ):
        assert label in html
    response = decide(client, disclosure, {"decision": "early_help", "notes": "Family hub"})
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.decision == "early_help"
    assert disclosure.decision_details == {"notes": "Family hub"}
    clock = Clock.objects.get(subject_type="disclosure", subject_id=disclosure.pk)
    assert clock.stopped_at is not None
    assert AccessLogEntry.objects.filter(
        user=user,
        action=Action.UPDATE,
        subject_id=str(disclosure.pk),
        details__decision="early_help",
    ).exists()
    html = page(client, portal(disclosure))
    assert "Early help. Notes for the police: Family hub" in html
    # A decision is recorded once: the form is not offered again.
    assert client.get(portal(disclosure, "decision")).status_code == 302
    assert decide(client, disclosure, {"decision": "no_further_action"}).status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.decision == "early_help"


def test_a_decision_must_be_chosen(signed_in, agencies, sent):
    client, _ = signed_in(Role.PARTNER, agency=agencies["mash"])
    response = decide(client, sent["hackney-mash"], {"notes": "No choice"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Record your decision" in html
    assert "Select the decision" in html


def test_marac_needs_the_date_heard_and_the_actions(signed_in, agencies, sent):
    client, _ = signed_in(Role.PARTNER, agency=agencies["marac"])
    disclosure = sent["hackney-marac"]
    html = decide(client, disclosure, {"decision": "heard"}).content.decode()
    assert "Enter the date heard" in html
    assert "Enter the actions agreed" in html
    html = decide(
        client,
        disclosure,
        {
            "decision": "heard",
            "heard-date_heard-day": "31",
            "heard-date_heard-month": "2",
            "heard-date_heard-year": "2026",
            "heard-actions": "Refuge place",
        },
    ).content.decode()
    assert "The date heard must be a real date" in html
    html = decide(
        client,
        disclosure,
        {
            "decision": "heard",
            "heard-date_heard-day": "1",
            "heard-date_heard-month": "12",
            "heard-date_heard-year": "2026",
            "heard-actions": "Refuge place",
        },
    ).content.decode()
    assert "The date heard must be today or in the past" in html
    response = decide(
        client,
        disclosure,
        {
            "decision": "heard",
            "heard-date_heard-day": "20",
            "heard-date_heard-month": "11",
            "heard-date_heard-year": "2026",
            "heard-actions": "Refuge place; IDVA to call",
        },
    )
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.decision_details == {
        "date_heard": "2026-11-20",
        "actions": "Refuge place; IDVA to call",
    }


def test_nrm_records_whether_there_were_grounds_and_when(signed_in, agencies, sent):
    client, _ = signed_in(Role.PARTNER, agency=agencies["nrm"])
    disclosure = sent["nrm"]
    html = decide(client, disclosure, {"decision": "reasonable_grounds"}).content.decode()
    assert "Select yes or no: were there reasonable grounds" in html
    assert "Enter the date of the decision" in html
    response = decide(
        client,
        disclosure,
        {
            "decision": "conclusive_grounds",
            "reasonable_grounds-decided_on-day": "1",  # the other decision's: ignored
            "conclusive_grounds-decision": "yes",
            "conclusive_grounds-decided_on-day": "23",
            "conclusive_grounds-decided_on-month": "11",
            "conclusive_grounds-decided_on-year": "2026",
        },
    )
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.decision == "conclusive_grounds"
    assert disclosure.decision_details == {"decision": "yes", "decided_on": "2026-11-23"}


def test_a_school_records_that_it_received_and_acted_on_the_notice(signed_in, agencies, sent):
    client, _ = signed_in(Role.PARTNER, agency=agencies["school"])
    disclosure = sent["example-primary"]
    html = page(client, portal(disclosure))
    assert "Operation Encompass notice" in html
    response = decide(
        client,
        disclosure,
        {"decision": "received_and_acted_on", "notes": "Class teacher and DSL checked in"},
    )
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.decision == "received_and_acted_on"
    assert disclosure.decision_details["notes"] == "Class teacher and DSL checked in"


def test_a_note_goes_back_to_the_police(signed_in, agencies, sent):
    client, user = signed_in(Role.PARTNER, agency=agencies["mash"])
    disclosure = sent["hackney-mash"]
    html = client.post(portal(disclosure, "note"), {"text": "  "}).content.decode()
    assert "Enter your note for the police" in html
    response = client.post(portal(disclosure, "note"), {"text": "Social worker allocated"})
    assert response.status_code == 302
    note = DisclosureEvent.objects.get(disclosure=disclosure, kind=EventKind.NOTE)
    assert note.text == "Social worker allocated"
    assert note.by_user == user
    assert "Social worker allocated" in page(client, portal(disclosure))


def test_the_desk_sees_the_partners_answers_on_the_childs_timeline(signed_in, agencies, sent):
    partner, _ = signed_in(Role.PARTNER, agency=agencies["mash"], full_name="Jo Smith")
    disclosure = sent["hackney-mash"]
    partner.post(portal(disclosure, "acknowledge"))
    decide(partner, disclosure, {"decision": "section_17_assessment", "notes": "Allocated"})
    partner.post(portal(disclosure, "note"), {"text": "Visit booked for Friday"})
    researcher, _ = signed_in(Role.DESK_RESEARCHER)
    html = page(researcher, f"/desk/notices/{disclosure.referral.notice_id}")
    assert "Hackney MASH acknowledged the referral" in html
    assert "Hackney MASH decided: child in need assessment (section 17)" in html
    assert "Child in need assessment (section 17). Notes for the police: Allocated" in html
    assert "Note from Hackney MASH" in html
    assert "Visit booked for Friday" in html
    assert "Jo Smith, Hackney MASH" in html


def test_partner_navigation_offers_referrals_received(signed_in, agencies):
    client, _ = signed_in(Role.PARTNER, agency=agencies["mash"])
    assert 'href="/dispatch/portal/"' in page(client, "/")
    client, _ = signed_in(Role.DESK_RESEARCHER)
    assert "Referrals received" not in page(client, "/")


def test_disclosures_still_being_written_are_not_shown(signed_in, agencies, sent):
    Disclosure.objects.filter(pk=sent["hackney-mash"].pk).update(state="sent")
    client, _ = signed_in(Role.PARTNER, agency=agencies["mash"])
    assert client.get(portal(sent["hackney-mash"])).status_code == 404
