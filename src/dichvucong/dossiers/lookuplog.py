"""The lookup log's writer: every public lookup's row (dossiers.lookup), written in batches.

Why batches: one INSERT per lookup cost the database about as much again as the lookup itself
(its heap and three indexes, its WAL, a commit: pgbench of the lookup's SELECT alone ran 26,000
a second on this project's benchmark machine, 15,500 with the row written by the same
statement; docs/performance.md). Rows now wait in the process that served the lookup and one
INSERT writes them all, when LOOKUP_LOG_BATCH rows wait or the oldest has waited
LOOKUP_LOG_FLUSH_SECONDS, whichever comes first:

- a lookup that finds the batch full or the oldest row due writes the rows itself;
- a timer thread writes rows that would otherwise wait for the process's next lookup;
- rows still waiting when the process exits normally (gunicorn restarting or stopping a worker,
  a deploy) are written then (atexit).

What this gives up: a process killed outright (SIGKILL, out of memory) loses the rows it held,
at most a batch or a few seconds of an abuse log, never anything of a dossier; the same
trade as the commit without waiting for the disk (synchronous_commit off) it already made.
LOOKUP_LOG_BATCH=1 writes every row during its request (the test and dev profiles).

If the database refuses a batch, the rows are kept for the next attempt, up to
MAX_KEPT_BATCHES batches, and the failure is logged; the lookup itself is not failed for its log.
"""

import atexit
import datetime as dt
import functools
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection

from .models import LookupLog

logger = logging.getLogger(__name__)

MAX_KEPT_BATCHES = 10

Row = tuple[str, str, bool, str | None, dt.datetime]  # hash, kind, found, client, time


class Buffer:
    """The rows waiting in this process. Thread-safe: a threaded server's requests and the
    timer thread add and take under one lock, and write outside it."""

    def __init__(self) -> None:
        self._rows: list[Row] = []
        self._lock = threading.Lock()
        self._oldest = 0.0  # time.monotonic() of the first waiting row
        self._timer: threading.Timer | None = None
        self._exit_hook = False

    def add(self, row: Row) -> None:
        """Keep one row; write the waiting rows now when they are due."""
        batch = settings.LOOKUP_LOG_BATCH
        if batch <= 1:
            self._write([row])
            return
        with self._lock:
            self._rows.append(row)
            now = time.monotonic()
            if len(self._rows) == 1:
                self._oldest = now
            due = len(self._rows) >= batch or now - self._oldest >= _flush_seconds()
            rows = self._take() if due else None
            if not due and self._timer is None:
                self._start_timer()
        if rows:
            self._write(rows)

    def flush(self) -> int:
        """Write every waiting row now; how many were written."""
        with self._lock:
            rows = self._take()
        return self._write(rows) if rows else 0

    def waiting(self) -> int:
        return len(self._rows)

    def discard(self) -> None:
        """Forget the waiting rows (tests: each starts with an empty log)."""
        with self._lock:
            self._take()

    def _take(self) -> list[Row]:
        rows, self._rows = self._rows, []
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        return rows

    def _start_timer(self) -> None:
        if not self._exit_hook:
            atexit.register(self.flush)
            self._exit_hook = True
        self._timer = threading.Timer(_flush_seconds(), self._on_timer)
        self._timer.daemon = True
        self._timer.start()

    def _on_timer(self) -> None:
        with self._lock:
            if self._timer is threading.current_thread():
                self._timer = None
        try:
            self.flush()
        finally:
            connection.close()  # this thread's own connection (Django keeps one per thread)

    def _write(self, rows: list[Row]) -> int:
        try:
            _write(rows)
        except DatabaseError:
            with self._lock:
                kept = rows + self._rows
                limit = MAX_KEPT_BATCHES * max(settings.LOOKUP_LOG_BATCH, 1)
                dropped = max(len(kept) - limit, 0)
                self._rows = kept[dropped:]
                if self._rows and self._timer is None:
                    self._oldest = time.monotonic()
                    self._start_timer()
            logger.exception(
                "lookup log not written", extra={"rows": len(rows), "dropped": dropped}
            )
            return 0
        return len(rows)


def _flush_seconds() -> float:
    return float(settings.LOOKUP_LOG_FLUSH_SECONDS)


def _write(rows: list[Row]) -> None:
    """One INSERT for all the rows; on PostgreSQL one prepared statement whatever their number
    (the rows as five arrays), committed without waiting for the disk."""
    from dichvucong.core.db import prepared_cursor

    with prepared_cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(_insert_sql(connection.vendor), columns)
        else:
            ops = connection.ops
            cursor.executemany(
                _insert_sql(connection.vendor),
                [
                    (hashed, kind, found, client, ops.adapt_datetimefield_value(at))
                    for hashed, kind, found, client, at in rows
                ],
            )


@functools.cache
def _insert_sql(vendor: str) -> str:
    table = LookupLog._meta.db_table
    insert = f"INSERT INTO {table} (query_hash, kind, found, client_address, created_at) "
    if vendor != "postgresql":
        return insert + "VALUES (%s, %s, %s, %s, %s)"
    # synchronous_commit off for this statement's own transaction only (autocommit): the log
    # does not wait for the WAL's flush to disk (docs/performance.md).
    no_wait = "WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true)) "
    arrays = "%s::varchar[], %s::varchar[], %s::bool[], %s::inet[], %s::timestamptz[]"
    return f"{no_wait}{insert}SELECT r.* FROM no_wait, unnest({arrays}) AS r"  # noqa: S608


buffer = Buffer()
