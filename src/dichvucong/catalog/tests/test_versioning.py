"""Versions (DESIGN §3–4): a published version never changes; editing drafts a new version;
publishing supersedes the previous one; what a dossier points at stays as it was."""

import pytest
from django.db import IntegrityError, transaction

from dichvucong.catalog import selectors, services
from dichvucong.catalog.models import (
    Component,
    Procedure,
    ProcedureVersion,
    PublishedVersionImmutable,
    VersionStatus,
)
from dichvucong.catalog.services import CatalogError

from .factories import make_procedure

SCHEMA = {
    "title": "Tờ khai",
    "fields": [{"name": "ho_ten", "type": "text", "label": "Họ và tên", "required": True}],
}

pytestmark = pytest.mark.django_db


def test_create_and_publish_first_version(catalogue):
    procedure = catalogue.giay_phep
    version = procedure.current_version
    assert version.number == 1
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_at is not None
    assert procedure.name == version.name
    assert (
        procedure.name_search
        == "cap giay phep lao dong cho nguoi lao dong nuoc ngoai lam viec tai viet nam"
    )


def test_draft_is_not_public_until_published(catalogue):
    draft_only = make_procedure(
        catalogue.ldtbxh, catalogue.viec_lam, "Thủ tục mới soạn", code="9.000001", publish=False
    )
    assert draft_only.current_version is None
    assert selectors.procedure_detail(draft_only.pk) is None
    version = draft_only.versions.get()
    services.procedure_version_publish(version=version)
    assert selectors.procedure_detail(draft_only.pk).current_version == version


def test_published_version_refuses_changes_through_the_service(catalogue):
    version = catalogue.giay_phep.current_version
    with pytest.raises(CatalogError) as error:
        services.procedure_version_update(version=version, processing_days=1)
    assert "đã công bố nên không sửa được" in error.value.message
    version.refresh_from_db()
    assert version.processing_days == 5


def test_published_version_refuses_direct_saves_and_deletes(catalogue):
    """Even code that bypasses the services cannot change a published version."""
    version = ProcedureVersion.objects.get(pk=catalogue.giay_phep.current_version_id)
    version.fee = 1
    with pytest.raises(PublishedVersionImmutable):
        version.save()
    with pytest.raises(PublishedVersionImmutable):
        version.save(update_fields=["fee"])
    with pytest.raises(PublishedVersionImmutable):
        version.delete()
    component = version.components.first()
    component.name = "Khác"
    with pytest.raises(PublishedVersionImmutable):
        component.save()
    with pytest.raises(PublishedVersionImmutable):
        component.delete()
    with pytest.raises(CatalogError):
        services.component_add(version=version, name="Thêm giấy tờ")
    assert ProcedureVersion.objects.get(pk=version.pk).fee == 600000


def test_editing_drafts_a_copy_and_publishing_supersedes(catalogue):
    procedure = catalogue.giay_phep
    first = procedure.current_version
    draft = services.procedure_version_draft(procedure=procedure)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert draft.name == first.name
    assert draft.fee == first.fee
    assert [c.name for c in draft.components.all()] == [c.name for c in first.components.all()]
    # asking again gives the same draft, not a third version
    assert services.procedure_version_draft(procedure=procedure) == draft

    services.procedure_version_update(
        version=draft,
        name="Cấp giấy phép lao động (sửa đổi)",
        processing_days=3,
        form_schema=SCHEMA,
    )
    services.component_add(version=draft, name="Phiếu lý lịch tư pháp", kind="certified_copy")
    services.procedure_version_publish(version=draft)

    procedure.refresh_from_db()
    first.refresh_from_db()
    draft.refresh_from_db()
    assert procedure.current_version == draft
    assert procedure.name == "Cấp giấy phép lao động (sửa đổi)"
    assert draft.status == VersionStatus.PUBLISHED
    assert first.status == VersionStatus.SUPERSEDED
    assert first.superseded_at is not None
    # the old version, as a dossier received under it sees it, is unchanged
    assert first.processing_days == 5
    assert first.form_schema is None
    assert first.components.count() == 1
    assert draft.components.count() == 2
    # the public page shows the new one
    assert selectors.procedure_detail(procedure.pk).current_version.processing_days == 3


