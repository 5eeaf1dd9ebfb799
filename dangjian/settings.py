"""Settings for dangjian, driven by environment variables.

Check out the code, run `make run`, and it works: SQLite, no Redis, tasks run inline.
Production sets DATABASE_URL (PostgreSQL), REDIS_URL, real keys and DEBUG off; every
variable read here is listed and explained in `.env.example`.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from `.env` into the environment, never overriding it."""
    if not path.exists():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_load_dotenv(BASE_DIR / ".env")


def envbool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.getenv(name)
    return int(value) if value else default


def envsecret(name: str, default: str = "") -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    file_name = os.getenv(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.getenv(name, default)


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

# Placeholders that let a developer start without configuring anything. They are refused
# whenever DEBUG is off, so a production deployment cannot run on a published key.
PLACEHOLDER_SECRET_KEY = "dangjian-insecure-placeholder-secret-key-change-me"  # noqa: S105
PLACEHOLDER_FIELD_KEY = "dev:ZGFuZ2ppYW4tZGV2LWZpZWxkLWtleS0zMmJ5dGVzISE="
PLACEHOLDER_HASH_KEY = "dangjian-dev-blind-index-key"

SECRET_KEY = envsecret("SECRET_KEY", PLACEHOLDER_SECRET_KEY)
# Field encryption keys: "kid:base64key" entries separated by commas, the first is current.
# They must never be derived from SECRET_KEY (MLPS DC-5).
FIELD_ENCRYPTION_KEYS = envsecret("FIELD_ENCRYPTION_KEYS", PLACEHOLDER_FIELD_KEY)
FIELD_HASH_KEY = envsecret("FIELD_HASH_KEY", PLACEHOLDER_HASH_KEY)

if not DEBUG:
    for _name, _value, _placeholder in (
        ("SECRET_KEY", SECRET_KEY, PLACEHOLDER_SECRET_KEY),
        ("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS, PLACEHOLDER_FIELD_KEY),
        ("FIELD_HASH_KEY", FIELD_HASH_KEY, PLACEHOLDER_HASH_KEY),
    ):
        if _value == _placeholder or not _value:
            raise ImproperlyConfigured(
                f"{_name} is the development placeholder. Set a real value in the environment "
                "(see .env.example), or set DEBUG=1 for local development."
            )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "dangjian.accounts",
    "dangjian.orgs",
    "dangjian.audit",
    "dangjian.members",
    "dangjian.development",
    "dangjian.moderation",
    "dangjian.notifications",
    "dangjian.content",
    "dangjian.comments",
    "dangjian.contributions",
    "dangjian.dashboard",
    "dangjian.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dangjian.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangjian.accounts.middleware.DeviceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dangjian.accounts.middleware.SessionLimitsMiddleware",
    "dangjian.accounts.middleware.SecurityGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"
ASGI_APPLICATION = "dangjian.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "dangjian.dashboard.context_processors.navigation",
            ],
        },
    }
]

# Database: SQLite by default, PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES: dict[str, dict[str, Any]]
if os.getenv("DATABASE_URL"):
    DATABASES = {"default": dict(dj_database_url.parse(os.environ["DATABASE_URL"]))}
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Prepared statements: a statement run a few times on a connection is planned once. The
    # pages' joins spend longer in PostgreSQL's planner than in execution, so this halves their
    # database time. A transaction-mode pooler needs PgBouncer 1.21+ with
    # max_prepared_statements set, or DB_PREPARED_STATEMENTS=0.
    if envbool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=envint("DB_PREPARE_THRESHOLD", 2)
        )
    # A prepared statement that has run five times may switch to a generic plan, one made
    # without its parameters; for a count over an organization's subtree that plan is right for
    # a branch and ruinous for the whole university (a sequential scan, 10x slower). Plan each
    # execution for its own values: parsing is still saved.
    plan_cache_mode = os.getenv("DB_PLAN_CACHE_MODE", "force_custom_plan")
    if plan_cache_mode:
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c plan_cache_mode={plan_cache_mode}"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.getenv("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as broker in production; with no broker, tasks run inline.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_MAX_TASKS_PER_CHILD = 1000
CELERY_TIMEZONE = "Asia/Shanghai"
# Periodic jobs (Celery beat); each is also a management command for cron.
CELERY_BEAT_SCHEDULE = {
    "content-publish-due": {"task": "dangjian.content.tasks.publish_due_task", "schedule": 60.0},
    "content-prune-uploads": {
        "task": "dangjian.content.tasks.prune_uploads_task",
        "schedule": 24 * 3600.0,
    },
    "development-warnings": {
        "task": "dangjian.development.tasks.send_warnings_task",
        "schedule": 24 * 3600.0,
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dangjian.accounts.backends.AccountBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Password policy (MLPS level 3, 8.1.4.1a). The deviations from OWASP ASVS 6.2.5 and 6.2.10
# (composition rules and rotation) are documented in docs/security.md.
PASSWORD_MIN_LENGTH = envint("PASSWORD_MIN_LENGTH", 10)
PASSWORD_MIN_CLASSES = envint("PASSWORD_MIN_CLASSES", 3)
PASSWORD_EXPIRY_DAYS = envint("PASSWORD_EXPIRY_DAYS", 90)
PASSWORD_HISTORY_COUNT = envint("PASSWORD_HISTORY_COUNT", 5)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "dangjian.accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {"NAME": "dangjian.accounts.validators.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "dangjian.accounts.validators.PasswordHistoryValidator",
        "OPTIONS": {"history": PASSWORD_HISTORY_COUNT},
    },
]

