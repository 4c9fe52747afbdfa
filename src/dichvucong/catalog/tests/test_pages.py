"""The public pages (seeds §II Bước 2–4): the list with its filters in the URL, the
procedure page, the agency page, template downloads, "Nộp hồ sơ" and the home page. Query
counts are fixed whatever the number of rows (no N+1)."""

import re

import magic
import pytest
from django.urls import reverse

from dichvucong.accounts.models import User
from dichvucong.catalog import services

from .factories import make_procedure

pytestmark = pytest.mark.django_db

LIST = "/thu-tuc/"


def titles(response) -> list[str]:
    return re.findall(r'<h3 class="procedure-name"><a [^>]*>([^<]*)</a>', response.content.decode())


def options(response, name: str) -> list[str]:
    content = response.content.decode()
    select = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', content, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_list_shows_every_public_procedure_with_its_facts(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert len(titles(response)) == 5
    assert "Tìm thấy 5 thủ tục" in content
    for label in ("Đơn vị", "Lĩnh vực", "Mức độ", "Từ khóa"):
        assert re.search(rf'<label class="label" for="id_\w+">{label}</label>', content), label
    assert '<button type="submit" class="button">Tìm kiếm</button>' in content
    # each row: agency, field, level, processing time and "Nộp hồ sơ"
    row = content[content.index(catalogue.giay_phep.name) :]
    row = row[: row.index("</li>")]
    assert "Sở Lao động - Thương binh và Xã hội" in row
    assert "Việc làm" in row
    assert "Mức độ 3 (một phần)" in row
    assert "Mức độ 4 (toàn trình)" in row
    assert "5 ngày làm việc" in row
    submit = reverse("catalog:procedure_submit", args=[catalogue.giay_phep.pk])
    assert f'href="{submit}">Nộp hồ sơ<span class="visually-hidden">' in row


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"don_vi": "000.00.17.H10"}, {"khai_bao", "huan_luyen", "giay_phep"}),
        ({"don_vi": "000.00.31.H10"}, {"hoi_thao", "hoa_giai"}),
        ({"don_vi": "000.00.17.H10", "linh_vuc": "atvsld"}, {"khai_bao", "huan_luyen"}),
        ({"linh_vuc": "viec_lam"}, {"giay_phep"}),
        ({"muc_do": "4"}, {"khai_bao", "giay_phep", "hoi_thao"}),
        ({"muc_do": "3"}, {"huan_luyen", "giay_phep", "hoi_thao", "hoa_giai"}),
        ({"don_vi": "000.00.17.H10", "muc_do": "4"}, {"khai_bao", "giay_phep"}),
        (
            {"don_vi": "000.00.17.H10", "linh_vuc": "atvsld", "muc_do": "3"},
            {"huan_luyen"},
        ),
        ({"tu_khoa": "giay"}, {"huan_luyen", "giay_phep"}),
        ({"tu_khoa": "giay", "muc_do": "4"}, {"giay_phep"}),
        ({"tu_khoa": "giay", "don_vi": "000.00.31.H10"}, set()),
        ({"tu_khoa": "quoc te", "don_vi": "000.00.31.H10", "muc_do": "4"}, {"hoi_thao"}),
    ],
)
def test_filters_and_their_combinations(client, catalogue, params, expected):
    params = {
        key: str(getattr(catalogue, value).pk) if key == "linh_vuc" else value
        for key, value in params.items()
    }
    response = client.get(LIST, params)
    assert set(titles(response)) == {getattr(catalogue, name).name for name in expected}


