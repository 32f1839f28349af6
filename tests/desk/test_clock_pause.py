"""A desk supervisor pauses a notice's desk review clock, with the reason, and restarts it: the
services and the pages.

Tobi's notice and its clock's times: tests/desk/clock_times.py."""

from datetime import timedelta

import pytest

from childfirst.accounts.models import Role
from childfirst.audit.models import AccessLogEntry, Action
from childfirst.desk import services
from childfirst.desk.models import Decision, DeskEvent, ItemState
from childfirst.directory.models import AgencyKind
from childfirst.timescales.models import Clock, ClockEvent, ClockEventKind, ClockState
from childfirst.timescales.services import check_clocks
from tests.builders import make_user
from tests.desk import builders as b
from tests.desk.clock_times import DUE, NOW, WARN, WHY

pytestmark = pytest.mark.django_db


def review_clock(item) -> Clock:
    return Clock.objects.get(
        subject_type="notice", subject_id=item.notice_id, rule__startswith="desk_review_"
    )


def events(item) -> list[str]:
    return list(
        DeskEvent.objects.filter(notice_id=item.notice_id)
        .order_by("at", "pk")
        .values_list("title", flat=True)
    )


# Services ---------------------------------------------------------------------------------------


def test_pausing_the_clock_keeps_the_reason_and_says_so_in_the_queue_and_on_the_timeline(tobi):
    supervisor = make_user(role=Role.DESK_SUPERVISOR, full_name="Sam Supervisor")
    assert (review_clock(tobi).due_at, review_clock(tobi).state) == (DUE, ClockState.RUNNING)
    services.pause_review_clock(
        notice_id=tobi.notice_id, by=supervisor, reason=f"  {WHY}  ", now=NOW + timedelta(hours=1)
    )
    clock = review_clock(tobi)
    assert clock.state == ClockState.PAUSED
    assert clock.pause_reason == WHY
    assert clock.paused_at == NOW + timedelta(hours=1)
    tobi.refresh_from_db()
    assert tobi.clock_paused is True
    assert services.clock_state(tobi, NOW) == services.ClockState.PAUSED
    event = DeskEvent.objects.get(notice_id=tobi.notice_id)
    assert event.title == f"Desk review clock paused: {WHY}"
    assert (event.by, event.person_id, event.at) == (
        supervisor,
        tobi.notice.person_id,
        NOW + timedelta(hours=1),
    )
    assert ClockEvent.objects.filter(clock=clock, kind=ClockEventKind.PAUSED, by=supervisor)
    assert AccessLogEntry.objects.filter(
        user=supervisor, action=Action.UPDATE, subject_type="notice", subject_id=tobi.notice_id
    ).exists()
    # The supervisors' filter for paused clocks finds it.
    found = services.queue_items(user=supervisor, filters=services.QueueFilters(clock="paused"))
    assert [item.notice_id for item in found] == [tobi.notice_id]


def test_restarting_the_clock_moves_the_due_time_on_by_the_paused_time(tobi):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    services.pause_review_clock(
        notice_id=tobi.notice_id, by=supervisor, reason=WHY, now=NOW + timedelta(hours=1)
    )
    services.resume_review_clock(
        notice_id=tobi.notice_id, by=supervisor, now=NOW + timedelta(hours=2)
    )
    clock = review_clock(tobi)
    assert clock.state == ClockState.RUNNING
    assert clock.pause_reason == ""
    # Paused for one working hour, so due an hour later.
    assert (clock.due_at, clock.warn_at) == (DUE + timedelta(hours=1), WARN + timedelta(hours=1))
    tobi.refresh_from_db()
    assert tobi.clock_paused is False
    assert (tobi.due_at, tobi.warn_at) == (DUE + timedelta(hours=1), WARN + timedelta(hours=1))
    assert events(tobi) == [f"Desk review clock paused: {WHY}", "Desk review clock restarted"]


def test_a_clock_paused_overnight_moves_on_only_by_the_working_hours_it_was_paused(tobi):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    services.pause_review_clock(
        notice_id=tobi.notice_id, by=supervisor, reason=WHY, now=NOW + timedelta(hours=7)
    )
    # Paused at 16:00 and restarted at 10:00 the next day: two working hours.
    services.resume_review_clock(
        notice_id=tobi.notice_id, by=supervisor, now=NOW + timedelta(hours=25)
    )
    tobi.refresh_from_db()
    assert tobi.due_at == DUE + timedelta(hours=2)


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter why you are pausing the clock"),
        ("   ", "Enter why you are pausing the clock"),
        ("x" * 501, "The reason must be 500 characters or less"),
    ],
)
def test_a_pause_needs_a_reason_of_500_characters_or_less_and_changes_nothing_without_one(
    tobi, reason, message
):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    with pytest.raises(services.DeskError, match=message):
        services.pause_review_clock(notice_id=tobi.notice_id, by=supervisor, reason=reason)
    assert review_clock(tobi).state == ClockState.RUNNING
    tobi.refresh_from_db()
    assert tobi.clock_paused is False
    assert events(tobi) == []


