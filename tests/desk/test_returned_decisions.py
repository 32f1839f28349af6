"""A supervisor returns a decision: the child is waiting for the desk again, so the desk review
clock, stopped at the decision, is reopened with its first due time.

Tobi's notice and its clock's times: tests/desk/clock_times.py."""

from datetime import timedelta

import pytest

from childfirst.accounts.models import Role
from childfirst.desk import services
from childfirst.desk.models import Decision, DeskEvent, ItemState, Referral
from childfirst.directory.models import AgencyKind
from childfirst.timescales.models import Clock, ClockEvent, ClockEventKind, ClockState
from childfirst.timescales.services import check_clocks
from tests.builders import make_user
from tests.desk.clock_times import DUE, NOW, WARN, WHY

pytestmark = pytest.mark.django_db


@pytest.fixture
def researcher():
    return make_user(role=Role.DESK_RESEARCHER, full_name="Riya Researcher")


@pytest.fixture
def supervisor():
    return make_user(role=Role.DESK_SUPERVISOR, full_name="Sam Supervisor")


def review_clock(item) -> Clock:
    return Clock.objects.get(
        subject_type="notice", subject_id=item.notice_id, rule__startswith="desk_review_"
    )


def decide(item, by, setting, *, at) -> Referral:
    """A red referral to MASH and MARAC: it waits for a supervisor."""
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]
    return services.decide(
        notice=item.notice,
        by=by,
        request_=services.DecisionRequest(
            decision=Decision.REFER,
            text="Tobi, 10, was in the bedroom during a domestic abuse incident.",
            agency_ids=(mash.pk, marac.pk),
        ),
        now=at,
    )


def test_a_decision_returned_before_the_due_time_sets_the_clock_running_again(
    tobi, setting, researcher, supervisor
):
    referral = decide(tobi, researcher, setting, at=NOW + timedelta(hours=1))
    assert review_clock(tobi).state == ClockState.MET
    returned_at = NOW + timedelta(hours=2)
    services.return_decision(
        referral=referral, by=supervisor, comment="Name the school", now=returned_at
    )
    clock = review_clock(tobi)
    assert clock.state == ClockState.RUNNING and clock.stopped_at is None
    # The time the decision waited for approval counts: the due time is unchanged.
    assert (clock.due_at, clock.warn_at) == (DUE, WARN)
    reopened = ClockEvent.objects.get(clock=clock, kind=ClockEventKind.REOPENED)
    assert (reopened.at, reopened.by) == (returned_at, supervisor)
    tobi.refresh_from_db()
    assert tobi.state == ItemState.OPEN and tobi.assigned_to == researcher
    assert (tobi.due_at, tobi.warn_at, tobi.clock_paused) == (DUE, WARN, False)
    assert tobi.breached_at is None
    assert services.clock_state(tobi, returned_at) == services.ClockState.ON_TIME
    overdue = services.queue_items(
        user=supervisor, filters=services.QueueFilters(clock="overdue"), now=returned_at
    )
    assert tobi.notice_id not in [item.notice_id for item in overdue]
    # The timeline has the return, once.
    titles = list(
        DeskEvent.objects.filter(notice_id=tobi.notice_id)
        .order_by("at", "pk")
        .values_list("title", flat=True)
    )
    assert titles[-1] == "Returned to the desk by Sam Supervisor: refer"
    # A supervisor can pause the reopened clock.
    services.pause_review_clock(
        notice_id=tobi.notice_id, by=supervisor, reason=WHY, now=returned_at
    )
    assert review_clock(tobi).state == ClockState.PAUSED
    tobi.refresh_from_db()
    assert tobi.clock_paused is True


def test_a_reopened_clock_that_falls_due_is_breached_by_the_worker_as_usual(
    tobi, setting, researcher, supervisor
):
    referral = decide(tobi, researcher, setting, at=NOW + timedelta(hours=1))
    services.return_decision(
        referral=referral, by=supervisor, comment="Name the school", now=NOW + timedelta(hours=2)
    )
    assert review_clock(tobi).pk not in [
        c.pk for c in check_clocks(now=DUE - timedelta(minutes=1)).breached
    ]
    assert review_clock(tobi).pk in [clock.pk for clock in check_clocks(now=DUE).breached]
    assert review_clock(tobi).state == ClockState.BREACHED
    tobi.refresh_from_db()
    assert tobi.breached_at == DUE
    assert tobi.notice_id in [item.notice_id for item in services.breaches(user=supervisor)]


