"""GET /api/v1/incidents/{id}: each notice carries its screening (issue 4 section 6). The names
grade, rules_fired, recommended_recipients, prompts and clocks are kept stable."""

from datetime import datetime

import pytest

from tests.incidents.builders import intake_client, payload
from tests.incidents.test_api import bearer, post
from tests.screening.builders import school

pytestmark = pytest.mark.django_db


def test_each_notice_has_its_grade_reasons_recipients_prompts_and_clocks(client):
    school()
    _, token = intake_client()
    data = payload()
    data["people"][1]["school_urn"] = 900123
    incident_id = post(client, token, data).json()["id"]

    response = client.get(f"/api/v1/incidents/{incident_id}", **bearer(token))

    assert response.status_code == 200
    tobi, ade = response.json()["notices"]
    assert tobi["grade"] == "red"  # the officer graded the DASH high
    assert {"id": "encompass_school", "reason": tobi["rules_fired"][0]["reason"]} == (
        tobi["rules_fired"][0]
    )
    assert [rule["id"] for rule in tobi["rules_fired"]] == [
        "encompass_school",
        "dash_high_risk",
        "marac_high_risk_victim",
    ]
    assert "Operation Encompass" in tobi["rules_fired"][0]["reason"]
    assert tobi["recommended_recipients"] == ["school", "childrens_social_care", "marac"]
    assert tobi["prompts"][0] == {
        "for": "desk",
        "text": "Send the Operation Encompass notice to the school's designated safeguarding "
        "lead before the start of the next school day.",
        "rule": "encompass_school",
    }
    assert {prompt["rule"] for prompt in ade["prompts"]} >= {"encompass_no_school"}
    for notice in (tobi, ade):
        assert {clock["rule"] for clock in notice["clocks"]} == {"encompass", "desk_review_red"}
        for clock in notice["clocks"]:
            assert clock["state"] == "running"
            assert datetime.fromisoformat(clock["due_at"]).tzinfo is not None


def test_the_reply_to_sending_an_incident_is_already_screened(client):
    _, token = intake_client()

    body = post(client, token, payload(kind="violence")).json()

    assert [notice["grade"] for notice in body["notices"]] == ["information", "information"]
    assert [notice["rules_fired"] for notice in body["notices"]] == [[], []]
    assert [notice["clocks"] for notice in body["notices"]] == [[], []]


def test_the_openapi_description_names_the_screening_fields(client):
    schema = client.get("/api/v1/openapi.json").json()

    notice = schema["components"]["schemas"]["NoticeOut"]["properties"]
    assert {"grade", "rules_fired", "recommended_recipients", "prompts", "clocks"} <= set(notice)
    assert set(schema["components"]["schemas"]["PromptOut"]["properties"]) == {
        "for",
        "text",
        "rule",
    }
