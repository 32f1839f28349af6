"""Intake: check an incident, store it exactly once, resolve its people, and find its children.

Every way in (the API, a file import, the officer's form) calls `record_incident` or, for many at
once, `parse_incident` then `store_incidents`. One incident is stored in one transaction with
its people (resolved through people.services.decide_mentions and store_mentions), involvements,
questionnaires and notices, and its access log entries: all of it, or none of it. A batch does
every read first (who each person is; the household search's earlier records), then writes.

Idempotency: (source system, source reference) is unique. The same payload again (as validated,
so "e81dy" and "E8 1DY" are the same) returns the stored incident; a different payload for the
same reference raises ConflictingReplay and changes nothing. Two identical requests at once
give one incident: the unique constraint refuses the second insert, which then finds the first.

The officer's form builds the same payload dict from the journey's answers, with source_system
"CHILDFIRST-FORM" and a reference of its own, and calls
`record_incident(payload=..., received_from=request.user)`.
"""

import contextlib
import hashlib
import json
from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import orjson
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from pydantic import ValidationError

from childfirst import bulk
from childfirst.accounts.models import ApiClient
from childfirst.audit.models import Action
from childfirst.audit.services import AccessEvent, SystemActor, record_access, record_accesses
from childfirst.bulk import without_gc, writes_in_background
from childfirst.directory.models import Postcode, School
from childfirst.incidents import questionnaires
from childfirst.incidents.children import (
    ADULT_ROLES,
    ChildFacts,
    HouseholdChild,
    address_key,
    child_facts,
    dob_bounds,
    find_household_children,
    household_children,
    local_date,
    stored_household_records,
)
from childfirst.incidents.models import (
    Channel,
    Incident,
    Involvement,
    Notice,
    NoticeReason,
    Questionnaire,
    Role,
)
from childfirst.incidents.schemas import (
    IncidentIn,
    LocationIn,
    OfficerIn,
    PersonIn,
    QuestionnaireIn,
    errors_of,
)
from childfirst.incidents.signals import notices_created
from childfirst.people.services import (
    MentionInput,
    decide_mentions,
    prepare_mention,
    store_mentions,
)

__all__ = [
    "ChildFacts",
    "ConflictingReplay",
    "FieldError",
    "HouseholdChild",
    "IntakeError",
    "IntakeResult",
    "InvalidIncident",
    "ParsedIncident",
    "StoreOutcome",
    "address_key",
    "child_facts",
    "find_household_children",
    "incident_for_client",
    "incident_with_details",
    "notices_of",
    "parse_incident",
    "record_incident",
    "section_hashes",
    "store_incidents",
    "stored_keys",
]

# Notices are listed in this order of role when one child is named twice in one incident.
ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}
FUTURE_TOLERANCE = timedelta(hours=1)


# Errors and results -------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldError:
    field: str  # "people[1].date_of_birth", or "(incident)" for the whole
    message: str

    def __str__(self):
        return f"{self.field}: {self.message}"


class IntakeError(Exception):
    """An incident was not stored; nothing changed."""


class InvalidIncident(IntakeError):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


class ConflictingReplay(IntakeError):
    """The source reference is stored already, with a different payload (or from another
    sender). Nothing was changed."""

    def __init__(self, *, incident: Incident, differences: list[str], other_sender=False):
        self.incident = incident
        self.differences = differences
        self.other_sender = other_sender
        if other_sender:
            message = (
                f"{incident.source_system} {incident.source_reference} is already stored from "
                "another sender; nothing was changed."
            )
        else:
            shown = ", ".join(differences[:10]) + (" and more" if len(differences) > 10 else "")
            message = (
                f"{incident.source_system} {incident.source_reference} is already stored with "
                f"different details ({shown}); nothing was changed. Send a new source reference "
                "for a new incident."
            )
        super().__init__(message)


@dataclass(frozen=True)
class IntakeResult:
    incident: Incident
    created: bool


