"""The language check: victim-blaming and adultifying words found by meaning, plain facts left
alone, the patterns as data (rules/language/), and POST /api/v1/language-check."""

import json
from pathlib import Path

import pytest

from childfirst.accounts.models import ApiScope
from childfirst.accounts.services import create_api_client
from childfirst.screening.language import (
    Finding,
    LanguageRuleError,
    check_language,
    current_patterns,
)
from childfirst.screening.language.patterns import check_language_rules, load_patterns
from tests.builders import make_agency
from tests.incidents.builders import intake_client


def found(text, child_age=None, **kwargs):
    return [(f.id, f.words) for f in check_language(text=text, child_age=child_age, **kwargs)]


def ids(text, child_age=None, **kwargs):
    return [f.id for f in check_language(text=text, child_age=child_age, **kwargs)]


# Words found by meaning ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("She is putting herself at risk.", "putting herself at risk"),
        ("He put themselves at risk", "put themselves at risk"),
        (
            "She keeps putting herself in dangerous situations.",
            "putting herself in dangerous situations",
        ),
        ("He placed himself in danger again.", "placed himself in danger"),
        ("She is putting herself at significant risk.", "putting herself at significant risk"),
        ("They are placing themself in harm's way.", "placing themself in harm's way"),
        ("PUTTING  HERSELF\nAT RISK", "PUTTING  HERSELF\nAT RISK"),
        ("exposing herself to risk", "exposing herself to risk"),
    ],
)
def test_putting_themselves_at_risk_is_found_in_its_many_forms(text, words):
    assert found(text, 14) == [("putting_themselves_at_risk", words)]


@pytest.mark.parametrize(
    "text, child_age, pattern, words",
    [
        ("He is very streetwise.", 15, "streetwise", "streetwise"),
        ("He is street-wise.", 15, "streetwise", "street-wise"),
        ("She can look after herself.", 15, "streetwise", "can look after herself"),
        ("It is a lifestyle choice.", 16, "lifestyle_choice", "lifestyle choice"),
        ("She chooses to go missing.", 14, "choosing_to", "chooses to go missing"),
        (
            "He is engaging in risky behaviour.",
            15,
            "risky_behaviour",
            "engaging in risky behaviour",
        ),
        ("She makes poor choices.", 15, "poor_choices", "makes poor choices"),
        ("She has a party lifestyle.", 15, "party_lifestyle", "party lifestyle"),
        ("She was a willing participant.", 14, "willing", "willing participant"),
        (
            "Hanging around with older males.",
            14,
            "hanging_around_with_older_people",
            "Hanging around with older",
        ),
        ("She is difficult to engage.", 15, "difficult_to_engage", "difficult to engage"),
        ("Non-engagement with services.", 15, "difficult_to_engage", "Non-engagement"),
        ("She is attention seeking.", 13, "attention_seeking", "attention seeking"),
        ("He is manipulative.", 13, "manipulative", "manipulative"),
        ("She is known to police.", 15, "known_to_police", "known to police"),
        ("She absconded from the unit.", 15, "absconded", "absconded"),
        ("She is sexually active.", 14, "sexually_active", "sexually active"),
        (
            "She is in a relationship with a 24-year-old man.",
            15,
            "in_a_relationship_with_an_adult",
            "in a relationship with",
        ),
        (
            "Her older boyfriend collected her.",
            14,
            "adult_boyfriend_or_girlfriend",
            "older boyfriend",
        ),
        (
            "Her boyfriend, aged 23, collected her.",
            14,
            "adult_boyfriend_or_girlfriend",
            "boyfriend, aged 23",
        ),
        ("She said the sex was consensual.", 14, "consented", "consensual"),
        ("She consented to sexual activity.", 14, "consented", "consented to sexual activity"),
        ("She is promiscuous.", 15, "promiscuous", "promiscuous"),
        ("A case of child prostitution.", None, "child_prostitution", "child prostitution"),
        ("She is a prostitute.", 16, "prostitute", "prostitute"),
        ("She is a sex worker.", 16, "sex_worker", "sex worker"),
        ("She exchanged sex for a place to stay.", 15, "exchanged_sex", "exchanged sex"),
        ("He is a drug runner for the line.", 15, "drug_runner", "drug runner"),
        ("She is a money mule.", 16, "money_mule", "money mule"),
        ("He is recruiting other children.", 14, "recruiting_others", "recruiting other children"),
        ("She is involved in CSE.", 14, "involved_in_exploitation", "involved in CSE"),
        ("She is a young woman.", 15, "young_woman_or_young_man", "young woman"),
        ("He is a young man.", 17, "young_woman_or_young_man", "young man"),
        ("She is mature for her age.", 13, "mature_for_their_age", "mature for her age"),
        ("He looked older than 15.", 15, "looked_older", "looked older"),
        ("He was aggressive.", 12, "aggressive_child", "aggressive"),
    ],
)
def test_each_pattern_in_the_guide_is_found(text, child_age, pattern, words):
    assert (pattern, words) in found(text, child_age)


