"""The public catalogue (the pages' selectors and search) and the public lookup (the page's
privacy, log and shared limit) through the API."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from dichvucong.accounts.tests.factories import cccd_for, citizen
from dichvucong.catalog.models import Agency
from dichvucong.dossiers.models import LookupLog
from dichvucong.dossiers.tests import factories

from .conftest import assert_problem

pytestmark = pytest.mark.django_db
api = APIClient


@pytest.fixture
def catalogue(db):
    labour = factories.agency(name="Sở Lao động - Thương binh và Xã hội")
    foreign = factories.agency(name="Sở Ngoại vụ")
    factories.agency(name="Tỉnh", level="tinh")
    safety = factories.procedure(
        agency_=labour, name="Cấp giấy chứng nhận huấn luyện an toàn, vệ sinh lao động"
    )
    permit = factories.procedure(
        agency_=labour, name="Cấp giấy phép lao động cho người nước ngoài", processing_days=10
    )
    visa = factories.procedure(
        agency_=foreign, name="Cho phép tổ chức hội nghị quốc tế", levels=(3,)
    )
    return {"labour": labour, "foreign": foreign, "safety": safety, "permit": permit, "visa": visa}


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_agencies_are_the_public_ones(catalogue):
    body = api().get("/api/v1/catalog/agencies/").json()
    assert [a["name"] for a in body["results"]] == [
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Ngoại vụ",
    ]
    code = catalogue["foreign"].code
    assert api().get(f"/api/v1/catalog/agencies/{code}/").json()["name"] == "Sở Ngoại vụ"
    province = Agency.objects.get(level="tinh").code
    assert_problem(api().get(f"/api/v1/catalog/agencies/{province}/"), 404)


def test_fields_follow_the_agency(catalogue):
    labour = catalogue["labour"].code
    body = api().get("/api/v1/catalog/fields/", {"agency": labour}).json()
    assert {f["agency_code"] for f in body["results"]} == {labour}
    assert body["count"] == 2
    assert_problem(api().get("/api/v1/catalog/fields/", {"agency": "khong-co"}), 400)


@pytest.mark.parametrize(
    "query",
    ["an toan ve sinh lao dong", "AN TOÀN", "ATVSLĐ", "atvsld", "huấn luyện"],
)
def test_search_is_the_pages_search(catalogue, query):
    found = names(api().get("/api/v1/catalog/procedures/", {"q": query}))
    assert found[0] == "Cấp giấy chứng nhận huấn luyện an toàn, vệ sinh lao động"


def test_filters_and_ordering(catalogue):
    labour = catalogue["labour"].code
    assert names(api().get("/api/v1/catalog/procedures/", {"agency": labour})) == [
        "Cấp giấy chứng nhận huấn luyện an toàn, vệ sinh lao động",
        "Cấp giấy phép lao động cho người nước ngoài",
    ]
    assert names(api().get("/api/v1/catalog/procedures/", {"level": 4})) == [
        "Cấp giấy chứng nhận huấn luyện an toàn, vệ sinh lao động",
        "Cấp giấy phép lao động cho người nước ngoài",
    ]
    slowest = api().get("/api/v1/catalog/procedures/", {"ordering": "-processing_days"})
    assert names(slowest)[0] == "Cấp giấy phép lao động cho người nước ngoài"
    field = catalogue["visa"].field_id
    assert names(api().get("/api/v1/catalog/procedures/", {"field": field})) == [
        "Cho phép tổ chức hội nghị quốc tế"
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": 5}, "level"),
        ({"field": "abc"}, "field"),
        ({"field": 10**20}, "field"),
        ({"field": 999999}, "field"),
        ({"agency": "x" * 40}, "agency"),
        ({"ordering": "id"}, "ordering"),
        ({"q": "x" * 201}, "q"),
        ({"page_size": 1000}, "page_size"),
    ],
)
def test_bad_filters_are_refused_per_parameter(catalogue, params, field):
    body = assert_problem(api().get("/api/v1/catalog/procedures/", params), 400)
    assert field in body["errors"]


def test_pagination(catalogue):
    first = api().get("/api/v1/catalog/procedures/", {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"]
    assert_problem(api().get("/api/v1/catalog/procedures/", {"page": 9}), 404)
    assert_problem(api().get("/api/v1/catalog/procedures/", {"page": "x" * 30}), 404)


def test_procedure_detail_has_components_and_form_schema(catalogue):
    safety = catalogue["safety"]
    body = api().get(f"/api/v1/catalog/procedures/{safety.pk}/").json()
    assert [c["name"] for c in body["components"]] == [
        "Đơn đề nghị",
        "Bản sao CCCD",
        "Giấy tờ khác",
    ]
    assert body["components"][1]["kind_label"] == "Bản sao"
    assert body["form_schema"]["fields"][0]["name"] == "ho_ten"
    assert body["levels"] == [3, 4]
    assert_problem(api().get("/api/v1/catalog/procedures/999999/"), 404)
    assert_problem(api().get(f"/api/v1/catalog/procedures/{'9' * 25}/"), 404)


def test_catalogue_lists_have_a_fixed_number_of_queries(catalogue, django_assert_num_queries):
    for n in range(6):
        factories.procedure(agency_=catalogue["labour"], name=f"Thủ tục an toàn {n}")
    with django_assert_num_queries(2):  # count, page
        response = api().get("/api/v1/catalog/procedures/", {"q": "an toan"})
    assert response.json()["count"] == 7
    with django_assert_num_queries(2):  # procedure with version, agency, field; components
        api().get(f"/api/v1/catalog/procedures/{catalogue['safety'].pk}/")


# --- Lookup ---------------------------------------------------------------------------------


@pytest.fixture
def person_dossier(db):
    birth = dt.date(1985, 3, 9)
    person = citizen(
        verified=True, full_name="Nguyễn Văn An", birth_date=birth, id_number=cccd_for(birth)
    )
    return factories.submitted(user=person)


def test_lookup_by_code_shows_only_public_facts(person_dossier):
    response = api().get("/api/v1/lookup/", {"q": person_dossier.code.lower()})
    assert response.status_code == 200
    (found,) = response.json()["results"]
    assert found["code"] == person_dossier.code
    assert found["status"] == "submitted"
    assert found["sync_code"] == 1
    assert found["applicant"] != "Nguyễn Văn An"
    text = response.content.decode()
    for secret in [person_dossier.applicant.id_number, person_dossier.applicant.phone, "form_data"]:
        assert secret not in text
    assert LookupLog.objects.filter(kind="code", found=True).count() == 1


def test_lookup_by_id_needs_the_birth_date_and_answers_alike(person_dossier):
    id_number = person_dossier.applicant.id_number
    asked = assert_problem(api().get("/api/v1/lookup/", {"q": id_number}), 400)
    assert "birth_date" in asked["errors"]
    unknown = assert_problem(api().get("/api/v1/lookup/", {"q": "079090000999"}), 400)
    assert unknown["errors"] == asked["errors"]
    ok = api().get("/api/v1/lookup/", {"q": id_number, "birth_date": "1985-03-09"})
    assert [r["code"] for r in ok.json()["results"]] == [person_dossier.code]
    wrong = api().get("/api/v1/lookup/", {"q": id_number, "birth_date": "1985-03-10"})
    missing = api().get("/api/v1/lookup/", {"q": "000.00.99.H10-261122-0001"})
    assert assert_problem(wrong, 404)["detail"] == assert_problem(missing, 404)["detail"]
    garbage = assert_problem(api().get("/api/v1/lookup/", {"q": "xin chào"}), 400)
    assert "q" in garbage["errors"]


def test_lookup_limit_is_shared_with_the_page(person_dossier, settings, client):
    settings.LOOKUPS_PER_CLIENT_PER_MINUTE = 3
    client.get("/tra-cuu/", {"ma": person_dossier.code})
    client.get("/tra-cuu/", {"ma": person_dossier.code})
    assert api().get("/api/v1/lookup/", {"q": person_dossier.code}).status_code == 200
    body = assert_problem(api().get("/api/v1/lookup/", {"q": person_dossier.code}), 429)
    assert "quá nhiều" in body["detail"]
    assert client.get("/tra-cuu/", {"ma": person_dossier.code}).status_code == 429