@dataclass(frozen=True)
class ParsedIncident:
    """An incident that passed every check, ready to store: the payload as validated
    (IncidentIn.canonical, plain JSON values with defaults left out) and its hash. Storing reads
    only these, so a file import can check its rows in another process and send them here as
    plain data (importers.py)."""

    canonical: dict
    payload_hash: str
    hashes: dict[str, str] | None = None  # section_hashes(canonical), if worked out already
    # Per person, what identity resolution compares and looks up (worked_out_ahead), if worked
    # out already.
    identities: tuple | None = None
    # The place's address key, and per person (is a child, age, address key): worked_out_ahead,
    # if worked out already.
    facts: tuple | None = None

    @property
    def section_hashes(self) -> dict[str, str]:
        return self.hashes if self.hashes is not None else section_hashes(self.canonical)

    @property
    def key(self) -> tuple[str, str]:
        return (self.canonical["source_system"], self.canonical["source_reference"])


@dataclass
class StoreOutcome:
    parsed: ParsedIncident
    incident: Incident | None = None
    created: bool = False
    conflict: ConflictingReplay | None = None
    notices: int = 0


# Checking ------------------------------------------------------------------------------------


def parse_incident(payload) -> ParsedIncident:
    """Check a payload; raise InvalidIncident naming every failing field."""
    if not isinstance(payload, dict):
        raise InvalidIncident(
            [FieldError("(incident)", "An incident must be a JSON object (a mapping of fields)")]
        )
    try:
        data = IncidentIn.model_validate(payload)
    except ValidationError as error:
        raise InvalidIncident([FieldError(path, text) for path, text in errors_of(error)]) from None
    errors = _cross_checks(data)
    if errors:
        raise InvalidIncident(errors)
    canonical = data.canonical()
    return ParsedIncident(canonical, _hash(canonical))


def _cross_checks(data: IncidentIn) -> list[FieldError]:
    """Checks across fields, once every field is right on its own."""
    errors = []
    latest = timezone.now() + FUTURE_TOLERANCE
    if data.occurred_at > latest:
        errors.append(FieldError("occurred_at", "Is in the future: enter when it happened"))
    if data.reported_at and data.reported_at > latest:
        errors.append(FieldError("reported_at", "Is in the future: enter when it was reported"))
    on = local_date(data.occurred_at)
    refs = set()
    for index, person in enumerate(data.people):
        if person.ref in refs:
            errors.append(
                FieldError(f"people[{index}].ref", f'"{person.ref}" names another person too')
            )
        refs.add(person.ref)
        if person.date_of_birth and dob_bounds(person.date_of_birth)[0] > on:
            errors.append(
                FieldError(f"people[{index}].date_of_birth", "Is after the incident happened")
            )
    known = questionnaires.definitions() if data.questionnaires else {}
    for index, item in enumerate(data.questionnaires):
        where = f"questionnaires[{index}]"
        definition = known.get(item.kind)
        if definition is None:
            errors.append(
                FieldError(
                    f"{where}.kind",
                    f'Child First has no questionnaire "{item.kind}": use one of '
                    f"{', '.join(sorted(known))}",
                )
            )
            continue
        if item.respondent is not None and item.respondent not in refs:
            errors.append(
                FieldError(
                    f"{where}.respondent", f'No person in this incident has ref "{item.respondent}"'
                )
            )
        for question, answer in item.answers.items():
            if question not in definition.question_ids:
                ids = [q.id for q in definition.questions]
                errors.append(
                    FieldError(
                        f"{where}.answers.{question}",
                        f"Is not a question of {definition.name} ({ids[0]} to {ids[-1]})",
                    )
                )
            elif answer not in definition.answers:
                errors.append(
                    FieldError(
                        f"{where}.answers.{question}",
                        f"Answer with one of: {', '.join(definition.answers)}",
                    )
                )
        if (
            item.officer_grade
            and definition.officer_grades
            and (item.officer_grade not in definition.officer_grades)
        ):
            errors.append(
                FieldError(
                    f"{where}.officer_grade",
                    f"Grade with one of: {', '.join(definition.officer_grades)}",
                )
            )
    return errors


