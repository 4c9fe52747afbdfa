"""core.db.prepared_cursor: Django's cursor for hand-written SQL, prepared and binary on
PostgreSQL, the same results as Django's own cursor, and still seen by Django's query hooks;
core.db.fetch_all: the same rows through libpq itself."""

import datetime as dt

import pytest
from django.db import DataError, ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dichvucong.core.db import _numbered, fetch_all, prepared_cursor
from dichvucong.dossiers.models import LookupLog

pytestmark = pytest.mark.django_db
SQL = (
    f"SELECT id, query_hash, kind, found, created_at "  # noqa: S608
    f"FROM {LookupLog._meta.db_table} WHERE kind = %s ORDER BY id"
)


def rows_of(cursor_factory, kind: str) -> list[tuple]:
    with cursor_factory() as cursor:
        cursor.execute(SQL, [kind])
        return cursor.fetchall()


def test_the_same_rows_as_django_s_cursor_aware_datetimes_included():
    when = timezone.now().replace(microsecond=123456)
    LookupLog.objects.create(
        query_hash="a" * 64, kind="code", found=True, client_address="10.0.0.1", created_at=when
    )
    LookupLog.objects.create(query_hash="b" * 64, kind="id", found=False, created_at=when)
    ours, django = rows_of(prepared_cursor, "code"), rows_of(connection.cursor, "code")
    assert ours == django
    (row,) = ours
    assert row[1:4] == ("a" * 64, "code", True)
    created = row[4]
    if isinstance(created, str | dt.datetime) and not timezone.is_aware(created):
        created = dt.datetime.fromisoformat(str(created)).replace(tzinfo=dt.UTC)  # SQLite
    assert created == when


def test_queries_are_seen_by_django_s_hooks_with_their_text():
    with CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            rows_of(prepared_cursor, "code")
    assert len(captured.captured_queries) == 3
    for query in captured.captured_queries:
        assert "FROM dossiers_lookuplog WHERE kind = " in query["sql"]
    if connection.vendor == "postgresql":  # logged, so not prepared: the log keeps the text
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone()[0] == 0


@pytest.mark.postgres
def test_postgresql_prepares_the_statement_and_answers_in_binary():
    rows_of(prepared_cursor, "id")
    rows_of(connection.cursor, "code")  # Django's own cursor: never prepared
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%FROM dossiers_lookuplog WHERE kind = $1%"],
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 1
    with prepared_cursor() as cursor:
        assert cursor.cursor.format == 1  # binary results


@pytest.mark.postgres
def test_postgresql_without_prepared_statements_when_the_deployment_says_so(settings):
    settings.DB_PREPARED_STATEMENTS = False
    for _ in range(8):
        rows_of(prepared_cursor, "invalid")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%WHERE kind = $1%"],
        )
        assert cursor.fetchone()[0] == 0
    with prepared_cursor() as cursor:
        cursor.execute(SQL, ["invalid"])
        assert cursor.cursor.format == 1  # still binary results


# --- fetch_all: the rows of a read-only statement, through libpq on PostgreSQL -------------------


def make_rows() -> dt.datetime:
    when = timezone.now().replace(microsecond=654321)
    LookupLog.objects.create(
        query_hash="c" * 64, kind="code", found=True, client_address="10.0.0.2", created_at=when
    )
    LookupLog.objects.create(query_hash="d" * 64, kind="code", found=False, created_at=when)
    return when


def prepared_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements ORDER BY name")
        return [name for (name,) in cursor.fetchall()]


def ours() -> list[str]:
    """The statements fetch_all() prepared on this connection."""
    return [name for name in prepared_names() if name.startswith("dvc_")]


def test_fetch_all_gives_the_rows_prepared_cursor_gives():
    make_rows()
    assert fetch_all(SQL, ["code"]) == rows_of(prepared_cursor, "code")
    assert len(fetch_all(SQL, ["code"])) == 2
    assert fetch_all(SQL, ["nothing"]) == []


