"""The filter's options kept per catalogue version (options.py): read once, then from memory,
and read again as soon as an agency or a field changes, whoever changes it, in this process
or in another one sharing the cache."""

import pytest
from django.core.cache import cache

from dichvucong.catalog import options, services
from dichvucong.catalog.models import Agency, AgencyLevel, Field

from .test_pages import LIST
from .test_pages import options as select_options

pytestmark = pytest.mark.django_db


def heading(response) -> str:
    content = response.content.decode()
    return content.split('<h2 id="ket-qua-title">', 1)[1].split("</h2>", 1)[0]


def test_read_once_per_version(client, catalogue, django_assert_num_queries):
    client.get(LIST)
    with django_assert_num_queries(2):  # the list's count and page only
        response = client.get(LIST, {"don_vi": "000.00.17.H10"})
    assert select_options(response, "linh_vuc") == [
        "Tất cả lĩnh vực",
        "An toàn, vệ sinh lao động",
        "Việc làm",
    ]


def test_a_renamed_agency_shows_at_once(client, catalogue):
    client.get(LIST, {"don_vi": "000.00.17.H10"})
    services.agency_rename(agency=catalogue.ldtbxh, name="Sở Nội vụ (sáp nhập LĐTBXH)")
    response = client.get(LIST, {"don_vi": "000.00.17.H10"})
    assert "Sở Nội vụ (sáp nhập LĐTBXH)" in select_options(response, "don_vi")
    assert "Sở Lao động - Thương binh và Xã hội" not in select_options(response, "don_vi")
    assert heading(response).endswith("— Sở Nội vụ (sáp nhập LĐTBXH)")


def test_a_new_inactive_or_deleted_agency_shows_at_once(client, catalogue, province):
    client.get(LIST)
    agency = Agency.objects.create(
        code="000.00.99.H10", name="Sở Mới", level=AgencyLevel.DEPARTMENT, parent=province
    )
    assert "Sở Mới" in select_options(client.get(LIST), "don_vi")
    agency.is_active = False
    agency.save()
    assert "Sở Mới" not in select_options(client.get(LIST), "don_vi")
    agency.is_active = True
    agency.save()
    assert "Sở Mới" in select_options(client.get(LIST), "don_vi")
    agency.delete()
    assert "Sở Mới" not in select_options(client.get(LIST), "don_vi")


def test_a_changed_field_shows_at_once(client, catalogue):
    chosen = {"don_vi": "000.00.17.H10"}
    client.get(LIST, chosen)
    services.field_update(field=catalogue.viec_lam, name="Việc làm và tiền lương")
    assert "Việc làm và tiền lương" in select_options(client.get(LIST, chosen), "linh_vuc")
    services.field_update(field=catalogue.viec_lam, position=0)
    services.field_update(field=catalogue.atvsld, position=9)
    assert select_options(client.get(LIST, chosen), "linh_vuc")[1:] == [
        "Việc làm và tiền lương",
        "An toàn, vệ sinh lao động",
    ]
    services.field_update(field=catalogue.viec_lam, is_active=False)
    assert select_options(client.get(LIST, chosen), "linh_vuc")[1:] == ["An toàn, vệ sinh lao động"]
    field = services.field_create(agency=catalogue.ldtbxh, name="Lĩnh vực mới", position=20)
    assert "Lĩnh vực mới" in select_options(client.get(LIST, chosen), "linh_vuc")
    response = client.get(LIST, {"linh_vuc": str(field.pk)})
    assert heading(response).endswith("— Lĩnh vực mới")
    field.delete()
    response = client.get(LIST, {"linh_vuc": str(field.pk)})
    assert "Lĩnh vực mới" not in response.content.decode()
    assert "Lĩnh vực đã chọn không có trong danh sách." in response.content.decode()


def test_a_field_saved_by_hand_shows_at_once(client, catalogue):
    """Not only the services: any save (the admin, fixtures) gives a new version."""
    client.get(LIST, {"don_vi": "000.00.31.H10"})
    Field.objects.create(agency=catalogue.ngoaivu, name="Lãnh sự", position=5)
    response = client.get(LIST, {"don_vi": "000.00.31.H10"})
    assert select_options(response, "linh_vuc")[1:] == ["Hội nghị, hội thảo quốc tế", "Lãnh sự"]


def test_a_change_made_by_another_server_is_seen(client, catalogue, django_assert_num_queries):
    """Another app server changed the catalogue: it replaced the version in the shared cache,
    which this process reads on each request."""
    client.get(LIST)
    Agency.objects.filter(pk=catalogue.ngoaivu.pk).update(name="Sở Ngoại vụ tỉnh")  # no signal
    assert "Sở Ngoại vụ" in select_options(client.get(LIST), "don_vi")  # not told yet
    cache.set(options.VERSION_KEY, "set-by-another-server")
    with django_assert_num_queries(4):  # the options again, then the list
        response = client.get(LIST)
    assert "Sở Ngoại vụ tỉnh" in select_options(response, "don_vi")


def test_a_cache_that_lost_the_version_makes_a_new_one(client, catalogue):
    first = options.catalogue_options()
    assert options.catalogue_options() is first
    cache.clear()  # restarted or evicted
    again = options.catalogue_options()
    assert again is not first
    assert again.version != first.version
    assert options.catalogue_options() is again


def test_a_rolled_back_change_is_not_shown(client, catalogue):
    from django.db import transaction

    client.get(LIST, {"don_vi": "000.00.17.H10"})
    before = options.catalogue_version()

    def change_then_fail():
        with transaction.atomic():
            services.field_update(field=catalogue.viec_lam, name="Tạm")
            assert options.catalogue_version() != before
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    shown = select_options(client.get(LIST, {"don_vi": "000.00.17.H10"}), "linh_vuc")
    assert "Việc làm" in shown
    assert "Tạm" not in shown


def test_the_version_changes_again_after_commit(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.field_update(field=catalogue.viec_lam, name="Việc làm mới")
        during = options.catalogue_version()
    assert callbacks
    assert options.catalogue_version() != during
