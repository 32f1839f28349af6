"""Tasks a killed worker left "running" are closed when a worker starts on the same host."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from childfirst.web.worker_ids import (
    ABANDONED,
    fail_abandoned_tasks,
    make_worker_id,
    process_alive,
    this_host,
)

pytestmark = pytest.mark.django_db


def task(status=TaskResultStatus.RUNNING, *, worker_ids):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [[1]], "kwargs": {}},
        task_path="childfirst.dispatch.tasks.deliver_disclosures",
        worker_ids=worker_ids,
    )


def dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    return int(finished.stdout)


def test_a_worker_id_names_the_host_and_the_process():
    worker_id = make_worker_id(host="laptop", pid=4321)
    host, pid, rest = worker_id.split(":")
    assert (host, pid, len(rest)) == ("laptop", "4321", 12)
    assert len(make_worker_id(host="h" * 40, pid=4194304)) <= 64
    assert make_worker_id() != make_worker_id()


def test_whether_a_process_is_alive():
    import os

    assert process_alive(os.getpid())
    assert not process_alive(dead_pid())


def test_only_running_tasks_of_gone_workers_on_this_host_are_failed():
    gone = task(worker_ids=["laptop:111:aaaa"])
    alive = task(worker_ids=["laptop:222:bbbb"])
    other_host = task(worker_ids=["server:111:cccc"])
    retried_here_last = task(worker_ids=["laptop:222:dddd", "laptop:111:eeee"])
    finished = task(TaskResultStatus.SUCCESSFUL, worker_ids=["laptop:111:ffff"])
    old_style = task(worker_ids=["Yk3c9aZ0qq"])  # an id django-tasks made up itself

    closed = fail_abandoned_tasks(host="laptop", alive=lambda pid: pid == 222)

    assert closed == 2
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[gone.pk] == status[retried_here_last.pk] == TaskResultStatus.FAILED
    for left in (alive, other_host, old_style):
        assert status[left.pk] == TaskResultStatus.RUNNING
    assert status[finished.pk] == TaskResultStatus.SUCCESSFUL
    gone.refresh_from_db()
    assert gone.finished_at is not None
    assert gone.traceback == ABANDONED


# The worker closes old connections between tasks, as a request does: in a test that holds its
# data in an open transaction that would close the test's own connection (on PostgreSQL).
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_closes_the_tasks_a_killed_worker_left_running_as_it_starts():
    import os

    left = task(worker_ids=[f"{this_host()}:{dead_pid()}:aaaa"])
    from childfirst.dispatch.tasks import deliver_disclosures

    queued = DBTaskResult.objects.get(pk=deliver_disclosures.enqueue([]).id)

    call_command("worker", "--batch", "--no-sweep", "--interval", "0.1", stdout=StringIO())

    left.refresh_from_db()
    assert left.status == TaskResultStatus.FAILED
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    # The worker ran it under its own name, so a later worker can tell whether it is alive.
    assert queued.worker_ids[-1].startswith(f"{this_host()}:{os.getpid()}:")