def test_fetch_all_is_seen_by_django_s_hooks_while_they_watch():
    with CaptureQueriesContext(connection) as captured:
        fetch_all(SQL, ["code"])
    assert len(captured.captured_queries) == 1
    assert "FROM dossiers_lookuplog WHERE kind = " in captured.captured_queries[0]["sql"]
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fetch_all(SQL, ["code"])
    assert seen == [SQL]


@pytest.fixture
def autocommit():
    """Outside any transaction, as a request runs (the rows made here deleted after)."""
    assert connection.get_autocommit()
    yield
    LookupLog.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fetch_all_prepares_a_statement_once_per_connection(autocommit):
    """Through libpq: prepared at the first run under our own name, then only run; the values
    loaded in binary as psycopg's cursor loads them (aware datetimes)."""
    when = make_rows()
    first = fetch_all(SQL, ["code"])
    for _ in range(3):
        assert fetch_all(SQL, ["code"]) == first
    assert len(ours()) == 1
    assert first == rows_of(prepared_cursor, "code")
    assert first[0][4] == when
    assert first[0][4].tzinfo is not None
    assert first[0][1:4] == ("c" * 64, "code", True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fetch_all_prepares_again_when_the_statements_were_dropped(autocommit):
    """DEALLOCATE ALL (psycopg's after a rollback) or DISCARD ALL (a pooler's) drop prepared
    statements: the next run prepares its statement again."""
    make_rows()
    assert len(fetch_all(SQL, ["code"])) == 2
    for command in ("DEALLOCATE ALL", "DISCARD ALL"):
        with connection.cursor() as cursor:
            cursor.execute(command)
        assert not ours()
        assert len(fetch_all(SQL, ["code"])) == 2
        assert len(ours()) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fetch_all_errors_are_django_s_and_leave_the_connection_working(autocommit):
    with pytest.raises(DataError):
        fetch_all("SELECT %s::integer", ["not a number"])
    with pytest.raises(ProgrammingError):
        fetch_all("SELECT no_such_column FROM dossiers_lookuplog WHERE kind = %s", ["x"])
    assert fetch_all("SELECT %s::integer + 1", ["41"]) == [(42,)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fetch_all_after_a_reconnection(autocommit):
    """A new connection holds no statement: they are prepared afresh."""
    make_rows()
    assert len(fetch_all(SQL, ["code"])) == 2
    connection.close()
    assert len(fetch_all(SQL, ["code"])) == 2
    assert len(ours()) == 1


@pytest.mark.postgres
def test_fetch_all_in_a_transaction_is_the_transaction_s():
    """In atomic() the cursor runs the statement: psycopg begins the transaction first, and
    the statement sees what the transaction wrote."""
    from psycopg.pq import TransactionStatus

    with transaction.atomic():
        make_rows()
        assert len(fetch_all(SQL, ["code"])) == 2
        assert fetch_all("SELECT %s::integer", ["7"]) == [(7,)]
        assert connection.connection.info.transaction_status == TransactionStatus.INTRANS


@pytest.mark.postgres
def test_fetch_all_without_prepared_statements_when_the_deployment_says_so(settings):
    settings.DB_PREPARED_STATEMENTS = False
    make_rows()
    assert len(fetch_all(SQL, ["code"])) == 2
    assert not ours()


@pytest.mark.parametrize(
    ("sql", "numbered"),
    [
        ("SELECT %s", "SELECT $1"),
        ("SELECT a FROM t WHERE b = %s AND c <> %s", "SELECT a FROM t WHERE b = $1 AND c <> $2"),
        ("SELECT 5 %% 2, %s", "SELECT 5 % 2, $1"),
        ("SELECT '%%s', %s", "SELECT '%s', $1"),
    ],
)
def test_placeholders_are_numbered(sql, numbered):
    assert _numbered(sql) == numbered
