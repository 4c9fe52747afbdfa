"""Every change to the catalogue: agencies (rename, merge), fields, procedures and versions.

Versioning (DESIGN §3–4): a procedure's content lives in `ProcedureVersion` rows. Editing a
published procedure means `procedure_version_draft` (a copy of the current version, components
included), changing the draft, then `procedure_version_publish`, which supersedes the previous
version in the same transaction. Published and superseded versions never change, so a dossier
keeps exactly the version (and declaration-form schema) it was received under.

Agencies are renamed with their former name kept in `AgencyNameHistory` (records of the time
show it through `selectors.agency_name_at`) and merged by moving procedures, fields, child
agencies and staff to the target, leaving the source inactive with `merged_into` set: dossiers
that point at the source keep their agency, code and name.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dichvucong.core.errors import ApplicationError
from dichvucong.core.text import clean_spaces, fold

from . import documents, search
from .formschema import validate_schema
from .models import (
    Agency,
    AgencyNameHistory,
    Component,
    ComponentKind,
    Field,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    component_template_path,
)

VERSION_CONTENT_FIELDS = (
    "name",
    "level_3",
    "level_4",
    "processing_days",
    "fee",
    "fee_text",
    "for_citizen",
    "for_organisation",
    "requirements",
    "legal_basis",
    "result",
    "steps",
    "channels",
    "keywords",
    "form_schema",
)
COMPONENT_FIELDS = ("position", "name", "kind", "quantity", "required", "template_file")


class CatalogError(ApplicationError):
    """A catalogue rule refused the change (message in Vietnamese)."""


# --- search columns -----------------------------------------------------------------------


def _search_columns(procedure: Procedure, version: ProcedureVersion) -> dict[str, str]:
    agency = procedure.agency
    return {
        "name": version.name,
        "name_search": search.normalise(version.name),
        "search_text": search.search_document(
            procedure.national_code,
            version.name,
            version.keywords,
            procedure.field.name,
            agency.name,
            agency.short_name,
        ),
    }


def procedure_reindex(*, procedure: Procedure) -> Procedure:
    """Recompute the copied name and the folded search columns from the current version."""
    version = procedure.current_version
    if version is None:
        return procedure
    for key, value in _search_columns(procedure, version).items():
        setattr(procedure, key, value)
    procedure.save(update_fields=["name", "name_search", "search_text"])
    return procedure


def catalogue_reindex(*, procedures: Iterable[Procedure] | None = None) -> int:
    """Reindex many procedures (after a rename, a merge or an abbreviation-table change)."""
    if procedures is None:
        procedures = Procedure.objects.exclude(current_version=None).select_related(
            "agency", "field", "current_version"
        )
    count = 0
    for procedure in procedures:
        procedure_reindex(procedure=procedure)
        count += 1
    return count


def _procedures_of(**filters: Any):
    return Procedure.objects.filter(**filters).select_related("agency", "field", "current_version")


# --- agencies -----------------------------------------------------------------------------


@transaction.atomic
def agency_rename(
    *,
    agency: Agency,
    name: str,
    short_name: str | None = None,
    note: str = "",
    when: dt.datetime | None = None,
) -> Agency:
    """Give an agency a new name; the former one is kept with the time it stopped being used."""
    name = clean_spaces(name)
    if not name:
        raise CatalogError(_("Vui lòng nhập tên mới của đơn vị."), field="name")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    new_short = agency.short_name if short_name is None else clean_spaces(short_name)
    if name == agency.name and new_short == agency.short_name:
        return agency
    AgencyNameHistory.objects.create(
        agency=agency,
        name=agency.name,
        short_name=agency.short_name,
        valid_until=when or timezone.now(),
        note=note,
    )
    agency.name = name
    agency.short_name = new_short
    agency.save(update_fields=["name", "short_name"])
    catalogue_reindex(procedures=_procedures_of(agency=agency))
    return agency


@dataclass
class MergeResult:
    target: Agency
    moved_procedures: int = 0
    moved_fields: int = 0
    merged_fields: int = 0
    moved_staff: int = 0
    moved_children: int = 0
    hidden_duplicates: list[Procedure] = field(default_factory=list)


@transaction.atomic
def agency_merge(*, source: Agency, target: Agency, when: dt.datetime | None = None) -> MergeResult:
    """Merge `source` into `target` (e.g. two departments joined by a reorganisation).

    Moves the source's fields (a field whose name the target already has is merged into the
    target's field), procedures, child agencies and staff accounts; marks the source inactive
    and `merged_into` the target. A procedure whose national code the target already publishes
    stays with the source, unpublished, and is reported in `hidden_duplicates`. Dossiers are not
    touched: they keep the source agency, its code and name.
    """
    if source.pk == target.pk:
        raise CatalogError(_("Không thể sáp nhập một đơn vị vào chính nó."))
    source, target = (
        Agency.objects.select_for_update().get(pk=source.pk),
        Agency.objects.select_for_update().get(pk=target.pk),
    )
    if not source.is_active or source.merged_into_id:
        raise CatalogError(_("Đơn vị %(name)s đã ngừng hoạt động.") % {"name": source.name})
    if not target.is_active:
        raise CatalogError(
            _("Không thể sáp nhập vào đơn vị đã ngừng hoạt động %(name)s.") % {"name": target.name}
        )
    ancestor = target.parent
    while ancestor is not None:
        if ancestor.pk == source.pk:
            raise CatalogError(_("Không thể sáp nhập một đơn vị vào đơn vị cấp dưới của nó."))
        ancestor = ancestor.parent
    result = MergeResult(target=target)
    target_fields = {fold(f.name): f for f in Field.objects.filter(agency=target)}
    target_codes = set(
        Procedure.objects.filter(agency=target)
        .exclude(national_code="")
        .values_list("national_code", flat=True)
    )
    for source_field in Field.objects.filter(agency=source):
        existing = target_fields.get(fold(source_field.name))
        if existing is None:
            source_field.agency = target
            source_field.save(update_fields=["agency"])
            target_fields[fold(source_field.name)] = source_field
            result.moved_fields += 1
        else:
            result.merged_fields += 1
        destination = existing or source_field
        for procedure in Procedure.objects.filter(agency=source, field=source_field):
            if procedure.national_code and procedure.national_code in target_codes:
                if existing is None:
                    # The source keeps its duplicate; it needs a field of its own agency.
                    raise CatalogError(
                        _(
                            "Thủ tục %(code)s có ở cả hai đơn vị; hãy gộp hoặc ẩn một thủ tục "
                            "trước khi sáp nhập."
                        )
                        % {"code": procedure.national_code}
                    )
                procedure.is_published = False
                procedure.save(update_fields=["is_published"])
                result.hidden_duplicates.append(procedure)
                continue
            procedure.agency = target
            procedure.field = destination
            procedure.save(update_fields=["agency", "field"])
            result.moved_procedures += 1
        if existing is not None and not Procedure.objects.filter(field=source_field).exists():
            source_field.is_active = False
            source_field.save(update_fields=["is_active"])
    result.moved_children = Agency.objects.filter(parent=source).update(parent=target)
    result.moved_staff = get_user_model().objects.filter(agency=source).update(agency=target)
    source.is_active = False
    source.merged_into = target
    source.merged_at = when or timezone.now()
    source.save(update_fields=["is_active", "merged_into", "merged_at"])
    catalogue_reindex(procedures=_procedures_of(agency=target))
    return result


# --- fields -------------------------------------------------------------------------------


@transaction.atomic
def field_create(*, agency: Agency, name: str, code: str = "", position: int = 0) -> Field:
    name = clean_spaces(name)
    if Field.objects.filter(agency=agency, name=name).exists():
        raise CatalogError(
            _("Đơn vị đã có lĩnh vực %(name)s.") % {"name": name}, field="name", code="duplicate"
        )
    return Field.objects.create(agency=agency, name=name, code=code, position=position)


@transaction.atomic
def field_update(*, field: Field, **changes: Any) -> Field:
    """Rename or reorder a field; its procedures are reindexed when the name changes."""
    renamed = "name" in changes and clean_spaces(changes["name"]) != field.name
    for key, value in changes.items():
        if key not in ("name", "code", "position", "is_active"):
            raise CatalogError(_("Không sửa được thuộc tính %(key)s.") % {"key": key})
        setattr(field, key, clean_spaces(value) if key == "name" else value)
    field.full_clean()
    field.save()
    if renamed:
        catalogue_reindex(procedures=_procedures_of(field=field))
    return field


# --- procedures and versions --------------------------------------------------------------


def _check_version(version: ProcedureVersion) -> None:
    try:
        version.full_clean(exclude=["procedure"])
    except ValidationError as error:
        raise CatalogError(" ".join(error.messages)) from error


def _check_schema(schema: Any) -> None:
    if schema in (None, {}):
        return
    try:
        validate_schema(schema)
    except ValidationError as error:
        raise CatalogError(
            _("Mẫu tờ khai chưa hợp lệ: %(problems)s") % {"problems": " ".join(error.messages)},
            field="form_schema",
            code="schema",
        ) from error


@transaction.atomic
def procedure_create(
    *,
    agency: Agency,
    field: Field,
    national_code: str = "",
    content: dict[str, Any],
    components: Iterable[dict[str, Any]] = (),
    actor=None,
    publish: bool = False,
) -> Procedure:
    """Create a procedure with its first version (a draft unless `publish`)."""
    if field.agency_id != agency.pk:
        raise CatalogError(_("Lĩnh vực không thuộc đơn vị đã chọn."), field="field")
    national_code = (national_code or "").strip()
    if (
        national_code
        and Procedure.objects.filter(agency=agency, national_code=national_code).exists()
    ):
        raise CatalogError(
            _("Đơn vị đã có thủ tục mã %(code)s.") % {"code": national_code},
            field="national_code",
            code="duplicate",
        )
    procedure = Procedure.objects.create(
        agency=agency, field=field, national_code=national_code, name=content.get("name", "")
    )
    unknown = set(content) - set(VERSION_CONTENT_FIELDS)
    if unknown:
        raise CatalogError(_("Thuộc tính không hợp lệ: %(keys)s.") % {"keys": ", ".join(unknown)})
    version = ProcedureVersion(procedure=procedure, number=1, created_by=actor, **content)
    _check_version(version)
    _check_schema(version.form_schema)
    version.save()
    for position, component in enumerate(components):
        component_add(version=version, position=position, **component)
    if publish:
        procedure_version_publish(version=version, actor=actor)
        procedure.refresh_from_db()
    return procedure


@transaction.atomic
def procedure_update(
    *,
    procedure: Procedure,
    field: Field | None = None,
    national_code: str | None = None,
    is_published: bool | None = None,
) -> Procedure:
    """Change what is not versioned: the field (within the agency), the code, visibility."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if field is not None:
        if field.agency_id != procedure.agency_id:
            raise CatalogError(_("Lĩnh vực không thuộc đơn vị của thủ tục."), field="field")
        procedure.field = field
    if national_code is not None:
        procedure.national_code = national_code.strip()
    if is_published is not None:
        procedure.is_published = is_published
    procedure.save(update_fields=["field", "national_code", "is_published"])
    return procedure_reindex(
        procedure=Procedure.objects.select_related("agency", "field", "current_version").get(
            pk=procedure.pk
        )
    )


