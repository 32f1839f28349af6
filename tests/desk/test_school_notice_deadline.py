"""The Operation Encompass deadline on the desk: the queue row and the notice page say when the
school must be told, and say plainly when that time has passed; the supervisors' breaches page
lists every clock still past its time, the most recently due first, with the true count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from childfirst.accounts.models import Role
from childfirst.desk import services
from childfirst.timescales.models import Clock, ClockState
from tests.desk import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    b.hackney_postcode()
    return b.agencies()


def school_clock(notice_id) -> Clock:
    return Clock.objects.get(subject_type="notice", subject_id=notice_id, rule="encompass")


def school_clocks() -> Clock:
    return Clock.objects.filter(subject_type="notice", rule="encompass")


def with_a_school():
    """The clocks as for a child whose school is known (the desk's test incident has none)."""
    from childfirst.directory.models import School

    school = School.objects.create(urn=900123, name="Example Primary School")
    school_clocks().update(school=school)


def test_the_queue_and_the_notice_say_when_the_school_must_be_told(signed_in, setting):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    with_a_school()
    school_clocks().update(due_at=timezone.now() + timedelta(hours=20))
    clock = school_clock(notice_id)
    client, _ = signed_in(Role.DESK_RESEARCHER)
    queue = " ".join(client.get("/desk/").content.decode().split())
    assert "School notice by" in queue and "School notice late" not in queue
    page = " ".join(client.get(f"/desk/notices/{notice_id}").content.decode().split())
    assert "Send the Operation Encompass notice to the school by" in page
    assert clock.due_at > timezone.now()


def test_a_school_notice_past_its_time_is_plain_on_the_queue_and_the_notice(signed_in, setting):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    with_a_school()
    Clock.objects.filter(pk=school_clock(notice_id).pk).update(
        due_at=timezone.now() - timedelta(hours=3), state=ClockState.BREACHED
    )
    client, _ = signed_in(Role.DESK_RESEARCHER)
    queue = client.get("/desk/").content.decode()
    assert "School notice late" in queue
    page = " ".join(client.get(f"/desk/notices/{notice_id}").content.decode().split())
    assert "The Operation Encompass notice to the school was due by" in page
    assert "and has not been sent" in page


def test_once_the_school_is_told_the_deadline_is_no_longer_shown(signed_in, setting):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    school_clocks().update(stopped_at=timezone.now(), state=ClockState.MET)
    client, _ = signed_in(Role.DESK_RESEARCHER)
    assert "School notice" not in client.get("/desk/").content.decode()
    page = client.get(f"/desk/notices/{notice_id}").content.decode()
    assert "Operation Encompass notice to the school" not in page


def test_the_breaches_list_counts_them_all_and_shows_the_most_recently_due_first(setting):
    notices = [b.items_of(b.incident())["Tobi"].notice_id for _ in range(3)]
    now = timezone.now()
    for hours, notice_id in zip((30, 20, 10), notices, strict=True):
        Clock.objects.filter(pk=school_clock(notice_id).pk).update(
            due_at=now - timedelta(hours=hours), state=ClockState.BREACHED
        )
    done_late = school_clock(notices[0])
    Clock.objects.filter(pk=done_late.pk).update(stopped_at=now)  # told the school, late

    found = services.other_breached_clocks(shown=1)
    assert found.count == 2  # the one done late is not waiting on anyone
    assert [clock.subject_id for clock in found.clocks] == [notices[2]]


def test_the_breaches_page_says_how_many_and_which_it_shows(signed_in, setting, monkeypatch):
    from childfirst.desk.services import supervision

    notices = [b.items_of(b.incident())["Tobi"].notice_id for _ in range(2)]
    for notice_id in notices:
        Clock.objects.filter(pk=school_clock(notice_id).pk).update(
            due_at=timezone.now() - timedelta(hours=1), state=ClockState.BREACHED
        )
    monkeypatch.setattr(supervision, "OTHER_BREACHES_SHOWN", 1)
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    page = " ".join(client.get("/desk/breaches").content.decode().split())
    assert "Other clocks past their time and not yet done: 2" in page
    assert "The 1 due most recently" in page


def test_for_a_child_with_no_school_the_deadline_is_the_local_authoritys(signed_in, setting):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    school_clocks().update(school=None, due_at=timezone.now() + timedelta(hours=20))
    client, _ = signed_in(Role.DESK_RESEARCHER)
    queue = " ".join(client.get("/desk/").content.decode().split())
    assert "Local authority notice by" in queue and "School notice" not in queue
    page = " ".join(client.get(f"/desk/notices/{notice_id}").content.decode().split())
    assert "Send the Operation Encompass notice to the local authority by" in page
