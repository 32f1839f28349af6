"""The payload hash decides replay or conflict, so it must never change for a stored incident:
orjson must write the bytes json.dumps wrote when those incidents were stored."""

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from childfirst.incidents.services import _hash

TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


def _as_first_stored(value) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@given(VALUES)
def test_the_hash_is_the_one_json_dumps_gave(value):
    assert _hash(value) == _as_first_stored(value)


def test_text_that_is_not_utf_8_is_hashed_as_json_dumps_writes_it():
    lone_surrogate = {"narrative": "\ud800"}  # json.loads takes "\\ud800"; UTF-8 cannot hold it
    text = json.dumps(lone_surrogate, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    assert _hash(lone_surrogate) == expected
