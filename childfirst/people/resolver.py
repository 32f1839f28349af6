"""Resolve a batch of mentions to persons: the work behind services.resolve_mentions.

For each mention, in the order given:
1. candidates: records filed under any of its blocking keys, in the in-process index (or the
   BlockingKey table when CHILDFIRST_IDENTITY_INDEX is "database"), and earlier mentions of the
   same batch;
2. a candidate with the same PNC ID or NHS number is linked at once (exact identifiers first);
3. otherwise each candidate record is scored (matching.MatchModel) and the best person wins:
   at or above the link threshold linked, between the thresholds linked provisionally with a
   review pair, below them a new person;
4. persons with a mention from the same incident (source system and reference) are never
   candidates: two people in one incident are two people.
The few candidates decided on are checked against the database in one query before anything is
written; then persons, mentions, blocking keys and review pairs are written in bulk, in the
caller's transaction.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from childfirst import bulk
from childfirst.people import matching as mt
from childfirst.people.identifiers import clean_nhs_number, clean_pnc_id, valid_nhs_number
from childfirst.people.index import (
    BROAD_LIMIT,
    IdentityIndex,
    MentionRow,
    fingerprint,
    get_index,
)
from childfirst.people.models import (
    BlockingKey,
    IdentityModel,
    MatchStatus,
    Mention,
    Person,
    ReviewPair,
)

MENTION_FIELDS = (
    "id",
    "person_id",
    "source_system",
    "source_reference",
    "source_person_ref",
    "given_name",
    "surname",
    "date_of_birth",
    "date_of_birth_text",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "pnc_id",
)
VERIFY_CHUNK = 2_000
FREEZE_AT = 100_000
PERSON_FILL_FIELDS = (
    "given_name",
    "surname",
    "date_of_birth",
    "ethnicity",
    "postcode",
    "address",
    "nhs_number",
    "pnc_id",
)


def _select(sql: str, params: Sequence = ()) -> list[tuple]:
    """A small read on the hot path, in plain SQL that SQLite and PostgreSQL both take: the
    ORM's query building costs more than the query itself here."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


_MENTION_TABLE = Mention._meta.db_table
_COLUMNS = ", ".join(MENTION_FIELDS)
# Only these names and "%s" placeholders are ever put into the SQL text; values are parameters.


# --------------------------------------------------------------------------------------------
# The active model
# --------------------------------------------------------------------------------------------

_MODEL_CACHE: dict = {"model": None, "checked": 0.0}
MODEL_CHECK_SECONDS = 5.0


def active_model(*, fresh: bool = False) -> mt.MatchModel:
    """The active IdentityModel version, or the shipped default when none is stored."""
    now = time.monotonic()
    cached = _MODEL_CACHE["model"]
    if cached is not None and not fresh and now - _MODEL_CACHE["checked"] < MODEL_CHECK_SECONDS:
        return cached
    row = IdentityModel.objects.filter(is_active=True).values_list("version", "params").first()
    if row is None:
        model = cached if cached is not None and cached.version == "default" else None
        model = model or mt.MatchModel.default()
    elif cached is not None and cached.version == row[0]:
        model = cached
    else:
        model = mt.MatchModel(row[1], version=row[0])
    _MODEL_CACHE.update(model=model, checked=now)
    return model


def forget_model():
    _MODEL_CACHE.update(model=None, checked=0.0)


# --------------------------------------------------------------------------------------------
# Records from stored rows
# --------------------------------------------------------------------------------------------


def record_of(*, given_name="", surname="", date_of_birth=None, date_of_birth_text="", sex="",
              postcode="", address="", nhs_number="", pnc_id="") -> mt.Record:  # fmt: skip
    """The comparison record of a mention as stored (or as given to resolve_mentions)."""
    if date_of_birth is not None:
        dob = mt.dob_from_date(date_of_birth)
    else:
        dob = mt.parse_dob(date_of_birth_text)
    nhs = clean_nhs_number(nhs_number) if valid_nhs_number(nhs_number) else ""
    return mt.make_record(
        given_name_text=given_name,
        surname_text=surname,
        dob=dob,
        sex=sex,
        postcode_text=postcode,
        address_text=address,
        nhs=nhs,
        pnc=clean_pnc_id(pnc_id),
    )


