"""Notices from a bulk file import are queued in the import's transaction and screened by the
worker's sweep (screen_pending); the API and the officer's form still screen inline."""

import logging
import threading
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from childfirst.desk.models import DeskItem
from childfirst.dispatch.worker import sweep_once
from childfirst.incidents import importers
from childfirst.incidents.models import Notice
from childfirst.incidents.services import notices_of, parse_incident, store_incidents
from childfirst.screening import services
from childfirst.screening.models import PendingScreening, Screening, Trigger
from childfirst.screening.receivers import screen_new_notices
from childfirst.screening.signals import notices_screened
from childfirst.timescales.models import Clock
from tests.incidents.builders import FILE_IMPORT, intake_client, payload, record
from tests.incidents.conftest import NOW
from tests.incidents.test_api import post
from tests.incidents.test_import import incidents, write_jsonl

pytestmark = pytest.mark.django_db

ARRIVED = datetime.fromisoformat(NOW)


def import_file(tmp_path, count=3):
    """Import `count` incidents from a file (each has two children: Tobi present, Ade in the
    household); the notices, in id order."""
    report = importers.import_incidents(
        path=write_jsonl(tmp_path / "incidents.jsonl", incidents(count))
    )
    assert report.created == count
    return list(Notice.objects.order_by("pk"))


def queued_ids():
    return list(PendingScreening.objects.order_by("notice_id").values_list("notice_id", flat=True))


def screened_ids():
    return sorted(Screening.objects.values_list("notice_id", flat=True))


# Intake --------------------------------------------------------------------------------------


def test_a_file_import_queues_its_notices_and_does_not_screen_them(tmp_path):
    notices = import_file(tmp_path)

    assert len(notices) == 6
    assert queued_ids() == [notice.pk for notice in notices]
    assert set(PendingScreening.objects.values_list("queued_at", flat=True)) == {ARRIVED}
    assert Screening.objects.count() == 0
    assert Clock.objects.count() == 0
    assert DeskItem.objects.count() == 0


def test_the_queue_rolls_back_with_the_notices():
    with pytest.raises(RuntimeError), transaction.atomic():
        store_incidents(incidents=[parse_incident(payload())], received_from=FILE_IMPORT, bulk=True)
        assert PendingScreening.objects.count() == 2
        raise RuntimeError("the import's transaction fails after the notices are stored")

    assert Notice.objects.count() == 0
    assert PendingScreening.objects.count() == 0


def test_a_notice_recorded_one_at_a_time_is_screened_inline_and_not_queued():
    result = record(payload())

    notices = notices_of(incident=result.incident)
    assert screened_ids() == sorted(notice.pk for notice in notices)
    assert PendingScreening.objects.count() == 0
    assert DeskItem.objects.count() == 2


def test_the_api_still_replies_with_each_notices_grade(client):
    _, token = intake_client()

    response = post(client, token, payload())

    assert response.status_code == 201
    assert [notice["grade"] for notice in response.json()["notices"]] == ["red", "red"]
    assert PendingScreening.objects.count() == 0


def test_notices_sent_without_saying_bulk_are_screened_inline(tmp_path):
    notices = import_file(tmp_path, count=1)

    # As before the incidents app said `bulk`: screened at once.
    screen_new_notices(sender=Notice, notices=notices, incidents=[])

    assert screened_ids() == [notice.pk for notice in notices]
    # Already screened, so the queue lets them go without screening them again.
    assert services.screen_pending() == 0
    assert PendingScreening.objects.count() == 0
    assert Screening.objects.count() == 2


# screen_pending --------------------------------------------------------------------------------


def test_queued_notices_are_screened_in_notice_order_a_batch_at_a_time(tmp_path):
    notices = import_file(tmp_path)
    ids = [notice.pk for notice in notices]

    assert services.screen_pending(limit=4) == 4

    assert screened_ids() == ids[:4]
    assert queued_ids() == ids[4:]
    assert services.screen_pending(limit=4) == 2
    assert screened_ids() == ids
    assert queued_ids() == []


def test_a_queued_notice_is_screened_at_intake_once_with_clocks_and_a_desk_item(tmp_path):
    notices = import_file(tmp_path)

    assert services.screen_pending() == 6

    screenings = Screening.objects.all()
    assert {(s.trigger, s.is_current, s.screened_at) for s in screenings} == {
        (Trigger.INTAKE, True, ARRIVED)
    }
    assert {s.grade for s in screenings} == {"red"}  # the officer graded the DASH high
    assert Clock.objects.filter(rule="desk_review_red").count() == 6
    items = DeskItem.objects.order_by("notice_id")
    assert [item.notice_id for item in items] == [notice.pk for notice in notices]
    assert {item.grade for item in items} == {"red"}


