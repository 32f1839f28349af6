"""People: resolve each mention of a person to one Person, and let people review, merge and
undo merges.

`resolve_mentions` is the contract the rest of the system uses (intake of one incident, or a
bulk batch): exact identifiers first, then probabilistic matching (childfirst.people.matching)
on candidates from blocking keys, in the caller's transaction. How it works: docs/identity.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from childfirst.audit.models import Action
from childfirst.audit.services import (
    SYSTEM,
    record_access,
    record_names_shown,
)
from childfirst.dates import london_date
from childfirst.people import matching as mt
from childfirst.people import resolver
from childfirst.people.index import get_index
from childfirst.people.models import (
    BlockingKey,
    IdentityModel,
    MatchStatus,
    Mention,
    Merge,
    Person,
    ReviewPair,
    ReviewStatus,
    Sex,
)
from childfirst.people.signals import mentions_moved


@dataclass(frozen=True)
class MentionInput:
    """A person as one record describes them."""

    source_system: str
    source_reference: str
    source_person_ref: str = ""
    given_name: str = ""
    surname: str = ""
    date_of_birth: date | None = None
    date_of_birth_text: str = ""
    recorded_age: int | None = None
    appears_under_18: bool | None = None
    sex: str = Sex.UNKNOWN
    ethnicity: str = ""
    address: str = ""
    postcode: str = ""
    nhs_number: str = ""
    pnc_id: str = ""
    # (record, key sets, fingerprint) from prepare_mention, when worked out already (in a file
    # import's checking process); resolution works them out itself when this is None.
    prepared: tuple | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Resolution:
    mention: Mention
    person: Person
    status: str
    probability: float | None = None
    reasons: list = field(default_factory=list)


def resolve_mentions(
    *, mentions: Sequence[MentionInput], model: mt.MatchModel | None = None
) -> list[Resolution]:
    """Store one Mention per input, each resolved to a Person, in the caller's transaction.

    Mentions from the same record (same source system and reference) are never linked to each
    other: two people in one incident are two people, even twins with one name. Mentions of one
    batch from different incidents can match each other and persons already stored. A
    provisional link opens a ReviewPair. `model` overrides the active IdentityModel.
    """
    return resolver.resolve(mentions, model=model)


def decide_mentions(
    *, mentions: Sequence[MentionInput], model: mt.MatchModel | None = None
) -> resolver.Decided:
    """resolve_mentions in two steps, so that a caller can read what it needs before anything
    is written: this one reads and decides, and writes nothing; store_mentions writes. Call
    store_mentions in the same transaction, with nothing written in between."""
    return resolver.decide(mentions, model=model)


def store_mentions(decided: resolver.Decided) -> list[Resolution]:
    """Store a batch decided by decide_mentions: one Resolution per mention, in order."""
    return resolver.write(decided)


def rank_mentions_ahead(*, prepared: Sequence[tuple]) -> None:
    """Score the (record, key sets) of mentions still to come (prepare_mention's first two)
    against the persons known now, so that resolving them later is quicker: a file import does
    this while its previous batch is written. Scores are used only if nothing they were worked
    out against has changed by then."""
    resolver.rank_ahead(prepared)


def prepare_mention(mention: MentionInput) -> tuple:
    """(record, key sets, fingerprint): the comparison record of a mention, the blocking keys it
    is filed and looked up under, and the fingerprint of the row it will be (index.fingerprint).
    Depends on the mention alone, never on what is stored. Reads only its source fields, names,
    date of birth (both), sex, address, postcode and identifiers: anything that has those will
    do."""
    return resolver.prepare(mention)


def age_on(*, date_of_birth: date, on: date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_child(
    *, date_of_birth: date | None, recorded_age: int | None, appears_under_18: bool | None, on: date
) -> bool:
    """Under 18 on the date that matters; with no date of birth, a recorded age or
    'appears to be under 18' counts."""
    if date_of_birth is not None:
        return age_on(date_of_birth=date_of_birth, on=on) < 18
    if recorded_age is not None:
        return recorded_age < 18
    return bool(appears_under_18)


# --------------------------------------------------------------------------------------------
# Persons
# --------------------------------------------------------------------------------------------


def current_person(person: Person) -> Person:
    """The person a merged person now lives on in (itself when not merged)."""
    seen = set()
    while person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        person = person.merged_into
    return person


def refile_blocking_keys(*, persons: Sequence[Person]) -> None:
    """Recompute the BlockingKey rows of these persons from their mentions."""
    ids = [p.pk for p in persons]
    BlockingKey.objects.filter(person_id__in=ids).delete()
    rows = Mention.objects.filter(person_id__in=ids).values_list(*resolver.MENTION_FIELDS)
    keys = set()
    for values in rows:
        row = resolver._row(values)
        keys.update((k, row.person_id) for k in mt.key_sets(row.record).file)
    BlockingKey.objects.bulk_create(
        [BlockingKey(key=k, person_id=p) for k, p in sorted(keys)], batch_size=5_000
    )


def _index_moved(mention_ids, person_id):
    """Tell this process's index where mentions now live (other processes check anyway), and
    tell higher apps (signals.mentions_moved) so what hangs off the mentions follows them."""
    mentions_moved.send(sender=Mention, mention_ids=list(mention_ids), person_id=person_id)
    index = get_index()
    with index.lock:
        for mention_id in mention_ids:
            position = index.position_of(mention_id)
            if position is not None:
                index.set_person(position, person_id)


# --------------------------------------------------------------------------------------------
# The review queue
# --------------------------------------------------------------------------------------------


class ReviewError(Exception):
    """A review decision that cannot be made (already decided, or the wrong kind of pair)."""


def open_review_pairs():
    return (
        ReviewPair.objects.filter(status=ReviewStatus.OPEN)
        .select_related("mention", "mention__person", "person")
        .order_by("-probability", "created_at", "id")
    )


def review_queue_for(*, user, limit: int = 200, request=None) -> list[ReviewPair]:
    """The open pairs a reviewer sees, with each person whose name it shows logged as read."""
    pairs = list(open_review_pairs()[:limit])
    shown = [person for pair in pairs for person in (pair.mention.person_id, pair.person_id)]
    record_names_shown(
        actor=user, person_ids=shown, justification="Identity review queue", request=request
    )
    return pairs


def merges_for(*, user, limit: int = 200, request=None) -> list[Merge]:
    """Recent merges, with each person whose name the list shows logged as read."""
    merges = list(recent_merges(limit=limit))
    shown = [person for merge in merges for person in (merge.merged_id, merge.survivor_id)]
    record_names_shown(
        actor=user, person_ids=shown, justification="Identity merges list", request=request
    )
    return merges


def merge_for_undo(*, merge_id: int, user, request=None) -> Merge | None:
    """A merge about to be undone, its two persons logged as read."""
    merge = merge_by_id(merge_id)
    if merge is not None:
        record_names_shown(
            actor=user,
            person_ids=[merge.merged_id, merge.survivor_id],
            justification=f"Undo merge {merge.pk}",
            request=request,
        )
    return merge


def review_pair_kind(pair: ReviewPair) -> str:
    """'provisional' when the mention was linked to the person on trust; 'duplicate' when the
    mention belongs to someone else and the two persons may be one."""
    mention_person = current_person(pair.mention.person)
    return "provisional" if mention_person.pk == current_person(pair.person).pk else "duplicate"


@dataclass(frozen=True)
class FieldRow:
    label: str
    left: str
    right: str
    words: str
    weight: float

    @property
    def weight_text(self) -> str:
        return f"{self.weight:+.1f}"


@dataclass(frozen=True)
class PairView:
    pair: ReviewPair
    kind: str
    mention: Mention
    left_person: Person
    right_person: Person
    right_mention: Mention | None
    rows: list[FieldRow]
    probability: float
    safeguards: list[str]
    model_version: str


FIELD_DISPLAY = {
    "given_name": lambda m: m.given_name,
    "surname": lambda m: m.surname,
    "date_of_birth": lambda m: (
        london_date(m.date_of_birth) if m.date_of_birth else m.date_of_birth_text
    ),
    "sex": lambda m: m.get_sex_display() if m.sex != Sex.UNKNOWN else "",
    "postcode": lambda m: m.postcode,
    "address": lambda m: m.address,
    "identifiers": lambda m: ", ".join(
        x
        for x in (
            f"NHS {m.nhs_number}" if m.nhs_number else "",
            f"PNC {m.pnc_id}" if m.pnc_id else "",
        )
        if x
    ),  # fmt: skip
}


def _mention_record(mention: Mention) -> mt.Record:
    return resolver.record_of(
        given_name=mention.given_name,
        surname=mention.surname,
        date_of_birth=mention.date_of_birth,
        date_of_birth_text=mention.date_of_birth_text,
        sex=mention.sex,
        postcode=mention.postcode,
        address=mention.address,
        nhs_number=mention.nhs_number,
        pnc_id=mention.pnc_id,
    )


def view_review_pair(*, pair_id: int, user, request=None) -> PairView | None:
    """A pair, side by side, with each field's contribution under the active model. Opening it
    reads two persons' records, so each is logged with 'Identity review pair N'."""
    pair = (
        ReviewPair.objects.select_related("mention", "mention__person", "person", "decided_by")
        .filter(pk=pair_id)
        .first()
    )
    if pair is None:
        return None
    kind = review_pair_kind(pair)
    left_person = current_person(pair.mention.person)
    right_person = current_person(pair.person)
    model = resolver.active_model()
    record = _mention_record(pair.mention)
    best, best_levels, best_p = None, None, -1.0
    others = Mention.objects.filter(person=right_person).exclude(pk=pair.mention_id)
    for other in others.order_by("id"):
        levels = mt.compare(record, _mention_record(other))
        probability = model.probability_from_levels(levels)
        if probability > best_p:
            best, best_levels, best_p = other, levels, probability
    rows, safeguards = [], []
    if best is not None:
        explanation = model.explain_levels(best_levels)
        safeguards = list(explanation.safeguards)
        for contribution in explanation.contributions:
            show = FIELD_DISPLAY[contribution.field]
            rows.append(
                FieldRow(
                    label=contribution.label,
                    left=show(pair.mention) or "Not recorded",
                    right=show(best) or "Not recorded",
                    words=contribution.words,
                    weight=contribution.weight,
                )
            )
    justification = f"Identity review pair {pair.pk}"
    for person in {left_person.pk: left_person, right_person.pk: right_person}.values():
        record_access(
            actor=user,
            action=Action.READ,
            subject_type="people.Person",
            subject_id=person.pk,
            subject_label=str(person),
            person_id=person.pk,
            justification=justification,
            request=request,
        )
    return PairView(
        pair=pair,
        kind=kind,
        mention=pair.mention,
        left_person=left_person,
        right_person=right_person,
        right_mention=best,
        rows=rows,
        probability=best_p if best is not None else pair.probability,
        safeguards=safeguards,
        model_version=model.version,
    )


def _decide(pair: ReviewPair, status: str, by, reason: str):
    pair.status = status
    pair.decided_by = by
    pair.decided_at = timezone.now()
    pair.reason = reason
    pair.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def _log_decision(pair, by, action, decision, reason, request, person, details=None):
    justification = f"Identity review pair {pair.pk}"
    if reason:
        justification += f": {reason}"
    record_access(
        actor=by,
        action=action,
        subject_type="people.ReviewPair",
        subject_id=pair.pk,
        subject_label=f"Identity review pair {pair.pk}: {decision}",
        person_id=person.pk,
        justification=justification,
        details={"decision": decision, "mention": pair.mention_id, **(details or {})},
        request=request,
    )


def _open_pair_for_update(pair_id: int) -> ReviewPair:
    pair = (
        ReviewPair.objects.select_for_update().select_related("mention", "person").get(pk=pair_id)
    )
    if pair.status != ReviewStatus.OPEN:
        raise ReviewError("This pair has already been decided")
    return pair


@transaction.atomic
def confirm_pair(*, pair: ReviewPair, by, reason: str = "", request=None) -> ReviewPair:
    """Keep a provisional link: the mention is the person."""
    pair = _open_pair_for_update(pair.pk)
    if review_pair_kind(pair) != "provisional":
        raise ReviewError("These are two persons: merge them or reject the pair")
    mention = pair.mention
    mention.match_status = MatchStatus.MANUAL
    mention.save(update_fields=["match_status"])
    _decide(pair, ReviewStatus.CONFIRMED, by, reason)
    _log_decision(pair, by, Action.UPDATE, "confirmed", reason, request, mention.person)
    return pair


@transaction.atomic
def reject_pair(*, pair: ReviewPair, by, reason: str = "", request=None) -> ReviewPair:
    """Different people. A provisionally linked mention moves to a new person of its own."""
    pair = _open_pair_for_update(pair.pk)
    details = {}
    person = current_person(pair.person)
    if review_pair_kind(pair) == "provisional":
        mention = pair.mention
        old = current_person(mention.person)
        record = _mention_record(mention)
        new = Person.objects.create(
            given_name=mention.given_name,
            surname=mention.surname,
            date_of_birth=mention.date_of_birth,
            sex=mention.sex,
            ethnicity=mention.ethnicity,
            postcode=mention.postcode,
            address=mention.address,
            nhs_number=record.nhs,
            pnc_id=record.pnc,
        )
        mention.person = new
        mention.match_status = MatchStatus.NEW
        mention.save(update_fields=["person", "match_status"])
        refile_blocking_keys(persons=[old, new])
        _index_moved([mention.pk], new.pk)
        details = {"moved_from": old.pk, "new_person": new.pk}
        person = new
    _decide(pair, ReviewStatus.REJECTED, by, reason)
    _log_decision(pair, by, Action.UPDATE, "rejected", reason, request, person, details)
    return pair


@transaction.atomic
def merge_pair(*, pair: ReviewPair, by, reason: str = "", request=None) -> Merge:
    """The two persons of a pair are one: the younger record merges into the older."""
    pair = _open_pair_for_update(pair.pk)
    if review_pair_kind(pair) != "duplicate":
        raise ReviewError("The mention is already linked to this person: confirm or reject it")
    one, two = current_person(pair.mention.person), current_person(pair.person)
    survivor, merged = (one, two) if one.pk < two.pk else (two, one)
    merge = merge_persons(
        survivor=survivor, merged=merged, by=by, reason=reason, review_pair=pair, request=request
    )
    _decide(pair, ReviewStatus.MERGED, by, reason)
    return merge


@transaction.atomic
def merge_persons(*, survivor: Person, merged: Person, by, reason: str = "",
                  review_pair: ReviewPair | None = None, request=None) -> Merge:  # fmt: skip
    """Move every mention of `merged` to `survivor`, fill what the survivor lacks, and remember
    exactly what changed so that undo_merge can put it back."""
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if survivor.pk == merged.pk or merged.merged_into_id or survivor.merged_into_id:
        raise ReviewError("Only two different persons that are not merged can be merged")
    mention_ids = list(merged.mentions.order_by("id").values_list("id", flat=True))
    before, after = {}, {}
    for name in resolver.PERSON_FILL_FIELDS:
        value = getattr(merged, name)
        if value and not getattr(survivor, name):
            before[name] = _json_value(getattr(survivor, name))
            setattr(survivor, name, value)
            after[name] = _json_value(value)
    if survivor.sex == Sex.UNKNOWN and merged.sex != Sex.UNKNOWN:
        before["sex"], after["sex"] = survivor.sex, merged.sex
        survivor.sex = merged.sex
    survivor.save()
    Mention.objects.filter(id__in=mention_ids).update(person=survivor)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    refile_blocking_keys(persons=[survivor, merged])
    is_user = getattr(by, "is_authenticated", False)
    merge = Merge.objects.create(
        survivor=survivor,
        merged=merged,
        mention_ids=mention_ids,
        survivor_before=before,
        survivor_after=after,
        review_pair=review_pair,
        reason=reason,
        merged_by=by if is_user else None,
        merged_by_label=by.full_name if is_user else getattr(by, "label", str(by)),
        merged_at=timezone.now(),
    )
    _index_moved(mention_ids, survivor.pk)
    justification = f"Identity review pair {review_pair.pk}" if review_pair else "Identity merge"
    if reason:
        justification += f": {reason}"
    record_access(
        actor=by,
        action=Action.MERGE,
        subject_type="people.Person",
        subject_id=survivor.pk,
        subject_label=f"Person {merged.pk} merged into person {survivor.pk}",
        person_id=survivor.pk,
        justification=justification,
        details={"merge": merge.pk, "merged": merged.pk, "mentions": mention_ids},
        request=request,
    )
    return merge


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def _from_json(name, value):
    if name == "date_of_birth" and value:
        return date.fromisoformat(value)
    return value


class UndoError(Exception):
    """The merge cannot be undone (already undone)."""


@transaction.atomic
def undo_merge(*, merge: Merge, by, reason: str = "", request=None) -> Merge:
    """Put a merge back exactly: the mentions that moved go back, the merged person stands on
    its own again, and the survivor loses what the merge filled in."""
    merge = Merge.objects.select_for_update().select_related("survivor", "merged").get(pk=merge.pk)
    if merge.undone_at is not None:
        raise UndoError("This merge has already been undone")
    survivor, merged = merge.survivor, merge.merged
    Mention.objects.filter(id__in=merge.mention_ids).update(person=merged)
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    for name, value in merge.survivor_before.items():
        if _json_value(getattr(survivor, name)) == merge.survivor_after.get(name):
            setattr(survivor, name, _from_json(name, value))
    survivor.save()
    refile_blocking_keys(persons=[survivor, merged])
    merge.undone_by = by if getattr(by, "is_authenticated", False) else None
    merge.undone_at = timezone.now()
    merge.undo_reason = reason
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    if merge.review_pair_id:
        ReviewPair.objects.filter(pk=merge.review_pair_id).update(
            status=ReviewStatus.OPEN, decided_by=None, decided_at=None, reason=""
        )
    _index_moved(merge.mention_ids, merged.pk)
    justification = f"Undo merge {merge.pk}"
    if merge.review_pair_id:
        justification = f"Identity review pair {merge.review_pair_id}: undo merge {merge.pk}"
    if reason:
        justification += f": {reason}"
    record_access(
        actor=by,
        action=Action.UNMERGE,
        subject_type="people.Person",
        subject_id=merged.pk,
        subject_label=f"Person {merged.pk} taken back out of person {survivor.pk}",
        person_id=merged.pk,
        justification=justification,
        details={"merge": merge.pk, "survivor": survivor.pk, "mentions": merge.mention_ids},
        request=request,
    )
    return merge


def recent_merges(*, limit: int = 200):
    return Merge.objects.select_related("survivor", "merged", "merged_by", "undone_by")[:limit]


def merge_by_id(merge_id: int) -> Merge | None:
    return Merge.objects.select_related("survivor", "merged").filter(pk=merge_id).first()


def review_pair_by_id(pair_id: int) -> ReviewPair | None:
    return ReviewPair.objects.filter(pk=pair_id).first()


# --------------------------------------------------------------------------------------------
# Model versions
# --------------------------------------------------------------------------------------------


@transaction.atomic
def store_model(*, params: dict, source: str = "", summary: dict | None = None,
                activate: bool = True, version: str | None = None) -> IdentityModel:  # fmt: skip
    """Keep a new version of the matching model (checked first) and, by default, use it."""
    mt.validate_params(params)
    now = timezone.now()
    version = version or now.strftime("v%Y%m%d-%H%M%S")
    taken = IdentityModel.objects.filter(version__startswith=version).count()
    if taken:
        version = f"{version}-{taken + 1}"
    if activate:
        IdentityModel.objects.filter(is_active=True).update(is_active=False)
    row = IdentityModel.objects.create(
        version=version,
        params=params,
        trained_at=now,
        is_active=activate,
        source=source[:200],
        summary=summary or {},
    )
    transaction.on_commit(resolver.forget_model)
    resolver.forget_model()
    return row


def active_model() -> mt.MatchModel:
    return resolver.active_model(fresh=True)


def log_system_change(*, action: str, person_id, label: str, details: dict) -> None:
    """An identity change the system made itself (a rebuild), for the access log."""
    record_access(
        actor=SYSTEM,
        action=action,
        subject_type="people.Person",
        subject_id=person_id,
        subject_label=label,
        person_id=person_id,
        justification="Identity rebuild",
        details=details,
    )
