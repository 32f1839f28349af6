"""The facts screening rules read about a batch of notices, gathered in a handful of queries
for the whole batch (never a query per notice).

History counts (the `history` condition of a rule), each within the rule's window of days
before the notice's incident (an incident at the same moment counts as earlier when its id is
lower, so a batch screens the same whatever order it arrives in):

  child_missing_episodes     the child's missing episodes (notices as missing person), this
                             one included: the third episode in 90 days counts 3
  child_victim_history       the child's earlier notices as a victim
  child_earlier_notices      the child's earlier notices, any role
  household_domestic_abuse   domestic abuse incidents at the incident's address (its household
                             key), this one included
  household_marac            earlier incidents at the address that screened as MARAC (a
                             MARAC recipient was recommended): referrals are made later, so a
                             MARAC screening stands for one

Records of a person since merged into the child count as the child's.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection

from childfirst import bulk
from childfirst.directory.models import AgencyKind
from childfirst.incidents.models import Incident, Kind, Notice, Questionnaire, Role
from childfirst.people.models import Person
from childfirst.screening.models import Screening

DOMESTIC_ABUSE_KINDS = (Kind.DOMESTIC_ABUSE_INCIDENT, Kind.DOMESTIC_ABUSE_CRIME)
CHILD_COUNTERS = {"child_missing_episodes", "child_victim_history", "child_earlier_notices"}
HOUSEHOLD_COUNTERS = {"household_domestic_abuse", "household_marac"}
CHUNK = 2000


@dataclass(frozen=True)
class QuestionnaireFacts:
    kind: str
    score: int
    officer_grade: str
    answers: dict
    respondent_age: int | None


@dataclass
class NoticeFacts:
    """What the rules know about one notice."""

    notice_id: int
    incident_id: int
    occurred_at: datetime
    kind: str
    role: str
    age: int | None
    has_school: bool
    incident_indicators: tuple[str, ...]
    questionnaires: list[QuestionnaireFacts]
    # (occurred_at, incident_id, role) of the child's notices, and (occurred_at, incident_id,
    # kind) of the incidents at the household, within the longest window any rule asks for.
    child_rows: list = field(default_factory=list)
    household_rows: list = field(default_factory=list)
    # Incidents known to have screened as MARAC: from the database and from this batch so far.
    marac_incidents: set = field(default_factory=set)
    _counts: dict = field(default_factory=dict)

    def count(self, counter: str, within_days: int) -> int:
        key = (counter, within_days)
        if key not in self._counts:
            self._counts[key] = self._count(counter, within_days)
        return self._counts[key]

    def _count(self, counter: str, within_days: int) -> int:
        since = self.occurred_at - timedelta(days=within_days)
        here = (self.occurred_at, self.incident_id)

        def earlier(row):
            return since < row[0] and (row[0], row[1]) < here

        def up_to_now(row):
            return since < row[0] and (row[0], row[1]) <= here

        if counter == "child_missing_episodes":
            rows = self.child_rows
            return len({r[1] for r in rows if r[2] == Role.MISSING_PERSON and up_to_now(r)})
        if counter == "child_victim_history":
            return len({r[1] for r in self.child_rows if r[2] == Role.VICTIM and earlier(r)})
        if counter == "child_earlier_notices":
            return len({r[1] for r in self.child_rows if earlier(r)})
        if counter == "household_domestic_abuse":
            rows = self.household_rows
            return len({r[1] for r in rows if r[2] in DOMESTIC_ABUSE_KINDS and up_to_now(r)})
        if counter == "household_marac":
            rows = self.household_rows
            return len({r[1] for r in rows if r[1] in self.marac_incidents and earlier(r)})
        raise ValueError(f"Unknown history count {counter}")


def gather_facts(*, notices: list[Notice], ruleset) -> dict[int, NoticeFacts]:
    """NoticeFacts for each notice (incident and involvement attached), by notice id."""
    incidents = {notice.incident_id: notice.incident for notice in notices}
    asked = ruleset.counters
    by_incident = _questionnaires(list(incidents)) if ruleset.uses_questionnaires else {}
    child_rows = _child_rows(notices, asked) if asked.keys() & CHILD_COUNTERS else {}
    household_rows, marac = {}, set()
    if asked.keys() & HOUSEHOLD_COUNTERS:
        household_rows = _household_rows(list(incidents.values()), asked)
        if "household_marac" in asked:
            marac = _marac_incidents({row[1] for rows in household_rows.values() for row in rows})
    found = {}
    for notice in notices:
        incident = notice.incident
        involvement = notice.involvement
        key = incident.location_key
        rows = household_rows.get(key, []) if key else []
        if not key:
            rows = [(incident.occurred_at, incident.pk, incident.kind)]
        found[notice.pk] = NoticeFacts(
            notice_id=notice.pk,
            incident_id=incident.pk,
            occurred_at=incident.occurred_at,
            kind=incident.kind,
            role=notice.role,
            age=notice.age_at_incident,
            has_school=involvement is not None and involvement.school_id is not None,
            incident_indicators=tuple(incident.indicators or ()),
            questionnaires=by_incident.get(incident.pk, []),
            child_rows=child_rows.get(notice.person_id, []),
            household_rows=rows,
            marac_incidents=marac,
        )
    return found


def _chunks(items: list):
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _questionnaires(incident_ids: list[int]) -> dict[int, list[QuestionnaireFacts]]:
    found = defaultdict(list)
    for chunk in _chunks(incident_ids):
        rows = (
            Questionnaire.objects.filter(incident_id__any=chunk)
            .order_by("pk")
            .values_list(
                "incident_id",
                "kind",
                "score",
                "officer_grade",
                "answers",
                "respondent__age_at_incident",
            )
        )
        for incident_id, kind, score, grade, answers, age in rows:
            found[incident_id].append(
                QuestionnaireFacts(kind, score, grade or "", answers or {}, age)
            )
    return found


def _window(incidents, days: int) -> tuple[datetime, datetime]:
    times = [incident.occurred_at for incident in incidents]
    return min(times) - timedelta(days=days), max(times)


def _child_rows(notices: list[Notice], asked: dict[str, int]) -> dict[int, list]:
    """The batch's children's notices, by person, in one query (two with merged persons)."""
    days = max(asked[name] for name in asked.keys() & CHILD_COUNTERS)
    since, until = _window([notice.incident for notice in notices], days)
    person_ids = {notice.person_id for notice in notices}
    owner = {pid: pid for pid in person_ids}
    found = defaultdict(list)
    for chunk in _chunks(list(person_ids)):
        merged = Person.objects.filter(merged_into_id__any=chunk).values_list(
            "id", "merged_into_id"
        )
        owner.update(dict(merged))
    notice, incident = _table(Notice), _table(Incident)
    for chunk in _chunks(list(owner)):
        among, params = bulk.one_of("n.person_id", chunk)
        rows = _rows(
            f"SELECT n.person_id, {_epoch('i.occurred_at')}, n.incident_id, n.role "  # noqa: S608
            f"FROM {notice} n JOIN {incident} i ON i.id = n.incident_id "
            f"WHERE {among} AND i.occurred_at > %s AND i.occurred_at <= %s",
            [*params, *_bounds(since, until)],
        )
        for person_id, epoch, incident_id, role in rows:
            found[owner[person_id]].append((_moment(epoch), incident_id, role))
    return found


# History rows are read with plain SQL and their times as seconds since 1970: Django's loader
# for PostgreSQL timestamps is Python (psycopg's own is C), and it was a tenth of screening.


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _epoch(column: str) -> str:
    """PostgreSQL: seconds since 1970; SQLite: the stored text (UTC, ISO 8601)."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    return column


