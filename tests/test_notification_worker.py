"""Real Celery workers on real Redis deliver the outbox: failures lose nothing, send nothing twice.

Each test starts `celery -A dichvucong.config worker -B` (prefork, 2 processes, beat inside
running the sweep every second) as a separate process group, against this test's database and
a queue of its own on Redis, with email going to the real SMTP server and SMS to a real HTTP
gateway. Timings are shortened through the environment: retry backoff 1 s, 2 s, 4 s …; a row
held by a dead worker is released after 3 s; a row handed to a broker that lost it is handed
out again after 3 s.

The gateway here honours the Idempotency-Key header (the reference the portal sends with every
attempt of one message), as the generic SMS contract asks of gateways (docs/notifications.md):
the one message a killed worker may have handed over just before dying is re-sent with the
same key and reaches the person once. The tests count every POST, so they also show that the
portal re-posts nothing else.

On SQLite the worker and this process share a file database (a copy of the migrated test
database); on PostgreSQL the worker connects to pytest-django's test database. Marked `redis`:
they run whenever Redis answers on 127.0.0.1:6379 (REQUIRE_SERVICES=1 makes them fail if not).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connections, transaction

from dichvucong.notifications.models import Notification
from dichvucong.notifications.services import notification_queue
from support.sms_gateway import ReceivedSms, SmsGateway
from support.smtp import free_port

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
# This suite's database on the shared Redis. Every test uses a queue of its own, so that runs
# of the suite by several people on one machine never take each other's tasks.
SHARED_REDIS = "redis://127.0.0.1:6379/13"
TOKEN = "worker-test-token"
LEASE_SECONDS = 3


# --- The outside world -----------------------------------------------------------------------


class IdempotentGateway(SmsGateway):
    """The real HTTP gateway, slowed down as a real one is, honouring Idempotency-Key."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.delay = 0.0
        self.posts: Counter[str] = Counter()  # every accepted POST, by key
        self._by_key: dict[str, ReceivedSms] = {}

    def _count_request(self) -> None:
        super()._count_request()
        if self.delay:
            time.sleep(self.delay)

    def _store(self, *, to, text, headers, path) -> ReceivedSms:
        key = next((v for k, v in headers.items() if k.lower() == "idempotency-key"), "")
        with self._changed:
            self.posts[key] += 1
            if key in self._by_key:  # the same message again: answer as the first time
                return self._by_key[key]
            message = super()._store(to=to, text=text, headers=headers, path=path)
            self._by_key[key] = message
            return message

    def reset(self) -> None:
        super().reset()
        with self._changed:
            self.posts.clear()
            self._by_key.clear()
        self.delay = 0.0

    def by_key(self, key: str) -> list[ReceivedSms]:
        return [m for m in self.messages if _key(m) == key]


def _key(message: ReceivedSms) -> str:
    return next((v for k, v in message.headers.items() if k.lower() == "idempotency-key"), "")


@pytest.fixture(scope="module")
def gateway() -> Iterator[IdempotentGateway]:
    server = IdempotentGateway(token=TOKEN).start()
    yield server
    server.stop()


