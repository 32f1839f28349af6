"""The partner API: a partner agency's case system, with a token of scope `partner` bound to
its agency, lists, reads, acknowledges and records the outcome of its own agency's disclosures
only; another agency's is 404, and nothing about it changes."""

import json

import pytest

from childfirst.accounts.models import ApiScope
from childfirst.accounts.services import create_api_client
from childfirst.audit.models import AccessLogEntry, Action
from childfirst.directory.models import AgencyKind
from childfirst.dispatch.models import DisclosureEvent, EventKind
from childfirst.timescales.models import Clock
from tests.dispatch.portal_builders import agency, disclose, partner_token

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partner/disclosures"


@pytest.fixture
def agencies():
    return {
        "mash": agency(code="hackney-mash", name="Hackney MASH"),
        "other": agency(code="camden-mash", name="Camden MASH"),
        "marac": agency(AgencyKind.MARAC, code="hackney-marac", name="Hackney MARAC"),
    }


@pytest.fixture
def sent(agencies):
    tobi = disclose(agencies["mash"], agencies["marac"])
    ade = disclose(agencies["other"], child="Ade")
    return {**tobi, **ade}


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, url, token, body=None):
    return client.post(
        url,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        **bearer(token),
    )


def test_no_token_is_401_and_an_intake_token_is_403(client, sent):
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/{sent['hackney-mash'].pk}").status_code == 401
    intake = create_api_client(name="Niche RMS", scope=ApiScope.INTAKE).token
    assert client.get(BASE, **bearer(intake)).status_code == 403
    assert post(client, f"{BASE}/{sent['hackney-mash'].pk}/acknowledge", intake).status_code == 403


def test_a_token_lists_only_its_own_agencys_disclosures(client, agencies, sent):
    token = partner_token(agencies["mash"])
    body = client.get(BASE, **bearer(token)).json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [sent["hackney-mash"].pk]
    item = body["items"][0]
    assert item["title"] == "Tobi Example"
    assert item["state"] == "new"
    assert item["content_kind"] == "full_referral"
    assert item["decision_due_at"] is not None
    read = AccessLogEntry.objects.get(action=Action.READ, subject_id=str(item["id"]))
    assert read.actor_kind == "api_client"


def test_the_list_filters_by_state_and_date_and_pages(client, agencies, sent):
    token = partner_token(agencies["mash"])
    second = disclose(agencies["mash"])["hackney-mash"]
    everything = client.get(BASE, {"limit": 1}, **bearer(token)).json()
    assert everything["count"] == 2 and everything["limit"] == 1
    assert [i["id"] for i in everything["items"]] == [second.pk]
    rest = client.get(BASE, {"limit": 1, "offset": 1}, **bearer(token)).json()
    assert [i["id"] for i in rest["items"]] == [sent["hackney-mash"].pk]
    post(client, f"{BASE}/{second.pk}/acknowledge", token)
    acknowledged = client.get(BASE, {"state": "acknowledged"}, **bearer(token)).json()
    assert [i["id"] for i in acknowledged["items"]] == [second.pk]
    new = client.get(BASE, {"state": "new"}, **bearer(token)).json()
    assert [i["id"] for i in new["items"]] == [sent["hackney-mash"].pk]
    later = client.get(BASE, {"since": "2026-11-24T09:00:01Z"}, **bearer(token)).json()
    assert later["count"] == 0
    earlier = client.get(BASE, {"until": "2026-11-24T09:00:01Z"}, **bearer(token)).json()
    assert earlier["count"] == 2
    wrong = client.get(BASE, {"state": "lost"}, **bearer(token))
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "state"


