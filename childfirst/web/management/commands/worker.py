"""Run the background worker: deliveries, clocks and rebuilds (Django Tasks, database backend).

The worker names itself HOST:PID:RANDOM and, as it starts, closes the tasks a killed worker on
this host left "running" (childfirst.web.worker_ids)."""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand

from childfirst import bulk
from childfirst.web.worker_ids import fail_abandoned_tasks, make_worker_id

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the background worker"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop")
        parser.add_argument(
            "--no-sweep",
            action="store_true",
            help="Do not sweep for due deliveries and overdue decisions (another worker does)",
        )

    def handle(self, *args, interval, batch, no_sweep, **options):
        bulk.tune_gc_for_batches()
        closed = fail_abandoned_tasks()
        if closed:
            logger.warning("Marked %s tasks failed: the worker running them had stopped", closed)
        extra = ["--batch"] if batch else []
        extra += ["--worker-id", make_worker_id()]
        if batch and not no_sweep:
            from childfirst.dispatch.worker import sweep_once

            sweep_once()
        elif not no_sweep:
            # Deliveries that are due (retries, and any a killed worker left claimed) and
            # overdue partner decisions (docs/dispatch.md), beside the task queue.
            from childfirst.dispatch.worker import start_sweeper

            start_sweeper()
        call_command("db_worker", "--interval", str(interval), *extra)
