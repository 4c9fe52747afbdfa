"""Messages to the applicant about their dossier, by the channels they chose (profile), plus
the in-app notice. Called inside the transaction of the change they announce."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dichvucong.notifications.services import notification_queue


def dossier_context(dossier, **extra) -> dict:
    version = dossier.procedure_version
    due = timezone.localtime(dossier.due_at) if dossier.due_at else None
    return {
        "name": dossier.applicant.display_name,
        "code": dossier.code or "",
        "procedure": version.name,
        "agency": dossier.agency.name,
        "status": dossier.get_status_display(),
        "level": dossier.level,
        "processing_days": version.processing_days,
        "due": due.strftime("%d/%m/%Y") if due else "",
        "link": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("dossiers:detail", kwargs={"pk": dossier.pk}),
        "portal": settings.PORTAL_NAME,
        "hotline": settings.PORTAL_HOTLINE,
        **extra,
    }


def notify_applicant(*, dossier, template: str, extra: dict | None = None) -> None:
    applicant = dossier.applicant
    context = dossier_context(dossier, **(extra or {}))
    if applicant.notify_by_email and applicant.email:
        notification_queue(
            recipient=applicant,
            channel="email",
            to=applicant.email,
            template=template,
            context=context,
            reference=dossier.code or "",
        )
    if applicant.notify_by_sms and applicant.phone:
        notification_queue(
            recipient=applicant,
            channel="sms",
            to=applicant.phone,
            template=template,
            context=context,
            reference=dossier.code or "",
        )
    notification_queue(
        recipient=applicant,
        channel="inapp",
        to=applicant.username,
        template=template,
        context=context,
        reference=dossier.code or "",
    )
