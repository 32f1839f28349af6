"""Splink trains the online scorer's own levels; `identity train` stores a version that the
scorer then uses; `identity rebuild` merges what belongs together and nothing else."""

import copy
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from childfirst.audit.models import AccessLogEntry, Action
from childfirst.audit.services import SYSTEM
from childfirst.people import matching as mt
from childfirst.people import synthetic, training
from childfirst.people.models import (
    IdentityModel,
    MatchStatus,
    Mention,
    Merge,
    Person,
    ReviewPair,
    ReviewStatus,
)
from childfirst.people.services import MentionInput, merge_persons, resolve_mentions, undo_merge
from tests.people.helpers import SAM, incident_ref, mention

pytestmark = pytest.mark.django_db


def synthetic_mentions(n_persons, seed):
    inputs = []
    for row in synthetic.person_records(n_persons, seed=seed):
        dob = mt.parse_dob(row["date_of_birth"])
        inputs.append(
            MentionInput(
                source_system="SYNTH",
                source_reference=row["record_id"],
                given_name=row["given_name"],
                surname=row["surname"],
                date_of_birth=date(*dob) if dob[2] else None,
                date_of_birth_text=row["date_of_birth"],
                sex=row["sex"],
                postcode=row["postcode"],
                address=row["address"],
                nhs_number=row["nhs_number"],
                pnc_id=row["pnc_id"],
            )
        )
    return inputs


def records(n_persons, seed):
    mapping = {k: k for k in ("given_name", "surname", "date_of_birth", "sex", "postcode",
                              "address", "nhs_number", "pnc_id")}  # fmt: skip
    from childfirst.people.dedupe import record_from_row

    return [record_from_row(r, mapping) for r in synthetic.person_records(n_persons, seed=seed)]


def test_splink_puts_every_pair_in_the_same_level_as_the_online_scorer():
    recs = records(600, seed=5)
    table = training.table_of((i, r, "") for i, r in enumerate(recs))
    params = mt.load_default_params()
    compared = 0
    for left, right, levels in training.predict_pairs(table, params, threshold=0.5):
        assert levels == mt.compare(recs[left], recs[right]), (recs[left], recs[right])
        compared += 1
    assert compared > 500


def test_splink_and_the_scorer_agree_on_names_swapped_with_a_typing_slip():
    """The swapped level with a slip comes only after every other level, in SQL as in Python."""
    from datetime import date

    def person(given, surname):
        return mt.make_record(given_name_text=given, surname_text=surname,
                              dob=mt.dob_from_date(date(1970, 4, 9)), postcode_text="E8 1DY",
                              address_text="40 Rumker Road")  # fmt: skip

    recs = [
        person("Brooke", "Wyllie"),
        person("Wylile", "Brooke"),  # swapped, with a slip
        person("Brook", "Wyllie"),  # a slip, not swapped
        person("Wyllie", "Brooke"),  # swapped exactly
        person("Chelsea", "Wyllie"),  # another given name
    ]
    table = training.table_of((i, r, "") for i, r in enumerate(recs))
    found = {}
    for left, right, levels in training.predict_pairs(table, mt.load_default_params(),
                                                      threshold=0.5):  # fmt: skip
        assert levels == mt.compare(recs[left], recs[right]), (recs[left], recs[right])
        found[frozenset((left, right))] = levels
    assert found[frozenset((0, 1))][:2] == (mt.G_SWAPPED, mt.S_SWAPPED)
    assert found[frozenset((0, 2))][:2] == (mt.G_JW92, mt.S_EXACT)
    assert found[frozenset((0, 3))][:2] == (mt.G_SWAPPED, mt.S_SWAPPED)


