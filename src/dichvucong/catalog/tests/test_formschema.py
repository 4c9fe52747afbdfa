"""Declaration-form schemas: the validator refuses every kind of mistake with Vietnamese
messages saying where; the built form accepts good input of every type, refuses bad input
with Vietnamese messages, and cleans to JSON-serialisable data that round-trips as initial."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from dichvucong.catalog.demo import demo_document
from dichvucong.catalog.formschema import (
    FIELD_TYPES,
    provinces,
    resolve_date,
    schema_errors,
    schema_form_class,
    validate_schema,
)


def schema_with(*fields, title="Tờ khai thử"):
    return {"title": title, "fields": list(fields)}


def text(name="ho_ten", **extra):
    return {"name": name, "type": "text", "label": "Họ và tên", **extra}


def problems(schema) -> list[str]:
    with pytest.raises(ValidationError) as error:
        validate_schema(schema)
    return error.value.messages


def demo_schemas() -> list[dict]:
    return [
        procedure["form"]
        for agency in demo_document()["agencies"]
        for field in agency["fields"]
        for procedure in field["procedures"]
        if procedure.get("form")
    ]


# --- validate_schema ----------------------------------------------------------------------


def test_every_demo_schema_is_valid_and_together_they_use_every_type():
    schemas = demo_schemas()
    assert len(schemas) >= 10
    used = set()
    for schema in schemas:
        assert validate_schema(schema) is schema
        for item in schema["fields"]:
            used.add(item["type"])
            used.update(column["type"] for column in item.get("columns", []))
    assert used == set(FIELD_TYPES)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ([], 'Mẫu tờ khai phải là một đối tượng JSON có "title" và "fields".'),
        ("tờ khai", 'Mẫu tờ khai phải là một đối tượng JSON có "title" và "fields".'),
        ({"fields": [text()]}, 'Cần "title": tên tờ khai.'),
        ({"title": " ", "fields": [text()]}, 'Cần "title": tên tờ khai.'),
        ({"title": "T"}, 'Cần "fields": danh sách ít nhất một trường.'),
        ({"title": "T", "fields": []}, 'Cần "fields": danh sách ít nhất một trường.'),
        ({"title": "T", "fields": {}}, 'Cần "fields": danh sách ít nhất một trường.'),
        ({"title": "T", "fields": [text()], "extra": 1}, "Khóa không được hỗ trợ: extra."),
        ({"title": "T", "fields": [text()], "schema_version": 2}, "schema_version chỉ nhận"),
        ({"title": "T", "fields": ["ho_ten"]}, "Trường số 1: phải là một đối tượng JSON"),
    ],
)
def test_top_level_mistakes(schema, expected):
    messages = problems(schema)
    assert any(expected in message for message in messages), messages


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"type": "text", "label": "A"}, '"name" phải gồm chữ thường không dấu'),
        (text(name="Họ tên"), '"name" phải gồm chữ thường không dấu'),
        (text(name="1abc"), '"name" phải gồm chữ thường không dấu'),
        (text(name="a" * 64), '"name" phải gồm chữ thường không dấu'),
        ({"name": "a", "type": "datee", "label": "A"}, 'kiểu "datee" không hợp lệ'),
        ({"name": "a", "label": "A"}, 'kiểu "None" không hợp lệ'),
        ({"name": "a", "type": "text"}, 'cần "label"'),
        ({"name": "a", "type": "text", "label": ""}, 'cần "label"'),
        ({"name": "a", "type": "text", "label": "x" * 501}, '"label" tối đa 500 ký tự'),
        (text(required="yes"), '"required" phải là true hoặc false'),
        (text(help=3), '"help" phải là một đoạn chữ'),
        (text(colour="red"), "khóa không được hỗ trợ: colour"),
        (text(validation=[1]), '"validation" phải là một đối tượng JSON'),
        (text(validation={"max": 3}), "kiểu text không dùng quy tắc max"),
        (text(validation={"max_length": 0}), "max_length phải là số nguyên từ 1"),
        (text(validation={"max_length": "10"}), "max_length phải là số nguyên từ 1"),
        (text(validation={"max_length": True}), "max_length phải là số nguyên từ 1"),
        (
            text(validation={"max_length": 5, "min_length": 6}),
            "min_length không được lớn hơn max_length",
        ),
        (text(validation={"pattern": "[0-9"}), "pattern không phải biểu thức chính quy hợp lệ"),
        (text(validation={"pattern": ""}), "pattern phải là một biểu thức chính quy"),
        (text(validation={"pattern_message": "Sai"}), "pattern_message chỉ dùng cùng với pattern"),
        (
            text(validation={"pattern": "^a$", "pattern_message": " "}),
            "pattern_message phải là một câu",
        ),
        (
            {"name": "so", "type": "number", "label": "Số", "validation": {"min": "1"}},
            "min phải là một số",
        ),
        (
            {"name": "so", "type": "number", "label": "Số", "validation": {"min": 5, "max": 1}},
            "min không được lớn hơn max",
        ),
        (
            {"name": "so", "type": "number", "label": "Số", "validation": {"decimal_places": 9}},
            "decimal_places phải là số nguyên từ 0 đến 6",
        ),
        (
            {
                "name": "ngay",
                "type": "date",
                "label": "Ngày",
                "validation": {"min_date": "hôm nay"},
            },
            'min_date phải là "today"',
        ),
        (
            {
                "name": "ngay",
                "type": "date",
                "label": "Ngày",
                "validation": {"max_date": "2026-13-01"},
            },
            'max_date phải là "today"',
        ),
        (
            {
                "name": "ngay",
                "type": "date",
                "label": "Ngày",
                "validation": {"min_date": "2026-05-01", "max_date": "2026-01-01"},
            },
            "min_date không được sau max_date",
        ),
        (
            {"name": "c", "type": "checkbox", "label": "C", "validation": {"max_length": 3}},
            "kiểu checkbox không có quy tắc kiểm tra nào",
        ),
        ({"name": "c", "type": "select", "label": "C"}, 'kiểu select cần "options"'),
        ({"name": "c", "type": "select", "label": "C", "options": []}, 'kiểu select cần "options"'),
        (
            {"name": "c", "type": "select", "label": "C", "options": ["a"]},
            "lựa chọn số 1 phải có dạng",
        ),
        (
            {"name": "c", "type": "select", "label": "C", "options": [{"value": "", "label": "A"}]},
            "lựa chọn số 1 phải có dạng",
        ),
        (
            {
                "name": "c",
                "type": "select",
                "label": "C",
                "options": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}],
            },
            'giá trị lựa chọn "a" bị lặp',
        ),
        (text(options=[{"value": "a", "label": "A"}]), 'chỉ kiểu select mới có "options"'),
        (text(columns=[text()]), 'chỉ kiểu rows mới có "columns"'),
        (text(max_rows=3), 'chỉ kiểu rows mới có "max_rows"'),
        ({"name": "r", "type": "rows", "label": "R"}, 'kiểu rows cần "columns"'),
        (
            {"name": "r", "type": "rows", "label": "R", "columns": [text()], "max_rows": 0},
            "max_rows phải là số nguyên từ 1",
        ),
        (
            {"name": "r", "type": "rows", "label": "R", "columns": [text()], "min_rows": -1},
            "min_rows phải là số nguyên từ 0",
        ),
        (
            {
                "name": "r",
                "type": "rows",
                "label": "R",
                "columns": [text()],
                "min_rows": 5,
                "max_rows": 2,
            },
            "min_rows không được lớn hơn max_rows",
        ),
        (
            {
                "name": "r",
                "type": "rows",
                "label": "R",
                "columns": [{"name": "dc", "type": "address", "label": "Địa chỉ"}],
            },
            'Cột số 1 của Trường số 1 ("r") ("dc"): kiểu "address" không hợp lệ',
        ),
        (
            {
                "name": "r",
                "type": "rows",
                "label": "R",
                "columns": [{"name": "x", "type": "rows", "label": "X", "columns": [text()]}],
            },
            'kiểu "rows" không hợp lệ',
        ),
        (
            {"name": "r", "type": "rows", "label": "R", "columns": [text(), text()]},
            'tên "ho_ten" bị trùng',
        ),
    ],
)
def test_field_mistakes(item, expected):
    messages = problems(schema_with(item))
    assert any(expected in message for message in messages), messages


def test_every_problem_is_listed_with_where_it_is():
    """All problems at once, each prefixed by the field's number and name."""
    messages = problems(
        schema_with(
            text(),
            text(),
            {"name": "so", "type": "number", "label": "", "validation": {"max": "x"}},
        )
    )
    assert messages == [
        'Trường số 2 ("ho_ten"): tên "ho_ten" bị trùng.',
        'Trường số 3 ("so"): cần "label" (nhãn hiển thị cho người dân).',
        'Trường số 3 ("so"): max phải là một số.',
    ]


