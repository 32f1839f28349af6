"""resolve_mentions: exact identifiers first, then probabilistic matching, in one batch."""

from datetime import date

import pytest
from django.test import override_settings

from childfirst.people.models import BlockingKey, MatchStatus, Mention, Person, ReviewPair
from childfirst.people.services import resolve_mentions
from tests.people.helpers import SAM, incident_ref, mention, resolve_one

pytestmark = pytest.mark.django_db

BOTH_INDEXES = pytest.mark.parametrize(
    "index_mode", ["memory", "database"], ids=["memory index", "database index"]
)


@pytest.fixture
def index_mode(request):
    with override_settings(CHILDFIRST_IDENTITY_INDEX=request.param):
        yield request.param


def test_a_new_person_is_created_with_the_mentions_details():
    result = resolve_one(**SAM)
    assert result.status == MatchStatus.NEW
    assert result.person.given_name == "William"
    assert result.mention.person == result.person
    assert BlockingKey.objects.filter(person=result.person).count() >= 5


@BOTH_INDEXES
def test_a_blocking_key_of_a_person_who_is_gone_finds_nothing(index_mode):
    # The database does not check blocking keys' person (models.BlockingKey): a key left behind
    # by a person removed outside Django must not stop resolution or link to no one.
    from childfirst.people import matching as mt
    from childfirst.people.resolver import record_of

    keys = mt.key_sets(record_of(**{k: v for k, v in SAM.items()})).file
    BlockingKey.objects.bulk_create([BlockingKey(key=key, person_id=987654) for key in keys])
    result = resolve_one(**SAM)
    assert result.status == MatchStatus.NEW
    assert result.person.pk != 987654
    assert Person.objects.count() == 1


def test_a_persons_blocking_keys_go_with_the_person():
    result = resolve_one(**SAM)
    person = result.person
    Mention.objects.filter(person=person).delete()
    person.delete()
    assert not BlockingKey.objects.filter(person_id=person.pk).exists()


def test_pnc_id_links_whatever_the_names_say():
    first = resolve_one(given_name="Sam", surname="Example", pnc_id="2019/12345A")
    again = resolve_one(given_name="Someone", surname="Else", pnc_id="2019/0012345A")
    other = resolve_one(given_name="Sam", surname="Example", pnc_id="2019/0012346B")
    assert first.person.pnc_id == "2019/0012345A"
    assert again.person == first.person
    assert again.status == MatchStatus.EXACT_IDENTIFIER
    assert again.probability == 1.0
    assert other.person != first.person


def test_a_valid_nhs_number_links_and_an_invalid_one_is_ignored():
    first = resolve_one(given_name="Amara", surname="Example", nhs_number="943 476 5919")
    again = resolve_one(given_name="Amarah", surname="Exampel", nhs_number="9434765919")
    assert again.person == first.person
    assert again.status == MatchStatus.EXACT_IDENTIFIER
    other = resolve_one(given_name="Zed", surname="Other", nhs_number="9434765918")
    assert other.person != first.person
    assert other.person.nhs_number == ""


@BOTH_INDEXES
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"given_name": "Bill"},
        {"given_name": "Will", "address": "3 Canal Street", "postcode": "N1 2AB"},
        {"date_of_birth": date(2014, 7, 3)},
        {"surname": "Okafr"},
        {"surname": "Okafor-Mensah"},
        {"given_name": "Okafor", "surname": "William"},
        {"address": "22 Station Road, London", "postcode": "SE15 4QQ"},
        {"date_of_birth": None, "date_of_birth_text": "2014"},
    ],
    ids=[
        "same",
        "nickname",
        "nickname moved",
        "day month swap",
        "surname typo",
        "double-barrelled",
        "names swapped",
        "moved",
        "year only",
    ],  # fmt: skip
)
def test_the_same_child_recorded_differently_is_linked(index_mode, changes):
    first = resolve_one(**SAM)
    again = resolve_one(**{**SAM, **changes})
    assert again.person == first.person
    assert again.status in (MatchStatus.LINKED, MatchStatus.PROVISIONAL)


def test_transliteration_links():
    first = resolve_one(**{**SAM, "given_name": "Mohammed"})
    again = resolve_one(**{**SAM, "given_name": "Muhammad", "address": "", "postcode": ""})
    assert again.person == first.person


def test_a_typo_in_a_given_name_is_linked_for_review_not_on_trust():
    first = resolve_one(**SAM)
    again = resolve_one(**{**SAM, "given_name": "Wiliam"})
    assert again.person == first.person
    assert again.status == MatchStatus.PROVISIONAL
    pair = ReviewPair.objects.get(mention=again.mention)
    assert pair.person == first.person
    assert pair.explanation["fields"][0]["words"] == "very similar spelling"


@BOTH_INDEXES
def test_twins_are_never_linked(index_mode):
    first = resolve_one(**SAM)
    twin = resolve_one(**{**SAM, "given_name": "Harry"})
    girl = resolve_one(**{**SAM, "given_name": "Wilma", "sex": "female"})
    assert len({first.person.pk, twin.person.pk, girl.person.pk}) == 3
    assert twin.status == MatchStatus.NEW
    assert not ReviewPair.objects.exists()


def test_a_parent_and_child_with_the_same_name_are_not_linked():
    child = resolve_one(**SAM)
    father = resolve_one(**{**SAM, "date_of_birth": date(1986, 11, 2)})
    assert father.person != child.person
    assert father.status == MatchStatus.NEW


def test_two_people_in_one_incident_are_never_linked_even_with_one_name():
    reference = incident_ref()
    twins = resolve_mentions(
        mentions=[
            mention(source_reference=reference, source_person_ref="P1", **SAM),
            mention(source_reference=reference, source_person_ref="P2", **SAM),
        ]
    )
    assert twins[0].person != twins[1].person
    # Later, a third record of the same incident cannot join either of them either.
    late = resolve_one(source_reference=reference, source_person_ref="P3", **SAM)
    assert late.person not in (twins[0].person, twins[1].person)


def test_mentions_of_one_batch_from_different_incidents_match_each_other_and_the_stored():
    stored = resolve_one(**SAM)
    batch = resolve_mentions(
        mentions=[
            mention(given_name="Ada", surname="Lovelace", date_of_birth=date(2015, 12, 10)),
            mention(given_name="Ada", surname="Lovelace", date_of_birth=date(2015, 12, 10)),
            mention(**{**SAM, "given_name": "Bill"}),
        ]
    )
    assert batch[0].status == MatchStatus.NEW
    assert batch[1].person == batch[0].person
    assert batch[1].status == MatchStatus.LINKED
    assert batch[2].person == stored.person
    assert Person.objects.count() == 2


def test_identifiers_within_one_batch_link():
    batch = resolve_mentions(
        mentions=[
            mention(given_name="Kofi", surname="Mensah", pnc_id="2019/0012345A"),
            mention(given_name="K", surname="Mensa", pnc_id="2019/12345A"),
        ]
    )
    assert batch[1].person == batch[0].person
    assert batch[1].status == MatchStatus.EXACT_IDENTIFIER


def test_thresholds_decide_linked_provisional_and_new():
    first = resolve_one(**SAM)
    linked = resolve_one(**SAM)
    provisional = resolve_one(
        **{**SAM, "given_name": "Bill", "address": "3 Canal Street", "postcode": "N1 1AA"}
    )
    new = resolve_one(**{**SAM, "given_name": "Harry"})
    assert linked.status == MatchStatus.LINKED and linked.probability >= 0.95
    assert provisional.status == MatchStatus.PROVISIONAL
    assert provisional.person == first.person
    assert 0.5 <= provisional.probability < 0.95
    assert new.status == MatchStatus.NEW
    assert ReviewPair.objects.filter(mention=provisional.mention, status="open").exists()
    assert not ReviewPair.objects.filter(mention=linked.mention).exists()
    assert provisional.reasons and provisional.reasons[0].startswith("Given name:")
    assert Mention.objects.get(pk=linked.mention.pk).model_version == "default"


