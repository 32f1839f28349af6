"""Rule files with mistakes give errors that name the file, the rule and the field."""

import textwrap

import pytest
from django.test import override_settings

from childfirst.screening.apps import check_screening_rules
from childfirst.screening.rules import ScreeningRuleError, current_rules, load_rules

GOOD = """
rules:
  - id: dash_high_risk
    source: ACPO/CAADA DASH (2009)
    when:
      incident_kinds: [domestic_abuse_incident]
      questionnaire: {kind: dash, score_at_least: 14}
    then:
      grade: red
      recipients: [childrens_social_care]
    reason: The DASH has {score} "yes" answers.
"""


def write(tmp_path, text, name="dash.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(tmp_path, text) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(ScreeningRuleError) as raised:
        load_rules([path])
    return [error.replace(str(tmp_path) + "/", "") for error in raised.value.errors]


def test_a_good_rule_file_loads_with_a_version_that_changes_with_the_file(tmp_path):
    path = write(tmp_path, GOOD)
    first = load_rules([path])
    assert [rule.id for rule in first.rules] == ["dash_high_risk"]
    assert len(first.version) == 64

    path.write_text(GOOD.replace("score_at_least: 14", "score_at_least: 13"))

    assert load_rules([path]).version != first.version


@pytest.mark.parametrize(
    ("mistake", "message"),
    [
        (
            ("score_at_least: 14", "score_at_least: fourteen"),
            "dash.yaml, rule dash_high_risk, field when.questionnaire.score_at_least: "
            "must be a whole number",
        ),
        (
            ("grade: red", "grade: scarlet"),
            "dash.yaml, rule dash_high_risk, field then.grade: must be one of: red, amber, "
            "green or information",
        ),
        (
            ("recipients: [childrens_social_care]", "recipients: [social_services]"),
            "dash.yaml, rule dash_high_risk, field then.recipients[0]: must be one of: "
            "childrens_social_care, school, health, youth_justice, marac, nrm or police_team",
        ),
        (
            ("incident_kinds: [domestic_abuse_incident]", "incident_kinds: [domestic]"),
            "dash.yaml, rule dash_high_risk, field when.incident_kinds[0]: must be one of:",
        ),
        (
            ("    source: ACPO/CAADA DASH (2009)\n", ""),
            "dash.yaml, rule dash_high_risk, field source: is required",
        ),
        (
            ("    then:", "    colour: red\n    then:"),
            "dash.yaml, rule dash_high_risk, field colour: is not a field a screening rule has",
        ),
        (
            ("{kind: dash, score_at_least: 14}", "{kind: dahs, score_at_least: 14}"),
            "dash.yaml, rule dash_high_risk, field when.questionnaire.kind: there is no "
            'questionnaire "dahs"',
        ),
        (
            ("{kind: dash, score_at_least: 14}", "{kind: dash, answers: {q1: yes}}"),
            "dash.yaml, rule dash_high_risk, field when.questionnaire.answers.q1: is true, not "
            'a word: put "yes" and "no" in quotes',
        ),
        (
            ('{score} "yes" answers', "{scroe} yes answers"),
            'dash.yaml, rule dash_high_risk, field reason: "{scroe}" is not a fact this rule knows',
        ),
        (
            ("incident_kinds: [domestic_abuse_incident]", "indicators_any: [repeat_missing]"),
            'dash.yaml, rule dash_high_risk, field when.indicators_any[0]: "repeat_missing" is '
            "not an incident indicator",
        ),
        (
            ("      recipients: [childrens_social_care]\n", "      clocks: [encompas]\n"),
            "dash.yaml, rule dash_high_risk, field then.clocks[0]: must be one of: encompass,",
        ),
    ],
)
def test_a_mistake_names_the_file_the_rule_and_the_field(tmp_path, mistake, message):
    old, new = mistake
    assert old in GOOD

    errors = errors_of(tmp_path, GOOD.replace(old, new))

    assert any(error.startswith(message) for error in errors), errors


def test_a_rule_id_used_twice_is_refused(tmp_path):
    body = GOOD.split("rules:\n", 1)[1]
    errors = errors_of(tmp_path, "rules:\n" + body + body)

    assert errors[0].startswith("dash.yaml, rule dash_high_risk, field id: is used by another")


def test_a_rule_without_an_id_is_named_by_its_position(tmp_path):
    errors = errors_of(tmp_path, GOOD.replace("  - id: dash_high_risk\n    source", "  - source"))

    assert errors == ["dash.yaml, rule number 1, field id: is required"]


def test_yaml_that_does_not_parse_names_the_line(tmp_path):
    errors = errors_of(tmp_path, "rules:\n  - id: x\n    reason: a: b\n")

    assert errors[0].startswith("dash.yaml, line 3: is not valid YAML")


def test_a_file_that_is_not_a_list_of_rules_says_so(tmp_path):
    errors = errors_of(tmp_path, "- id: x\n")

    assert errors == [
        "dash.yaml, field rules: the file must be a mapping with one key, rules, holding a list"
    ]


def test_the_system_check_reports_a_broken_rule_file(tmp_path):
    folder = tmp_path / "screening"
    folder.mkdir()
    write(folder, GOOD.replace("grade: red", "grade: 3"))

    with override_settings(CHILDFIRST_RULES_DIR=tmp_path):
        problems = check_screening_rules()

    assert [problem.id for problem in problems] == ["screening.E001"]
    assert "rule dash_high_risk, field then.grade" in problems[0].msg


def test_the_starter_rules_load_and_each_cites_its_source():
    rules = current_rules()

    assert len(rules.rules) >= 14
    assert all(rule.source for rule in rules.rules)
    assert check_screening_rules() == []