def test_schema_errors_lists_without_raising():
    assert schema_errors(schema_with(text())) == []
    assert schema_errors({"title": "T"}) == ['Cần "fields": danh sách ít nhất một trường.']


def test_resolve_date_relative_and_fixed():
    today = dt.date(2026, 3, 10)
    assert resolve_date("today", today) == today
    assert resolve_date("today+30", today) == dt.date(2026, 4, 9)
    assert resolve_date("today-10", today) == dt.date(2026, 2, 28)
    assert resolve_date("2026-01-02", today) == dt.date(2026, 1, 2)


# --- the built form -----------------------------------------------------------------------

EVERY_TYPE = {
    "title": "Tờ khai đủ kiểu",
    "fields": [
        {
            "name": "ho_ten",
            "type": "text",
            "label": "Họ và tên",
            "required": True,
            "help": "Như trên giấy tờ tùy thân.",
            "validation": {"max_length": 20},
        },
        {
            "name": "ma_so",
            "type": "text",
            "label": "Mã số doanh nghiệp",
            "validation": {
                "pattern": "^[0-9]{10}$",
                "pattern_message": "Mã số doanh nghiệp gồm 10 chữ số.",
            },
        },
        {
            "name": "noi_dung",
            "type": "textarea",
            "label": "Nội dung",
            "validation": {"max_length": 30, "min_length": 5},
        },
        {
            "name": "so_nguoi",
            "type": "number",
            "label": "Số người",
            "required": True,
            "validation": {"min": 1, "max": 1000},
        },
        {
            "name": "dien_tich",
            "type": "number",
            "label": "Diện tích (m2)",
            "validation": {"decimal_places": 2, "min": 0},
        },
        {
            "name": "ngay_sinh",
            "type": "date",
            "label": "Ngày sinh",
            "required": True,
            "validation": {"max_date": "today"},
        },
        {
            "name": "ngay_to_chuc",
            "type": "date",
            "label": "Ngày tổ chức",
            "validation": {"min_date": "today"},
        },
        {
            "name": "hinh_thuc",
            "type": "select",
            "label": "Hình thức",
            "required": True,
            "options": [
                {"value": "truc_tiep", "label": "Trực tiếp"},
                {"value": "truc_tuyen", "label": "Trực tuyến"},
            ],
        },
        {"name": "cam_ket", "type": "checkbox", "label": "Tôi cam kết", "required": True},
        {"name": "nhan_tin", "type": "checkbox", "label": "Nhận tin nhắn"},
        {"name": "so_giay_to", "type": "id_number", "label": "Số CMND/CCCD", "required": True},
        {"name": "di_dong", "type": "phone", "label": "Số di động", "required": True},
        {
            "name": "co_dinh",
            "type": "phone",
            "label": "Số điện thoại cơ quan",
            "validation": {"pattern": "^0[0-9]{9,10}$", "pattern_message": "Số điện thoại sai."},
        },
        {"name": "thu", "type": "email", "label": "Thư điện tử", "required": True},
        {"name": "dia_chi", "type": "address", "label": "Địa chỉ thường trú", "required": True},
        {"name": "dia_chi_khac", "type": "address", "label": "Địa chỉ liên hệ"},
        {
            "name": "thanh_vien",
            "type": "rows",
            "label": "Thành viên đoàn",
            "required": True,
            "min_rows": 1,
            "max_rows": 4,
            "columns": [
                {"name": "ten", "type": "text", "label": "Họ tên", "required": True},
                {
                    "name": "ngay_sinh",
                    "type": "date",
                    "label": "Ngày sinh",
                    "required": True,
                    "validation": {"max_date": "today"},
                },
                {"name": "so_hc", "type": "id_number", "label": "Số giấy tờ"},
                {
                    "name": "gioi_tinh",
                    "type": "select",
                    "label": "Giới tính",
                    "options": [{"value": "nam", "label": "Nam"}, {"value": "nu", "label": "Nữ"}],
                },
                {
                    "name": "so_ngay",
                    "type": "number",
                    "label": "Số ngày",
                    "validation": {"max": 30},
                },
                {"name": "truong_doan", "type": "checkbox", "label": "Trưởng đoàn"},
            ],
        },
    ],
}

