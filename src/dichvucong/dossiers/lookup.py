"""Public lookup (seeds §III, DESIGN §5): by dossier code, or by ID/passport number plus the
owner's date of birth. Shows only what is safe for anyone to see: procedure, agency, status,
dates, the status timeline, a masked name. Unknown code, unknown ID and wrong date of birth
answer exactly alike."""

import datetime as dt
import functools
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from dichvucong.core.db import fetch_all
from dichvucong.core.masking import mask_name
from dichvucong.core.ratelimit import Limit
from dichvucong.core.validators import parse_id_number

from . import lookuplog
from .models import Dossier, DossierEvent, LookupLog
from .workflow.statuses import Status

# What the page and the API say (unknown and mismatched queries get the same answer).
NOT_FOUND = gettext_lazy(
    "Không tìm thấy hồ sơ. Vui lòng kiểm tra lại mã hồ sơ, số giấy tờ hoặc ngày sinh."
)


INVALID_QUERY = gettext_lazy(
    "Vui lòng nhập mã hồ sơ (ví dụ 000.00.31.H10-261121-0007) hoặc số CMND (9 chữ số), "
    "CCCD (12 chữ số), hộ chiếu (1 chữ cái và 7 chữ số)."
)

_CODE = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4,}$")


def normalise_query(raw: str) -> str:
    return _SPACES.sub("", raw or "").upper()


_SPACES = re.compile(r"\s+")


def looks_like_code(query: str) -> bool:
    return bool(_CODE.match(query))


def query_hash(query: str) -> str:
    keyed = _keyed_hash(settings.SECRET_KEY).copy()  # the key's HMAC state, set up once
    keyed.update(query.encode())
    return keyed.hexdigest()


@functools.cache
def _keyed_hash(secret: str) -> hmac.HMAC:
    return hmac.new(secret.encode(), digestmod=hashlib.sha256)


@dataclass(frozen=True)
class PublicEvent:
    status: str
    at: dt.datetime


@dataclass(frozen=True)
class PublicDossier:
    """The only facts a public page may show about a dossier."""

    code: str
    procedure: str
    agency: str
    status: str
    status_label: str
    applicant: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    timeline: tuple[PublicEvent, ...]


_FIELDS = (
    "id",
    "code",
    "status",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "procedure_version__name",
    "agency__name",
    "applicant__kind",
    "applicant__full_name",
    "applicant__organisation_name",
)


def _rows(queryset) -> list[PublicDossier]:
    """Plain rows, two queries in all (dossiers, then their public events): the lookup is the
    busiest public page, so it builds no model instances."""
    rows = list(queryset.values(*_FIELDS))
    if not rows:
        return []
    timelines: dict[int, list[PublicEvent]] = {row["id"]: [] for row in rows}
    events = (
        DossierEvent.objects.filter(dossier_id__in=timelines, is_public=True, type="transition")
        .exclude(to_status="")
        .order_by("created_at", "id")
        .values_list("dossier_id", "to_status", "created_at")
    )
    for dossier_id, to_status, created_at in events:
        timelines[dossier_id].append(
            PublicEvent(status=_status_labels(get_language())[to_status], at=created_at)
        )
    return [_public(row, tuple(timelines[row["id"]])) for row in rows]


def _public(row: dict, timeline: tuple[PublicEvent, ...]) -> PublicDossier:
    return PublicDossier(
        code=row["code"],
        procedure=row["procedure_version__name"],
        agency=row["agency__name"],
        status=row["status"],
        status_label=_status_labels(get_language())[row["status"]],
        applicant=_applicant(
            row["applicant__kind"], row["applicant__full_name"], row["applicant__organisation_name"]
        ),
        submitted_at=row["submitted_at"],
        received_at=row["received_at"],
        due_at=row["due_at"],
        finished_at=row["finished_at"],
        returned_at=row["returned_at"],
        timeline=timeline,
    )


def _applicant(kind: str, full_name: str, organisation_name: str) -> str:
    """An organisation's own name; a person's masked."""
    if kind == "organisation" and organisation_name:
        return organisation_name
    return mask_name(full_name)


