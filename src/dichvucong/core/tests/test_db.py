"""core.db.prepared_cursor: Django's cursor for hand-written SQL, prepared and binary on
PostgreSQL, the same results as Django's own cursor, and still seen by Django's query hooks."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dichvucong.core.db import prepared_cursor
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
