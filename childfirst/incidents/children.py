"""Who is a child, and which children live with an incident's adults.

`child_facts` decides whether a person is under 18 on the incident's (London) date from a full
or partial date of birth, a recorded age or "appears to be under 18". `find_household_children`
finds the children in the household of an incident's adult victims and suspects from earlier
records. The officer's form uses `child_facts` too, so a child is a child by one rule everywhere.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from childfirst.dates import london_date
from childfirst.directory.services import normalise_postcode
from childfirst.incidents.models import Incident, Involvement, Role
from childfirst.people.models import Mention, Person
from childfirst.people.services import age_on, is_child

LONDON = ZoneInfo("Europe/London")
# Children found from household records: the adult victim's or suspect's earlier incidents with a
# child present or in the household, and anyone recorded as a child at the adult's address.
HOUSEHOLD_ROLES = (Role.PRESENT, Role.CHILD_IN_HOUSEHOLD)
ADULT_ROLES = (Role.VICTIM, Role.SUSPECT)
DEFAULT_HOUSEHOLD_LOOKBACK_DAYS = 3 * 365
# An earlier record that said only "appears to be under 18" still counts this long afterwards.
APPEARS_UNDER_18_KEEPS_DAYS = 365
NOT_ALPHANUMERIC = re.compile(r"[^A-Z0-9]+")
ADDRESS_NOISE = {"FLAT", "APARTMENT", "APT", "UNIT", "ROOM", "FLOOR", "THE", "NO", "NUMBER"}


@dataclass(frozen=True)
class ChildFacts:
    is_child: bool
    age: int | None


@dataclass(frozen=True)
class HouseholdChild:
    person_id: int
    age_at_incident: int | None
    found_via_incident_id: int
    reason_detail: str


# Children ------------------------------------------------------------------------------------


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def dob_bounds(text: str) -> tuple[date, date, date | None]:
    """Earliest and latest possible dates of birth, and the date itself when it is full."""
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        full = date(*parts)
        return full, full, full
    if len(parts) == 2:
        year, month = parts
        following = date(year + (month == 12), month % 12 + 1, 1)
        return date(year, month, 1), following - timedelta(days=1), None
    return date(parts[0], 1, 1), date(parts[0], 12, 31), None


def child_facts(
    *,
    date_of_birth: str | date | None,
    recorded_age: int | None,
    appears_under_18: bool | None,
    on: date,
) -> ChildFacts:
    """Is the person a child (under 18) on the date, and how old are they if that is known?

    A full date of birth decides. A partial one ("2016", "2016-09") decides when every date it
    allows gives the same answer; when it straddles the 18th birthday, a recorded age or
    "appears to be under 18" decides, and with neither the person is taken to be a child, so a
    child is never missed for want of a day and month.
    """
    if isinstance(date_of_birth, date):
        date_of_birth = date_of_birth.isoformat()
    if date_of_birth:
        earliest, latest, full = dob_bounds(date_of_birth)
        if full is not None:
            return ChildFacts(
                is_child(date_of_birth=full, recorded_age=None, appears_under_18=None, on=on),
                max(age_on(date_of_birth=full, on=on), 0),
            )
        oldest = age_on(date_of_birth=earliest, on=on)
        youngest = max(age_on(date_of_birth=latest, on=on), 0) if latest <= on else 0
        age = oldest if oldest == youngest else None
        if oldest < 18:
            return ChildFacts(True, age)
        if youngest >= 18:
            return ChildFacts(False, age)
        if recorded_age is not None:
            return ChildFacts(recorded_age < 18, recorded_age)
        if appears_under_18 is not None:
            return ChildFacts(bool(appears_under_18), None)
        return ChildFacts(True, None)
    return ChildFacts(
        is_child(
            date_of_birth=None,
            recorded_age=recorded_age,
            appears_under_18=appears_under_18,
            on=on,
        ),
        recorded_age,
    )


def _facts_from_earlier_record(row: dict, *, on: date) -> ChildFacts:
    """Whether someone recorded in an earlier incident is a child on a later date."""
    then = local_date(row["incident__occurred_at"])
    years_since = max(age_on(date_of_birth=then, on=on), 0)
    recorded_age = row["mention__recorded_age"]
    aged = None if recorded_age is None else recorded_age + years_since
    dob = row["mention__date_of_birth"] or row["mention__date_of_birth_text"] or None
    if dob:
        appears = row["mention__appears_under_18"]
        if (on - then).days > APPEARS_UNDER_18_KEEPS_DAYS:
            appears = None
        try:
            return child_facts(
                date_of_birth=dob, recorded_age=aged, appears_under_18=appears, on=on
            )
        except ValueError:
            pass  # a date of birth as recorded elsewhere that is not ISO: use the age instead
    if aged is not None:
        return ChildFacts(aged < 18, aged)
    if row["mention__appears_under_18"] and (on - then).days <= APPEARS_UNDER_18_KEEPS_DAYS:
        return ChildFacts(True, None)
    return ChildFacts(False, None)


@lru_cache(maxsize=100_000)  # households come again and again in a file import
def address_key(address: str, postcode: str) -> str:
    """A household key for an address: its postcode, its numbers and its first street word.

    "Flat 2, 14 Example Road, London" at E8 1DY and "14 Example Rd, Flat 2" at e81dy both give
    "E8 1DY|14 2|EXAMPLE". Without a postcode and an address there is no key: a street alone
    is too many households.
    """
    postcode = normalise_postcode(postcode or "")
    if not postcode or not (address or "").strip():
        return ""
    outward, inward = postcode.split()
    text = NOT_ALPHANUMERIC.sub(" ", address.upper())
    text = text.replace(f"{outward} {inward}", " ").replace(f"{outward}{inward}", " ")
    numbers, words = [], []
    for token in text.split():
        if token in (outward, inward):
            continue
        if not token.isalpha():  # tokens are letters and digits only: this one has a digit
            numbers.append(token)
        elif token not in ADDRESS_NOISE:
            words.append(token)
    if not numbers and not words:
        return ""
    return f"{postcode}|{' '.join(sorted(numbers))}|{words[0] if words else ''}"[:120]


def household_lookback() -> timedelta:
    days = getattr(settings, "CHILDFIRST_HOUSEHOLD_LOOKBACK_DAYS", DEFAULT_HOUSEHOLD_LOOKBACK_DAYS)
    return timedelta(days=int(days))


# Household children --------------------------------------------------------------------------

_EARLIER_FIELDS = (
    "incident_id",
    "incident__occurred_at",
    "incident__source_system",
    "incident__source_reference",
    "role",
    "address_key",
    "mention__person_id",
    "mention__person__merged_into_id",
    "mention__date_of_birth",
    "mention__date_of_birth_text",
    "mention__recorded_age",
    "mention__appears_under_18",
)


def find_household_children(*, incident: Incident) -> list[HouseholdChild]:
    """Children in the household of the incident's adult victims and suspects, found from earlier
    records: a child present or in the household in an earlier incident that involved the same
    adult, or anyone recorded at the adult's address in an earlier incident who is a child on
    this incident's date. Children named in this incident are left out."""
    involvements = list(incident.involvements.select_related("mention__person"))
    members = {
        incident.pk: [
            (inv, inv.mention.person.merged_into_id or inv.mention.person_id)
            for inv in involvements
        ]
    }
    return household_children([incident], members).get(incident.pk, [])


