"""The starter rule set (rules/screening/): each rule fires, with its reason, when it should,
and not when it should not. Incidents go through the real intake, which screens every notice."""

import pytest

from childfirst.screening.models import Grade
from tests.incidents.builders import person
from tests.screening.builders import child, dash, fired, incident, school, screen

pytestmark = pytest.mark.django_db

ADULT = person("victim", given_name="Amara", date_of_birth="1990-04-12")
DA = "domestic_abuse_incident"


# Domestic abuse: Operation Encompass ------------------------------------------------------------


def test_a_child_present_at_domestic_abuse_is_told_to_their_school_under_operation_encompass():
    school()
    screenings = screen(
        incident(kind=DA, people=[ADULT, child("present", present=True, school_urn=900123)])
    )

    tobi = screenings["P2"]
    assert fired(tobi)["encompass_school"] == (
        "A domestic abuse incident with the child present: Operation Encompass tells the "
        "child's school before the next school day, and children's social care should "
        "consider it."
    )
    assert tobi.recommended_recipients[:2] == ["school", "childrens_social_care"]
    assert "encompass" in tobi.clocks
    assert tobi.grade == Grade.AMBER
    assert any("designated safeguarding lead" in p["text"] for p in tobi.prompts)


def test_a_child_with_no_school_is_told_to_the_local_authority_instead():
    screenings = screen(incident(kind=DA, people=[ADULT, child("child_in_household", age=2)]))

    ade = screenings["P2"]
    assert "encompass_school" not in fired(ade)
    assert fired(ade)["encompass_no_school"].startswith(
        "A domestic abuse incident with the child in the household but not present and no "
        "school recorded:"
    )
    assert ade.recommended_recipients == ["childrens_social_care"]
    assert "encompass" in ade.clocks


def test_encompass_is_only_for_domestic_abuse():
    school()
    screenings = screen(incident(kind="violence", people=[child("witness", school_urn=900123)]))

    assert not {"encompass_school", "encompass_no_school"} & set(fired(screenings["P1"]))
    assert "encompass" not in screenings["P1"].clocks


# DASH and MARAC -------------------------------------------------------------------------------


def test_14_yes_answers_on_the_dash_grades_the_children_red():
    screenings = screen(
        incident(kind=DA, people=[ADULT, child("present")], questionnaires=[dash(14)])
    )

    tobi = screenings["P2"]
    assert tobi.grade == Grade.RED
    assert fired(tobi)["dash_high_risk"] == (
        'The DASH is high risk (14 "yes" answers; the officer\'s grade is standard): the '
        "children in the household are graded red."
    )
    assert "desk_review_red" in tobi.clocks


def test_13_yes_answers_on_the_dash_is_not_high_risk():
    screenings = screen(
        incident(kind=DA, people=[ADULT, child("present")], questionnaires=[dash(13)])
    )

    tobi = screenings["P2"]
    assert "dash_high_risk" not in fired(tobi)
    assert "marac" not in tobi.recommended_recipients
    assert tobi.grade == Grade.AMBER


def test_the_officers_professional_judgement_alone_makes_it_high_risk():
    screenings = screen(
        incident(kind=DA, people=[ADULT, child("present")], questionnaires=[dash(2, grade="high")])
    )

    tobi = screenings["P2"]
    assert tobi.grade == Grade.RED
    assert "the officer's grade is high" in fired(tobi)["dash_high_risk"]
    assert "marac" in tobi.recommended_recipients
    assert "aged 36" in fired(tobi)["marac_high_risk_victim"]


@pytest.mark.parametrize(("dob", "marac"), [("2010-01-15", True), ("2011-01-15", False)])
def test_a_high_risk_victim_goes_to_marac_from_16_not_at_15(dob, marac):
    victim = child("victim", dob=dob, given_name="Nia", nhs_number="")
    screenings = screen(incident(kind=DA, people=[victim], questionnaires=[dash(14)]))

    nia = screenings["P1"]
    assert nia.grade == Grade.RED
    assert ("marac_high_risk_victim" in fired(nia)) is marac
    assert ("marac" in nia.recommended_recipients) is marac
    if marac:
        assert "The victim, aged 16, is high risk" in fired(nia)["marac_high_risk_victim"]


