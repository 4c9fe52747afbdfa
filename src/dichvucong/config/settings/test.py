"""The test profile: the embedded profile with fast hashing and a fixed secret."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env, storages_for

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
PASSWORD_HASHERS = ["dichvucong.config.settings.test_hashers.FastArgon2PasswordHasher"]
DEV_OUTBOX_ENABLED = True
MEDIA_ROOT = VAR_DIR / "test-media"
PRIVATE_ROOT = VAR_DIR / "test-private"
STORAGES = storages_for(PRIVATE_ROOT, "django.contrib.staticfiles.storage.StaticFilesStorage")
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Each lookup's log row during its request (dossiers/tests/test_lookuplog.py tests batches).
LOOKUP_LOG_BATCH = 1

# Tests deliver in-process unless a test starts its own Celery worker and says so: an exported
# REDIS_URL must not send the suite's messages to a broker nobody reads.
CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL")
