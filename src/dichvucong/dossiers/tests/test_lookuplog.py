"""The lookup log written in batches (dossiers.lookuplog): rows wait until a batch is full or
the oldest is due, a timer writes them when no lookup comes, an exiting process writes what it
holds, and a refused batch is kept for the next attempt."""

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dichvucong.dossiers import lookup, lookuplog
from dichvucong.dossiers.models import LookupLog

ROOT = Path(__file__).resolve().parents[4]


def row(n: int, client: str | None = "10.0.0.1") -> lookuplog.Row:
    return (f"{n:064x}", "code", n % 2 == 0, client, timezone.now())


@pytest.fixture
def batches(settings):
    settings.LOOKUP_LOG_BATCH = 3
    settings.LOOKUP_LOG_FLUSH_SECONDS = 60
    return lookuplog.Buffer()


@pytest.mark.django_db
def test_rows_wait_until_the_batch_is_full_then_go_in_one_insert(batches):
    batches.add(row(1))
    batches.add(row(2, client=None))
    assert LookupLog.objects.count() == 0
    assert batches.waiting() == 2
    with CaptureQueriesContext(connection) as queries:
        batches.add(row(3, client="2001:db8::7"))
    assert len(queries) == 1  # on SQLite one executemany()
    assert "INSERT INTO dossiers_lookuplog" in queries[0]["sql"]
    assert batches.waiting() == 0
    logged = {log.query_hash: log for log in LookupLog.objects.all()}
    assert sorted(logged) == [row(n)[0] for n in (1, 2, 3)]
    assert (logged[row(2)[0]].found, logged[row(2)[0]].client_address) == (True, None)
    assert logged[row(3)[0]].client_address == "2001:db8::7"
    assert abs(logged[row(1)[0]].created_at - timezone.now()) < dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_oldest_row_due_sends_the_batch_before_it_is_full(batches, monkeypatch):
    batches.add(row(1))
    later = time.monotonic() + 61
    monkeypatch.setattr(lookuplog.time, "monotonic", lambda: later)
    batches.add(row(2))
    assert LookupLog.objects.count() == 2
    assert batches.waiting() == 0


@pytest.mark.django_db
def test_a_batch_of_one_writes_during_the_lookup(settings, django_assert_num_queries):
    settings.LOOKUP_LOG_BATCH = 1
    with django_assert_num_queries(1):
        lookup.lookup_log(query="X", kind="invalid", found=False, client_address="10.1.2.3")
    log = LookupLog.objects.get()
    assert (log.kind, log.found, log.client_address) == ("invalid", False, "10.1.2.3")
    assert log.query_hash == lookup.query_hash("X")


@pytest.mark.django_db
def test_a_refused_batch_is_kept_for_the_next_attempt(batches, monkeypatch, caplog):
    """The database's refusal is simulated (monkeypatch): a real one here would also break the
    test's own transaction."""
    real = lookuplog._write
    calls = []

    def refuse_once(rows):
        calls.append(len(rows))
        if len(calls) == 1:
            raise DatabaseError("the database is restarting")
        real(rows)

    monkeypatch.setattr(lookuplog, "_write", refuse_once)
    for n in range(3):
        batches.add(row(n))  # the third fills the batch: refused, nothing lost, no error raised
    assert batches.waiting() == 3
    assert "lookup log not written" in caplog.text
    assert batches.flush() == 3
    assert calls == [3, 3]
    assert LookupLog.objects.count() == 3


@pytest.mark.django_db
def test_refused_batches_are_kept_only_up_to_a_limit(batches, monkeypatch):
    def refuse(rows):
        raise DatabaseError("down")

    monkeypatch.setattr(lookuplog, "_write", refuse)
    for n in range(3 * lookuplog.MAX_KEPT_BATCHES + 5):
        batches.add(row(n))
    assert batches.waiting() <= 3 * lookuplog.MAX_KEPT_BATCHES
    assert batches.waiting() >= 3 * lookuplog.MAX_KEPT_BATCHES - 3
    batches.discard()


@pytest.mark.django_db(transaction=True)
def test_a_timer_writes_the_rows_when_no_lookup_comes(settings):
    settings.LOOKUP_LOG_BATCH = 100
    settings.LOOKUP_LOG_FLUSH_SECONDS = 0.2
    batches = lookuplog.Buffer()
    batches.add(row(1))
    assert LookupLog.objects.count() == 0
    timer = batches._timer
    assert isinstance(timer, threading.Timer)
    timer.join(timeout=10)
    assert not timer.is_alive()
    assert LookupLog.objects.count() == 1
    assert batches.waiting() == 0
    assert batches._timer is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_exiting_process_writes_the_rows_it_holds():
    """A process with rows waiting (a batch of 100, two minutes to wait) exits normally, as
    gunicorn stops a worker: its rows are in the database."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "settings.LOOKUP_LOG_BATCH = 100\n"
        "settings.LOOKUP_LOG_FLUSH_SECONDS = 120\n"
        "from dichvucong.dossiers import lookup, lookuplog\n"
        "for q in ('000.00.31.H10-261121-0001', '285123456', 'nonsense'):\n"
        "    lookup.lookup_search(raw_query=q, birth_date=None, client_address='10.7.7.7')\n"
        "assert lookuplog.buffer.waiting() == 2, lookuplog.buffer.waiting()\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dichvucong.config.settings.test",
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT / "src"),
    }
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60, cwd=ROOT)
    kinds = sorted(LookupLog.objects.values_list("kind", flat=True))
    # The ID number asks for the date of birth first: not a search, not logged.
    assert kinds == ["code", "invalid"]
    assert set(LookupLog.objects.values_list("client_address", flat=True)) == {"10.7.7.7"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # autocommit, as in a request
def test_the_batch_is_written_without_waiting_for_the_disk():
    lookuplog._write([row(1), row(2)])
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # the statement's own transaction only
    assert LookupLog.objects.count() == 2
    assert "set_config('synchronous_commit', 'off', true)" in lookuplog._insert_sql("postgresql")
