"""Reads on the outbox: a person's notification centre, and what was sent to whom.

`deliveries_for` is for other apps' pages (the back office shows a dossier's delivery
status with it and the `notifications/deliveries.html` component); it knows no dossier.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Notification, NotificationChannel, NotificationStatus


def inbox_for(*, user) -> QuerySet[Notification]:
    """The in-app messages of `user` and of nobody else, newest first."""
    return (
        Notification.objects.filter(
            recipient=user, channel=NotificationChannel.INAPP, status=NotificationStatus.SENT
        )
        .only("id", "template", "body", "link", "created_at", "read_at", "reference")
        .order_by("-created_at", "-id")
    )


def unread_count(*, user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return inbox_for(user=user).filter(read_at__isnull=True).count()


def deliveries_for(
    *,
    recipient,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    reference: str | None = None,
    templates: Iterable[str] | None = None,
    channels: Iterable[str] = (NotificationChannel.EMAIL, NotificationChannel.SMS),
) -> QuerySet[Notification]:
    """What was sent to `recipient` (email and SMS by default), oldest first, with status,
    attempts, last error, provider message id and times, for staff pages.

    Narrow it with `since`/`until` (created between), `reference` (what the caller passed
    to notification_queue, e.g. a dossier code) and `templates` (e.g. the dossier events).
    A dossier page calls it as
    `deliveries_for(recipient=dossier.applicant, since=dossier.submitted_at,
    templates=[...dossier templates...])`.
    """
    queryset = Notification.objects.filter(recipient=recipient, channel__in=list(channels))
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    if until is not None:
        queryset = queryset.filter(created_at__lte=until)
    if reference is not None:
        queryset = queryset.filter(reference=reference)
    if templates is not None:
        queryset = queryset.filter(template__in=list(templates))
    return queryset.defer("body").order_by("created_at", "id")
