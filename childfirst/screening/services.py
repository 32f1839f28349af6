"""Screening: the rules in rules/screening/ turn a notice's facts and history into indicators, a
grade, recommended recipients, prompts and clocks, each with the reason it fired.

Every notice is screened at intake (a receiver of incidents.signals.notices_created, connected
in apps.py) and again when the desk reviews it (`screen_notice`). Each screening is kept; the
newest is current. A batch is screened with a handful of queries whatever its size
(screening.history).

Notices from the API and the officer's form are screened inside the intake transaction, so the
reply and the page show the grade. Notices from a bulk file import are queued instead
(PendingScreening, written in the import's transaction) and the worker's sweep screens them
seconds later (`screen_pending`), so screening does not slow the import down.

Clocks: each clock rule a screening asks for starts a timescales clock on the notice.
  encompass          at the incident's time, with the child's school (or the incident's local
                     authority, for the term calendar) so it is due before the next school day
  return_interview   at the time the missing episode was reported (the latest time the record
                     gives; the payload has no time of return), else the time it occurred
  desk_review_*      when the notice is screened; for a notice the worker screens from the queue,
                     when the notice came in (a worker that falls behind gives the desk no
                     extra time)
At a review, clocks the notice already has are not started again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from childfirst import bulk
from childfirst.audit.models import Action
from childfirst.audit.services import AccessEvent, record_accesses
from childfirst.incidents.models import Notice
from childfirst.screening.engine import evaluate
from childfirst.screening.history import gather_facts
from childfirst.screening.models import PendingScreening, Screening, Trigger
from childfirst.screening.rules import current_rules
from childfirst.screening.signals import notices_screened
from childfirst.timescales import services as timescales
from childfirst.timescales.rules import ENCOMPASS

# How many queued notices the worker screens in one transaction.
PENDING_BATCH = 2000
# The worker screens the queue every couple of seconds; a notice queued longer than this means
# it has stopped or cannot keep up, and the desk is told (its children are not yet in the queue).
BACKLOG_ALERT_AFTER = timedelta(minutes=5)

# A clock's label comes from its rule (rules/clocks.yaml), but for one case the rule cannot
# know: an Encompass notice with no school recorded goes to the local authority.
ENCOMPASS_TO_LOCAL_AUTHORITY = "Operation Encompass notice to the local authority"


def screen_notices(
    *,
    notices: list[Notice],
    trigger: str = Trigger.INTAKE,
    by=None,
    now=None,
    clocks_from_arrival: bool = False,
):
    """Screen notices in bulk: one new current Screening each (in the order given), the clocks
    the rules ask for started, and notices_screened sent. With `clocks_from_arrival` (the
    worker screening queued notices), a clock that starts "when the notice is screened" starts
    when the notice came in instead."""
    if not notices:
        return []
    now = now or timezone.now()
    ruleset = current_rules()
    _attach(notices)
    facts = gather_facts(notices=notices, ruleset=ruleset)
    outcomes = {}
    # In time order, so a MARAC screening earlier in the batch counts for a later incident.
    ordered = sorted(notices, key=lambda n: (n.incident.occurred_at, n.incident_id, n.pk))
    for notice in ordered:
        notice_facts = facts[notice.pk]
        outcome = evaluate(ruleset, notice_facts)
        if "marac" in outcome.recommended_recipients:
            notice_facts.marac_incidents.add(notice.incident_id)
        outcomes[notice.pk] = outcome
    screenings = [
        bulk.new(
            Screening,
            notice=notice,
            is_current=True,
            trigger=trigger,
            screened_at=now,
            screened_by=by,
            rules_version=ruleset.version,
            grade=outcomes[notice.pk].grade,
            grade_rank=outcomes[notice.pk].grade_rank,
            indicators=outcomes[notice.pk].indicators,
            rules_fired=outcomes[notice.pk].rules_fired,
            recommended_recipients=outcomes[notice.pk].recommended_recipients,
            prompts=outcomes[notice.pk].prompts,
            clocks=outcomes[notice.pk].clocks,
        )
        for notice in notices
    ]
    with transaction.atomic():
        ids = [notice.pk for notice in notices]
        # (At intake there is none yet; a notice screened again keeps the old one, not current.)
        Screening.objects.filter(notice_id__any=ids, is_current=True).update(is_current=False)
        bulk.insert(screenings, Screening)
        clocks = _start_clocks(
            screenings, trigger=trigger, now=now, from_arrival=clocks_from_arrival
        )
        notices_screened.send(sender=Screening, screenings=screenings, clocks=clocks)
    return screenings


def screen_notice(*, notice: Notice, by, now=None) -> Screening:
    """The desk's screening again at review: the new one is current, the old one is kept."""
    with transaction.atomic():
        [screening] = screen_notices(notices=[notice], trigger=Trigger.REVIEW, by=by, now=now)
        record_accesses(
            actor=by,
            events=[
                AccessEvent(
                    action=Action.UPDATE,
                    subject_type="notice",
                    subject_id=notice.pk,
                    subject_label=f"Screened again at desk review: {screening.get_grade_display()}",
                    justification="Desk review of the notice",
                    person_id=notice.person_id,
                    details={"screening": screening.pk, "rules_version": screening.rules_version},
                )
            ],
        )
    return screening