@dataclass
class HouseholdRecords:
    """Earlier records of a batch's adults: the incidents each adult is in, the children in the
    household in those incidents, and the children recorded at each address."""

    incidents_of: dict = field(default_factory=lambda: defaultdict(set))  # person -> incidents
    with_adult: dict = field(default_factory=lambda: defaultdict(list))  # incident -> rows
    at_address: dict = field(default_factory=lambda: defaultdict(list))  # address key -> rows


def stored_household_records(*, adults: list[tuple[datetime, int | None, str]]) -> HouseholdRecords:
    """What the database holds about these adults, each given as (when their incident happened,
    their person id or None for a person not stored yet, their address key), for
    household_children to use once the batch is written. Read before the batch's own rows are
    written, so the reads need not wait for those writes: household_children adds the batch's
    own records from memory."""
    if not adults:
        return HouseholdRecords()
    since, until = _window([when for when, _, _ in adults])
    adult_ids = {person_id for _, person_id, _ in adults if person_id is not None}
    keys = {key for _, _, key in adults if key}
    return _stored_records(adult_ids, keys, since, until)


def _window(moments: list[datetime]) -> tuple[datetime, datetime]:
    """The times within which earlier records of incidents at these moments are looked for."""
    return min(moments) - household_lookback(), max(moments)


def _stored_records(adult_ids: set[int], keys: set[str], since, until) -> HouseholdRecords:
    window = Q(incident__occurred_at__gte=since, incident__occurred_at__lte=until)
    # Only records that were a child's when made: no one is younger later, so a person who was
    # not a child in an earlier incident is not a child in this one (the rows also halve).
    records = HouseholdRecords()

    # The adults' earlier incidents, including those recorded under a person since merged into
    # them. (Plain indexed look-ups, one table at a time: an OR across the joins makes
    # PostgreSQL scan, and a join from involvements to mentions probes a mention per
    # involvement in the window.)
    merged = dict(
        Person.objects.filter(merged_into_id__any=adult_ids).values_list("id", "merged_into_id")
    )
    person_of_mention = dict(
        Mention.objects.filter(person_id__any=adult_ids | set(merged)).values_list(
            "id", "person_id"
        )
    )
    rows = Involvement.objects.filter(window, mention_id__any=person_of_mention).values_list(
        "incident_id", "mention_id"
    )
    for incident_id, mention_id in rows:
        person_id = person_of_mention[mention_id]
        records.incidents_of[merged.get(person_id, person_id)].add(incident_id)
    linked = set().union(*records.incidents_of.values()) if records.incidents_of else set()
    if linked:
        for row in Involvement.objects.filter(
            incident_id__any=linked, role__in=HOUSEHOLD_ROLES, is_child=True
        ).values(*_EARLIER_FIELDS):
            records.with_adult[row["incident_id"]].append(row)
    if keys:
        for row in Involvement.objects.filter(window, address_key__any=keys, is_child=True).values(
            *_EARLIER_FIELDS
        ):
            records.at_address[row["address_key"]].append(row)
    return records


