"""The dispatch sweep the worker runs beside the task queue (childfirst worker): every couple of
seconds it screens the notices bulk file imports queued (screening.services.screen_all_pending,
a few batches a sweep so that deliveries are not held back), then delivers whatever is due
(retries whose time has come, deliveries whose task was lost, and deliveries a killed worker
left claimed once their lease runs out), and every minute it checks the clocks (warn, breach,
escalate: timescales) and chases overdue partner decisions. Several workers may sweep at once:
queued notices and deliveries are claimed with row locks (SKIP LOCKED on PostgreSQL). If
screening fails, its notices stay queued for the next sweep and the sweep still delivers."""

import logging
import threading
import time

from django.db import close_old_connections
from django.utils import timezone

from childfirst.dispatch.delivery import deliver_all_due
from childfirst.dispatch.services.oversight import chase_overdue
from childfirst.screening.services import screen_all_pending
from childfirst.timescales.services import check_clocks

logger = logging.getLogger(__name__)
SWEEP_SECONDS = 2.0
CHASE_SECONDS = 60.0


def sweep_once(*, now=None, chase: bool = True) -> int:
    """One sweep: screen what bulk imports queued, deliver what is due and, with `chase`, check
    the clocks and chase overdue decisions. Returns how many deliveries were made."""
    screen_queued(now=now)
    delivered = deliver_all_due(now=now or timezone.now())
    if chase:
        check_clocks(now=now or timezone.now())
        chase_overdue(now=now or timezone.now())
    return delivered


# Each sweep screens at most this many batches of queued notices (2,000 a batch, about a
# second each) before it delivers: a backfill of a million incidents must not hold a referral
# back. What is left is screened at the next sweep, two seconds later.
SCREEN_BATCHES_PER_SWEEP = 5


def screen_queued(*, now=None) -> int:
    """Screen the notices waiting in the queue, up to SCREEN_BATCHES_PER_SWEEP batches; a
    failure is logged and the notices stay queued (a broken rule file must not stop
    deliveries)."""
    try:
        screened = screen_all_pending(max_batches=SCREEN_BATCHES_PER_SWEEP, now=now)
    except Exception:
        logger.exception("Screening the queued notices failed; they stay queued for the next sweep")
        return 0
    if screened:
        logger.info("Screened %s children's notices from bulk imports", screened)
    return screened


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
