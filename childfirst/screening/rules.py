"""Screening rules as data: every YAML file in rules/screening/ (docs/screening.md).

A file holds a list of rules; files are read in name order and rules in file order, and that is
the order they run in (a rule can read an indicator an earlier rule set). Each rule is checked
against the schema below when it loads; an error names the file, the rule and the field:

    rules/screening/10_domestic_abuse.yaml, rule dash_high_risk, field
    when.questionnaire.score_at_least: must be a whole number

The rules version is a hash of the files' names and contents, stored with every screening.
"""

import hashlib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from childfirst.directory.models import AgencyKind
from childfirst.incidents import questionnaires
from childfirst.incidents.models import Indicator, Kind, Role
from childfirst.rulefiles import RuleFolder, field_message, field_path, file_label
from childfirst.timescales.rules import REQUIRED_RULES

UNKNOWN_FIELD = "is not a field a screening rule has (see docs/screening.md)"
ID_PATTERN = r"^[a-z0-9_]{1,60}$"
ID_RE = re.compile(ID_PATTERN)

# The clock rules a screening rule may start: those rules/clocks.yaml must define.
CLOCK_RULES = REQUIRED_RULES

# Counts from history a rule can ask for (childfirst.screening.history says how each is counted).
COUNTERS = (
    "child_missing_episodes",
    "child_victim_history",
    "child_earlier_notices",
    "household_domestic_abuse",
    "household_marac",
)

# Facts every reason can name; questionnaire facts need a questionnaire condition, indicators an
# indicators_any condition, and a count a history condition on that count.
BASE_FACTS = {"age", "role", "kind", "a_kind", "A_kind"}  # a_kind: "an online harm"
QUESTIONNAIRE_FACTS = {"questionnaire", "score", "officer_grade", "respondent_age"}
INDICATOR_FACTS = {"indicators"}

Word = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Count = Annotated[int, Field(ge=0)]


