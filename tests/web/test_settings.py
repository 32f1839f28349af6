"""Settings from the environment: safe defaults, a clean production mode, durable SQLite."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CHILDFIRST_", "DJANGO_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "childfirst.settings",
            "CHILDFIRST_VAR_DIR": str(tmp_path),
            "CHILDFIRST_DATABASE_URL": f"sqlite:///{tmp_path / 'settings-test.sqlite3'}",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "CHILDFIRST_ENV": "production",
    "CHILDFIRST_SECRET_KEY": "p" * 30 + "roduction-secret-for-the-test-only-0123456789",
    "CHILDFIRST_ALLOWED_HOSTS": "childfirst.example.police.uk",
}


def test_production_mode_passes_the_deployment_checklist(tmp_path):
    result = run_python(
        "from childfirst.cli import main; main(['check', '--deploy', '--fail-level', 'WARNING'])",
        tmp_path,
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_its_own_secret_key(tmp_path):
    env = {**PRODUCTION, "CHILDFIRST_SECRET_KEY": ""}
    result = run_python("import django; django.setup()", tmp_path, **env)
    assert result.returncode != 0
    assert "Set CHILDFIRST_SECRET_KEY" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts(tmp_path):
    env = {**PRODUCTION, "CHILDFIRST_ALLOWED_HOSTS": ""}
    result = run_python("import django; django.setup()", tmp_path, **env)
    assert result.returncode != 0
    assert "Set CHILDFIRST_ALLOWED_HOSTS" in result.stderr


def test_development_mode_keeps_debug_off_and_email_on_this_machine(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.EMAIL_BACKEND, settings.TIME_ZONE)",
        tmp_path,
    )
    assert result.stdout.split() == [
        "False",
        "django.core.mail.backends.console.EmailBackend",
        "Europe/London",
    ]


def test_sqlite_is_opened_in_wal_mode_with_full_sync_so_commits_survive_a_power_cut(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA synchronous'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA foreign_keys'); print(c.fetchone()[0])\n",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "2", "1"]  # synchronous 2 is FULL


def test_database_url_chooses_postgresql(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
        tmp_path,
        CHILDFIRST_DATABASE_URL="postgres://childfirst@db.example.internal:5432/childfirst",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "childfirst"]


def test_health_check_says_unavailable_when_the_database_is_down(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.test import Client\n"
        "r = Client().get('/healthz'); print(r.status_code, r.json()['status'])",
        tmp_path,
        CHILDFIRST_DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
    )
    assert result.stdout.split() == ["503", "unavailable"], result.stderr