def queue_for_screening(*, notices: list[Notice], now=None) -> None:
    """Queue notices for the worker to screen (a bulk file import), in the caller's
    transaction: they commit or roll back with the notices."""
    if not notices:
        return
    bulk.insert_rows(
        PendingScreening,
        ["notice_id"],
        [(notice.id,) for notice in notices],
        same={"queued_at": now or timezone.now()},
    )


# Counting a queue of a million rows on every queue page would cost more than the page: the
# count stops here ("100,000 or more").
BACKLOG_COUNT_LIMIT = 100_000


@dataclass(frozen=True)
class Backlog:
    """The notices waiting for the worker to screen them (`waiting` at most
    BACKLOG_COUNT_LIMIT; `more` when there are more than that)."""

    waiting: int
    oldest_queued_at: datetime | None
    now: datetime
    more: bool = False

    @property
    def oldest_wait(self) -> timedelta:
        if self.oldest_queued_at is None:
            return timedelta(0)
        return max(timedelta(0), self.now - self.oldest_queued_at)

    @property
    def is_late(self) -> bool:
        """True when a notice has waited longer than the worker ever should take."""
        return self.waiting > 0 and self.oldest_wait >= BACKLOG_ALERT_AFTER


def screening_backlog(*, now=None) -> Backlog:
    """How many notices wait for the worker's screening, and since when: two queries on the
    primary key, quick however long the queue (rows are queued in time order, so the lowest id
    is the oldest)."""
    now = now or timezone.now()
    oldest = PendingScreening.objects.order_by("pk").values_list("queued_at", flat=True).first()
    if oldest is None:
        return Backlog(0, None, now)
    counted = PendingScreening.objects.all()[: BACKLOG_COUNT_LIMIT + 1].count()
    more = counted > BACKLOG_COUNT_LIMIT
    return Backlog(min(counted, BACKLOG_COUNT_LIMIT), oldest, now, more)


def screen_pending(*, limit: int = PENDING_BATCH, now=None) -> int:
    """Screen up to `limit` queued notices, in notice id order, and take them off the queue, all
    in one transaction: if anything fails, nothing is screened and they stay queued. Rows are
    claimed with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so workers sweeping at once
    take different notices (SQLite lets one writer in at a time). A notice that already has a
    screening (the desk screened it first) leaves the queue without another. Returns how many
    were screened."""
    return _screen_pending(limit=limit, now=now)[1]


def screen_all_pending(
    *, batch: int = PENDING_BATCH, max_batches: int | None = None, now=None
) -> int:
    """Screen the queue, `batch` notices a transaction, until none is left to claim or
    `max_batches` transactions have run (the worker's sweep stops there to deliver, and goes on
    at its next sweep). Returns how many were screened."""
    screened = batches = 0
    while max_batches is None or batches < max_batches:
        claimed, done = _screen_pending(limit=batch, now=now)
        screened += done
        batches += 1
        if not claimed:
            break
    return screened


def current_screenings(*, notice_ids: list[int]) -> dict[int, Screening]:
    """The current screening of each notice that has one, by notice id, in one query."""
    found = Screening.objects.filter(notice_id__any=list(notice_ids), is_current=True)
    return {screening.notice_id: screening for screening in found}


