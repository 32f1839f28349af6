"""What each recipient gets (issue 5, item 1)."""

import json

import pytest

from childfirst.directory.models import AgencyKind, InformationCategory
from childfirst.dispatch import services
from childfirst.dispatch.content.rules import DispatchRulesError, load_dispatch_rules
from childfirst.dispatch.models import ContentKind
from childfirst.dispatch.partner import describe_outcome
from childfirst.dispatch.partner.content import show
from tests.dispatch import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return b.setting()


def content_for(referral, agency):
    recipient = next(r for r in referral.recipients.all() if r.agency_id == agency.pk)
    return services.compose(referral=referral, recipient=recipient)


def sections(content):
    return {s["id"]: {f["id"]: f for f in s["fields"]} for s in content["sections"]}


def test_childrens_social_care_gets_the_full_referral(agencies):
    referral = b.referral(agencies)
    kind, content = content_for(referral, agencies["mash"])
    assert kind == ContentKind.FULL_REFERRAL
    found = sections(content)
    assert found["child"]["name"]["value"] == "Tobi Example"
    assert found["child"]["date_of_birth"]["text"] == "3 September 2016"
    assert found["incident"]["occurred_at"]["text"] == "23 November 2026 at 9:40pm"
    assert found["child_voice"]["voice"]["value"].startswith("Said he hid under the bed")
    assert found["risk"]["dash_score"]["value"] == 15
    assert "adult_history" in found and "household" in found
    assert content["sharing_agreement"]["lawful_basis"].startswith("Children Act 2004")
    json.dumps(content)  # a JSON snapshot


def test_a_school_gets_the_operation_encompass_notice(agencies):
    referral = b.referral(agencies)
    kind, content = content_for(referral, agencies["school"])
    assert kind == ContentKind.ENCOMPASS_NOTICE
    found = sections(content)
    assert set(found) == {"child", "incident", "child_part", "child_voice", "guidance"}
    assert set(found["child"]) == {"name", "date_of_birth", "age_at_incident"}
    assert found["incident"]["police_reference"]["value"].startswith("NICHE CAD-2026-")
    assert found["incident"]["what_happened"]["value"] == referral.text
    assert found["child_part"]["present"]["value"] is True
    assert found["child_part"]["where"]["value"] == "In the bedroom"
    assert any("trusted adult" in f["text"] for f in found["guidance"].values())


def test_a_school_never_gets_an_adults_criminal_history_even_if_its_agreement_says_so(agencies):
    referral = b.referral(agencies)
    _, full = content_for(referral, agencies["mash"])
    assert "Violence" in json.dumps(full)  # the suspect's earlier offence is known
    _, content = content_for(referral, agencies["school"])
    text = json.dumps(content)
    assert "Harlow" not in text and "Dominic" not in text
    assert "Violence" not in text and "suspect" not in text.lower()
    assert "1984" not in text
    for section in content["sections"]:
        assert section["id"] not in {"adult_history", "police_history", "risk", "household"}


def test_the_agreements_categories_filter_what_is_shared():
    agencies = b.setting(
        school_categories=[InformationCategory.CHILD_IDENTITY, InformationCategory.INCIDENT_SUMMARY]
    )
    referral = b.referral(agencies)
    _, content = content_for(referral, agencies["school"])
    assert "child_voice" not in sections(content)


def test_marac_gets_the_adult_victims_referral_with_the_dash_answers(agencies):
    referral = b.referral(agencies)
    kind, content = content_for(referral, agencies["marac"])
    assert kind == ContentKind.MARAC_REFERRAL
    found = sections(content)
    assert found["adult_victim"]["name"]["value"] == "Amara Example"
    assert found["risk"]["dash_score"]["value"] == 15
    assert found["suspect"]
    assert "Tobi Example" in json.dumps(found["household"])


def test_decision_choices_are_given_per_kind_of_agency():
    choices = dict(services.decision_choices_for(AgencyKind.CHILDRENS_SOCIAL_CARE))
    assert set(choices) == {
        "no_further_action",
        "early_help",
        "section_17_assessment",
        "strategy_discussion_section_47",
        "police_protection",
        "already_open",
    }
    assert dict(services.decision_choices_for(AgencyKind.SCHOOL)) == {
        "received_and_acted_on": "Received and acted on"
    }
    assert set(dict(services.decision_choices_for(AgencyKind.NRM))) == {
        "reasonable_grounds",
        "conclusive_grounds",
    }


def test_a_mistake_in_the_rules_file_names_the_file_entry_and_field(tmp_path):
    path = tmp_path / "dispatch.yaml"
    path.write_text("guidance: {}\nchasing:\n  remind_after_hours: -1\n  escalate_after_hours: 4\n")
    with pytest.raises(
        DispatchRulesError, match="dispatch.yaml, chasing, field remind_after_hours"
    ):
        load_dispatch_rules(path)
    path.write_text(
        "guidance:\n  poster: [x]\nchasing: {remind_after_hours: 0, escalate_after_hours: 1}\n"
    )
    with pytest.raises(DispatchRulesError, match="guidance poster: is not a content kind"):
        load_dispatch_rules(path)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-11-24T12:00:00+00:00", "24 November 2026 at midday"),
        ("2026-11-24T10:00:00Z", "24 November 2026 at 10am"),
        ("2026-07-01T23:30:00+00:00", "2 July 2026 at 12:30am"),  # British Summer Time
        ("2016-09-03", "3 September 2016"),
        ("2026-11-24T10:00:00", "2026-11-24T10:00:00"),  # no offset: not a time we wrote
        ("", "Not given"),
    ],
)
def test_the_portal_writes_the_snapshots_dates_as_the_rest_of_child_first_does(value, shown):
    assert show(value) == shown


def test_a_decisions_date_is_written_in_words():
    text = describe_outcome(
        agency_kind=AgencyKind.MARAC,
        decision="heard",
        details={"date_heard": "2026-11-02", "actions": "Refuge place", "notes": "Seen"},
    )
    assert text == (
        "Heard at MARAC. Date heard: 2 November 2026. Actions agreed: Refuge place. "
        "Notes for the police: Seen"
    )


def test_a_dash_nobody_answered_is_sent_as_not_answered_not_as_a_score_of_0(agencies):
    from childfirst.incidents.models import Questionnaire

    referral = b.referral(agencies)
    Questionnaire.objects.filter(incident=referral.notice.incident).update(
        answers={}, score=0, respondent=None
    )
    _, content = content_for(referral, agencies["mash"])
    score = sections(content)["risk"]["dash_score"]
    assert (score["value"], score["text"]) == (None, "Not answered")
