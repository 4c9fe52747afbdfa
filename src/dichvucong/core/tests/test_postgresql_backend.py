"""core.postgresql: Django's health check skipped on a connection that worked a moment ago and
that the server has not spoken on; still run when it may have gone bad."""

import time

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def worker_connection():
    """A persistent connection of its own, used as a worker uses one: request by request."""
    conn = connections.create_connection("default")
    conn.settings_dict["CONN_HEALTH_CHECKS"] = True
    conn.settings_dict["CONN_MAX_AGE"] = 600
    checks = []
    usable = conn.is_usable

    def counted() -> bool:
        result = usable()
        checks.append(result)
        return result

    conn.is_usable = counted
    conn.checks = checks
    yield conn
    conn.close()


def request(conn) -> int:
    """One request's worth of work (request_started, a query, request_finished): the backend's
    process id."""
    conn.close_if_unusable_or_obsolete()
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    conn.close_if_unusable_or_obsolete()
    return pid


def test_the_deployment_uses_this_backend():
    assert connection.settings_dict["ENGINE"] == "dichvucong.core.postgresql"
    assert connection.vendor == "postgresql"


def test_a_connection_that_worked_a_moment_ago_is_not_checked(worker_connection, settings):
    settings.DB_HEALTH_CHECK_AFTER_IDLE = 60
    pids = {request(worker_connection) for _ in range(5)}
    assert worker_connection.checks == []
    assert len(pids) == 1  # the same persistent connection throughout


def test_a_connection_idle_longer_than_the_window_is_checked(worker_connection, settings):
    settings.DB_HEALTH_CHECK_AFTER_IDLE = 1
    first = request(worker_connection)
    time.sleep(1.1)
    assert request(worker_connection) == first
    assert worker_connection.checks == [True]


def test_a_connection_the_server_ended_is_checked_and_replaced(worker_connection, settings):
    """Within the window, but the server said goodbye (pg_terminate_backend, as on a restart):
    the check runs, fails, and the request gets a new connection instead of an error."""
    settings.DB_HEALTH_CHECK_AFTER_IDLE = 60
    first = request(worker_connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    deadline = time.monotonic() + 5
    while not worker_connection._server_spoke() and time.monotonic() < deadline:
        time.sleep(0.02)
    second = request(worker_connection)
    assert second != first
    assert worker_connection.checks == [False]


def test_a_request_that_did_not_use_the_connection_does_not_vouch_for_it(
    worker_connection, settings
):
    settings.DB_HEALTH_CHECK_AFTER_IDLE = 1
    request(worker_connection)
    time.sleep(1.1)
    for _ in range(3):  # requests without a query: request_started, request_finished
        worker_connection.close_if_unusable_or_obsolete()
        worker_connection.close_if_unusable_or_obsolete()
    request(worker_connection)
    assert worker_connection.checks == [True]
