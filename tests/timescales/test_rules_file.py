"""rules/clocks.yaml is checked when it loads; a mistake names the file, the rule and the field."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from childfirst.timescales.rules import ClockRulesError, clock_rules, load_clock_rules

SHIPPED = Path(settings.CHILDFIRST_RULES_DIR) / "clocks.yaml"


def shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text())


def write(tmp_path, data) -> Path:
    path = tmp_path / "clocks.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def error_for(tmp_path, data) -> str:
    with pytest.raises(ClockRulesError) as caught:
        load_clock_rules(write(tmp_path, data))
    return str(caught.value)


def test_the_shipped_clocks_file_has_the_six_rules_the_other_apps_start():
    rules = clock_rules()
    assert set(rules.rules) >= {
        "encompass",
        "desk_review_red",
        "desk_review_amber",
        "desk_review_green",
        "la_decision",
        "return_interview",
    }
    assert rules.rule("desk_review_red").amount == 4
    assert str(rules.working_day_starts) == "09:00:00"
    assert str(rules.school_day_starts) == "08:30:00"


def changed(rule: str, **fields) -> dict:
    data = shipped()
    data["rules"][rule].update(fields)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            changed("desk_review_red", amount=0),
            "rule desk_review_red, field amount: must be a number of hours above 0",
        ),
        (
            changed("desk_review_amber", amount="24 hours"),
            "rule desk_review_amber, field amount: must be a number of hours above 0",
        ),
        (
            changed("la_decision", amount=1.5),
            "rule la_decision, field amount: must be a whole number of working days",
        ),
        (
            changed("encompass", amount=1),
            "rule encompass, field amount: leave it out",
        ),
        (
            changed("desk_review_red", measure="office_hours"),
            "rule desk_review_red, field measure: must be one of elapsed_hours, working_hours",
        ),
        (
            changed("desk_review_red", warn_before_hours=4),
            "rule desk_review_red, field warn_before_hours: must be less than the amount",
        ),
        (
            changed("return_interview", warn_before_hours=-1),
            "rule return_interview, field warn_before_hours: must be a number of hours, 0 or more",
        ),
        (
            changed("desk_review_green", label=""),
            "rule desk_review_green, field label: must be plain words",
        ),
        (
            changed("desk_review_green", colour="green"),
            "rule desk_review_green, field colour: unknown field",
        ),
    ],
)
def test_a_mistake_in_a_rule_names_the_file_the_rule_and_the_field(tmp_path, data, message):
    error = error_for(tmp_path, data)
    assert error.startswith(f"{tmp_path / 'clocks.yaml'}, ")
    assert message in error


def test_a_missing_rule_is_named(tmp_path):
    data = shipped()
    del data["rules"]["return_interview"]
    assert "rule return_interview: is missing" in error_for(tmp_path, data)


def test_a_working_hours_time_must_be_quoted_and_in_24_hour_form(tmp_path):
    data = shipped()
    text = yaml.safe_dump(data).replace("start: 09:00", "start: 9am")
    assert 'field calendar.working_hours.start: "9am" must be a 24-hour time' in error_for(
        tmp_path, text
    )
    # YAML reads 9:30 unquoted as a number (570 minutes).
    unquoted = yaml.safe_dump(data).replace("start: 09:00", "start: 9:30")
    assert "field calendar.working_hours.start: put the time in quotes" in error_for(
        tmp_path, unquoted
    )


def test_working_hours_must_end_after_they_start(tmp_path):
    data = shipped()
    data["calendar"]["working_hours"] = {"start": "17:00", "end": "09:00"}
    assert "field calendar.working_hours.end: must be later than the start" in error_for(
        tmp_path, data
    )


def test_a_file_that_is_not_yaml_names_the_line(tmp_path):
    text = "calendar: {}\nrules:\n  encompass: [unclosed\n  la_decision: {}\n"
    assert "clocks.yaml, line 4: not valid YAML" in error_for(tmp_path, text)


def test_a_broken_clocks_file_stops_childfirst_check(tmp_path, settings):
    (tmp_path / "clocks.yaml").write_text(yaml.safe_dump(changed("desk_review_red", amount=-4)))
    settings.CHILDFIRST_RULES_DIR = tmp_path
    with pytest.raises(SystemCheckError, match="timescales.E001.*rule desk_review_red"):
        call_command("check")


def test_the_shipped_file_passes_childfirst_check():
    call_command("check")
