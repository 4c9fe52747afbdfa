"""Database helpers for the busiest statements.

`prepared_cursor()` is Django's cursor for hand-written SQL, except that on PostgreSQL the
statements are sent with server-side parameters and their results come back in binary:

- each statement is prepared on the connection the first time it runs there (psycopg keeps the
  last 100), so PostgreSQL stops planning it on every call (the public lookup's five-table join
  spent about as long being planned as being run: docs/performance.md);
- binary results spare parsing every timestamp from text (the lookup reads a dozen).

Django's own cursor on PostgreSQL binds parameters on the client and never prepares (Django
turns psycopg's automatic preparing off for the sake of connection poolers). This cursor still
goes through Django's wrappers: the query appears in connection.queries, in assertNumQueries
and in execute_wrapper()s, and errors are Django's. Values come as psycopg loads them in binary:
the same as Django's cursor gives, except inet columns (ipaddress objects, not str).

Deployments behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode
before 1.21) set DB_PREPARED_STATEMENTS=false (docs/deployment.md): then only binary results.
Nothing is prepared either while Django logs queries (DEBUG, assertNumQueries), so that the log
shows every statement's text.
On SQLite it is Django's cursor. The SQL uses %s placeholders, as with Django's cursor.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each `connection.x` is a lookup
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            yield cursor
        return
    # What connection.cursor() does (BaseDatabaseWrapper._cursor), with our cursor class.
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        raw = _psycopg_cursor()(db.connection)
    raw.format = _BINARY
    # While queries are logged (DEBUG, assertNumQueries) nothing is prepared: the run of a
    # prepared statement leaves no SQL text for Django's log to show.
    raw.prepare = settings.DB_PREPARED_STATEMENTS and not db.queries_logged
    with db._prepare_cursor(raw) as cursor:  # thread check, Django's (debug) wrapper
        yield cursor


_BINARY = 1  # psycopg.pq.Format.BINARY


@functools.cache
def _psycopg_cursor() -> type:
    import psycopg

    class PreparingCursor(psycopg.Cursor):
        """psycopg's server-side-binding cursor, preparing its statements at their first run
        (psycopg only prepares when the connection has a threshold, which Django leaves unset;
        Django's own cursors bind on the client and never prepare, whatever the threshold)."""

        prepare = False

        def execute(self, query, params=None, *, prepare=None, **kwargs):  # type: ignore[override]
            if prepare is None:
                prepare = self.prepare
            if prepare and self.connection.prepare_threshold is None:
                self.connection.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
            return super().execute(query, params, prepare=prepare, **kwargs)

    return PreparingCursor


# A threshold no statement reaches by repetition: only execute(prepare=True) prepares.
_PREPARE_ONLY_WHEN_ASKED = 2**31