GOOD = {
    "ho_ten": "  Nguyễn   Văn An ",
    "ma_so": "0123456789",
    "noi_dung": "Dòng một\r\nDòng hai",
    "so_nguoi": "1.000",
    "dien_tich": "12,5",
    "ngay_sinh": "15/08/1985",
    "ngay_to_chuc": "",
    "hinh_thuc": "truc_tuyen",
    "cam_ket": "on",
    "so_giay_to": "070 085 012 345",
    "di_dong": "+84 912 345 678",
    "co_dinh": "0271 3879 116",
    "thu": "an.nguyen@example.vn",
    "dia_chi_tinh": "Tỉnh Đồng Nai",
    "dia_chi_xa": "Phường Đồng Xoài",
    "dia_chi_duong": "Số 1 Trần Hưng Đạo",
    "thanh_vien-0-ten": "Trần Thị Bình",
    "thanh_vien-0-ngay_sinh": "01/02/1990",
    "thanh_vien-0-so_hc": "B1234567",
    "thanh_vien-0-gioi_tinh": "nu",
    "thanh_vien-0-so_ngay": "5",
    "thanh_vien-0-truong_doan": "on",
    "thanh_vien-1-ten": "",
    "thanh_vien-2-ten": "Lê Văn Cường",
    "thanh_vien-2-ngay_sinh": "1990-03-04",
}