def test_each_finding_says_why_and_suggests_a_rewording():
    (finding,) = check_language(text="She is streetwise.", child_age=15)
    assert isinstance(finding, Finding)
    assert finding.why.startswith("It suggests the child is old enough")
    assert finding.suggestion.startswith("Describe what you saw")


def test_offsets_point_at_the_words_in_the_original_text():
    text = "Seen at 22:10.  PC Jones said the girl is STREETWISE and was putting herself at risk."
    findings = check_language(text=text, child_age=14)
    assert [(f.id, text[f.start : f.end]) for f in findings] == [
        ("streetwise", "STREETWISE"),
        ("putting_themselves_at_risk", "putting herself at risk"),
    ]
    assert all(f.words == text[f.start : f.end] for f in findings)


def test_offsets_survive_characters_that_change_length_in_lower_case():
    text = "İstanbul trip. She is streetwise."
    (finding,) = check_language(text=text, child_age=15)
    assert text[finding.start : finding.end] == "streetwise"


def test_findings_come_in_the_order_they_appear():
    text = "She absconded. She is streetwise. She is promiscuous."
    assert ids(text, 15) == ["absconded", "streetwise", "promiscuous"]


# Plain facts are left alone --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, child_age",
    [
        ("The officer put himself between them.", 14),
        ("PC Jones put himself at risk to pull the child clear.", 14),
        ("The address is known to police for drug supply.", 14),
        ("The vehicle is well known to police.", 14),
        ("She was not known to police before tonight.", 14),
        ("A young woman answered the door.", None),
        ("The mother, a young woman aged 22, answered the door.", 15),
        ("A young man aged 19 was arrested.", None),
        ("She is a young woman.", 19),
        ("She is in a relationship with a boy in her class.", 15),
        ("The father was aggressive towards the mother.", 10),
        ("The suspect is manipulative and controlling.", 12),
        ("The dog was aggressive.", None),
        ("The mother consented to the search.", 14),
        ("The sex was not consensual.", 14),
        ("It was non-consensual.", 14),
        ("A child cannot consent to sexual activity.", 14),
        ("The adult recruiter was arrested.", 15),
        ("She was sexually active.", None),
        ("She is sexually active.", 25),
        ("He said he hid under the bed when the shouting started.", 9),
        ("Police called by a neighbour who heard shouting.", None),
        ("She wants to go home and she is safe now.", 12),
    ],
)
def test_plain_facts_are_not_flagged(text, child_age):
    assert found(text, child_age) == []


def test_absconded_is_a_label_even_in_someone_elses_account():
    text = "The child's mother said she had absconded from a care home in the past."
    assert found(text) == [("absconded", "absconded")]


def test_the_childs_own_words_in_quotation_marks_are_not_flagged():
    assert found('She said "I am streetwise, I can look after myself".', 14) == []
    assert found("She said ‘I’m not a child, I’m streetwise’.", 14) == []
    assert found("She said 'I'm streetwise' and she is streetwise.", 14) == [
        ("streetwise", "streetwise")
    ]


