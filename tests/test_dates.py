"""childfirst.dates: the one way dates and times are written, in Europe/London."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from childfirst import dates
from childfirst.dates import clock_time, london_date, london_datetime


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        # Winter (GMT): London is UTC.
        (datetime(2026, 11, 24, 15, 5, tzinfo=UTC), "24 November 2026 at 3:05pm"),
        (datetime(2026, 11, 24, 10, 0, tzinfo=UTC), "24 November 2026 at 10am"),
        (datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "24 November 2026 at midday"),
        (datetime(2026, 11, 24, 0, 0, tzinfo=UTC), "24 November 2026 at midnight"),
        (datetime(2026, 11, 24, 0, 1, tzinfo=UTC), "24 November 2026 at 12:01am"),
        (datetime(2026, 11, 24, 12, 30, tzinfo=UTC), "24 November 2026 at 12:30pm"),
        # Summer (BST): London is an hour ahead, so 23:30 UTC on 1 July is the next day.
        (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "2 July 2026 at 12:30am"),
        (datetime(2026, 7, 1, 11, 0, tzinfo=UTC), "1 July 2026 at midday"),
        (datetime(2026, 7, 1, 23, 0, tzinfo=UTC), "2 July 2026 at midnight"),
        (datetime(2026, 7, 1, 8, 45, tzinfo=UTC), "1 July 2026 at 9:45am"),
    ],
)
def test_a_date_and_time_is_written_in_london_the_govuk_way(utc, shown):
    assert london_datetime(utc) == shown


def test_a_date_is_written_day_month_year_without_a_leading_zero():
    assert london_date(date(2026, 3, 8)) == "8 March 2026"
    assert london_date(date(2016, 9, 3)) == "3 September 2016"


def test_a_date_and_time_gives_its_london_date():
    # The clocks go forward at 1am UTC on 29 March 2026: 23:30 UTC is still 28 March in
    # London the night before, and already 30 March the night after.
    assert london_date(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == "28 March 2026"
    assert london_date(datetime(2026, 3, 29, 23, 30, tzinfo=UTC)) == "30 March 2026"
    assert london_date(datetime(2026, 11, 24, 23, 30, tzinfo=UTC)) == "24 November 2026"


def test_a_plain_date_is_not_moved_by_the_time_zone():
    # A date has no time zone: the last day of June stays the last day of June.
    assert london_date(date(2026, 6, 30)) == "30 June 2026"


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_is_written_as_nothing(empty):
    assert london_date(empty) == ""
    assert london_datetime(empty) == ""


def test_a_naive_date_and_time_is_refused_as_times_are_stored_in_utc():
    with pytest.raises(ValueError):
        london_datetime(datetime(2026, 11, 24, 15, 5))
    with pytest.raises(ValueError):
        london_date(datetime(2026, 11, 24, 15, 5))


def test_a_date_without_a_time_is_not_a_date_and_time():
    with pytest.raises(TypeError):
        london_datetime(date(2026, 11, 24))


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        (time(0, 0), "midnight"),
        (time(12, 0), "midday"),
        (time(0, 5), "12:05am"),
        (time(9, 0), "9am"),
        (time(13, 0), "1pm"),
        (time(23, 59), "11:59pm"),
    ],
)
def test_times_of_day(at, shown):
    assert clock_time(at) == shown


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=61, seconds=30), "1 hour and 1 minute"),
        (timedelta(hours=3, minutes=5), "3 hours and 5 minutes"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(days=1, minutes=7), "1 day"),
        (timedelta(days=2, hours=1, minutes=59), "2 days and 1 hour"),
    ],
)
def test_how_long_says_a_wait_in_plain_words(span, words):
    assert dates.how_long(span) == words