CLEANED = {
    "ho_ten": "Nguyễn Văn An",
    "ma_so": "0123456789",
    "noi_dung": "Dòng một\nDòng hai",
    "so_nguoi": 1000,
    "dien_tich": "12.5",
    "ngay_sinh": "1985-08-15",
    "ngay_to_chuc": None,
    "hinh_thuc": "truc_tuyen",
    "cam_ket": True,
    "nhan_tin": False,
    "so_giay_to": "070085012345",
    "di_dong": "0912345678",
    "co_dinh": "02713879116",
    "thu": "an.nguyen@example.vn",
    "dia_chi": {
        "province": "Tỉnh Đồng Nai",
        "ward": "Phường Đồng Xoài",
        "street": "Số 1 Trần Hưng Đạo",
    },
    "dia_chi_khac": None,
    "thanh_vien": [
        {
            "ten": "Trần Thị Bình",
            "ngay_sinh": "1990-02-01",
            "so_hc": "B1234567",
            "gioi_tinh": "nu",
            "so_ngay": 5,
            "truong_doan": True,
        },
        {
            "ten": "Lê Văn Cường",
            "ngay_sinh": "1990-03-04",
            "so_hc": "",
            "gioi_tinh": "",
            "so_ngay": None,
            "truong_doan": False,
        },
    ],
}