@transaction.atomic
def procedure_version_draft(*, procedure: Procedure, actor=None) -> ProcedureVersion:
    """The draft to edit: the existing one, or a copy of the current version (components
    included; template files are shared, being never overwritten)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    existing = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing
    source = procedure.current_version
    if source is None:
        raise CatalogError(_("Thủ tục chưa có phiên bản nào để sao chép."))
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        status=VersionStatus.DRAFT,
        created_by=actor,
        **{name: getattr(source, name) for name in VERSION_CONTENT_FIELDS},
    )
    Component.objects.bulk_create(
        [
            Component(version=draft, **{name: getattr(c, name) for name in COMPONENT_FIELDS})
            for c in source.components.all()
        ]
    )
    return draft


def _require_draft(version: ProcedureVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise CatalogError(
            _(
                "Phiên bản %(number)s đã công bố nên không sửa được; hãy tạo phiên bản mới "
                "(bản nháp) rồi công bố."
            )
            % {"number": version.number},
            code="immutable",
        )


@transaction.atomic
def procedure_version_update(*, version: ProcedureVersion, **changes: Any) -> ProcedureVersion:
    """Change a draft's content; a published version refuses."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    unknown = set(changes) - set(VERSION_CONTENT_FIELDS) - {"note"}
    if unknown:
        raise CatalogError(_("Thuộc tính không hợp lệ: %(keys)s.") % {"keys": ", ".join(unknown)})
    for key, value in changes.items():
        setattr(version, key, value)
    _check_version(version)
    _check_schema(version.form_schema)
    version.save()
    return version


