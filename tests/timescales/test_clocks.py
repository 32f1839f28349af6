"""Starting, stopping, pausing and checking clocks, with a fixed clock."""

from datetime import timedelta

import pytest

from childfirst.timescales import services
from childfirst.timescales.models import Clock, ClockEvent, ClockEventKind, ClockState
from childfirst.timescales.rules import UnknownClockRule
from childfirst.timescales.services import ClockError, ClockRequest
from childfirst.timescales.signals import clock_breached
from tests.builders import make_user
from tests.timescales.conftest import london


def start(rule="desk_review_red", subject_id=1, at=None, **extra) -> Clock:
    (clock,) = services.start_clocks(
        requests=[
            ClockRequest(
                rule=rule,
                subject_type="notice",
                subject_id=subject_id,
                started_at=at or london(2026, 11, 24, 10),
                **extra,
            )
        ]
    )
    return clock


def kinds(clock) -> list[str]:
    return list(ClockEvent.objects.filter(clock=clock).values_list("kind", flat=True))


@pytest.fixture
def breaches():
    """The clocks each clock_breached signal carried."""
    heard = []

    def receiver(sender, clocks, **kwargs):
        heard.append([clock.pk for clock in clocks])

    clock_breached.connect(receiver)
    yield heard
    clock_breached.disconnect(receiver)


def test_start_clocks_stores_every_clock_with_its_due_and_warning_times(hackney):
    requests = [
        ClockRequest(
            rule="encompass",
            subject_type="notice",
            subject_id=n,
            started_at=london(2026, 11, 24, 21, 40),
            local_authority_id=hackney.pk,
            label="Operation Encompass notice to the school" if n else "",
        )
        for n in range(3)
    ] + [
        ClockRequest(
            rule="desk_review_red",
            subject_type="notice",
            subject_id=0,
            started_at=london(2026, 11, 24, 16),
        )
    ]
    clocks = services.start_clocks(requests=requests)
    assert all(clock.pk for clock in clocks)
    stored = Clock.objects.get(pk=clocks[0].pk)
    assert stored.due_at == london(2026, 11, 25, 8, 30)
    assert stored.warn_at == london(2026, 11, 25, 6, 30)
    assert stored.state == ClockState.RUNNING
    assert stored.label == "Operation Encompass notice to the school"
    assert stored.local_authority_id == hackney.pk
    red = Clock.objects.get(pk=clocks[3].pk)
    # 4 working hours from 16:00: 1 hour today, 3 tomorrow; warned 1 working hour before.
    assert red.due_at == london(2026, 11, 25, 12)
    assert red.warn_at == london(2026, 11, 25, 11)


def test_an_unknown_rule_starts_no_clocks_at_all(db):
    requests = [
        ClockRequest("desk_review_red", "notice", 1, london(2026, 11, 24, 10)),
        ClockRequest("desk_review_blue", "notice", 2, london(2026, 11, 24, 10)),
    ]
    with pytest.raises(UnknownClockRule):
        services.start_clocks(requests=requests)
    assert not Clock.objects.exists()


def test_clocks_for_gives_each_subjects_clocks_in_one_query(db, django_assert_num_queries):
    start(subject_id=1)
    start(rule="la_decision", subject_id=1)
    start(subject_id=2)
    start(subject_id=1, at=london(2026, 11, 24, 9))
    with django_assert_num_queries(1):
        found = services.clocks_for(subject_type="notice", subject_ids=[1, 2, 3])
    assert [clock.rule for clock in found[1]] == [
        "desk_review_red",
        "desk_review_red",
        "la_decision",
    ]
    assert len(found[2]) == 1
    assert found[3] == []
    assert services.clocks_for(subject_type="referral", subject_ids=[1]) == {1: []}


def test_a_clock_stopped_in_time_is_met_and_stopping_it_again_changes_nothing(db):
    clock = start()
    user = make_user()
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 11), by=user, reason="Reviewed")
    assert clock.state == ClockState.MET
    assert clock.stopped_at == london(2026, 11, 24, 11)
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 12), by=user)
    clock.refresh_from_db()
    assert clock.stopped_at == london(2026, 11, 24, 11)
    assert kinds(clock) == [ClockEventKind.MET]
    assert ClockEvent.objects.get(clock=clock).by == user


