"""Reads of the catalogue for the portal's pages (and, later, the API and the dossiers).

Each page's queries are fixed in number whatever the data (tests assert them): lists are
`select_related` on agency, field and current version; counts are annotated.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from . import search
from .models import Agency, AgencyLevel, AgencyNameHistory, Component, Field, Procedure
from .options import AgencyOption, FieldOption


def agencies_public() -> QuerySet[Agency]:
    """The agencies people submit to: active, below the province itself."""
    return (
        Agency.objects.filter(is_active=True).exclude(level=AgencyLevel.PROVINCE).order_by("name")
    )


def procedures_public() -> QuerySet[Procedure]:
    """Procedures shown on the portal: published, with a current version, of an active agency."""
    return Procedure.objects.filter(
        is_published=True, current_version__isnull=False, agency__is_active=True
    )


def home_summary() -> dict[str, object]:
    """What the home page shows: the number of procedures and the agencies with theirs."""
    public = Q(
        procedures__is_published=True,
        procedures__current_version__isnull=False,
    )
    agencies = list(
        agencies_public()
        .annotate(procedure_count=Count("procedures", filter=public))
        .only("id", "name", "code", "short_name")
    )
    return {
        "agencies": agencies,
        "procedure_count": sum(a.procedure_count for a in agencies),
    }


@dataclass(frozen=True)
class ProcedureFilters:
    """The catalogue's filters as they come from the URL (already validated)."""

    agency: "Agency | AgencyOption | None" = None
    field: "Field | FieldOption | None" = None
    level: int | None = None
    query: str = ""


LIST_COLUMNS = (
    "id",
    "name",
    "name_search",
    "national_code",
    "agency__id",
    "agency__name",
    "agency__code",
    "field__id",
    "field__name",
    "current_version__id",
    "current_version__level_3",
    "current_version__level_4",
    "current_version__processing_days",
)


def procedure_list(
    filters: ProcedureFilters, *, parsed: search.ParsedQuery | None = None
) -> QuerySet[Procedure]:
    """The public list, filtered, ordered by relevance when there is a query, else by name.

    Only the columns a row shows are read (not the long texts nor the form schema). `parsed`
    is `filters.query` already parsed (listing.py passes stand-ins for its words)."""
    procedures = (
        procedures_public().select_related("agency", "field", "current_version").only(*LIST_COLUMNS)
    )
    if filters.agency is not None:
        procedures = procedures.filter(agency_id=filters.agency.pk)
    if filters.field is not None:
        procedures = procedures.filter(field_id=filters.field.pk)
    if filters.level == 3:
        procedures = procedures.filter(current_version__level_3=True)
    elif filters.level == 4:
        procedures = procedures.filter(current_version__level_4=True)
    if filters.query:
        if parsed is None:
            parsed = search.parse_query(filters.query)
        return search.apply_parsed(procedures, parsed)
    return procedures.order_by(search.name_order(), "id")


def _field_options(queryset) -> list[FieldOption]:
    rows = queryset.values_list("id", "name", "agency_id", "agency__code")
    return [FieldOption(*row) for row in rows]


def fields_for_filter() -> list[FieldOption]:
    """Every active field of a public agency (the JSON that catalog.js loads once)."""
    return _field_options(
        Field.objects.filter(is_active=True, agency__is_active=True)
        .exclude(agency__level=AgencyLevel.PROVINCE)
        .order_by("agency__name", "position", "name")
    )


def fields_of_agency(agency: Agency) -> list[FieldOption]:
    """The 'Lĩnh vực' options once an agency is chosen."""
    return _field_options(
        Field.objects.filter(agency=agency, is_active=True).order_by("position", "name")
    )


def field_option(value: str | None) -> FieldOption | None:
    """The active field whose id is `value` (as typed in the URL), if any."""
    if not value or not str(value).isdigit() or len(str(value)) > 18:
        return None
    return next(iter(_field_options(Field.objects.filter(pk=value, is_active=True))), None)


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).select_related("merged_into").first()


def procedure_detail(pk: int) -> Procedure | None:
    """A public procedure with its current version and components (3 queries)."""
    return (
        procedures_public()
        .select_related("agency", "field", "current_version")
        .prefetch_related(
            Prefetch(
                "current_version__components",
                queryset=Component.objects.order_by("position", "id"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def agency_page(agency: Agency) -> list[tuple[Field, list[Procedure]]]:
    """An agency's fields, each with its public procedures (2 queries)."""
    fields = list(Field.objects.filter(agency=agency, is_active=True).order_by("position", "name"))
    procedures = (
        procedures_public()
        .filter(agency=agency)
        .select_related("agency", "field", "current_version")
        .only(*LIST_COLUMNS)
        .order_by(search.name_order(), "id")
    )
    by_field: dict[int, list[Procedure]] = {f.pk: [] for f in fields}
    for procedure in procedures:
        by_field.setdefault(procedure.field_id, []).append(procedure)
    return [(f, by_field[f.pk]) for f in fields if by_field.get(f.pk)]


def agency_name_at(agency: Agency, when: dt.datetime) -> str:
    """The name the agency carried at `when` (for records made before a rename)."""
    former = (
        AgencyNameHistory.objects.filter(agency=agency, valid_until__gt=when)
        .order_by("valid_until")
        .values_list("name", flat=True)
        .first()
    )
    return former or agency.name


def component_for_download(pk: int) -> Component | None:
    """A component whose template may be downloaded: it belongs to a published (or
    superseded: dossiers keep them) version of a published procedure."""
    return (
        Component.objects.filter(
            pk=pk,
            version__procedure__is_published=True,
            version__status__in=["published", "superseded"],
        )
        .exclude(template_file="")
        .select_related("version")
        .first()
    )