def test_a_long_reason_is_kept_whole_on_the_timeline(tobi):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    reason = "Waiting for the school. " + "x" * 476
    services.pause_review_clock(notice_id=tobi.notice_id, by=supervisor, reason=reason)
    event = DeskEvent.objects.get(notice_id=tobi.notice_id)
    assert len(event.title) <= 200
    assert event.title.startswith("Desk review clock paused: Waiting for the school.")
    assert event.text == reason
    assert review_clock(tobi).pause_reason == reason


def test_a_paused_clock_cannot_be_paused_again_nor_a_running_one_restarted(tobi):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    with pytest.raises(services.DeskError, match="The desk review clock is not paused"):
        services.resume_review_clock(notice_id=tobi.notice_id, by=supervisor)
    services.pause_review_clock(notice_id=tobi.notice_id, by=supervisor, reason=WHY)
    with pytest.raises(services.DeskError, match="The desk review clock is already paused"):
        services.pause_review_clock(notice_id=tobi.notice_id, by=supervisor, reason="Again")
    assert review_clock(tobi).pause_reason == WHY
    assert events(tobi) == [f"Desk review clock paused: {WHY}"]


def test_the_clock_of_a_decided_notice_cannot_be_paused(setting):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    researcher = make_user(role=Role.DESK_RESEARCHER)
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]
    # Amber and shared: decided, nothing to approve.
    amber = b.items_of(b.incident(questionnaires=[b.dash(3)]))["Tobi"]
    services.decide(
        notice=amber.notice,
        by=researcher,
        request_=services.DecisionRequest(
            decision=Decision.SHARE, text="For your information.", agency_ids=(mash.pk,)
        ),
    )
    with pytest.raises(services.DeskError, match="This notice has already been decided"):
        services.pause_review_clock(notice_id=amber.notice_id, by=supervisor, reason=WHY)
    # Red and referred: waiting for a supervisor, and the clock stopped at the decision.
    red = b.items_of(b.incident())["Tobi"]
    services.decide(
        notice=red.notice,
        by=researcher,
        request_=services.DecisionRequest(
            decision=Decision.REFER, text="Tobi was there.", agency_ids=(mash.pk, marac.pk)
        ),
    )
    red.refresh_from_db()
    assert red.state == ItemState.AWAITING_APPROVAL
    with pytest.raises(services.DeskError, match="The desk review clock has stopped"):
        services.pause_review_clock(notice_id=red.notice_id, by=supervisor, reason=WHY)
    assert not DeskEvent.objects.filter(title__startswith="Desk review clock")


def test_an_overdue_clock_cannot_be_paused(tobi):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    check_clocks(now=DUE + timedelta(minutes=1))
    assert review_clock(tobi).state == ClockState.BREACHED
    with pytest.raises(services.DeskError, match="already overdue"):
        services.pause_review_clock(notice_id=tobi.notice_id, by=supervisor, reason=WHY)


def test_a_notice_not_on_the_desk_has_no_clock_to_pause(db):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    with pytest.raises(services.DeskError, match="This notice is not on the desk"):
        services.pause_review_clock(notice_id=999_999, by=supervisor, reason=WHY)


def test_deciding_a_notice_whose_clock_is_paused_stops_the_clock_and_the_pause(tobi, setting):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    services.pause_review_clock(notice_id=tobi.notice_id, by=supervisor, reason=WHY)
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]
    services.decide(
        notice=tobi.notice,
        by=make_user(role=Role.DESK_RESEARCHER),
        request_=services.DecisionRequest(
            decision=Decision.REFER, text="Tobi was there.", agency_ids=(mash.pk, marac.pk)
        ),
    )
    assert review_clock(tobi).state == ClockState.MET
    tobi.refresh_from_db()
    assert tobi.clock_paused is False


# Pages ------------------------------------------------------------------------------------------