def _presence(person: dict) -> bool | None:
    if person["present"] is not None:
        return person["present"]
    if person["role"] == Role.PRESENT:
        return True
    if person["role"] == Role.CHILD_IN_HOUSEHOLD:
        return False
    return None


def _defaults(model) -> dict:
    """The defaults of a payload model's optional fields: what a canonical dict leaves out."""
    return {
        name: field.get_default(call_default_factory=True)
        for name, field in model.model_fields.items()
        if not field.is_required()
    }


# Canonical dicts leave out fields at their defaults; storing fills them back in from these.
# (Stored values are never changed in place, so sharing a default list or dict is safe.)
INCIDENT_DEFAULTS = {**_defaults(IncidentIn), "location": {}, "officer": {}}
LOCATION_DEFAULTS = _defaults(LocationIn)
OFFICER_DEFAULTS = _defaults(OfficerIn)
PERSON_DEFAULTS = _defaults(PersonIn)
QUESTIONNAIRE_DEFAULTS = _defaults(QuestionnaireIn)


def _moment(text: str | None) -> datetime | None:
    """A canonical time ("2026-11-23T21:40:00Z", always UTC) as an aware datetime."""
    return datetime.fromisoformat(text) if text else None


# Storing -------------------------------------------------------------------------------------


def record_incident(*, payload, received_from, request=None) -> IntakeResult:
    """Check and store one incident, exactly once.

    `received_from` is the API client, the signed-in user (the officer's form) or a
    SystemActor (a file import). Returns the incident and whether this call created it; raises
    InvalidIncident (naming every failing field) or ConflictingReplay, changing nothing.
    """
    parsed = parse_incident(payload)
    for attempt in (1, 2):
        try:
            [outcome] = store_incidents(incidents=[parsed], received_from=received_from)
            break
        except IntegrityError:
            # Another request stored the same reference between our look and our insert: the
            # second pass finds it. Any other integrity error is raised.
            stored = Incident.objects.filter(
                source_system=parsed.key[0], source_reference=parsed.key[1]
            ).exists()
            if attempt == 2 or not stored:
                raise
    if outcome.conflict is not None:
        raise outcome.conflict
    if not outcome.created and not isinstance(received_from, SystemActor):
        record_access(
            actor=received_from,
            action=Action.READ,
            subject_type="incident",
            subject_id=outcome.incident.pk,
            subject_label=outcome.incident.reference,
            justification="The sender sent its own incident again (a replay)",
            request=request,
        )
    return IntakeResult(incident_with_details().get(pk=outcome.incident.pk), outcome.created)


def store_incidents(
    *,
    incidents: Sequence[ParsedIncident],
    received_from,
    request=None,
    bulk: bool = False,
    while_writing: Callable[[], None] | None = None,
) -> list[StoreOutcome]:
    """Store checked incidents in one transaction, one outcome each, in order.

    New ones are created; one already stored with the same payload is a replay (created False);
    one stored with a different payload, or from another sender, gets a ConflictingReplay in its
    outcome. Raises IntegrityError if another writer stores one of them at the same moment: the
    transaction is rolled back, so the caller can simply try again. `bulk` (a file import)
    is passed on with notices_created: receivers may then do their part in the background.
    `while_writing` is called once every write of the batch is under way and before the
    commit, for work of the caller's own that needs no database (a file import scores the next
    batch's people then).
    """
    source = _source(received_from)
    # A file import's writes are queued and done in the background while it makes the next
    # rows; all have finished (or raised) when the block is left, before the transaction commits.
    background = writes_in_background() if bulk else contextlib.nullcontext()
    with transaction.atomic(), background:
        stored = _stored_incidents({parsed.key for parsed in incidents})
        outcomes: list[StoreOutcome] = []
        first: dict[tuple[str, str], StoreOutcome] = {}
        for parsed in incidents:
            found = stored.get(parsed.key)
            if found is not None:
                outcomes.append(_replay_or_conflict(parsed, found, source))
            elif parsed.key in first:
                outcomes.append(StoreOutcome(parsed))  # the same reference twice in one batch
            else:
                first[parsed.key] = StoreOutcome(parsed, created=True)
                outcomes.append(first[parsed.key])
        with without_gc():  # collected once after the batch, not part way through
            _create([o for o in outcomes if o.created], source, received_from, request, bulk)
            if while_writing is not None:
                while_writing()
        for outcome in outcomes:
            if outcome.incident is None:
                earlier = first[outcome.parsed.key]
                outcome.incident = earlier.incident
                if earlier.parsed.payload_hash != outcome.parsed.payload_hash:
                    outcome.conflict = ConflictingReplay(
                        incident=earlier.incident,
                        differences=_differences(
                            earlier.parsed.section_hashes, outcome.parsed.section_hashes
                        ),
                    )
    return outcomes


