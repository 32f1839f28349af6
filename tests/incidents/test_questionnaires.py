"""Risk questionnaires as data in rules/questionnaires/, checked when they load."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from childfirst.incidents import questionnaires
from childfirst.incidents.models import Questionnaire
from childfirst.incidents.questionnaires import QuestionnaireDefinitionError, load_definition
from tests.incidents.builders import payload, record

SHIPPED = Path(settings.BASE_DIR) / "rules" / "questionnaires"


def test_the_shipped_questionnaires_load():
    found = questionnaires.definitions(SHIPPED)

    assert set(found) == {"dash", "young_people", "dara"}
    dash = found["dash"]
    assert len(dash.questions) == 27
    assert [q.id for q in dash.questions] == [f"q{n}" for n in range(1, 28)]
    assert dash.answers == ("yes", "no", "not_known")
    assert dash.officer_grades == ("standard", "medium", "high")
    assert dash.high_risk_from == 14
    assert (
        dash.questions[17].text
        == "Has the abuser ever tried to strangle, choke, suffocate or drown you?"
    )
    for definition in found.values():
        assert "Source" in definition.path.read_text()  # each file cites where it comes from


def test_a_dash_score_counts_the_yes_answers():
    dash = questionnaires.definitions(SHIPPED)["dash"]

    assert dash.score({"q1": "yes", "q2": "no", "q3": "yes", "q4": "not_known"}) == 2


@pytest.mark.django_db
def test_a_new_file_adds_a_questionnaire_with_no_code_change(tmp_path, settings):
    rules = tmp_path / "rules"
    shutil.copytree(SHIPPED, rules / "questionnaires")
    (rules / "questionnaires" / "stalking.yaml").write_text(
        "# Source: a test\n"
        "kind: stalking\n"
        "name: Stalking screening questions\n"
        "source: A test\n"
        'answers: ["yes", "no", "not_known"]\n'
        "questions:\n"
        "  - id: s1\n"
        "    text: Are they following you?\n"
    )
    settings.CHILDFIRST_RULES_DIR = rules
    data = payload(
        questionnaires=[{"kind": "stalking", "respondent": "P1", "answers": {"s1": "yes"}}]
    )

    record(data)

    assert Questionnaire.objects.get().kind == "stalking"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = (
    "kind: test\n"
    "name: A test\n"
    "source: Nowhere\n"
    'answers: ["yes", "no"]\n'
    "questions:\n"
    "  - id: q1\n"
    "    text: Is this a test?\n"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("    text: Is this a test?\n", ""),
            "questions[0].text: enter the question's text",
        ),
        (GOOD.replace('["yes", "no"]', "[yes, no]"), 'answers[0]: is true, not a word: put "yes"'),
        (GOOD.replace("kind: test", "kind: other"), 'kind: "other" must match the file name'),
        (GOOD.replace("source: Nowhere\n", ""), "source: is missing"),
        (GOOD + "  - id: q1\n    text: Again?\n", 'questions[1].id: "q1" is used by another'),
        (GOOD + "colour: blue\n", "colour: unknown field"),
        (GOOD + "high_risk_from: lots\n", "high_risk_from: must be a whole number"),
        ("kind: [unclosed\n", "not valid YAML"),
        ("just text\n", "file: must be a mapping"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_field(tmp_path, text, message):
    path = write(tmp_path, "test.yaml", text)

    with pytest.raises(QuestionnaireDefinitionError) as caught:
        load_definition(path)

    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_the_system_check_names_a_bad_file(tmp_path, settings):
    from childfirst.incidents.apps import check_questionnaires

    assert check_questionnaires() == []
    (tmp_path / "questionnaires").mkdir()
    write(tmp_path / "questionnaires", "broken.yaml", "kind: broken\n")
    settings.CHILDFIRST_RULES_DIR = tmp_path

    [error] = check_questionnaires()

    assert error.id == "incidents.E001"
    assert "broken.yaml: name: is missing" in error.msg
