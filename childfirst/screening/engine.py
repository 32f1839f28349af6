"""Running the rules over one notice's facts: pure Python, no queries.

Rules run in order. A rule fires when every condition of its `when` holds (and, when it has an
`any` list, at least one of those alternatives holds too). Each rule that fires adds its
indicators (which later rules can read), recipients, prompts and clocks, and its reason with the
facts filled in. The grade is the most urgent any fired rule gives; when no rule gives one the
notice is "information only".
"""

from dataclasses import dataclass, field

from childfirst.incidents.models import Indicator, Kind, Role
from childfirst.screening.history import NoticeFacts
from childfirst.screening.models import GRADE_RANK, Grade
from childfirst.screening.rules import Rule, RuleSet, When

DESK_REVIEW_CLOCK = {
    Grade.RED: "desk_review_red",
    Grade.AMBER: "desk_review_amber",
    Grade.GREEN: "desk_review_green",
}


@dataclass
class Outcome:
    grade: str = Grade.INFORMATION
    indicators: list[str] = field(default_factory=list)
    rules_fired: list[dict] = field(default_factory=list)
    recommended_recipients: list[str] = field(default_factory=list)
    prompts: list[dict] = field(default_factory=list)
    clocks: list[str] = field(default_factory=list)

    @property
    def grade_rank(self) -> int:
        return GRADE_RANK[Grade(self.grade)]


class _Facts(dict):
    def __missing__(self, key):
        return "not known"


def evaluate(ruleset: RuleSet, facts: NoticeFacts) -> Outcome:
    outcome = Outcome(indicators=list(facts.incident_indicators))
    kind, role = facts.kind, facts.role
    for rule, kinds, roles in ruleset.index:
        if (kinds and kind not in kinds) or (roles and role not in roles):
            continue
        found = _match(rule.when, facts, outcome.indicators)
        if found is None:
            continue
        _apply(rule, found, facts, outcome)
    clock = DESK_REVIEW_CLOCK.get(outcome.grade)
    if clock and clock not in outcome.clocks:
        outcome.clocks.append(clock)
    return outcome


# A reason's {role}: the child's part in words that follow "the child" ("A domestic abuse
# incident with the child in the household but not present"), where the role's own label would
# read "with the child child in the household, not present".
ROLE_WORDS = {
    Role.VICTIM: "as a victim",
    Role.SUSPECT: "as a suspect",
    Role.WITNESS: "as a witness",
    Role.PRESENT: "present",
    Role.CHILD_IN_HOUSEHOLD: "in the household but not present",
    Role.PARENT_OR_CARER: "as a parent or carer",
    Role.REPORTING_PERSON: "as the person who reported it",
    Role.MISSING_PERSON: "reported missing",
    Role.PERSON_SEARCHED: "searched",
    Role.ARRESTED_PERSON: "arrested",
}


def _apply(rule: Rule, found: dict, facts: NoticeFacts, outcome: Outcome):
    kind = Kind(facts.kind).label.lower()
    words = _Facts(
        age=str(facts.age) if facts.age is not None else "not known",
        role=ROLE_WORDS.get(facts.role, Role(facts.role).label.lower()),
        kind=kind,
        a_kind=f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}",
    )
    words["A_kind"] = words["a_kind"].capitalize()
    words.update(found)
    outcome.rules_fired.append({"id": rule.id, "reason": rule.reason.format_map(words)})
    then = rule.then
    for code in then.indicators:
        if code not in outcome.indicators:
            outcome.indicators.append(code)
    if then.grade and GRADE_RANK[Grade(then.grade)] < outcome.grade_rank:
        outcome.grade = then.grade
    for kind in then.recipients:
        if kind not in outcome.recommended_recipients:
            outcome.recommended_recipients.append(kind)
    for prompt in then.prompts:
        outcome.prompts.append({"for": prompt.for_, "text": prompt.text, "rule": rule.id})
    for clock in then.clocks:
        if clock not in outcome.clocks:
            outcome.clocks.append(clock)


def _match(when: When, facts: NoticeFacts, indicators: list[str]) -> dict | None:
    """The facts a reason can name, when every condition holds; None when one does not."""
    found: dict = {}
    if when.incident_kinds and facts.kind not in when.incident_kinds:
        return None
    if when.roles and facts.role not in when.roles:
        return None
    if when.age_at_least is not None and (facts.age is None or facts.age < when.age_at_least):
        return None
    if when.age_under is not None and (facts.age is None or facts.age >= when.age_under):
        return None
    if when.has_school is not None and facts.has_school != when.has_school:
        return None
    if when.questionnaire is not None:
        answered = _questionnaire(when.questionnaire, facts)
        if answered is None:
            return None
        found.update(answered)
    if when.indicators_any:
        matched = [code for code in when.indicators_any if code in indicators]
        if not matched:
            return None
        found["indicators"] = ", ".join(_indicator_words(code) for code in matched)
    for item in when.history:
        count = facts.count(item.count, item.within_days)
        if count < item.at_least:
            return None
        found[item.count] = str(count)
    if when.any:
        for alternative in when.any:
            more = _match(alternative, facts, indicators)
            if more is not None:
                found.update(more)
                break
        else:
            return None
    return found


def _questionnaire(condition, facts: NoticeFacts) -> dict | None:
    for answered in facts.questionnaires:
        if answered.kind != condition.kind:
            continue
        if condition.score_at_least is not None and answered.score < condition.score_at_least:
            continue
        if condition.officer_grades and answered.officer_grade not in condition.officer_grades:
            continue
        if any(answered.answers.get(q) != a for q, a in condition.answers.items()):
            continue
        age = answered.respondent_age
        if condition.respondent_age_at_least is not None and (
            age is None or age < condition.respondent_age_at_least
        ):
            continue
        if condition.respondent_age_under is not None and (
            age is None or age >= condition.respondent_age_under
        ):
            continue
        return {
            "questionnaire": answered.kind.upper(),
            "score": str(answered.score),
            "officer_grade": answered.officer_grade or "not given",
            "respondent_age": str(age) if age is not None else "not known",
        }
    return None


def _indicator_words(code: str) -> str:
    if code in Indicator.values:
        return Indicator(code).label.lower()
    return code.replace("_", " ")
