"""The list's page from SQL compiled once per shape (listing.py) gives exactly what the ORM
queryset it stands for gives (selectors.procedure_list): the same procedures in the same order,
the same count and page number, for every kind of query and filter, on SQLite and PostgreSQL."""

import itertools

import pytest
from django.core.paginator import Paginator

from dichvucong.catalog import listing, selectors
from dichvucong.catalog.selectors import ProcedureFilters

from .factories import make_procedure

pytestmark = pytest.mark.django_db

ACTIONS = ["Cấp", "Cấp lại", "Gia hạn", "Thu hồi", "Đăng ký", "Xác nhận"]
OBJECTS = [
    "giấy phép lao động cho người nước ngoài",
    "giấy chứng nhận huấn luyện an toàn, vệ sinh lao động",
    "giấy phép hoạt động dịch vụ việc làm",
    "giấy phép tổ chức hội nghị, hội thảo quốc tế",
    "thẻ ABTC của doanh nhân APEC",
    "chứng chỉ hành nghề ATVSLĐ",
]
QUERIES = [
    "",
    " ,.-– ",  # nothing left once normalised: the whole list
    "%",
    "giay phep",
    "giấy phép lao động",
    "GIẤY PHÉP LAO ĐỘNG cho người nước ngoài",
    "an toan ve sinh lao dong",
    "ATVSLĐ",
    "atvsld huan luyen",
    "LĐTBXH",
    "GPLĐ nước ngoài",
    "cap lai giay",
    "cap",
    "hòa giải",
    "hoà giải",
    "lao d",
    "1.000105",
    "000105",
    "2.001707",
    "7.000003",
    "ngoai vu",
    "viec lam",
    "apec",
    "khong co thu tuc nay",
    "a b c d e f g h i j k l m n",  # more words than are kept
    "giấy phép lao động " * 20,
]


@pytest.fixture
def many(catalogue):
    """The guides' catalogue and 36 more procedures across both agencies and their fields."""
    places = [
        (catalogue.ldtbxh, catalogue.atvsld, (3,)),
        (catalogue.ldtbxh, catalogue.viec_lam, (4,)),
        (catalogue.ngoaivu, catalogue.hoi_nghi, (3, 4)),
    ]
    for number, (action, thing) in enumerate(itertools.product(ACTIONS, OBJECTS)):
        agency, field, levels = places[number % len(places)]
        make_procedure(
            agency,
            field,
            f"{action} {thing}",
            code=f"7.{number:06d}",
            levels=levels,
            days=number % 4 * 5,
        )
    return catalogue


def reference(filters: ProcedureFilters, number, per_page: int):
    """The ORM's page; a number below 1 or not a number means the first page (as the list
    has always read ?trang=), one past the end the last."""
    try:
        number = max(int(str(number)), 1)
    except ValueError:
        number = 1
    page = Paginator(selectors.procedure_list(filters), per_page).get_page(number)
    return [p.pk for p in page.object_list], page.paginator.count, page.number


def compiled(filters: ProcedureFilters, number, per_page: int):
    page = listing.procedure_page(filters, number, per_page)
    return [row.pk for row in page.object_list], page.paginator.count, page.number


def filter_sets(catalogue):
    yield {}
    yield {"agency": catalogue.ldtbxh}
    yield {"agency": catalogue.ngoaivu, "level": 4}
    yield {"agency": catalogue.ldtbxh, "field": catalogue.atvsld}
    yield {"agency": catalogue.ldtbxh, "field": catalogue.viec_lam, "level": 3}
    yield {"level": 3}
    yield {"level": 4}


def test_every_query_and_filter_gives_the_orm_s_page(many):
    compared = 0
    for query, extra in itertools.product(QUERIES, list(filter_sets(many))):
        filters = ProcedureFilters(query=query, **extra)
        for number in (1, 2, 3, 99, "abc", None, "-1"):
            expected = reference(filters, number, 7)
            assert compiled(filters, number, 7) == expected, (query, extra, number)
            compared += 1
    assert compared == len(QUERIES) * 7 * 7


def test_rows_carry_what_the_list_shows(many):
    """Each row: name, code, agency, field, levels and processing days of its procedure."""
    filters = ProcedureFilters(query="lao dong nuoc ngoai", agency=many.ldtbxh)
    page = listing.procedure_page(filters, 1, 20)
    procedures = {p.pk: p for p in selectors.procedure_list(filters)}
    assert page.object_list
    for row in page.object_list:
        procedure = procedures[row.pk]
        version = procedure.current_version
        assert (row.name, row.national_code) == (procedure.name, procedure.national_code)
        assert (row.agency_name, row.field_name) == (procedure.agency.name, procedure.field.name)
        assert (bool(row.level_3), bool(row.level_4)) == (version.level_3, version.level_4)
        assert row.processing_days == version.processing_days


def test_ranking_is_the_search_s(many):
    """The ranking tests of test_search.py, through the compiled SQL: code, then exact name,
    then the phrase in the name, then the rest."""
    exact = make_procedure(many.ldtbxh, many.viec_lam, "Lao động nước ngoài", code="9.999003")
    rows = listing.procedure_page(ProcedureFilters(query="lao động nước ngoài"), 1, 50)
    names = [row.name for row in rows.object_list]
    assert names[0] == exact.name
    reference_names = selectors.procedure_list(ProcedureFilters(query="lao động nước ngoài"))
    assert names == [p.name for p in reference_names]
    by_code = listing.procedure_page(ProcedureFilters(query="1.000302"), 1, 20).object_list
    assert by_code[0].pk == many.huan_luyen.pk


def test_a_stand_in_never_reaches_the_database(many, django_assert_num_queries):
    """The words are put in place of the stand-ins; a search is one query."""
    with django_assert_num_queries(1) as captured:
        listing.procedure_page(ProcedureFilters(query="giay phep lao dong"), 1, 20)
    sql = captured.captured_queries[0]["sql"]
    assert "\ue000" not in sql
    assert "giay" in sql
