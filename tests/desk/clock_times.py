"""Tobi's notice is red, screened at 09:00 on Tuesday 24 November 2026 (the fixed "now",
tests/incidents/conftest.py), so its desk review clock (4 working hours) is due at 13:00 and
warns at 12:00."""

from datetime import UTC, datetime

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
WARN = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
WHY = "Waiting for the officer to confirm the child's school"