def test_young_woman_needs_a_child_the_caller_or_the_sentence_names():
    assert ids("She is a young woman.") == []
    assert ids("She is a young woman.", 15) == ["young_woman_or_young_man"]
    assert ids("She is a young woman.", about_child=True) == ["young_woman_or_young_man"]
    assert ids("The 15-year-old is a young woman now.") == ["young_woman_or_young_man"]
    assert ids("Her mother is a young woman. The girl is 15 years old.") == []


def test_an_adult_age_in_the_sentence_means_child_only_words_are_left_alone():
    assert ids("The 24-year-old is sexually active.") == []
    assert ids("The 14-year-old is sexually active.") == ["sexually_active"]


def test_child_prostitution_is_flagged_whatever_the_age():
    assert ids("This is child prostitution.", 30) == ["child_prostitution"]


def test_empty_and_blank_text_have_no_findings():
    assert check_language(text="") == []
    assert check_language(text="   \n ") == []


def test_a_long_narrative_is_checked_in_its_sentences():
    filler = "Officers attended and spoke to the family in the kitchen. " * 40
    text = filler + "Mum says she is putting herself at risk. " + filler
    (finding,) = check_language(text=text, child_age=14)
    assert text[finding.start : finding.end] == "putting herself at risk"


# The patterns as data --------------------------------------------------------------------------


def test_the_shipped_patterns_load_and_cite_their_source():
    patterns = current_patterns()
    assert len(patterns.patterns) >= 30
    assert len(patterns.version) == 16
    assert check_language_rules() == []
    for path in Path("rules/language").glob("[0-9]*.yaml"):
        assert "Children's Society and NAPAC" in path.read_text()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = """
words:
  reflexive: [himself, herself]
patterns:
  - id: at_risk
    phrases: ["putting {reflexive} at risk"]
    why: It blames the child.
    suggestion: Say who puts them at risk.
    source: The guide
"""


def test_a_good_file_loads_and_its_version_follows_its_contents(tmp_path):
    first = load_patterns([write(tmp_path, "a.yaml", GOOD)])
    second = load_patterns([write(tmp_path, "a.yaml", GOOD.replace("blames", "blamed"))])
    assert [p.id for p in first.patterns] == ["at_risk"]
    assert first.version != second.version


@pytest.mark.parametrize(
    "change, message",
    [
        (("    why: It blames the child.\n", ""), "pattern at_risk, field why: is required"),
        (("id: at_risk", "id: At Risk"), "pattern At Risk, field id: must be lower-case"),
        (
            ('phrases: ["putting {reflexive} at risk"]', 'phrases: ["putting {reflexiv} at risk"]'),
            'pattern at_risk, field phrases[0]: "{reflexiv}" is not a word list',
        ),
        (
            ('phrases: ["putting {reflexive} at risk"]', 'phrases: ["... at risk"]'),
            'pattern at_risk, field phrases[0]: "..." must sit between two words',
        ),
        (
            ("    source: The guide\n", "    source: The guide\n    colour: red\n"),
            "field colour: is not a field",
        ),
        (
            ("    source: The guide\n", "    source: The guide\n    applies: teens\n"),
            "field applies: must be one of",
        ),
        (
            ("    source: The guide\n", "    source: The guide\n    gap: 9\n"),
            "field gap: must be 5 or less",
        ),
        (
            ('phrases: ["putting {reflexive} at risk"]', "phrases: []"),
            "field phrases: must not be empty",
        ),
        (
            ("reflexive: [himself, herself]", "reflexive: himself"),
            "words reflexive: must be a list",
        ),
    ],
)
def test_mistakes_in_a_file_are_named_by_file_pattern_and_field(tmp_path, change, message):
    path = write(tmp_path, "mine.yaml", GOOD.replace(*change))
    with pytest.raises(LanguageRuleError) as raised:
        load_patterns([path])
    assert any("mine.yaml" in error and message in error for error in raised.value.errors), (
        raised.value.errors
    )


