"""The outbox's rules, in this process: claim, lease, recovery, sweep, keys, broker failures.

Delivery through real servers and real Celery workers is in tests/test_notification_*.py.
"""

import datetime as dt
import socket
import time

import pytest
from django.utils import timezone

from dichvucong.notifications import services
from dichvucong.notifications.channels.base import RetryableError
from dichvucong.notifications.models import Notification
from dichvucong.notifications.services import (
    backoff,
    notification_deliver,
    notification_queue,
    notification_resend,
    notifications_deliver_due,
    notifications_due,
    notifications_recover,
)

pytestmark = pytest.mark.django_db


def _queue(**overrides) -> Notification:
    values = {
        "recipient": None,
        "channel": "sms",
        "to": "0912345678",
        "template": "verify_phone",
        "context": {"code": "123456", "minutes": 15},
    }
    values.update(overrides)
    return notification_queue(**values)


class CountingChannel:
    """A provider double that counts what it was asked to send."""

    name = "counting"

    def __init__(self, fail: Exception | None = None):
        self.sent: list[str] = []
        self.fail = fail

    def send(self, *, to, subject, body, reference):
        if self.fail is not None:
            raise self.fail
        self.sent.append(reference)
        return f"provider-{len(self.sent)}"


@pytest.fixture
def channel(monkeypatch) -> CountingChannel:
    counting = CountingChannel()
    monkeypatch.setattr(services, "channel_for", lambda name: counting)
    return counting


def test_a_row_is_sent_once_however_often_it_is_delivered(channel):
    """Two deliveries of one row (a redelivered task, a sweep racing a worker): one send."""
    row = _queue()
    assert notification_deliver(notification_id=row.pk) == "sent"
    assert notification_deliver(notification_id=row.pk) is None
    row.refresh_from_db()
    assert channel.sent == [f"dvc-notification-{row.pk}"]
    assert row.provider_message_id == "provider-1"
    assert row.attempts == 1
    assert row.sent_at is not None


def test_a_row_held_by_another_deliverer_is_left_alone(channel):
    row = _queue()
    Notification.objects.filter(pk=row.pk).update(
        status="sending", next_attempt_at=timezone.now() + dt.timedelta(minutes=10)
    )
    assert notification_deliver(notification_id=row.pk) is None
    assert notifications_deliver_due() == 0
    assert channel.sent == []


def test_a_dead_deliverers_row_is_recovered_after_its_lease_and_sent_with_the_same_reference(
    channel,
):
    """The worker died mid-send: after the lease the sweep sends it again, same reference."""
    row = _queue()
    Notification.objects.filter(pk=row.pk).update(
        status="sending", attempts=1, next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert notifications_deliver_due() == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert row.attempts == 2
    assert channel.sent == [f"dvc-notification-{row.pk}"]


def test_a_row_that_keeps_killing_its_deliverer_ends_failed(settings, channel):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    row = _queue()
    Notification.objects.filter(pk=row.pk).update(
        status="sending", attempts=3, next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert notifications_recover() == 0
    row.refresh_from_db()
    assert row.status == "failed"
    assert channel.sent == []


def test_the_sweep_does_not_hand_out_a_row_already_with_the_broker(settings):
    """A row handed to the broker is not queued again every minute while it waits its turn;
    after NOTIFICATION_REQUEUE_AFTER_SECONDS (the broker lost it) it is."""
    settings.NOTIFICATION_REQUEUE_AFTER_SECONDS = 60
    row = _queue()  # in a test transaction: on_commit never runs, queued_at is set
    assert row.queued_at is not None
    assert notifications_due() == []
    Notification.objects.filter(pk=row.pk).update(
        queued_at=timezone.now() - dt.timedelta(seconds=61)
    )
    assert notifications_due() == [row.pk]
    assert notifications_due() == []  # handed out again just now


def test_backoff_doubles_up_to_the_maximum(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 3600
    assert [backoff(n).total_seconds() / 60 for n in range(1, 9)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
    ]


def test_a_retry_after_from_the_provider_is_respected(monkeypatch):
    monkeypatch.setattr(
        services,
        "channel_for",
        lambda name: CountingChannel(RetryableError("429", retry_after=900)),
    )
    row = _queue()
    before = timezone.now()
    assert notification_deliver(notification_id=row.pk) == "pending"
    row.refresh_from_db()
    assert row.next_attempt_at >= before + dt.timedelta(seconds=900)
    assert row.queued_at is None  # the sweep hands it out when it is due


def test_resend_gives_a_failed_row_fresh_attempts(django_capture_on_commit_callbacks, channel):
    row = _queue()
    Notification.objects.filter(pk=row.pk).update(status="failed", attempts=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_resend(notification=row)
    row.refresh_from_db()
    assert row.status == "sent"
    assert row.attempts == 1
    assert not notification_resend(notification=row)  # only failed rows


def test_a_key_queues_a_message_at_most_once():
    first = _queue(key="staff_digest:2026-11-23:7")
    second = _queue(key="staff_digest:2026-11-23:7")
    assert first is not None
    assert second is None
    assert Notification.objects.filter(key="staff_digest:2026-11-23:7").count() == 1


def test_an_inapp_message_is_the_row_itself_and_needs_no_delivery(channel):
    row = _queue(
        channel="inapp",
        to="070090000001",
        template="dossier_returned",
        context={"code": "000.00.31.H10-261123-0007", "link": "http://x/ho-so/1/"},
        reference="000.00.31.H10-261123-0007",
    )
    assert row.status == "sent"
    assert row.link == "http://x/ho-so/1/"
    assert row.read_at is None
    assert notifications_deliver_due() == 0
    assert channel.sent == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_broker(settings):
    """The broker is configured but nothing listens there."""
    from kombu import pools

    from dichvucong.config.celery import app

    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CELERY_BROKER_URL = url
    old = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    yield url
    app.conf.broker_url = old
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_a_broker_that_cannot_be_reached_delays_nothing_and_loses_nothing(
    unreachable_broker, django_capture_on_commit_callbacks, channel
):
    """The request that queued the message is not held up; the row waits for the sweep."""
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue()
    assert time.monotonic() - started < 5
    row.refresh_from_db()
    assert row.status == "pending"
    assert row.queued_at is None
    assert notifications_due() == [row.pk]
    assert channel.sent == []
