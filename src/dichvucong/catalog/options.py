"""The catalogue's filter options ("Đơn vị", "Lĩnh vực"), read once per catalogue version.

Every request of the "Thủ tục hành chính" list needs the public agencies and the fields of the
chosen one; reading them costs two queries and building model instances (bench/catalogue.py).
They change only when an agency or a field is saved or deleted, so each process keeps them in
memory under the catalogue's version: a token in Django's default cache (shared by every app
server: Redis in production), replaced by `catalogue_changed()` whenever an agency or a field
is saved or deleted (catalog/signals.py). A request reads the token (one cache read), and
reloads the options only when the token is not the one its process loaded them under.

The token is replaced at once and again after the transaction commits: at once so that the
writing transaction's own next read sees its change, after commit so that a process which read
the old rows while the transaction was open does not keep them. It expires after
`VERSION_TIMEOUT`, which bounds how long a write that bypasses Django's models (SQL by hand,
a queryset's `.update()`) stays unseen. Not covered: a request that changes an agency or a field
and reads these options in the same transaction, which then rolls back, leaves its process with
the rolled-back options until the next change (no code path does both: the list only reads).
"""

import threading
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from .models import Agency, AgencyLevel, Field

VERSION_KEY = "catalog:options-version"
VERSION_TIMEOUT = 3600


@dataclass(frozen=True)
class AgencyOption:
    """A public agency as the filter and the list's heading need it."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class FieldOption:
    """A field as the filter needs it (plain tuples: a province has hundreds of fields)."""

    pk: int
    name: str
    agency_id: int
    agency_code: str


@dataclass(frozen=True)
class CatalogueOptions:
    """What the filter offers, as of one catalogue version."""

    version: str
    agencies: tuple[AgencyOption, ...]
    """Active agencies below the province, by name (the database's collation)."""
    agencies_by_code: dict[str, AgencyOption]
    fields_by_pk: dict[int, FieldOption]
    """Every active field, of any agency (a link may name one of an inactive agency)."""
    fields_by_agency: dict[int, tuple[FieldOption, ...]]
    """Each agency's active fields by position, then name."""


_kept: CatalogueOptions | None = None
_lock = threading.Lock()


def catalogue_version() -> str:
    """The current version token (a new one when the cache has none; with a cache that keeps
    nothing, a new one each time, so nothing is ever reused)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, VERSION_TIMEOUT)
        version = cache.get(VERSION_KEY)
    return version or uuid.uuid4().hex


def catalogue_options() -> CatalogueOptions:
    """The filter options of the current catalogue version (no query when this process has
    them already)."""
    global _kept
    version = catalogue_version()
    kept = _kept
    if kept is not None and kept.version == version:
        return kept
    with _lock:
        if _kept is not None and _kept.version == version:
            return _kept
        _kept = _load(version)
        return _kept


def _load(version: str) -> CatalogueOptions:
    agencies = tuple(
        AgencyOption(*row)
        for row in Agency.objects.filter(is_active=True)
        .exclude(level=AgencyLevel.PROVINCE)
        .order_by("name")
        .values_list("id", "code", "name")
    )
    fields = [
        FieldOption(*row)
        for row in Field.objects.filter(is_active=True)
        .order_by("agency_id", "position", "name")
        .values_list("id", "name", "agency_id", "agency__code")
    ]
    by_agency: dict[int, list[FieldOption]] = {}
    for field in fields:
        by_agency.setdefault(field.agency_id, []).append(field)
    return CatalogueOptions(
        version=version,
        agencies=agencies,
        agencies_by_code={agency.code: agency for agency in agencies},
        fields_by_pk={field.pk: field for field in fields},
        fields_by_agency={key: tuple(value) for key, value in by_agency.items()},
    )


def catalogue_changed(*, using: str | None = None) -> None:
    """Make every process reload the options: called when an agency or a field is saved or
    deleted (signals.py), now and once more after the transaction on `using` commits."""
    _bump()
    transaction.on_commit(_bump, using=using)


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, VERSION_TIMEOUT)