def test_three_domestic_abuse_call_outs_in_12_months_is_potential_escalation():
    for when in ("2026-02-01T10:00:00Z", "2026-07-01T10:00:00Z"):
        screen(incident(kind=DA, people=[ADULT], occurred_at=when))

    screenings = screen(incident(kind=DA, people=[ADULT, child("present")]))

    tobi = screenings["P2"]
    assert fired(tobi)["potential_escalation"] == (
        "3 domestic abuse incidents at this household in the last 12 months: potential "
        "escalation, so a MARAC referral."
    )
    assert "marac" in tobi.recommended_recipients


def test_two_call_outs_in_12_months_and_one_older_is_not_potential_escalation():
    for when in ("2025-11-01T10:00:00Z", "2026-07-01T10:00:00Z"):
        screen(incident(kind=DA, people=[ADULT], occurred_at=when))

    screenings = screen(incident(kind=DA, people=[ADULT, child("present")]))

    assert "potential_escalation" not in fired(screenings["P2"])


def test_a_new_incident_within_12_months_of_a_marac_is_repeat_marac():
    screen(
        incident(
            kind=DA,
            people=[ADULT, child("present")],
            questionnaires=[dash(15)],
            occurred_at="2026-05-01T20:00:00Z",
        )
    )

    screenings = screen(
        incident(kind=DA, people=[ADULT, child("present")], questionnaires=[dash(3)])
    )

    tobi = screenings["P2"]
    assert "repeat MARAC referral" in fired(tobi)["repeat_marac"]
    assert tobi.grade == Grade.RED
    assert "dash_high_risk" not in fired(tobi)


def test_a_marac_more_than_12_months_ago_is_not_repeat_marac():
    screen(
        incident(
            kind=DA,
            people=[ADULT, child("present")],
            questionnaires=[dash(15)],
            occurred_at="2025-10-01T20:00:00Z",
        )
    )

    screenings = screen(
        incident(kind=DA, people=[ADULT, child("present")], questionnaires=[dash(3)])
    )

    assert "repeat_marac" not in fired(screenings["P2"])


# Missing and exploitation ---------------------------------------------------------------------


def missing(when):
    return incident(kind="missing_person", people=[child("missing_person")], occurred_at=when)


def test_every_missing_episode_starts_the_return_home_interview_clock():
    screenings = screen(missing("2026-11-23T18:00:00Z"))

    tobi = screenings["P1"]
    assert "return_interview" in tobi.clocks
    assert "return home interview is due within 72 hours" in fired(tobi)["missing_return_interview"]
    assert "repeat_missing" not in fired(tobi)


def test_three_missing_episodes_in_90_days_is_an_exploitation_indicator():
    screen(missing("2026-09-01T18:00:00Z"))
    screen(missing("2026-10-15T18:00:00Z"))

    tobi = screen(missing("2026-11-23T18:00:00Z"))["P1"]

    assert fired(tobi)["repeat_missing"] == (
        "3 missing episodes in the last 90 days: repeat missing is a sign of exploitation."
    )
    assert "repeat_missing" in tobi.indicators
    assert fired(tobi)["exploitation_indicators"] == "Signs of exploitation: repeat missing."
    assert "police_team" in tobi.recommended_recipients


def test_two_missing_episodes_in_90_days_and_one_before_is_not_repeat_missing():
    screen(missing("2026-08-01T18:00:00Z"))  # 114 days before
    screen(missing("2026-10-15T18:00:00Z"))

    tobi = screen(missing("2026-11-23T18:00:00Z"))["P1"]

    assert "repeat_missing" not in fired(tobi)
    assert "exploitation_indicators" not in fired(tobi)


