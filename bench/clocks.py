"""Clocks: how fast due times are worked out and clocks started, as bulk intake needs.

    .venv/bin/python -m bench.clocks --clocks 10000

For each database (a fresh SQLite file, and a scratch PostgreSQL database on 127.0.0.1:5432 as
user postgres), a worker process migrates, loads the London boroughs with the demo's 2026 to
2027 term calendar and some schools, and times, over N clock requests spread across the six
rules and the year (each the median of --runs runs):

  - due_at called once per request, with a cold calendar cache and then a warm one;
  - start_clocks with all N requests in one call (one bulk insert), as intake calls it;
  - check_clocks when all N have breached (marking, events and the clock_breached signal).

Results go to bench/results/clocks.json with the sizes and the machine.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench._databases import drop_postgres, prepare_database, run_bench_worker
from bench._machine import machine

RESULTS = Path(__file__).resolve().parent / "results" / "clocks.json"
POSTGRES_DATABASE = "cf_bench_clocks"
RULES = (
    "encompass",
    "desk_review_red",
    "desk_review_amber",
    "desk_review_green",
    "la_decision",
    "return_interview",
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--worker", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(args)))
        return
    results = {
        "benchmark": "clocks",
        "command": f"python -m bench.clocks --clocks {args.clocks} --runs {args.runs}",
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sizes": {"clocks": args.clocks, "runs": args.runs, "seed": args.seed},
        "machine": machine(),
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="cf-bench-clocks-") as scratch:
        for name in args.databases.split(","):
            url = prepare_database(name.strip(), Path(scratch), database=POSTGRES_DATABASE)
            print(f"{name}: timing {args.clocks:,} clocks...", file=sys.stderr)
            options = ["--clocks", str(args.clocks), "--runs", str(args.runs)]
            options += ["--seed", str(args.seed)]
            try:
                result = run_bench_worker(
                    "bench.clocks", name=name, url=url, scratch=scratch, options=options
                )
            finally:
                if name == "postgresql":
                    drop_postgres(POSTGRES_DATABASE)
            results["databases"][name] = result
            print(
                f"{name}: due_at {result['due_at_warm']['per_second']:,.0f}/s warm, "
                f"start_clocks {result['start_clocks']['per_second']:,.0f} clocks/s",
                file=sys.stderr,
            )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {args.output}", file=sys.stderr)


# The worker: runs inside Django against one database ------------------------------------------


def run_worker(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from childfirst.directory.london import load_london_local_authorities
    from childfirst.directory.models import LocalAuthority, School
    from childfirst.timescales import services
    from childfirst.timescales.calendars import clear_calendar_cache
    from childfirst.timescales.demo import create_demo_term_dates
    from childfirst.timescales.models import Clock, ClockEvent

    call_command("migrate", verbosity=0)
    load_london_local_authorities(LocalAuthority)
    create_demo_term_dates()
    boroughs = list(LocalAuthority.objects.filter(gss_code__startswith="E09"))
    School.objects.bulk_create(
        School(urn=800000 + n, name=f"Bench School {n}", local_authority=boroughs[n % 32])
        for n in range(320)
    )
    schools = list(School.objects.values_list("pk", "local_authority_id"))

    rng = random.Random(args.seed)
    first = datetime(2026, 9, 1, tzinfo=UTC)
    requests = []
    for n in range(args.clocks):
        rule = RULES[n % len(RULES)]
        school_id, authority_id = rng.choice(schools)
        requests.append(
            services.ClockRequest(
                rule=rule,
                subject_type="notice",
                subject_id=n + 1,
                started_at=first + timedelta(seconds=rng.randrange(300 * 24 * 3600)),
                local_authority_id=authority_id,
                school_id=school_id if rule == "encompass" and rng.random() < 0.9 else None,
            )
        )

    def due_all():
        for request in requests:
            services.due_at(
                rule=request.rule,
                start=request.started_at,
                local_authority_id=request.local_authority_id,
                school_id=request.school_id,
            )

    def cold():
        clear_calendar_cache()
        due_all()

    def start_all():
        with transaction.atomic():
            services.start_clocks(requests=requests)

    def check_all():
        services.check_clocks(now=datetime(2028, 1, 1, tzinfo=UTC))

    result = {
        "vendor": connection.vendor,
        "due_at_cold": timed(cold, args.runs, args.clocks),
        "due_at_warm": timed(due_all, args.runs, args.clocks),
    }
    runs = []
    check_runs = []
    for _ in range(args.runs):
        ClockEvent.objects.all().delete()
        Clock.objects.all().delete()
        runs.append(stopwatch(start_all))
        check_runs.append(stopwatch(check_all))
    result["start_clocks"] = summary(runs, args.clocks)
    result["check_clocks_all_breached"] = summary(check_runs, args.clocks)
    return result


def stopwatch(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def timed(work, runs: int, count: int) -> dict:
    return summary([stopwatch(work) for _ in range(runs)], count)


def summary(seconds: list[float], count: int) -> dict:
    median = statistics.median(seconds)
    return {
        "median_seconds": round(median, 4),
        "per_second": round(count / median),
        "runs_seconds": [round(s, 4) for s in seconds],
    }


if __name__ == "__main__":
    main()
