"""Desk queue page: p95 time of GET /desk/ with 100,000 open notices and 1,000,000 persons.

    CHILDFIRST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cf_bench_desk \\
        .venv/bin/python -m bench.desk_queue
    .venv/bin/python -m bench.desk_queue --notices 20000 --persons 200000   # SQLite, smaller

Uses the database CHILDFIRST_DATABASE_URL names (PostgreSQL: created if missing), or a fresh
SQLite file when it is not set. It migrates, then seeds (once: a database already holding the
sizes is reused) the London boroughs, 10 desk users, N persons, and for each open notice an
incident, a notice and its desk queue row (childfirst.bulk.insert, in chunks), with grades,
desk review due times, boroughs, kinds and assignees spread at random. Then a signed-in desk
researcher's Django test client fetches the queue page (unfiltered, and with each filter the
page offers, and a deep page) --requests times each, and the p50/p95 per variant and overall
go to bench/results/desk_queue.json with the sizes and the machine. The target is p95 <= 150 ms
on PostgreSQL (issue 4).
"""

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench._machine import machine
from bench._stats import percentile

RESULTS = Path(__file__).resolve().parent / "results" / "desk_queue.json"
CHUNK = 50_000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    scratch = None
    if not os.environ.get("CHILDFIRST_DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="cf-bench-desk-")
        os.environ["CHILDFIRST_DATABASE_URL"] = f"sqlite:///{scratch}/desk.sqlite3"
    else:
        ensure_postgres_database(os.environ["CHILDFIRST_DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childfirst.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seeded = seed(args)
    seed_seconds = time.perf_counter() - started
    from django.test.utils import override_settings

    # Page templates link static files; no collectstatic is needed to time the page.
    plain = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain):
        timings = measure(args)
    every = [t for values in timings.values() for t in values]
    result = {
        "benchmark": "desk_queue",
        "command": f"python -m bench.desk_queue --notices {args.notices} --persons {args.persons}",
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "sizes": {"open_notices": args.notices, "persons": args.persons, "seeded": seeded},
        "seed_seconds": round(seed_seconds, 1),
        "requests_per_variant": args.requests,
        "target_p95_ms": 150,
        "p50_ms": round(percentile(every, 50), 1),
        "p95_ms": round(percentile(every, 95), 1),
        "variants": {
            name: {"p50_ms": round(percentile(v, 50), 1), "p95_ms": round(percentile(v, 95), 1)}
            for name, v in timings.items()
        },
        "machine": machine(),
    }
    found = json.loads(args.output.read_text()) if args.output.exists() else {}
    found[connection.vendor] = result
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(found, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)


def ensure_postgres_database(url: str):
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def seed(args) -> bool:
    """Fill the database once; False if it already held the sizes asked for."""
    from django.db import transaction

    from childfirst import bulk
    from childfirst.accounts.models import Role
    from childfirst.desk.models import DeskItem
    from childfirst.directory.london import load_london_local_authorities
    from childfirst.directory.models import LocalAuthority
    from childfirst.incidents.models import Channel, Incident, Kind, Notice, NoticeReason
    from childfirst.incidents.models import Role as R
    from childfirst.people.models import Person
    from childfirst.screening.models import GRADE_RANK

    if DeskItem.objects.count() >= args.notices and Person.objects.count() >= args.persons:
        return False
    rng = random.Random(args.seed)
    load_london_local_authorities(LocalAuthority)
    boroughs = list(LocalAuthority.objects.values_list("pk", flat=True))
    users = [bench_user(n, Role.DESK_RESEARCHER) for n in range(10)]
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    names = ["Tobi", "Amara", "Ade", "Maya", "Leo", "Zara", "Kai", "Noor", "Ella", "Sami"]
    surnames = ["Example", "Okafor", "Smith", "Khan", "Nowak", "Jones", "Ahmed", "Brown"]
    have = Person.objects.count()
    for start in range(have, args.persons, CHUNK):
        size = min(CHUNK, args.persons - start)
        with transaction.atomic():
            bulk.insert(
                [
                    Person(
                        given_name=rng.choice(names),
                        surname=rng.choice(surnames),
                        date_of_birth=date(2008, 1, 1) + timedelta(days=rng.randrange(6500)),
                        created_at=now,
                        updated_at=now,
                    )
                    for _ in range(size)
                ],
                Person,
            )
    first_person = Person.objects.order_by("pk").values_list("pk", flat=True).first()
    kinds = list(Kind.values)
    grades = list(GRADE_RANK.items())
    have = DeskItem.objects.count()
    for start in range(have, args.notices, CHUNK // 5):
        size = min(CHUNK // 5, args.notices - start)
        with transaction.atomic():
            incidents = [
                Incident(
                    source_system="BENCH",
                    source_reference=f"DESK-{start + n:08d}",
                    payload_hash="0" * 64,
                    kind=rng.choice(kinds),
                    occurred_at=now - timedelta(minutes=rng.randrange(60 * 24 * 14)),
                    local_authority_id=rng.choice(boroughs),
                    received_via=Channel.API,
                    received_from_label="bench",
                    received_at=now,
                    section_hashes={},
                )
                for n in range(size)
            ]
            bulk.insert(incidents, Incident)
            notices = [
                Notice(
                    incident=incident,
                    person_id=first_person + rng.randrange(args.persons),
                    role=R.PRESENT,
                    reason=NoticeReason.IN_INCIDENT,
                    created_at=now,
                )
                for incident in incidents
            ]
            bulk.insert(notices, Notice)
            items = []
            for notice in notices:
                grade, rank = rng.choice(grades)
                due = now + timedelta(minutes=rng.randrange(-60 * 24, 60 * 72))
                items.append(
                    DeskItem(
                        notice=notice,
                        grade=grade,
                        grade_rank=rank,
                        due_at=due,
                        warn_at=due - timedelta(hours=1),
                        clock_paused=rng.random() < 0.02,
                        local_authority_id=notice.incident.local_authority_id,
                        kind=notice.incident.kind,
                        role=notice.role,
                        child_name=f"{rng.choice(names)} {rng.choice(surnames)}",
                        child_date_of_birth=date(2010, 1, 1),
                        occurred_at=notice.incident.occurred_at,
                        assigned_to=rng.choice([None, None, None, *users]),
                        created_at=now,
                    )
                )
            bulk.insert(items, DeskItem)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return True


def bench_user(number: int, role):
    from childfirst.accounts import services as accounts
    from childfirst.accounts.models import User

    email = f"desk{number}@bench.example.police.uk"
    found = User.objects.filter(email=email).first()
    if found:
        return found
    user = accounts.create_user(
        email=email, full_name=f"Bench Researcher {number}", role=role, password="x" * 20
    )
    device = accounts.start_totp_enrolment(user=user)
    device.confirmed = True
    device.save()
    return user


def measure(args) -> dict[str, list[float]]:
    from django.test import Client

    from childfirst.accounts import services as accounts
    from childfirst.accounts.models import Role

    user = bench_user(0, Role.DESK_RESEARCHER)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = accounts.confirmed_totp_device(user=user).persistent_id
    session.save()
    variants = {
        "all": {},
        "borough": {"borough": "E09000012"},
        "red": {"grade": "red"},
        "kind": {"kind": "domestic_abuse_incident"},
        "overdue": {"clock": "overdue"},
        "unassigned": {"who": "unassigned"},
        "mine": {"who": "me"},
        "borough_red_unassigned": {"borough": "E09000012", "grade": "red", "who": "unassigned"},
        "page_20": {"page": "20"},
    }
    timings = {}
    for name, query in variants.items():
        assert client.get("/desk/", query).status_code == 200  # warm
        values = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get("/desk/", query)
            values.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        timings[name] = values
        print(f"{name}: p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms")
    return timings


if __name__ == "__main__":
    main()
