"""Risk questionnaires as data: each YAML file in rules/questionnaires/ defines one.

A file is validated when it loads; an error names the file and the field. A new file adds a
questionnaire that intake accepts, with no change to the code. The layout:

    kind: dash                      # must match the file's name (dash.yaml)
    name: Domestic Abuse, Stalking and Harassment and Honour Based Violence checklist
    source: where the questions come from (a citation)
    answers: ["yes", "no", "not_known"]     # quote yes and no, or YAML reads them as true/false
    officer_grades: ["standard", "medium", "high"]    # optional
    high_risk_from: 14              # optional: this many "yes" answers is high risk
    questions:
      - id: q1
        section: Current situation  # optional
        text: Has the current incident resulted in injury?
"""

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from django.conf import settings

from childfirst.rulefiles import RuleFolder, file_label

ID_RE = re.compile(r"^[a-z0-9_]{1,40}$")
TOP_LEVEL_KEYS = {
    "kind",
    "name",
    "source",
    "answers",
    "officer_grades",
    "high_risk_from",
    "questions",
}
QUESTION_KEYS = {"id", "text", "section", "high_risk"}


class QuestionnaireDefinitionError(Exception):
    """A questionnaire file is not valid: the message names the file and the field."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    section: str = ""
    high_risk: bool = False


@dataclass(frozen=True)
class QuestionnaireDefinition:
    kind: str
    name: str
    source: str
    answers: tuple[str, ...]
    officer_grades: tuple[str, ...]
    high_risk_from: int | None
    questions: tuple[Question, ...]
    path: Path

    @cached_property
    def question_ids(self) -> frozenset[str]:
        return frozenset(question.id for question in self.questions)

    def score(self, answers: dict[str, str]) -> int:
        return score(answers)


def score(answers: dict[str, str]) -> int:
    """The number of "yes" answers: the count DASH and its relatives grade by."""
    return sum(1 for value in answers.values() if value == "yes")


def questionnaires_dir() -> Path:
    return Path(settings.CHILDFIRST_RULES_DIR) / "questionnaires"


def _load(paths: list[Path]) -> dict[str, QuestionnaireDefinition]:
    found = {}
    for path in paths:
        loaded = load_definition(path)
        found[loaded.kind] = loaded
    return found


_FOLDER = RuleFolder(_load)


def definitions(directory: Path | None = None) -> dict[str, QuestionnaireDefinition]:
    """Every questionnaire, by kind. Files are read again when one changes (looked for at most
    once a second, so a bulk import does not stat the folder for every incident)."""
    return _FOLDER.current(Path(directory) if directory else questionnaires_dir())


def definition(kind: str) -> QuestionnaireDefinition | None:
    return definitions().get(kind)


def load_definition(path: Path) -> QuestionnaireDefinition:
    """Read and check one file; raise QuestionnaireDefinitionError naming the file and field."""
    label = file_label(path)

    def fail(field: str, message: str):
        raise QuestionnaireDefinitionError(f"{label}: {field}: {message}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        raise QuestionnaireDefinitionError(f"{label}: {where}: not valid YAML") from error
    except UnicodeDecodeError as error:
        raise QuestionnaireDefinitionError(f"{label}: file: not UTF-8 text") from error
    if not isinstance(data, dict):
        fail("file", "must be a mapping with kind, name, source, answers and questions")
    unknown = sorted(str(key) for key in data if key not in TOP_LEVEL_KEYS)
    if unknown:
        fail(unknown[0], f"unknown field; the fields are {', '.join(sorted(TOP_LEVEL_KEYS))}")

    kind = _text(data, "kind", fail)
    if kind != path.stem:
        fail("kind", f'"{kind}" must match the file name ("{path.stem}")')
    if not ID_RE.match(kind):
        fail("kind", "use lower-case letters, digits and underscores")
    name = _text(data, "name", fail)
    source = _text(data, "source", fail)
    answers = _words(data, "answers", fail, required=True)
    if "yes" not in answers:
        fail("answers", 'must include "yes" (the score counts them)')
    officer_grades = _words(data, "officer_grades", fail, required=False)
    high_risk_from = data.get("high_risk_from")
    if high_risk_from is not None and (
        isinstance(high_risk_from, bool)
        or not isinstance(high_risk_from, int)
        or high_risk_from < 1
    ):
        fail("high_risk_from", "must be a whole number of 1 or more")

    questions_data = data.get("questions")
    if not isinstance(questions_data, list) or not questions_data:
        fail("questions", "must be a list of at least one question")
    questions, seen = [], set()
    for index, item in enumerate(questions_data):
        where = f"questions[{index}]"
        if not isinstance(item, dict):
            fail(where, "must be a mapping with id and text")
        unknown = sorted(str(key) for key in item if key not in QUESTION_KEYS)
        if unknown:
            fail(f"{where}.{unknown[0]}", "unknown field; use id, text, section and high_risk")
        question_id = item.get("id")
        if not isinstance(question_id, str) or not ID_RE.match(question_id):
            fail(f"{where}.id", "must be text of lower-case letters, digits and underscores")
        if question_id in seen:
            fail(f"{where}.id", f'"{question_id}" is used by another question')
        seen.add(question_id)
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            fail(f"{where}.text", "enter the question's text")
        section = item.get("section", "")
        if not isinstance(section, str):
            fail(f"{where}.section", "must be text")
        high_risk = item.get("high_risk", False)
        if not isinstance(high_risk, bool):
            fail(f"{where}.high_risk", "must be true or false")
        questions.append(Question(question_id, " ".join(text.split()), section, high_risk))
    return QuestionnaireDefinition(
        kind=kind,
        name=name,
        source=source,
        answers=answers,
        officer_grades=officer_grades,
        high_risk_from=high_risk_from,
        questions=tuple(questions),
        path=path,
    )


def _text(data: dict, key: str, fail) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        fail(key, "is missing: enter it as text")
    return " ".join(value.split())


def _words(data: dict, key: str, fail, *, required: bool) -> tuple[str, ...]:
    value = data.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value:
        fail(key, "must be a list of words")
    for index, item in enumerate(value):
        if isinstance(item, bool):
            fail(
                f"{key}[{index}]",
                f'is {str(item).lower()}, not a word: put "yes" and "no" in quotes',
            )
        if not isinstance(item, str) or not ID_RE.match(item):
            fail(f"{key}[{index}]", "must be a lower-case word, like not_known")
    if len(set(value)) != len(value):
        fail(key, "lists a word twice")
    return tuple(value)
