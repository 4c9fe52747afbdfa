"""gunicorn settings for the production profile (`gunicorn -c ops/gunicorn.conf.py
dichvucong.config.wsgi`; `make run-prod` uses it). Command-line options override these.

gunicorn's own messages (start, worker restarts, timeouts) are JSON lines like the app's
(core.logging.JsonFormatter); requests are logged by the app (core.middleware), so gunicorn's
access log stays off.
"""

import os

bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
graceful_timeout = 15
# Only the load balancer may say which client and scheme a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "dichvucong.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