@transaction.atomic
def component_add(
    *,
    version: ProcedureVersion,
    name: str,
    kind: str = ComponentKind.ORIGINAL,
    quantity: int = 1,
    required: bool = True,
    position: int | None = None,
    template: str | None = None,
    template_file=None,
) -> Component:
    """Add a component to a draft. `template` (a file stem) generates a Word template."""
    _require_draft(version)
    if position is None:
        position = (version.components.aggregate(p=Max("position"))["p"] or 0) + 1
    component = Component(
        version=version,
        position=position,
        name=clean_spaces(name),
        kind=kind,
        quantity=quantity,
        required=required,
    )
    try:
        component.full_clean(exclude=["version", "template_file"])
    except ValidationError as error:
        raise CatalogError(" ".join(error.messages)) from error
    if template_file is not None:
        component.template_file = template_file
    component.save()
    if template and not component.template_file:
        component_template_generate(component=component, stem=template)
    return component


def _schema_for_component(component: Component) -> dict | None:
    """The declaration form printed in this component's template: the version's form when
    the component is that form (same title), else when it is the first templated component."""
    schema = component.version.form_schema
    if not schema:
        return None
    title = search.normalise(schema.get("title", ""))
    name = search.normalise(component.name)
    if title and (title in name or name in title):
        return schema
    first = component.version.components.exclude(template_file="").order_by("position").first()
    if first is None or first.pk == component.pk:
        return schema
    return None