def prepare(source) -> tuple[mt.Record, mt.KeySets, int]:
    """A mention's comparison record, blocking keys and fingerprint (services.prepare_mention)."""
    record = record_of(
        given_name=source.given_name,
        surname=source.surname,
        date_of_birth=source.date_of_birth,
        date_of_birth_text=source.date_of_birth_text,
        sex=source.sex,
        postcode=source.postcode,
        address=source.address,
        nhs_number=source.nhs_number,
        pnc_id=source.pnc_id,
    )
    mark = fingerprint(
        source.source_system,
        source.source_reference,
        source.source_person_ref,
        source.given_name,
        source.surname,
    )
    return record, mt.key_sets(record), mark


def _row(values) -> MentionRow:
    (mid, pid, system, reference, ref, given, sur, dob, dob_text, sex, pc, addr, nhs, pnc) = values
    return MentionRow(
        mention_id=mid,
        person_id=pid,
        fingerprint=fingerprint(system, reference, ref, given, sur),
        record=record_of(
            given_name=given,
            surname=sur,
            date_of_birth=dob,
            date_of_birth_text=dob_text,
            sex=sex,
            postcode=pc,
            address=addr,
            nhs_number=nhs,
            pnc_id=pnc,
        ),
    )


def load_index(index: IdentityIndex | None = None) -> IdentityIndex:
    """Load the index from the Mention table if it is not loaded; else catch up with mentions
    stored since (by id, plus recent gaps)."""
    index = index or get_index()
    with index.lock:
        if not index.loaded:
            index.bulk_load(_row(v) for v in _all_mentions())
            if len(index) >= FREEZE_AT:
                # What a big index holds lives as long as the process: keep the garbage
                # collector from walking it again and again (pauses of a second at a million).
                gc.collect()
                gc.freeze()
            return index
        gaps = index.expire_gaps()
        where, params = "id > %s", [index.max_seen]
        if gaps:
            among, ids = bulk.one_of("id", gaps)
            where, params = f"{where} OR {among}", params + ids
        fresh = _select(
            f"SELECT {_COLUMNS} FROM {_MENTION_TABLE} WHERE {where} ORDER BY id",  # noqa: S608
            params,
        )
        if fresh:
            index.add([_row(v) for v in fresh])
    return index


def _all_mentions():
    """Every mention, in id order, in chunks (plain SQL: a million rows through the ORM take
    several times as long)."""
    last = 0
    while True:
        rows = _select(
            f"SELECT {_COLUMNS} FROM {_MENTION_TABLE} WHERE id > %s ORDER BY id LIMIT 20000",  # noqa: S608
            [last],
        )
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def use_memory_index() -> bool:
    return getattr(settings, "CHILDFIRST_IDENTITY_INDEX", "memory") != "database"


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    """A stored record that may be the same person."""

    record: mt.Record
    person_id: int  # as the index last knew it; checked before use
    mention_id: int
    position: int | None = None  # in the memory index
    fingerprint: int = 0


@dataclass(slots=True)
class Scored:
    probability: float
    levels: tuple
    candidate: Candidate | None = None
    local: int | None = None  # index of an earlier item of this batch


@dataclass
class Item:
    source: object  # MentionInput
    record: mt.Record
    incident: tuple[str, str]
    file_keys: list[int]
    query_keys: list[int]
    broad_keys: list[int]
    fingerprint: int  # of the mention row it will be (index.fingerprint)
    ranked: list[Scored] = field(default_factory=list)
    # decided:
    person_id: int | None = None
    new_slot: int | None = None  # index into the batch's new persons
    status: str = MatchStatus.NEW
    probability: float | None = None
    best: Scored | None = None
    second: Scored | None = None  # another person that also looked alike
    second_person: int | None = None


# Candidates scored ahead (rank_ahead): record -> its ranked candidates, and what they were
# scored against.
_AHEAD: dict = {}


