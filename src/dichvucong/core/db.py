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

`fetch_all()` goes one step further for the busiest statement of all (the public lookup's):
the rows of a read-only statement with text parameters, run through libpq itself.
"""

import functools
import itertools
import weakref
from collections.abc import Iterator, Sequence
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


def fetch_all(sql: str, params: Sequence[str]) -> list[tuple]:
    """All rows of one read-only statement whose parameters are strings: the values
    prepared_cursor() gives, with less work in between.

    On PostgreSQL the statement goes straight to libpq (psycopg's PGconn under Django's
    connection): prepared on the connection at its first run, the parameters sent as text, the
    rows returned in binary and loaded by psycopg's own loaders. Django's cursor wrapper and
    psycopg's cursor, with its generators and its prepared-statement bookkeeping, cost the
    lookup more CPU than the round trip itself (docs/performance.md, session 6). The
    connection is checked and opened as for any cursor; errors are Django's.

    Only outside a transaction (autocommit, as a request runs): there a failed run leaves
    nothing behind, so a statement the server no longer holds is prepared again and run again
    (psycopg sends DEALLOCATE ALL after a rollback on a connection where it prepared its own
    statements; a pooler may send DISCARD ALL), and psycopg has no BEGIN of its own to send
    first. prepared_cursor() runs the statement instead inside atomic(), on SQLite, with
    DB_PREPARED_STATEMENTS off, and while queries are logged (DEBUG, assertNumQueries) or
    wrapped (execute_wrapper).
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor == "postgresql" and settings.DB_PREPARED_STATEMENTS:
        db.close_if_health_check_failed()
        db.ensure_connection()
        connection = db.connection
        if (
            connection.autocommit
            and connection.info.transaction_status == _IDLE
            and not (db.queries_logged or db.execute_wrappers)
        ):
            db.validate_thread_sharing()
            with db.wrap_database_errors:
                return _run(connection, sql, params)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE
_TUPLES_OK = 2  # psycopg.pq.ExecStatus.TUPLES_OK
_NO_SUCH_STATEMENT = b"26000"  # invalid_sql_statement_name: prepared statements were dropped
# The statements prepared on each psycopg connection: SQL text -> statement name.
_prepared: "weakref.WeakKeyDictionary[object, dict[str, bytes]]" = weakref.WeakKeyDictionary()


def _run(connection, sql: str, params: Sequence[str]) -> list[tuple]:
    from psycopg.adapt import Transformer
    from psycopg.errors import error_from_result
    from psycopg.pq import DiagnosticField

    encoding = connection.info.encoding
    values = [value.encode(encoding) for value in params]
    result = connection.pgconn.exec_prepared(_statement(connection, sql), values, None, _BINARY)
    if (
        result.status != _TUPLES_OK
        and result.error_field(DiagnosticField.SQLSTATE) == _NO_SUCH_STATEMENT
    ):  # dropped (DEALLOCATE ALL, DISCARD ALL): prepared again, run again
        _prepared[connection].clear()
        result = connection.pgconn.exec_prepared(_statement(connection, sql), values, None, _BINARY)
    if result.status != _TUPLES_OK:
        raise error_from_result(result, encoding=encoding)
    loader = Transformer(connection)
    loader.set_pgresult(result)
    return loader.load_rows(0, result.ntuples, tuple)


def _statement(connection, sql: str) -> bytes:
    """The name of `sql` prepared on `connection`, preparing it the first time (names never
    reused in the process: a name the server may still hold is never prepared twice)."""
    from psycopg.errors import error_from_result

    names = _prepared.setdefault(connection, {})
    name = names.get(sql)
    if name is None:
        name = b"dvc_%d" % next(_numbers)
        result = connection.pgconn.prepare(name, _numbered(sql).encode(), None)
        if result.status != _COMMAND_OK:
            raise error_from_result(result, encoding=connection.info.encoding)
        names[sql] = name
    return name


_numbers = itertools.count()
_COMMAND_OK = 1  # psycopg.pq.ExecStatus.COMMAND_OK


def _numbered(sql: str) -> str:
    """%s placeholders as PostgreSQL's $1, $2…; %% as %."""
    parts = sql.split("%%")
    number = 0
    for i, part in enumerate(parts):
        pieces = part.split("%s")
        for j in range(1, len(pieces)):
            number += 1
            pieces[j] = f"${number}" + pieces[j]
        parts[i] = "".join(pieces)
    return "%".join(parts)
