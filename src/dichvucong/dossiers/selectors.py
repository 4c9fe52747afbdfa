"""Reads on dossiers: who may see what (DESIGN §5), and the applicant's list."""

from django.db.models import Prefetch, QuerySet

from .models import Attachment, Dossier, DossierEvent
from .workflow.statuses import Status


def dossiers_of_applicant(*, user, status: str | None = None) -> QuerySet[Dossier]:
    """ "Hồ sơ của bạn": newest first, with what the list shows in the same query."""
    queryset = (
        Dossier.objects.filter(applicant=user)
        .select_related("procedure_version", "agency")
        .only(
            "id",
            "code",
            "status",
            "level",
            "version",
            "procedure_id",
            "created_at",
            "submitted_at",
            "due_at",
            "procedure_version__name",
            "procedure_version__processing_days",
            "agency__name",
        )
        .order_by("-created_at", "-id")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def can_view_dossier(*, user, dossier: Dossier) -> bool:
    """The applicant, or staff of the dossier's agency. Nobody else (404 for them)."""
    if not user.is_authenticated:
        return False
    if dossier.applicant_id == user.pk:
        return True
    return (
        user.kind == "staff" and user.agency_id is not None and user.agency_id == dossier.agency_id
    )


def dossier_for_applicant(*, user, pk: int) -> Dossier | None:
    return (
        Dossier.objects.filter(pk=pk, applicant=user)
        .select_related("procedure_version", "agency", "procedure")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("component").order_by(
                    "round", "uploaded_at", "id"
                ),
            ),
            Prefetch("events", queryset=DossierEvent.objects.order_by("created_at", "id")),
        )
        .first()
    )


def attachment_for(*, user, pk: int) -> Attachment | None:
    attachment = Attachment.objects.select_related("dossier").filter(pk=pk).first()
    if attachment is None or not can_view_dossier(user=user, dossier=attachment.dossier):
        return None
    return attachment


def last_supplement_request(dossier: Dossier) -> DossierEvent | None:
    return (
        dossier.events.filter(to_status=Status.SUPPLEMENT_REQUESTED).order_by("-created_at").first()
    )


STATUS_FILTERS = [(s.value, s.label) for s in Status]
