"""The review queue: confirm, reject, merge, undo; every decision and every read logged."""

import copy

import pytest

from childfirst.accounts.models import Role
from childfirst.audit.models import AccessLogEntry, Action
from childfirst.people import matching as mt
from childfirst.people.models import (
    BlockingKey,
    MatchStatus,
    Mention,
    Merge,
    Person,
    ReviewPair,
    ReviewStatus,
)
from childfirst.people.services import resolve_mentions
from tests.people.helpers import SAM, mention, resolve_one

pytestmark = pytest.mark.django_db


def provisional_pair():
    first = resolve_one(**{**SAM, "nhs_number": "9434765919"})
    again = resolve_one(**{**SAM, "given_name": "Wiliam"})
    assert again.status == MatchStatus.PROVISIONAL
    return first, again, ReviewPair.objects.get(mention=again.mention)


def duplicate_pair():
    """Person A, and person B made by a model that links nothing; a third record looks like
    both, so it joins one and the other is put to a reviewer as a possible duplicate."""
    params = copy.deepcopy(mt.load_default_params())
    params["probability_two_random_records_match"] = 1e-30
    a = resolve_one(**{**SAM, "address": "", "postcode": "", "nhs_number": "9434765919"})
    b = resolve_mentions(
        mentions=[mention(**{**SAM, "ethnicity": "Black or Black British: African"})],
        model=mt.MatchModel(params, version="strict"),
    )[0]
    third = resolve_one(**SAM)
    pair = ReviewPair.objects.get(mention=third.mention)
    assert {pair.person_id, third.person.pk} == {a.person.pk, b.person.pk}
    return a, b, third, pair


def page(client, pair):
    return client.get(f"/people/review/{pair.pk}")


def decide(client, pair, decision, reason=""):
    return client.post(f"/people/review/{pair.pk}", {"decision": decision, "reason": reason})


def test_the_queue_lists_open_pairs_with_the_safeguard_that_held_each_back(signed_in):
    _, _, pair = provisional_pair()
    client, _ = signed_in(Role.DESK_RESEARCHER)
    html = client.get("/people/review").content.decode()
    assert "Linked provisionally" in html
    assert "1 pair waiting" in html
    safeguards = pair.explanation["safeguards"]
    assert safeguards
    assert all(safeguard in html for safeguard in safeguards)


def test_the_pair_page_shows_both_records_and_each_fields_weight_and_logs_the_read(signed_in):
    first, again, pair = provisional_pair()
    client, user = signed_in(Role.DESK_RESEARCHER)
    html = page(client, pair).content.decode()
    assert "Wiliam" in html and "William" in html
    assert "Given name: very similar spelling" in html
    assert "Date of birth: the same" in html
    assert "+14.5" in html
    reads = AccessLogEntry.objects.filter(action=Action.READ, user=user)
    assert reads.count() == 1  # one person: the mention is linked to it
    assert reads.get().justification == f"Identity review pair {pair.pk}"
    assert reads.get().person_id == str(first.person.pk)


def test_the_pair_page_says_the_match_when_linked_and_against_the_closest_record_now(signed_in):
    # Person first recorded as "Wiliam"; "William" linked provisionally (the pair); a later
    # "William" with an NHS number linked too. The queue shows the match when the pair was made;
    # the page says so, and says that the table compares with the closest record now.
    first = resolve_one(**{**SAM, "given_name": "Wiliam"})
    again = resolve_one(**SAM)
    assert again.status == MatchStatus.PROVISIONAL
    pair = ReviewPair.objects.get(mention=again.mention)
    later = resolve_one(**{**SAM, "nhs_number": "9434765919"})
    assert later.person == first.person
    client, _ = signed_in(Role.DESK_RESEARCHER)
    html = " ".join(page(client, pair).content.decode().split())
    linked = round(pair.probability * 100)
    assert f"with a match of {linked}%" in html
    assert f"{later.mention.source_reference}" in html  # the closest record is the later one
    assert "Compared now with person" in html and "closest record other than this one" in html
    assert "the identity model Child First comes with" in html
    assert "NHS number or PNC ID: missing from one or both" in html


def test_confirm_keeps_the_link_and_is_logged(signed_in):
    first, again, pair = provisional_pair()
    client, user = signed_in(Role.DESK_RESEARCHER)
    response = decide(client, pair, "confirm", "Same school and mother")
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.CONFIRMED and pair.decided_by == user
    assert Mention.objects.get(pk=again.mention.pk).match_status == MatchStatus.MANUAL
    entry = AccessLogEntry.objects.get(action=Action.UPDATE, user=user)
    assert entry.justification == f"Identity review pair {pair.pk}: Same school and mother"
    assert entry.details["decision"] == "confirmed"


def test_reject_moves_the_record_to_a_new_person(signed_in):
    first, again, pair = provisional_pair()
    client, user = signed_in(Role.DESK_SUPERVISOR)
    decide(client, pair, "reject", "Different child: twin")
    moved = Mention.objects.get(pk=again.mention.pk)
    assert moved.person_id != first.person.pk
    assert moved.person.given_name == "Wiliam"
    assert BlockingKey.objects.filter(person=moved.person).exists()
    entry = AccessLogEntry.objects.get(action=Action.UPDATE, user=user)
    assert entry.details["moved_from"] == first.person.pk
    # The new person is found again by the next record of it.
    later = resolve_one(**{**SAM, "given_name": "Wiliam"})
    assert later.person.pk in (moved.person_id, first.person.pk)