def _bounds(since: datetime, until: datetime) -> list:
    adapt = connection.ops.adapt_datetimefield_value
    return [adapt(since), adapt(until)]


def _moment(value: float | str | datetime) -> datetime:
    if isinstance(value, datetime):  # SQLite, through Django's converter for the column type
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return datetime.fromtimestamp(round(value, 6), UTC)  # whole microseconds, as stored


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _household_rows(incidents: list[Incident], asked: dict[str, int]) -> dict[str, list]:
    days = max(asked[name] for name in asked.keys() & HOUSEHOLD_COUNTERS)
    keyed = [incident for incident in incidents if incident.location_key]
    if not keyed:
        return {}
    since, until = _window(keyed, days)
    found = defaultdict(list)
    table = _table(Incident)
    for chunk in _chunks(sorted({incident.location_key for incident in keyed})):
        among, params = bulk.one_of("location_key", chunk)
        rows = _rows(
            f"SELECT location_key, {_epoch('occurred_at')}, id, kind FROM {table} "  # noqa: S608
            f"WHERE {among} AND occurred_at > %s AND occurred_at <= %s",
            [*params, *_bounds(since, until)],
        )
        for key, epoch, incident_id, kind in rows:
            found[key].append((_moment(epoch), incident_id, kind))
    return found


def _marac_incidents(incident_ids: set[int]) -> set[int]:
    """Of these incidents, those with a current screening that recommended MARAC."""
    found = set()
    for chunk in _chunks(sorted(incident_ids)):
        rows = Screening.objects.filter(
            is_current=True, notice__incident_id__any=chunk
        ).values_list("notice__incident_id", "recommended_recipients")
        found |= {incident_id for incident_id, kinds in rows if AgencyKind.MARAC in kinds}
    return found
