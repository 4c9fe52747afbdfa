"""Every refusal is RFC 9457 problem+json in Vietnamese: 400 per field, 401, 403, 404, 405,
415, 429 (per client and per token); nothing answers 500 on bad input."""

import pytest
from rest_framework.test import APIClient

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


def test_unauthenticated_and_bad_tokens_get_401_with_the_scheme(world):
    response = APIClient().get("/api/v1/me/dossiers/")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    for header in ["Bearer dvc_wrong", "Bearer", "Bearer a b", "Bearer dvc_é"]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        assert_problem(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_unknown_addresses_and_methods(world):
    assert_problem(APIClient().get("/api/v1/khong-co/"), 404, "not_found")
    assert_problem(APIClient().post("/api/v1/catalog/procedures/"), 405, "method_not_allowed")
    client = bearer(world.citizen_a)
    assert_problem(client.delete(f"/api/v1/me/dossiers/{world.dossier.pk}/"), 405)
    assert_problem(client.get("/api/v1/me/dossiers/99999999/"), 404)
    assert_problem(client.get(f"/api/v1/me/dossiers/{'9' * 30}/"), 404)
    response = client.post(
        f"/api/v1/backoffice/dossiers/{world.dossier.pk}/actions/fly/", {}, format="json"
    )
    assert_problem(response, 403)


def test_unsupported_or_broken_bodies(world):
    client = bearer(world.citizen_a)
    url = "/api/v1/me/dossiers/"
    assert_problem(client.post(url, "level=3", content_type="text/plain"), 415)
    assert_problem(
        client.post(url, "{not json", content_type="application/json"), 400, "parse_error"
    )
    assert_problem(client.post(url, "[1, 2]", content_type="application/json"), 400)


def test_throttled_per_token(world, settings):
    settings.API_RATE_PER_TOKEN = "3/min"
    client = bearer(world.citizen_a)
    for _ in range(3):
        assert client.get("/api/v1/me/").status_code == 200
    response = client.get("/api/v1/me/")
    body = assert_problem(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert "quá nhiều" in body["detail"]
    assert bearer(world.citizen_b).get("/api/v1/me/").status_code == 200  # another token


def test_throttled_per_client(world, settings):
    settings.API_RATE_PER_CLIENT = "2/min"
    for _ in range(2):
        assert APIClient().get("/api/v1/catalog/agencies/").status_code == 200
    assert_problem(APIClient().get("/api/v1/catalog/agencies/"), 429, "throttled")
    other = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other.get("/api/v1/catalog/agencies/").status_code == 200


def test_a_body_over_the_limit_is_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = bearer(world.citizen_a)
    big = {"form_data": {"ly_do": "x" * 2000}}
    response = client.patch(f"/api/v1/me/dossiers/{world.dossier.pk}/", big, format="json")
    assert_problem(response, 413, "too_large")


def test_problem_types_and_instances(world):
    body = assert_problem(APIClient().get("/api/v1/lookup/", {"q": "070090123456"}), 400)
    assert body["type"] == "urn:dichvucong:problem:validation"
    assert body["instance"] == "/api/v1/lookup/"  # never the query (it may be an ID number)
