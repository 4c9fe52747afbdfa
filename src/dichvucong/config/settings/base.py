"""Settings shared by every profile, read from the environment in one place.

Every variable is listed in `.env.example`. Nothing here reads a setting at import time in
the apps: they use `django.conf.settings` when they run.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = Path(os.environ.get("DVC_BASE_DIR", PACKAGE_DIR.parents[1]))
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def generated_secret_key() -> str:
    """The embedded profile's secret: generated once into var/ and never committed."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dichvucong.core",
    "dichvucong.catalog",
    "dichvucong.accounts",
    "dichvucong.notifications",
    "dichvucong.dossiers",
    "dichvucong.backoffice",
    "dichvucong.stats",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A lookup by code from an anonymous visitor is answered here (dossiers/middleware.py).
    "dichvucong.dossiers.middleware.LookupFastLaneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dichvucong.config.urls"
# Django's form renderer, with plain <input>s written without the template engine (faster).
FORM_RENDERER = "dichvucong.core.forms_renderer.FastInputRenderer"
WSGI_APPLICATION = "dichvucong.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dichvucong.core.context_processors.portal",
            ],
        },
    },
    # Only for the busiest public pages, by name from an app's jinja2/ folder (core/jinja.py).
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "dichvucong.core.jinja.environment"},
    },
]

# --- Database: DATABASE_URL, default an SQLite file under var/ (WAL, see core.apps) ---------
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dichvucong.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Django's PostgreSQL backend, checking a persistent connection's health only when it may
    # have gone bad since it last worked (core/postgresql/base.py).
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "dichvucong.core.postgresql"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A connection that served the previous request less than this many seconds ago, with nothing
# from the server waiting on its socket, is used without Django's `SELECT 1` first.
DB_HEALTH_CHECK_AFTER_IDLE = env_int("DB_HEALTH_CHECK_AFTER_IDLE", 5)
# PostgreSQL prepares the busiest hand-written statements (core/db.py); false behind a pooler
# that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, lockouts): Redis when REDIS_URL is set ---------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dvc",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dichvucong",
        }
    }

# --- Accounts and passwords -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["dichvucong.accounts.backends.LoginNameBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
STAFF_HOME_URL = "backoffice:inbox"  # staff land in the back office after logging in
SUBMISSION_START_URL_NAME = "dossiers:start"  # where the catalogue's "Nộp hồ sơ" leads
OTP_TOTP_ISSUER = "Cổng DVC"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dichvucong.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "dichvucong.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "dichvucong.accounts.passwords.PersonalDataValidator"},
]
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "dichvucong.core.views.csrf_failure"

# Verification codes and links.
VERIFICATION_CODE_TTL_MINUTES = env_int("VERIFICATION_CODE_TTL_MINUTES", 15)
VERIFICATION_CODE_MAX_ATTEMPTS = 5
# Login lockout: per account and per client address (core.ratelimit, on the cache).
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_CLIENT = env_int("LOGIN_FAILURES_PER_CLIENT", 20)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
REGISTRATIONS_PER_CLIENT_PER_HOUR = env_int("REGISTRATIONS_PER_CLIENT_PER_HOUR", 20)
CODES_PER_ACCOUNT_PER_HOUR = env_int("CODES_PER_ACCOUNT_PER_HOUR", 5)
CODES_PER_CLIENT_PER_HOUR = env_int("CODES_PER_CLIENT_PER_HOUR", 20)
# Client address: trust X-Forwarded-For only when the app sits behind known proxies.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Internationalisation: Vietnamese first ----------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"  # published files (procedure templates)
MEDIA_URL = "/tep/"
PRIVATE_ROOT = VAR_DIR / "private"  # dossier files: never under a public URL


