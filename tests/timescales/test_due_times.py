"""When each clock is due: weekends, bank holidays, school holidays, INSET days, a school's own
start time and the changes to and from British Summer Time (docs/clocks.md)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childfirst.timescales.calendars import LONDON, is_working_day
from childfirst.timescales.models import TermDate, TermDateKind
from childfirst.timescales.rules import UnknownClockRule, clock_rules
from childfirst.timescales.services import due_at
from childfirst.timescales.timing import working_time_between
from tests.timescales.conftest import london, make_school


def due(rule, start, **places) -> str:
    """The due time as London shows it, as `childfirst clocks due` prints it."""
    return due_at(rule=rule, start=start, **places).astimezone(LONDON).isoformat()


# Operation Encompass: before the start of the next school day ---------------------------------


@pytest.mark.parametrize(
    ("start", "expected", "why"),
    [
        (london(2026, 11, 24, 18), "2026-11-25T08:30:00+00:00", "evening: the next morning"),
        (london(2026, 11, 25, 7), "2026-11-25T08:30:00+00:00", "early: the same morning"),
        (london(2026, 11, 25, 10), "2026-11-26T08:30:00+00:00", "in the school day: tomorrow"),
        (london(2026, 11, 25, 8, 30), "2026-11-26T08:30:00+00:00", "at the start: tomorrow"),
        (london(2026, 11, 27, 20), "2026-11-30T08:30:00+00:00", "Friday night: Monday"),
        (london(2026, 11, 28, 12), "2026-11-30T08:30:00+00:00", "Saturday: Monday"),
        # Half term is 26 to 30 October; BST ends on Sunday 25 October.
        (london(2026, 10, 23, 19), "2026-11-02T08:30:00+00:00", "over half term"),
        # Christmas holiday, then an INSET day on Monday 4 January 2027.
        (london(2026, 12, 18, 17), "2027-01-05T08:30:00+00:00", "over Christmas and INSET"),
        # Monday 31 August 2026 is a bank holiday and 1 September an INSET day.
        (london(2026, 8, 31, 20), "2026-09-02T08:30:00+01:00", "bank holiday then INSET"),
        # Good Friday 26 March 2027, Easter holiday to 9 April; BST begins on 28 March.
        (london(2027, 3, 25, 18), "2027-04-12T08:30:00+01:00", "over Easter"),
        (london(2027, 2, 12, 16), "2027-02-22T08:30:00+00:00", "over the spring half term"),
    ],
)
def test_encompass_is_due_at_the_start_of_the_next_school_day(hackney, start, expected, why):
    assert due("encompass", start, local_authority_id=hackney.pk) == expected, why


def test_encompass_uses_the_schools_own_start_time(hackney):
    school = make_school(hackney, starts=datetime.strptime("08:45", "%H:%M").time())
    assert due("encompass", london(2026, 11, 24, 18), school_id=school.pk) == (
        "2026-11-25T08:45:00+00:00"
    )
    # An incident before that school's start, after the usual 08:30, is due the same morning.
    assert due("encompass", london(2026, 11, 25, 8, 35), school_id=school.pk) == (
        "2026-11-25T08:45:00+00:00"
    )


def test_a_schools_own_inset_day_is_skipped_for_that_school_only(hackney):
    school = make_school(hackney)
    other = make_school(hackney, name="Other Primary School")
    TermDate.objects.create(
        local_authority=hackney,
        school=school,
        kind=TermDateKind.INSET,
        start_date=datetime(2026, 11, 25).date(),
        end_date=datetime(2026, 11, 25).date(),
    )
    evening = london(2026, 11, 24, 18)
    assert due("encompass", evening, school_id=school.pk) == "2026-11-26T08:30:00+00:00"
    assert due("encompass", evening, school_id=other.pk) == "2026-11-25T08:30:00+00:00"


def test_the_schools_own_local_authority_calendar_is_used_for_a_school(hackney, db):
    from tests.builders import london_local_authority

    elsewhere = london_local_authority("E09000019")  # Islington, also with the demo calendar
    TermDate.objects.create(
        local_authority=hackney,
        kind=TermDateKind.CLOSURE,
        start_date=datetime(2026, 11, 25).date(),
        end_date=datetime(2026, 11, 25).date(),
    )
    school = make_school(hackney)
    evening = london(2026, 11, 24, 18)
    assert due("encompass", evening, local_authority_id=elsewhere.pk, school_id=school.pk) == (
        "2026-11-26T08:30:00+00:00"
    )
    assert due("encompass", evening, local_authority_id=elsewhere.pk) == (
        "2026-11-25T08:30:00+00:00"
    )


def test_without_a_term_calendar_school_days_are_working_days(db):
    # Christmas Day and Boxing Day 2026 are Friday and Saturday: Monday 28 December is the
    # substitute bank holiday.
    assert due("encompass", london(2026, 12, 24, 18)) == "2026-12-29T08:30:00+00:00"


def test_outside_the_dates_a_calendar_covers_school_days_are_working_days(hackney):
    # The demo calendar ends on 21 July 2027.
    assert due("encompass", london(2027, 8, 2, 18), local_authority_id=hackney.pk) == (
        "2027-08-03T08:30:00+01:00"
    )


# Desk review: working hours, and elapsed hours for green --------------------------------------


@pytest.mark.parametrize(
    ("start", "expected", "why"),
    [
        (london(2026, 11, 27, 16), "2026-11-30T12:00:00+00:00", "Friday 16:00: Monday noon"),
        (london(2026, 11, 24, 13), "2026-11-24T17:00:00+00:00", "ends exactly at close"),
        (london(2026, 11, 24, 7), "2026-11-24T13:00:00+00:00", "before opening"),
        (london(2026, 11, 28, 10), "2026-11-30T13:00:00+00:00", "on a Saturday"),
        (london(2026, 10, 23, 16), "2026-10-26T12:00:00+00:00", "as BST ends"),
        (london(2027, 3, 25, 16), "2027-03-30T12:00:00+01:00", "over Easter as BST begins"),
        (london(2026, 12, 24, 15), "2026-12-29T11:00:00+00:00", "over Christmas"),
    ],
)
def test_a_red_desk_review_is_due_in_4_working_hours(start, expected, why):
    assert due("desk_review_red", start) == expected, why


def test_an_amber_desk_review_is_due_in_24_working_hours():
    assert due("desk_review_amber", london(2026, 11, 23, 10)) == "2026-11-26T10:00:00+00:00"
    # Thursday 10:00 to the Tuesday after (a weekend between).
    assert due("desk_review_amber", london(2026, 11, 26, 10)) == "2026-12-01T10:00:00+00:00"


def test_72_hours_is_72_real_hours_across_the_end_of_british_summer_time():
    # 12:00 BST on Friday 23 October is 11:00 UTC; 72 hours later is 11:00 GMT on Monday.
    assert due("desk_review_green", london(2026, 10, 23, 12)) == "2026-10-26T11:00:00+00:00"
    assert due("return_interview", london(2026, 10, 23, 12)) == "2026-10-26T11:00:00+00:00"


def test_72_hours_is_72_real_hours_across_the_start_of_british_summer_time():
    assert due("desk_review_green", london(2027, 3, 26, 12)) == "2027-03-29T13:00:00+01:00"
    assert due("return_interview", london(2027, 3, 26, 12)) == "2027-03-29T13:00:00+01:00"


# Local authority decision: the end of the next working day ------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (london(2026, 11, 23, 14), "2026-11-24T17:00:00+00:00"),
        (london(2026, 11, 27, 9), "2026-11-30T17:00:00+00:00"),
        (london(2026, 11, 28, 9), "2026-11-30T17:00:00+00:00"),
        (london(2026, 12, 24, 10), "2026-12-29T17:00:00+00:00"),
        (london(2027, 3, 25, 10), "2027-03-30T17:00:00+01:00"),
    ],
)
def test_the_local_authority_decides_by_the_end_of_the_next_working_day(start, expected):
    assert due("la_decision", start) == expected


def test_an_unknown_rule_is_refused_with_the_rules_named():
    with pytest.raises(UnknownClockRule, match='no clock rule called "desk_review_purple"'):
        due_at(rule="desk_review_purple", start=london(2026, 11, 24, 9))


def test_a_start_without_a_time_zone_is_refused():
    with pytest.raises(ValueError, match="aware datetime"):
        due_at(rule="desk_review_red", start=datetime(2026, 11, 24, 9))


# Properties ------------------------------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(start=starts, rule=st.sampled_from(["desk_review_red", "desk_review_amber"]))
def test_a_working_hours_clock_is_due_in_working_hours_after_exactly_that_much_work(start, rule):
    rules = clock_rules()
    found = due_at(rule=rule, start=start)
    local = found.astimezone(LONDON)
    assert found > start
    assert is_working_day(local.date())
    assert rules.working_day_starts <= local.time() <= rules.working_day_ends
    assert working_time_between(start, found, rules) == timedelta(hours=rules.rule(rule).amount)


@settings(max_examples=300, deadline=None)
@given(start=starts)
def test_an_elapsed_hours_clock_is_due_exactly_that_many_real_hours_later(start):
    assert due_at(rule="return_interview", start=start) - start == timedelta(hours=72)


@settings(max_examples=300, deadline=None)
@given(start=starts)
def test_encompass_without_a_calendar_is_due_at_the_next_working_morning(start):
    found = due_at(rule="encompass", start=start)
    local = found.astimezone(LONDON)
    assert start < found <= start + timedelta(days=6)
    assert is_working_day(local.date())
    assert local.time() == clock_rules().school_day_starts
