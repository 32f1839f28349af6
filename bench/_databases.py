"""Scratch databases for the benches: a fresh SQLite file, or a fresh PostgreSQL database on
127.0.0.1:5432 (user postgres, trust authentication), dropped afterwards; and the worker process
each bench runs inside Django against one of them."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def prepare_database(name: str, scratch: Path, *, database: str, server: str = "") -> str:
    """The URL of an empty database called `database` (a file of that name under `scratch` for
    SQLite; on PostgreSQL, on `server`'s host when given, else 127.0.0.1)."""
    if name == "sqlite":
        return f"sqlite:///{scratch / f'{database}.sqlite3'}"
    if name in {"postgresql", "postgres"}:
        import psycopg

        with psycopg.connect(_on(server, "postgres"), autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database}")
            connection.execute(f"CREATE DATABASE {database}")
        return _on(server, database)
    raise SystemExit(f"Unknown database {name}: use sqlite or postgresql")


def drop_postgres(database: str, *, server: str = "") -> None:
    import psycopg

    with psycopg.connect(_on(server, "postgres"), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database}")


def run_bench_worker(module: str, *, name: str, url: str, scratch: str, options: list[str]) -> dict:
    """Run `python -m MODULE --worker URL OPTIONS...` with Django set up for that database, and
    return the JSON its last line of output holds; stop the bench if it fails."""
    env = {
        **os.environ,
        "CHILDFIRST_DATABASE_URL": url,
        "CHILDFIRST_VAR_DIR": str(scratch),
        "DJANGO_SETTINGS_MODULE": "childfirst.settings",
        "CHILDFIRST_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", module, "--worker", url, *options]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"The {name} worker failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _on(server: str, database: str) -> str:
    parts = urlsplit(server or POSTGRES_ADMIN_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))
