import pytest
from django.urls import reverse

from dichvucong.accounts.models import User

from .factories import PASSWORD, citizen
from .helpers import last_code

pytestmark = pytest.mark.django_db
PROFILE = reverse("accounts:profile")


def profile_data(user, **overrides):
    data = {
        "phone": user.phone,
        "email": user.email,
        "address": "12 Trần Hưng Đạo, phường Tân Phú, TP Đồng Xoài",
        "notify_by_sms": "on",
        "notify_by_email": "on",
    }
    data.update(overrides)
    return data


def test_the_profile_needs_login(client):
    response = client.get(PROFILE)
    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE}"


def test_the_profile_shows_the_account_and_its_verification(client):
    user = citizen()
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert user.id_number in html
    assert user.full_name in html
    assert "Tài khoản chưa được xác thực" in html
    assert "chưa xác thực" in html


def test_editing_the_address_keeps_verification(client):
    user = citizen(verified=True)
    client.force_login(user)
    response = client.post(PROFILE, profile_data(user))
    assert response["Location"] == PROFILE
    user.refresh_from_db()
    assert user.address.startswith("12 Trần Hưng Đạo")
    assert user.phone_verified_at
    assert user.email_verified_at


def test_a_new_phone_must_be_verified_again(client):
    user = citizen(verified=True)
    client.force_login(user)
    response = client.post(PROFILE, profile_data(user, phone="0987 654 321", notify_by_sms=""))
    assert response["Location"] == reverse("accounts:verify")
    user.refresh_from_db()
    assert user.phone == "0987654321"
    assert user.phone_verified_at is None
    assert user.email_verified_at is not None
    assert user.notify_by_sms is False
    client.post(reverse("accounts:verify"), {"code": last_code(to="0987654321")})
    assert User.objects.get(pk=user.pk).phone_verified_at


def test_a_phone_or_email_of_someone_else_is_refused(client):
    other = citizen()
    user = citizen(verified=True)
    client.force_login(user)
    html = client.post(PROFILE, profile_data(user, phone=other.phone)).content.decode()
    assert "đã được dùng cho một tài khoản khác" in html
    assert User.objects.get(pk=user.pk).phone == user.phone
    html = client.post(PROFILE, profile_data(user, email=other.email.upper())).content.decode()
    assert "đã được dùng cho một tài khoản khác" in html


def test_bad_contact_data_is_refused_and_kept(client):
    user = citizen(verified=True)
    client.force_login(user)
    html = client.post(PROFILE, profile_data(user, phone="12345", email="x@")).content.decode()
    assert "Số điện thoại di động không hợp lệ" in html
    assert "Thư điện tử không hợp lệ" in html
    assert 'value="12345"' in html
    assert 'value="x@"' in html


def test_change_password(client):
    user = citizen()
    client.force_login(user)
    url = reverse("accounts:password_change")
    wrong = client.post(
        url,
        {"old_password": "sai", "password": "mật khẩu mới 2026", "password2": "mật khẩu mới 2026"},
    )
    assert "Mật khẩu hiện tại không đúng." in wrong.content.decode()
    ok = client.post(
        url,
        {
            "old_password": PASSWORD,
            "password": "mật khẩu mới 2026",
            "password2": "mật khẩu mới 2026",
        },
    )
    assert ok["Location"] == PROFILE
    assert User.objects.get(pk=user.pk).check_password("mật khẩu mới 2026")
    assert client.get(PROFILE).status_code == 200  # still logged in


def test_one_citizen_cannot_see_or_change_another(client):
    """The profile only ever shows the logged-in account; there is no id in the URL."""
    alice, bob = citizen(), citizen()
    client.force_login(alice)
    html = client.get(PROFILE, {"id": bob.pk, "user": bob.pk}).content.decode()
    assert bob.id_number not in html
    assert bob.phone not in html
    client.post(PROFILE, {**profile_data(alice), "id": bob.pk})
    assert User.objects.get(pk=bob.pk).address == ""