@dataclass(frozen=True)
class _Source:
    channel: str
    client: ApiClient | None
    user: object | None
    label: str


def _source(received_from) -> _Source:
    if isinstance(received_from, ApiClient):
        return _Source(Channel.API, received_from, None, f"API client: {received_from.name}")
    if isinstance(received_from, SystemActor):
        return _Source(Channel.FILE, None, None, received_from.label)
    if getattr(received_from, "is_authenticated", False):
        label = f"{received_from.full_name} <{received_from.email}>"
        return _Source(Channel.FORM, None, received_from, label)
    raise TypeError("received_from must be an API client, a user or a SystemActor")


STORED_FIELDS = (
    "id",
    "source_system",
    "source_reference",
    "payload_hash",
    "section_hashes",
    "received_from_client_id",
    "received_from_user_id",
)


def _stored_incidents(keys: set[tuple[str, str]]) -> dict[tuple[str, str], Incident]:
    """The stored incidents with these keys, loading only what a replay or conflict needs."""
    return {
        (incident.source_system, incident.source_reference): incident
        for rows in _by_key(keys)
        for incident in rows.only(*STORED_FIELDS)
    }


def stored_keys(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (source system, source reference) keys are stored."""
    return {
        key
        for rows in _by_key(keys)
        for key in rows.values_list("source_system", "source_reference")
    }


def _by_key(keys: set[tuple[str, str]]):
    """Incidents with these keys: one query per source system, each on the unique index
    (system, reference)."""
    by_system: dict[str, set[str]] = {}
    for system, reference in keys:
        by_system.setdefault(system, set()).add(reference)
    for system, references in by_system.items():
        yield Incident.objects.filter(source_system=system, source_reference__any=references)


def _replay_or_conflict(parsed: ParsedIncident, incident: Incident, source: _Source):
    other_sender = (
        source.client is not None and incident.received_from_client_id != source.client.pk
    ) or (source.user is not None and incident.received_from_user_id != source.user.pk)
    if other_sender:
        conflict = ConflictingReplay(incident=incident, differences=[], other_sender=True)
        return StoreOutcome(parsed, incident, conflict=conflict)
    if incident.payload_hash == parsed.payload_hash:
        return StoreOutcome(parsed, incident)
    conflict = ConflictingReplay(
        incident=incident, differences=_differences(incident.section_hashes, parsed.section_hashes)
    )
    return StoreOutcome(parsed, incident, conflict=conflict)


def _hash(value) -> str:
    """sha256 of the value as canonical JSON: keys sorted, no spaces, UTF-8. orjson writes the
    same bytes as json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) (a test
    holds it to that), ten times as fast."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # what orjson will not write (text that is not UTF-8)
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        text = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()


def section_hashes(canonical: dict) -> dict[str, str]:
    """A short hash of each top-level field, and of each person and questionnaire."""
    found = {}
    for key, value in canonical.items():
        if isinstance(value, list):
            found[_section(key, ".count")] = str(len(value))
            for index, item in enumerate(value):
                found[_section(key, index)] = _hash(item)[:16]
        else:
            found[key] = _hash(value)[:16]
    return found


@lru_cache(maxsize=1_000)
def _section(key: str, part: str | int) -> str:
    """ "people", 2 -> "people[2]"; "people", ".count" -> "people.count": one string for each
    name, so that a file import's checking process pickles each once a chunk, not once a row."""
    return f"{key}{part}" if isinstance(part, str) else f"{key}[{part}]"