def test_a_repeated_id_and_broken_yaml_are_named(tmp_path):
    one = write(tmp_path, "one.yaml", GOOD)
    two = write(tmp_path, "two.yaml", GOOD.replace("words:\n  reflexive: [himself, herself]\n", ""))
    bad = write(tmp_path, "bad.yaml", "patterns: [\n")
    with pytest.raises(LanguageRuleError) as raised:
        load_patterns([one, two, bad])
    errors = raised.value.errors
    assert any(
        "two.yaml, pattern at_risk, field id: is used by another pattern" in e for e in errors
    )
    assert any("bad.yaml" in e and "is not valid YAML" in e for e in errors)


def test_the_system_check_reports_a_broken_rules_folder(tmp_path, settings):
    (tmp_path / "language").mkdir()
    write(tmp_path / "language", "broken.yaml", GOOD.replace("    why: It blames the child.\n", ""))
    settings.CHILDFIRST_RULES_DIR = tmp_path
    problems = check_language_rules()
    assert [p.id for p in problems] == ["screening.E010"]
    assert "broken.yaml, pattern at_risk, field why: is required" in problems[0].msg


# POST /api/v1/language-check -------------------------------------------------------------------

URL = "/api/v1/language-check"


def post(client, token, body):
    data = body if isinstance(body, str) else json.dumps(body)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(URL, data, content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_records_system_gets_each_finding_with_stable_field_names(client):
    _, token = intake_client()
    text = "She is putting herself at risk and is streetwise."

    response = post(client, token, {"text": text, "child_age": 14})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"findings", "rules_version"}
    assert body["rules_version"] == current_patterns().version
    assert [set(f) for f in body["findings"]] == [
        {"id", "words", "start", "end", "why", "suggestion"}
    ] * 2
    first = body["findings"][0]
    assert (first["id"], first["words"], first["start"], first["end"]) == (
        "putting_themselves_at_risk",
        "putting herself at risk",
        7,
        30,
    )
    assert first["why"] and first["suggestion"]


@pytest.mark.django_db
def test_child_age_may_be_left_out_or_null(client):
    _, token = intake_client()
    assert post(client, token, {"text": "She is a young woman."}).json()["findings"] == []
    response = post(client, token, {"text": "She is a young woman.", "child_age": None})
    assert response.status_code == 200
    assert response.json()["findings"] == []


@pytest.mark.django_db
def test_the_check_needs_a_token(client):
    assert post(client, None, {"text": "streetwise"}).status_code == 401
    assert post(client, "cf_not-a-real-token", {"text": "streetwise"}).status_code == 401


@pytest.mark.django_db
def test_a_partner_token_may_not_use_the_check(client):
    agency = make_agency()
    created = create_api_client(name="Partner system", scope=ApiScope.PARTNER, agency=agency)
    assert post(client, created.token, {"text": "streetwise"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field, message",
    [
        ({}, "text", "Enter the text"),
        ({"text": 12}, "text", "The text must be text"),
        ({"text": "x" * 20_001}, "text", "The text must be 20,000 characters or fewer"),
        ({"text": "ok", "child_age": -1}, "child_age", "must be 0 or more"),
        ({"text": "ok", "child_age": "fifteen"}, "child_age", "must be a whole number"),
        ({"text": "ok", "colour": "red"}, "colour", "is not a field of a language check"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, body, field, message):
    _, token = intake_client()
    response = post(client, token, body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert message in errors[0]["message"]


@pytest.mark.django_db
def test_text_of_exactly_20000_characters_is_checked(client):
    _, token = intake_client()
    assert post(client, token, {"text": "a" * 20_000}).status_code == 200


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_400_and_an_array_is_422(client):
    _, token = intake_client()
    assert post(client, token, "{not json").status_code == 400
    response = post(client, token, "[]")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "(body)"


@pytest.mark.django_db
def test_the_openapi_description_documents_the_check(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/language-check"]["post"]
    assert set(operation["responses"]) == {"200", "400", "401", "403", "422"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"text", "child_age"}
    assert body["required"] == ["text"]
