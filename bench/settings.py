"""Settings of the benchmark server (bench/load.py, bench/lookup.py); never used by the app.

The production profile as it is (DEBUG off, JSON logs, CompressedManifestStaticFilesStorage,
CONN_HEALTH_CHECKS, every middleware), with only what a benchmark on one machine needs:

- the bench database and a SECRET_KEY generated for the run (bench/load.py passes the same
  one to every worker; a process started by hand gets a random one of its own);
- plain HTTP on 127.0.0.1 (no SSL redirect, no secure-only cookies to worry about);
- the per-client lookup limit lifted: the load generator is one client address opening 32
  connections, which the real limit (LOOKUPS_PER_CLIENT_PER_MINUTE, 30 a minute) would answer
  with 429 after its first 30 requests. The limit is still counted on every request (same
  cache round trips as in production), it just never trips. Only this file lifts it.
- a URLconf (bench/urls.py) with the app's URLs plus a "bare" view to compare against;
- the cache: Redis when REDIS_URL is set, else local memory per worker process (the rate
  limit's counters are then per process, which is fine for a benchmark).
"""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dichvucong_bench")
os.environ.setdefault("VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from dichvucong.config.settings.prod import *  # noqa: E402, F403
from dichvucong.config.settings.prod import DATABASES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
ROOT_URLCONF = "bench.urls"
# Persistent connections, one per worker (the production default is 60 s; a run is shorter).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "600"))
# Lifted for the load generator only (see above).
LOOKUPS_PER_CLIENT_PER_MINUTE = 1_000_000_000