def test_a_clock_stopped_after_its_due_time_counts_as_breached(db):
    clock = start()  # due 14:00
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 15))
    assert clock.state == ClockState.BREACHED
    assert clock.breached_at == london(2026, 11, 24, 14)
    assert kinds(clock) == [ClockEventKind.STOPPED_LATE]


def test_stop_clocks_for_stops_only_the_rules_named(db):
    red = start()
    decision = start(rule="la_decision")
    other = start(subject_id=2)
    stopped = services.stop_clocks_for(
        subject_type="notice",
        subject_id=1,
        rules=["desk_review_red"],
        at=london(2026, 11, 24, 11),
    )
    assert [clock.pk for clock in stopped] == [red.pk]
    for clock in (decision, other):
        clock.refresh_from_db()
        assert clock.state == ClockState.RUNNING
    everything = services.stop_clocks_for(
        subject_type="notice", subject_id=1, rules=None, at=london(2026, 11, 24, 12)
    )
    assert [clock.pk for clock in everything] == [decision.pk]


def test_a_clock_cannot_be_paused_without_a_reason(db):
    clock = start()
    with pytest.raises(ClockError, match="Give a reason"):
        services.pause_clock(clock=clock, at=london(2026, 11, 24, 11), by=None, reason="  ")
    clock.refresh_from_db()
    assert clock.state == ClockState.RUNNING


def test_resuming_moves_an_elapsed_clock_on_by_the_real_time_paused(db):
    clock = start(rule="return_interview", at=london(2026, 10, 23, 12))
    assert clock.due_at == london(2026, 10, 26, 11)
    user = make_user()
    services.pause_clock(
        clock=clock, at=london(2026, 10, 24, 12), by=user, reason="Child in hospital"
    )
    assert clock.state == ClockState.PAUSED
    assert clock.pause_reason == "Child in hospital"
    # 25 real hours paused: the night the clocks went back has 25 hours.
    services.resume_clock(clock=clock, at=london(2026, 10, 25, 12), by=user)
    assert clock.state == ClockState.RUNNING
    assert clock.due_at == london(2026, 10, 26, 11) + timedelta(hours=25)
    assert kinds(clock) == [ClockEventKind.PAUSED, ClockEventKind.RESUMED]
    assert ClockEvent.objects.get(clock=clock, kind="resumed").reason == "Paused for 1 day 1 hour"


def test_resuming_moves_a_working_hours_clock_on_by_the_working_time_paused(db):
    clock = start(at=london(2026, 11, 27, 15))  # Friday 15:00; due Monday 11:00
    assert clock.due_at == london(2026, 11, 30, 11)
    services.pause_clock(clock=clock, at=london(2026, 11, 27, 16), by=None, reason="Waiting")
    # Paused from Friday 16:00 to Monday 10:00: 1 working hour on Friday, 1 on Monday.
    services.resume_clock(clock=clock, at=london(2026, 11, 30, 10), by=None)
    assert clock.due_at == london(2026, 11, 30, 13)
    assert clock.warn_at == london(2026, 11, 30, 12)


def test_resuming_moves_an_encompass_clock_on_by_the_school_days_paused(hackney):
    clock = start(rule="encompass", at=london(2026, 11, 24, 18), local_authority_id=hackney.pk)
    services.pause_clock(clock=clock, at=london(2026, 11, 24, 19), by=None, reason="Checking")
    # Two school-day starts pass while paused (Wednesday and Thursday).
    services.resume_clock(clock=clock, at=london(2026, 11, 26, 12), by=None)
    assert clock.due_at == london(2026, 11, 27, 8, 30)


def test_only_a_paused_clock_resumes_and_only_a_running_one_pauses(db):
    clock = start()
    with pytest.raises(ClockError, match="Only a paused clock"):
        services.resume_clock(clock=clock, at=london(2026, 11, 24, 11), by=None)
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 11))
    with pytest.raises(ClockError, match="this one is met"):
        services.pause_clock(clock=clock, at=london(2026, 11, 24, 12), by=None, reason="Why")


