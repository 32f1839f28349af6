"""Screening: how many notices a second screening.services.screen_notices screens.

    .venv/bin/python -m bench.screening --incidents 12000
    CHILDFIRST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m bench.screening

A worker process per database (a fresh SQLite file; and, when CHILDFIRST_DATABASE_URL names a
PostgreSQL server, a scratch database cf_bench_screening on that server) migrates, loads the demo
directory, and stores synthetic incidents through the real intake (bench.intake's generator:
households that come to notice again and again, so history counts have work to do) with the
screening receiver switched off. Then it screens every notice in batches, as intake does (rules,
history queries, bulk insert, clocks, the notices_screened signal), several rounds, and reports
the median notices per second. Target: 2,000 notices per second.

Results go to bench/results/screening.json with the sizes and the machine.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench._databases import drop_postgres, prepare_database, run_bench_worker
from bench._machine import machine
from bench.intake import synthetic_incidents

RESULTS = Path(__file__).resolve().parent / "results" / "screening.json"
SCRATCH_DATABASE = "cf_bench_screening"
TARGET = 2000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(args)))
        return
    results = {
        "benchmark": "screening",
        "command": f"python -m bench.screening --incidents {args.incidents}",
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "target_notices_per_second": TARGET,
        "sizes": {
            "incidents": args.incidents,
            "batch_size": args.batch_size,
            "rounds": args.rounds,
            "seed": args.seed,
        },
        "machine": machine(),
        "databases": {},
    }
    postgres = os.environ.get("CHILDFIRST_DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="cf-bench-screening-") as scratch:
        databases = [("sqlite", f"sqlite:///{Path(scratch) / 'bench-screening.sqlite3'}")]
        if postgres.startswith(("postgres://", "postgresql://")):
            databases.append(
                (
                    "postgresql",
                    prepare_database(
                        "postgresql", Path(scratch), database=SCRATCH_DATABASE, server=postgres
                    ),
                )
            )
        for name, url in databases:
            print(f"{name}: {args.incidents:,} incidents, then screening...", file=sys.stderr)
            options = []
            for option in ("incidents", "seed", "batch_size", "rounds"):
                options += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
            try:
                result = run_bench_worker(
                    "bench.screening", name=name, url=url, scratch=scratch, options=options
                )
            finally:
                if name == "postgresql":
                    drop_postgres(SCRATCH_DATABASE, server=postgres)
            results["databases"][name] = result
            print(
                f"{name}: {result['notices']:,} notices, median "
                f"{result['median_notices_per_second']:,.0f} notices/s",
                file=sys.stderr,
            )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {args.output}", file=sys.stderr)


# The worker: runs inside Django against one database ------------------------------------------


def run_worker(args) -> dict:
    import django

    django.setup()
    from childfirst import bulk

    bulk.tune_gc_for_batches()  # as `childfirst import` and `childfirst worker` do
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count

    from childfirst.directory import demo as demo_directory
    from childfirst.directory.models import Postcode, School
    from childfirst.incidents import importers
    from childfirst.incidents.models import Notice
    from childfirst.incidents.signals import notices_created
    from childfirst.screening.models import Screening
    from childfirst.screening.receivers import screen_new_notices
    from childfirst.screening.services import screen_notices

    call_command("migrate", verbosity=0)
    demo_directory.create_demo_directory()
    postcodes = list(Postcode.objects.order_by("postcode").values_list("postcode", flat=True))
    urns = list(School.objects.order_by("urn").values_list("urn", flat=True))
    payloads, generator = synthetic_incidents(args.incidents, args.seed, postcodes, urns)
    path = Path(os.environ["CHILDFIRST_VAR_DIR"]) / f"screening-{connection.vendor}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for payload in payloads:
            handle.write(json.dumps(payload, ensure_ascii=False) + "\n")

    # Intake without screening, so the rounds below screen every notice themselves.
    notices_created.disconnect(screen_new_notices, dispatch_uid="screening.screen_new_notices")
    started = time.perf_counter()
    imported = importers.import_incidents(path=path, batch_size=500)
    intake_seconds = time.perf_counter() - started

    # Time spent in the clocks service and in the notices_screened receivers (the clocks and
    # desk engineers' parts) is measured apart, so what limits the figure can be seen.
    from childfirst.screening import services as screening_services
    from childfirst.screening.signals import notices_screened

    spent = {"clocks": 0.0, "receivers": 0.0}
    timescales = screening_services.timescales
    start_clocks = timescales.start_clocks

    def timed_start_clocks(**kwargs):
        began = time.perf_counter()
        try:
            return start_clocks(**kwargs)
        finally:
            spent["clocks"] += time.perf_counter() - began

    timescales.start_clocks = timed_start_clocks
    send = notices_screened.send

    def timed_send(*a, **kwargs):
        began = time.perf_counter()
        try:
            return send(*a, **kwargs)
        finally:
            spent["receivers"] += time.perf_counter() - began

    notices_screened.send = timed_send

    ids = list(Notice.objects.order_by("pk").values_list("pk", flat=True))
    batches = [
        list(
            Notice.objects.select_related("incident", "involvement").filter(
                pk__in=ids[start : start + args.batch_size]
            )
        )
        for start in range(0, len(ids), args.batch_size)
    ]
    rounds = []
    for number in range(args.rounds):
        # Round 1 screens notices never screened (as intake does); later rounds screen again.
        # Only screen_notices is timed: intake hands it notices already loaded.
        spent.update(clocks=0.0, receivers=0.0)
        seconds = 0.0
        for batch in batches:
            with transaction.atomic():
                started = time.perf_counter()
                screen_notices(notices=batch, trigger="intake" if number == 0 else "review")
                seconds += time.perf_counter() - started
        own = seconds - spent["clocks"] - spent["receivers"]
        rounds.append(
            {
                "trigger": "intake" if number == 0 else "review",
                "seconds": round(seconds, 2),
                "notices_per_second": round(len(ids) / seconds, 1),
                "clocks_seconds": round(spent["clocks"], 2),
                "notices_screened_receivers_seconds": round(spent["receivers"], 2),
                "notices_per_second_excluding_clocks_and_receivers": round(len(ids) / own, 1),
            }
        )
    grades = dict(
        Screening.objects.filter(is_current=True)
        .values_list("grade")
        .annotate(n=Count("id"))
        .values_list("grade", "n")
    )
    return {
        "vendor": connection.vendor,
        "database_version": _database_version(connection),
        "generator": generator,
        "incidents": imported.created,
        "intake_seconds_without_screening": round(intake_seconds, 2),
        "notices": len(ids),
        "rounds": rounds,
        "median_notices_per_second": round(
            statistics.median(r["notices_per_second"] for r in rounds), 1
        ),
        "current_grades": grades,
        "screenings_stored": Screening.objects.count(),
        "clocks_started": _clock_count(),
    }


def _database_version(connection) -> str:
    if connection.vendor == "sqlite":
        raw = connection.cursor().connection
        return f"SQLite {raw.execute('select sqlite_version()').fetchone()[0]}"
    return f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"


def _clock_count():
    from django.db import DatabaseError

    try:
        from childfirst.timescales.models import Clock

        return Clock.objects.count()
    except (ImportError, DatabaseError):
        return None  # no clocks app yet


if __name__ == "__main__":
    main()
