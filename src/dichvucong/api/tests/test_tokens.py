""" "Khóa truy cập API": made on a page under the profile, shown once, kept hashed, with
scopes and an expiry; staff only with their second factor set up; revoked or expired
tokens no longer open anything."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from dichvucong.accounts.tests.factories import citizen, staff
from dichvucong.api.models import ApiToken
from dichvucong.api.services import token_create
from dichvucong.backoffice.tests.helpers import login_staff
from dichvucong.core.errors import ApplicationError

from .conftest import assert_problem, bearer, token_for

pytestmark = pytest.mark.django_db
PAGE = "/tai-khoan/khoa-truy-cap-api/"


def test_a_citizen_creates_a_token_shown_once_and_stored_hashed(client):
    user = citizen(verified=True)
    client.force_login(user)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Khóa truy cập API" in page.content.decode()
    response = client.post(PAGE, {"name": "Điện thoại", "scopes": ["dossiers:read"], "days": 30})
    assert response.status_code == 201
    html = response.content.decode()
    token = ApiToken.objects.get(user=user)
    secret = html.split('<code class="token-secret">')[1].split("</code>")[0]
    assert secret.startswith("dvc_")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values_list().get())
    assert token.scopes == ["dossiers:read"]
    assert secret not in client.get(PAGE).content.decode()  # never again
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me/").json()["id"] == user.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_profile_links_to_the_page(client):
    client.force_login(citizen(verified=True))
    assert f'href="{PAGE}"' in client.get("/tai-khoan/").content.decode()


def test_the_form_refuses_what_the_account_may_not_have(client):
    user = citizen(verified=True)
    client.force_login(user)
    response = client.post(PAGE, {"name": "", "scopes": ["backoffice:act"], "days": 30})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vui lòng đặt tên gợi nhớ cho khóa." in html
    assert not ApiToken.objects.exists()
    with pytest.raises(ApplicationError):
        token_create(user=user, name="x", scopes=["backoffice:act"], days=30)
    with pytest.raises(ApplicationError):
        token_create(user=user, name="x", scopes=["dossiers:read"], days=9999)


def test_staff_need_their_second_factor(client, world):
    officer = staff(agency=world.agency_x, role="reception")
    with pytest.raises(ApplicationError):
        token_create(user=officer, name="x", scopes=["backoffice:read"], days=30)
    client.force_login(officer)
    assert client.get(PAGE).status_code == 302  # to the second factor first
    login_staff(client, officer)
    response = client.post(PAGE, {"name": "Máy một cửa", "scopes": ["backoffice:read"], "days": 30})
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=officer).count() == 1


def test_staff_tokens_stop_when_the_second_factor_is_removed(world):
    secret = token_for(world.reception_x)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/backoffice/dossiers/").status_code == 200
    TOTPDevice.objects.filter(user=world.reception_x).delete()
    assert_problem(api.get("/api/v1/backoffice/dossiers/"), 401)


def test_revoked_and_expired_tokens_open_nothing(client, world):
    secret = token_for(world.citizen_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me/").status_code == 200
    token = ApiToken.objects.get(user=world.citizen_a)
    client.force_login(world.citizen_b)
    client.post(f"{PAGE}{token.pk}/thu-hoi/")  # another account's token: not theirs
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(world.citizen_a)
    assert client.post(f"{PAGE}{token.pk}/thu-hoi/").status_code == 302
    assert_problem(api.get("/api/v1/me/"), 401)
    second = token_for(world.citizen_a)
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {second}")
    assert_problem(api.get("/api/v1/me/"), 401)
    assert "Đã hết hạn" in client.get(PAGE).content.decode()


def test_administrators_list_and_revoke_tokens_without_seeing_secrets(client, world):
    secret = token_for(world.citizen_a)
    token = ApiToken.objects.get(user=world.citizen_a)
    client.force_login(world.admin)
    page = client.get("/quan-tri/api/apitoken/")
    assert page.status_code == 200
    html = page.content.decode()
    assert token.prefix in html
    assert secret not in html
    assert (
        token.token_hash
        not in client.get(f"/quan-tri/api/apitoken/{token.pk}/change/").content.decode()
    )
    client.post("/quan-tri/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_account_of_the_wrong_kind_is_told_why(client, world):
    citizen_body = assert_problem(bearer(world.reception_x).get("/api/v1/me/dossiers/"), 403)
    assert "Chỉ tài khoản cá nhân hoặc tổ chức" in citizen_body["detail"]
    staff_body = assert_problem(bearer(world.citizen_a).get("/api/v1/backoffice/dossiers/"), 403)
    assert "Chỉ cán bộ của đơn vị" in staff_body["detail"]
