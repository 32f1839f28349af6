"""What the timescales app does: when clocks are due, starting, stopping, pausing and reopening
them, and checking them for warnings and breaches (docs/clocks.md)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from childfirst import bulk
from childfirst.timescales import calendars
from childfirst.timescales.models import Clock, ClockEvent, ClockEventKind, ClockState
from childfirst.timescales.rules import ClockRule, ClockRules, Measure, clock_rules
from childfirst.timescales.signals import clock_breached
from childfirst.timescales.timing import compute_due, compute_warn, move_on

# check_clocks works through this many clocks of each kind per transaction.
CHECK_BATCH = 5000
ESCALATION_REASON = "Escalated to the desk supervisors"


class ClockError(Exception):
    """A clock cannot do what was asked (pause one that has stopped, pause without a reason)."""


@dataclass(frozen=True)
class ClockRequest:
    rule: str  # a rule name from rules/clocks.yaml
    subject_type: str  # "notice", "referral", "disclosure"...
    subject_id: int
    started_at: datetime  # aware datetime
    local_authority_id: int | None = None  # term calendar for school days
    school_id: int | None = None  # the school's own start time and term calendar
    label: str = ""  # plain words for pages; the rule's label when empty


@dataclass(frozen=True)
class CheckResult:
    warned: list[Clock] = field(default_factory=list)
    breached: list[Clock] = field(default_factory=list)  # each also escalated


def due_at(
    *,
    rule: str,
    start: datetime,
    local_authority_id: int | None = None,
    school_id: int | None = None,
) -> datetime:
    """When a clock of this rule started at `start` is due (in UTC). Raises UnknownClockRule
    (a KeyError) for a rule rules/clocks.yaml does not have."""
    rules = clock_rules()
    return _due(rules, rules.rule(rule), start, local_authority_id, school_id)


def _due(rules: ClockRules, rule: ClockRule, start, local_authority_id, school_id) -> datetime:
    calendar, starts = _school_calendar(rules, rule, local_authority_id, school_id)
    return compute_due(
        rule=rule,
        rules=rules,
        start=start,
        calendar=calendar,
        school_id=school_id,
        school_starts=starts,
    )


def _school_calendar(rules: ClockRules, rule: ClockRule, local_authority_id, school_id):
    """The term calendar and school-day start time a school-day rule needs: the school's own
    local authority's calendar when the school is known, else the given local authority's."""
    if rule.measure != Measure.NEXT_SCHOOL_DAY_START:
        return calendars.EMPTY, rules.school_day_starts
    if school_id is not None:
        local_authority_id = calendars.school_local_authority(school_id) or local_authority_id
    calendar = calendars.calendar_for(local_authority_id=local_authority_id)
    return calendar, calendars.school_day_starts(school_id, rules.school_day_starts)


def start_clocks(*, requests: list[ClockRequest]) -> list[Clock]:
    """Start a clock for each request, in one insert (intake calls this for thousands of
    notices). Raises UnknownClockRule before anything is written if a rule does not exist."""
    if not requests:
        return []
    rules = clock_rules()
    wanted = {name: rules.rule(name) for name in {request.rule for request in requests}}
    if any(rule.measure == Measure.NEXT_SCHOOL_DAY_START for rule in wanted.values()):
        calendars.prime(
            local_authority_ids={r.local_authority_id for r in requests},
            school_ids={r.school_id for r in requests},
        )
    clocks = []
    for request in requests:
        rule = wanted[request.rule]
        due = _due(rules, rule, request.started_at, request.local_authority_id, request.school_id)
        clocks.append(
            bulk.new(
                Clock,
                rule=request.rule,
                subject_type=request.subject_type,
                subject_id=request.subject_id,
                label=request.label or rule.label,
                started_at=request.started_at,
                due_at=due,
                warn_at=compute_warn(rule=rule, rules=rules, start=request.started_at, due=due),
                state=ClockState.RUNNING,
                local_authority_id=request.local_authority_id,
                school_id=request.school_id,
                pause_reason="",
                paused_at=None,
                stopped_at=None,
                warned_at=None,
                breached_at=None,
                escalated_at=None,
            )
        )
    bulk.insert(clocks, Clock)
    return clocks


def clocks_for(*, subject_type: str, subject_ids: list[int]) -> dict[int, list[Clock]]:
    """Each subject's clocks, soonest due first (every id asked for is a key), in one query."""
    found: dict[int, list[Clock]] = {subject_id: [] for subject_id in subject_ids}
    if not subject_ids:
        return found
    for clock in Clock.objects.filter(
        subject_type=subject_type, subject_id__any=list(subject_ids)
    ).order_by("due_at", "pk"):
        found[clock.subject_id].append(clock)
    return found


