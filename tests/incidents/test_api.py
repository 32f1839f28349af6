"""POST /api/v1/incidents and GET /api/v1/incidents/{id}."""

import json

import pytest

from childfirst.accounts.models import ApiScope
from childfirst.accounts.services import create_api_client
from childfirst.audit.models import AccessLogEntry
from childfirst.incidents.models import Incident, Notice
from childfirst.people.models import Mention
from tests.builders import make_agency
from tests.incidents.builders import intake_client, payload, person

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents"


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, token, data):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(URL, body, content_type="application/json", **bearer(token))


def counts():
    return (Incident.objects.count(), Mention.objects.count(), Notice.objects.count())


def test_a_new_incident_is_created_and_returned_with_its_notices(client):
    _, token = intake_client()
    data = payload()

    response = post(client, token, data)

    assert response.status_code == 201
    body = response.json()
    assert (body["source_system"], body["source_reference"], body["kind"]) == (
        "NICHE",
        data["source_reference"],
        "domestic_abuse_incident",
    )
    assert body["occurred_at"].startswith("2026-11-23T21:40:00")
    assert [p["ref"] for p in body["people"]] == ["P1", "P3", "P4"]
    assert body["questionnaires"] == [
        {"kind": "dash", "respondent": "P1", "score": 1, "officer_grade": "high"}
    ]
    assert [(n["ref"], n["role"], n["age_at_incident"], n["reason"]) for n in body["notices"]] == [
        ("P3", "present", 10, "in_incident"),
        ("P4", "child_in_household", 2, "in_incident"),
    ]
    assert Incident.objects.get().pk == body["id"]


def test_the_same_payload_again_returns_200_and_the_same_incident(client):
    _, token = intake_client()
    data = payload()
    first = post(client, token, data).json()
    before = counts()

    again = post(client, token, data)

    assert again.status_code == 200
    assert again.json() == first
    assert counts() == before


def test_a_different_payload_for_the_same_reference_is_409_and_changes_nothing(client):
    _, token = intake_client()
    data = payload()
    first = post(client, token, data).json()
    before = counts()

    response = post(client, token, {**data, "kind": "violence"})

    assert response.status_code == 409
    body = response.json()
    assert body["incident_id"] == first["id"]
    assert body["differences"] == ["kind"]
    assert "already stored with different details (kind); nothing was changed" in body["detail"]
    assert counts() == before
    assert Incident.objects.get().kind == "domestic_abuse_incident"


def test_validation_errors_name_every_failing_field(client):
    _, token = intake_client()
    data = payload(occurred_at="last Tuesday", surprise=True)
    data["people"][1]["date_of_birth"] = "2016-02-30"
    del data["kind"]

    response = post(client, token, data)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The incident was not stored: 4 fields need correcting."
    assert {e["field"] for e in body["errors"]} == {
        "kind",
        "occurred_at",
        "surprise",
        "people[1].date_of_birth",
    }
    assert counts() == (0, 0, 0)


def test_malformed_json_is_400_and_changes_nothing(client):
    _, token = intake_client()

    response = post(client, token, '{"source_system": "NICHE", "kind": ')

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request body is not valid JSON: Expecting")
    assert counts() == (0, 0, 0)


def test_a_json_array_is_422(client):
    _, token = intake_client()

    response = post(client, token, [payload()])

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "(incident)"


def test_no_token_is_401_and_a_partner_token_is_403(client):
    partner = create_api_client(name="Case system", scope=ApiScope.PARTNER, agency=make_agency())

    anonymous = client.post(URL, json.dumps(payload()), content_type="application/json")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="Child First API"'
    assert anonymous.json() == {"detail": "Unauthorized"}
    assert post(client, "cf_not-a-token", payload()).status_code == 401
    assert post(client, partner.token, payload()).status_code == 403
    assert counts() == (0, 0, 0)


def test_get_returns_the_incident_with_its_notices_and_logs_the_read(client):
    _, token = intake_client()
    created = post(client, token, payload()).json()

    response = client.get(f"{URL}/{created['id']}", **bearer(token))

    assert response.status_code == 200
    assert response.json() == created
    read = AccessLogEntry.objects.get(action="read")
    assert (read.subject_type, read.subject_id, read.justification) == (
        "incident",
        str(created["id"]),
        "Intake client read of its own incident",
    )


def test_another_clients_incident_is_404_to_get_and_409_to_replay(client):
    _, mine = intake_client()
    _, theirs = intake_client()
    data = payload()
    created = post(client, mine, data).json()

    assert client.get(f"{URL}/{created['id']}", **bearer(theirs)).status_code == 404
    assert client.get(f"{URL}/999999", **bearer(mine)).status_code == 404
    replay = post(client, theirs, data)
    assert replay.status_code == 409
    assert replay.json()["incident_id"] is None
    assert not AccessLogEntry.objects.filter(action="read").exists()


def test_creation_and_replays_are_in_the_access_log(client):
    api_client, token = intake_client(name="Niche RMS")
    data = payload(people=[person("witness", age=12)], questionnaires=[])
    post(client, token, data)
    post(client, token, data)

    entries = [
        (e.action, e.subject_type, e.actor_label, e.justification)
        for e in AccessLogEntry.objects.filter(subject_type__in=["incident", "notice"]).order_by(
            "pk"
        )
    ]
    assert entries == [
        ("create", "incident", "API client: Niche RMS", ""),
        ("create", "notice", "API client: Niche RMS", ""),
        (
            "read",
            "incident",
            "API client: Niche RMS",
            "The sender sent its own incident again (a replay)",
        ),
    ]
    assert Incident.objects.get().received_from_client == api_client


def test_the_openapi_description_documents_the_payload_and_the_replies(client):
    schema = client.get("/api/v1/openapi.json").json()

    post_operation = schema["paths"]["/api/v1/incidents"]["post"]
    body = post_operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"source_system", "source_reference", "kind", "occurred_at", "people"} <= set(
        body["properties"]
    )
    assert "role" in body["properties"]["people"]["items"]["properties"]
    assert "$ref" not in json.dumps(body)
    assert set(post_operation["responses"]) == {"200", "201", "400", "401", "403", "409", "422"}
    for operations in schema["paths"].values():  # every route with a token says what else
        for operation in operations.values():
            if operation.get("security"):
                assert {"401", "403"} <= set(operation["responses"])
    assert post_operation["security"]
    assert "/api/v1/incidents/{incident_id}" in schema["paths"]