def test_identity_train_stores_a_new_version_that_the_scorer_uses():
    resolve_mentions(mentions=synthetic_mentions(400, seed=9))
    out = StringIO()
    call_command("identity", "train", "--max-pairs", "200000", stdout=out)
    stored = IdentityModel.objects.get(is_active=True)
    assert f"Identity model {stored.version} trained on" in out.getvalue()
    assert stored.params["comparisons"]["date_of_birth"]["exact"]["m"] > 0.5
    assert stored.params["thresholds"] == mt.load_default_params()["thresholds"]
    assert stored.summary["records"] > 400
    later = resolve_mentions(mentions=[mention(**SAM)])[0]
    assert later.mention.model_version == stored.version
    # Training again keeps the old version and makes the new one active.
    call_command("identity", "train", "--max-pairs", "200000", "--seed", "7", stdout=StringIO())
    assert IdentityModel.objects.count() == 2
    assert IdentityModel.objects.filter(is_active=True).exclude(pk=stored.pk).exists()
    # An older version can be put back.
    out = StringIO()
    call_command("identity", "models", "--activate", stored.version, stdout=out)
    assert IdentityModel.objects.get(is_active=True) == stored
    listed = StringIO()
    call_command("identity", "models", stdout=listed)
    assert f"* {stored.version}" in listed.getvalue()


def test_identity_train_with_nothing_to_train_on_says_so():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not enough mentions"):
        call_command("identity", "train", stdout=StringIO())


def strict():
    """A model that believes no two records match: every mention becomes a new person."""
    params = copy.deepcopy(mt.load_default_params())
    params["probability_two_random_records_match"] = 1e-30
    return mt.MatchModel(params, version="strict")


def test_rebuild_merges_persons_that_belong_together_and_keeps_twins_apart():
    ref = incident_ref()
    made = resolve_mentions(
        mentions=[
            mention(**SAM),
            mention(**SAM),
            mention(**{**SAM, "given_name": "Harry"}),  # a twin
            mention(source_reference=ref, source_person_ref="P1", **SAM),
            mention(source_reference=ref, source_person_ref="P2", **SAM),
        ],
        model=strict(),
    )
    assert len({r.person.pk for r in made}) == 5
    out = StringIO()  # rebuild as the system
    call_command("identity", "rebuild", stdout=out)
    assert "Merged 2 pairs of persons." in out.getvalue()
    ids = [Mention.objects.get(pk=r.mention.pk).person_id for r in made]
    assert ids[0] == ids[1]  # the same child
    assert ids[2] != ids[0]  # the twin
    assert ids[3] != ids[4]  # two people in one incident, whatever their names
    assert len(set(ids)) == 3  # one of the incident's two joins the child; the other cannot
    merge = Merge.objects.first()
    assert merge.merged_by is None and "rebuild" in merge.reason
    entry = AccessLogEntry.objects.filter(action=Action.MERGE).first()
    assert entry.actor_kind == "system"
    assert entry.justification.startswith("Identity")
    # Undoing it puts the mentions back.
    undo_merge(merge=merge, by=SYSTEM)
    assert Person.objects.get(pk=merge.merged_id).merged_into_id is None


def test_rebuild_dry_run_changes_nothing():
    resolve_mentions(mentions=[mention(**SAM), mention(**SAM)], model=strict())
    out = StringIO()
    call_command("identity", "rebuild", "--dry-run", stdout=out)
    assert "Would merge 1 pair of persons." in out.getvalue()
    assert not Merge.objects.exists()


def test_rebuild_puts_a_mention_it_would_not_have_joined_to_a_reviewer():
    sam = resolve_mentions(mentions=[mention(**SAM), mention(**SAM)], model=strict())
    merge_persons(survivor=sam[0].person, merged=sam[1].person, by=SYSTEM)
    other = {**SAM, "given_name": "Daniel", "date_of_birth": date(2012, 11, 2)}
    stray = resolve_mentions(mentions=[mention(**other)], model=strict())[0]
    # An older model (or a bug) once linked Daniel's record to Sam outright.
    Mention.objects.filter(pk=stray.mention.pk).update(
        person=sam[0].person, match_status=MatchStatus.LINKED
    )

    out = StringIO()
    call_command("identity", "rebuild", stdout=out)
    pair = ReviewPair.objects.get(mention=stray.mention)
    assert pair.person_id == sam[0].person.pk and pair.status == ReviewStatus.OPEN
    assert pair.probability < 0.5
    assert Mention.objects.get(pk=stray.mention.pk).person_id == sam[0].person.pk  # not split
    assert "Sent 1 mention to review that it would not have put with their person." in (
        out.getvalue()
    )
    # A record a reviewer put there is never doubted.
    ReviewPair.objects.all().delete()
    Mention.objects.filter(pk=stray.mention.pk).update(match_status=MatchStatus.MANUAL)
    call_command("identity", "rebuild", stdout=StringIO())
    assert not ReviewPair.objects.exists()