def test_screening_the_queue_again_screens_nothing_twice(tmp_path):
    import_file(tmp_path)
    assert services.screen_pending() == 6

    assert services.screen_pending() == 0
    assert services.screen_all_pending() == 0

    assert Screening.objects.count() == 6
    assert Clock.objects.filter(rule="desk_review_red").count() == 6
    assert DeskItem.objects.count() == 6


def test_a_failure_while_screening_leaves_the_whole_batch_queued(tmp_path):
    notices = import_file(tmp_path)

    def desk_fails(sender, **kwargs):
        raise RuntimeError("the desk could not take them")

    notices_screened.connect(desk_fails)
    try:
        with pytest.raises(RuntimeError):
            services.screen_pending()
    finally:
        notices_screened.disconnect(desk_fails)

    assert queued_ids() == [notice.pk for notice in notices]
    assert Screening.objects.count() == 0
    assert Clock.objects.count() == 0
    assert DeskItem.objects.count() == 0
    assert services.screen_pending() == 6  # and they are screened when it works again


def test_the_desk_review_clock_runs_from_when_the_notice_came_in(tmp_path, fixed_clock):
    import_file(tmp_path, count=1)
    fixed_clock.shift(timedelta(hours=3))  # the worker was stopped for three hours

    services.screen_pending()

    later = ARRIVED + timedelta(hours=3)
    assert set(Screening.objects.values_list("screened_at", flat=True)) == {later}
    clocks = Clock.objects.filter(rule="desk_review_red")
    assert {clock.started_at for clock in clocks} == {ARRIVED}
    item_due = set(DeskItem.objects.values_list("due_at", flat=True))
    assert item_due == {clock.due_at for clock in clocks}


def test_a_notice_screened_inline_starts_its_desk_review_clock_when_it_is_screened():
    record(payload())

    assert {c.started_at for c in Clock.objects.filter(rule="desk_review_red")} == {ARRIVED}


# The worker ------------------------------------------------------------------------------------


def test_the_worker_sweep_drains_the_queue_into_the_desk_queue(tmp_path, caplog):
    notices = import_file(tmp_path)

    with caplog.at_level(logging.INFO, logger="childfirst.dispatch.worker"):
        assert sweep_once(now=ARRIVED + timedelta(seconds=2)) == 0  # nothing to deliver

    assert PendingScreening.objects.count() == 0
    assert screened_ids() == [notice.pk for notice in notices]
    assert DeskItem.objects.count() == 6
    assert "Screened 6 children's notices from bulk imports" in caplog.text


def test_the_sweep_screens_a_batch_at_a_time_until_none_is_left(tmp_path, monkeypatch):
    import_file(tmp_path)
    batches = []
    real = services._screen_pending

    def spy(*, limit, now):
        claimed, screened = real(limit=2, now=now)
        batches.append(screened)
        return claimed, screened

    monkeypatch.setattr(services, "_screen_pending", spy)

    sweep_once(chase=False)

    assert batches == [2, 2, 2, 0]
    assert PendingScreening.objects.count() == 0


def test_a_sweep_screens_a_few_batches_then_delivers_and_the_next_sweep_goes_on(
    tmp_path, monkeypatch
):
    from childfirst.dispatch import worker

    import_file(tmp_path)  # 6 children queued
    real = services._screen_pending
    monkeypatch.setattr(services, "_screen_pending", lambda *, limit, now: real(limit=2, now=now))
    monkeypatch.setattr(worker, "SCREEN_BATCHES_PER_SWEEP", 2)

    sweep_once(chase=False)
    assert PendingScreening.objects.count() == 2
    sweep_once(chase=False)
    assert PendingScreening.objects.count() == 0
    assert Screening.objects.count() == 6


def test_when_screening_fails_the_sweep_logs_it_keeps_the_queue_and_carries_on(tmp_path, caplog):
    import_file(tmp_path, count=1)

    def desk_fails(sender, **kwargs):
        raise RuntimeError("the desk could not take them")

    notices_screened.connect(desk_fails)
    try:
        with caplog.at_level(logging.ERROR, logger="childfirst.dispatch.worker"):
            assert sweep_once(chase=False) == 0
    finally:
        notices_screened.disconnect(desk_fails)

    assert "they stay queued" in caplog.text
    assert PendingScreening.objects.count() == 2
    assert Screening.objects.count() == 0
    sweep_once(chase=False)
    assert PendingScreening.objects.count() == 0
    assert Screening.objects.count() == 2


