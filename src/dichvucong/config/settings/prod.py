"""The production profile: refuses to start without its secrets; secure cookies, HSTS, CSP."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CSRF_TRUSTED_ORIGINS,
    LOGGING,
    MIDDLEWARE,
    PRIVATE_ROOT,
    SECRET_KEY,
    env,
    env_int,
    storages_for,
)

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or shorter than 50 characters: "
        "the production profile will not start."
    )
if not env("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL is required in production.")

DEBUG = False
DEV_OUTBOX_ENABLED = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
CSRF_TRUSTED_ORIGINS = CSRF_TRUSTED_ORIGINS
STORAGES = storages_for(PRIVATE_ROOT, "whitenoise.storage.CompressedManifestStaticFilesStorage")
# One JSON line per request (request id, method, path, status, duration, user id).
MIDDLEWARE = ["dichvucong.core.middleware.RequestLogMiddleware", *MIDDLEWARE]
LOGGING = {
    **LOGGING,
    "formatters": {"plain": {"()": "dichvucong.core.logging.JsonFormatter"}},
}
