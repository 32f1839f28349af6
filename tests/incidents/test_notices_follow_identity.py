"""A child's notices follow the child's records when identity changes: a merge, an undone
merge, or a reviewer taking a provisionally linked record away."""

import pytest

from childfirst.accounts.models import Role
from childfirst.audit.services import SYSTEM
from childfirst.incidents.models import Notice
from childfirst.incidents.services import record_incident
from childfirst.people import services as people
from childfirst.people.models import ReviewPair
from tests.builders import make_user
from tests.incidents.builders import FILE_IMPORT, payload, person

pytestmark = pytest.mark.django_db


def incident_with_child(child: dict, victim=("Amara", "1990-04-12"), **overrides):
    given_name, date_of_birth = victim
    adult = person("victim", given_name=given_name, date_of_birth=date_of_birth)
    data = payload(people=[adult, person("present", **child)], questionnaires=[], **overrides)
    return record_incident(payload=data, received_from=FILE_IMPORT).incident


def notice_of(incident) -> Notice:
    return Notice.objects.get(incident=incident, involvement__isnull=False)


def test_a_merge_moves_the_merged_childs_notices_and_undo_moves_them_back():
    first = incident_with_child({"given_name": "Tobi", "date_of_birth": "2016-09-03"})
    # Different enough (another date of birth, another postcode) to be a new person.
    second = incident_with_child(
        {
            "given_name": "Toby",
            "surname": "Exampel",
            "date_of_birth": "2016-03-09",
            "postcode": "N1 9GU",
            "address": "3 Other Street",
        },  # fmt: skip
        victim=("Grace", "1985-01-30"),
        location={"address": "3 Other Street, London", "postcode": "N1 9GU"},
    )
    one, two = notice_of(first), notice_of(second)
    assert one.person_id != two.person_id
    merge = people.merge_persons(survivor=one.person, merged=two.person, by=SYSTEM)
    two.refresh_from_db()
    assert two.person_id == one.person_id

    people.undo_merge(merge=merge, by=SYSTEM, reason="Different children")
    two.refresh_from_db()
    assert two.person_id == merge.merged_id


def test_rejecting_a_provisional_link_gives_the_childs_notice_to_the_new_person():
    child = {"given_name": "William", "date_of_birth": "2016-09-03"}
    first = incident_with_child({**child, "nhs_number": "9434765919"})
    # One typo in the given name: linked, but only provisionally (as in tests/people).
    second = incident_with_child({**child, "given_name": "Wiliam"})
    pair = ReviewPair.objects.get(mention__involvement__incident=second)
    assert notice_of(second).person_id == notice_of(first).person_id
    reviewer = make_user(role=Role.DESK_RESEARCHER)
    people.reject_pair(pair=pair, by=reviewer, reason="A cousin of the same age")
    moved = notice_of(second)
    assert moved.person_id != notice_of(first).person_id
    assert moved.person_id == moved.involvement.mention.person_id