def _choices(choices) -> Any:
    return Literal[tuple(choices.values)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class QuestionnaireCondition(_Schema):
    kind: Word
    score_at_least: Count | None = None
    officer_grades: list[Word] = Field(default_factory=list)
    answers: dict[Word, Word] = Field(default_factory=dict)
    respondent_age_at_least: Count | None = None
    respondent_age_under: Count | None = None


class HistoryCondition(_Schema):
    count: Literal[COUNTERS]
    within_days: Annotated[int, Field(ge=1, le=3660)]
    at_least: Annotated[int, Field(ge=1)]


class When(_Schema):
    incident_kinds: list[_choices(Kind)] = Field(default_factory=list)
    roles: list[_choices(Role)] = Field(default_factory=list)
    age_at_least: Count | None = None
    age_under: Count | None = None
    has_school: bool | None = None
    questionnaire: QuestionnaireCondition | None = None
    indicators_any: list[Word] = Field(default_factory=list)
    history: list[HistoryCondition] = Field(default_factory=list)
    any: list["When"] = Field(default_factory=list)


class Prompt(_Schema):
    for_: Literal["officer", "desk"] = Field(alias="for")
    text: Text


class Then(_Schema):
    indicators: list[Word] = Field(default_factory=list)
    grade: Literal["red", "amber", "green", "information"] | None = None
    recipients: list[_choices(AgencyKind)] = Field(default_factory=list)
    prompts: list[Prompt] = Field(default_factory=list)
    clocks: list[Literal[CLOCK_RULES]] = Field(default_factory=list)


class Rule(_Schema):
    id: Word
    source: Text
    when: When = Field(default_factory=When)
    then: Then
    reason: Text


class ScreeningRuleError(Exception):
    """One or more rule files are wrong; each message names the file, rule and field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str
    files: tuple[str, ...]
    # The longest window each history count is asked for, so history is fetched once.
    counters: dict[str, int] = field(default_factory=dict)
    uses_questionnaires: bool = False
    # (rule, its incident kinds, its roles) for a quick first look when screening.
    index: tuple = ()


# Loading ---------------------------------------------------------------------------------------


def rules_dir() -> Path:
    return Path(settings.CHILDFIRST_RULES_DIR) / "screening"


_FOLDER = RuleFolder(lambda paths: load_rules(paths))


def current_rules(directory: Path | None = None) -> RuleSet:
    """The rule set in force. Files are read again when one changes (looked for at most once a
    second, so screening a bulk import does not stat the folder for every batch)."""
    return _FOLDER.current(Path(directory) if directory else rules_dir())


def load_rules(paths: list[Path]) -> RuleSet:
    """Read and check rule files (in the order given); raise ScreeningRuleError naming every
    file, rule and field that is wrong."""
    errors: list[str] = []
    loaded: list[Rule] = []
    digest = hashlib.sha256()
    ids: dict[str, str] = {}
    set_so_far: set[str] = set(Indicator.values)
    for path in paths:
        label = file_label(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            errors.append(f"{label}: cannot be read ({error.strerror})")
            continue
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        for rule, problems in _rules_of(raw, label):
            errors += problems
            if rule is None:
                continue
            where = f"{label}, rule {rule.id}"
            if rule.id in ids:
                errors.append(f"{where}, field id: is used by another rule too (in {ids[rule.id]})")
            ids.setdefault(rule.id, label)
            errors += [f"{where}, field {p}: {m}" for p, m in _cross_checks(rule, set_so_far)]
            set_so_far |= set(rule.then.indicators)
            loaded.append(rule)
    if errors:
        raise ScreeningRuleError(errors)
    counters: dict[str, int] = {}
    uses_questionnaires = False
    for rule in loaded:
        for when in _conditions(rule.when):
            uses_questionnaires |= when.questionnaire is not None
            for item in when.history:
                counters[item.count] = max(counters.get(item.count, 0), item.within_days)
    return RuleSet(
        rules=tuple(loaded),
        version=digest.hexdigest(),
        files=tuple(file_label(path) for path in paths),
        counters=counters,
        uses_questionnaires=uses_questionnaires,
        index=tuple(
            (rule, frozenset(rule.when.incident_kinds), frozenset(rule.when.roles))
            for rule in loaded
        ),
    )


def _rules_of(raw: bytes, label: str):
    """(rule or None, [errors]) for each rule in a file's text."""
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        yield None, [f"{label}: is not UTF-8 text"]
        return
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        yield None, [f"{label}{where}: is not valid YAML ({getattr(error, 'problem', '')})"]
        return
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        yield (
            None,
            [
                f"{label}, field rules: the file must be a mapping with one key, rules, "
                "holding a list"
            ],
        )
        return
    for index, item in enumerate(data["rules"]):
        rule_id = item.get("id") if isinstance(item, dict) else None
        name = rule_id if isinstance(rule_id, str) and rule_id else f"number {index + 1}"
        where = f"{label}, rule {name}"
        if not isinstance(item, dict):
            yield None, [f"{where}: must be a mapping with id, source, when, then and reason"]
            continue
        try:
            yield Rule.model_validate(item), []
        except ValidationError as error:
            yield (
                None,
                [
                    f"{where}, field {field_path(e['loc'], whole='(rule)')}: "
                    f"{field_message(e, unknown_field=UNKNOWN_FIELD)}"
                    for e in error.errors(include_url=False)
                ],
            )


def _conditions(when: When):
    yield when
    for alternative in when.any:
        yield from _conditions(alternative)


def _cross_checks(rule: Rule, set_before: set[str]) -> list[tuple[str, str]]:
    """Checks across fields, once each field is right on its own: (field, message) pairs."""
    problems = []
    known = questionnaires.definitions()
    facts = set(BASE_FACTS)

    def check(when: When, at: str):
        nonlocal facts
        ages = (when.age_at_least, when.age_under)
        if None not in ages and ages[0] >= ages[1]:
            problems.append((f"{at}age_under", "must be more than age_at_least"))
        if when.questionnaire is not None:
            facts |= QUESTIONNAIRE_FACTS
            problems.extend(_questionnaire_checks(when.questionnaire, f"{at}questionnaire", known))
        if when.indicators_any:
            facts |= INDICATOR_FACTS
        for index, code in enumerate(when.indicators_any):
            if code not in set_before:
                problems.append(
                    (
                        f"{at}indicators_any[{index}]",
                        f'"{code}" is not an incident indicator ({", ".join(Indicator.values)}) '
                        "and no earlier rule sets it",
                    )
                )
        for item in when.history:
            facts.add(item.count)
        for index, alternative in enumerate(when.any):
            check(alternative, f"{at}any[{index}].")

    check(rule.when, "when.")
    then = rule.then
    if not (then.indicators or then.grade or then.recipients or then.prompts or then.clocks):
        problems.append(
            ("then", "must set at least one of indicators, grade, recipients, prompts, clocks")
        )
    for name in _placeholders(rule.reason, problems):
        if name not in facts:
            problems.append(
                (
                    "reason",
                    f'"{{{name}}}" is not a fact this rule knows: use one of '
                    f"{', '.join('{' + fact + '}' for fact in sorted(facts))}",
                )
            )
    return problems


def _questionnaire_checks(condition: QuestionnaireCondition, at: str, known) -> list:
    definition = known.get(condition.kind)
    if definition is None:
        return [
            (
                f"{at}.kind",
                f'there is no questionnaire "{condition.kind}" in rules/questionnaires/: use one '
                f"of {', '.join(sorted(known))}",
            )
        ]
    problems = []
    if condition.score_at_least is not None and condition.score_at_least > len(
        definition.questions
    ):
        problems.append(
            (
                f"{at}.score_at_least",
                f"{definition.kind} has only {len(definition.questions)} questions",
            )
        )
    for grade in condition.officer_grades:
        if grade not in definition.officer_grades:
            problems.append(
                (
                    f"{at}.officer_grades",
                    f'"{grade}" is not a grade of {definition.kind}: use '
                    f"{', '.join(definition.officer_grades) or 'none (it has no grades)'}",
                )
            )
    for question, answer in condition.answers.items():
        if question not in definition.question_ids:
            problems.append((f"{at}.answers.{question}", f"is not a question of {definition.kind}"))
        elif answer not in definition.answers:
            problems.append(
                (f"{at}.answers.{question}", f"answer with one of {', '.join(definition.answers)}")
            )
    return problems


def _placeholders(template: str, problems: list) -> list[str]:
    names = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        problems.append(("reason", "has a { or } that does not pair up: write {{ or }} for one"))
        return names
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            problems.append(("reason", f'"{{{name}}}" must be a plain fact name, like {{age}}'))
            continue
        names.append(name)
    return names


# Messages --------------------------------------------------------------------------------------
