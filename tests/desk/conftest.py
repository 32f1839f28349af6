"""Fixtures of the desk tests."""

# The incidents here happen on the evening of 23 November 2026 and "now" is 09:00 the next
# morning (tests/incidents/conftest.py), so ages, windows and clocks are fixed.
import pytest

from tests.desk import builders as b
from tests.incidents.conftest import fixed_clock, fresh_identity_state  # noqa: F401


@pytest.fixture
def setting():
    """Hackney's postcode and an agency of each kind; the agencies by kind."""
    b.hackney_postcode()
    return b.agencies()


@pytest.fixture
def tobi(setting):
    """Tobi's notice (red, screened at 09:00: tests/desk/clock_times.py), as the desk's item."""
    return b.items_of(b.incident())["Tobi"]