def test_a_supervisor_pauses_the_clock_with_a_reason_and_restarts_it(signed_in, tobi, fixed_clock):
    client, supervisor = signed_in(Role.DESK_SUPERVISOR)
    notice_url = f"/desk/notices/{tobi.notice_id}"
    page = client.get(notice_url).content.decode()
    assert f'href="{notice_url}/pause-clock"' in page
    assert "Pause the desk review clock" in page
    page = client.get(f"{notice_url}/pause-clock").content.decode()
    assert "Why are you pausing the clock?" in page
    assert "For example, waiting for the officer to confirm the child" in page
    response = client.post(f"{notice_url}/pause-clock", {"reason": WHY})
    assert response.status_code == 302 and response["Location"] == notice_url
    assert review_clock(tobi).state == ClockState.PAUSED
    page = client.get(notice_url).content.decode()
    assert "govuk-notification-banner--success" in page
    assert "The desk review clock is paused: Waiting for the officer to confirm the child" in page
    assert "Restart the clock" in page
    assert "Pause the desk review clock" not in page
    assert "Desk review due" not in page
    # Ten minutes of working time later (inside the 15 minutes a session may sit idle), the
    # supervisor restarts it: due ten minutes later.
    fixed_clock.shift(timedelta(minutes=10))
    response = client.post(f"{notice_url}/restart-clock")
    assert response.status_code == 302 and response["Location"] == notice_url
    assert review_clock(tobi).due_at == DUE + timedelta(minutes=10)
    page = client.get(notice_url).content.decode()
    assert "The desk review clock has restarted" in page
    assert "Desk review due 24 November 2026 at 1:10pm." in page
    assert "Pause the desk review clock" in page
    assert "Desk review clock restarted" in page  # on the timeline


def test_an_empty_reason_shows_the_error_on_the_field_and_changes_nothing(signed_in, tobi):
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    response = client.post(f"/desk/notices/{tobi.notice_id}/pause-clock", {"reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert '<a href="#id_reason">Enter why you are pausing the clock</a>' in page
    assert 'id="id_reason-error"' in page
    assert review_clock(tobi).state == ClockState.RUNNING
    assert events(tobi) == []


def test_pausing_a_paused_clock_on_the_page_says_why_not(signed_in, tobi):
    client, supervisor = signed_in(Role.DESK_SUPERVISOR)
    services.pause_review_clock(notice_id=tobi.notice_id, by=supervisor, reason=WHY)
    response = client.post(f"/desk/notices/{tobi.notice_id}/pause-clock", {"reason": "Again"})
    assert response.status_code == 200
    assert "The desk review clock is already paused" in response.content.decode()
    client.post(f"/desk/notices/{tobi.notice_id}/restart-clock")
    # Restarting it again: there is nothing to restart.
    client.post(f"/desk/notices/{tobi.notice_id}/restart-clock")
    page = client.get(f"/desk/notices/{tobi.notice_id}").content.decode()
    assert "The desk review clock is not paused" in page


def test_researchers_see_a_pause_and_its_reason_but_cannot_pause_or_restart(signed_in, tobi):
    client, _ = signed_in(Role.DESK_RESEARCHER)
    notice_url = f"/desk/notices/{tobi.notice_id}"
    assert "Pause the desk review clock" not in client.get(notice_url).content.decode()
    assert client.get(f"{notice_url}/pause-clock").status_code == 403
    assert client.post(f"{notice_url}/pause-clock", {"reason": WHY}).status_code == 403
    assert client.post(f"{notice_url}/restart-clock").status_code == 403
    assert review_clock(tobi).state == ClockState.RUNNING
    services.pause_review_clock(
        notice_id=tobi.notice_id, by=make_user(role=Role.DESK_SUPERVISOR), reason=WHY
    )
    page = client.get(notice_url).content.decode()
    assert "The desk review clock is paused: Waiting for the officer" in page
    assert "Restart the clock" not in page
    assert client.post(f"{notice_url}/restart-clock").status_code == 403
    assert review_clock(tobi).state == ClockState.PAUSED


def test_signed_out_visitors_are_sent_to_sign_in(client, tobi):
    notice_url = f"/desk/notices/{tobi.notice_id}"
    for response in (
        client.get(f"{notice_url}/pause-clock"),
        client.post(f"{notice_url}/pause-clock", {"reason": WHY}),
        client.post(f"{notice_url}/restart-clock"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in?next=")
    assert review_clock(tobi).state == ClockState.RUNNING


def test_restarting_takes_a_post_only(signed_in, tobi):
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    assert client.get(f"/desk/notices/{tobi.notice_id}/restart-clock").status_code == 405