def _differences(stored: dict, incoming: dict) -> list[str]:
    """The parts ("narrative", "people[1]") in which two payloads differ."""
    names = list(incoming) + [name for name in stored if name not in incoming]
    return [
        name
        for name in names
        if stored.get(name) != incoming.get(name) and not name.endswith(".count")
    ] or ["(incident)"]


def _filled(canonical: dict) -> dict:
    """A canonical payload with every left-out default put back, at each level."""
    data = {**INCIDENT_DEFAULTS, **canonical}
    data["location"] = {**LOCATION_DEFAULTS, **data["location"]}
    data["officer"] = {**OFFICER_DEFAULTS, **data["officer"]}
    data["people"] = [{**PERSON_DEFAULTS, **person} for person in data["people"]]
    data["questionnaires"] = [{**QUESTIONNAIRE_DEFAULTS, **q} for q in data["questionnaires"]]
    return data


# A person of a filled payload as identity resolution reads them (prepare_mention reads only
# these): a tuple is made in a fraction of a MentionInput's time, and a file import's checking
# process makes one for every person of the file.
_Described = namedtuple(
    "_Described",
    "source_system source_reference source_person_ref given_name surname date_of_birth "
    "date_of_birth_text sex postcode address nhs_number pnc_id",
)


def _described(data: dict, person: dict) -> _Described:
    dob = person["date_of_birth"] or ""
    return _Described(
        data["source_system"],
        data["source_reference"],
        person["ref"],
        person["given_name"],
        person["surname"],
        date.fromisoformat(dob) if len(dob) == 10 else None,
        dob,
        person["sex"],
        person["postcode"],
        person["address"],
        person["nhs_number"],
        person["pnc_id"],
    )


def _mention_inputs(data: dict, identities: tuple | None = None) -> list[MentionInput]:
    """The people of a filled payload, as identity resolution takes them."""
    return [
        MentionInput(
            **_described(data, person)._asdict(),
            recorded_age=person["age"],
            appears_under_18=person["appears_under_18"],
            ethnicity=person["ethnicity"],
            prepared=identities[index] if identities else None,
        )
        for index, person in enumerate(data["people"])
    ]


def worked_out_ahead(parsed: ParsedIncident) -> tuple[tuple, tuple]:
    """What storing a new incident works out from its payload alone, which a file import works
    out in its checking process so the storing process need not:
      - per person, what identity resolution compares and looks up before it looks anyone up
        (people.services.prepare_mention);
      - the address key of where it happened, and per person whether they are a child, their
        age and their address key."""
    data = _filled(parsed.canonical)
    identities = tuple(prepare_mention(_described(data, person)) for person in data["people"])
    return identities, _places_and_ages(data)


def _places_and_ages(data: dict) -> tuple:
    location = data["location"]
    on = local_date(_moment(data["occurred_at"]))
    people = []
    for person in data["people"]:
        found = child_facts(
            date_of_birth=person["date_of_birth"],
            recorded_age=person["age"],
            appears_under_18=person["appears_under_18"],
            on=on,
        )
        people.append(
            (found.is_child, found.age, address_key(person["address"], person["postcode"]))
        )
    return address_key(location["address"], location["postcode"]), tuple(people)


