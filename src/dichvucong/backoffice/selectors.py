"""Reads for the back office: the inbox of an agency, filtered for the officer's role."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from dichvucong.core.calendar import WorkingCalendar, end_of_day
from dichvucong.core.text import fold
from dichvucong.core.validators import normalise_id_number
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.workflow.statuses import OPEN, Status

# What each role has to act on ("Việc cần làm").
ROLE_QUEUES = {
    "reception": [Status.SUBMITTED, Status.RESOLVED, Status.NOT_RESOLVED],
    "handler": [Status.RECEIVED, Status.PROCESSING],
    "leader": [Status.AWAITING_APPROVAL],
    "agency_admin": [],
}
DUE_SOON_WORKING_DAYS = 2


def staff_roles(user) -> set[str]:
    return set(user.staff_roles.values_list("role", flat=True))


def agency_dossiers(user) -> QuerySet[Dossier]:
    """Everything of the officer's agency that has been submitted (never drafts)."""
    return Dossier.objects.filter(agency_id=user.agency_id).exclude(status=Status.DRAFT)


def status_counts(user) -> dict[str, int]:
    # COUNT(*): read from the (agency, status, due_at) index alone, without visiting the rows.
    rows = agency_dossiers(user).values("status").annotate(n=Count("*"))
    return {row["status"]: row["n"] for row in rows}


def due_soon_limit(now: dt.datetime | None = None) -> dt.datetime:
    today = timezone.localtime(now or timezone.now()).date()
    calendar = WorkingCalendar(today, today + dt.timedelta(days=30))
    return end_of_day(calendar.add(today, DUE_SOON_WORKING_DAYS))


def inbox(
    *,
    user,
    roles: set[str],
    mine: bool = True,
    status: str = "",
    field_id: int | None = None,
    procedure_id: int | None = None,
    due: str = "",
    query: str = "",
    order: str = "due",
) -> QuerySet[Dossier]:
    dossiers = agency_dossiers(user).select_related(
        "procedure_version", "applicant", "assignee", "procedure"
    )
    if mine and not status:
        queue = Q(status__in=[s for r in roles for s in ROLE_QUEUES.get(r, [])])
        if "handler" in roles:
            # a handler's processing dossiers are those assigned to them
            queue &= ~Q(status=Status.PROCESSING) | Q(assignee=user)
        dossiers = dossiers.filter(queue)
    if status:
        dossiers = dossiers.filter(status=status)
    if field_id:
        dossiers = dossiers.filter(procedure__field_id=field_id)
    if procedure_id:
        dossiers = dossiers.filter(procedure_id=procedure_id)
    now = timezone.now()
    if due == "overdue":
        dossiers = dossiers.filter(status__in=OPEN, due_at__lt=now, paused_at__isnull=True)
    elif due == "soon":
        dossiers = dossiers.filter(
            status__in=OPEN, due_at__gte=now, due_at__lte=due_soon_limit(now)
        )
    query = (query or "").strip()
    if query:
        id_number = normalise_id_number(query)
        dossiers = dossiers.filter(
            Q(code__iexact=query)
            | Q(code__startswith=query.upper())
            | Q(applicant__id_number=id_number)
            | Q(applicant__tax_code=query)
            | Q(applicant__full_name__icontains=query)
            | Q(applicant__organisation_name__icontains=query)
            | Q(applicant__full_name__icontains=fold(query))
        )
    if order == "submitted":
        return dossiers.order_by("submitted_at", "id")
    return dossiers.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "id")


def handlers_of(agency_id: int):
    from dichvucong.accounts.models import User

    return (
        User.objects.filter(agency_id=agency_id, is_active=True, staff_roles__role="handler")
        .order_by("full_name")
        .distinct()
    )


def staff_dossier(*, user, pk: int) -> Dossier | None:
    return (
        agency_dossiers(user)
        .filter(pk=pk)
        .select_related("procedure_version", "applicant", "assignee", "agency", "procedure")
        .prefetch_related("attachments__component", "events__actor")
        .first()
    )


def staff_attachment(*, user, pk: int):
    """A file of a submitted dossier of the officer's agency (None for anything else)."""
    from dichvucong.dossiers.models import Attachment

    return (
        Attachment.objects.select_related("dossier")
        .filter(pk=pk, dossier__agency_id=user.agency_id)
        .exclude(dossier__status=Status.DRAFT)
        .first()
    )
