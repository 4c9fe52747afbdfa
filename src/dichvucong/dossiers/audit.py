"""One helper per audit event (STYLE: audit by construction)."""

from .models import AccessKind, DossierAccess


def record_staff_view(*, user, dossier, client_address: str | None) -> None:
    DossierAccess.objects.create(
        dossier=dossier, user=user, kind=AccessKind.VIEW, client_address=client_address
    )


def record_file_access(*, user, attachment, inline: bool, client_address: str | None) -> None:
    DossierAccess.objects.create(
        dossier_id=attachment.dossier_id,
        user=user,
        kind=AccessKind.PREVIEW if inline else AccessKind.DOWNLOAD,
        attachment=attachment,
        client_address=client_address,
    )


def record_slip(*, user, dossier, kind: str, client_address: str | None) -> None:
    DossierAccess.objects.create(
        dossier=dossier, user=user, kind=AccessKind.SLIP, detail=kind, client_address=client_address
    )
