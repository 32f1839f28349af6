"""`childfirst screening run-pending`: screen the notices bulk file imports queued, now.

The worker's sweep does this every couple of seconds; operators and benches run it by hand to
drain the queue without a worker. It screens a batch at a time, each in its own transaction, until
none is left, and prints how many it screened.
"""

from django.core.management.base import BaseCommand, CommandError

from childfirst.screening.services import PENDING_BATCH, screen_all_pending


class Command(BaseCommand):
    help = "Screening: screen the notices that bulk imports queued for the worker"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        run = actions.add_parser(
            "run-pending", help="Screen every queued notice now, a batch at a time"
        )
        run.add_argument(
            "--batch-size",
            type=int,
            default=PENDING_BATCH,
            help=f"Notices screened in one transaction (default {PENDING_BATCH:,})",
        )

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def handle_run_pending(self, *, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        screened = screen_all_pending(batch=batch_size)
        noun = "child's notice" if screened == 1 else "children's notices"
        self.stdout.write(f"Screened {screened:,} {noun}.")
