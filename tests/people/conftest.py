import pytest

from childfirst.people.index import reset_index
from childfirst.people.resolver import forget_model


@pytest.fixture(autouse=True)
def fresh_identity_state():
    """Each test starts with an empty in-process index and no cached model (the database is
    rolled back between tests, so what the index held is gone)."""
    reset_index()
    forget_model()
    yield
    reset_index()
    forget_model()