def clock_rules_for(*, subject_type: str, subject_ids: list[int]) -> dict[int, set[str]]:
    """The rules of each subject's clocks (any state), in one light query."""
    found: dict[int, set[str]] = {subject_id: set() for subject_id in subject_ids}
    if subject_ids:
        rows = Clock.objects.filter(
            subject_type=subject_type, subject_id__any=list(subject_ids)
        ).values_list("subject_id", "rule")
        for subject_id, rule in rows:
            found[subject_id].add(rule)
    return found


def stop_clock(*, clock: Clock, at: datetime, by=None, reason: str = "") -> Clock:
    """The thing the clock waited for happened: the clock is met (or, after its due time,
    stays breached). Stopping a stopped clock changes nothing."""
    with transaction.atomic():
        locked = _locked(clock)
        _stop(locked, at=at, by=by, reason=reason)
    return _sync(clock, locked)


def stop_clocks_for(
    *,
    subject_type: str,
    subject_id: int,
    rules: list[str] | None,
    at: datetime,
    by=None,
    reason: str = "",
) -> list[Clock]:
    """Stop the subject's open clocks (of the rules named, or all of them)."""
    with transaction.atomic():
        found = Clock.objects.select_for_update().filter(
            subject_type=subject_type, subject_id=subject_id, stopped_at__isnull=True
        )
        if rules is not None:
            found = found.filter(rule__in=rules)
        stopped = list(found.order_by("due_at", "pk"))
        for clock in stopped:
            _stop(clock, at=at, by=by, reason=reason)
    return stopped


def _stop(clock: Clock, *, at: datetime, by, reason: str) -> None:
    if clock.stopped_at is not None:
        return
    if clock.state == ClockState.PAUSED and clock.paused_at is not None:
        # The pause ends here: the time paused counts for nothing, as if resumed at the stop.
        _move_on(clock, resumed_at=at)
    clock.stopped_at = at
    if clock.state == ClockState.BREACHED or at > clock.due_at:
        kind = ClockEventKind.STOPPED_LATE
        if clock.state != ClockState.BREACHED:
            clock.state = ClockState.BREACHED
            clock.breached_at = clock.due_at
    else:
        kind = ClockEventKind.MET
        clock.state = ClockState.MET
    clock.paused_at = None
    clock.save(
        update_fields=["stopped_at", "state", "breached_at", "paused_at", "due_at", "warn_at"]
    )
    ClockEvent.objects.create(clock=clock, kind=kind, at=at, by=by, reason=reason[:500])


def reopen_clock(*, clock: Clock, at: datetime, by=None, reason: str = "") -> Clock:
    """Set a stopped clock going again: what it waited for was undone (a supervisor returned the
    desk's decision), so the subject is waiting again. The clock keeps its due and warning times:
    the time it was stopped counts. It runs again if `at` is before its due time, and
    check_clocks warns and breaches it as usual. Otherwise it is breached and not stopped: a
    clock breached (and escalated) before it stopped stays so; one that fell due while stopped,
    or was stopped late, is breached and escalated now, as check_clocks would have done, with a
    "breached" and an "escalated" event and the clock_breached signal in this transaction.
    Raises ClockError for a clock that has not stopped."""
    original = clock
    with transaction.atomic():
        clock = _locked(clock)
        if clock.stopped_at is None:
            raise ClockError("Only a stopped clock can be reopened")
        clock.stopped_at = None
        clock.paused_at = None
        clock.pause_reason = ""
        events = [
            ClockEvent(clock=clock, kind=ClockEventKind.REOPENED, at=at, by=by, reason=reason[:500])
        ]
        escalate = False
        if clock.escalated_at is not None:
            # check_clocks breached it while it ran, before it stopped.
            clock.state = ClockState.BREACHED
        elif at >= clock.due_at:
            clock.state = ClockState.BREACHED
            clock.breached_at = clock.due_at
            clock.escalated_at = at
            events.append(ClockEvent(clock=clock, kind=ClockEventKind.BREACHED, at=at))
            events.append(
                ClockEvent(
                    clock=clock, kind=ClockEventKind.ESCALATED, at=at, reason=ESCALATION_REASON
                )
            )
            escalate = True
        else:
            # Not yet due, so not breached (check_clocks breaches it if it falls due).
            clock.state = ClockState.RUNNING
            clock.breached_at = None
        clock.save(
            update_fields=[
                "stopped_at",
                "paused_at",
                "pause_reason",
                "state",
                "breached_at",
                "escalated_at",
            ]
        )
        bulk.insert(events, ClockEvent)
        if escalate:
            clock_breached.send(sender=Clock, clocks=[clock])
    return _sync(original, clock)


def pause_clock(*, clock: Clock, at: datetime, by, reason: str) -> Clock:
    """Pause a running clock, with the reason (waiting for the family to be safe to contact)."""
    reason = (reason or "").strip()
    if not reason:
        raise ClockError("Give a reason for pausing the clock")
    original = clock
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state != ClockState.RUNNING or clock.stopped_at is not None:
            state = clock.get_state_display().lower()
            raise ClockError(f"Only a running clock can be paused; this one is {state}")
        clock.state = ClockState.PAUSED
        clock.paused_at = at
        clock.pause_reason = reason[:500]
        clock.save(update_fields=["state", "paused_at", "pause_reason"])
        ClockEvent.objects.create(
            clock=clock, kind=ClockEventKind.PAUSED, at=at, by=by, reason=reason[:500]
        )
    return _sync(original, clock)


