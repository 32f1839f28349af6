"""One check of a partner's decision (services.check_decision): the portal, the partner API and
a direct call of services.record_decision accept and refuse the same input with the same
message naming the field. The clock is fixed at 09:00 UTC on 24 November 2026."""

import json
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from childfirst.directory.models import AgencyKind
from childfirst.dispatch import services
from childfirst.dispatch.models import DisclosureEvent, EventKind
from tests.dispatch.portal_builders import agency, disclose, partner_token

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partner/disclosures"
TODAY = date(2026, 11, 24)


@pytest.fixture
def agencies():
    return {
        "mash": agency(code="hackney-mash", name="Hackney MASH"),
        "marac": agency(AgencyKind.MARAC, code="hackney-marac", name="Hackney MARAC"),
        "nrm": agency(AgencyKind.NRM, code="nrm", name="Single Competent Authority"),
    }


@pytest.fixture
def sent(agencies):
    return disclose(agencies["mash"], agencies["marac"], agencies["nrm"])


def post_outcome(client, disclosure, agency_, body):
    return client.post(
        f"{BASE}/{disclosure.pk}/outcome",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {partner_token(agency_)}",
    )


def service_errors(disclosure, body) -> dict:
    with pytest.raises(services.ResponseInvalid) as error:
        services.record_decision(
            disclosure=disclosure,
            decision=body.get("decision"),
            details=body.get("details"),
            notes=body.get("notes", ""),
            by_label="Someone",
        )
    return error.value.errors


@pytest.mark.parametrize(
    ("code", "body", "errors"),
    [
        (
            "hackney-marac",
            {"decision": "heard", "details": {"date_heard": "2026-11-25", "actions": "IDVA"}},
            {"details.date_heard": "The date heard must be today or in the past"},
        ),
        (
            "hackney-marac",
            {
                "decision": "heard",
                "details": {"date_heard": "2026-11-20", "actions": "IDVA", "room": "4"},
            },
            {"details.room": "room is not a detail of the decision heard at MARAC"},
        ),
        (
            "hackney-marac",
            {"decision": "heard", "details": {"date_heard": "2026-11-20", "actions": 7}},
            {"details.actions": "The actions agreed must be text"},
        ),
        (
            "nrm",
            {"decision": "reasonable_grounds", "details": {"decision": "maybe"}},
            {
                "details.decision": "Select yes or no: were there reasonable grounds",
                "details.decided_on": "Enter the date of the decision",
            },
        ),
        (
            "hackney-mash",
            {"decision": "early_help", "notes": "x" * 5001},
            {"notes": "Notes must be 5,000 characters or fewer"},
        ),
        (
            "hackney-mash",
            {"decision": "heard"},
            {
                "decision": "Select the decision: no further action, early help, child in need "
                "assessment (section 17), strategy discussion and section 47 enquiry, immediate "
                "protection (police protection or an emergency protection order), already open "
                "to children's social care"
            },
        ),
    ],
)
def test_the_api_and_the_service_refuse_the_same_input_with_the_same_messages(
    client, agencies, sent, code, body, errors
):
    disclosure = sent[code]
    assert service_errors(disclosure, body) == errors
    response = post_outcome(client, disclosure, disclosure.agency, body)
    assert response.status_code == 422
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == errors
    disclosure.refresh_from_db()
    assert disclosure.decided_at is None
    assert not DisclosureEvent.objects.filter(kind=EventKind.DECIDED).exists()


def test_a_date_today_in_london_is_not_in_the_future():
    # 23:30 UTC on 1 July is 12:30am on 2 July in London: 2 July is today, not the future.
    at = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    clean = services.check_decision(
        agency_kind=AgencyKind.MARAC,
        decision="heard",
        details={"date_heard": "2026-07-02", "actions": "IDVA"},
        today=timezone.localdate(at),
    )
    assert clean == {"date_heard": "2026-07-02", "actions": "IDVA"}


def test_answers_and_dates_are_tidied_the_same_way_for_every_caller():
    clean = services.check_decision(
        agency_kind=AgencyKind.NRM,
        decision="conclusive_grounds",
        details={"decision": True, "decided_on": date(2026, 11, 23), "notes": "  Seen  "},
        today=TODAY,
    )
    assert clean == {"decision": "yes", "decided_on": "2026-11-23", "notes": "Seen"}


@pytest.mark.parametrize(
    "heard",
    [datetime(2026, 11, 20, 10, 0, tzinfo=UTC), "20261120", "2026-W47-5", "2026-11-20T10:00"],
)
def test_a_date_is_written_yyyy_mm_dd_and_nothing_else_is_a_date(heard):
    with pytest.raises(services.ResponseInvalid) as error:
        services.check_decision(
            agency_kind=AgencyKind.MARAC,
            decision="heard",
            details={"date_heard": heard, "actions": "IDVA"},
            today=TODAY,
        )
    assert error.value.errors == {
        "details.date_heard": "The date heard must be a real date, like 2026-11-20"
    }


@pytest.mark.parametrize("decision", [None, ["heard"], {"heard": 1}, 3])
def test_a_decision_that_is_not_text_is_refused_by_name(decision):
    with pytest.raises(services.ResponseInvalid) as error:
        services.check_decision(
            agency_kind=AgencyKind.MARAC, decision=decision, details={}, today=TODAY
        )
    assert error.value.errors == {"decision": "Select the decision: heard at MARAC"}


def test_the_nrm_decided_event_keeps_the_decision_and_its_details(client, agencies, sent):
    disclosure = sent["nrm"]
    body = {
        "decision": "reasonable_grounds",
        "details": {"decision": False, "decided_on": "2026-11-23"},
    }
    response = post_outcome(client, disclosure, agencies["nrm"], body)
    assert response.status_code == 200, response.json()
    assert response.json()["decision"] == "reasonable_grounds"
    assert response.json()["decision_details"] == {"decision": "no", "decided_on": "2026-11-23"}
    event = DisclosureEvent.objects.get(disclosure=disclosure, kind=EventKind.DECIDED)
    assert event.details["decision"] == "reasonable_grounds"
    assert event.details["decided_on"] == "2026-11-23"


def test_a_note_is_checked_once_for_the_api_and_the_service(client, agencies, sent):
    disclosure = sent["hackney-mash"]
    token = partner_token(agencies["mash"])
    for text, message in [
        ("   ", "Enter your note for the police"),
        (12, "Enter your note for the police"),
        ("x" * 5001, "Your note must be 5,000 characters or fewer"),
    ]:
        with pytest.raises(services.ResponseInvalid) as error:
            services.add_note(disclosure=disclosure, text=text, by_label="Someone")
        assert error.value.errors == {"text": message}
        response = client.post(
            f"{BASE}/{disclosure.pk}/notes",
            data=json.dumps({"text": text}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 422
        assert response.json()["errors"] == [{"field": "text", "message": message}]
    assert not DisclosureEvent.objects.filter(kind=EventKind.NOTE).exists()