def test_field_options_follow_the_agency_without_javascript(client, catalogue):
    """No agency: pick one first. An agency chosen (after the page reloads): its fields.
    The data for the instant update with JavaScript (catalog.js) is in the page."""
    everything = client.get(LIST)
    assert options(everything, "linh_vuc") == ["Tất cả lĩnh vực"]
    assert "Chọn đơn vị để thấy các lĩnh vực của đơn vị đó." in everything.content.decode()
    chosen = client.get(LIST, {"don_vi": "000.00.17.H10"})
    assert options(chosen, "linh_vuc") == [
        "Tất cả lĩnh vực",
        "An toàn, vệ sinh lao động",
        "Việc làm",
    ]
    content = chosen.content.decode()
    assert '<option value="000.00.17.H10" selected>' in content
    assert "js/catalog.js" in content
    assert 'data-fields-url="/thu-tuc/linh-vuc.json"' in content


def test_fields_json_for_the_instant_update(client, catalogue, province):
    """catalog.js loads every agency's fields once (cacheable) to update the list at once."""
    from dichvucong.catalog.models import Field

    Field.objects.create(agency=province, name="Không hiện (cấp tỉnh)")
    Field.objects.create(agency=catalogue.ngoaivu, name="Đã bỏ", is_active=False)
    response = client.get("/thu-tuc/linh-vuc.json")
    assert response["Content-Type"] == "application/json"
    assert "max-age=300" in response["Cache-Control"]
    assert response.json() == {
        "000.00.17.H10": [
            [str(catalogue.atvsld.pk), "An toàn, vệ sinh lao động"],
            [str(catalogue.viec_lam.pk), "Việc làm"],
        ],
        "000.00.31.H10": [[str(catalogue.hoi_nghi.pk), "Hội nghị, hội thảo quốc tế"]],
    }


def test_a_field_alone_in_the_url_implies_its_agency(client, catalogue):
    """The procedure page links to its field with ?linh_vuc= only (and agency)."""
    response = client.get(LIST, {"linh_vuc": str(catalogue.atvsld.pk)})
    assert set(titles(response)) == {catalogue.khai_bao.name, catalogue.huan_luyen.name}
    assert '<option value="000.00.17.H10" selected>' in response.content.decode()


def test_field_names_are_escaped(client, catalogue):
    from dichvucong.catalog import services

    services.field_update(field=catalogue.viec_lam, name="Việc làm <b>&")
    content = client.get(LIST, {"don_vi": "000.00.17.H10"}).content.decode()
    assert "<b>&" not in content
    assert "Việc làm &lt;b&gt;&amp;</option>" in content


def test_field_of_another_agency_is_ignored_with_a_notice(client, catalogue):
    response = client.get(LIST, {"don_vi": "000.00.31.H10", "linh_vuc": str(catalogue.atvsld.pk)})
    assert set(titles(response)) == {catalogue.hoi_thao.name, catalogue.hoa_giai.name}
    assert (
        "Lĩnh vực đã chọn không thuộc đơn vị này nên đã được bỏ qua." in response.content.decode()
    )


