"""The embedded profile `make run` uses: SQLite under var/, in-process tasks, dev outbox."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, env_int, generated_secret_key

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or generated_secret_key()
DEV_OUTBOX_ENABLED = True
# Static files straight from the apps (no collectstatic in the embedded profile).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# One process on SQLite: each lookup's log row written during the lookup (no timer thread).
LOOKUP_LOG_BATCH = env_int("LOOKUP_LOG_BATCH", 1)