def test_a_link_fills_what_the_person_lacked():
    first = resolve_one(**{**SAM, "date_of_birth": None, "date_of_birth_text": "2014"})
    assert first.person.date_of_birth is None
    again = resolve_one(**{**SAM, "nhs_number": "9434765919"})
    assert again.person == first.person
    person = Person.objects.get(pk=first.person.pk)
    assert person.date_of_birth == date(2014, 3, 7)
    assert person.nhs_number == "9434765919"


def test_a_mention_stored_by_another_process_is_found_by_catching_up():
    from childfirst.people.index import get_index

    first = resolve_one(**SAM)
    index = get_index()
    assert index.loaded
    index.reset()  # as if this process had never seen it
    again = resolve_one(**{**SAM, "given_name": "Bill"})
    assert again.person == first.person


def test_a_child_is_not_joined_to_a_parent_through_a_record_without_a_date_of_birth():
    """Gary Burton senior (1987) and a record of 'Gary Burton' with no date of birth may be one
    person; Gary junior (2012) at the same address looks like that record, but he is a
    generation apart from the person it belongs to, so he must not join them."""
    gary = {**SAM, "given_name": "Gary", "surname": "Burton"}
    father = resolve_one(**{**gary, "date_of_birth": date(1987, 3, 27)})
    no_date = resolve_one(**{**gary, "date_of_birth": None})
    assert no_date.person.pk == father.person.pk
    son = resolve_one(**{**gary, "date_of_birth": date(2012, 7, 16)})
    assert son.person.pk != father.person.pk
    assert son.status == MatchStatus.NEW


def test_a_year_with_one_mistyped_digit_is_not_taken_for_another_generation():
    from childfirst.people.matching import other_person
    from childfirst.people.resolver import record_of

    def born(day):
        return record_of(given_name="Mark", surname="Lamb", date_of_birth=day)

    assert not other_person(born(date(2013, 7, 10)), born(date(2023, 7, 10)))
    assert not other_person(born(date(2013, 7, 10)), born(date(2016, 7, 10)))
    assert other_person(born(date(1987, 3, 27)), born(date(2012, 7, 16)))
    assert other_person(born(date(1999, 10, 19)), born(date(2016, 8, 24)))


def test_people_scored_ahead_are_linked_as_if_scored_now_and_not_scored_twice(monkeypatch):
    """A file import scores the next batch's people while the batch before is written."""
    from childfirst.people import matching, resolver
    from childfirst.people.services import prepare_mention, rank_mentions_ahead

    first = resolve_one(**SAM)
    later = mention(**{**SAM, "given_name": "Bill"})
    record, keys, _ = prepare_mention(later)
    rank_mentions_ahead(prepared=[(record, keys)])
    scored = []
    real_rank = matching.rank
    monkeypatch.setattr(
        resolver.mt, "rank", lambda model, r, c: scored.append(r) or real_rank(model, r, c)
    )

    again = resolve_mentions(mentions=[later])[0]

    assert again.person == first.person and again.status == MatchStatus.LINKED
    assert record not in scored  # the scores worked out ahead were used


def test_scores_worked_out_ahead_are_not_used_once_someone_new_is_known():
    from childfirst.people.services import prepare_mention, rank_mentions_ahead

    resolve_one(given_name="Someone", surname="Else", date_of_birth=date(1980, 1, 1))
    later = mention(**{**SAM, "given_name": "Bill"})
    record, keys, _ = prepare_mention(later)
    rank_mentions_ahead(prepared=[(record, keys)])  # no one like him is known yet
    # Now he is: another process stores him (this one's index catches up when it next looks).
    sam = Person.objects.create(**{k: v for k, v in SAM.items()})
    Mention.objects.create(person=sam, source_system="NICHE", source_reference="ELSEWHERE", **SAM)

    again = resolve_mentions(mentions=[later])[0]

    assert again.person == sam