def component_template_generate(*, component: Component, stem: str = "") -> Component:
    """Write a Word template for a draft component (see `documents`) into storage."""
    _require_draft(component.version)
    schema = _schema_for_component(component)
    version = component.version
    content = documents.docx_bytes(
        title=(schema or {}).get("title") or component.name,
        agency_name=version.procedure.agency.name,
        procedure_name=version.name,
        fields=(schema or {}).get("fields"),
    )
    # Named by content: generating the same template again reuses the stored file.
    digest = hashlib.sha256(content).hexdigest()[:12]
    stem = slugify(stem or fold(component.name))[:80] or "mau"
    name = component_template_path(component, f"{stem}-{digest}.docx")
    storage = component.template_file.storage
    if not storage.exists(name):
        name = storage.save(name, ContentFile(content))
    component.template_file.name = name
    component.save(update_fields=["template_file"])
    return component


@transaction.atomic
def procedure_version_publish(*, version: ProcedureVersion, actor=None) -> ProcedureVersion:
    """Publish a draft: it becomes the current version; the previous one is superseded."""
    procedure = (
        Procedure.objects.select_for_update()
        .select_related("agency", "field")
        .get(pk=version.procedure_id)
    )
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    _check_version(version)
    _check_schema(version.form_schema)
    now = timezone.now()
    previous = procedure.current_version
    if previous is not None and previous.status == VersionStatus.PUBLISHED:
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at"])
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = actor
    version.save()
    procedure.current_version = version
    for key, value in _search_columns(procedure, version).items():
        setattr(procedure, key, value)
    procedure.save(update_fields=["current_version", "name", "name_search", "search_text"])
    return version


@transaction.atomic
def procedure_version_discard(*, version: ProcedureVersion) -> None:
    """Throw a draft away (its components with it)."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    version.components.all().delete()
    version.delete()