def test_a_decision_returned_after_the_due_time_leaves_the_notice_overdue(
    tobi, setting, researcher, supervisor
):
    referral = decide(tobi, researcher, setting, at=NOW + timedelta(hours=1))
    returned_at = DUE + timedelta(hours=1)
    services.return_decision(
        referral=referral, by=supervisor, comment="Name the school", now=returned_at
    )
    clock = review_clock(tobi)
    assert clock.state == ClockState.BREACHED and clock.stopped_at is None
    assert clock.due_at == DUE
    assert clock.escalated_at == returned_at
    tobi.refresh_from_db()
    assert tobi.state == ItemState.OPEN
    assert tobi.due_at == DUE
    # The supervisors hear of the breach, as from the worker.
    assert tobi.breached_at == DUE
    assert services.clock_state(tobi, returned_at) == services.ClockState.OVERDUE
    overdue = services.queue_items(
        user=supervisor, filters=services.QueueFilters(clock="overdue"), now=returned_at
    )
    assert tobi.notice_id in [item.notice_id for item in overdue]
    with pytest.raises(services.DeskError, match="already overdue, so its clock cannot be paused"):
        services.pause_review_clock(
            notice_id=tobi.notice_id, by=supervisor, reason=WHY, now=returned_at
        )
    # The worker does not breach it a second time.
    later = check_clocks(now=returned_at + timedelta(hours=1)).breached
    assert clock.pk not in [c.pk for c in later]


def test_an_approved_decision_leaves_the_clock_stopped(tobi, setting, researcher, supervisor):
    referral = decide(tobi, researcher, setting, at=NOW + timedelta(hours=1))
    services.approve(referral=referral, by=supervisor, now=NOW + timedelta(hours=2))
    clock = review_clock(tobi)
    assert clock.state == ClockState.MET
    assert clock.stopped_at == NOW + timedelta(hours=1)
    assert not ClockEvent.objects.filter(clock=clock, kind=ClockEventKind.REOPENED).exists()
    tobi.refresh_from_db()
    assert tobi.state == ItemState.DONE
    assert clock.pk not in [c.pk for c in check_clocks(now=DUE + timedelta(hours=1)).breached]


def test_the_time_a_clock_was_paused_before_the_decision_does_not_count_when_it_reopens(
    tobi, setting, researcher, supervisor
):
    services.pause_review_clock(
        notice_id=tobi.notice_id, by=supervisor, reason=WHY, now=NOW + timedelta(hours=1)
    )
    # Decided after an hour paused: the pause ends there and its hour does not count.
    referral = decide(tobi, researcher, setting, at=NOW + timedelta(hours=2))
    assert review_clock(tobi).due_at == DUE + timedelta(hours=1)
    tobi.refresh_from_db()
    assert (tobi.due_at, tobi.clock_paused) == (DUE + timedelta(hours=1), False)
    services.return_decision(
        referral=referral, by=supervisor, comment="Name the school", now=NOW + timedelta(hours=3)
    )
    clock = review_clock(tobi)
    assert clock.state == ClockState.RUNNING
    assert clock.due_at == DUE + timedelta(hours=1)
    tobi.refresh_from_db()
    assert tobi.due_at == DUE + timedelta(hours=1)


def test_a_decided_again_notice_stops_the_reopened_clock_again(
    tobi, setting, researcher, supervisor
):
    referral = decide(tobi, researcher, setting, at=NOW + timedelta(hours=1))
    services.return_decision(
        referral=referral, by=supervisor, comment="Name the school", now=NOW + timedelta(hours=2)
    )
    decide(tobi, researcher, setting, at=NOW + timedelta(hours=3))
    clock = review_clock(tobi)
    assert clock.state == ClockState.MET
    assert clock.stopped_at == NOW + timedelta(hours=3)


# Pages ------------------------------------------------------------------------------------------


def test_a_supervisor_returns_a_decision_and_can_then_pause_the_clock(
    signed_in, tobi, setting, researcher
):
    referral = decide(tobi, researcher, setting, at=NOW)
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    notice_url = f"/desk/notices/{tobi.notice_id}"
    assert "Pause the desk review clock" not in client.get(notice_url).content.decode()
    response = client.post(
        f"/desk/referrals/{referral.pk}/approve",
        {"outcome": "return", "comment": "Name the school"},
    )
    assert response.status_code == 302
    page = client.get(notice_url).content.decode()
    assert "Returned</strong> Waiting for a new decision." in page
    assert "Desk review due 24 November 2026 at 1pm." in page
    assert "Pause the desk review clock" in page
    response = client.post(f"{notice_url}/pause-clock", {"reason": WHY})
    assert response.status_code == 302 and response["Location"] == notice_url
    assert review_clock(tobi).state == ClockState.PAUSED
