"""Working days and school days.

Working days are Monday to Friday except England and Wales bank holidays (the `holidays`
library). School days are working days inside a term of the local authority's term calendar,
less its holidays, INSET days and closures (and the school's own, when the calendar names a
school). Where a local authority has no term calendar, or a date falls outside the dates its
calendar covers, school days are taken to be working days.

Calendars are cached per process, since intake asks for thousands of due times a second: each
local authority's calendar is loaded once (one query) and each answer per day is remembered. The
cache is cleared when term dates or a school's start time change in this process, and every
CACHE_SECONDS in any case, so other processes (the worker) see an import within a minute.
"""

import bisect
import time as monotonic_time
from datetime import date, timedelta
from datetime import time as clock_time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from childfirst.directory.models import School
from childfirst.timescales.models import TermDate, TermDateKind

LONDON = ZoneInfo("Europe/London")
CACHE_SECONDS = 60.0
ONE_DAY = timedelta(days=1)
# No sensible clock looks further ahead than this; a loop that does has found a broken calendar.
MAX_DAYS_AHEAD = 400


class CalendarError(Exception):
    """No school or working day found within MAX_DAYS_AHEAD days."""


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays (including substitute days) in the year."""
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


_working_days: dict[date, bool] = {}


def is_working_day(day: date) -> bool:
    found = _working_days.get(day)
    if found is None:
        found = day.weekday() < 5 and day not in bank_holidays(day.year)
        _working_days[day] = found
    return found


def next_working_day(day: date) -> date:
    """The first working day on or after `day`."""
    for _ in range(MAX_DAYS_AHEAD):
        if is_working_day(day):
            return day
        day += ONE_DAY
    raise CalendarError(f"No working day in the {MAX_DAYS_AHEAD} days from {day}")


class TermCalendar:
    """One local authority's school days (an empty calendar: every working day)."""

    def __init__(self, *, terms=(), closed=(), school_closed=None):
        merged = sorted(terms)
        self._term_starts = [start for start, _ in merged]
        # The latest end of the terms so far: a day is in term if a term that started on or
        # before it ends on or after it.
        self._ends_so_far = []
        for _, end in merged:
            self._ends_so_far.append(max(end, self._ends_so_far[-1]) if self._ends_so_far else end)
        self._closed = frozenset(closed)
        self._school_closed = {k: frozenset(v) for k, v in (school_closed or {}).items()}
        self.first_day = merged[0][0] if merged else None
        self.last_day = self._ends_so_far[-1] if merged else None
        self._next: dict[tuple[date, int | None], date] = {}

    def covers(self, day: date) -> bool:
        return self.first_day is not None and self.first_day <= day <= self.last_day

    def is_school_day(self, day: date, school_id: int | None = None) -> bool:
        if not is_working_day(day):
            return False
        if not self.covers(day):
            return True
        index = bisect.bisect_right(self._term_starts, day) - 1
        if index < 0 or self._ends_so_far[index] < day or day in self._closed:
            return False
        return school_id is None or day not in self._school_closed.get(school_id, ())

    def next_school_day(self, day: date, school_id: int | None = None) -> date:
        """The first school day on or after `day` (remembered per day)."""
        if school_id not in self._school_closed:
            school_id = None  # every school without its own dates shares one answer
        key = (day, school_id)
        found = self._next.get(key)
        if found is None:
            found = day
            for _ in range(MAX_DAYS_AHEAD):
                if self.is_school_day(found, school_id):
                    break
                found += ONE_DAY
            else:
                raise CalendarError(f"No school day in the {MAX_DAYS_AHEAD} days from {day}")
            self._next[key] = found
        return found


EMPTY = TermCalendar()


class _Cache:
    def __init__(self):
        self.clear()

    def clear(self):
        self.loaded_at = monotonic_time.monotonic()
        self.calendars: dict[int, TermCalendar] = {}
        # school id -> (its start time or None, its local authority id)
        self.schools: dict[int, tuple[clock_time | None, int | None]] = {}

    def fresh(self):
        if monotonic_time.monotonic() - self.loaded_at > CACHE_SECONDS:
            self.clear()


_cache = _Cache()


def clear_calendar_cache(**kwargs) -> None:
    """Forget every cached calendar and school (a receiver for post_save, hence **kwargs)."""
    _cache.clear()


def prime(*, local_authority_ids=(), school_ids=()) -> None:
    """Load the calendars and schools not yet cached, in one query each."""
    _cache.fresh()
    schools = {pk for pk in school_ids if pk is not None and pk not in _cache.schools}
    if schools:
        for pk, starts, authority in School.objects.filter(pk__in=schools).values_list(
            "pk", "school_day_starts", "local_authority_id"
        ):
            _cache.schools[pk] = (starts, authority)
        for pk in schools - set(_cache.schools):
            _cache.schools[pk] = (None, None)  # no such school: the defaults
    wanted = {pk for pk in local_authority_ids if pk is not None}
    wanted |= {_cache.schools[pk][1] for pk in school_ids if pk is not None}
    wanted = {pk for pk in wanted if pk is not None and pk not in _cache.calendars}
    if not wanted:
        return
    rows: dict[int, list] = {pk: [] for pk in wanted}
    for row in TermDate.objects.filter(local_authority_id__in=wanted).values_list(
        "local_authority_id", "school_id", "kind", "start_date", "end_date"
    ):
        rows[row[0]].append(row[1:])
    for pk, dates in rows.items():
        _cache.calendars[pk] = _build(dates)


def _build(rows) -> TermCalendar:
    if not rows:
        return EMPTY
    terms, closed, school_closed = [], set(), {}
    for school_id, kind, start, end in rows:
        if kind == TermDateKind.TERM:
            if school_id is None:
                terms.append((start, end))
            continue
        days = {start + timedelta(days=n) for n in range((end - start).days + 1)}
        if school_id is None:
            closed |= days
        else:
            school_closed.setdefault(school_id, set()).update(days)
    return TermCalendar(terms=terms, closed=closed, school_closed=school_closed)


def calendar_for(*, local_authority_id: int | None, school_id: int | None = None) -> TermCalendar:
    """The term calendar for a school (its local authority's) or a local authority."""
    if school_id is not None and local_authority_id is None:
        local_authority_id = school_local_authority(school_id)
    if local_authority_id is None:
        return EMPTY
    _cache.fresh()
    found = _cache.calendars.get(local_authority_id)
    if found is None:
        prime(local_authority_ids=[local_authority_id])
        found = _cache.calendars[local_authority_id]
    return found


def _school(school_id: int) -> tuple[clock_time | None, int | None]:
    _cache.fresh()
    found = _cache.schools.get(school_id)
    if found is None:
        prime(school_ids=[school_id])
        found = _cache.schools[school_id]
    return found


def school_local_authority(school_id: int) -> int | None:
    return _school(school_id)[1]


def school_day_starts(school_id: int | None, default: clock_time) -> clock_time:
    """The school's own start time, or the default from rules/clocks.yaml."""
    if school_id is None:
        return default
    return _school(school_id)[0] or default
