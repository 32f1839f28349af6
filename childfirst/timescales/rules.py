"""Clock rules as data: rules/clocks.yaml (docs/clocks.md).

The file is checked when it loads; an error names the file, the rule and the field:

    rules/clocks.yaml, rule desk_review_red, field amount: must be a number above 0

The six rules the other apps start by name must all be there; a force may add more.
"""

import re
from dataclasses import dataclass
from datetime import time as clock_time
from pathlib import Path

import yaml
from django.conf import settings
from django.db import models

from childfirst.rulefiles import RuleFolder, file_label

# Operation Encompass: the notice's clock for telling the child's school (or, with no school
# recorded, the local authority) before the next school day. Screening starts it; the desk shows
# it; delivering the notice stops it.
ENCOMPASS = "encompass"
REQUIRED_RULES = (
    ENCOMPASS,
    "desk_review_red",
    "desk_review_amber",
    "desk_review_green",
    "la_decision",
    "return_interview",
)
RULE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
TOP_KEYS = {"calendar", "rules"}
CALENDAR_KEYS = {"working_hours", "school_day_starts"}
RULE_KEYS = {"label", "measure", "amount", "warn_before_hours"}


class Measure(models.TextChoices):
    ELAPSED_HOURS = "elapsed_hours", "Real hours"
    WORKING_HOURS = "working_hours", "Working hours"
    WORKING_DAYS_END = "working_days_end", "End of the Nth working day"
    NEXT_SCHOOL_DAY_START = "next_school_day_start", "Start of the next school day"


class ClockRulesError(Exception):
    """The clocks file is not valid: the message names the file, the rule and the field."""


@dataclass(frozen=True)
class ClockRule:
    name: str
    label: str
    measure: str  # a Measure value
    amount: float  # hours or working days; 0 for next_school_day_start
    warn_before_hours: float


@dataclass(frozen=True)
class ClockRules:
    rules: dict[str, ClockRule]
    working_day_starts: clock_time
    working_day_ends: clock_time
    school_day_starts: clock_time
    path: Path

    def rule(self, name: str) -> ClockRule:
        found = self.rules.get(name)
        if found is None:
            raise UnknownClockRule(
                f'There is no clock rule called "{name}". '
                f"The rules are: {', '.join(sorted(self.rules))}."
            )
        return found


class UnknownClockRule(KeyError):
    def __str__(self):
        return self.args[0]


def clocks_file() -> Path:
    return Path(settings.CHILDFIRST_RULES_DIR) / "clocks.yaml"


def clock_rules(path: Path | None = None) -> ClockRules:
    """The clock rules, read again when the file changes (looked for at most once a second, so
    bulk intake does not stat the file for every notice)."""
    path = Path(path) if path else clocks_file()
    rules = _FILE.current(path)
    if rules is None:
        raise ClockRulesError(f"{file_label(path)}: the clocks file is missing")
    return rules


_FILE = RuleFolder(lambda paths: load_clock_rules(paths[0]) if paths else None)


def load_clock_rules(path: Path) -> ClockRules:
    """Read and check the file; raise ClockRulesError naming the file, rule and field."""
    label = file_label(path)

    def fail(where: str, message: str):
        raise ClockRulesError(f"{label}, {where}: {message}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        raise ClockRulesError(f"{label}, {where}: not valid YAML") from error
    except UnicodeDecodeError as error:
        raise ClockRulesError(f"{label}: not UTF-8 text") from error
    if not isinstance(data, dict):
        fail("file", "must be a mapping with calendar and rules")
    unknown = sorted(str(key) for key in data if key not in TOP_KEYS)
    if unknown:
        fail(f"field {unknown[0]}", "unknown field; the fields are calendar and rules")

    calendar = data.get("calendar") or {}
    if not isinstance(calendar, dict):
        fail("field calendar", "must be a mapping with working_hours and school_day_starts")
    unknown = sorted(str(key) for key in calendar if key not in CALENDAR_KEYS)
    if unknown:
        fail(
            f"field calendar.{unknown[0]}",
            "unknown field; the fields are working_hours and school_day_starts",
        )
    hours = calendar.get("working_hours") or {}
    if not isinstance(hours, dict) or set(hours) - {"start", "end"}:
        fail("field calendar.working_hours", 'must be a mapping with start and end, like "09:00"')
    opens = _time(hours.get("start", "09:00"), "calendar.working_hours.start", fail)
    closes = _time(hours.get("end", "17:00"), "calendar.working_hours.end", fail)
    if closes <= opens:
        fail("field calendar.working_hours.end", "must be later than the start")
    school_starts = _time(
        calendar.get("school_day_starts", "08:30"), "calendar.school_day_starts", fail
    )

    raw_rules = data.get("rules")
    if not isinstance(raw_rules, dict) or not raw_rules:
        fail("field rules", "must be a mapping of rule names to rules")
    rules = {}
    for name, raw in raw_rules.items():
        rules[str(name)] = _rule(str(name), raw, fail)
    missing = [name for name in REQUIRED_RULES if name not in rules]
    if missing:
        fail(
            f"rule {missing[0]}",
            f"is missing; Child First starts clocks with the rules {', '.join(REQUIRED_RULES)}",
        )
    return ClockRules(
        rules=rules,
        working_day_starts=opens,
        working_day_ends=closes,
        school_day_starts=school_starts,
        path=path,
    )


def _rule(name: str, raw, fail) -> ClockRule:
    if not RULE_NAME.match(name):
        fail(f"rule {name}", "the name must be lower-case letters, digits and underscores")

    def rule_fail(field: str, message: str):
        fail(f"rule {name}, field {field}", message)

    if not isinstance(raw, dict):
        fail(f"rule {name}", "must be a mapping with label, measure and warn_before_hours")
    unknown = sorted(str(key) for key in raw if key not in RULE_KEYS)
    if unknown:
        rule_fail(unknown[0], f"unknown field; the fields are {', '.join(sorted(RULE_KEYS))}")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        rule_fail("label", "must be plain words saying what the clock is for")
    measure = raw.get("measure")
    if measure not in Measure.values:
        rule_fail("measure", f"must be one of {', '.join(Measure.values)}")
    amount = raw.get("amount")
    if measure == Measure.NEXT_SCHOOL_DAY_START:
        if amount is not None:
            rule_fail("amount", "leave it out: the clock runs to the next school day's start")
        amount = 0
    elif measure == Measure.WORKING_DAYS_END:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            rule_fail("amount", "must be a whole number of working days, 1 or more")
    elif isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
        rule_fail("amount", "must be a number of hours above 0")
    warn = raw.get("warn_before_hours", 0)
    if isinstance(warn, bool) or not isinstance(warn, int | float) or warn < 0:
        rule_fail("warn_before_hours", "must be a number of hours, 0 or more")
    if measure in (Measure.ELAPSED_HOURS, Measure.WORKING_HOURS) and warn >= amount:
        rule_fail("warn_before_hours", f"must be less than the amount ({amount} hours)")
    return ClockRule(
        name=name,
        label=label.strip(),
        measure=measure,
        amount=amount,
        warn_before_hours=warn,
    )


def _time(value, field: str, fail) -> clock_time:
    if isinstance(value, int):  # YAML 1.1 reads 09:00 unquoted as a number of minutes
        fail(f"field {field}", 'put the time in quotes, like "09:00"')
    match = TIME.match(str(value))
    if not match:
        fail(f"field {field}", f'"{value}" must be a 24-hour time like "09:00"')
    return clock_time(int(match.group(1)), int(match.group(2)))
