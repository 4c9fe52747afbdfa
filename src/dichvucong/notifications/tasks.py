"""Celery tasks: thin wrappers that call the services (STYLE §5).

Delivery is safe to run twice (the service claims the row first), so the tasks are acked
late and rejected back to the queue when a worker dies (settings: task_acks_late,
task_reject_on_worker_lost). Retries are not Celery retries: a failed attempt puts the row
back with its next attempt time and the sweep hands it out again, so a retry survives a
broker restart as well as a worker's.
"""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="notifications.deliver", ignore_result=True)
def deliver_notification(notification_id: int) -> str | None:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep_notifications() -> int:
    """Every NOTIFICATION_SWEEP_SECONDS (beat): recover rows of dead workers, re-queue due ones."""
    return services.notifications_sweep(
        dispatch=lambda pk: services.notification_dispatch(notification_id=pk)
    )


@shared_task(name="notifications.staff_digest", ignore_result=True)
def send_staff_digests() -> int:
    """Every morning (beat): the officers' digest of dossiers due soon or overdue."""
    return services.staff_digests_queue(on=timezone.localdate())
