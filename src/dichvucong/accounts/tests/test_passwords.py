import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from dichvucong.accounts.models import User


def person() -> User:
    return User(
        username="070090123456",
        id_number="070090123456",
        full_name="Nguyễn Văn Thành",
        phone="0912345678",
        email="thanh.nguyen@example.vn",
    )


@pytest.mark.parametrize(
    "password",
    [
        "mùa thu Hà Nội",  # a passphrase with diacritics and spaces
        "correct horse battery staple",
        "x" * 40 + "Qz!" + "y" * 21,  # 64 characters are allowed
        "Tr4ng-xanh-2026",
    ],
)
def test_good_passwords_pass(password):
    password_validation.validate_password(password, person())


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("abc1234", "quá ngắn"),  # 7 characters
        ("password", "quá phổ biến"),
        ("12345678", "quá phổ biến"),
        ("qwertyuiop", "quá phổ biến"),
        ("a" * 129, "tối đa 128"),
        ("070090123456", "thông tin cá nhân"),  # the ID number
        ("Pw0912345678", "thông tin cá nhân"),  # contains the phone
        ("nguyenvanthanh", "thông tin cá nhân"),  # the name without marks
        ("Nguyễn Văn Thành!", "thông tin cá nhân"),
        ("thanh.nguyen", "thông tin cá nhân"),  # the email's local part
    ],
)
def test_bad_passwords_are_refused_in_vietnamese(password, fragment):
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password(password, person())
    assert fragment in " ".join(error.value.messages).lower()


def test_no_composition_rules():
    """NIST 800-63B: no "must contain a digit and a symbol" rule."""
    password_validation.validate_password("bầu trời mùa thu xanh ngắt", person())
