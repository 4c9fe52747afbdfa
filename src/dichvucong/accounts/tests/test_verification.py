import datetime as dt
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from dichvucong.accounts.models import User, VerificationCode
from dichvucong.accounts.services import verification_confirm_code
from dichvucong.core.errors import ApplicationError

from .factories import citizen
from .helpers import last_code, last_link

pytestmark = pytest.mark.django_db
VERIFY = reverse("accounts:verify")


def test_the_sms_code_verifies_the_phone(client):
    user = citizen()
    client.force_login(user)
    response = client.post(VERIFY, {"code": last_code(to=user.phone)})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified_at
    assert not user.email_verified_at
    assert user.has_verified_contact


def test_the_email_code_verifies_the_email(client):
    user = citizen()
    client.force_login(user)
    client.post(VERIFY, {"code": last_code(to=user.email)})
    user.refresh_from_db()
    assert user.email_verified_at
    assert not user.phone_verified_at


def test_a_wrong_code_is_refused_next_to_the_field(client):
    user = citizen()
    client.force_login(user)
    response = client.post(
        VERIFY, {"code": "000000" if last_code(to=user.phone) != "000000" else "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_code-error"' in html
    assert "Mã xác thực không đúng hoặc đã hết hạn" in html
    assert not User.objects.get(pk=user.pk).has_verified_contact


def test_a_code_works_once():
    user = citizen()
    code = last_code(to=user.phone)
    verification_confirm_code(user=user, code=code)
    with pytest.raises(ApplicationError):
        verification_confirm_code(user=user, code=code)


def test_an_expired_code_is_refused():
    user = citizen()
    code = last_code(to=user.phone)
    VerificationCode.objects.filter(user=user).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(ApplicationError):
        verification_confirm_code(user=user, code=code)


def test_codes_stop_working_after_five_wrong_tries(settings):
    user = citizen()
    code = last_code(to=user.phone)
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(settings.VERIFICATION_CODE_MAX_ATTEMPTS):
        with pytest.raises(ApplicationError):
            verification_confirm_code(user=user, code=wrong)
    with pytest.raises(ApplicationError):
        verification_confirm_code(user=user, code=code)
    assert not User.objects.get(pk=user.pk).has_verified_contact


def test_a_new_code_replaces_the_old_one(client):
    user = citizen()
    old = last_code(to=user.phone)
    client.force_login(user)
    client.post(reverse("accounts:resend_code"), {"channel": "sms"})
    new = last_code(to=user.phone)
    if old != new:
        with pytest.raises(ApplicationError):
            verification_confirm_code(user=user, code=old)
    verification_confirm_code(user=user, code=new)


def test_resending_is_limited(client, settings):
    settings.CODES_PER_ACCOUNT_PER_HOUR = 2
    user = citizen()
    client.force_login(user)
    for _ in range(2):
        client.post(reverse("accounts:resend_code"), {"channel": "sms"})
    before = user.notifications.count()
    response = client.post(reverse("accounts:resend_code"), {"channel": "sms"}, follow=True)
    assert "quá nhiều lần" in response.content.decode()
    assert user.notifications.count() == before


def test_the_email_link_shows_a_button_and_verifies_on_post(client):
    """Mail scanners open links: a GET changes nothing."""
    user = citizen()
    path = urlparse(last_link(to=user.email)).path
    page = client.get(path)
    assert page.status_code == 200
    assert "Xác thực</button>" in page.content.decode()
    assert not User.objects.get(pk=user.pk).email_verified_at

    response = client.post(path)
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).email_verified_at

    again = client.post(path)
    assert again.status_code == 400
    assert "đã được dùng hoặc đã hết hạn" in again.content.decode()


def test_a_forged_link_is_refused(client):
    citizen()
    response = client.post(reverse("accounts:verify_link", kwargs={"token": "forged-token"}))
    assert response.status_code == 400


def test_a_link_for_an_old_address_does_not_verify_the_new_one(client):
    user = citizen()
    path = urlparse(last_link(to=user.email)).path
    User.objects.filter(pk=user.pk).update(email="moi@example.vn")
    assert client.post(path).status_code == 400
    assert not User.objects.get(pk=user.pk).email_verified_at


def test_verification_pages_need_login(client):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