def test_check_clocks_warns_once_then_breaches_and_escalates_once(db, breaches):
    clock = start()  # warn 13:00, due 14:00
    assert services.check_clocks(now=london(2026, 11, 24, 12, 59)).warned == []

    result = services.check_clocks(now=london(2026, 11, 24, 13))
    assert [c.pk for c in result.warned] == [clock.pk]
    assert services.check_clocks(now=london(2026, 11, 24, 13, 30)).warned == []
    clock.refresh_from_db()
    assert clock.warned_at == london(2026, 11, 24, 13)
    assert clock.state == ClockState.RUNNING
    assert breaches == []

    result = services.check_clocks(now=london(2026, 11, 24, 14))
    assert [c.pk for c in result.breached] == [clock.pk]
    assert breaches == [[clock.pk]]
    services.check_clocks(now=london(2026, 11, 24, 15))
    assert breaches == [[clock.pk]]
    clock.refresh_from_db()
    assert clock.state == ClockState.BREACHED
    assert clock.breached_at == clock.escalated_at == london(2026, 11, 24, 14)
    assert kinds(clock) == [
        ClockEventKind.WARNED,
        ClockEventKind.BREACHED,
        ClockEventKind.ESCALATED,
    ]
    assert ClockEvent.objects.get(clock=clock, kind="warned").reason == "Due in 1 hour"


def test_a_clock_already_past_due_breaches_without_a_warning(db, breaches):
    clock = start()
    result = services.check_clocks(now=london(2026, 11, 25, 9))
    assert result.warned == []
    assert [c.pk for c in result.breached] == [clock.pk]


def test_paused_and_stopped_clocks_neither_warn_nor_breach(db, breaches):
    paused = start(subject_id=1)
    stopped = start(subject_id=2)
    services.pause_clock(clock=paused, at=london(2026, 11, 24, 11), by=None, reason="Waiting")
    services.stop_clock(clock=stopped, at=london(2026, 11, 24, 11))
    result = services.check_clocks(now=london(2026, 11, 26, 9))
    assert result.warned == result.breached == []
    assert breaches == []


def test_a_breach_that_the_desk_cannot_record_is_not_marked(db):
    clock = start()

    def broken(sender, clocks, **kwargs):
        raise RuntimeError("the desk is down")

    clock_breached.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.check_clocks(now=london(2026, 11, 24, 15))
    finally:
        clock_breached.disconnect(broken)
    clock.refresh_from_db()
    assert clock.state == ClockState.RUNNING
    assert clock.breached_at is None


# Reopening ------------------------------------------------------------------------------------


def test_stopping_a_paused_clock_does_not_count_the_time_it_was_paused(db):
    clock = start()  # Tuesday 10:00; due 14:00
    services.pause_clock(clock=clock, at=london(2026, 11, 24, 11), by=None, reason="Waiting")
    # Paused from 11:00 to 15:00 (4 working hours), so due at 10:00 on Wednesday: met in time.
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 15))
    clock.refresh_from_db()
    assert clock.state == ClockState.MET
    assert clock.due_at == london(2026, 11, 25, 10)
    assert clock.warn_at <= clock.due_at
    assert clock.paused_at is None
    assert kinds(clock) == [ClockEventKind.PAUSED, ClockEventKind.MET]


def test_a_clock_reopened_before_its_due_time_runs_again_and_then_warns_and_breaches(db, breaches):
    clock = start()  # warn 13:00, due 14:00
    user = make_user()
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 11))
    services.reopen_clock(clock=clock, at=london(2026, 11, 24, 12), by=user, reason="Returned")
    assert clock.state == ClockState.RUNNING
    clock.refresh_from_db()
    assert clock.state == ClockState.RUNNING and clock.is_open
    assert clock.stopped_at is None and clock.breached_at is None
    # The time it was stopped counts: the same due and warning times.
    assert (clock.due_at, clock.warn_at) == (london(2026, 11, 24, 14), london(2026, 11, 24, 13))
    reopened = ClockEvent.objects.get(clock=clock, kind=ClockEventKind.REOPENED)
    assert (reopened.at, reopened.by, reopened.reason) == (
        london(2026, 11, 24, 12),
        user,
        "Returned",
    )
    assert reopened.get_kind_display() == "Reopened"
    assert breaches == []

    assert [c.pk for c in services.check_clocks(now=london(2026, 11, 24, 13)).warned] == [clock.pk]
    assert [c.pk for c in services.check_clocks(now=london(2026, 11, 24, 14)).breached] == [
        clock.pk
    ]
    assert breaches == [[clock.pk]]
    assert kinds(clock) == [
        ClockEventKind.MET,
        ClockEventKind.REOPENED,
        ClockEventKind.WARNED,
        ClockEventKind.BREACHED,
        ClockEventKind.ESCALATED,
    ]


