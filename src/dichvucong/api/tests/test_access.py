"""Who sees and does what through the API (issue 10): anonymous, citizen A (the applicant),
citizen B, an officer of the dossier's agency X, an officer of agency Y, the administrator ×
list / read / update / download. Everyone else than A and X gets 401, 403 or 404 and learns
nothing; every test also checks that nothing changed when refused."""

import pytest
from rest_framework.test import APIClient

from dichvucong.dossiers.models import Dossier, DossierAccess

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "citizen_a", "citizen_b", "officer_x", "officer_y", "admin"]
USERS = {
    "citizen_a": "citizen_a",
    "citizen_b": "citizen_b",
    "officer_x": "reception_x",
    "officer_y": "reception_y",
    "admin": "admin",
}


def client_of(world, actor: str) -> APIClient:
    if actor == "anonymous":
        return APIClient()
    user = getattr(world, USERS[actor])
    if actor == "admin":  # no token can be made for an account without an agency or 2FA
        client = APIClient()
        client.force_authenticate(user)
        return client
    return bearer(user)


def family(actor: str) -> str:
    """Applicants use /me/, staff (and the administrator) /backoffice/."""
    return "me" if actor.startswith("citizen") or actor == "anonymous" else "backoffice"


# actor, operation -> expected status ("list": 200 means the list answers; `sees` says
# whether the dossier is in it)
MATRIX = [
    ("anonymous", "list", 401),
    ("anonymous", "read", 401),
    ("anonymous", "update", 401),
    ("anonymous", "download", 401),
    ("citizen_a", "list", 200),
    ("citizen_a", "read", 200),
    ("citizen_a", "update", 200),
    ("citizen_a", "download", 200),
    ("citizen_b", "list", 200),
    ("citizen_b", "read", 404),
    ("citizen_b", "update", 404),
    ("citizen_b", "download", 404),
    ("officer_x", "list", 200),
    ("officer_x", "read", 200),
    ("officer_x", "update", 200),
    ("officer_x", "download", 200),
    ("officer_y", "list", 200),
    ("officer_y", "read", 404),
    ("officer_y", "update", 404),
    ("officer_y", "download", 404),
    ("admin", "list", 403),
    ("admin", "read", 403),
    ("admin", "update", 403),
    ("admin", "download", 403),
]
SEES = {"citizen_a", "officer_x"}


def call(world, actor: str, operation: str):
    client = client_of(world, actor)
    dossier = world.dossier
    base = f"/api/v1/{family(actor)}"
    if operation == "list":
        return client.get(f"{base}/dossiers/", {"mine": "false"} if "officer" in actor else {})
    if operation == "read":
        return client.get(f"{base}/dossiers/{dossier.pk}/")
    if operation == "update":
        if family(actor) == "me":
            return client.post(
                f"{base}/dossiers/{dossier.pk}/withdraw/",
                {"version": dossier.version, "reason": "Tôi nộp nhầm thủ tục."},
                format="json",
            )
        return client.post(
            f"{base}/dossiers/{dossier.pk}/actions/receive/",
            {"version": dossier.version},
            format="json",
        )
    attachment = dossier.attachments.first()
    return client.get(f"{base}/attachments/{attachment.pk}/file/")


@pytest.mark.parametrize(("actor", "operation", "status"), MATRIX)
def test_access_matrix(world, actor, operation, status):
    before = Dossier.objects.values_list("status", "version").get(pk=world.dossier.pk)
    response = call(world, actor, operation)
    if status != 200:
        assert_problem(response, status)
        assert Dossier.objects.values_list("status", "version").get(pk=world.dossier.pk) == before
        assert str(world.dossier.code) not in response.content.decode()
        return
    assert response.status_code == 200, response.content[:300]
    if operation == "list":
        codes = [row["code"] for row in response.json()["results"]]
        assert (world.dossier.code in codes) == (actor in SEES)
    elif operation == "read":
        assert response.json()["code"] == world.dossier.code
    elif operation == "update":
        expected = "withdrawn" if actor == "citizen_a" else "received"
        assert response.json()["status"] == expected
        assert Dossier.objects.get(pk=world.dossier.pk).status == expected
    else:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_reads_and_downloads_are_logged(world):
    client = bearer(world.reception_x)
    client.get(f"/api/v1/backoffice/dossiers/{world.dossier.pk}/")
    attachment = world.dossier.attachments.first()
    client.get(f"/api/v1/backoffice/attachments/{attachment.pk}/file/")
    kinds = list(DossierAccess.objects.filter(dossier=world.dossier).values_list("kind", flat=True))
    assert sorted(kinds) == ["download", "view"]


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("citizen_a", "/api/v1/backoffice/dossiers/"),
        ("reception_x", "/api/v1/me/dossiers/"),
        ("reception_x", "/api/v1/me/"),
    ],
)
def test_applicants_and_staff_stay_on_their_side(world, who, url):
    assert_problem(bearer(getattr(world, who)).get(url), 403, "forbidden")


def test_a_read_only_token_cannot_write(world):
    reader = bearer(world.citizen_a, scopes=["dossiers:read"])
    assert reader.get("/api/v1/me/dossiers/").status_code == 200
    response = reader.post(
        f"/api/v1/me/dossiers/{world.dossier.pk}/withdraw/",
        {"version": world.dossier.version, "reason": "Nhầm"},
        format="json",
    )
    body = assert_problem(response, 403)
    assert "dossiers:write" in body["detail"]
    staff_reader = bearer(world.reception_x, scopes=["backoffice:read"])
    assert staff_reader.get("/api/v1/backoffice/dossiers/").status_code == 200
    response = staff_reader.post(
        f"/api/v1/backoffice/dossiers/{world.dossier.pk}/actions/receive/",
        {"version": world.dossier.version},
        format="json",
    )
    assert_problem(response, 403)
    assert Dossier.objects.get(pk=world.dossier.pk).status == "submitted"


def test_another_citizens_draft_cannot_be_changed_or_submitted(world):
    from dichvucong.dossiers.tests.factories import draft

    other = draft(user=world.citizen_b, procedure_=world.procedure)
    client = bearer(world.citizen_a)
    assert_problem(
        client.patch(
            f"/api/v1/me/dossiers/{other.pk}/", {"form_data": {"ly_do": "x"}}, format="json"
        ),
        404,
    )
    assert_problem(client.post(f"/api/v1/me/dossiers/{other.pk}/submit/"), 404)
    other.refresh_from_db()
    assert other.status == "draft"