def resume_clock(*, clock: Clock, at: datetime, by) -> Clock:
    """Restart a paused clock: its due and warning times move on by the time it was paused, in
    the rule's own units (real hours, working hours, working days or school days)."""
    original = clock
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state != ClockState.PAUSED:
            raise ClockError("Only a paused clock can be resumed")
        paused_for = at - clock.paused_at
        _move_on(clock, resumed_at=at)
        clock.state = ClockState.RUNNING
        clock.paused_at = None
        clock.pause_reason = ""
        clock.save(update_fields=["due_at", "warn_at", "state", "paused_at", "pause_reason"])
        ClockEvent.objects.create(
            clock=clock,
            kind=ClockEventKind.RESUMED,
            at=at,
            by=by,
            reason=f"Paused for {_duration(paused_for)}",
        )
    return _sync(original, clock)


def _move_on(clock: Clock, *, resumed_at: datetime) -> None:
    """Move a paused clock's due and warning times on by the time it was paused (paused_at to
    resumed_at), in the rule's own units (real hours, working hours, working days or school
    days). Changes the object only."""
    rules = clock_rules()
    rule = rules.rule(clock.rule)
    calendar, starts = _school_calendar(rules, rule, clock.local_authority_id, clock.school_id)

    def moved(when):
        return move_on(
            rule=rule,
            rules=rules,
            due=when,
            paused_at=clock.paused_at,
            resumed_at=resumed_at,
            calendar=calendar,
            school_id=clock.school_id,
            school_starts=starts,
        )

    clock.due_at = moved(clock.due_at)
    clock.warn_at = min(moved(clock.warn_at), clock.due_at)


def check_clocks(*, now: datetime) -> CheckResult:
    """Warn the clocks whose warning time has come (once), breach the running clocks past their
    due time (once) and escalate each breach: an event on the clock and the clock_breached
    signal, so the desk tells its supervisors. Paused and stopped clocks are left alone."""
    warned, breached = [], []
    while True:
        with transaction.atomic():
            batch = _warn(now)
            warned += batch
        if len(batch) < CHECK_BATCH:
            break
    while True:
        with transaction.atomic():
            batch = _breach(now)
            breached += batch
        if len(batch) < CHECK_BATCH:
            break
    return CheckResult(warned=warned, breached=breached)


def _open_running():
    return Clock.objects.select_for_update(skip_locked=True).filter(
        state=ClockState.RUNNING, stopped_at__isnull=True
    )


def _warn(now: datetime) -> list[Clock]:
    clocks = list(
        _open_running()
        .filter(warned_at__isnull=True, warn_at__lte=now, due_at__gt=now)
        .order_by("warn_at", "pk")[:CHECK_BATCH]
    )
    if not clocks:
        return []
    Clock.objects.filter(pk__any=[c.pk for c in clocks]).update(warned_at=now)
    events = []
    for clock in clocks:
        clock.warned_at = now
        events.append(
            ClockEvent(
                clock=clock,
                kind=ClockEventKind.WARNED,
                at=now,
                reason=f"Due in {_duration(clock.due_at - now)}",
            )
        )
    bulk.insert(events, ClockEvent)
    return clocks


def _breach(now: datetime) -> list[Clock]:
    clocks = list(
        _open_running()
        .filter(breached_at__isnull=True, due_at__lte=now)
        .order_by("due_at", "pk")[:CHECK_BATCH]
    )
    if not clocks:
        return []
    Clock.objects.filter(pk__any=[c.pk for c in clocks]).update(
        state=ClockState.BREACHED, breached_at=now, escalated_at=now
    )
    events = []
    for clock in clocks:
        clock.state = ClockState.BREACHED
        clock.breached_at = clock.escalated_at = now
        events.append(ClockEvent(clock=clock, kind=ClockEventKind.BREACHED, at=now))
        events.append(
            ClockEvent(clock=clock, kind=ClockEventKind.ESCALATED, at=now, reason=ESCALATION_REASON)
        )
    bulk.insert(events, ClockEvent)
    clock_breached.send(sender=Clock, clocks=clocks)
    return clocks


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().get(pk=clock.pk)


def _sync(original: Clock, fresh: Clock) -> Clock:
    """The caller's own Clock object, brought up to date."""
    if original is not fresh:
        for column in Clock._meta.concrete_fields:
            setattr(original, column.attname, getattr(fresh, column.attname))
    return original


def _duration(span: timedelta) -> str:
    minutes = max(0, round(span.total_seconds() / 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{number} {unit}{'' if number == 1 else 's'}"
        for number, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if number
    ]
    return " ".join(parts) or "less than a minute"