def build(data=None, **kwargs):
    return schema_form_class(EVERY_TYPE)(data, **kwargs)


def test_good_input_of_every_type_is_cleaned_to_json_data():
    form = build(GOOD)
    assert form.is_valid(), form.errors
    assert form.cleaned_json() == CLEANED
    assert json.loads(json.dumps(form.cleaned_json())) == CLEANED


def test_building_refuses_a_bad_schema():
    with pytest.raises(ValidationError):
        schema_form_class({"title": "T", "fields": [{"name": "x", "type": "nope", "label": "X"}]})


def errors_for(**changes) -> dict[str, list[str]]:
    data = {**GOOD, **changes}
    for key in [k for k, v in changes.items() if v is None]:
        data.pop(key)
    form = build(data)
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ho_ten": "  "}, "ho_ten", "Vui lòng nhập họ và tên."),
        ({"ho_ten": "x" * 21}, "ho_ten", "Họ và tên tối đa 20 ký tự (đang có 21)."),
        ({"ma_so": "12345"}, "ma_so", "Mã số doanh nghiệp gồm 10 chữ số."),
        ({"noi_dung": "abc"}, "noi_dung", "Nội dung cần ít nhất 5 ký tự."),
        ({"noi_dung": "x" * 31}, "noi_dung", "Nội dung tối đa 30 ký tự (đang có 31)."),
        ({"so_nguoi": ""}, "so_nguoi", "Vui lòng nhập số người."),
        ({"so_nguoi": "mười"}, "so_nguoi", "Số người phải là một số nguyên, ví dụ 1.000."),
        ({"so_nguoi": "2,5"}, "so_nguoi", "Số người phải là số nguyên."),
        ({"so_nguoi": "0"}, "so_nguoi", "Số người phải từ 1 trở lên."),
        ({"so_nguoi": "1.001"}, "so_nguoi", "Số người không được lớn hơn 1.000."),
        ({"so_nguoi": "9" * 30}, "so_nguoi", "Số người phải là một số nguyên, ví dụ 1.000."),
        ({"dien_tich": "12,345"}, "dien_tich", "Diện tích (m2) chỉ có tối đa 2 chữ số thập phân."),
        ({"dien_tich": "-1"}, "dien_tich", "Diện tích (m2) phải từ 0 trở lên."),
        ({"dien_tich": "1e5"}, "dien_tich", "Diện tích (m2) phải là một số, ví dụ 12,5."),
        ({"ngay_sinh": "31/02/1990"}, "ngay_sinh", "Ngày không hợp lệ"),
        ({"ngay_sinh": "hôm qua"}, "ngay_sinh", "Ngày không hợp lệ"),
        ({"ngay_sinh": "01/01/1850"}, "ngay_sinh", "Ngày sinh không hợp lệ: năm phải từ 1900"),
        ({"ngay_sinh": ""}, "ngay_sinh", "Vui lòng nhập ngày sinh."),
        ({"ngay_to_chuc": "01/01/2000"}, "ngay_to_chuc", "Ngày tổ chức không được trước ngày"),
        ({"hinh_thuc": ""}, "hinh_thuc", "Vui lòng chọn hình thức."),
        ({"hinh_thuc": "bay"}, "hinh_thuc", "Lựa chọn không hợp lệ cho hình thức"),
        ({"cam_ket": None}, "cam_ket", 'Vui lòng đánh dấu ô "Tôi cam kết".'),
        ({"so_giay_to": "12345"}, "so_giay_to", "Số CMND gồm 9 chữ số, số CCCD gồm 12 chữ số."),
        ({"so_giay_to": "999085012345"}, "so_giay_to", "3 chữ số đầu phải là mã tỉnh"),
        ({"so_giay_to": ""}, "so_giay_to", "Vui lòng nhập số CMND/CCCD."),
        ({"di_dong": "0212345678"}, "di_dong", "Số điện thoại di động không hợp lệ"),
        ({"di_dong": "09123"}, "di_dong", "Số điện thoại di động không hợp lệ"),
        ({"co_dinh": "271 3879 116"}, "co_dinh", "Số điện thoại sai."),
        ({"thu": "an.nguyen@"}, "thu", "Thư điện tử không hợp lệ, ví dụ: ten@example.com."),
        ({"thu": "a" * 250 + "@x.vn"}, "thu", "Thư điện tử tối đa 254 ký tự"),
        ({"dia_chi_tinh": ""}, "dia_chi", "Vui lòng chọn tỉnh/thành phố của địa chỉ thường trú."),
        ({"dia_chi_tinh": "Tỉnh Bình Phước"}, "dia_chi", "không có trong danh sách"),
        ({"dia_chi_xa": ""}, "dia_chi", "Vui lòng nhập xã/phường của địa chỉ thường trú."),
        ({"dia_chi_duong": ""}, "dia_chi", "Vui lòng nhập số nhà, đường, thôn/ấp của địa chỉ"),
        (
            {"dia_chi_tinh": "", "dia_chi_xa": "", "dia_chi_duong": ""},
            "dia_chi",
            "Vui lòng nhập địa chỉ thường trú.",
        ),
        (
            {"dia_chi_khac_tinh": "Tỉnh Đồng Nai"},
            "dia_chi_khac",
            "Vui lòng nhập xã/phường của địa chỉ liên hệ.",
        ),
        (
            {"thanh_vien-0-ngay_sinh": "01/01/2100"},
            "thanh_vien",
            "Dòng 1, cột “Ngày sinh”: Ngày sinh không được sau ngày",
        ),
        (
            {"thanh_vien-2-ten": "", "thanh_vien-2-ngay_sinh": "", "thanh_vien-0-ten": ""},
            "thanh_vien",
            "Dòng 1, cột “Họ tên”: Vui lòng nhập họ tên.",
        ),
        ({"thanh_vien-2-so_ngay": "31"}, "thanh_vien", "Dòng 3, cột “Số ngày”: Số ngày không"),
        ({"thanh_vien-2-gioi_tinh": "khac"}, "thanh_vien", "Dòng 3, cột “Giới tính”: Lựa chọn"),
        ({"thanh_vien-2-so_hc": "A12"}, "thanh_vien", "Dòng 3, cột “Số giấy tờ”: Số giấy tờ"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(changes, field, message):
    errors = errors_for(**changes)
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors[field]


def test_required_rows_need_one_filled_row():
    data = {k: v for k, v in GOOD.items() if not k.startswith("thanh_vien")}
    data["thanh_vien-0-truong_doan"] = ""
    form = build(data)
    assert not form.is_valid()
    assert form.errors["thanh_vien"] == ["Vui lòng nhập ít nhất 1 dòng cho thành viên đoàn."]


def test_too_many_rows_is_refused_not_dropped():
    data = dict(GOOD)
    for index in range(5):
        data[f"thanh_vien-{index}-ten"] = f"Người {index}"
        data[f"thanh_vien-{index}-ngay_sinh"] = "01/01/1990"
    form = build(data)
    assert not form.is_valid()
    assert "Thành viên đoàn có tối đa 4 dòng." in form.errors["thanh_vien"]


def test_unbound_form_renders_labels_hints_and_blank_rows():
    html = Template("{% load ui %}{% for f in form %}{% field f %}{% endfor %}").render(
        Context({"form": build()})
    )
    # visible label tied to the input, '*' for required, hint tied with aria-describedby
    assert '<label class="label" for="id_ho_ten">Họ và tên <span class="required"' in html
    assert 'aria-describedby="id_ho_ten-hint"' in html
    assert "Như trên giấy tờ tùy thân." in html
    # address: the label points at the province; ward and street have their own labels
    assert 'for="id_dia_chi_0"' in html
    assert '<label class="address-part-label" for="id_dia_chi_1">Xã/phường/đặc khu</label>' in html
    assert html.count("Tỉnh Đồng Nai") >= 2  # both address fields list the provinces
    # rows: a table with a header per column and 3 blank rows (no JavaScript needed)
    assert '<th scope="col">Họ tên <span class="required"' in html
    assert 'name="thanh_vien-2-ten"' in html
    assert 'name="thanh_vien-3-ten"' not in html
    assert 'aria-label="Họ tên, dòng 1"' in html
    assert 'id="id_thanh_vien"' in html  # the error summary links here
    # checkbox and select
    assert 'type="checkbox" name="cam_ket"' in html
    assert '<option value="truc_tuyen">Trực tuyến</option>' in html


def test_bound_form_keeps_what_was_typed_and_adds_blank_rows():
    data = dict(GOOD, ho_ten="")
    form = build(data)
    assert not form.is_valid()
    html = Template("{% load ui %}{% for f in form %}{% field f %}{% endfor %}").render(
        Context({"form": form})
    )
    assert 'value="Trần Thị Bình"' in html
    assert 'value="12,5"' in html
    assert '<option value="Tỉnh Đồng Nai" selected>' in html
    # 2 filled rows + 3 blank ones, capped at max_rows 4
    assert 'name="thanh_vien-3-ten"' in html
    assert 'name="thanh_vien-4-ten"' not in html
    assert 'aria-invalid="true"' in html


def test_cleaned_data_round_trips_as_initial():
    """A draft stored as JSON is edited again: initial renders it, posting it back gives the
    same data (dates shown dd/mm/yyyy, numbers with Vietnamese separators)."""
    first = build(GOOD)
    assert first.is_valid()
    stored = json.loads(json.dumps(first.cleaned_json()))
    edit = build(initial=stored)
    html = str(edit["ngay_sinh"]) + str(edit["so_nguoi"]) + str(edit["thanh_vien"])
    assert 'value="15/08/1985"' in html
    assert 'value="1.000"' in html
    assert 'value="01/02/1990"' in html
    # what the browser would post back from that page
    posted = {}
    for bound in edit:
        widget = bound.field.widget
        value = bound.value()
        if bound.name == "thanh_vien":
            for index, row in enumerate(value):
                for key, cell in row.items():
                    field = {rules.name: f for rules, f in bound.field.columns}[key]
                    shown = field.prepare_value(cell)
                    if shown is True:
                        shown = "on"
                    if shown not in (None, False, ""):
                        posted[f"thanh_vien-{index}-{key}"] = shown
        elif hasattr(widget, "decompress"):
            for suffix, part in zip(widget.widgets_names, widget.decompress(value), strict=True):
                posted[f"{bound.name}{suffix}"] = part
        elif value is True:
            posted[bound.name] = "on"
        elif value not in (None, False):
            posted[bound.name] = value
    second = build(posted)
    assert second.is_valid(), second.errors
    assert second.cleaned_json() == stored


def test_provinces_are_the_34_units_since_2025():
    assert len(provinces()) == 34
    assert "Tỉnh Đồng Nai" in provinces()
    assert "Tỉnh Bình Phước" not in provinces()


def test_date_rules_use_today_in_vietnam(settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 1))
    form = build({**GOOD, "ngay_sinh": "02/05/2026"})
    assert not form.is_valid()
    assert form.errors["ngay_sinh"] == ["Ngày sinh không được sau ngày 01/05/2026."]
    assert build({**GOOD, "ngay_sinh": "01/05/2026"}).is_valid()