# The command -----------------------------------------------------------------------------------


def run(*args, stderr=None):
    out = StringIO()
    call_command("screening", *args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def test_the_command_screens_the_queue_and_says_how_many(tmp_path):
    import_file(tmp_path)

    assert run("run-pending", "--batch-size", "4") == "Screened 6 children's notices.\n"
    assert PendingScreening.objects.count() == 0
    assert run("run-pending") == "Screened 0 children's notices.\n"


def test_the_command_refuses_a_batch_size_below_one():
    with pytest.raises(CommandError, match="--batch-size must be 1 or more"):
        run("run-pending", "--batch-size", "0")


# How far behind the worker is ---------------------------------------------------------------------


def test_the_backlog_counts_the_waiting_notices_and_the_longest_wait(tmp_path):
    assert services.screening_backlog(now=ARRIVED) == services.Backlog(0, None, ARRIVED)
    import_file(tmp_path)

    soon = services.screening_backlog(now=ARRIVED + timedelta(minutes=4, seconds=59))
    late = services.screening_backlog(now=ARRIVED + timedelta(minutes=5))

    assert (soon.waiting, soon.oldest_queued_at) == (6, ARRIVED)
    assert soon.oldest_wait == timedelta(minutes=4, seconds=59)
    assert not soon.is_late
    assert late.is_late
    services.screen_all_pending()
    assert not services.screening_backlog(now=ARRIVED + timedelta(hours=1)).is_late


def test_the_backlog_stops_counting_at_its_limit(tmp_path, monkeypatch):
    import_file(tmp_path)  # six notices
    monkeypatch.setattr(services, "BACKLOG_COUNT_LIMIT", 4)

    backlog = services.screening_backlog(now=ARRIVED)

    assert (backlog.waiting, backlog.more, backlog.oldest_queued_at) == (4, True, ARRIVED)
    assert run("status").startswith("4 or more children's notices are waiting to be screened.")
    monkeypatch.setattr(services, "BACKLOG_COUNT_LIMIT", 6)
    assert services.screening_backlog(now=ARRIVED).more is False


def test_the_status_command_says_how_many_wait_and_fails_when_the_worker_is_late(
    tmp_path, time_machine
):
    assert run("status") == "No notices are waiting to be screened.\n"
    import_file(tmp_path, count=1)
    PendingScreening.objects.filter(notice_id=Notice.objects.order_by("pk")[1].pk).update(
        queued_at=ARRIVED + timedelta(seconds=30)
    )

    assert run("status") == (
        "2 children's notices are waiting to be screened. The oldest has waited "
        "less than a minute.\n"
    )
    time_machine.move_to(ARRIVED + timedelta(hours=2, minutes=1), tick=False)
    out, errors = StringIO(), StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("screening", "status", stdout=out, stderr=errors)
    assert stopped.value.code == 1
    assert "The oldest has waited 2 hours and 1 minute." in out.getvalue()
    assert "check that `childfirst worker`" in errors.getvalue()
    services.screen_all_pending()
    assert run("status") == "No notices are waiting to be screened.\n"


# Two workers at once ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_take_different_notices_and_screen_each_once(tmp_path, monkeypatch):
    """On PostgreSQL both workers claim at the same moment: SKIP LOCKED gives the second the rows
    the first has not locked, and each waits for the other before it commits, so without SKIP
    LOCKED the second would block (and the barrier break) or screen the same notices again."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: two workers cannot claim at once")
    notices = import_file(tmp_path)
    both_claimed = threading.Barrier(2, timeout=10)
    real = services.screen_notices
    took, errors = [], []

    def screen_together(*, notices, **kwargs):
        took.append([notice.pk for notice in notices])
        both_claimed.wait()
        return real(notices=notices, **kwargs)

    monkeypatch.setattr(services, "screen_notices", screen_together)

    def work():
        try:
            services.screen_pending(limit=3)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert errors == []
    assert sorted(map(sorted, took)) == [
        [notice.pk for notice in notices[:3]],
        [notice.pk for notice in notices[3:]],
    ]
    assert screened_ids() == [notice.pk for notice in notices]
    assert PendingScreening.objects.count() == 0
    assert DeskItem.objects.count() == 6
