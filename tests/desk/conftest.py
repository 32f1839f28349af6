# The incidents here happen on the evening of 23 November 2026 and "now" is 09:00 the next
# morning (tests/incidents/conftest.py), so ages, windows and clocks are fixed.
from tests.incidents.conftest import fixed_clock, fresh_identity_state  # noqa: F401
