"""Bulk intake: how many incidents a second `childfirst import incidents` stores.

    .venv/bin/python -m bench.intake --incidents 20000

For each database (a fresh SQLite file, and a scratch PostgreSQL database on 127.0.0.1:5432 as
user postgres), a worker process migrates, loads the demo directory (postcodes, wards, schools),
writes N synthetic incidents as JSON Lines, and times:

  - the first import (every incident new: validation, identity resolution, involvements,
    questionnaires, notices, household search, access log), split into the time spent inside
    people.services.decide_mentions and store_mentions (identity resolution) and the rest;
  - the worker screening the notices the import queued (rules, history, clocks, the desk
    queue), timed apart: a file import leaves screening to the worker;
  - the same file again (everything already stored: the resume / replay path).

Results go to bench/results/intake.json with the sizes and the machine. Synthetic incidents come
from childfirst.people.synthetic.incidents(n, seed=..., postcodes=the directory's) when that
module exists, so every incident resolves to a ward and borough; else from the small generator
here (households that recur, so identity and household search have work to do).
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench._databases import drop_postgres, prepare_database, run_bench_worker
from bench._machine import machine

RESULTS = Path(__file__).resolve().parent / "results" / "intake.json"
POSTGRES_DATABASE = "cf_bench_intake"


# The parent: one worker process per database ---------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch-size", type=int, default=2000)  # importers.BATCH_SIZE
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--worker", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(args)))
        return
    results = {
        "benchmark": "intake",
        "command": f"python -m bench.intake --incidents {args.incidents}",
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sizes": {"incidents": args.incidents, "batch_size": args.batch_size, "seed": args.seed},
        "machine": machine(),
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="cf-bench-intake-") as scratch:
        for name in args.databases.split(","):
            url = prepare_database(name.strip(), Path(scratch), database=POSTGRES_DATABASE)
            print(f"{name}: importing {args.incidents:,} incidents...", file=sys.stderr)
            options = ["--incidents", str(args.incidents), "--seed", str(args.seed)]
            options += ["--batch-size", str(args.batch_size)]
            result = run_bench_worker(
                "bench.intake", name=name, url=url, scratch=scratch, options=options
            )
            results["databases"][name] = result
            print(
                f"{name}: {result['first_import']['incidents_per_second']:,.0f} incidents/s new, "
                f"then {result['worker_screening']['notices_per_second']:,.0f} notices/s "
                "screened by the worker, "
                f"{result['second_import']['incidents_per_second']:,.0f}/s already stored",
                file=sys.stderr,
            )
            if name == "postgresql":
                drop_postgres(POSTGRES_DATABASE)
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
    from django.db import connection

    from childfirst.directory import demo as demo_directory
    from childfirst.directory.models import Postcode, School
    from childfirst.incidents import importers
    from childfirst.incidents import services as incident_services
    from childfirst.incidents.models import Incident, Notice
    from childfirst.people.models import Mention, Person

    call_command("migrate", verbosity=0)
    demo_directory.create_demo_directory()
    postcodes = list(Postcode.objects.order_by("postcode").values_list("postcode", flat=True))
    urns = list(School.objects.order_by("urn").values_list("urn", flat=True))

    payloads, generator = synthetic_incidents(args.incidents, args.seed, postcodes, urns)
    path = Path(os.environ["CHILDFIRST_VAR_DIR"]) / f"incidents-{connection.vendor}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for payload in payloads:
            handle.write(json.dumps(payload, ensure_ascii=False) + "\n")

    # Time spent inside the identity resolver and the access log (other engineers' parts) is
    # measured apart, so what limits the figure can be seen.
    decide, store = incident_services.decide_mentions, incident_services.store_mentions
    log = incident_services.record_access
    spent = {"seconds": 0.0, "calls": 0, "mentions": 0, "log_seconds": 0.0, "log_entries": 0}

    def timed_decide(*, mentions, **kwargs):
        started = time.perf_counter()
        try:
            return decide(mentions=mentions, **kwargs)
        finally:
            spent["seconds"] += time.perf_counter() - started
            spent["calls"] += 1
            spent["mentions"] += len(mentions)

    def timed_store(decided):
        started = time.perf_counter()
        try:
            return store(decided)
        finally:
            spent["seconds"] += time.perf_counter() - started

    def timed_log(**kwargs):
        started = time.perf_counter()
        try:
            return log(**kwargs)
        finally:
            spent["log_seconds"] += time.perf_counter() - started
            spent["log_entries"] += 1

    logs = incident_services.record_accesses

    def timed_logs(**kwargs):
        started = time.perf_counter()
        try:
            return logs(**kwargs)
        finally:
            spent["log_seconds"] += time.perf_counter() - started
            spent["log_entries"] += len(kwargs["events"])

    incident_services.decide_mentions = timed_decide
    incident_services.store_mentions = timed_store
    incident_services.record_access = timed_log
    incident_services.record_accesses = timed_logs
    started = time.perf_counter()
    first = importers.import_incidents(path=path, batch_size=args.batch_size)
    first_seconds = time.perf_counter() - started
    incident_services.decide_mentions, incident_services.store_mentions = decide, store
    incident_services.record_access = log
    incident_services.record_accesses = logs

    # A file import queues its notices for screening; the worker screens them (rules, history,
    # clocks, the desk queue). Time that too, as the worker's sweep does it.
    from childfirst.screening.services import screen_all_pending

    started = time.perf_counter()
    screened = screen_all_pending()
    screening_seconds = time.perf_counter() - started

    started = time.perf_counter()
    second = importers.import_incidents(path=path, batch_size=args.batch_size)
    second_seconds = time.perf_counter() - started

    if second.created or second.bad_row_count != first.bad_row_count:
        raise SystemExit("\n".join(first.summary() + second.summary()))
    version = connection.cursor().connection
    return {
        "vendor": connection.vendor,
        "database_version": (
            f"SQLite {version.execute('select sqlite_version()').fetchone()[0]}"
            if connection.vendor == "sqlite"
            else f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
        ),
        "generator": generator,
        "file_bytes": path.stat().st_size,
        "first_import": {
            "seconds": round(first_seconds, 2),
            "incidents": first.created,
            "incidents_per_second": round(first.created / first_seconds, 1),
            "notices": first.notices,
            "rows_refused": first.bad_row_count,
            "refusals": [str(problem) for problem in first.bad_rows[:5]],
            "resolve_mentions_seconds": round(spent["seconds"], 2),
            "resolve_mentions_calls": spent["calls"],
            "mentions": spent["mentions"],
            "incidents_per_second_excluding_resolver": round(
                first.created / max(first_seconds - spent["seconds"], 1e-9), 1
            ),
            "access_log_seconds": round(spent["log_seconds"], 2),
            "access_log_entries": spent["log_entries"],
            "incidents_per_second_excluding_resolver_and_access_log": round(
                first.created / max(first_seconds - spent["seconds"] - spent["log_seconds"], 1e-9),
                1,
            ),
        },
        "worker_screening": {
            "notices": screened,
            "seconds": round(screening_seconds, 2),
            "notices_per_second": round(screened / max(screening_seconds, 1e-9), 1),
            "incidents_per_second_import_and_screening": round(
                first.created / (first_seconds + screening_seconds), 1
            ),
        },
        "second_import": {
            "seconds": round(second_seconds, 2),
            "incidents": second.unchanged,
            "incidents_per_second": round(second.unchanged / second_seconds, 1),
        },
        "stored": {
            "incidents": Incident.objects.count(),
            "notices": Notice.objects.count(),
            "household_notices": Notice.objects.filter(reason="household_records").count(),
            "mentions": Mention.objects.count(),
            "persons": Person.objects.count(),
        },
    }


# Synthetic incidents ---------------------------------------------------------------------------


def synthetic_incidents(n: int, seed: int, postcodes: list[str], urns: list[int]):
    try:
        from childfirst.people import synthetic
    except ImportError:
        synthetic = None
    if synthetic is not None and hasattr(synthetic, "incidents"):
        # New homes go in the directory's postcodes, so each incident resolves to a ward and a
        # borough, as a force's would with the whole postcode directory loaded.
        made = synthetic.incidents(
            n, seed=seed, school_urns=urns or None, postcodes=postcodes or None
        )
        return list(made), "childfirst.people.synthetic.incidents"
    return list(_local_incidents(n, seed, postcodes, urns)), "bench.intake (local generator)"


GIVEN = [
    "Amara",
    "Tobi",
    "Ade",
    "Grace",
    "Leo",
    "Maya",
    "Noah",
    "Zara",
    "Kai",
    "Ella",
    "Omar",
    "Ruby",
    "Jay",
    "Isla",
    "Sami",
    "Ava",
    "Finn",
    "Lena",
    "Ravi",
    "Nia",
    "Theo",
    "Mia",
]
SURNAMES = [
    "Example",
    "Sample",
    "Testwood",
    "Demo",
    "Placeholder",
    "Fictional",
    "Madeup",
    "Notreal",
    "Synthetic",
    "Imaginary",
    "Invented",
    "Pretend",
    "Mock",
    "Dummy",
]
STREETS = ["Example Road", "Sample Street", "Demo Lane", "Test Avenue", "Model Close"]
KINDS = [
    ("domestic_abuse_incident", 30),
    ("domestic_abuse_crime", 12),
    ("missing_person", 10),
    ("stop_and_search", 14),
    ("strip_search", 2),
    ("arrest_and_custody", 8),
    ("sexual_offence", 4),
    ("violence", 8),
    ("online_harm", 4),
    ("exploitation_concern", 4),
    ("other", 4),
]
ETHNICITIES = [
    "White: British",
    "Black or Black British: African",
    "Asian or Asian British: Indian",
    "Mixed: White and Black Caribbean",
    "Black or Black British: Caribbean",
    "",
]


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _recorded(rng, person, role, number, household, occurred, extra) -> dict:
    """One person as one incident's record describes them: usually a full date of birth,
    sometimes only a year and month, an age, or "appears to be under 18"."""
    recorded = {
        "ref": f"P{number}",
        "role": role,
        "given_name": person["given_name"],
        "surname": person["surname"],
        "sex": person["sex"],
        "ethnicity": household["ethnicity"],
        "address": household["address"],
        "postcode": household["postcode"],
        "_household": household["id"],
    }
    shape = rng.random()
    if shape < 0.85:
        recorded["date_of_birth"] = person["date_of_birth"].isoformat()
    elif shape < 0.9:
        recorded["date_of_birth"] = person["date_of_birth"].isoformat()[:7]
    elif shape < 0.96:
        recorded["age"] = max((occurred.date() - person["date_of_birth"]).days // 365, 0)
    else:
        recorded["appears_under_18"] = person["date_of_birth"].year > 2008
    for key in ("pnc_id", "nhs_number"):
        if person.get(key) and rng.random() < 0.8:
            recorded[key] = person[key]
    if person.get("school_urn"):
        recorded["school_urn"] = person["school_urn"]
    recorded.update(extra)
    return recorded


def _local_incidents(n: int, seed: int, postcodes: list[str], urns: list[int]):
    """Households (one or two adults, up to three children) that come to notice again and
    again; each incident names some of a household's people, as records do."""
    rng = random.Random(seed)
    households = []
    for number in range(max(n // 3, 1)):
        surname = rng.choice(SURNAMES)
        address = f"{rng.randint(1, 200)} {rng.choice(STREETS)}, London"
        if rng.random() < 0.3:
            address = f"Flat {rng.randint(1, 30)}, {address}"
        postcode = rng.choice(postcodes) if postcodes else ""
        adults = [
            {
                "given_name": rng.choice(GIVEN),
                "surname": surname,
                "date_of_birth": date(
                    rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28)
                ),
                "sex": sex,
                "pnc_id": f"{rng.randint(1990, 2025)}/{rng.randint(1, 9999999):07d}"
                f"{rng.choice('ABCDEFGHJKLMNPQRTUVWXY')}"
                if rng.random() < 0.4
                else "",
                "nhs_number": _nhs_number(rng) if rng.random() < 0.5 else "",
            }
            for sex in (["female", "male"] if rng.random() < 0.7 else ["female"])
        ]
        children = [
            {
                "given_name": rng.choice(GIVEN),
                "surname": surname,
                "date_of_birth": date(
                    rng.randint(2009, 2025), rng.randint(1, 12), rng.randint(1, 28)
                ),
                "sex": rng.choice(["female", "male"]),
                "nhs_number": _nhs_number(rng) if rng.random() < 0.6 else "",
                "school_urn": rng.choice(urns) if urns and rng.random() < 0.7 else None,
            }
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))
        ]
        households.append(
            {
                "id": number,
                "address": address,
                "postcode": postcode,
                "adults": adults,
                "children": children,
                "ethnicity": rng.choice(ETHNICITIES),
            }
        )
    kinds, weights = zip(*KINDS, strict=True)
    start = datetime(2024, 11, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 1, tzinfo=UTC) - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(n))
    for index, occurred in enumerate(moments):
        household = rng.choice(households)
        kind = rng.choices(kinds, weights)[0]
        people = []

        def add(person, role, people=people, household=household, occurred=occurred, **extra):
            if person["date_of_birth"] > occurred.date():
                return  # not born yet
            people.append(_recorded(rng, person, role, len(people) + 1, household, occurred, extra))

        adults, children = household["adults"], household["children"]
        questionnaires = []
        if kind.startswith("domestic_abuse"):
            add(adults[0], "victim")
            if len(adults) > 1:
                add(adults[1], "suspect")
            for child in children:
                if rng.random() < 0.6:
                    add(child, "present", present=True, where_during_incident="In the living room")
                else:
                    add(child, "child_in_household")
            questionnaires.append(
                {
                    "kind": "dash",
                    "respondent": "P1",
                    "answers": {
                        f"q{q}": rng.choice(["yes", "no", "not_known"]) for q in range(1, 28)
                    },
                    "officer_grade": rng.choice(["standard", "medium", "high"]),
                }
            )
        elif kind in {"missing_person", "stop_and_search", "strip_search", "arrest_and_custody"}:
            subject = rng.choice(children) if children and rng.random() < 0.7 else adults[0]
            role = {
                "missing_person": "missing_person",
                "stop_and_search": "person_searched",
                "strip_search": "person_searched",
                "arrest_and_custody": "arrested_person",
            }[kind]
            add(subject, role)
            if kind == "missing_person":
                add(adults[0], "reporting_person")
        else:
            victim = rng.choice(children) if children and rng.random() < 0.5 else adults[0]
            add(victim, "victim")
            if rng.random() < 0.5:
                add(adults[-1], "witness")
        yield {
            "source_system": "NICHE",
            "source_reference": f"BENCH-{seed}-{index + 1:08d}",
            "kind": kind,
            "occurred_at": occurred.isoformat(timespec="seconds"),
            "reported_at": (occurred + timedelta(minutes=rng.randint(1, 90))).isoformat(
                timespec="seconds"
            ),
            "location": {"address": household["address"], "postcode": household["postcode"]},
            "narrative": "Synthetic incident for the intake benchmark.",
            "officer": {"name": "PC Bench Example", "collar_number": f"{rng.randint(1, 9999)}BE"},
            "people": people,
            "questionnaires": questionnaires,
            "_truth": {"household": household["id"]},
        }


if __name__ == "__main__":
    main()