def _create(outcomes: list[StoreOutcome], source: _Source, received_from, request, is_bulk=False):
    """Create the new incidents of a batch and everything that hangs off them."""
    if not outcomes:
        return
    now = timezone.now()
    payloads = [_filled(outcome.parsed.canonical) for outcome in outcomes]
    worked_out = [
        outcome.parsed.facts or _places_and_ages(data)
        for outcome, data in zip(outcomes, payloads, strict=True)
    ]
    places = _places({p["location"]["postcode"] for p in payloads} - {""})
    schools = _schools({person["school_urn"] for p in payloads for person in p["people"]} - {None})

    incidents = []
    for outcome, data, (location_key, _) in zip(outcomes, payloads, worked_out, strict=True):
        location, officer = data["location"], data["officer"]
        place = places.get(location["postcode"], (None, None))
        incidents.append(
            bulk.new(
                Incident,
                source_system=data["source_system"],
                source_reference=data["source_reference"],
                payload_hash=outcome.parsed.payload_hash,
                kind=data["kind"],
                occurred_at=_moment(data["occurred_at"]),
                reported_at=_moment(data["reported_at"]),
                location_address=location["address"],
                location_postcode=location["postcode"],
                local_authority_id=place[0],
                ward_id=place[1],
                location_key=location_key,
                narrative=data["narrative"],
                indicators=[str(code) for code in data["indicators"]],
                officer_name=officer["name"],
                officer_collar_number=officer["collar_number"],
                officer_email=officer["email"],
                received_via=source.channel,
                received_from_client=source.client,
                received_from_user=source.user,
                received_from_label=source.label[:200],
                received_at=now,
                section_hashes=outcome.parsed.section_hashes,
            )
        )
    # People: every mention in the batch resolved at once, in this transaction. Everything the
    # batch reads is read first (who each person is, and the household search's earlier
    # records), then it is written: in a file import the writes are queued and their ids drawn
    # in one query (bulk.want_ids), so that no read waits for them.
    inputs, ages, adults = [], [], []  # ages: per person, (is a child, age, address key)
    for outcome, incident, data, (_, people) in zip(
        outcomes, incidents, payloads, worked_out, strict=True
    ):
        for person, (is_child, _, key) in zip(data["people"], people, strict=True):
            is_adult = person["role"] in ADULT_ROLES and not is_child
            adults.append((incident.occurred_at, key) if is_adult else None)
        ages += people
        inputs += _mention_inputs(data, outcome.parsed.identities)
    bulk.want_ids(Incident, len(incidents))
    bulk.want_ids(Involvement, len(inputs))
    bulk.want_ids(Questionnaire, sum(len(data["questionnaires"]) for data in payloads))
    decided = decide_mentions(mentions=inputs)
    stored_household = stored_household_records(
        adults=[
            (adult[0], person_id, adult[1])
            for adult, person_id in zip(adults, decided.stored_person_ids(), strict=True)
            if adult is not None
        ]
    )
    resolutions = iter(store_mentions(decided))
    bulk.insert(incidents, Incident)
    for outcome, incident in zip(outcomes, incidents, strict=True):
        outcome.incident = incident

    involvements, members = [], {}
    people = iter(ages)
    for incident, data in zip(incidents, payloads, strict=True):
        members[incident.id] = []
        for person in data["people"]:
            resolution = next(resolutions)
            is_child, age, key = next(people)
            involvement = bulk.new(
                Involvement,
                incident=incident,
                mention=resolution.mention,
                ref=person["ref"],
                role=person["role"],
                is_present=_presence(person),
                where_during_incident=person["where_during_incident"],
                voice=person["voice"],
                school_id=schools.get(person["school_urn"]),
                school_urn=person["school_urn"],
                is_child=is_child,
                age_at_incident=age,
                address_key=key,
            )
            involvements.append(involvement)
            person_id = resolution.person.merged_into_id or resolution.person.id
            members[incident.id].append((involvement, person_id))
    bulk.insert(involvements, Involvement)

    answers = []
    for incident, data in zip(incidents, payloads, strict=True):
        by_ref = {involvement.ref: involvement for involvement, _ in members[incident.id]}
        for questionnaire in data["questionnaires"]:
            answers.append(
                bulk.new(
                    Questionnaire,
                    incident=incident,
                    kind=questionnaire["kind"],
                    respondent=by_ref.get(questionnaire["respondent"]),
                    answers=questionnaire["answers"],
                    score=questionnaires.score(questionnaire["answers"]),
                    officer_grade=questionnaire["officer_grade"] or "",
                )
            )
    bulk.insert(answers, Questionnaire)

    household = household_children(incidents, members, stored_household)
    notices = []
    for outcome, incident in zip(outcomes, incidents, strict=True):
        made = _notices_for(incident, members[incident.id], household.get(incident.id, []), now)
        outcome.notices = len(made)
        notices += made
    bulk.insert(notices, Notice)
    # Higher apps (screening) act on new notices in the same transaction: see signals.py.
    notices_created.send(sender=Notice, notices=notices, incidents=incidents, bulk=is_bulk)

    events = [
        AccessEvent(
            action=Action.CREATE,
            subject_type="incident",
            subject_id=incident.id,
            subject_label=incident.reference,
            details={"via": source.channel},
        )
        for incident in incidents
    ]
    events += [
        AccessEvent(
            action=Action.CREATE,
            subject_type="notice",
            subject_id=notice.id,
            subject_label=f"Child coming to notice in {notice.incident.reference}",
            person_id=notice.person_id,
            details={"incident": notice.incident_id, "reason": notice.reason},
        )
        for notice in notices
    ]
    record_accesses(actor=received_from, events=events, request=request)