def rank_ahead(prepared: Sequence[tuple], *, model: mt.MatchModel | None = None) -> None:
    """Score the (record, key sets) of mentions still to come against the memory index now: a
    file import does this while its previous batch is written. The next lookup takes these
    scores for the same records as long as neither the index nor the model has changed since
    (anything added, killed or moved in the index, or another model); else it scores again."""
    _AHEAD.clear()
    if not use_memory_index():
        return
    # The model in use, without asking the database whether it has changed: this runs while
    # the batch's writes are queued, and a query would wait for them all. A lookup under
    # another model scores again.
    model = model or _MODEL_CACHE["model"] or active_model()
    index = get_index()
    if not index.loaded:
        return
    items = [
        Item(None, record, ("", ""), keys.file, keys.narrow, keys.broad, 0)
        for record, keys in dict(prepared).items()
    ]
    _memory_ranked(model, index, items)
    _AHEAD.update(
        against=(id(index), index.changes, id(model)),
        ranked={item.record: item.ranked for item in items},
    )


def _memory_ranked(model, index: IdentityIndex, items: list[Item]) -> None:
    """Each item's candidates from the memory index, scored: only those that could be linked
    (at or above the review threshold) are kept, and only they become Candidates."""
    if _AHEAD.get("against") == (id(index), index.changes, id(model)):
        ahead = _AHEAD["ranked"]
        items = [item for item in items if not _take_ahead(item, ahead)]
    _AHEAD.clear()
    found = index.candidates_many(
        [item.query_keys for item in items], [item.broad_keys for item in items]
    )
    person, record_at, threshold = index.person, index.record, model.review_threshold
    for item, positions in zip(items, found, strict=True):
        ranked = mt.rank(model, item.record, ((person[p], record_at(p), p) for p in positions))
        item.ranked = [
            Scored(r.probability, r.levels, _memory_candidate(index, r.ref))
            for r in ranked
            if r.probability >= threshold
        ]


def _take_ahead(item: Item, ahead: dict) -> bool:
    ranked = ahead.get(item.record)
    if ranked is None:
        return False
    item.ranked = list(ranked)
    return True


def _memory_candidate(index: IdentityIndex, p: int) -> Candidate:
    return Candidate(
        record=index.record(p),
        person_id=index.person[p],
        mention_id=index.mention[p],
        position=p,
        fingerprint=index.fp[p],
    )


def _database_candidates(items: list[Item]) -> list[list[Candidate]]:
    """Candidates from the BlockingKey table: the persons filed under a key, and their
    mentions. Used when the memory index is turned off."""
    wanted = {k for item in items for k in (*item.query_keys, *item.broad_keys)}
    by_key: dict[int, set[int]] = defaultdict(set)
    keys = list(wanted)
    for start in range(0, len(keys), VERIFY_CHUNK):
        chunk = keys[start : start + VERIFY_CHUNK]
        for key, person_id in BlockingKey.objects.filter(key__any=chunk).values_list(
            "key", "person_id"
        ):
            by_key[key].add(person_id)
    person_ids = {p for ps in by_key.values() for p in ps}
    mentions: dict[int, list[Candidate]] = defaultdict(list)
    pids = list(person_ids)
    for start in range(0, len(pids), VERIFY_CHUNK):
        rows = Mention.objects.filter(person_id__any=pids[start : start + VERIFY_CHUNK])
        for values in rows.values_list(*MENTION_FIELDS):
            row = _row(values)
            mentions[row.person_id].append(
                Candidate(row.record, row.person_id, row.mention_id, None, row.fingerprint)
            )
    out = []
    for item in items:
        persons = set()
        for key in item.query_keys:
            persons |= by_key.get(key, set())
        for key in item.broad_keys:
            found = by_key.get(key, set())
            if len(found) <= BROAD_LIMIT:
                persons |= found
        out.append([c for p in persons for c in mentions[p]])
    return out