def test_unknown_filter_values_are_reported_not_fatal(client, catalogue):
    response = client.get(LIST, {"don_vi": "khong-co", "muc_do": "7", "linh_vuc": "x"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Đơn vị đã chọn không có trong danh sách." in content
    assert "Mức độ chỉ có thể là mức độ 3 hoặc mức độ 4." in content
    assert "Lĩnh vực đã chọn không có trong danh sách." in content
    assert len(titles(response)) == 5


def test_pagination_keeps_the_filters_in_the_url(client, catalogue):
    for number in range(25):
        make_procedure(
            catalogue.ldtbxh,
            catalogue.viec_lam,
            f"Thủ tục việc làm số {number:02d}",
            code=f"8.{number:06d}",
        )
    first = client.get(LIST, {"don_vi": "000.00.17.H10", "tu_khoa": "viec lam"})
    assert len(titles(first)) == 20
    assert "Tìm thấy 26 thủ tục" in first.content.decode()
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first.content.decode()).group(1)
    assert "don_vi=000.00.17.H10" in next_link
    assert "tu_khoa=viec%20lam" in next_link
    assert next_link.endswith("trang=2")
    second = client.get(LIST + next_link.replace("&amp;", "&"))
    assert len(titles(second)) == 6
    assert set(titles(first)).isdisjoint(titles(second))
    # a page number out of range shows the last page, not an error
    assert titles(
        client.get(LIST, {"don_vi": "000.00.17.H10", "tu_khoa": "viec lam", "trang": "99"})
    ) == titles(second)


def test_pages_of_a_search(client, catalogue):
    """A search counts its results with the page (one query); a page past the end or not a
    number falls back to the last or the first page."""
    for number in range(23):
        make_procedure(
            catalogue.ldtbxh,
            catalogue.viec_lam,
            f"Giấy phép số {number:02d}",
            code=f"6.{number:06d}",
        )
    first = client.get(LIST, {"tu_khoa": "giay phep so"})
    # 23 by name, and one more whose agency ("Sở …") holds the word "so": ranked last
    assert "Tìm thấy 24 thủ tục" in first.content.decode()
    assert len(titles(first)) == 20
    last = client.get(LIST, {"tu_khoa": "giay phep so", "trang": "99"})
    assert titles(last) == [
        "Giấy phép số 20",
        "Giấy phép số 21",
        "Giấy phép số 22",
        catalogue.giay_phep.name,
    ]
    assert "Trang 2/2" in last.content.decode()
    assert titles(client.get(LIST, {"tu_khoa": "giay phep so", "trang": "abc"})) == titles(first)
    assert titles(client.get(LIST, {"tu_khoa": "giay phep so", "trang": "-3"})) == titles(first)


def test_list_query_count_does_not_grow_with_rows(client, catalogue, django_assert_num_queries):
    """A list: its count and its page; a search: its page, counted in it. The filter's
    options are read once per catalogue version (two queries, then none: test_options.py)."""
    for number in range(30):
        make_procedure(
            catalogue.ldtbxh, catalogue.viec_lam, f"Thủ tục số {number}", code=f"7.{number:06d}"
        )
    with django_assert_num_queries(4):  # the options (agencies, fields) once, count, page
        client.get(LIST, {"muc_do": "4"})
    with django_assert_num_queries(2):
        response = client.get(LIST)
    assert len(titles(response)) == 20
    with django_assert_num_queries(1):
        response = client.get(
            LIST, {"tu_khoa": "thu tuc so", "don_vi": "000.00.17.H10", "muc_do": "3"}
        )
    assert len(titles(response)) == 20
    with django_assert_num_queries(3):  # past the end: an empty page, the count, the last page
        response = client.get(LIST, {"tu_khoa": "thu tuc so", "trang": "9"})
    assert len(titles(response)) == 10


def test_procedure_page_shows_every_attribute(client, catalogue, django_assert_max_num_queries):
    procedure = make_procedure(
        catalogue.ldtbxh,
        catalogue.viec_lam,
        "Gia hạn giấy phép lao động",
        code="1.009811",
        levels=(3, 4),
        days=10,
        fee=450000,
        fee_text="450.000 đồng/giấy phép",
        for_citizen=False,
        requirements="Giấy phép lao động còn hạn ít nhất 10 ngày.",
        legal_basis="Bộ luật Lao động số 45/2019/QH14\nNghị định số 152/2020/NĐ-CP",
        result="Giấy phép lao động được gia hạn",
        steps="1. Nộp hồ sơ.\n2. Sở xem xét.\n3. Trả kết quả.",
        channels="Nộp trực tuyến hoặc trực tiếp.",
        components=[
            {
                "name": "Văn bản đề nghị gia hạn (Mẫu số 11)",
                "kind": "original",
                "template": "mau-11",
            },
            {"name": "Hộ chiếu", "kind": "certified_copy", "quantity": 2},
            {"name": "Giấy khám sức khỏe", "kind": "original", "required": False},
        ],
    )
    with django_assert_max_num_queries(2):
        response = client.get(f"/thu-tuc/{procedure.pk}/")
    content = response.content.decode()
    for text in (
        "Gia hạn giấy phép lao động",
        "1.009811",
        "Sở Lao động - Thương binh và Xã hội",
        "Việc làm",
        "Mức độ 3 (một phần), Mức độ 4 (toàn trình)",
        "10 ngày làm việc",
        "450.000 đồng/giấy phép",
        "<dd>Tổ chức</dd>",
        "Giấy phép lao động còn hạn ít nhất 10 ngày.",
        "<li>Bộ luật Lao động số 45/2019/QH14</li>",
        "<li>Sở xem xét.</li>",
        "Giấy phép lao động được gia hạn",
        "Nộp trực tuyến hoặc trực tiếp.",
        "Văn bản đề nghị gia hạn (Mẫu số 11)",
        "<td>Bản sao chứng thực</td>",
        "<td>2</td>",
        "Không (nếu có)",
        'id="nop-ho-so"',
        "Phiên bản 1, áp dụng từ ngày",
    ):
        assert text in content, text
    template = procedure.current_version.components.get(position=0)
    assert f'href="/thu-tuc/mau/{template.pk}/" download>Tải mẫu' in content
    submit = reverse("catalog:procedure_submit", args=[procedure.pk])
    assert content.count(f'href="{submit}">Nộp hồ sơ</a>') == 2


def test_procedure_page_lists_the_declaration_form_fields(client, catalogue):
    schema = {
        "title": "Tờ khai đề nghị",
        "fields": [
            {
                "name": "ho_ten",
                "type": "text",
                "label": "Họ và tên người đề nghị",
                "required": True,
            },
            {"name": "ghi_chu", "type": "textarea", "label": "Ghi chú"},
        ],
    }
    procedure = make_procedure(
        catalogue.ldtbxh, catalogue.viec_lam, "Có tờ khai", code="9.1", schema=schema
    )
    content = client.get(f"/thu-tuc/{procedure.pk}/").content.decode()
    assert "Điền tờ khai trực tuyến “Tờ khai đề nghị”" in content
    assert '<li>Họ và tên người đề nghị <span class="required"' in content
    assert "<li>Ghi chú</li>" in content


def test_unpublished_or_unknown_procedures_are_not_found(client, catalogue):
    draft = make_procedure(catalogue.ldtbxh, catalogue.viec_lam, "Nháp", code="9.2", publish=False)
    services.procedure_update(procedure=catalogue.giay_phep, is_published=False)
    for pk in (draft.pk, catalogue.giay_phep.pk, 999999):
        assert client.get(f"/thu-tuc/{pk}/").status_code == 404
        assert client.get(f"/thu-tuc/{pk}/nop-ho-so/").status_code == 404


def test_submit_asks_to_log_in_then_leads_to_the_level_choice(client, catalogue):
    url = reverse("catalog:procedure_submit", args=[catalogue.giay_phep.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/tai-khoan/dang-nhap/?next={url}"
    citizen = User.objects.create_user("070090123456", kind="citizen", full_name="Nguyễn Văn An")
    client.force_login(citizen)
    response = client.get(url)
    assert response["Location"] == f"/ho-so/nop/{catalogue.giay_phep.pk}/"
    page = client.get(f"/thu-tuc/{catalogue.giay_phep.pk}/").content.decode()
    assert "Bạn đang đăng nhập với tài khoản <strong>Nguyễn Văn An</strong>." in page


def test_agency_page_lists_its_fields_and_procedures(
    client, catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get("/thu-tuc/don-vi/000.00.17.H10/")
    content = response.content.decode()
    assert "<h1>Sở Lao động - Thương binh và Xã hội</h1>" in content
    assert content.index("An toàn, vệ sinh lao động") < content.index("Việc làm</a>")
    assert set(titles(response)) == {
        catalogue.khai_bao.name,
        catalogue.huan_luyen.name,
        catalogue.giay_phep.name,
    }
    assert "Tìm trong 3 thủ tục của đơn vị" in content
    assert client.get("/thu-tuc/don-vi/khong-co/").status_code == 404
    assert client.get("/thu-tuc/don-vi/000.00.00.H10/").status_code == 404  # the province


def test_template_download_is_a_word_document(client, catalogue):
    procedure = make_procedure(
        catalogue.ldtbxh,
        catalogue.viec_lam,
        "Có mẫu đơn",
        code="9.3",
        components=[{"name": "Đơn đề nghị (Mẫu số 01)", "template": "mau-so-01"}],
    )
    component = procedure.current_version.components.get()
    response = client.get(f"/thu-tuc/mau/{component.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-so-01.docx"'
    data = b"".join(response.streaming_content)
    assert magic.from_buffer(data, mime=True) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_template_of_a_draft_is_not_downloadable(client, catalogue):
    draft = make_procedure(
        catalogue.ldtbxh,
        catalogue.viec_lam,
        "Nháp có mẫu",
        code="9.4",
        publish=False,
        components=[{"name": "Đơn", "template": "don"}],
    )
    component = draft.versions.get().components.get()
    assert component.template_file
    assert client.get(f"/thu-tuc/mau/{component.pk}/").status_code == 404
    plain = catalogue.giay_phep.current_version.components.get()
    assert client.get(f"/thu-tuc/mau/{plain.pk}/").status_code == 404  # no template file


def test_home_shows_the_count_the_agencies_and_a_search_box(
    client, catalogue, django_assert_max_num_queries
):
    services.procedure_update(procedure=catalogue.hoa_giai, is_published=False)
    with django_assert_max_num_queries(1):
        response = client.get("/")
    content = response.content.decode()
    assert "Cổng đang cung cấp <strong>4</strong> thủ tục hành chính trực tuyến." in content
    assert (
        '<a href="/thu-tuc/don-vi/000.00.17.H10/">Sở Lao động - Thương binh và Xã hội</a>'
        in content
    )
    assert (
        '<a href="/thu-tuc/don-vi/000.00.31.H10/">Sở Ngoại vụ</a> <span class="count">(1 thủ tục)'
        in content
    )
    assert 'action="/thu-tuc/"' in content
    assert 'name="tu_khoa"' in content
    # the navigation's "Thủ tục hành chính" leads to the list
    assert '<a href="/thu-tuc/">Thủ tục hành chính</a>' in content
    assert (
        '<a href="/thu-tuc/" aria-current="page">Thủ tục hành chính</a>'
        in client.get(LIST).content.decode()
    )


def test_row_texts_are_escaped_and_facts_without_a_value_left_out(client, catalogue):
    """The rows are written in Python (catalog_tags.procedure_list): every text escaped as the
    template engine would, and no "Mã thủ tục" for a procedure without a code."""
    make_procedure(catalogue.ngoaivu, catalogue.hoi_nghi, "Thủ tục <b>\"đặc biệt\"</b> & 'khác'")
    for response in (
        client.get(LIST, {"tu_khoa": "dac biet"}),
        client.get("/thu-tuc/don-vi/000.00.31.H10/"),
    ):
        content = response.content.decode()
        assert "<b>" not in content
        escaped = "Thủ tục &lt;b&gt;&quot;đặc biệt&quot;&lt;/b&gt; &amp; &#x27;khác&#x27;"
        assert f">{escaped}</a></h3>" in content
        assert f'<span class="visually-hidden">: {escaped}</span>' in content
        row = content[content.index(escaped) :]
        assert "Mã thủ tục" not in row[: row.index("</li>")]
    listed = client.get(LIST, {"tu_khoa": "dac biet"}).content.decode()
    assert '<ol class="procedure-list" start="1">' in listed
    assert "<dt>Đơn vị</dt><dd>Sở Ngoại vụ</dd>" in listed
    agency_page = client.get("/thu-tuc/don-vi/000.00.31.H10/").content.decode()
    assert '<ol class="procedure-list">' in agency_page
    assert "<dt>Đơn vị</dt>" not in agency_page
