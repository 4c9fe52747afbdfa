import re

import pytest
from django.core import mail
from django.urls import reverse

from dichvucong.accounts.models import User, VerificationCode
from dichvucong.notifications.models import Notification

from .factories import citizen

pytestmark = pytest.mark.django_db

URL = reverse("accounts:register")


def form_data(**overrides):
    data = {
        "account_kind": "citizen",
        "full_name": "  Nguyễn   Văn An ",
        "id_number": "070 090 123 456",
        "birth_date": "15/08/1990",
        "phone": "+84 912 345 678",
        "email": "An.Nguyen@Example.vn",
        "password": "mùa thu Hà Nội 2026",
        "password2": "mùa thu Hà Nội 2026",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def field_error(html: str, name: str) -> str:
    match = re.search(rf'id="id_{name}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def test_the_form_shows_the_labels_of_the_guide(client):
    html = client.get(URL).content.decode()
    for label in [
        "Loại tài khoản",
        "Cá nhân",
        "Tổ chức",
        "Họ và tên",
        "Số CMND/CCCD/Hộ chiếu",
        "Ngày sinh",
        "Số điện thoại",
        "Thư điện tử",
        "Mật khẩu",
        "Nhập lại mật khẩu",
        "Tôi đồng ý với điều khoản sử dụng",
        "Tên tổ chức",
        "Mã số thuế",
    ]:
        assert label in html, label
    assert 'for="id_full_name"' in html
    assert html.count('class="required"') >= 9
    assert ">Đăng ký</button>" in html


def test_a_citizen_registers_and_gets_a_code_by_sms_and_a_link_by_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:registered")
    user = User.objects.get()
    assert user.username == user.id_number == "070090123456"
    assert user.kind == "citizen"
    assert user.full_name == "Nguyễn Văn An"
    assert user.phone == "0912345678"
    assert user.email == "an.nguyen@example.vn"
    assert user.id_kind == "cccd"
    assert user.gender == "male"
    assert user.password.startswith("argon2")
    assert not user.has_verified_contact
    sent = {n.channel: n for n in Notification.objects.all()}
    assert set(sent) == {"email", "sms"}
    assert sent["sms"].to == "0912345678"
    assert re.search(r"\b\d{6}\b", sent["sms"].body)
    assert sent["email"].to == "an.nguyen@example.vn"
    assert "/tai-khoan/xac-thuc/email/" in sent["email"].body
    assert all(n.status == "sent" for n in sent.values())
    assert VerificationCode.objects.filter(user=user).count() == 2

    page = client.get(response["Location"]).content.decode()
    assert "Hoàn tất đăng ký" in page
    assert "091*****78" in page
    assert "a*******n@example.vn" in page


def test_email_goes_through_django_mail_when_email_url_is_set(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_URL = "smtp://127.0.0.1:1"  # the test runner swaps the backend for locmem
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an.nguyen@example.vn"]
    assert mail.outbox[0].subject.startswith("Xác thực thư điện tử")


def test_an_organisation_registers_with_its_tax_code_as_login_name(client):
    response = client.post(
        URL,
        form_data(
            account_kind="organisation",
            organisation_name="Công ty TNHH Cao su Đồng Phú",
            tax_code="3800100121",
        ),
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.kind == "organisation"
    assert user.username == "3800100121"
    assert user.display_name == "Công ty TNHH Cao su Đồng Phú"
    assert user.full_name == "Nguyễn Văn An"  # the representative


def test_a_foreigner_registers_with_a_passport(client):
    response = client.post(URL, form_data(id_number="b1234567"))
    assert response.status_code == 302
    assert User.objects.get().id_kind == "passport"
    assert User.objects.get().username == "B1234567"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Vui lòng nhập họ và tên."),
        ({"id_number": ""}, "id_number", "Vui lòng nhập số CMND/CCCD/Hộ chiếu."),
        ({"id_number": "12345"}, "id_number", "Số CMND gồm 9 chữ số, số CCCD gồm 12 chữ số."),
        ({"id_number": "003090123456"}, "id_number", "3 chữ số đầu phải là mã tỉnh"),
        ({"id_number": "070190123456", "birth_date": "15/08/1991"}, "id_number", "năm sinh 1990"),
        ({"birth_date": ""}, "birth_date", "Vui lòng nhập ngày sinh."),
        ({"birth_date": "31/02/1990"}, "birth_date", "Ngày không hợp lệ"),
        ({"birth_date": "01/01/2099"}, "birth_date", "không thể sau ngày hôm nay"),
        ({"phone": ""}, "phone", "Vui lòng nhập số điện thoại."),
        ({"phone": "0212345678"}, "phone", "Số điện thoại di động không hợp lệ"),
        ({"email": "an.nguyen"}, "email", "Thư điện tử không hợp lệ"),
        ({"password": "", "password2": ""}, "password", "Vui lòng nhập mật khẩu."),
        ({"password": "12345678", "password2": "12345678"}, "password", "quá phổ biến"),
        ({"password": "abc", "password2": "abc"}, "password", "quá ngắn"),
        ({"password2": "khác hẳn 2026"}, "password2", "Mật khẩu nhập lại không khớp."),
        (
            {"password": "070090123456x", "password2": "070090123456x"},
            "password",
            "thông tin cá nhân",
        ),
        ({"accept_terms": ""}, "accept_terms", "Bạn cần đồng ý với điều khoản sử dụng"),
        ({"account_kind": "hacker"}, "account_kind", "Hãy chọn một lựa chọn hợp lệ"),
        ({"account_kind": "organisation"}, "organisation_name", "Vui lòng nhập tên tổ chức."),
        (
            {"account_kind": "organisation", "organisation_name": "Công ty A", "tax_code": "12"},
            "tax_code",
            "Mã số thuế gồm 10 chữ số",
        ),
        ({"full_name": "A" * 151}, "full_name", "tối đa 150 kí tự"),
    ],
)
def test_bad_input_is_answered_next_to_the_field_and_nothing_is_created(
    client, overrides, field, message
):
    data = form_data(**overrides)
    response = client.post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in field_error(html, field), field_error(html, field) or html
    assert "Vui lòng kiểm tra lại thông tin" in html  # the error summary
    assert f'href="#id_{field}' in html  # linked to the field
    assert 'aria-invalid="true"' in html
    # what was typed is kept, passwords are not
    if data["full_name"] and field != "full_name":
        assert 'value="  Nguyễn   Văn An "' in html
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    if data["id_number"]:
        assert f'value="{data["id_number"]}"' in html
    assert data["password"] == "" or data["password"] not in html
    assert User.objects.count() == 0
    assert Notification.objects.count() == 0


def test_duplicates_are_refused_with_a_clear_message(client):
    existing = citizen(phone="0912345678", email="an.nguyen@example.vn")
    html = client.post(URL, form_data(id_number=existing.id_number)).content.decode()
    assert "Số giấy tờ này đã được dùng để đăng ký" in field_error(html, "id_number")
    assert "Số điện thoại này đã được dùng" in field_error(html, "phone")
    assert "Thư điện tử này đã được dùng" in field_error(html, "email")
    assert User.objects.count() == 1


def test_email_duplicates_ignore_case(client):
    citizen(email="an.nguyen@example.vn")
    html = client.post(URL, form_data(email="AN.NGUYEN@example.VN")).content.decode()
    assert "Thư điện tử này đã được dùng" in field_error(html, "email")


def test_registration_is_rate_limited_per_client_address(client, settings):
    settings.REGISTRATIONS_PER_CLIENT_PER_HOUR = 3
    for _ in range(3):
        assert client.post(URL, form_data(phone="")).status_code == 200
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert "quá nhiều yêu cầu đăng ký" in response.content.decode()
    assert User.objects.count() == 0


def test_registration_needs_the_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, form_data())
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
    assert User.objects.count() == 0


def test_a_logged_in_person_is_sent_to_the_account_page(client):
    client.force_login(citizen())
    assert client.get(URL)["Location"] == reverse("accounts:profile")
