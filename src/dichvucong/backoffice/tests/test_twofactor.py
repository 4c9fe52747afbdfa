import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.tests.factories import PASSWORD, citizen, staff
from dichvucong.dossiers.tests.factories import agency

from .helpers import current_code

pytestmark = pytest.mark.django_db
INBOX = reverse("backoffice:inbox")


def test_first_login_enrols_an_authenticator_then_shows_recovery_codes(client):
    user = staff(agency=agency(), role="reception")
    login = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert login["Location"] == INBOX
    to_otp = client.get(INBOX)
    assert to_otp["Location"].startswith(reverse("backoffice:otp"))
    to_enrol = client.get(to_otp["Location"])
    assert to_enrol["Location"].startswith(reverse("backoffice:otp_enrol"))
    page = client.get(to_enrol["Location"])
    html = page.content.decode()
    assert "<svg" in html
    assert "Cài đặt xác thực hai bước" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(
        to_enrol["Location"], {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "Mã xác thực không đúng" in wrong.content.decode()
    assert client.get(INBOX).status_code == 302  # still not through

    # a moment later (django-otp makes a wrong code wait 1 s before the next try)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    done = client.post(to_enrol["Location"], {"code": current_code(device)})
    html = done.content.decode()
    assert "Mã khôi phục" in html
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get(INBOX).status_code == 200


def test_later_logins_ask_for_the_code_and_recovery_codes_work_once(client):
    user = staff(agency=agency(), role="reception")
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    from dichvucong.backoffice.twofactor import totp_confirm

    codes = totp_confirm(device=device)
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    otp_url = reverse("backoffice:otp") + "?next=" + INBOX
    assert "Xác thực hai bước" in client.get(otp_url).content.decode()
    response = client.post(otp_url, {"code": codes[0], "next": INBOX})
    assert response["Location"] == INBOX
    assert client.get(INBOX).status_code == 200

    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    again = client.post(otp_url, {"code": codes[0], "next": INBOX})
    assert "Mã xác thực không đúng hoặc đã dùng" in again.content.decode()
    assert client.get(INBOX).status_code == 302


def test_a_password_alone_never_opens_the_back_office(client):
    user = staff(agency=agency(), role="leader")
    TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    client.force_login(user)
    for url in [INBOX, reverse("backoffice:dossier", kwargs={"pk": 1})]:
        assert client.get(url)["Location"].startswith(reverse("backoffice:otp"))


def test_citizens_and_visitors_do_not_reach_the_back_office(client):
    assert client.get(INBOX)["Location"].startswith(reverse("accounts:login"))
    client.force_login(citizen(verified=True))
    assert client.get(INBOX).status_code == 404
    assert client.get(reverse("backoffice:otp")).status_code == 404


def test_the_totp_code_is_throttled_after_failures(client):
    user = staff(agency=agency(), role="reception")
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    client.force_login(user)
    url = reverse("backoffice:otp")
    good = current_code(device)
    bad = "000000" if good != "000000" else "111111"
    for _ in range(3):
        client.post(url, {"code": bad})
    # django-otp doubles the wait after each failure: the right code is refused right now
    response = client.post(url, {"code": good})
    assert "Mã xác thực không đúng" in response.content.decode()
