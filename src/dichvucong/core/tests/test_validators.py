import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dichvucong.core.masking import mask_email, mask_name, mask_phone
from dichvucong.core.text import fold, without_diacritics
from dichvucong.core.validators import (
    IdKind,
    cccd_birth_facts,
    check_cccd_against_birth_date,
    parse_id_number,
    parse_vn_date,
    validate_mobile_phone,
    validate_tax_code,
)


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("285123456", IdKind.CMND, "285123456"),
        ("070090123456", IdKind.CCCD, "070090123456"),
        (" 070 090 123 456 ", IdKind.CCCD, "070090123456"),
        ("001.301.000.123", IdKind.CCCD, "001301000123"),
        ("b1234567", IdKind.PASSPORT, "B1234567"),
        ("C 1234567", IdKind.PASSPORT, "C1234567"),
    ],
)
def test_valid_id_numbers_are_recognised_and_normalised(raw, kind, value):
    parsed = parse_id_number(raw)
    assert (parsed.kind, parsed.value) == (kind, value)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("12345678", "id_length"),  # 8 digits
        ("1234567890", "id_length"),  # 10 digits
        ("0700901234567", "id_length"),  # 13 digits
        ("003090123456", "cccd_province"),  # 003 is no province
        ("099090123456", "cccd_province"),
        ("AB123456", "id_format"),
        ("B123456", "id_format"),  # passport with 6 digits
        ("07009012345X", "id_format"),
        ("<script>", "id_format"),
    ],
)
def test_invalid_id_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as error:
        parse_id_number(raw)
    assert error.value.code == code


def test_cccd_century_gender_digit():
    """4th digit: 0/1 = 1900s male/female, 2/3 = 2000s; 5th–6th digits: year."""
    assert cccd_birth_facts("070090123456") == (1990, "male")
    assert cccd_birth_facts("070190123456") == (1990, "female")
    assert cccd_birth_facts("070205123456") == (2005, "male")
    assert cccd_birth_facts("070305123456") == (2005, "female")


def test_cccd_must_match_birth_year():
    check_cccd_against_birth_date("070090123456", dt.date(1990, 8, 15))
    with pytest.raises(ValidationError, match="năm sinh 1990"):
        check_cccd_against_birth_date("070090123456", dt.date(1991, 1, 1))
    with pytest.raises(ValidationError):
        # 2 says born in the 2000s; 1990 does not fit.
        check_cccd_against_birth_date("070290123456", dt.date(1990, 8, 15))


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("(039) 123-4567", "0391234567"),
        ("0587654321", "0587654321"),
        ("0701234567", "0701234567"),
        ("0801234567", "0801234567"),
    ],
)
def test_mobile_numbers_are_normalised(raw, normalised):
    assert validate_mobile_phone(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    ["", "091234567", "09123456789", "0212345678", "0112345678", "+1 415 555 0100", "0912abc678"],
)
def test_invalid_mobile_numbers_are_refused(raw):
    with pytest.raises(ValidationError, match="Số điện thoại di động không hợp lệ"):
        validate_mobile_phone(raw)


def test_tax_codes():
    assert validate_tax_code("3800100121") == "3800100121"
    assert validate_tax_code("3800100121-001") == "3800100121-001"
    for bad in ["380010012", "3800100121-01", "MST3800100121", ""]:
        with pytest.raises(ValidationError):
            validate_tax_code(bad)


def test_vietnamese_dates():
    assert parse_vn_date("15/08/1990") == dt.date(1990, 8, 15)
    assert parse_vn_date("5/8/1990") == dt.date(1990, 8, 5)
    assert parse_vn_date("15-08-1990") == dt.date(1990, 8, 15)
    assert parse_vn_date("1990-08-15") == dt.date(1990, 8, 15)
    for bad in ["31/02/1990", "15/13/1990", "hôm qua", "", "08/15/1990"]:
        with pytest.raises(ValidationError):
            parse_vn_date(bad)


def test_fold_ignores_case_marks_and_d_stroke():
    assert fold("An toàn, vệ sinh lao động") == "an toan, ve sinh lao dong"
    assert fold("ĐĂNG KÝ") == "dang ky"
    assert fold("hòa") == fold("hoà") == "hoa"  # both tone placements
    assert without_diacritics("Mã xác thực Đồng Xoài") == "Ma xac thuc Dong Xoai"


def test_masking():
    assert mask_name("Nguyễn Văn An") == "Nguyễn V… A…"
    assert mask_name("") == ""
    assert mask_phone("0912345678") == "091*****78"
    assert mask_email("an.nguyen@example.vn") == "a*******n@example.vn"
    assert mask_email("ab@example.vn") == "a*@example.vn"
