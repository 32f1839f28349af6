"""Dates and times as GOV.UK writes them, in Europe/London."""

from datetime import UTC, datetime

import pytest

from childfirst.web.templatetags.web import london_date, london_datetime


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (datetime(2026, 11, 24, 14, 5, tzinfo=UTC), "24 November 2026 at 2:05pm"),
        (datetime(2026, 11, 24, 10, 0, tzinfo=UTC), "24 November 2026 at 10am"),
        (datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "24 November 2026 at midday"),
        (datetime(2026, 11, 24, 0, 0, tzinfo=UTC), "24 November 2026 at midnight"),
        # British Summer Time: 23:30 UTC on 1 July is 12:30am on 2 July in London.
        (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "2 July 2026 at 12:30am"),
    ],
)
def test_times_are_shown_in_london_the_govuk_way(utc, shown):
    assert london_datetime(utc) == shown


def test_dates_are_day_month_year_in_words():
    assert london_date(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == "28 March 2026"
    assert london_date(None) == ""
