"""`childfirst screening run-pending`: screen the notices bulk file imports queued, now.
`childfirst screening status`: how many wait, and for how long.

The worker's sweep screens the queue every couple of seconds; operators and benches run
`run-pending` to drain it without a worker. It screens a batch at a time, each in its own
transaction, until none is left, and prints how many it screened. `status` exits with status 1
when a notice has waited longer than the worker should ever take (for monitoring).
"""

from django.core.management.base import BaseCommand, CommandError

from childfirst.dates import how_long
from childfirst.screening.services import PENDING_BATCH, screen_all_pending, screening_backlog


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

        actions.add_parser(
            "status", help="How many queued notices wait to be screened, and the longest wait"
        )

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def handle_run_pending(self, *, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        screened = screen_all_pending(batch=batch_size)
        noun = "child's notice" if screened == 1 else "children's notices"
        self.stdout.write(f"Screened {screened:,} {noun}.")

    def handle_status(self, **options):
        backlog = screening_backlog()
        if not backlog.waiting:
            self.stdout.write("No notices are waiting to be screened.")
            return
        noun = "child's notice is" if backlog.waiting == 1 else "children's notices are"
        if backlog.more:
            noun = "or more children's notices are"
        self.stdout.write(
            f"{backlog.waiting:,} {noun} waiting to be screened. The oldest has waited "
            f"{how_long(backlog.oldest_wait)}."
        )
        if backlog.is_late:
            self.stderr.write(
                "That is longer than the worker should take: check that `childfirst worker` "
                "(or `childfirst serve`) is running, and read its log."
            )
            raise SystemExit(1)