def _rank(model: mt.MatchModel, record: mt.Record, candidates: list[Candidate]) -> list[Scored]:
    """Best record of each person, best person first (exact identifiers first)."""
    ranked = mt.rank(model, record, ((c.person_id, c.record, c) for c in candidates))
    return [Scored(r.probability, r.levels, r.ref) for r in ranked]


def _verify(index: IdentityIndex | None, scored: list[Scored]) -> dict[int, int | None]:
    """mention id -> its person now, or None if the row is gone (rolled back) or is not the
    row the index knew. One query per 2,000 candidates."""
    by_mention = {s.candidate.mention_id: s.candidate for s in scored}
    result: dict[int, int | None] = dict.fromkeys(by_mention)
    ids = list(by_mention)
    for start in range(0, len(ids), VERIFY_CHUNK):
        chunk = ids[start : start + VERIFY_CHUNK]
        among, params = bulk.one_of("id", chunk)
        sql = (
            "SELECT id, person_id, source_system, source_reference, source_person_ref, "  # noqa: S608
            f"given_name, surname FROM {_MENTION_TABLE} WHERE {among}"
        )
        rows = _select(sql, params)
        for mid, pid, *fields in rows:
            candidate = by_mention[mid]
            if fingerprint(*fields) == candidate.fingerprint:
                result[mid] = pid
                candidate.person_id = pid
                if index is not None and candidate.position is not None:
                    index.set_person(candidate.position, pid)
    if index is not None:
        for mid, pid in result.items():
            if pid is None and by_mention[mid].position is not None:
                index.kill(by_mention[mid].position)
    return result


# --------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------


@dataclass
class Decided:
    """A batch decided and not yet written (decide, then write)."""

    model: mt.MatchModel
    items: list[Item]
    new_count: int
    index: object
    existing: dict[int, Person]  # the stored persons linked to, by id

    def stored_person_ids(self) -> list[int | None]:
        """Per mention, the stored person it will be linked to (the one it was merged into,
        if it was), or None for a person new in this batch."""
        ids = []
        for item in self.items:
            person = self.existing.get(item.person_id) if item.person_id is not None else None
            ids.append(None if person is None else person.merged_into_id or person.pk)
        return ids


def resolve(mentions: Sequence, *, model: mt.MatchModel | None = None) -> list:
    return write(decide(mentions, model=model))


def decide(mentions: Sequence, *, model: mt.MatchModel | None = None) -> Decided:
    """Every read a batch needs, and its decisions; nothing written."""
    model = model or active_model()
    if not mentions:
        return Decided(model, [], 0, None, {})
    with bulk.without_gc():
        items, new_count, index = lookup(mentions, model=model)
        linked_ids = {item.person_id for item in items if item.person_id is not None}
        linked_ids |= {item.second_person for item in items} - {None}
        existing = (
            {
                person.id: person
                for person in Person.objects.only(
                    "id", "merged_into_id", *PERSON_FILL_FIELDS
                ).filter(id__any=list(linked_ids))
            }
            if linked_ids
            else {}
        )
        return Decided(model, items, new_count, index, existing)


def write(decided: Decided) -> list:
    """Write a decided batch: persons, mentions, blocking keys and review pairs."""
    from childfirst.people.services import Resolution

    if not decided.items:
        return []
    with bulk.without_gc():
        return _write(decided, Resolution)


