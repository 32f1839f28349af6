"""Scratch databases for the benches: a fresh SQLite file, or a fresh PostgreSQL database on
127.0.0.1:5432 (user postgres, trust authentication), dropped afterwards."""

from pathlib import Path

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def prepare_database(name: str, scratch: Path, *, database: str) -> str:
    """The URL of an empty database called `database` (a file of that name under `scratch` for
    SQLite)."""
    if name == "sqlite":
        return f"sqlite:///{scratch / f'{database}.sqlite3'}"
    if name in {"postgresql", "postgres"}:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database}")
            connection.execute(f"CREATE DATABASE {database}")
        return f"postgresql://postgres@127.0.0.1:5432/{database}"
    raise SystemExit(f"Unknown database {name}: use sqlite or postgresql")


def drop_postgres(database: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database}")