def test_a_published_version_cannot_be_published_again(catalogue):
    with pytest.raises(CatalogError):
        services.procedure_version_publish(version=catalogue.giay_phep.current_version)


def test_publishing_checks_the_schema(catalogue):
    draft = services.procedure_version_draft(procedure=catalogue.giay_phep)
    # a bad schema cannot be saved through the service ...
    with pytest.raises(CatalogError) as error:
        services.procedure_version_update(version=draft, form_schema={"title": "T", "fields": []})
    assert "Mẫu tờ khai chưa hợp lệ" in error.value.message
    # ... and one written behind its back is refused at publishing
    ProcedureVersion.objects.filter(pk=draft.pk).update(form_schema={"title": "", "fields": 1})
    with pytest.raises(CatalogError):
        services.procedure_version_publish(version=draft)
    assert Procedure.objects.get(pk=catalogue.giay_phep.pk).current_version.number == 1


def test_content_rules_are_checked(catalogue):
    draft = services.procedure_version_draft(procedure=catalogue.giay_phep)
    with pytest.raises(CatalogError) as error:
        services.procedure_version_update(version=draft, level_3=False, level_4=False)
    assert "Chọn ít nhất một mức độ" in error.value.message
    with pytest.raises(CatalogError) as error:
        services.procedure_version_update(version=draft, for_citizen=False, for_organisation=False)
    assert "Chọn ít nhất một đối tượng được nộp" in error.value.message
    with pytest.raises(CatalogError):
        services.procedure_version_update(version=draft, agency=catalogue.ngoaivu)


def test_database_keeps_one_draft_and_one_published_version(catalogue):
    procedure = catalogue.giay_phep
    services.procedure_version_draft(procedure=procedure)
    current = procedure.current_version
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProcedureVersion.objects.create(
            procedure=procedure, number=9, name="x", processing_days=1, status=VersionStatus.DRAFT
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProcedureVersion.objects.create(
            procedure=procedure,
            number=10,
            name="x",
            processing_days=1,
            status=VersionStatus.PUBLISHED,
        )
    assert current.status == VersionStatus.PUBLISHED


def test_discarding_a_draft(catalogue):
    draft = services.procedure_version_draft(procedure=catalogue.giay_phep)
    services.procedure_version_discard(version=draft)
    assert not ProcedureVersion.objects.filter(pk=draft.pk).exists()
    assert not Component.objects.filter(version_id=draft.pk).exists()
    with pytest.raises(CatalogError):
        services.procedure_version_discard(version=catalogue.giay_phep.current_version)


def test_procedure_codes_are_unique_per_agency(catalogue):
    with pytest.raises(CatalogError) as error:
        make_procedure(catalogue.ldtbxh, catalogue.viec_lam, "Trùng mã", code="1.000105")
    assert error.value.message == "Đơn vị đã có thủ tục mã 1.000105."
    # a commune-level code may repeat in another agency
    other = make_procedure(catalogue.ngoaivu, catalogue.hoi_nghi, "Cùng mã", code="1.000105")
    assert other.national_code == "1.000105"


def test_field_must_belong_to_the_agency(catalogue):
    with pytest.raises(CatalogError):
        make_procedure(catalogue.ngoaivu, catalogue.viec_lam, "Sai lĩnh vực", code="9.000002")
    with pytest.raises(CatalogError):
        services.procedure_update(procedure=catalogue.giay_phep, field=catalogue.hoi_nghi)


def test_moving_to_another_field_and_renaming_a_field_reindex(catalogue):
    services.procedure_update(procedure=catalogue.giay_phep, field=catalogue.atvsld)
    assert catalogue.giay_phep.name in [
        p.name for p in selectors.procedure_list(selectors.ProcedureFilters(field=catalogue.atvsld))
    ]
    services.field_update(field=catalogue.hoi_nghi, name="Hợp tác quốc tế về hội nghị")
    assert catalogue.hoi_thao.name in [
        p.name
        for p in selectors.procedure_list(
            selectors.ProcedureFilters(query="hop tac quoc te ve hoi")
        )
    ]
