"""The people of the API's tests: two citizens, officers of two agencies, an administrator,
a dossier of citizen A at agency X; tokens made through the real service."""

from dataclasses import dataclass

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from dichvucong.accounts.models import User
from dichvucong.accounts.tests.factories import citizen, staff
from dichvucong.api.services import token_create
from dichvucong.dossiers.tests import factories


def token_for(user, scopes=None, days=30) -> str:
    """A personal access token of `user` (staff get their second factor set up first)."""
    if user.kind == "staff":
        TOTPDevice.objects.get_or_create(user=user, name="Ứng dụng", confirmed=True)
    if scopes is None:
        scopes = (
            ["dossiers:read", "dossiers:write"]
            if user.is_applicant
            else ["backoffice:read", "backoffice:act"]
        )
    return token_create(user=user, name="Thử", scopes=scopes, days=days).secret


def bearer(user, scopes=None) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scopes)}")
    return client


@dataclass
class World:
    agency_x: object
    agency_y: object
    procedure: object
    citizen_a: User
    citizen_b: User
    reception_x: User
    handler_x: User
    leader_x: User
    reception_y: User
    admin: User
    dossier: object  # citizen A's submitted dossier at agency X


@pytest.fixture
def world(db) -> World:
    agency_x = factories.agency(name="Sở Ngoại vụ thử")
    agency_y = factories.agency(name="Sở Lao động thử")
    procedure = factories.procedure(agency_=agency_x, name="Cấp thị thực an toàn lao động")
    citizen_a = citizen(verified=True, full_name="Trần Thị Bích")
    citizen_b = citizen(verified=True, full_name="Lê Văn Cường")
    admin = User.objects.create_superuser("quantri_thu", password="x")
    dossier = factories.submitted(user=citizen_a, procedure_=procedure)
    return World(
        agency_x=agency_x,
        agency_y=agency_y,
        procedure=procedure,
        citizen_a=citizen_a,
        citizen_b=citizen_b,
        reception_x=staff(agency=agency_x, role="reception"),
        handler_x=staff(agency=agency_x, role="handler"),
        leader_x=staff(agency=agency_x, role="leader"),
        reception_y=staff(agency=agency_y, role="reception"),
        admin=admin,
        dossier=dossier,
    )


def assert_problem(response, status: int, code: str | None = None) -> dict:
    """An RFC 9457 problem+json answer in Vietnamese."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert not body["detail"].isascii(), body["detail"]  # Vietnamese, not DRF's English
    if code:
        assert body["code"] == code, body
    return body