def notice_details(notices: list[Notice]) -> dict[int, dict]:
    """The API's screening fields for each notice (incidents.extensions provider): grade,
    rules_fired, recommended_recipients, prompts and clocks, in two queries."""
    ids = [notice.pk for notice in notices]
    screenings = current_screenings(notice_ids=ids)
    clocks = _clocks_for(ids)
    found = {}
    for notice_id in ids:
        screening = screenings.get(notice_id)
        details = {
            "clocks": [
                {"rule": clock.rule, "due_at": clock.due_at, "state": clock.state}
                for clock in sorted(clocks.get(notice_id, []), key=lambda c: (c.due_at, c.pk))
            ]
        }
        if screening is not None:
            details.update(
                grade=screening.grade,
                rules_fired=screening.rules_fired,
                recommended_recipients=screening.recommended_recipients,
                prompts=screening.prompts,
            )
        found[notice_id] = details
    return found


# Helpers ---------------------------------------------------------------------------------------


def _screen_pending(*, limit: int, now) -> tuple[int, int]:
    """(rows claimed, notices screened) for screen_pending."""
    now = now or timezone.now()
    with transaction.atomic():
        queued = PendingScreening.objects.order_by("notice_id")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        claimed = list(queued.values_list("pk", "notice_id")[:limit])
        if not claimed:
            return 0, 0
        notice_ids = [notice_id for _, notice_id in claimed]
        screened = set(
            Screening.objects.filter(notice_id__any=notice_ids, is_current=True).values_list(
                "notice_id", flat=True
            )
        )
        notices = list(
            Notice.objects.filter(pk__any=[i for i in notice_ids if i not in screened])
            .select_related("incident", "involvement")
            .order_by("pk")
        )
        screen_notices(notices=notices, trigger=Trigger.INTAKE, now=now, clocks_from_arrival=True)
        PendingScreening.objects.filter(pk__any=[pk for pk, _ in claimed]).delete()
    return len(claimed), len(notices)


def _attach(notices: list[Notice]):
    """Make sure each notice has its incident and involvement loaded (one query if not)."""
    incident_field = Notice._meta.get_field("incident")
    involvement_field = Notice._meta.get_field("involvement")
    missing = [
        notice.pk
        for notice in notices
        if not incident_field.is_cached(notice)
        or (notice.involvement_id is not None and not involvement_field.is_cached(notice))
    ]
    if not missing:
        return
    loaded = Notice.objects.select_related("incident", "involvement").in_bulk(missing)
    for notice in notices:
        if notice.pk in loaded:
            notice.incident = loaded[notice.pk].incident
            notice.involvement = loaded[notice.pk].involvement


def _clocks_for(notice_ids: list[int]) -> dict[int, list]:
    if not notice_ids:
        return {}
    return timescales.clocks_for(subject_type="notice", subject_ids=notice_ids)


def _start_clocks(
    screenings: list[Screening], *, trigger: str, now, from_arrival: bool = False
) -> dict[int, list]:
    had_rules: dict[int, set[str]] = {}
    if trigger != Trigger.INTAKE:  # a notice screened again keeps the clocks it has
        had_rules = timescales.clock_rules_for(
            subject_type="notice", subject_ids=[screening.notice_id for screening in screenings]
        )
    requests = []
    for screening in screenings:
        notice = screening.notice
        incident = notice.incident
        had = had_rules.get(notice.pk, ())
        for rule in screening.clocks:
            if rule in had:
                continue
            school_id = notice.involvement.school_id if notice.involvement else None
            label = ""  # the rule's own label
            if rule == ENCOMPASS:
                started_at = incident.occurred_at
                if school_id is None:
                    label = ENCOMPASS_TO_LOCAL_AUTHORITY
            elif rule == "return_interview":
                started_at = incident.reported_at or incident.occurred_at
            elif from_arrival and notice.created_at is not None:
                started_at = min(notice.created_at, now)
            else:
                started_at = now
            requests.append(
                timescales.ClockRequest(
                    rule=rule,
                    subject_type="notice",
                    subject_id=notice.pk,
                    started_at=started_at,
                    local_authority_id=incident.local_authority_id,
                    school_id=school_id,
                    label=label,
                )
            )
    found: dict[int, list] = {screening.notice_id: [] for screening in screenings}
    if requests:
        for clock in timescales.start_clocks(requests=requests):
            found.setdefault(clock.subject_id, []).append(clock)
    return found
