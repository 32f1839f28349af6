"""Webhook deliveries per second for one worker, to a partner's receiver on loopback.

    .venv/bin/python -m bench.webhooks --deliveries 2000 --runs 3

For each database (a fresh SQLite file, and a scratch PostgreSQL database on 127.0.0.1:5432 as
user postgres), one worker process migrates, makes one real referral through intake and the desk,
then N disclosures of it (one per agency, each with a webhook delivery), and times the worker's
own sweep (childfirst.dispatch.delivery.deliver_all_due: claim in batches with row locks,
sign, POST on a kept-alive connection, record) until all N are delivered. Between runs every
delivery is made pending again. The receiver is a threaded HTTP/1.1 server in this (parent)
process that answers 200 to each POST.

Results go to bench/results/webhooks.json with the sizes and the machine; the figure is the
median deliveries per second over the runs.
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench._databases import drop_postgres, prepare_database, run_bench_worker
from bench._machine import machine

RESULTS = Path(__file__).resolve().parent / "results" / "webhooks.json"
POSTGRES_DATABASE = "cf_bench_webhooks"
SECRET = "bench-webhook-secret"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    count = 0

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Handler.count += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--worker", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--receiver", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(args)))
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver = f"http://127.0.0.1:{server.server_address[1]}/webhook"
    results = {
        "benchmark": "webhooks",
        "command": f"python -m bench.webhooks --deliveries {args.deliveries} --runs {args.runs}",
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sizes": {"deliveries": args.deliveries, "runs": args.runs, "workers": 1},
        "machine": machine(),
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="cf-bench-webhooks-") as scratch:
        for name in args.databases.split(","):
            url = prepare_database(name.strip(), Path(scratch), database=POSTGRES_DATABASE)
            print(f"{name}: {args.deliveries:,} webhook deliveries...", file=sys.stderr)
            options = ["--receiver", receiver, "--deliveries", str(args.deliveries)]
            options += ["--runs", str(args.runs)]
            try:
                result = run_bench_worker(
                    "bench.webhooks", name=name, url=url, scratch=scratch, options=options
                )
            finally:
                if name == "postgresql":
                    drop_postgres(POSTGRES_DATABASE)
            results["databases"][name] = result
            print(f"{name}: {result['median_per_second']:,.0f} deliveries/s", file=sys.stderr)
    results["received"] = Handler.count
    server.shutdown()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {args.output}", file=sys.stderr)


# The worker: runs inside Django against one database ------------------------------------------


def run_worker(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from childfirst.desk.models import ReferralRecipient
    from childfirst.directory.models import Agency, AgencyKind
    from childfirst.dispatch import services
    from childfirst.dispatch.delivery import deliver_all_due
    from childfirst.dispatch.models import Delivery, DeliveryState, Disclosure
    from tests.builders import make_user
    from tests.dispatch import builders as b

    call_command("migrate", verbosity=0)
    agencies = b.setting()
    referral = b.referral(agencies, names=("mash",))
    (first,) = services.send_referral(referral=referral, by=make_user())
    Agency.objects.bulk_create(
        Agency(
            code=f"bench-{n}",
            name=f"Bench agency {n}",
            kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            webhook_url=args.receiver,
            webhook_secret=SECRET,
        )
        for n in range(args.deliveries)
    )
    made = list(Agency.objects.filter(code__startswith="bench-").order_by("pk"))
    ReferralRecipient.objects.bulk_create(
        ReferralRecipient(referral=referral, agency=a, agreement=first.agreement) for a in made
    )
    recipients = ReferralRecipient.objects.filter(agency__in=made).order_by("pk")
    Disclosure.objects.bulk_create(
        Disclosure(
            referral=referral,
            recipient=r,
            agency_id=r.agency_id,
            agreement=first.agreement,
            lawful_basis=first.lawful_basis,
            content_kind=first.content_kind,
            content=first.content,
            sent_by=first.sent_by,
            reason="Benchmark",
        )
        for r in recipients
    )
    Delivery.objects.all().delete()
    Delivery.objects.bulk_create(
        Delivery(disclosure=d, channel="webhook")
        for d in Disclosure.objects.filter(agency__in=made)
    )
    rates = []
    for _ in range(args.runs):
        Delivery.objects.update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        started = time.perf_counter()
        done = deliver_all_due()
        seconds = time.perf_counter() - started
        delivered = Delivery.objects.filter(state=DeliveryState.DELIVERED).count()
        assert done == args.deliveries == delivered, (done, delivered)
        rates.append(round(args.deliveries / seconds, 1))
    return {
        "engine": django.db.connection.vendor,
        "deliveries_per_run": args.deliveries,
        "per_second_each_run": rates,
        "median_per_second": statistics.median(rates),
        "content_bytes": len(json.dumps(first.content)),
    }


if __name__ == "__main__":
    main()