class RedisServer:
    """A redis-server of this test alone (never the shared one), to stop and start again."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.tmp = tmp
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until(self._answers, 10, "the test's redis-server did not start")

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # like a crash: nothing is kept (and nothing is on disk)
            self.process.wait(timeout=10)
        self.process = None


# --- The database both processes use -----------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def shared_database_url(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """A database URL the worker processes can open and that this process uses too."""
    default = connections["default"]
    if default.vendor != "sqlite":
        s = default.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        yield f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        return
    # SQLite: pytest-django's test database lives in this process's memory. Copy it (already
    # migrated) to a file and point this process's default connection at the file.
    path = tmp_path_factory.mktemp("worker-db") / "db.sqlite3"
    with django_db_blocker.unblock():
        default.ensure_connection()
        target = sqlite3.connect(path)
        default.connection.backup(target)
        target.close()
    wrapper = default.__class__({**default.settings_dict, "NAME": str(path)}, alias="default")
    connections["default"] = wrapper
    try:
        yield f"sqlite:///{path}"
    finally:
        wrapper.close()
        connections["default"] = default


# --- Publishing from this process ----------------------------------------------------------


@contextmanager
def publishing_to(url: str, settings, queue: str) -> Iterator[None]:
    """This process hands committed rows to `queue` at `url`, as a web server would."""
    from kombu import pools

    from dichvucong.config.celery import app

    def reset_pools() -> None:
        pools.reset()  # close and forget this process's connections to the old broker
        app._pool = None
        app.__dict__.pop("amqp", None)  # its queues and producers were made for the old conf

    old = app.conf.broker_url, app.conf.task_default_queue
    settings.CELERY_BROKER_URL = url
    app.conf.broker_url, app.conf.task_default_queue = url, queue
    reset_pools()
    try:
        yield
    finally:
        reset_pools()
        app.conf.broker_url, app.conf.task_default_queue = old


# --- The worker ------------------------------------------------------------------------------


class Worker:
    """`celery worker -B` in its own process group: stopped politely or killed with SIGKILL."""

    def __init__(self, *, env: dict[str, str], tmp: Path):
        self.env = env
        self.tmp = tmp
        self.process: subprocess.Popen | None = None
        self.log = tmp / f"worker-{uuid.uuid4().hex[:8]}.log"

    def start(self) -> Worker:
        self.log = self.tmp / f"worker-{uuid.uuid4().hex[:8]}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "dichvucong.config",
                    "worker",
                    "--beat",
                    "--schedule",
                    str(self.tmp / f"beat-{uuid.uuid4().hex[:8]}"),
                    "--pool",
                    "prefork",
                    "--concurrency",
                    "2",
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--hostname",
                    f"test-{uuid.uuid4().hex[:8]}@%h",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the test kills all of it
            )
        _wait_until(
            lambda: "ready." in self.output() or self.process.poll() is not None,
            30,
            "the worker did not start",
        )
        assert self.process.poll() is None, self.output()
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL to the main process, its pool processes and beat: a machine dying."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def queue() -> Iterator[str]:
    name = f"dvc-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(SHARED_REDIS)
    for key in client.scan_iter(match=f"*{name}*"):  # the queue and kombu's bindings of it
        client.delete(key)
    client.close()


@pytest.fixture
def start_worker(
    shared_database_url, gateway, smtp_server, tmp_path, queue
) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []

    def start(*, broker: str = SHARED_REDIS, **overrides: str) -> Worker:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "dichvucong.config.settings.test",
            "DATABASE_URL": shared_database_url,
            "REDIS_URL": broker,
            "TEST_CELERY_BROKER_URL": broker,  # the test profile ignores REDIS_URL otherwise
            "CELERY_QUEUE": queue,
            "EMAIL_URL": smtp_server.url,
            "SMS_GATEWAY_URL": gateway.url,
            "SMS_GATEWAY_TOKEN": TOKEN,
            "SMS_GATEWAY_TIMEOUT": "5",
            "NOTIFICATION_SWEEP_SECONDS": "1",
            "NOTIFICATION_RETRY_BASE_SECONDS": "1",
            "NOTIFICATION_SENDING_LEASE_SECONDS": str(LEASE_SECONDS),
            "NOTIFICATION_REQUEUE_AFTER_SECONDS": "3",
            "NOTIFICATION_MAX_ATTEMPTS": "5",
            "LOG_LEVEL": "WARNING",
            **overrides,
        }
        worker = Worker(env=env, tmp=tmp_path).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def _wait_until(predicate: Callable[[], bool], timeout: float, message: str | Callable) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(message() if callable(message) else message)


def _sms(n: int, *, key: str = "") -> Notification:
    return notification_queue(
        recipient=None,
        channel="sms",
        to=f"09{n:08d}",
        template="verify_phone",
        context={"code": f"{n:06d}", "minutes": 15},
        key=key,
    )


def _statuses(ids) -> Counter[str]:
    return Counter(Notification.objects.filter(pk__in=ids).values_list("status", flat=True))


def _all_sent(ids, worker: Worker, timeout: float = 30) -> None:
    _wait_until(
        lambda: _statuses(ids) == Counter({"sent": len(ids)}),
        timeout,
        lambda: f"not all sent: {_statuses(ids)}\n--- worker log ---\n{worker.output()[-4000:]}",
    )


# --- The tests ----------------------------------------------------------------------------


def test_gateway_down_retries_with_backoff_then_delivers_once(
    start_worker, queue, gateway, smtp_server, settings
):
    """The gateway answers 503 twice: the worker retries after 1 s, then 2 s, and the SMS
    arrives once; the email queued beside it goes straight through the real SMTP server."""
    worker = start_worker()
    gateway.fail_next(2, status=503)
    with publishing_to(SHARED_REDIS, settings, queue):
        with transaction.atomic():
            sms = _sms(1)
            email = notification_queue(
                recipient=None,
                channel="email",
                to="an@example.vn",
                template="verify_email",
                context={"name": "Nguyễn Văn An", "code": "123456", "minutes": 15, "link": "x"},
            )
        _all_sent([sms.pk, email.pk], worker, timeout=20)
    sms.refresh_from_db()
    key = f"dvc-notification-{sms.pk}"
    assert sms.attempts == 3
    assert gateway.request_count == 3  # two 503s, one accepted
    assert gateway.posts[key] == 1
    [received] = gateway.by_key(key)
    assert sms.provider_message_id == received.id
    assert received.text == sms.body
    mail = smtp_server.wait_for(to="an@example.vn")
    assert mail.message["Message-ID"] == f"<dvc-notification-{email.pk}@127.0.0.1>"
    assert len(smtp_server.find(to="an@example.vn")) == 1


def test_a_task_delivered_twice_sends_once(start_worker, queue, gateway, settings):
    """The broker hands the same task out again (redelivery after a lost ack): one SMS."""
    from dichvucong.notifications.tasks import deliver_notification

    # The sweep would hand the row out again only after 5 minutes: what is sent came through
    # the broker.
    worker = start_worker(NOTIFICATION_REQUEUE_AFTER_SECONDS="300")
    gateway.delay = 0.3  # the copies arrive while the first is still sending
    with publishing_to(SHARED_REDIS, settings, queue):
        sms = _sms(2)
        for _ in range(3):
            deliver_notification.apply_async(args=[sms.pk])
        _all_sent([sms.pk], worker, timeout=15)
        time.sleep(1)  # let the other copies run to their end
    assert gateway.posts[f"dvc-notification-{sms.pk}"] == 1
    assert gateway.request_count == 1


def test_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    start_worker, queue, gateway, settings
):
    """SIGKILL to the whole worker (pool and beat) while it sends a batch of 16 SMS; a new
    worker finishes the batch. Every message reaches the gateway once; only those on the
    wire at the moment of the kill are posted again, with their key, and not delivered twice."""
    worker = start_worker()
    gateway.delay = 0.25
    with publishing_to(SHARED_REDIS, settings, queue):
        with transaction.atomic():
            rows = [_sms(100 + n) for n in range(16)]
        ids = [row.pk for row in rows]
        _wait_until(lambda: gateway.request_count >= 4, 20, lambda: worker.output()[-3000:])
        worker.kill()
        at_kill = _statuses(ids)
        in_flight = set(
            Notification.objects.filter(pk__in=ids, status="sending").values_list("pk", flat=True)
        )
        assert at_kill["sent"] < len(ids), at_kill  # really mid-batch
        assert len(in_flight) <= 2  # at most one message per pool process

        replacement = start_worker()
        _all_sent(ids, replacement, timeout=40)

    keys = {f"dvc-notification-{pk}" for pk in ids}
    delivered = Counter(_key(m) for m in gateway.messages)
    assert set(delivered) == keys  # nothing lost
    assert set(delivered.values()) == {1}  # nothing sent twice
    reposted = {key for key, count in gateway.posts.items() if count > 1}
    assert reposted <= {f"dvc-notification-{pk}" for pk in in_flight}
    for row in Notification.objects.filter(pk__in=ids):
        [message] = gateway.by_key(f"dvc-notification-{row.pk}")
        assert row.provider_message_id == message.id


def test_redis_restarted_delivery_resumes(start_worker, queue, gateway, settings, tmp_path):
    """The broker crashes (and forgets its queues); messages queued meanwhile wait in the
    outbox; when Redis is back the worker reconnects and the sweep sends them, once each."""
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server is not installed and REQUIRE_SERVICES=1")
        pytest.skip("redis-server is not installed")
    broker = RedisServer(tmp_path)
    broker.start()
    try:
        worker = start_worker(broker=broker.url)
        with publishing_to(broker.url, settings, queue):
            first = _sms(200)
            _all_sent([first.pk], worker, timeout=15)

            broker.stop()
            started = time.monotonic()
            with transaction.atomic():
                during = [_sms(201 + n) for n in range(3)]
            assert time.monotonic() - started < 10  # the request is not held up
            waiting = Notification.objects.filter(pk__in=[r.pk for r in during])
            assert set(waiting.values_list("status", "queued_at")) == {("pending", None)}

            broker.start()
            # The worker and beat reconnect on their own backoff (2 s, 4 s, 6 s …).
            _all_sent([r.pk for r in during], worker, timeout=60)
        for row in [first, *during]:
            assert gateway.posts[f"dvc-notification-{row.pk}"] == 1
        assert len(gateway.messages) == 4
    finally:
        broker.stop()


@pytest.fixture(autouse=True)
def _fresh_gateway(gateway) -> None:
    gateway.reset()
