"""Project-wide pytest setup: services markers (DESIGN §7).

Tests marked `postgres` or `redis` run whenever the service is reachable; otherwise they are
left out and listed loudly at the end. With REQUIRE_SERVICES=1 (.ci/run) they fail instead.
"""

import os
import socket

import pytest

_unavailable: list[str] = []


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests (row locks, concurrent sessions) are deselected on SQLite and
    reported; .ci/run's second pass runs the whole suite on PostgreSQL, them included."""
    if _on_postgres():
        return
    kept, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker("postgres") else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        _unavailable.extend(f"{i.nodeid}: runs on PostgreSQL only" for i in left_out)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("redis") and not _reachable("127.0.0.1", 6379):
        reason = "needs Redis on 127.0.0.1:6379"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} and REQUIRE_SERVICES=1")
        _unavailable.append(f"{item.nodeid}: {reason}")
        pytest.skip(reason)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _unavailable:
        terminalreporter.section(
            "TESTS LEFT OUT OF THIS RUN (service or database not available)", sep="!"
        )
        for line in _unavailable:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_waiting_lookup_log_rows():
    """Lookup log rows a test left waiting (LOOKUP_LOG_BATCH > 1) are not written into the next
    test's database."""
    yield
    from dichvucong.dossiers import lookuplog

    lookuplog.buffer.discard()


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    """A request to an /en/ page leaves English active in the thread (LocaleMiddleware does not
    undo it): the next test starts in the default language again."""
    from django.utils import translation

    yield
    translation.deactivate()