def test_a_token_of_another_agency_gets_404_and_changes_nothing(client, agencies, sent):
    token = partner_token(agencies["other"])
    theirs = sent["hackney-mash"]
    assert client.get(f"{BASE}/{theirs.pk}", **bearer(token)).status_code == 404
    assert post(client, f"{BASE}/{theirs.pk}/acknowledge", token).status_code == 404
    outcome = {"decision": "early_help", "details": {}, "notes": ""}
    assert post(client, f"{BASE}/{theirs.pk}/outcome", token, outcome).status_code == 404
    assert post(client, f"{BASE}/{theirs.pk}/notes", token, {"text": "Hi"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None and theirs.decided_at is None
    assert not AccessLogEntry.objects.filter(subject_id=str(theirs.pk), action=Action.READ)


def test_a_disclosure_is_its_content_snapshot_and_history(client, agencies, sent):
    token = partner_token(agencies["mash"], name="Hackney case system")
    disclosure = sent["hackney-mash"]
    body = client.get(f"{BASE}/{disclosure.pk}", **bearer(token)).json()
    assert body["content"] == disclosure.content
    assert body["idempotency_key"] == str(disclosure.idempotency_key)
    assert body["lawful_basis"] == "Children Act 2004 section 11"
    assert [e["kind"] for e in body["events"]][:1] == ["sent"]
    read = AccessLogEntry.objects.get(action=Action.READ, subject_id=str(disclosure.pk))
    assert read.actor_label == "API client: Hackney case system"
    assert read.justification == f"Disclosure {disclosure.pk} to Hackney MASH"


def test_acknowledging_through_the_api_is_safe_to_retry(client, agencies, sent):
    token = partner_token(agencies["mash"], name="Hackney case system")
    disclosure = sent["hackney-mash"]
    first = post(client, f"{BASE}/{disclosure.pk}/acknowledge", token)
    again = post(client, f"{BASE}/{disclosure.pk}/acknowledge", token)
    assert first.status_code == again.status_code == 200
    assert first.json()["acknowledged_by"] == "Hackney case system (API)"
    assert first.json()["state"] == "acknowledged"
    assert again.json()["acknowledged_at"] == first.json()["acknowledged_at"]
    assert (
        DisclosureEvent.objects.filter(disclosure=disclosure, kind=EventKind.ACKNOWLEDGED).count()
        == 1
    )


def test_an_outcome_names_every_field_to_correct(client, agencies, sent):
    token = partner_token(agencies["marac"])
    url = f"{BASE}/{sent['hackney-marac'].pk}/outcome"
    response = post(client, url, token, {"decision": "early_help"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "decision"
    response = post(
        client, url, token, {"decision": "heard", "details": {"date_heard": "2026-13-01"}}
    )
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {
        "details.date_heard": "The date heard must be a real date, like 2026-11-20",
        "details.actions": "Enter the actions agreed",
    }
    response = post(client, url, token, {"decision": "heard", "details": "soon"})
    assert response.json()["errors"] == [
        {"field": "details", "message": "details must be a JSON object"}
    ]
    bad_json = client.post(url, data="{not json", content_type="application/json", **bearer(token))
    assert bad_json.status_code == 400
    assert not DisclosureEvent.objects.filter(kind=EventKind.DECIDED).exists()


def test_an_outcome_is_recorded_once_and_stops_the_clock(client, agencies, sent):
    token = partner_token(agencies["mash"])
    disclosure = sent["hackney-mash"]
    url = f"{BASE}/{disclosure.pk}/outcome"
    body = {"decision": "strategy_discussion_section_47", "details": {}, "notes": "Today 2pm"}
    response = post(client, url, token, body)
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "decided"
    assert response.json()["decision"] == "strategy_discussion_section_47"
    assert response.json()["decision_details"] == {"notes": "Today 2pm"}
    assert Clock.objects.get(subject_type="disclosure", subject_id=disclosure.pk).stopped_at
    logged = AccessLogEntry.objects.filter(
        action=Action.UPDATE, subject_type="disclosure", subject_id=str(disclosure.pk)
    )
    # The case system is named as itself, not as "system".
    assert {entry.actor_kind for entry in logged} == {"api_client"}
    again = post(client, url, token, {"decision": "early_help"})
    assert again.status_code == 409
    disclosure.refresh_from_db()
    assert disclosure.decision == "strategy_discussion_section_47"


def test_a_note_through_the_api(client, agencies, sent):
    token = partner_token(agencies["mash"])
    disclosure = sent["hackney-mash"]
    empty = post(client, f"{BASE}/{disclosure.pk}/notes", token, {"text": ""})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "text"
    response = post(client, f"{BASE}/{disclosure.pk}/notes", token, {"text": "Allocated"})
    assert response.status_code == 200
    assert response.json()["events"][-1]["text"] == "Allocated"


def test_the_partner_routes_are_described_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/partner/disclosures",
        "/api/v1/partner/disclosures/{disclosure_id}",
        "/api/v1/partner/disclosures/{disclosure_id}/acknowledge",
        "/api/v1/partner/disclosures/{disclosure_id}/outcome",
        "/api/v1/partner/disclosures/{disclosure_id}/notes",
    ):
        assert path in paths, path