# Lockout: 5 failures lock the username from that address for 30 minutes (MLPS 8.1.4.1b).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangjian.accounts.views.lockout_response"
# Number of reverse proxies in front of the application whose X-Forwarded-For is trusted.
PROXY_COUNT = envint("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "dangjian.lib.http.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

# Sessions: 30 minutes idle (sliding), 12 hours absolute (MLPS 8.1.4.1b; ASVS 7.3).
# Sessions live in the database and are read through the cache (Redis in production).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
# The idle limit slides: SessionLimitsMiddleware renews the session at most once a minute
# instead of writing it on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 30)

# Roles that must present a second factor (TOTP) at login.
TWO_FACTOR_ROLES = envlist(
    "TWO_FACTOR_ROLES", "system_admin,security_admin,audit_admin,org_department"
)
OTP_TOTP_ISSUER = "智慧党建 dangjian"

# Transport and header hardening; all on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    if envbool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        # Bootstrap components (progress bars, chart containers) size themselves with style
        # attributes; attributes cannot carry a nonce, and they cannot run code.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# static/vendor/ is filled from node_modules by scripts/vendor.sh (make deps).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded roster files are read in memory up to this size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 50_000)
# How often each process checks whether the sensitive-word dictionary changed (seconds).
MODERATION_RELOAD_SECONDS = float(os.getenv("MODERATION_RELOAD_SECONDS", "2"))
MODERATION_DICTIONARY_MAX_ROWS = envint("MODERATION_DICTIONARY_MAX_ROWS", 100_000)
# Content uploads: pictures and attachments (bytes).
CONTENT_IMAGE_MAX_BYTES = envint("CONTENT_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
CONTENT_FILE_MAX_BYTES = envint("CONTENT_FILE_MAX_BYTES", 30 * 1024 * 1024)
CONTENT_UPLOADS_PER_HOUR = envint("CONTENT_UPLOADS_PER_HOUR", 100)
# Comments: how long an author may edit one, and how many one person may post a minute.
COMMENTS_EDIT_MINUTES = envint("COMMENTS_EDIT_MINUTES", 30)
COMMENTS_PER_MINUTE = envint("COMMENTS_PER_MINUTE", 5)
# Member development: the local choices of the rules (docs/development.md, "Local choices"),
# as JSON, e.g. {"activist_start_step": 4, "probation_end_next_day": true}.
DEVELOPMENT_RULES = json.loads(os.getenv("DEVELOPMENT_RULES", "{}") or "{}")
DEVELOPMENT_WARN_DAYS = envint("DEVELOPMENT_WARN_DAYS", 7)
# A TrueType CJK font to embed in PDF documents (e.g. Debian's fonts-wqy-zenhei); without one
# they name the standard STSong-Light, which readers supply.
PDF_CJK_FONT = os.getenv("PDF_CJK_FONT", "")

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "dangjian@localhost")

# Audit records are kept at least six months (Cybersecurity Law art. 21; 185 days covers
# any six calendar months).
AUDIT_RETENTION_DAYS = max(envint("AUDIT_RETENTION_DAYS", 185), 185)

DEMO_PASSWORD = os.getenv("DEMO_PASSWORD", "Dangjian@2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

ADMIN_URL = os.getenv("ADMIN_URL", "sysadmin/django/")
