"""Bulk identity resolution: batches of 8,000 mentions through resolve_mentions.

    .venv/bin/python -m bench.identity_bulk [--persons 100000] [--batch 8000] [--database all]

Intake of a bulk file resolves every person of a batch of incidents in one resolve_mentions
call, inside its transaction; this measures that call alone. Synthetic person records
(childfirst.people.synthetic, about two per person, so most batches hold new people and
re-mentions of people stored by earlier batches) are grouped four to an incident and resolved
batch by batch, each batch in its own transaction, on a fresh SQLite file and on a scratch
PostgreSQL database (127.0.0.1:5432, user postgres) when one answers. The time of each batch
is split into the lookup (deciding) and the writes (persons, mentions, blocking keys, review
pairs). Results: bench/results/identity_bulk.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_DATABASE = "cf_bench_identity"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=8_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", choices=["all", "sqlite", "postgresql"], default="all")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)

    from bench import _identity as common

    results = {}
    for name in ("sqlite", "postgresql"):
        if args.database not in ("all", name):
            continue
        url = None
        if name == "postgresql":
            url = _scratch_postgres()
            if url is None:
                results[name] = {"skipped": "no PostgreSQL on 127.0.0.1:5432"}
                continue
        command = [sys.executable, "-m", "bench.identity_bulk", "--worker", url or "sqlite",
                   "--persons", str(args.persons), "--batch", str(args.batch),
                   "--seed", str(args.seed)]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            results[name] = {"failed": done.stderr[-2000:]}
            continue
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    result = {
        "sizes": {"persons": args.persons, "batch_mentions": args.batch},
        "machine": common.machine(),
        "databases": results,
    }
    path = common.write_result("identity_bulk", result)
    for name, figures in results.items():
        print(f"{name}: {figures.get('summary', figures)}")
    print(path)


def _scratch_postgres():
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as con:
            con.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
            con.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    except Exception:  # noqa: BLE001 - any failure means no PostgreSQL to measure
        return None
    return f"postgresql://postgres@127.0.0.1:5432/{POSTGRES_DATABASE}"


def worker(args):
    from bench import _identity as common

    url = None if args.worker == "sqlite" else args.worker
    common.setup_django(url)
    from django.db import connection, transaction

    from childfirst.people import resolver, synthetic
    from childfirst.people.services import resolve_mentions

    lookup_seconds = []
    original = resolver.lookup

    def timed(*a, **k):
        t0 = time.perf_counter()
        out = original(*a, **k)
        lookup_seconds.append(time.perf_counter() - t0)
        return out

    resolver.lookup = timed

    rows = list(synthetic.person_records(args.persons, seed=args.seed, mentions_per_person=2.0))
    mentions = []
    for number, row in enumerate(rows):
        mentions.append(
            common.mention_from_row(
                row,
                source_system="BULK",
                source_reference=f"INC-{number // 4:08d}",
                source_person_ref=f"P{number % 4 + 1}",
            )
        )
    batches = []
    for start in range(0, len(mentions), args.batch):
        batch = mentions[start : start + args.batch]
        t0 = time.perf_counter()
        with transaction.atomic():
            results = resolve_mentions(mentions=batch)
        seconds = time.perf_counter() - t0
        statuses = {}
        for result in results:
            statuses[result.status] = statuses.get(result.status, 0) + 1
        batches.append(
            {
                "mentions": len(batch),
                "seconds": round(seconds, 3),
                "lookup_seconds": round(lookup_seconds[-1], 3),
                "statuses": statuses,
            }
        )
    full = [b for b in batches if b["mentions"] == args.batch]
    times = [b["seconds"] for b in full]
    summary = {
        "database": connection.vendor,
        "batches": len(batches),
        "median_batch_seconds": round(common.percentile(times, 50), 3),
        "max_batch_seconds": round(max(times), 3),
        "last_batch_seconds": times[-1],
        "median_lookup_share": round(
            common.percentile([b["lookup_seconds"] / b["seconds"] for b in full], 50), 2
        ),
        "mentions_per_second": round(sum(b["mentions"] for b in full) / sum(times)),
        "persons_stored_at_end": len(rows),
    }
    print(json.dumps({"summary": summary, "batches": batches}))
    os.environ.pop("CHILDFIRST_DATABASE_URL", None)


if __name__ == "__main__":
    main()
