"""Who ran a background task, so that tasks a killed worker left "running" can be closed.

django-tasks marks a task result RUNNING when a worker claims it and records the worker's id, but
a worker that is killed (a power cut, `kill -9`) never finishes the row: it stays "running" for
ever. `childfirst worker` therefore names itself HOST:PID:RANDOM, and when it starts it marks as
failed every task still running under a worker of the same host whose process has gone. Tasks of
workers on other hosts are left alone: whether those processes live cannot be told from here.

Nothing is lost by this: deliveries are recovered by the dispatch sweep once their lease runs out
(docs/dispatch.md); the row only records that the task's run did not finish.
"""

import os
import socket

from django.utils import timezone
from django.utils.crypto import get_random_string

ABANDONED = "The worker running this task stopped before it finished (the process was gone)"


def this_host() -> str:
    return socket.gethostname()[:40]


def make_worker_id(*, host: str | None = None, pid: int | None = None) -> str:
    """ "HOST:PID:RANDOM", at most 64 characters (django-tasks' limit)."""
    return f"{host or this_host()}:{pid or os.getpid()}:{get_random_string(12)}"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def fail_abandoned_tasks(*, host: str | None = None, alive=process_alive) -> int:
    """Mark as failed the task results still RUNNING under a worker of this host whose process
    has gone; returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    host = host or this_host()
    gone = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for result in running.only("id", "worker_ids"):
        last = result.worker_ids[-1] if result.worker_ids else ""
        worker_host, _, rest = last.partition(":")
        pid = rest.partition(":")[0]
        if worker_host == host and pid.isdigit() and not alive(int(pid)):
            gone.append(result.pk)
    if not gone:
        return 0
    return DBTaskResult.objects.filter(pk__in=gone, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="childfirst.web.worker_ids.WorkerGone",
        traceback=ABANDONED,
    )
