"""The matcher's pure functions: normalisation, levels, weights and safeguards."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childfirst.people import matching as mt


def rec(**fields):
    dob = fields.pop("dob", None)
    return mt.make_record(dob=mt.dob_from_date(dob) if isinstance(dob, date) else dob or mt.NO_DOB,
                          **fields)  # fmt: skip


CHILD = {
    "given_name_text": "William",
    "surname_text": "Okafor",
    "dob": date(2014, 3, 7),
    "sex": "male",
    "postcode_text": "E8 1DY",
    "address_text": "Flat 2, 14 Albion Road, London",
}


def child(**changes):
    return rec(**{**CHILD, **changes})


MODEL = mt.MatchModel.default()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Smith-Jones", "smith jones"),
        ("O'Brien", "obrien"),
        ("  ZOË  ", "zoe"),
        ("Łukasz", "lukasz"),
        ("Мухаммед", "mukhammed"),
        ("Mr John SMITH", "john smith"),
    ],
)
def test_names_are_transliterated_and_cleaned(text, expected):
    assert " ".join(mt.name_tokens(text, placeholders=True)) == expected


def test_placeholder_given_names_count_as_not_recorded():
    assert mt.given_name("Baby") is None
    assert mt.given_name("Not known") is None


@pytest.mark.parametrize(
    ("text", "dob"),
    [
        ("2016-09-03", (2016, 9, 3)),
        ("03/09/2016", (2016, 9, 3)),
        ("3 Sep 2016", (2016, 9, 3)),
        ("20160903", (2016, 9, 3)),
        ("09/25/2016", (2016, 9, 25)),
        ("Sep 2016", (2016, 9, None)),
        ("2016", (2016, None, None)),
        ("31/02/2016", (None, None, None)),
        ("soon", (None, None, None)),
        # With a time of day, as spreadsheets and databases export dates.
        ("2016-09-03 00:00:00", (2016, 9, 3)),
        ("03/09/2016 00:00", (2016, 9, 3)),
        ("2016-09-03 00:00:00.000", (2016, 9, 3)),
        ("3/9/2016 12:00 am", (2016, 9, 3)),
        ("2016-09-03T00:00:00Z", (2016, 9, 3)),
    ],
)
def test_dates_of_birth_in_common_forms(text, dob):
    assert mt.parse_dob(text) == dob


def test_postcodes_split_into_sector_and_district():
    pc = mt.postcode("e81dy")
    assert (pc.full, pc.sector, pc.district) == ("E8 1DY", "E8 1", "E8")


def test_addresses_compare_on_their_telling_words():
    assert mt.address("Flat 2, 14 Albion Rd, London E8 1DY") == mt.address("flat 2 14 albion road")
    assert mt.address("14 Albion Road") != mt.address("16 Albion Road")


@pytest.mark.parametrize(
    ("changes", "field", "level"),
    [
        ({"given_name_text": "Bill"}, mt.POS_G, mt.G_VARIANT),
        ({"given_name_text": "Wiliam"}, mt.POS_G, mt.G_JW92),
        ({"given_name_text": "W"}, mt.POS_G, mt.G_INITIAL),
        ({"given_name_text": "Harry"}, mt.POS_G, mt.G_DIFFERENT),
        ({"surname_text": "Okafor-Brown"}, mt.POS_S, mt.S_PART),
        ({"dob": date(2014, 7, 3)}, mt.POS_D, mt.D_SWAPPED),
        ({"dob": date(2014, 3, 8)}, mt.POS_D, mt.D_ONE_PART),
        ({"dob": date(2004, 3, 7)}, mt.POS_D, mt.D_ONE_PART),
        ({"dob": (2014, None, None)}, mt.POS_D, mt.D_PARTIAL),
        ({"dob": date(2014, 11, 20)}, mt.POS_D, mt.D_YEAR),
        ({"dob": date(1986, 5, 1)}, mt.POS_D, mt.D_DIFFERENT),
        ({"postcode_text": "E8 1AA"}, mt.POS_P, mt.P_SECTOR),
        ({"postcode_text": "E8 4QQ"}, mt.POS_P, mt.P_DISTRICT),
        ({"address_text": "Flat 3, 14 Albion Road"}, mt.POS_A, mt.A_OVERLAP),
    ],
)
def test_comparison_levels(changes, field, level):
    assert mt.compare(child(), child(**changes))[field] == level


def test_transliterations_are_variants():
    a = child(given_name_text="Mohammed")
    b = child(given_name_text="Muhammad")
    assert mt.given_level(a, b) == mt.G_VARIANT


def test_swapped_given_name_and_surname():
    a = child()
    b = child(given_name_text="Okafor", surname_text="William")
    assert mt.compare(a, b)[:2] == (mt.G_SWAPPED, mt.S_SWAPPED)


def test_swapped_names_with_a_typing_slip_are_swapped_not_different():
    a = child()
    b = child(given_name_text="Okafro", surname_text="Wiliam")
    assert mt.compare(a, b)[:2] == (mt.G_SWAPPED, mt.S_SWAPPED)
    assert MODEL.probability(a, b) >= MODEL.link_threshold
    # Names that are merely different stay different: no slip makes them each other's.
    assert mt.compare(a, child(given_name_text="Okoro", surname_text="Wilson"))[:2] == (
        mt.G_DIFFERENT,
        mt.S_DIFFERENT,
    )
    # One name the same and one close is a typo, not a swap.
    assert mt.compare(a, child(given_name_text="Wiliam"))[0] == mt.G_JW92


def test_the_same_child_scores_high_and_explains_each_field():
    explanation = MODEL.explain(child(), child(given_name_text="Bill", postcode_text="N1 2AB",
                                                address_text="3 Other Street"))  # fmt: skip
    words = [c.as_text() for c in explanation.contributions]
    assert words[0].startswith("Given name: a nickname")
    assert explanation.probability > MODEL.review_threshold
    swapped = MODEL.explain(child(), child(dob=date(2014, 7, 3)))
    assert swapped.contributions[2].as_text().startswith("Date of birth: day and month swapped, +")


def test_twins_with_different_given_names_are_held_below_review():
    twin = child(given_name_text="Harry")
    explanation = MODEL.explain(child(), twin)
    assert explanation.probability < MODEL.review_threshold
    assert explanation.safeguards


def test_twins_whose_names_look_alike_never_link_automatically():
    twin = child(given_name_text="Williama")
    assert MODEL.probability(child(), twin) < MODEL.link_threshold
    girl_twin = child(given_name_text="Wilhelmina", sex="female")
    assert MODEL.probability(child(), girl_twin) < MODEL.review_threshold


def test_a_parent_with_the_childs_name_is_held_below_review():
    father = child(dob=date(1985, 7, 9))
    assert MODEL.probability(child(), father) < MODEL.review_threshold


def test_blocking_keys_find_swapped_days_and_names():
    keys = set(mt.blocking_keys(child()))
    assert keys & set(mt.blocking_keys(child(dob=date(2014, 7, 3)), query=True))
    assert keys & set(
        mt.blocking_keys(child(given_name_text="Okafor", surname_text="William"), query=True)
    )


@pytest.mark.parametrize("words", ["NFA", "no fixed abode", "UNKNOWN", "N/A", "none"])
def test_words_in_the_postcode_are_no_postcode(words):
    assert mt.postcode(words) is None
    assert mt.postcode_level(child(postcode_text=words), child(postcode_text=words)) == mt.NULL


def test_a_postcode_from_abroad_files_whole_with_the_date_of_birth():
    """Key E is the date of birth and the postcode district; a postcode that is not a UK one
    has no district, so it files whole: a missing given name and a mistyped surname still find
    the record."""
    abroad = {"postcode_text": "3496"}
    filed = set(mt.blocking_keys(child(**abroad)))
    mistyped = child(**abroad, given_name_text="", surname_text="Ukafor")
    assert filed & set(mt.blocking_keys(mistyped, query=True))
    assert not filed & set(mt.blocking_keys(child(postcode_text="3497", given_name_text="",
                                                  surname_text="Ukafor"), query=True))  # fmt: skip


def test_a_model_with_missing_levels_is_refused():
    params = mt.load_default_params()
    del params["comparisons"]["sex"]["exact"]
    with pytest.raises(mt.ModelError):
        mt.MatchModel(params)


@pytest.mark.parametrize(
    "changes",
    [
        {"given_name_text": "Will"},
        {"surname_text": "Okafur"},
        {"dob": date(2014, 7, 3)},
        {"sex": "female"},
        {"postcode_text": "E8 1DZ"},
        {"address_text": "14 Albion Road"},
        {"nhs": "9434765919"},
        {"pnc": "14/123456A"},
    ],
)
def test_records_sent_between_processes_stay_equal_and_any_difference_tells(changes):
    import pickle

    sent = pickle.loads(pickle.dumps(child()))  # as a file import's checking process sends it
    assert sent == child() and hash(sent) == hash(child()) and sent is not child()
    assert sent.given is not child().given and sent.given.keys == child().given.keys
    other = child(**changes)
    assert other != sent and hash(other) != hash(sent)
    # A record made from another by replace works out its own hash, not the one it came from.
    import dataclasses

    replaced = dataclasses.replace(sent, sex="female")
    assert replaced == child(sex="female") and hash(replaced) == hash(child(sex="female"))


def test_equal_records_are_one_object_once_interned_and_pairs_score_as_when_first_compared():
    import pickle

    first = mt.interned(child())
    assert mt.interned(pickle.loads(pickle.dumps(child()))) is first
    near = child(given_name_text="Will", address_text="14 Albion Road")
    before = mt.rank(MODEL, first, [("p", near, 1)])
    again = mt.rank(MODEL, pickle.loads(pickle.dumps(first)), [("p", near, 1)])  # remembered
    assert [(r.probability, r.levels) for r in again] == [(r.probability, r.levels) for r in before]
    assert before[0].levels == mt.compare(first, near)
    assert before[0].probability == MODEL.probability(first, near)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"given_name_text": "Mr John", "surname_text": "Smith-Jones"},
        {"given_name_text": "Zoë", "surname_text": "O'Brien"},
        {"given_name_text": "Мухаммед", "surname_text": "Łukasiewicz"},
        {"given_name_text": "Unknown", "surname_text": ""},
        {"given_name_text": "", "surname_text": "van der Berg"},
        {"dob": (2014, 3, None)},
        {"dob": (2014, None, None)},
        {"dob": mt.NO_DOB},
        {"postcode_text": "E8"},
        {"postcode_text": "75001"},
        {"postcode_text": "NFA"},
        {"postcode_text": "sw1a1aa"},
        {"address_text": ""},
        {"sex": "", "nhs": "9434765919", "pnc": "14/123456A"},
    ],
)
def test_a_record_sent_as_its_parts_is_made_again_equal(changes):
    import pickle

    record = child(**changes)
    parts = pickle.loads(pickle.dumps(mt.record_parts(record)))  # as the checking process sends
    again = mt.record_from_parts(parts)
    assert again == record and hash(again) == hash(record)
    assert (again.given, again.surname, again.postcode) == (
        record.given,
        record.surname,
        record.postcode,
    )
    assert filed_and_looked_up(again) == filed_and_looked_up(record)
    assert mt.record_from_parts(mt.record_parts(record)) is again  # made once


@given(
    given_name=st.text(max_size=30),
    surname=st.text(max_size=30),
    postcode=st.text(alphabet="ABCEHNSW0123456789 -/", max_size=9),
)
def test_any_names_and_postcode_survive_being_sent_as_parts(given_name, surname, postcode):
    record = rec(given_name_text=given_name, surname_text=surname, postcode_text=postcode)
    again = mt.record_from_parts(mt.record_parts(record))
    assert again == record
    assert filed_and_looked_up(again) == filed_and_looked_up(record)


def filed_and_looked_up(record):
    keys = mt._key_sets(record)
    return sorted(keys.file), keys.narrow, keys.broad