# Object storage (DESIGN §1): STORAGE=local keeps files in the folders above; STORAGE=s3 puts
# the private dossier files and the published templates in one S3-compatible bucket (private
# objects, no public URL; docs/deployment.md). Static files stay with whitenoise.
STORAGE = env("STORAGE", "local")
S3_BUCKET = env("S3_BUCKET")
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL")  # MinIO, Ceph, … ; empty for AWS itself
S3_REGION = env("S3_REGION")
S3_ACCESS_KEY_ID = env("S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env("S3_SECRET_ACCESS_KEY")
if STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured("STORAGE must be 'local' or 's3'.")
if STORAGE == "s3" and not S3_BUCKET:
    raise ImproperlyConfigured("STORAGE=s3 needs S3_BUCKET.")


def storages_for(private_root: Path, staticfiles_backend: str) -> dict[str, dict]:
    if STORAGE == "s3":
        from dichvucong.core.storage import s3_storages

        return {
            **s3_storages(
                bucket=S3_BUCKET,
                endpoint_url=S3_ENDPOINT_URL,
                region=S3_REGION,
                access_key=S3_ACCESS_KEY_ID,
                secret_key=S3_SECRET_ACCESS_KEY,
            ),
            "staticfiles": {"BACKEND": staticfiles_backend},
        }
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "dichvucong.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(private_root)},
        },
        "staticfiles": {"BACKEND": staticfiles_backend},
    }


STORAGES = storages_for(PRIVATE_ROOT, "django.contrib.staticfiles.storage.StaticFilesStorage")

