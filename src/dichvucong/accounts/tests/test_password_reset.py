import re

import pytest
from django.urls import reverse

from dichvucong.accounts.models import User
from dichvucong.notifications.models import Notification

from .factories import PASSWORD, citizen
from .helpers import last_code

pytestmark = pytest.mark.django_db
REQUEST = reverse("accounts:password_reset_request")
RESET = reverse("accounts:password_reset")
NEW = "trăng rằm tháng tám"


def test_reset_by_sms_code_then_log_in_with_the_new_password(client):
    user = citizen()
    response = client.post(REQUEST, {"username": user.phone, "channel": "sms"})
    assert response["Location"] == RESET
    code = last_code(to=user.phone, template="reset_password")
    page = client.get(RESET).content.decode()
    assert f'value="{user.phone}"' in page  # the login name is remembered
    done = client.post(
        RESET, {"username": user.phone, "code": code, "password": NEW, "password2": NEW}
    )
    assert done["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert user.phone_verified_at  # the code reached the phone
    login = client.post(reverse("accounts:login"), {"username": user.id_number, "password": NEW})
    assert login.status_code == 302


def test_reset_by_email(client):
    user = citizen()
    client.post(REQUEST, {"username": user.id_number, "channel": "email"})
    code = last_code(to=user.email, template="reset_password")
    client.post(
        RESET, {"username": user.id_number, "code": code, "password": NEW, "password2": NEW}
    )
    assert User.objects.get(pk=user.pk).check_password(NEW)


def test_unknown_and_known_names_get_the_same_answer(client):
    user = citizen()
    known = client.post(REQUEST, {"username": user.id_number, "channel": "sms"}, follow=True)
    unknown = client.post(REQUEST, {"username": "070090777777", "channel": "sms"}, follow=True)

    def strip(html: str) -> str:
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return html.replace(user.id_number, "X").replace("070090777777", "X")

    assert strip(known.content.decode()) == strip(unknown.content.decode())
    assert Notification.objects.filter(template="reset_password").count() == 1


def test_a_wrong_code_changes_nothing(client):
    user = citizen()
    client.post(REQUEST, {"username": user.id_number, "channel": "sms"})
    code = last_code(to=user.phone, template="reset_password")
    wrong = "000000" if code != "000000" else "999999"
    response = client.post(
        RESET, {"username": user.id_number, "code": wrong, "password": NEW, "password2": NEW}
    )
    assert "Mã xác thực không đúng" in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_a_reset_code_works_once(client):
    user = citizen()
    client.post(REQUEST, {"username": user.id_number, "channel": "sms"})
    code = last_code(to=user.phone, template="reset_password")
    data = {"username": user.id_number, "code": code, "password": NEW, "password2": NEW}
    client.post(RESET, data)
    again = {**data, "password": "một mật khẩu khác nữa", "password2": "một mật khẩu khác nữa"}
    response = client.post(RESET, again)
    assert "Mã xác thực không đúng" in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(NEW)


def test_the_new_password_follows_the_rules(client):
    user = citizen()
    client.post(REQUEST, {"username": user.id_number, "channel": "sms"})
    code = last_code(to=user.phone, template="reset_password")
    response = client.post(
        RESET,
        {"username": user.id_number, "code": code, "password": user.id_number, "password2": "x"},
    )
    html = response.content.decode()
    assert "Mật khẩu nhập lại không khớp." in html
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_reset_requests_are_limited(client, settings):
    settings.CODES_PER_ACCOUNT_PER_HOUR = 2
    user = citizen()
    for _ in range(2):
        client.post(REQUEST, {"username": user.id_number, "channel": "sms"})
    response = client.post(REQUEST, {"username": user.id_number, "channel": "sms"})
    assert response.status_code == 429
    assert Notification.objects.filter(template="reset_password").count() == 2


def test_a_reset_unlocks_a_locked_account(client, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    user = citizen()
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": user.id_number, "password": "sai"})
    client.post(REQUEST, {"username": user.id_number, "channel": "sms"})
    code = last_code(to=user.phone, template="reset_password")
    client.post(
        RESET, {"username": user.id_number, "code": code, "password": NEW, "password2": NEW}
    )
    login = client.post(reverse("accounts:login"), {"username": user.id_number, "password": NEW})
    assert login.status_code == 302
