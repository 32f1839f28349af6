"""Settings for Child First, read from the environment.

Development defaults are safe: a SQLite file under var/, no outside email, debug off.
Set CHILDFIRST_ENV=production for a real force: then the secret key, allowed hosts and
database must be given, cookies are secure and `manage.py check --deploy` is clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHILDFIRST_VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env("CHILDFIRST_ENV", "development") == "production"
DEBUG = env_bool("CHILDFIRST_DEBUG", False) and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = env("CHILDFIRST_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Set CHILDFIRST_SECRET_KEY to a random string of at least 50 characters."
        )
    ALLOWED_HOSTS = env_list("CHILDFIRST_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Set CHILDFIRST_ALLOWED_HOSTS, for example childfirst.force.police.uk"
        )
else:
    # A development key only: production refuses to start without its own.
    SECRET_KEY = env("CHILDFIRST_SECRET_KEY", "development-only-key-" + "x" * 40)
    ALLOWED_HOSTS = env_list("CHILDFIRST_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

CSRF_TRUSTED_ORIGINS = env_list("CHILDFIRST_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First, so that its templates (the admin's title and header) win over the packages'.
    "childfirst.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rules",
    "django_tasks",
    "django_tasks_db",
    "govuk_frontend_django",
    "ninja",
    "childfirst.directory",
    "childfirst.accounts",
    "childfirst.audit",
    "childfirst.people",
    "childfirst.incidents",
    "childfirst.screening",
    "childfirst.timescales",
    "childfirst.desk",
    "childfirst.dispatch",
    "childfirst.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "childfirst.accounts.middleware.SessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "childfirst.accounts.middleware.PermissionRuleMiddleware",
]

ROOT_URLCONF = "childfirst.urls"
WSGI_APPLICATION = "childfirst.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "childfirst.web.context_processors.service",
            ],
        },
    },
]
FORM_RENDERER = "childfirst.web.forms.GovukFormRenderer"

# Database: SQLite under var/ by default, PostgreSQL when the URL says so.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env("CHILDFIRST_DATABASE_URL", f"sqlite:///{VAR_DIR / 'childfirst.sqlite3'}")


def database_from_url(url):
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the web server read while the worker writes; synchronous=FULL makes a
            # committed write survive a power cut. IMMEDIATE takes the write lock at BEGIN, so
            # two writers queue instead of failing half way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    return config


DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"

# Sessions: 15 minutes idle, 12 hours at most (SessionLimitsMiddleware enforces both).
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(env("CHILDFIRST_SESSION_IDLE_MINUTES", "15")))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(env("CHILDFIRST_SESSION_MAX_HOURS", "12")))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "childfirst_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "childfirst.web.views.csrf_failure"

# Sign-in throttling: 5 wrong passwords for an email address locks it for 15 minutes.
AXES_FAILURE_LIMIT = int(env("CHILDFIRST_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("CHILDFIRST_SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "childfirst.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Two-factor sign-in.
OTP_TOTP_ISSUER = env("CHILDFIRST_TOTP_ISSUER", "Child First")
OTP_TOTP_THROTTLE_FACTOR = 1

# Single sign-on by OpenID Connect (Entra ID or another provider), off unless configured.
OIDC_ENABLED = env_bool("CHILDFIRST_OIDC_ENABLED", False)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env("CHILDFIRST_OIDC_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = env("CHILDFIRST_OIDC_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("CHILDFIRST_OIDC_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = env("CHILDFIRST_OIDC_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = env("CHILDFIRST_OIDC_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = env("CHILDFIRST_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = env("CHILDFIRST_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid email profile"
    # Accounts are made by administrators: single sign-on never creates one.
    OIDC_CREATE_USER = False
    OIDC_USE_NONCE = True
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "childfirst.accounts.oidc.ChildFirstOIDCBackend")
    LOGIN_REDIRECT_URL_FAILURE = "/sign-in"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("CHILDFIRST_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:ia"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("govuk-frontend/dist", BASE_DIR / "node_modules" / "govuk-frontend" / "dist"),
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("CHILDFIRST_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(env("CHILDFIRST_EMAIL_PORT", "1025"))
EMAIL_HOST_USER = env("CHILDFIRST_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("CHILDFIRST_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHILDFIRST_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("CHILDFIRST_EMAIL_FROM", "Child First <no-reply@childfirst.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if not PRODUCTION and not env("CHILDFIRST_EMAIL_HOST"):
    # Nothing leaves a development machine unless a relay is named.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content security policy: only our own scripts, styles and images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE is django-csp's marker for "this response's nonce", not the text 'nonce'.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("CHILDFIRST_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_NAME = "__Host-childfirst_session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("CHILDFIRST_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Child First's own settings.
CHILDFIRST_FORCE_NAME = env("CHILDFIRST_FORCE_NAME", "Metropolitan Police Service")
CHILDFIRST_RULES_DIR = Path(env("CHILDFIRST_RULES_DIR", BASE_DIR / "rules"))
CHILDFIRST_FEEDBACK_EMAIL = env("CHILDFIRST_FEEDBACK_EMAIL", "childfirst-service-desk@example.org")
# Dispatch (docs/dispatch.md): links in alert emails, how long a failing delivery is retried,
# and how long a worker holds a delivery it is sending before another may try it again.
CHILDFIRST_SITE_URL = env("CHILDFIRST_SITE_URL", "http://127.0.0.1:8000")
CHILDFIRST_DELIVERY_RETRY_HOURS = float(env("CHILDFIRST_DELIVERY_RETRY_HOURS", "24"))
CHILDFIRST_DELIVERY_LEASE_SECONDS = float(env("CHILDFIRST_DELIVERY_LEASE_SECONDS", "300"))

# Sign-in lockout is per account (email address): rotating IP addresses or browsers does not get
# round it, and a whole police station behind one address is never locked out by one person.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