@functools.cache
def _by_code_sql() -> str:
    """One statement for the busiest public page: the dossier with its agency, procedure
    version and applicant, and its public status changes (one row each; none: one row with
    NULLs). Plain SQL because building the equivalent ORM queries cost more CPU than running
    them (bench/lookup.py); table and column names come from the models."""
    d, e = Dossier._meta, DossierEvent._meta
    version = d.get_field("procedure_version").related_model._meta
    agency = d.get_field("agency").related_model._meta
    user = d.get_field("applicant").related_model._meta
    return f"""
        SELECT d.id, d.code, d.status, d.submitted_at, d.received_at, d.due_at,
               d.finished_at, d.returned_at, v.name, a.name, u.kind, u.full_name,
               u.organisation_name, e.to_status, e.created_at
        FROM {d.db_table} d
        JOIN {version.db_table} v ON v.id = d.procedure_version_id
        JOIN {agency.db_table} a ON a.id = d.agency_id
        JOIN {user.db_table} u ON u.id = d.applicant_id
        LEFT JOIN {e.db_table} e ON e.dossier_id = d.id AND e.is_public
             AND e.type = 'transition' AND e.to_status <> ''
        WHERE d.code = %s AND d.status <> %s
        ORDER BY e.created_at, e.id"""  # noqa: S608 (names from the models, values as parameters)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """Raw rows: PostgreSQL gives aware datetimes, SQLite naive UTC ones."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def by_code(query: str) -> PublicDossier | None:
    return _from_code_rows(fetch_all(_by_code_sql(), [query, Status.DRAFT.value]))


def _from_code_rows(rows: list[tuple]) -> PublicDossier | None:
    """by_code()'s rows (the dossier's columns repeated on each of its public events) as the
    public facts; built field by field, as the busiest path."""
    if not rows:
        return None
    (_id, code, status, submitted, received, due, finished, returned) = rows[0][:8]
    procedure, agency, kind, full_name, organisation_name = rows[0][8:13]
    labels = _status_labels(get_language())
    return PublicDossier(
        code=code,
        procedure=procedure,
        agency=agency,
        status=status,
        status_label=labels[status],
        applicant=_applicant(kind, full_name, organisation_name),
        submitted_at=_aware(submitted),
        received_at=_aware(received),
        due_at=_aware(due),
        finished_at=_aware(finished),
        returned_at=_aware(returned),
        timeline=tuple(
            PublicEvent(labels[row[13]], _aware(row[14])) for row in rows if row[13] is not None
        ),
    )


@functools.cache
def _status_labels(language: str | None) -> dict[str, str]:
    """The statuses' labels in a language, translated once (a lookup shows several)."""
    return {status.value: str(status.label) for status in Status}


MAX_LISTED = 50


def by_id_and_birth_date(id_number: str, birth_date: dt.date | None) -> list[PublicDossier]:
    """A person's dossiers, only when the date of birth matches (or when the policy setting
    LOOKUP_ID_NEEDS_BIRTH_DATE is off)."""
    if settings.LOOKUP_ID_NEEDS_BIRTH_DATE and birth_date is None:
        return []
    owner = Q(applicant__kind="citizen", applicant__id_number=id_number)
    if settings.LOOKUP_ID_NEEDS_BIRTH_DATE:
        owner &= Q(applicant__birth_date=birth_date)
    dossiers = (
        Dossier.objects.exclude(status=Status.DRAFT)
        .filter(owner)
        .order_by("-submitted_at", "-id")[:MAX_LISTED]
    )
    return _rows(dossiers)


def is_id_number(query: str) -> bool:
    try:
        parse_id_number(query)
    except Exception:
        return False
    return True


def rate_limited(client_address: str) -> bool:
    """Count one lookup of this client (page and API share the counter); True when over
    LOOKUPS_PER_CLIENT_PER_MINUTE."""
    limit = Limit("lookup-client", settings.LOOKUPS_PER_CLIENT_PER_MINUTE, 60)
    return limit.hit_and_check(client_address)


@dataclass(frozen=True)
class LookupOutcome:
    """What a lookup found: `kind` is "code", "id", "ask_birth_date" (an ID number without
    the date of birth the policy asks for: asked whether the ID is known or not) or
    "invalid" (neither a code nor an ID number)."""

    kind: str
    results: list[PublicDossier]


def lookup_search(
    *, raw_query: str, birth_date: dt.date | None, client_address: str | None
) -> LookupOutcome:
    """The lookup of the page and of the API: decide what was typed, search, log."""
    query = normalise_query(raw_query)
    if looks_like_code(query):
        result = by_code(query)
        found = result is not None
        lookup_log(query=query, kind="code", found=found, client_address=client_address)
        return LookupOutcome("code", [result] if result else [])
    if is_id_number(query):
        if settings.LOOKUP_ID_NEEDS_BIRTH_DATE and birth_date is None:
            return LookupOutcome("ask_birth_date", [])
        results = by_id_and_birth_date(query, birth_date)
        lookup_log(query=query, kind="id", found=bool(results), client_address=client_address)
        return LookupOutcome("id", results)
    lookup_log(query=query, kind="invalid", found=False, client_address=client_address)
    return LookupOutcome("invalid", [])


def lookup_log(*, query: str, kind: str, found: bool, client_address: str | None) -> None:
    """The lookup's row in the log (a keyed hash of the query, never the query), written with
    others in a batch (dossiers.lookuplog)."""
    lookuplog.buffer.add((query_hash(query), kind, found, client_address, timezone.now()))


def lookup_log_purge(*, now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.LOOKUP_LOG_RETENTION_DAYS)
    deleted, _ = LookupLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted
