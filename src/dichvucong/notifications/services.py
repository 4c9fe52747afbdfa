"""The outbox: queue a message inside the caller's transaction; deliver it after commit.

Knows no dossier and no page: callers hand it a recipient, an address, a template name and a
context. Delivery claims the row first (pending -> sending) so a second delivery of the same
row never sends twice; failures are retried with exponential backoff up to
NOTIFICATION_MAX_ATTEMPTS, then the row is "failed" for an administrator to resend.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from dichvucong.core.text import without_diacritics

from .channels.base import DeliveryError
from .channels.email import EmailChannel
from .channels.outbox import DevOutboxChannel
from .channels.sms_http import HttpJsonSmsChannel
from .models import Notification, NotificationChannel, NotificationStatus

logger = logging.getLogger(__name__)

SENDING_TIMEOUT = dt.timedelta(minutes=10)


def render_message(*, template: str, channel: str, context: dict) -> tuple[str, str]:
    """Subject and body of `notifications/messages/<template>.<channel>.txt`.

    An email template's first line is the subject; SMS and in-app have none.
    """
    text = render_to_string(f"notifications/messages/{template}.{channel}.txt", context).strip()
    subject = ""
    if channel == NotificationChannel.EMAIL:
        first, _, rest = text.partition("\n")
        subject, text = first.strip(), rest.strip()
    if channel == NotificationChannel.SMS and settings.SMS_WITHOUT_DIACRITICS:
        text = without_diacritics(text)
    return subject, text


def notification_queue(
    *, recipient, channel: str, to: str, template: str, context: dict, expires_at=None
):
    """Write the outbox row now (in the caller's transaction); deliver once it commits.

    `expires_at`: a message that is worthless later (a one-time code) is never sent after it.
    """
    subject, body = render_message(template=template, channel=channel, context=context)
    notification = Notification.objects.create(
        recipient=recipient,
        channel=channel,
        to=to,
        template=template,
        subject=subject,
        body=body,
        expires_at=expires_at,
    )
    transaction.on_commit(lambda: notification_deliver(notification_id=notification.pk))
    return notification


def channel_for(channel: str):
    if channel == NotificationChannel.EMAIL:
        return EmailChannel() if settings.EMAIL_URL else DevOutboxChannel()
    if channel == NotificationChannel.SMS:
        return HttpJsonSmsChannel() if settings.SMS_GATEWAY_URL else DevOutboxChannel()
    return DevOutboxChannel()


def _claim(notification_id: int) -> Notification | None:
    """pending -> sending in one UPDATE: only one deliverer wins the row."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).update(status=NotificationStatus.SENDING, next_attempt_at=now + SENDING_TIMEOUT)
    if not claimed:
        return None
    return Notification.objects.get(pk=notification_id)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes, at most an hour."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def notification_deliver(*, notification_id: int) -> str | None:
    """Send one outbox row if it is due and nobody else is sending it; returns its new status."""
    notification = _claim(notification_id)
    if notification is None:
        return None
    if notification.expires_at is not None and notification.expires_at <= timezone.now():
        Notification.objects.filter(pk=notification.pk).update(
            status=NotificationStatus.CANCELLED, last_error="expired before it could be sent"
        )
        return NotificationStatus.CANCELLED
    channel = channel_for(notification.channel)
    attempts = notification.attempts + 1
    try:
        message_id = channel.send(
            to=notification.to,
            subject=notification.subject,
            body=notification.body,
            reference=f"dvc-notification-{notification.pk}",
        )
    except DeliveryError as exc:
        final = not exc.retry or attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        status = NotificationStatus.FAILED if final else NotificationStatus.PENDING
        Notification.objects.filter(pk=notification.pk).update(
            status=status,
            attempts=attempts,
            last_error=str(exc)[:2000],
            provider=channel.name,
            next_attempt_at=timezone.now() + backoff(attempts),
        )
        logger.warning(
            "notification %s via %s failed (attempt %s): %s",
            notification.pk,
            channel.name,
            attempts,
            exc,
        )
        return status
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENT,
        attempts=attempts,
        provider=channel.name,
        provider_message_id=message_id[:128],
        sent_at=timezone.now(),
        last_error="",
    )
    return NotificationStatus.SENT


def notifications_deliver_due(*, limit: int = 200) -> int:
    """The sweep: send what is due (retries) and release rows stuck in "sending"."""
    now = timezone.now()
    Notification.objects.filter(status=NotificationStatus.SENDING, next_attempt_at__lte=now).update(
        status=NotificationStatus.PENDING
    )
    due = list(
        Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(
        1 for pk in due if notification_deliver(notification_id=pk) == NotificationStatus.SENT
    )


def notifications_cancel_pending(*, recipient, template: str) -> int:
    """Cancel messages of `template` to `recipient` not sent yet (a newer one replaces them)."""
    return Notification.objects.filter(
        recipient=recipient,
        template=template,
        status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED],
    ).update(status=NotificationStatus.CANCELLED, last_error="replaced by a newer message")


@transaction.atomic
def notification_resend(*, notification: Notification) -> None:
    """The administrator's "Gửi lại" on a failed row."""
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    transaction.on_commit(lambda: notification_deliver(notification_id=notification.pk))
