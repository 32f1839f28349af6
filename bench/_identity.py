"""Shared set-up for the identity benchmarks: a throwaway database, fast bulk loading of
synthetic persons, and a description of the machine."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench._machine import machine  # noqa: F401  (the benches call common.machine())
from bench._stats import percentile  # noqa: F401  (the benches call common.percentile())

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django(database_url: str | None = None) -> str:
    """Point Django at the benchmark database (a fresh SQLite file unless a URL is given) and
    migrate it. Returns the URL."""
    if database_url is None:
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"childfirst_bench_{os.getpid()}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    os.environ["CHILDFIRST_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childfirst.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database_url


def rss_mib() -> float:
    """Resident memory of this process now."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    result = {"benchmark": name, "ran_at": datetime.now(UTC).isoformat(), **result}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path


def mention_from_row(row: dict, **source):
    """A MentionInput for one synthetic person row (childfirst.people.synthetic.person_records);
    `source` gives source_system, source_reference and source_person_ref. Django must be set
    up first."""
    from childfirst.people.services import MentionInput

    return MentionInput(
        **source,
        given_name=row["given_name"],
        surname=row["surname"],
        date_of_birth=iso_dob(row["date_of_birth"]),
        date_of_birth_text=row["date_of_birth"],
        sex=row["sex"],
        postcode=row["postcode"],
        address=row["address"],
        nhs_number=row["nhs_number"],
        pnc_id=row["pnc_id"],
    )


def iso_dob(text: str):
    """A full ISO date for the date_of_birth column, or None."""
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return None


def bulk_load_sqlite(path: str, rows: list[dict]) -> dict:
    """Insert one Person, one Mention and its blocking keys per row, straight into SQLite
    (the benchmark's way to have a million persons quickly; the app writes through
    resolve_mentions). Returns {entity_id: person_id}."""
    from django.db import connections

    from childfirst.people import matching as mt
    from childfirst.people.resolver import record_of

    connections.close_all()
    now = datetime.now(UTC).isoformat(sep=" ")
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    persons, mentions, keys = [], [], []
    person_of = {}
    for number, row in enumerate(rows, start=1):
        dob = iso_dob(row["date_of_birth"])
        record = record_of(
            given_name=row["given_name"], surname=row["surname"], date_of_birth=dob,
            date_of_birth_text=row["date_of_birth"], sex=row["sex"], postcode=row["postcode"],
            address=row["address"], nhs_number=row["nhs_number"], pnc_id=row["pnc_id"],
        )  # fmt: skip
        sex = row["sex"] or "unknown"
        persons.append((number, row["given_name"], row["surname"], dob and dob.isoformat(), sex,
                        "", row["postcode"], row["address"], record.nhs, record.pnc, None,
                        now, now))  # fmt: skip
        mentions.append((number, number, "BENCH", row["record_id"], "", row["given_name"],
                         row["surname"], dob and dob.isoformat(), row["date_of_birth"], None,
                         None, sex, "", row["address"], row["postcode"], record.nhs,
                         record.pnc, "new", None, "default", now))  # fmt: skip
        for key in set(mt.key_sets(record).file):
            keys.append((key, number))
        person_of[row["entity_id"]] = number
    started = time.perf_counter()
    con.executemany(
        "INSERT INTO people_person (id, given_name, surname, date_of_birth, sex, ethnicity, "
        "postcode, address, nhs_number, pnc_id, merged_into_id, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        persons,
    )
    con.executemany(
        "INSERT INTO people_mention (id, person_id, source_system, source_reference, "
        "source_person_ref, given_name, surname, date_of_birth, date_of_birth_text, "
        "recorded_age, appears_under_18, sex, ethnicity, address, postcode, nhs_number, "
        "pnc_id, match_status, match_probability, model_version, created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        mentions,
    )
    con.executemany("INSERT INTO people_blockingkey (key, person_id) VALUES (?, ?)", keys)
    con.commit()
    con.close()
    return {"person_of": person_of, "insert_seconds": time.perf_counter() - started,
            "blocking_keys": len(keys)}  # fmt: skip
