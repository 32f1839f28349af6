"""Dates and times written the one way Child First writes them (GOV.UK style, DESIGN.md
section 7): "24 November 2026", and "24 November 2026 at 3:05pm" with "10am", "midday" and
"midnight" for times on the hour.

Times are stored in UTC and written in the project's time zone (settings.TIME_ZONE: Europe/London
unless CHILDFIRST_TIME_ZONE says otherwise), so 23:30 UTC on 1 July is "2 July 2026 at 12:30am".
The web app's `london_date` and `london_datetime` template filters, the content sent to partners
and the portal all use these. This module imports nothing of Child First, so any app may use it.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from childfirst.words import count_of

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def london_date(value: date | datetime | None) -> str:
    """ "24 November 2026". A date is written as it is; a date and time is first turned into
    London time (a naive one is refused with ValueError: times are stored in UTC). None or ""
    gives ""."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def london_datetime(value: datetime | None) -> str:
    """ "24 November 2026 at 3:05pm", in London time (a naive date and time is refused with
    ValueError, a date without a time with TypeError). None or "" gives ""."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        raise TypeError(f"london_datetime needs a date and time, not {type(value).__name__}")
    local = timezone.localtime(value)
    return f"{london_date(local.date())} at {clock_time(local.time())}"


def clock_time(value: time) -> str:
    """A time of day as GOV.UK writes it: "3:05pm", "10am", "midday", "midnight"."""
    if value.minute == 0:
        if value.hour == 0:
            return "midnight"
        if value.hour == 12:
            return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def how_long(span: timedelta) -> str:
    """A wait in plain words, to the minute: "less than a minute", "1 minute", "3 hours and 5
    minutes", "2 days and 1 hour" (minutes are left out from a day on)."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour")] + ([] if days else [(minutes, "minute")])
    words = [count_of(number, unit) for number, unit in parts if number]
    return " and ".join(words)
