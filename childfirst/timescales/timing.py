"""When a clock is due, when it warns, and how a pause moves it on (docs/clocks.md).

Times go in as any aware datetime and come out in UTC. Working hours and school-day starts are
wall-clock times in Europe/London; elapsed hours are real hours, so 72 hours across the change to
or from British Summer Time is 72 hours of real time (the wall clock shows an hour more or less).
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from childfirst.timescales.calendars import (
    LONDON,
    MAX_DAYS_AHEAD,
    ONE_DAY,
    CalendarError,
    TermCalendar,
    is_working_day,
    next_working_day,
)
from childfirst.timescales.rules import ClockRule, ClockRules, Measure


def _aware(value: datetime, name: str = "start") -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with its time zone)")
    return value


def compute_due(
    *,
    rule: ClockRule,
    rules: ClockRules,
    start: datetime,
    calendar: TermCalendar,
    school_id: int | None,
    school_starts,
) -> datetime:
    _aware(start)
    if rule.measure == Measure.ELAPSED_HOURS:
        return start.astimezone(UTC) + timedelta(hours=rule.amount)
    if rule.measure == Measure.WORKING_HOURS:
        return add_working_hours(start, rule.amount, rules)
    if rule.measure == Measure.WORKING_DAYS_END:
        return end_of_working_day_after(start, rule.amount, rules)
    return next_school_day_start(start, calendar, school_id, school_starts)


def compute_warn(*, rule: ClockRule, rules: ClockRules, start: datetime, due: datetime):
    """The time to warn: warn_before_hours before the due time, in working hours for a working
    hours rule, otherwise in real hours; never before the start."""
    if rule.measure == Measure.WORKING_HOURS:
        return add_working_hours(start, rule.amount - rule.warn_before_hours, rules)
    return max(start.astimezone(UTC), due - timedelta(hours=rule.warn_before_hours))


def add_working_hours(start: datetime, hours: float, rules: ClockRules) -> datetime:
    """The time `hours` working hours after `start`. Time outside working hours does not
    count; a clock that starts outside them starts counting at the next opening."""
    remaining = timedelta(hours=hours)
    local = start.astimezone(LONDON)
    day = local.date()
    for _ in range(MAX_DAYS_AHEAD):
        if is_working_day(day):
            opens = datetime.combine(day, rules.working_day_starts, LONDON)
            closes = datetime.combine(day, rules.working_day_ends, LONDON)
            cursor = max(local, opens)
            if cursor <= closes:
                available = closes - cursor
                if remaining <= available:
                    return (cursor + remaining).astimezone(UTC)
                remaining -= available
        day += ONE_DAY
    raise CalendarError(f"No end to {hours} working hours from {start}")


def working_time_between(start: datetime, end: datetime, rules: ClockRules) -> timedelta:
    """How much working time lies between two times (none if end is not after start)."""
    total = timedelta()
    a, b = start.astimezone(LONDON), end.astimezone(LONDON)
    day = a.date()
    while day <= b.date():
        if is_working_day(day):
            opens = datetime.combine(day, rules.working_day_starts, LONDON)
            closes = datetime.combine(day, rules.working_day_ends, LONDON)
            lower, upper = max(a, opens), min(b, closes)
            if upper > lower:
                total += upper - lower
        day += ONE_DAY
    return total


def end_of_working_day_after(start: datetime, days: int, rules: ClockRules) -> datetime:
    """The end of working hours on the `days`th working day after the day `start` falls on."""
    day = start.astimezone(LONDON).date()
    for _ in range(days):
        day = next_working_day(day + ONE_DAY)
    return datetime.combine(day, rules.working_day_ends, LONDON).astimezone(UTC)


def next_working_day_end(after: datetime, rules: ClockRules) -> datetime:
    """The first end of a working day later than `after`."""
    local = after.astimezone(LONDON)
    day = next_working_day(local.date())
    if datetime.combine(day, rules.working_day_ends, LONDON) <= local:
        day = next_working_day(day + ONE_DAY)
    return datetime.combine(day, rules.working_day_ends, LONDON).astimezone(UTC)


def next_school_day_start(
    after: datetime, calendar: TermCalendar, school_id: int | None, starts
) -> datetime:
    """The start of the first school day that starts later than `after`."""
    local = after.astimezone(LONDON)
    day = local.date()
    if not (
        calendar.is_school_day(day, school_id) and datetime.combine(day, starts, LONDON) > local
    ):
        day = calendar.next_school_day(day + ONE_DAY, school_id)
    return datetime.combine(day, starts, LONDON).astimezone(UTC)


def move_on(
    *,
    rule: ClockRule,
    rules: ClockRules,
    due: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    calendar: TermCalendar,
    school_id: int | None,
    school_starts,
) -> datetime:
    """The due time after a pause: moved on by the time paused, in the rule's own units (real
    time, working time, working days or school days)."""
    if resumed_at <= paused_at:
        return due
    if rule.measure == Measure.ELAPSED_HOURS:
        return due + (resumed_at - paused_at)
    if rule.measure == Measure.WORKING_HOURS:
        paused = working_time_between(paused_at, resumed_at, rules)
        return add_working_hours(due, paused / timedelta(hours=1), rules)
    if rule.measure == Measure.WORKING_DAYS_END:

        def step(t):
            return next_working_day_end(t, rules)
    else:

        def step(t):
            return next_school_day_start(t, calendar, school_id, school_starts)

    return _shift(step, due, paused_at, resumed_at)


def _shift(step: Callable, due: datetime, paused_at: datetime, resumed_at: datetime):
    """Move `due` on by as many steps (working days, school days) as passed while paused."""
    passed = 0
    mark = step(paused_at)
    while mark <= resumed_at:
        passed += 1
        mark = step(mark)
    for _ in range(passed):
        due = step(due)
    return due