def lookup(mentions: Sequence, *, model: mt.MatchModel) -> tuple[list[Item], int, object]:
    """Decide every mention of a batch (the online lookup), writing nothing: each item ends
    with a person id, or a slot for a person new in this batch, and its status."""
    memory = use_memory_index()
    index = load_index() if memory else None

    items = []
    for source in mentions:
        if source.prepared:
            record, keys, mark = source.prepared
            mt.remember_key_sets(record, keys)  # for when it is a candidate later
        else:
            record, keys, mark = prepare(source)
        items.append(
            Item(
                source=source,
                record=record,
                incident=(source.source_system, source.source_reference),
                file_keys=keys.file,
                query_keys=keys.narrow,
                broad_keys=keys.broad,
                fingerprint=mark,
            )
        )

    # Persons who already have a mention from one of these incidents.
    excluded: dict[tuple[str, str], set[int]] = defaultdict(set)
    incidents = {item.incident for item in items}
    by_system: dict[str, list[str]] = defaultdict(list)
    for system, reference in sorted(incidents):
        by_system[system].append(reference)
    for system, references in by_system.items():
        for start in range(0, len(references), VERIFY_CHUNK):
            chunk = references[start : start + VERIFY_CHUNK]
            among, params = bulk.one_of("source_reference", chunk)
            sql = (
                f"SELECT source_system, source_reference, person_id FROM {_MENTION_TABLE} "  # noqa: S608
                f"WHERE source_system = %s AND {among}"
            )
            for system_, reference, person_id in _select(sql, [system, *params]):
                excluded[(system_, reference)].add(person_id)

    # Score stored candidates (keeping those that could be linked), then check the ones that
    # matter against the database.
    if memory:
        _memory_ranked(model, index, items)
    else:
        for item, candidates in zip(items, _database_candidates(items), strict=True):
            ranked = _rank(model, item.record, candidates)
            item.ranked = [s for s in ranked if s.probability >= model.review_threshold]
    current = _verify(index, [s for item in items for s in item.ranked[:3]])

    # Decide in order, so that a later mention can match an earlier one of the same batch.
    local_keys: dict[int, list[int]] = defaultdict(list)
    filed_here: set[int] = set()  # local_keys' keys: most mentions share none, found in one call
    new_count = 0
    for position, item in enumerate(items):
        options: list[Scored] = []
        for scored in item.ranked:
            if scored.probability < model.review_threshold:
                break
            mid = scored.candidate.mention_id
            if mid not in current:  # not checked yet: check it now (rare)
                current.update(_verify(index, [scored]))
            if current[mid] is None:
                continue
            options.append(scored)
        seen_local: dict[int, None] = {}  # earlier items of the batch, in the order found
        if not filed_here.isdisjoint(item.query_keys) or not filed_here.isdisjoint(item.broad_keys):
            for key in (*item.query_keys, *item.broad_keys):
                for j in local_keys.get(key, ()):
                    seen_local[j] = None
        if seen_local:
            others = [(j, items[j].record, None) for j in seen_local]
            scores = {r.person: r for r in mt.rank(model, item.record, others)}
            for j in seen_local:  # in the order found, which breaks ties as it always has
                ranked = scores[j]
                if ranked.probability >= model.review_threshold:
                    options.append(Scored(ranked.probability, ranked.levels, None, j))
        _decide(model, item, items, options, excluded[item.incident])
        if item.person_id is None and item.new_slot is None:
            item.new_slot = new_count
            new_count += 1
            item.status = MatchStatus.NEW
        if item.new_slot is not None:
            excluded[item.incident].add(-1 - item.new_slot)
        else:
            excluded[item.incident].add(item.person_id)
        for key in item.file_keys:
            local_keys[key].append(position)
        filed_here.update(item.file_keys)
    return items, new_count, index


def _person_key(items: list[Item], scored: Scored) -> int:
    """A person id, or -1 - slot for a person new in this batch."""
    if scored.local is None:
        return scored.candidate.person_id
    other = items[scored.local]
    return other.person_id if other.new_slot is None else -1 - other.new_slot


def _decide(model, item: Item, items: list[Item], options: list[Scored], excluded: set[int]):
    best_by_person: dict[int, Scored] = {}
    for scored in options:
        key = _person_key(items, scored)
        if key in excluded:
            continue
        found = best_by_person.get(key)
        if found is None or scored.probability > found.probability:
            best_by_person[key] = scored
    if not best_by_person:
        return
    exact = [(k, s) for k, s in best_by_person.items() if s.levels[mt.POS_I] == mt.I_EXACT]
    key, best = max(exact or best_by_person.items(), key=lambda ks: ks[1].probability)
    decision = "link" if exact else model.decision(best.probability)
    if decision == "new":
        return
    if key < 0:
        item.new_slot = -1 - key
    else:
        item.person_id = key
    item.best = best
    item.probability = 1.0 if exact else best.probability
    if exact:
        item.status = MatchStatus.EXACT_IDENTIFIER
    elif decision == "link":
        item.status = MatchStatus.LINKED
    else:
        item.status = MatchStatus.PROVISIONAL
    others = [(k, s) for k, s in best_by_person.items() if k != key]
    if others:
        other_key, other = max(others, key=lambda ks: ks[1].probability)
        if other_key >= 0 and other.probability >= model.review_threshold:
            item.second = other
            item.second_person = other_key


