"""The dispatch sweep the worker runs beside the task queue (childfirst worker): every couple of
seconds it delivers whatever is due (retries whose time has come, deliveries whose task was
lost, and deliveries a killed worker left claimed once their lease runs out), and every minute
it checks the clocks (warn, breach, escalate: timescales) and chases overdue partner decisions.
Several workers may sweep at once: deliveries are claimed with row locks (SKIP LOCKED on
PostgreSQL)."""

import logging
import threading
import time

from django.db import close_old_connections
from django.utils import timezone

from childfirst.dispatch.delivery import deliver_all_due
from childfirst.dispatch.services.oversight import chase_overdue
from childfirst.timescales.services import check_clocks

logger = logging.getLogger(__name__)
SWEEP_SECONDS = 2.0
CHASE_SECONDS = 60.0


def sweep_once(*, now=None, chase: bool = True) -> int:
    delivered = deliver_all_due(now=now or timezone.now())
    if chase:
        check_clocks(now=now or timezone.now())
        chase_overdue(now=now or timezone.now())
    return delivered


def _loop(stop: threading.Event, interval: float):
    last_chase = 0.0
    while not stop.is_set():
        try:
            close_old_connections()
            chase = time.monotonic() - last_chase >= CHASE_SECONDS
            sweep_once(chase=chase)
            if chase:
                last_chase = time.monotonic()
        except Exception:
            logger.exception("The dispatch sweep failed; trying again shortly")
        finally:
            close_old_connections()
        stop.wait(interval)


def start_sweeper(*, interval: float = SWEEP_SECONDS) -> threading.Event:
    stop = threading.Event()
    thread = threading.Thread(
        target=_loop, args=(stop, interval), name="dispatch-sweep", daemon=True
    )
    thread.start()
    return stop