def test_a_decided_pair_cannot_be_decided_again(signed_in):
    _, _, pair = provisional_pair()
    client, _ = signed_in(Role.DESK_RESEARCHER)
    decide(client, pair, "confirm")
    response = decide(client, pair, "reject")
    assert response.status_code == 200
    assert "This pair has already been decided" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.CONFIRMED


def test_a_decision_must_be_chosen(signed_in):
    _, _, pair = provisional_pair()
    client, _ = signed_in(Role.DESK_RESEARCHER)
    html = decide(client, pair, "").content.decode()
    assert "There is a problem" in html
    assert "Select whether this is the same person" in html


def test_merge_then_undo_puts_everything_back_exactly(signed_in):
    a, b, third, pair = duplicate_pair()
    before = {m.pk: m.person_id for m in Mention.objects.all()}
    survivor_before = Person.objects.get(pk=min(a.person.pk, b.person.pk))
    client, user = signed_in(Role.DESK_RESEARCHER)
    assert "Are these two persons one?" in page(client, pair).content.decode()
    assert AccessLogEntry.objects.filter(action=Action.READ, user=user).count() == 2
    decide(client, pair, "merge", "Same NHS number on the health record")
    merge = Merge.objects.get()
    assert Person.objects.get(pk=merge.merged_id).merged_into_id == merge.survivor_id
    assert set(Mention.objects.values_list("person_id", flat=True)) == {merge.survivor_id}
    logged = AccessLogEntry.objects.get(action=Action.MERGE, user=user)
    assert logged.justification.startswith(f"Identity review pair {pair.pk}")

    # A researcher may not undo it; a supervisor may.
    assert client.get(f"/people/merges/{merge.pk}/undo").status_code == 403
    supervisor, boss = signed_in(Role.DESK_SUPERVISOR)
    assert "Undo" in supervisor.get("/people/merges").content.decode()
    response = supervisor.post(f"/people/merges/{merge.pk}/undo", {"reason": "Wrong merge"})
    assert response.status_code == 302
    assert {m.pk: m.person_id for m in Mention.objects.all()} == before
    survivor = Person.objects.get(pk=survivor_before.pk)
    for field in ("given_name", "surname", "date_of_birth", "ethnicity", "nhs_number",
                  "postcode", "address"):  # fmt: skip
        assert getattr(survivor, field) == getattr(survivor_before, field), field
    assert Person.objects.get(pk=merge.merged_id).merged_into_id is None
    undone = AccessLogEntry.objects.get(action=Action.UNMERGE, user=boss)
    assert "Wrong merge" in undone.justification
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.OPEN
    # Undoing twice is refused.
    again = supervisor.post(f"/people/merges/{merge.pk}/undo", {"reason": "Again"})
    assert "already been undone" in again.content.decode()


def test_undo_needs_a_reason(signed_in):
    a, b, third, pair = duplicate_pair()
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    decide(client, pair, "merge")
    merge = Merge.objects.get()
    html = client.post(f"/people/merges/{merge.pk}/undo", {"reason": ""}).content.decode()
    assert "Enter why you are undoing this merge" in html


@pytest.mark.parametrize("role", [Role.FRONTLINE_OFFICER, Role.PARTNER, Role.AUDITOR])
def test_only_the_desk_may_review(signed_in, role):
    _, _, pair = provisional_pair()
    client, _ = signed_in(role)
    assert page(client, pair).status_code == 403
    assert decide(client, pair, "confirm").status_code == 403
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.OPEN
    assert not AccessLogEntry.objects.filter(action=Action.READ).exists()


def test_the_queue_logs_each_person_whose_name_it_shows(signed_in):
    first, again, pair = provisional_pair()
    client, user = signed_in(Role.DESK_RESEARCHER)
    client.get("/people/review")
    reads = AccessLogEntry.objects.filter(action=Action.READ, user=user)
    assert set(reads.values_list("person_id", flat=True)) == {str(first.person.pk)}
    assert set(reads.values_list("justification", flat=True)) == {"Identity review queue"}


def test_the_merges_list_and_the_undo_page_log_the_persons_they_show(signed_in):
    a, b, third, pair = duplicate_pair()
    client, researcher = signed_in(Role.DESK_RESEARCHER)
    decide(client, pair, "merge", "Same child: same school and carer")
    merge = Merge.objects.get()
    supervisor_client, supervisor = signed_in(Role.DESK_SUPERVISOR)
    supervisor_client.get("/people/merges")
    supervisor_client.get(f"/people/merges/{merge.pk}/undo")
    reads = AccessLogEntry.objects.filter(action=Action.READ, user=supervisor)
    both = {str(a.person.pk), str(b.person.pk)}
    assert (
        set(reads.filter(justification="Identity merges list").values_list("person_id", flat=True))
        == both
    )
    assert (
        set(
            reads.filter(justification=f"Undo merge {merge.pk}").values_list("person_id", flat=True)
        )
        == both
    )
