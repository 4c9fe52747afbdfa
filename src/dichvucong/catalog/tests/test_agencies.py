"""Agencies are renamed and merged without losing history (DESIGN §3)."""

import datetime as dt

import pytest
from django.utils import timezone

from dichvucong.accounts.models import User
from dichvucong.catalog import selectors, services
from dichvucong.catalog.models import Agency, AgencyNameHistory, Field, Procedure
from dichvucong.catalog.services import CatalogError

from .factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db


def names(query: str) -> set[str]:
    return {p.name for p in selectors.procedure_list(selectors.ProcedureFilters(query=query))}


def test_rename_keeps_the_former_name_for_records_of_its_time(catalogue):
    agency = catalogue.ngoaivu
    before = timezone.now() - dt.timedelta(days=30)
    services.agency_rename(agency=agency, name="Sở Ngoại vụ tỉnh", note="Theo quyết định số 1")
    agency.refresh_from_db()
    assert agency.name == "Sở Ngoại vụ tỉnh"
    history = AgencyNameHistory.objects.get(agency=agency)
    assert (history.name, history.short_name, history.note) == (
        "Sở Ngoại vụ",
        "SNgV",
        "Theo quyết định số 1",
    )
    assert selectors.agency_name_at(agency, before) == "Sở Ngoại vụ"
    assert selectors.agency_name_at(agency, timezone.now()) == "Sở Ngoại vụ tỉnh"
    # search follows the new name; a second rename keeps both former names in order
    assert catalogue.hoi_thao.name in names("ngoai vu tinh")
    services.agency_rename(agency=agency, name="Sở Đối ngoại")
    assert list(agency.name_history.values_list("name", flat=True)) == [
        "Sở Ngoại vụ tỉnh",
        "Sở Ngoại vụ",
    ]
    assert selectors.agency_name_at(agency, before) == "Sở Ngoại vụ"


def test_rename_to_the_same_name_records_nothing(catalogue):
    services.agency_rename(agency=catalogue.ngoaivu, name=" Sở  Ngoại vụ ")
    assert not AgencyNameHistory.objects.exists()
    with pytest.raises(CatalogError):
        services.agency_rename(agency=catalogue.ngoaivu, name="  ")


def test_merge_moves_procedures_fields_children_and_staff(catalogue, province):
    target = make_agency("000.00.99.H10", "Sở Nội vụ", parent=province)
    services.field_create(agency=target, name="Hội nghị, hội thảo quốc tế")
    child = Agency.objects.create(
        code="000.31.01.H10", name="Trung tâm dịch thuật", level="so", parent=catalogue.ngoaivu
    )
    officer = User.objects.create_user("tiepnhan.ngoaivu", kind="staff", agency=catalogue.ngoaivu)

    result = services.agency_merge(source=catalogue.ngoaivu, target=target)

    source = Agency.objects.get(pk=catalogue.ngoaivu.pk)
    assert not source.is_active
    assert source.merged_into == target
    assert source.merged_at
    assert (result.moved_procedures, result.merged_fields, result.moved_staff) == (2, 1, 1)
    assert result.moved_children == 1
    assert set(Procedure.objects.filter(agency=target).values_list("national_code", flat=True)) == {
        "2.001707",
        "9.999001",
    }
    # the same-named field was merged into the target's: one field, both procedures
    merged = Field.objects.get(agency=target, name="Hội nghị, hội thảo quốc tế")
    assert merged.procedures.count() == 2
    assert not Field.objects.get(pk=catalogue.hoi_nghi.pk).is_active
    child.refresh_from_db()
    officer.refresh_from_db()
    assert child.parent == target
    assert officer.agency == target
    # the catalogue shows them under the target; the source is gone from the lists
    assert catalogue.hoi_thao.name in names("noi vu")
    assert source not in selectors.agencies_public()
    # the source's name is unchanged: old dossiers keep showing it
    assert source.name == "Sở Ngoại vụ"


def test_merge_hides_a_duplicate_national_code(catalogue, province):
    target = make_agency("000.00.99.H10", "Sở Nội vụ", parent=province)
    field = services.field_create(agency=target, name="Hội nghị, hội thảo quốc tế")
    make_procedure(
        target, field, "Cho phép tổ chức hội nghị quốc tế (bản của Sở Nội vụ)", code="2.001707"
    )

    result = services.agency_merge(source=catalogue.ngoaivu, target=target)

    duplicate = Procedure.objects.get(pk=catalogue.hoi_thao.pk)
    assert result.hidden_duplicates == [duplicate]
    assert duplicate.agency_id == catalogue.ngoaivu.pk
    assert not duplicate.is_published
    assert Procedure.objects.get(pk=catalogue.hoa_giai.pk).agency == target


def test_merge_refuses_nonsense(catalogue, province):
    with pytest.raises(CatalogError):
        services.agency_merge(source=catalogue.ngoaivu, target=catalogue.ngoaivu)
    target = make_agency("000.00.99.H10", "Sở Nội vụ", parent=province)
    services.agency_merge(source=catalogue.ngoaivu, target=target)
    with pytest.raises(CatalogError):  # already merged
        services.agency_merge(source=catalogue.ngoaivu, target=catalogue.ldtbxh)
    with pytest.raises(CatalogError):  # into an inactive agency
        services.agency_merge(source=catalogue.ldtbxh, target=catalogue.ngoaivu)
    child = Agency.objects.create(
        code="000.17.01.H10", name="Trung tâm", level="so", parent=catalogue.ldtbxh
    )
    with pytest.raises(CatalogError):  # into its own child
        services.agency_merge(source=catalogue.ldtbxh, target=child)


def test_merged_agency_page_points_to_the_target(catalogue, province, client):
    target = make_agency("000.00.99.H10", "Sở Nội vụ", parent=province)
    services.agency_merge(source=catalogue.ngoaivu, target=target)
    content = client.get("/thu-tuc/don-vi/000.00.31.H10/").content.decode()
    assert "Đơn vị đã được sáp nhập từ ngày" in content
    assert 'href="/thu-tuc/don-vi/000.00.99.H10/"' in content
    assert "Cho phép tổ chức hội nghị" not in content