# Plain inserts of many rows (shared with intake and the access log).
_insert = bulk.insert


def _write(decided: Decided, Resolution):
    from django.utils import timezone

    model, items, new_count, index = decided.model, decided.items, decided.new_count, decided.index
    existing = decided.existing
    now = timezone.now()
    # Only writes here, every read having been done by decide (in a file import the writes are
    # queued: bulk.want_ids and bulk.writes_in_background).
    bulk.want_ids(Mention, len(items))
    bulk.want_ids(
        ReviewPair,
        sum((item.status == MatchStatus.PROVISIONAL) + (item.second is not None) for item in items),
    )
    new_persons: list[Person | None] = [None] * new_count
    for item in items:
        if item.new_slot is not None and new_persons[item.new_slot] is None:
            new_persons[item.new_slot] = _person_from(item, now)
    _insert(new_persons, Person)

    mentions = []
    persons_of_items: list[Person] = []
    for item in items:
        person = (
            new_persons[item.new_slot] if item.new_slot is not None else existing[item.person_id]
        )
        persons_of_items.append(person)
        mentions.append(_mention_from(item, person, model, now))
    _insert(mentions, Mention)

    # Blocking keys: every key of a new person; the keys a linked mention adds.
    filed: dict[int, set[int]] = {}  # person -> keys to file
    for item, person in zip(items, persons_of_items, strict=True):
        new_keys = filed.setdefault(person.id, set())
        if item.best is None:
            new_keys.update(item.file_keys)
        else:
            other = (
                item.best.candidate.record if item.best.candidate else items[item.best.local].record
            )
            new_keys.update(set(item.file_keys).difference(mt.key_sets(other).file))
    keys = [(key, pk) for pk, person_keys in filed.items() for key in person_keys]
    _insert_keys(keys, new_persons={p.id for p in new_persons})

    # Fill what a linked person lacks from the mention; open review pairs.
    changed: dict[int, tuple[Person, set[str]]] = {}
    pairs = []
    for item, person, mention in zip(items, persons_of_items, mentions, strict=True):
        if item.person_id is not None:
            filled = _fill_blanks(person, item)
            if filled:
                changed.setdefault(person.id, (person, set()))[1].update(filled)
        if item.status == MatchStatus.PROVISIONAL:
            pairs.append(_pair(mention, person, item.best, model))
        if item.second is not None:
            pairs.append(_pair(mention, existing[item.second_person], item.second, model))
    if changed:
        _update_persons(changed.values())
    if pairs:
        _insert(pairs, ReviewPair)

    if index is not None:
        index.add(
            [
                MentionRow(
                    mention_id=mention.id,
                    person_id=person.id,
                    fingerprint=item.fingerprint,
                    record=item.record,
                    keys=tuple(item.file_keys),
                )
                for item, person, mention in zip(items, persons_of_items, mentions, strict=True)
            ]
        )

    results = []
    for item, person, mention in zip(items, persons_of_items, mentions, strict=True):
        reasons = []
        if item.status == MatchStatus.EXACT_IDENTIFIER:
            reasons = ["Same PNC ID or NHS number"]
        elif item.best is not None:
            reasons = model.reasons(item.best.levels)
        results.append(
            Resolution(
                mention=mention,
                person=person,
                status=item.status,
                probability=item.probability,
                reasons=reasons,
            )
        )
    return results


_KEY_TABLE = BlockingKey._meta.db_table
_PERSON_TABLE = Person._meta.db_table