# Uploads (dossier attachments): checked by content, limited in size and number.
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_MB", 10) * 1024 * 1024
UPLOAD_MAX_DOSSIER_BYTES = env_int("UPLOAD_MAX_DOSSIER_MB", 50) * 1024 * 1024
UPLOAD_MAX_FILES_PER_DOSSIER = env_int("UPLOAD_MAX_FILES_PER_DOSSIER", 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Mail: EMAIL_URL (smtp://user:pass@host:port, smtps://…, ?tls=1); unset = dev outbox ---


def email_settings(url: str) -> dict[str, object]:
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp:// or smtps://")
    query = parse_qs(parsed.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "127.0.0.1",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
        "EMAIL_TIMEOUT": 15,
    }


EMAIL_URL = env("EMAIL_URL")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Cổng Dịch vụ công <no-reply@dichvucong.local>")

# --- SMS gateway (DESIGN §6): unset = dev outbox only ------------------------------------
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
SMS_WITHOUT_DIACRITICS = env_bool("SMS_WITHOUT_DIACRITICS", False)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)

# --- Deadlines (core.calendar) ---------------------------------------------------------
RECEIPT_CUTOFF_HOUR = env_int("RECEIPT_CUTOFF_HOUR", 16)  # received later: counts from tomorrow
OFFICE_CLOSE_HOUR = env_int("OFFICE_CLOSE_HOUR", 17)  # appointments are at this hour

# --- Public lookup (dossiers.lookup) --------------------------------------------------------
LOOKUPS_PER_CLIENT_PER_MINUTE = env_int("LOOKUPS_PER_CLIENT_PER_MINUTE", 30)
LOOKUP_ID_NEEDS_BIRTH_DATE = env_bool("LOOKUP_ID_NEEDS_BIRTH_DATE", True)
LOOKUP_LOG_RETENTION_DAYS = env_int("LOOKUP_LOG_RETENTION_DAYS", 90)
# A lookup by code from an anonymous visitor answered before most of the middleware
# (dossiers/middleware.py); the same response as through the whole stack.
LOOKUP_FAST_LANE = env_bool("LOOKUP_FAST_LANE", True)
# The log's rows are written in batches (dossiers.lookuplog): when this many wait, or when the
# oldest has waited this long. 1 writes each row during its lookup.
LOOKUP_LOG_BATCH = env_int("LOOKUP_LOG_BATCH", 100)
LOOKUP_LOG_FLUSH_SECONDS = env_int("LOOKUP_LOG_FLUSH_SECONDS", 2)

# --- The portal ---------------------------------------------------------------------------
PORTAL_NAME = env("PORTAL_NAME", "Cổng Dịch vụ công tỉnh Bình Phước")
PORTAL_HOTLINE = env("PORTAL_HOTLINE", "0271 3886 227")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# The dev outbox page shows every email and SMS; only in the embedded profile.
DEV_OUTBOX_ENABLED = False

# --- Security headers --------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging: one line per event on stderr; JSON in production (prod.py) -----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Background work: Celery workers on Redis (notifications; docs/notifications.md) ------
# REDIS_URL (or CELERY_BROKER_URL) set: committed outbox rows are handed to Celery workers
# (`make worker`, `make beat`). Unset (embedded profile): they are delivered in the web process
# right after commit and `manage.py deliver_notifications --loop` runs the sweep. Tasks are
# never run eagerly (no CELERY_TASK_ALWAYS_EAGER): the in-process path calls the services.
from typing import Any  # noqa: E402

from celery.schedules import crontab  # noqa: E402

CELERY_BROKER_URL = env("CELERY_BROKER_URL") or REDIS_URL
# Deployments (or test runs) sharing one Redis keep apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "celery")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a task killed mid-way is delivered again …
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # … also when its worker process is lost
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a dead worker holds at most one message per process
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A web request that cannot reach the broker gives up quickly: the row waits for the sweep.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 10}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
NOTIFICATION_SWEEP_SECONDS = env_int("NOTIFICATION_SWEEP_SECONDS", 60)
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 60)
NOTIFICATION_RETRY_MAX_SECONDS = env_int("NOTIFICATION_RETRY_MAX_SECONDS", 3600)
NOTIFICATION_SENDING_LEASE_SECONDS = env_int("NOTIFICATION_SENDING_LEASE_SECONDS", 600)
NOTIFICATION_REQUEUE_AFTER_SECONDS = env_int("NOTIFICATION_REQUEUE_AFTER_SECONDS", 600)
NOTIFICATION_STAFF_DIGEST_HOUR = env_int("NOTIFICATION_STAFF_DIGEST_HOUR", 7)
NOTIFICATION_DIGEST_DUE_SOON_DAYS = env_int("NOTIFICATION_DIGEST_DUE_SOON_DAYS", 2)
NOTIFICATION_STAFF_DIGEST_SOURCE = "dichvucong.notifications.dossier_digest.staff_digest_entries"
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": NOTIFICATION_SWEEP_SECONDS,
        "options": {"expires": NOTIFICATION_SWEEP_SECONDS},
    },
    "notifications-staff-digest": {
        "task": "notifications.staff_digest",
        "schedule": crontab(hour=NOTIFICATION_STAFF_DIGEST_HOUR, minute=0),
    },
}
# The unread count beside "Thông báo" in the top navigation.
_template_options: Any = TEMPLATES[0]["OPTIONS"]
_template_options["context_processors"].append(
    "dichvucong.notifications.context_processors.notifications"
)
# The statistics' daily table (stats app, docs/stats.md): today every STATS_REFRESH_MINUTES,
# and after midnight the last days again (yesterday's end-of-day figures).
STATS_REFRESH_MINUTES = 15
CELERY_BEAT_SCHEDULE["stats-today"] = {
    "task": "stats.rebuild_recent",
    "schedule": STATS_REFRESH_MINUTES * 60,
    "args": (0,),
    "options": {"expires": STATS_REFRESH_MINUTES * 60},
}
CELERY_BEAT_SCHEDULE["stats-nightly"] = {
    "task": "stats.rebuild_recent",
    "schedule": crontab(hour=0, minute=20),
    "args": (3,),
}

# --- REST API /api/v1/ (api app, docs/api.md) -------------------------------------------------
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "dichvucong.api"]
API_RATE_PER_CLIENT = env("API_RATE_PER_CLIENT", "120/min")  # every caller, by address
API_RATE_PER_TOKEN = env("API_RATE_PER_TOKEN", "240/min")  # per token, or per session account
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dichvucong.api.auth.TokenAuthentication",
        "dichvucong.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "dichvucong.api.throttles.ClientThrottle",
        "dichvucong.api.throttles.TokenThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "dichvucong.api.common.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "dichvucong.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Cổng Dịch vụ công",
    "DESCRIPTION": (
        "Danh mục thủ tục, tra cứu hồ sơ, nộp hồ sơ trực tuyến và xử lý hồ sơ (cán bộ). "
        "Lỗi trả về theo RFC 9457 (application/problem+json). Xem docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVERS": [{"url": "/api/v1", "description": "Máy chủ này"}],
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "ENUM_NAME_OVERRIDES": {"DossierStatus": "dichvucong.dossiers.workflow.statuses.Status"},
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999999999999999999}
    },
    "DISABLE_ERRORS_AND_WARNINGS": False,
}
# --- end REST API ----------------------------------------------------------------------------