def test_exploitation_indicators_the_officer_saw_go_to_the_exploitation_team():
    data = incident(
        kind="stop_and_search",
        people=[child("person_searched")],
        indicators=["found_far_from_home", "unexplained_money_or_phones"],
    )

    tobi = screen(data)["P1"]

    assert fired(tobi)["exploitation_indicators"] == (
        "Signs of exploitation: found far from home, unexplained money, phones or other items."
    )
    assert tobi.recommended_recipients == ["police_team"]
    assert any("National Referral Mechanism" in p["text"] for p in tobi.prompts)
    assert {"found_far_from_home", "exploitation_risk"} <= set(tobi.indicators)


def test_a_search_with_no_signs_of_exploitation_fires_nothing():
    tobi = screen(incident(kind="stop_and_search", people=[child("person_searched")]))["P1"]

    assert tobi.rules_fired == []
    assert tobi.grade == Grade.INFORMATION
    assert tobi.clocks == []


# Child First ----------------------------------------------------------------------------------


def test_a_child_suspect_who_was_a_victim_is_shown_first_as_a_child_at_risk():
    screen(incident(kind="violence", people=[child("victim")], occurred_at="2025-06-01T12:00:00Z"))

    tobi = screen(incident(kind="violence", people=[child("suspect")]))["P1"]

    assert "1 earlier incident(s)" in fired(tobi)["suspect_victim_history"]
    assert "vulnerability behind the" in fired(tobi)["child_at_risk_first"]
    assert "child_at_risk_first" in tobi.indicators
    desk = [p["text"] for p in tobi.prompts if p["for"] == "desk"]
    assert any("section 45 defence" in text and "National Referral" in text for text in desk)
    officer = [p for p in tobi.prompts if p["for"] == "officer"]
    assert officer[0]["rule"] == "child_at_risk_first"


def test_a_child_suspect_with_exploitation_signs_is_a_child_at_risk_first():
    data = incident(
        kind="arrest_and_custody",
        people=[child("arrested_person")],
        indicators=["drugs_or_weapons"],
    )

    tobi = screen(data)["P1"]

    assert "(exploitation risk)" in fired(tobi)["child_at_risk_first"]
    assert "carrying drugs or weapons" in fired(tobi)["exploitation_indicators"]


def test_a_child_suspect_with_no_victim_history_or_signs_is_not():
    tobi = screen(incident(kind="violence", people=[child("suspect")]))["P1"]

    assert "child_at_risk_first" not in fired(tobi)


@pytest.mark.parametrize(("dob", "fires"), [("2017-01-15", True), ("2016-01-15", False)])
def test_a_suspect_under_10_is_a_safeguarding_matter_only(dob, fires):
    tobi = screen(incident(kind="violence", people=[child("suspect", dob=dob)]))["P1"]

    assert ("suspect_under_10" in fired(tobi)) is fires
    if fires:
        assert fired(tobi)["suspect_under_10"].startswith("The child is 9, under the age")
        assert any("safeguarding matter only" in p["text"] for p in tobi.prompts)


# Searches, sexual and online harm -------------------------------------------------------------


def test_a_strip_searched_child_prompts_the_appropriate_adult_and_a_referral_decision():
    tobi = screen(incident(kind="strip_search", people=[child("person_searched")]))["P1"]

    assert "strip searched" in fired(tobi)["strip_search_child"]
    officer = [p["text"] for p in tobi.prompts if p["for"] == "officer"]
    assert any("appropriate adult present" in text for text in officer)
    assert any("safeguarding referral decision" in p["text"] for p in tobi.prompts)


@pytest.mark.parametrize("kind", ["sexual_offence", "online_harm"])
def test_sexual_or_online_harm_against_a_child_is_red_for_childrens_social_care(kind):
    tobi = screen(incident(kind=kind, people=[child("victim")]))["P1"]

    assert tobi.grade == Grade.RED
    assert tobi.recommended_recipients == ["childrens_social_care"]
    article = {"sexual_offence": "A sexual offence", "online_harm": "An online harm"}[kind]
    assert fired(tobi)["sexual_or_online_harm_victim"].startswith(f"{article} against the child")


def test_a_child_witness_of_a_sexual_offence_is_not_graded_by_that_rule():
    tobi = screen(incident(kind="sexual_offence", people=[child("witness")]))["P1"]

    assert "sexual_or_online_harm_victim" not in fired(tobi)