def _places(postcodes: set[str]) -> dict[str, tuple[int | None, int | None]]:
    """Postcode -> (local authority id, ward id), for a whole batch in one query."""
    if not postcodes:
        return {}
    rows = Postcode.objects.filter(postcode__any=postcodes).values_list(
        "postcode", "local_authority_id", "ward_id"
    )
    return {postcode: (authority, ward) for postcode, authority, ward in rows}


def _schools(urns: set[int]) -> dict[int, int]:
    if not urns:
        return {}
    return dict(School.objects.filter(urn__any=urns).values_list("urn", "id"))


def _notices_for(incident, members, household: list[HouseholdChild], now) -> list[Notice]:
    """One notice per child: each child in the incident, then each found from household
    records who is not in it."""
    made, seen = [], set()
    children = [(inv, pid) for inv, pid in members if inv.is_child]
    for involvement, person_id in sorted(children, key=lambda m: ROLE_ORDER[m[0].role]):
        if person_id in seen:
            continue
        seen.add(person_id)
        made.append(
            bulk.new(
                Notice,
                incident=incident,
                person_id=person_id,
                involvement=involvement,
                role=involvement.role,
                is_present=involvement.is_present,
                age_at_incident=involvement.age_at_incident,
                reason=NoticeReason.IN_INCIDENT,
                created_at=now,
            )
        )
    for child in household:
        if child.person_id in seen:
            continue
        seen.add(child.person_id)
        made.append(
            bulk.new(
                Notice,
                incident=incident,
                person_id=child.person_id,
                role=Role.CHILD_IN_HOUSEHOLD,
                is_present=False,
                age_at_incident=child.age_at_incident,
                reason=NoticeReason.HOUSEHOLD_RECORDS,
                reason_detail=child.reason_detail[:300],
                found_via_incident_id=child.found_via_incident_id,
                created_at=now,
            )
        )
    return made


# Reading -------------------------------------------------------------------------------------


def incident_with_details():
    """Incidents with everything a reply shows, in a fixed number of queries."""
    return Incident.objects.select_related("local_authority", "ward").prefetch_related(
        Prefetch("involvements", queryset=Involvement.objects.order_by("pk")),
        Prefetch(
            "questionnaires",
            queryset=Questionnaire.objects.select_related("respondent").order_by("pk"),
        ),
        Prefetch("notices", queryset=Notice.objects.select_related("involvement").order_by("pk")),
    )


def incident_for_client(*, incident_id: int, client, request=None) -> Incident | None:
    """An incident the API client sent, with its notices, and the read logged; None if there is
    no such incident or another sender sent it."""
    incident = incident_with_details().filter(pk=incident_id, received_from_client=client).first()
    if incident is not None:
        record_access(
            actor=client,
            action=Action.READ,
            subject_type="incident",
            subject_id=incident.pk,
            subject_label=incident.reference,
            justification="Intake client read of its own incident",
            request=request,
        )
    return incident


def notices_of(*, incident: Incident) -> list[Notice]:
    return list(incident.notices.select_related("involvement", "person").order_by("pk"))
