import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from childfirst.directory.models import School
from childfirst.timescales.calendars import clear_calendar_cache
from childfirst.timescales.demo import create_demo_term_dates
from tests.builders import london_local_authority

LONDON = ZoneInfo("Europe/London")
_urns = itertools.count(990001)


def london(year, month, day, hour=0, minute=0) -> datetime:
    """A wall-clock time in London."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def fresh_calendars():
    """Each test sees the term dates in its own database, not ones cached by an earlier test."""
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def hackney(db):
    """Hackney with the demo's 2026 to 2027 London term calendar."""
    borough = london_local_authority("E09000012")
    create_demo_term_dates()
    return borough


def make_school(local_authority, *, starts=None, name="Example Primary School"):
    return School.objects.create(
        urn=next(_urns), name=name, local_authority=local_authority, school_day_starts=starts
    )