def _add_batch_records(records, incidents, members, adult_ids, keys, since, until) -> None:
    """The batch's own records, from memory, as the database would give them once written."""
    for incident in incidents:
        if not since <= incident.occurred_at <= until:
            continue
        for involvement, person_id in members[incident.id]:
            if person_id in adult_ids:
                records.incidents_of[person_id].add(incident.id)
            if not involvement.is_child:
                continue
            mention = involvement.mention
            values = (
                incident.id,
                incident.occurred_at,
                incident.source_system,
                incident.source_reference,
                involvement.role,
                involvement.address_key,
                mention.person_id,
                mention.person.merged_into_id,
                mention.date_of_birth,
                mention.date_of_birth_text,
                mention.recorded_age,
                mention.appears_under_18,
            )
            row = dict(zip(_EARLIER_FIELDS, values, strict=True))
            if involvement.role in HOUSEHOLD_ROLES:
                records.with_adult[incident.id].append(row)
            if involvement.address_key and involvement.address_key in keys:
                records.at_address[involvement.address_key].append(row)


def household_children(
    incidents: list[Incident], members: dict, stored: HouseholdRecords | None = None
) -> dict[int, list]:
    """find_household_children for a whole batch, in five queries at most. `members` maps each
    incident's id to its (involvement, person id) pairs. With `stored` (from
    stored_household_records, read before the batch was written), the batch's own records are
    taken from memory and nothing is read here; without it, all are read now."""
    lookback = household_lookback()
    wanted = []
    for incident in incidents:
        adults = [
            (inv, pid)
            for inv, pid in members[incident.id]
            if inv.role in ADULT_ROLES and not inv.is_child
        ]
        if adults:
            wanted.append((incident, adults))
    if not wanted:
        return {}
    since, until = _window([incident.occurred_at for incident, _ in wanted])
    adult_ids = {pid for _, adults in wanted for _, pid in adults}
    keys = {inv.address_key for _, adults in wanted for inv, _ in adults if inv.address_key}
    if stored is None:
        records = _stored_records(adult_ids, keys, since, until)
    else:
        records = stored
        _add_batch_records(records, incidents, members, adult_ids, keys, since, until)
    incidents_of, with_adult, at_address = (
        records.incidents_of,
        records.with_adult,
        records.at_address,
    )

    found = {}
    for incident, adults in wanted:
        on = local_date(incident.occurred_at)
        here = {pid for _, pid in members[incident.id]}
        children: dict[int, HouseholdChild] = {}

        def consider(row, reason, incident=incident, on=on, here=here, children=children):
            """`reason(row)` says why, written only for a child who is kept."""
            person_id = row["mention__person__merged_into_id"] or row["mention__person_id"]
            if person_id in here or person_id in children:
                return
            if not _is_earlier(row, incident, lookback):
                return
            facts = _facts_from_earlier_record(row, on=on)
            if facts.is_child:
                children[person_id] = HouseholdChild(
                    person_id=person_id,
                    age_at_incident=facts.age,
                    found_via_incident_id=row["incident_id"],
                    reason_detail=reason(row),
                )

        for involvement, person_id in adults:
            adult = Role(involvement.role).label.lower()

            def with_this_adult(row, adult=adult):
                return (
                    f"Recorded as {Role(row['role']).label.lower()} in {_where(row)}, an "
                    f"earlier incident involving this incident's {adult}"
                )

            def at_this_address(row, adult=adult):
                return f"Recorded at the address of this incident's {adult} in {_where(row)}"

            for incident_id in sorted(incidents_of.get(person_id, ())):
                for row in with_adult.get(incident_id, ()):
                    consider(row, with_this_adult)
            for row in (
                at_address.get(involvement.address_key, ()) if involvement.address_key else ()
            ):
                consider(row, at_this_address)
        if children:
            found[incident.id] = list(children.values())
    return found


def _is_earlier(row: dict, incident: Incident, lookback: timedelta) -> bool:
    if row["incident_id"] == incident.id:
        return False
    when = row["incident__occurred_at"]
    if when < incident.occurred_at - lookback:
        return False
    return when < incident.occurred_at or (
        when == incident.occurred_at and row["incident_id"] < incident.id
    )


def _where(row: dict) -> str:
    on = london_date(row["incident__occurred_at"])
    return f"{row['incident__source_system']} {row['incident__source_reference']} ({on})"