def test_a_clock_reopened_after_its_due_time_is_breached_and_escalated_once(db, breaches):
    clock = start()  # due 14:00
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 11))  # met
    services.reopen_clock(clock=clock, at=london(2026, 11, 24, 15), by=None)
    clock.refresh_from_db()
    assert clock.state == ClockState.BREACHED
    assert clock.stopped_at is None
    assert clock.breached_at == london(2026, 11, 24, 14)
    assert clock.escalated_at == london(2026, 11, 24, 15)
    assert breaches == [[clock.pk]]
    assert kinds(clock) == [
        ClockEventKind.MET,
        ClockEventKind.REOPENED,
        ClockEventKind.BREACHED,
        ClockEventKind.ESCALATED,
    ]
    # The worker does not breach it again.
    assert services.check_clocks(now=london(2026, 11, 24, 16)).breached == []
    assert breaches == [[clock.pk]]
    # It can be stopped again, late.
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 17))
    assert clock.state == ClockState.BREACHED and clock.stopped_at == london(2026, 11, 24, 17)
    assert kinds(clock)[-1] == ClockEventKind.STOPPED_LATE


def test_a_clock_stopped_late_is_escalated_when_reopened(db, breaches):
    clock = start()  # due 14:00
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 15))  # late; nobody was told
    services.reopen_clock(clock=clock, at=london(2026, 11, 24, 16), by=None)
    clock.refresh_from_db()
    assert clock.state == ClockState.BREACHED and clock.stopped_at is None
    assert clock.breached_at == london(2026, 11, 24, 14)
    assert clock.escalated_at == london(2026, 11, 24, 16)
    assert breaches == [[clock.pk]]
    assert kinds(clock) == [
        ClockEventKind.STOPPED_LATE,
        ClockEventKind.REOPENED,
        ClockEventKind.BREACHED,
        ClockEventKind.ESCALATED,
    ]


def test_a_clock_breached_before_it_stopped_stays_breached_when_reopened(db, breaches):
    clock = start()  # due 14:00
    services.check_clocks(now=london(2026, 11, 24, 14, 1))
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 15))
    services.reopen_clock(clock=clock, at=london(2026, 11, 24, 16), by=None)
    clock.refresh_from_db()
    assert clock.state == ClockState.BREACHED and clock.stopped_at is None
    assert clock.breached_at == clock.escalated_at == london(2026, 11, 24, 14, 1)
    # Escalated once, by the worker.
    assert breaches == [[clock.pk]]
    assert kinds(clock) == [
        ClockEventKind.BREACHED,
        ClockEventKind.ESCALATED,
        ClockEventKind.STOPPED_LATE,
        ClockEventKind.REOPENED,
    ]


def test_only_a_stopped_clock_can_be_reopened(db):
    running = start(subject_id=1)
    paused = start(subject_id=2)
    services.pause_clock(clock=paused, at=london(2026, 11, 24, 11), by=None, reason="Waiting")
    for clock in (running, paused):
        with pytest.raises(ClockError, match="Only a stopped clock can be reopened"):
            services.reopen_clock(clock=clock, at=london(2026, 11, 24, 12), by=None)
    assert not ClockEvent.objects.filter(kind=ClockEventKind.REOPENED).exists()
    paused.refresh_from_db()
    assert paused.state == ClockState.PAUSED and paused.pause_reason == "Waiting"


def test_a_reopened_breach_the_desk_cannot_record_leaves_the_clock_stopped(db):
    clock = start()
    services.stop_clock(clock=clock, at=london(2026, 11, 24, 11))

    def broken(sender, clocks, **kwargs):
        raise RuntimeError("the desk is down")

    clock_breached.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.reopen_clock(clock=clock, at=london(2026, 11, 24, 15), by=None)
    finally:
        clock_breached.disconnect(broken)
    clock.refresh_from_db()
    assert clock.state == ClockState.MET
    assert clock.stopped_at == london(2026, 11, 24, 11)
    assert kinds(clock) == [ClockEventKind.MET]
