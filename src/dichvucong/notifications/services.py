"""The outbox: queue a message inside the caller's transaction; deliver it after commit.

Knows no dossier and no page: callers hand it a recipient, an address, a template name and a
context. The row is the truth; the broker only carries hints ("row 42 is ready"):

- `notification_queue` writes the row in the caller's transaction and, once it commits, hands
  its id to a deliverer: a Celery worker when CELERY_BROKER_URL is set, else this process.
  If the broker cannot be reached the row simply waits for the sweep.
- `notification_deliver` claims the row (pending -> sending, one UPDATE, with a lease) before
  sending, so a task delivered twice, or a sweep racing a worker, never sends twice. It keeps
  the provider's message id. Temporary failures go back to pending with exponential backoff;
  after NOTIFICATION_MAX_ATTEMPTS, or on a permanent refusal, the row is "failed" and an
  administrator can "Gửi lại".
- `notifications_sweep` (every minute, Celery beat or `manage.py deliver_notifications`)
  releases rows whose deliverer died mid-send (lease expired) and hands out what is due and
  not already with a deliverer.

A row recovered from a dead deliverer is sent again with the same reference
(`dvc-notification-<id>`: the SMS gateway's Idempotency-Key, the email's Message-ID), which
is how a gateway that honours it suppresses the one message that may have left just before
the crash (docs/notifications.md).
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .channels.base import Channel, DeliveryError
from .messages import render_message
from .models import Notification, NotificationChannel, NotificationStatus

logger = logging.getLogger(__name__)


def _seconds(name: str, default: float) -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, name, default)))


def sending_lease() -> dt.timedelta:
    """How long a deliverer may hold a row before the sweep assumes it died."""
    return _seconds("NOTIFICATION_SENDING_LEASE_SECONDS", 600)


def requeue_after() -> dt.timedelta:
    """How long a row handed to the broker may wait before the sweep hands it out again."""
    return _seconds("NOTIFICATION_REQUEUE_AFTER_SECONDS", 600)


def backoff(attempts: int) -> dt.timedelta:
    """base, 2·base, 4·base … after the 1st, 2nd, 3rd … failure; at most the maximum.

    With the defaults (60 s, 3600 s): 1, 2, 4, 8, 16 … minutes, at most an hour.
    """
    base = float(getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 60))
    ceiling = float(getattr(settings, "NOTIFICATION_RETRY_MAX_SECONDS", 3600))
    return dt.timedelta(seconds=min(ceiling, base * 2 ** max(0, attempts - 1)))


def reference_for(notification_id: int) -> str:
    """The stable id of one message at the providers, the same on every attempt."""
    return f"dvc-notification-{notification_id}"


# --- Queueing ------------------------------------------------------------------------------


def notification_queue(
    *,
    recipient,
    channel: str,
    to: str,
    template: str,
    context: dict,
    expires_at: dt.datetime | None = None,
    reference: str = "",
    key: str = "",
) -> Notification | None:
    """Write the outbox row now (in the caller's transaction); deliver it once that commits.

    `expires_at`: a message worthless later (a one-time code) is never sent after it.
    `reference`: what the message is about (e.g. a dossier code), for `deliveries_for`.
    `key`: at most one message with this key is ever queued; a second call returns None.
    In-app messages need no delivery: the row is the message, "sent" at once.
    """
    subject, body = render_message(template=template, channel=channel, context=context)
    now = timezone.now()
    inapp = channel == NotificationChannel.INAPP
    values = {
        "recipient": recipient,
        "channel": channel,
        "to": to,
        "template": template,
        "subject": subject,
        "body": body,
        "expires_at": expires_at,
        "reference": reference[:64],
        "key": key[:128],
        "created_at": now,
        "next_attempt_at": now,
    }
    if inapp:
        values.update(
            status=NotificationStatus.SENT,
            sent_at=now,
            provider="inapp",
            link=str(context.get("link") or "")[:500],
        )
    else:
        values["queued_at"] = now
    if key:
        if Notification.objects.filter(key=key[:128]).exists():
            return None
        try:
            with transaction.atomic():
                notification = Notification.objects.create(**values)
        except IntegrityError:  # the same key queued concurrently
            return None
    else:
        notification = Notification.objects.create(**values)
    if not inapp:
        transaction.on_commit(lambda: notification_dispatch(notification_id=notification.pk))
    return notification


def notification_dispatch(*, notification_id: int) -> None:
    """Hand one committed row to a deliverer: the broker if there is one, else deliver here.

    Never raises: when the broker is down the row is marked not handed out and the next
    sweep (which retries the broker) takes it.
    """
    if not settings.CELERY_BROKER_URL:
        try:
            notification_deliver(notification_id=notification_id)
        except Exception:  # the request that queued it must not fail; the sweep retries
            logger.exception("in-process delivery of notification %s crashed", notification_id)
        return
    from .tasks import deliver_notification

    try:
        deliver_notification.apply_async(args=[notification_id])
    except Exception as exc:  # kombu OperationalError, socket errors, timeouts
        Notification.objects.filter(pk=notification_id, status=NotificationStatus.PENDING).update(
            queued_at=None
        )
        logger.warning(
            "broker unreachable, notification %s waits for the sweep: %s", notification_id, exc
        )


# --- Delivery -------------------------------------------------------------------------------


def channel_for(channel: str) -> Channel:
    """The provider for a channel, chosen by settings (dev outbox when none is configured).

    A new provider (brandname SMS, Zalo ZNS) is one module with a `send()` and one setting:
    SMS_GATEWAY_BACKEND / EMAIL_CHANNEL_BACKEND name its class.
    """
    if channel == NotificationChannel.EMAIL and settings.EMAIL_URL:
        path = getattr(
            settings,
            "EMAIL_CHANNEL_BACKEND",
            "dichvucong.notifications.channels.email.EmailChannel",
        )
    elif channel == NotificationChannel.SMS and settings.SMS_GATEWAY_URL:
        path = getattr(
            settings,
            "SMS_GATEWAY_BACKEND",
            "dichvucong.notifications.channels.sms_http.HttpJsonSmsChannel",
        )
    else:
        path = "dichvucong.notifications.channels.outbox.DevOutboxChannel"
    return import_string(path)()


def _claim(notification_id: int) -> Notification | None:
    """pending -> sending in one UPDATE: only one deliverer wins the row, for one lease."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).update(
        status=NotificationStatus.SENDING,
        next_attempt_at=now + sending_lease(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return Notification.objects.get(pk=notification_id)


def notification_deliver(*, notification_id: int) -> str | None:
    """Send one outbox row if it is due and nobody else holds it; returns its new status.

    None: nothing done (already sent, held by another deliverer, not due, cancelled).
    """
    notification = _claim(notification_id)
    if notification is None:
        return None
    mine = Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING)
    if notification.expires_at is not None and notification.expires_at <= timezone.now():
        mine.update(
            status=NotificationStatus.CANCELLED, last_error="expired before it could be sent"
        )
        return NotificationStatus.CANCELLED
    channel = channel_for(notification.channel)
    attempts = notification.attempts
    try:
        message_id = channel.send(
            to=notification.to,
            subject=notification.subject,
            body=notification.body,
            reference=reference_for(notification.pk),
        )
    except DeliveryError as exc:
        final = not exc.retry or attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        wait = max(backoff(attempts), dt.timedelta(seconds=exc.retry_after or 0))
        status = NotificationStatus.FAILED if final else NotificationStatus.PENDING
        mine.update(
            status=status,
            last_error=str(exc)[:2000],
            provider=channel.name,
            next_attempt_at=timezone.now() + wait,
            queued_at=None,
        )
        logger.warning(
            "notification %s via %s failed (attempt %s, %s): %s",
            notification.pk,
            channel.name,
            attempts,
            status,
            exc,
        )
        return status
    mine.update(
        status=NotificationStatus.SENT,
        provider=channel.name,
        provider_message_id=(message_id or "")[:128],
        sent_at=timezone.now(),
        last_error="",
    )
    return NotificationStatus.SENT


# --- The sweep ------------------------------------------------------------------------------


def notifications_recover(*, now: dt.datetime | None = None) -> int:
    """Rows left in "sending" past their lease: their deliverer died. Pending again (or
    failed when they used up their attempts), to be sent with the same reference."""
    now = now or timezone.now()
    stuck = Notification.objects.filter(status=NotificationStatus.SENDING, next_attempt_at__lte=now)
    failed = stuck.filter(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS).update(
        status=NotificationStatus.FAILED,
        last_error="the deliverer stopped while sending, too many times",
    )
    recovered = stuck.update(
        status=NotificationStatus.PENDING,
        queued_at=None,
        last_error="the deliverer stopped while sending; sent again with the same reference",
    )
    if failed or recovered:
        logger.warning("sweep: %s notifications recovered, %s failed", recovered, failed)
    return recovered


def notifications_due(*, limit: int = 500, now: dt.datetime | None = None) -> list[int]:
    """Ids of pending rows that are due and not with a deliverer (or with one for too long);
    marks them handed out now."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(
                Q(queued_at__isnull=True) | Q(queued_at__lte=now - requeue_after()),
                status=NotificationStatus.PENDING,
                next_attempt_at__lte=now,
            )
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(queued_at=now)
    return ids


def notifications_sweep(*, dispatch: Callable[[int], object], limit: int = 500) -> int:
    """Recover rows of dead deliverers, then hand every due row to `dispatch(id)`."""
    notifications_recover()
    ids = notifications_due(limit=limit)
    for pk in ids:
        dispatch(pk)
    return len(ids)


def notifications_deliver_due(*, limit: int = 200) -> int:
    """The sweep delivering in this process (embedded profile, `deliver_notifications`);
    returns how many were sent."""
    sent = 0

    def deliver(pk: int) -> None:
        nonlocal sent
        if notification_deliver(notification_id=pk) == NotificationStatus.SENT:
            sent += 1

    notifications_sweep(dispatch=deliver, limit=limit)
    return sent


# --- Administrators and people --------------------------------------------------------------


def notifications_cancel_pending(*, recipient, template: str) -> int:
    """Cancel messages of `template` to `recipient` not sent yet (a newer one replaces them)."""
    return Notification.objects.filter(
        recipient=recipient,
        template=template,
        status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED],
    ).update(status=NotificationStatus.CANCELLED, last_error="replaced by a newer message")


@transaction.atomic
def notification_resend(*, notification: Notification) -> bool:
    """The administrator's "Gửi lại" on a failed row: a fresh set of attempts, now."""
    resent = Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.FAILED
    ).update(
        status=NotificationStatus.PENDING,
        next_attempt_at=timezone.now(),
        queued_at=timezone.now(),
        attempts=0,
    )
    if resent:
        transaction.on_commit(lambda: notification_dispatch(notification_id=notification.pk))
    return bool(resent)


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of `user`'s own in-app messages read; False when it is not theirs."""
    mine = Notification.objects.filter(
        pk=notification_id, recipient=user, channel=NotificationChannel.INAPP
    )
    if not mine.exists():
        return False
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(
        recipient=user, channel=NotificationChannel.INAPP, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- The staff daily digest -----------------------------------------------------------------


@dataclass(frozen=True)
class DigestEntry:
    """One officer's digest: who, where to, and the template context (name, agency,
    due_soon, overdue: lists of {code, procedure, due})."""

    recipient: object
    to: str
    context: dict


def staff_digests_queue(*, on: dt.date, entries: Iterable[DigestEntry] | None = None) -> int:
    """Queue the day's digest email for every officer with something due soon or overdue.

    The entries come from NOTIFICATION_STAFF_DIGEST_SOURCE (a callable taking `on`); at most
    one digest per officer per day, however often this runs. Returns how many were queued.
    """
    if entries is None:
        entries = import_string(settings.NOTIFICATION_STAFF_DIGEST_SOURCE)(on=on)
    queued = 0
    for entry in entries:
        if not entry.to or not (entry.context.get("due_soon") or entry.context.get("overdue")):
            continue
        context = {
            "portal": settings.PORTAL_NAME,
            "hotline": settings.PORTAL_HOTLINE,
            "date": on.strftime("%d/%m/%Y"),
            **entry.context,
        }
        with transaction.atomic():
            created = notification_queue(
                recipient=entry.recipient,
                channel=NotificationChannel.EMAIL,
                to=entry.to,
                template="staff_digest",
                context=context,
                key=f"staff_digest:{on.isoformat()}:{getattr(entry.recipient, 'pk', entry.to)}",
            )
        queued += created is not None
    return queued
