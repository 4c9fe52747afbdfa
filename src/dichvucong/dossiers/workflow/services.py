"""`dossier_transition()`: the one function that changes a dossier's status.

It locks the row, checks the transition table, the actor's right (the applicant for their own
dossier; staff for their agency with the role), and the version the actor saw; then it applies
the change, appends the event and queues the applicant's notifications, all in one transaction.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dichvucong.core.errors import ApplicationError

from ..models import Dossier, DossierEvent, EventType
from ..notify import notify_applicant
from .statuses import Actor, Status
from .transitions import TRANSITIONS

STALE_MESSAGE = gettext_noop(
    "Hồ sơ đã được cập nhật bởi người khác. Vui lòng tải lại trang và kiểm tra."
)

# What each transition stamps on the dossier.
TIMESTAMPS = {
    Status.SUBMITTED: "submitted_at",
    Status.RECEIVED: "received_at",
    Status.RESOLVED: "finished_at",
    Status.NOT_RESOLVED: "finished_at",
    Status.RETURNED: "returned_at",
}


def actor_roles(*, user, dossier: Dossier) -> set[str]:
    """The workflow roles `user` holds on `dossier` (empty: none, so no access)."""
    if user is None or not user.is_authenticated:
        return set()
    if dossier.applicant_id == user.pk:
        return {Actor.APPLICANT}
    if user.kind == "staff" and user.agency_id == dossier.agency_id:
        return {r for r in user.staff_roles.values_list("role", flat=True) if r in Actor.values}
    return set()


def dossier_transition(
    *,
    dossier_id: int,
    name: str,
    user,
    expected_version: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    apply: Callable[[Dossier], None] | None = None,
    notify_template: str | None = None,
    notify_extra: dict[str, Any] | None = None,
    client_address: str | None = None,
) -> Dossier:
    """Move a dossier along the transition `name` on behalf of `user`.

    `apply` makes the transition's own changes on the locked row (code, due date, files…)
    before it is saved; it may raise ApplicationError to refuse, and nothing is written.
    """
    transition = TRANSITIONS[name]
    with transaction.atomic():
        dossier = (
            # Only the dossier row is locked: locking the joined agency, version and applicant
            # made every submission to an agency queue on its row (and deadlock; bench/).
            Dossier.objects.select_for_update(of=("self",))
            .select_related("agency", "procedure_version", "applicant")
            .get(pk=dossier_id)
        )
        roles = actor_roles(user=user, dossier=dossier) & transition.actors
        if not roles:
            raise ApplicationError(
                _("Bạn không có quyền thực hiện thao tác này."), code="forbidden"
            )
        if expected_version is not None and expected_version != dossier.version:
            raise ApplicationError(_(STALE_MESSAGE), code="stale")
        if dossier.status not in transition.source:
            raise ApplicationError(
                _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
                % {"action": transition.label, "status": dossier.get_status_display()},
                code="invalid_transition",
            )
        now = timezone.now()
        from_status = dossier.status
        if apply is not None:
            apply(dossier)
        dossier.status = transition.target
        stamp = TIMESTAMPS.get(transition.target)
        if stamp:
            setattr(dossier, stamp, now)
        dossier.version += 1
        dossier.save()
        DossierEvent.objects.create(
            dossier=dossier,
            type=EventType.TRANSITION,
            action=name,
            from_status=from_status,
            to_status=transition.target,
            actor=user,
            actor_role=sorted(roles)[0],
            created_at=now,
            note=note,
            data=data if data is not None else {},
            client_address=client_address,
        )
        if notify_template:
            notify_applicant(
                dossier=dossier,
                template=notify_template,
                extra={"note": note, **(notify_extra or {})},
            )
    return dossier
