"""Django's PostgreSQL backend, health-checking a persistent connection only when it may have
gone bad since it last worked (settings.DATABASES ENGINE "dichvucong.core.postgresql").

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` before the first query of every request on a
persistent connection: one more round trip per request, for every worker. On the busiest public
page (the lookup, one statement per request) that round trip cost a third of the throughput
(bench/lookup.py: 564 → 837 requests/s without it, PostgreSQL CPU per request 0.50 → 0.31 ms).

Here the check is skipped when both hold:
- the connection served the previous request without a database error, at most
  DB_HEALTH_CHECK_AFTER_IDLE seconds ago (a busy worker: the connection worked a moment ago);
- nothing is waiting to be read on its socket. PostgreSQL speaks first only to say goodbye:
  a server shutting down or restarting, pg_terminate_backend() and idle_session_timeout send
  an error and close the connection, which leaves the socket readable. Anything unexpected
  there (including a harmless notice) means a real check.
Otherwise, Django's check runs as before: a connection idle longer than the window (where
firewalls and timeouts cut connections) is always checked. What is left is a connection that
broke silently within the window (a network cut with no message); its request fails as it
would without health checks, and Django closes the connection at the end of that request.
"""

import select
import time

from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    _worked_at: float | None = None

    def close_if_unusable_or_obsolete(self) -> None:
        # At each request's start and end. `health_check_done` is still set here when the
        # connection was used during the request that is ending (the first cursor sets it).
        if self.connection is not None and self.health_check_done and not self.errors_occurred:
            self._worked_at = time.monotonic()
        super().close_if_unusable_or_obsolete()

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self.pool is None
            and self._worked_recently()
            and not self._server_spoke()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _worked_recently(self) -> bool:
        window = getattr(settings, "DB_HEALTH_CHECK_AFTER_IDLE", 0)
        return self._worked_at is not None and time.monotonic() - self._worked_at < window

    def _server_spoke(self) -> bool:
        """Whether the socket has something to read (or is closed) while no query runs."""
        try:
            poller = select.poll()
            poller.register(self.connection.fileno(), select.POLLIN | select.POLLPRI)
            return bool(poller.poll(0))
        except (AttributeError, OSError, ValueError):
            return True  # cannot tell: check

    def _close(self) -> None:
        self._worked_at = None
        super()._close()
