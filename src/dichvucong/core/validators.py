"""Validators of Vietnamese identifiers: ID card (CMND/CCCD), passport, mobile phone, tax code.

Pure functions, shared by registration, profile, declaration forms and the lookup. Each raises
`django.core.exceptions.ValidationError` with a Vietnamese message for the person who typed it.
"""

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Birth-place codes of the 12-digit CCCD (Thông tư 07/2016/TT-BCA, 63 provinces before 2025;
# cards issued after the 2025 merger keep these codes).
CCCD_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)

_DIGITS = re.compile(r"^\d+$")
_PASSPORT = re.compile(r"^[A-Z]\d{7}$")
_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


class IdKind(StrEnum):
    CMND = "cmnd"
    CCCD = "cccd"
    PASSPORT = "passport"


@dataclass(frozen=True)
class IdNumber:
    kind: IdKind
    value: str


def normalise_id_number(raw: str) -> str:
    """Spaces and dots people type inside numbers are dropped; letters upper-cased."""
    return _SEPARATORS.sub("", raw or "").upper()


def parse_id_number(raw: str) -> IdNumber:
    """Recognise a CMND (9 digits), CCCD (12 digits) or passport (letter + 7 digits)."""
    value = normalise_id_number(raw)
    if not value:
        raise ValidationError(_("Vui lòng nhập số CMND/CCCD/Hộ chiếu."), code="required")
    if _DIGITS.match(value):
        if len(value) == 9:
            return IdNumber(IdKind.CMND, value)
        if len(value) == 12:
            if value[:3] not in CCCD_PROVINCE_CODES:
                raise ValidationError(
                    _("Số CCCD không hợp lệ: 3 chữ số đầu phải là mã tỉnh nơi đăng ký khai sinh."),
                    code="cccd_province",
                )
            return IdNumber(IdKind.CCCD, value)
        raise ValidationError(_("Số CMND gồm 9 chữ số, số CCCD gồm 12 chữ số."), code="id_length")
    if _PASSPORT.match(value):
        return IdNumber(IdKind.PASSPORT, value)
    raise ValidationError(
        _(
            "Số giấy tờ không hợp lệ: nhập CMND (9 chữ số), CCCD (12 chữ số) "
            "hoặc hộ chiếu (1 chữ cái và 7 chữ số)."
        ),
        code="id_format",
    )


def cccd_birth_facts(value: str) -> tuple[int, str]:
    """The century-gender digit and year digits of a CCCD: (earliest birth year, gender).

    4th digit: 0/1 born 1900–1999 (male/female), 2/3 2000–2099, 4/5 2100–2199, …;
    5th–6th digits: the last two digits of the birth year.
    """
    digit = int(value[3])
    century_start = 1900 + 100 * (digit // 2)
    year = century_start + int(value[4:6])
    gender = "female" if digit % 2 else "male"
    return year, gender


def check_cccd_against_birth_date(value: str, birth_date: dt.date) -> None:
    year, _gender = cccd_birth_facts(value)
    if year != birth_date.year:
        raise ValidationError(
            _(
                "Số CCCD không khớp với ngày sinh: chữ số thứ 4 đến thứ 6 của CCCD "
                "cho biết năm sinh %(year)s."
            )
            % {"year": year},
            code="cccd_birth_year",
        )


def normalise_phone(raw: str) -> str:
    """'+84 912 345 678', '84912345678', '0912.345.678' -> '0912345678'."""
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) == 11:
        value = "0" + value[2:]
    return value


def validate_mobile_phone(raw: str) -> str:
    """Return the normalised 10-digit mobile number or raise."""
    value = normalise_phone(raw)
    if not _MOBILE.match(value):
        raise ValidationError(
            _(
                "Số điện thoại di động không hợp lệ: 10 chữ số, bắt đầu bằng 03, 05, 07, 08 "
                "hoặc 09 (có thể nhập dạng +84)."
            ),
            code="phone",
        )
    return value


def validate_tax_code(raw: str) -> str:
    value = re.sub(r"\s", "", raw or "")
    if not _TAX_CODE.match(value):
        raise ValidationError(
            _(
                "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số và mã chi nhánh "
                "3 chữ số (0123456789-001)."
            ),
            code="tax_code",
        )
    return value


def parse_vn_date(raw: str) -> dt.date:
    """Dates as people write them here: dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, ISO)."""
    value = (raw or "").strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValidationError(_("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 15/08/1985."))
