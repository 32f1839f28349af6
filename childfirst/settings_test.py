"""Test settings: SQLite by default, PostgreSQL when CHILDFIRST_TEST_DATABASE_URL is set."""

import os

from childfirst.settings import *  # noqa: F403
from childfirst.settings import VAR_DIR, database_from_url

TEST_DATABASE_URL = os.environ.get(
    "CHILDFIRST_TEST_DATABASE_URL", f"sqlite:///{VAR_DIR / 'test.sqlite3'}"
)
DATABASES = {"default": database_from_url(TEST_DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].pop("CONN_HEALTH_CHECKS", None)
DATABASES["default"]["TEST"] = {"NAME": None}

# Fast hashing in tests; the Argon2 setting itself is checked in tests/accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tables are emptied between browser tests; tests/audit installs the triggers itself.
CHILDFIRST_AUDIT_TRIGGERS = False
# Serve static files straight from the apps and node_modules, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