def _insert_keys(keys: list[tuple[int, int]], new_persons: set[int] = frozenset()) -> None:
    """Blocking keys in plain SQL: tens of thousands of two-column rows a batch. ON CONFLICT
    DO NOTHING keeps one row per key and person (SQLite and PostgreSQL alike). On PostgreSQL
    the keys of persons new in this batch (no row of theirs can exist yet; the caller sends
    each pair once) go by COPY, which is several times faster."""
    if not keys:
        return
    if connection.vendor == "postgresql":
        fresh = [row for row in keys if row[1] in new_persons]
        if fresh:
            bulk.copy_bigints(
                _KEY_TABLE, ["key", "person_id"], [[k for k, _ in fresh], [p for _, p in fresh]]
            )
            keys = [row for row in keys if row[1] not in new_persons]
        if not keys:
            return
        bulk.execute_later(
            f"INSERT INTO {_KEY_TABLE} (key, person_id) "  # noqa: S608
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) ON CONFLICT DO NOTHING",
            [[k for k, _ in keys], [p for _, p in keys]],
        )
        return
    with connection.cursor() as cursor:
        per_statement = 5_000
        for start in range(0, len(keys), per_statement):
            chunk = keys[start : start + per_statement]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {_KEY_TABLE} (key, person_id) VALUES {values} "  # noqa: S608
                "ON CONFLICT DO NOTHING",
                [v for row in chunk for v in row],
            )


def _update_persons(changed) -> None:
    """Write the fields a batch filled in, one statement per set of fields (bulk.update)."""
    from django.utils import timezone

    now = timezone.now()
    groups: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    for person, fields in changed:
        person.updated_at = now
        groups[tuple(sorted(fields))].append(person)
    for fields, persons in groups.items():
        bulk.update(persons, Person, [*fields, "updated_at"])


def _person_from(item: Item, now) -> Person:
    source = item.source
    record = item.record
    return bulk.new(
        Person,
        created_at=now,
        updated_at=now,
        given_name=source.given_name,
        surname=source.surname,
        date_of_birth=source.date_of_birth,
        sex=mt.normalise_sex(source.sex) or "unknown",
        ethnicity=source.ethnicity,
        postcode=source.postcode,
        address=source.address,
        nhs_number=record.nhs,
        pnc_id=record.pnc,
    )


def _mention_from(item: Item, person: Person, model: mt.MatchModel, now) -> Mention:
    source = item.source
    return bulk.new(
        Mention,
        created_at=now,
        person=person,  # cached: mention.person without a query
        source_system=source.source_system,
        source_reference=source.source_reference,
        source_person_ref=source.source_person_ref,
        given_name=source.given_name,
        surname=source.surname,
        date_of_birth=source.date_of_birth,
        date_of_birth_text=source.date_of_birth_text,
        recorded_age=source.recorded_age,
        appears_under_18=source.appears_under_18,
        sex=mt.normalise_sex(source.sex) or "unknown",
        ethnicity=source.ethnicity,
        address=source.address,
        postcode=source.postcode,
        nhs_number=clean_nhs_number(source.nhs_number),
        pnc_id=item.record.pnc or source.pnc_id,
        match_status=item.status,
        match_probability=item.probability,
        model_version=model.version,
    )


def _fill_blanks(person: Person, item: Item) -> list[str]:
    source, record = item.source, item.record
    values = {
        "given_name": source.given_name,
        "surname": source.surname,
        "date_of_birth": source.date_of_birth,
        "ethnicity": source.ethnicity,
        "postcode": source.postcode,
        "address": source.address,
        "nhs_number": record.nhs,
        "pnc_id": record.pnc,
    }
    filled = []
    for name, value in values.items():
        if value and not getattr(person, name):
            setattr(person, name, value)
            filled.append(name)
    return filled


def _pair(mention: Mention, person: Person, scored: Scored, model) -> ReviewPair:
    return bulk.new(
        ReviewPair,
        mention=mention,
        person=person,
        probability=scored.probability,
        explanation=model.explain_levels(scored.levels).as_dict(),
        model_version=model.version,
    )
