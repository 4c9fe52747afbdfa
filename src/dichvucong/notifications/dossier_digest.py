"""Where the officers' daily digest gets its dossiers (NOTIFICATION_STAFF_DIGEST_SOURCE).

The one place in this app that reads dossiers, and only through that setting: the digest
machinery (services.staff_digests_queue, the `staff_digest` template, the beat schedule) knows
no dossier. This function belongs with the dossiers' selectors; it lives here until that app
takes it over (then only the setting changes).

Who gets what: every active officer with an email in an agency that has open dossiers due
within NOTIFICATION_DIGEST_DUE_SOON_DAYS or overdue. Reception officers, leaders and agency
administrators see the whole agency; a handling officer sees the dossiers assigned to them.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .services import DigestEntry

# Statuses whose clock runs towards the appointment date.
OPEN_STATUSES = ("received", "processing", "awaiting_approval")
WHOLE_AGENCY_ROLES = {"reception", "leader", "agency_admin"}


def _item(dossier) -> dict:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "due": timezone.localtime(dossier.due_at).strftime("%d/%m/%Y"),
    }


def staff_digest_entries(*, on: dt.date) -> Iterator[DigestEntry]:
    from dichvucong.dossiers.models import Dossier

    now = timezone.now()
    if on != timezone.localdate(now):  # a digest for another day: count from its morning
        now = timezone.make_aware(dt.datetime.combine(on, dt.time(0, 0)))
    horizon = timezone.make_aware(
        dt.datetime.combine(
            on + dt.timedelta(days=settings.NOTIFICATION_DIGEST_DUE_SOON_DAYS + 1), dt.time(0, 0)
        )
    )
    dossiers = (
        Dossier.objects.filter(status__in=OPEN_STATUSES, due_at__lt=horizon)
        .select_related("procedure_version", "agency")
        .only(
            "id",
            "code",
            "due_at",
            "agency_id",
            "assignee_id",
            "procedure_version__name",
            "agency__name",
        )
        .order_by("due_at", "id")
    )
    by_agency: dict[int, list] = defaultdict(list)
    agencies = {}
    for dossier in dossiers:
        by_agency[dossier.agency_id].append(dossier)
        agencies[dossier.agency_id] = dossier.agency
    if not by_agency:
        return
    officers = (
        get_user_model()
        .objects.filter(kind="staff", is_active=True, agency_id__in=by_agency, email__isnull=False)
        .exclude(email="")
        .prefetch_related("staff_roles")
        .order_by("pk")
    )
    base = settings.PORTAL_BASE_URL.rstrip("/") + "/"
    for officer in officers:
        roles = {r.role for r in officer.staff_roles.all()}
        mine = [
            d
            for d in by_agency[officer.agency_id]
            if roles & WHOLE_AGENCY_ROLES or d.assignee_id == officer.pk
        ]
        overdue = [_item(d) for d in mine if d.due_at < now]
        due_soon = [_item(d) for d in mine if d.due_at >= now]
        if not (overdue or due_soon):
            continue
        yield DigestEntry(
            recipient=officer,
            to=officer.email,
            context={
                "name": officer.display_name,
                "agency": agencies[officer.agency_id].name,
                "due_soon": due_soon,
                "overdue": overdue,
                "link": base,
            },
        )
