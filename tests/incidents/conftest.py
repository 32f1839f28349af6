import pytest
import time_machine

try:
    from childfirst.people.index import reset_index
    from childfirst.people.resolver import forget_model
except ImportError:  # an identity service that keeps nothing in memory

    def reset_index():
        pass

    def forget_model():
        pass


# The incidents in these tests happen on the evening of 23 November 2026; "now" is the next
# morning, so nothing is in the future and ages are fixed.
NOW = "2026-11-24T09:00:00Z"


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_identity_state():
    """The identity resolver keeps an in-process index of mentions; the database is rolled back
    between tests, so each test starts with it empty (as tests/people does)."""
    reset_index()
    forget_model()
    yield
    reset_index()
    forget_model()
