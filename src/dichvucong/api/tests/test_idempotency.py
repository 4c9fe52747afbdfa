"""`Idempotency-Key` on draft creation and submission: same key, same answer; same key,
another request: 422; the keys are kept per user, in the database, until they expire."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from dichvucong.api.idempotency import idempotency_purge
from dichvucong.api.models import IdempotencyKey
from dichvucong.dossiers.models import Dossier, DossierEvent
from dichvucong.dossiers.tests import factories

from .conftest import assert_problem, bearer, token_for

pytestmark = pytest.mark.django_db


def test_the_same_key_creates_one_draft_and_answers_the_same(world):
    client = bearer(world.citizen_a)
    payload = {"procedure": world.procedure.pk, "level": 3}
    first = client.post("/api/v1/me/dossiers/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/me/dossiers/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Dossier.objects.filter(applicant=world.citizen_a, status="draft").count() == 1
    third = client.post("/api/v1/me/dossiers/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert third.json()["id"] != first.json()["id"]


def test_the_same_key_with_another_body_is_refused(world):
    client = bearer(world.citizen_a)
    url = "/api/v1/me/dossiers/"
    client.post(
        url, {"procedure": world.procedure.pk, "level": 3}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    response = client.post(
        url, {"procedure": world.procedure.pk, "level": 4}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert_problem(response, 422, "idempotency_key_reused")
    assert Dossier.objects.filter(applicant=world.citizen_a, status="draft").count() == 1


def test_keys_belong_to_one_user(world):
    payload = {"procedure": world.procedure.pk, "level": 3}
    a = bearer(world.citizen_a).post(
        "/api/v1/me/dossiers/", payload, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    b = bearer(world.citizen_b).post(
        "/api/v1/me/dossiers/", payload, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert a.json()["id"] != b.json()["id"]
    assert IdempotencyKey.objects.filter(key="shared").count() == 2


def test_double_submit_with_and_without_a_key(world):
    dossier = factories.draft(user=world.citizen_a, procedure_=world.procedure)
    client = bearer(world.citizen_a)
    url = f"/api/v1/me/dossiers/{dossier.pk}/submit/"
    first = client.post(url, HTTP_IDEMPOTENCY_KEY="nop-1")
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="nop-1")
    plain = client.post(url)  # no key: submitting a submitted dossier changes nothing
    assert first.status_code == again.status_code == plain.status_code == 200
    assert first.json()["code"] == again.json()["code"] == plain.json()["code"]
    assert again["Idempotent-Replayed"] == "true"
    submits = DossierEvent.objects.filter(dossier=dossier, action="submit").count()
    assert submits == 1
    other = factories.draft(user=world.citizen_a, procedure_=world.procedure)
    reused = client.post(f"/api/v1/me/dossiers/{other.pk}/submit/", HTTP_IDEMPOTENCY_KEY="nop-1")
    assert_problem(reused, 422, "idempotency_key_reused")
    assert Dossier.objects.get(pk=other.pk).status == "draft"


def test_a_refused_request_releases_its_key(world):
    client = bearer(world.citizen_a)
    bad = client.post("/api/v1/me/dossiers/", {"level": 3}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert_problem(bad, 400)
    assert not IdempotencyKey.objects.filter(key="k").exists()
    good = client.post(
        "/api/v1/me/dossiers/",
        {"procedure": world.procedure.pk, "level": 3},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert good.status_code == 201


def test_a_bad_key_is_refused(world):
    response = bearer(world.citizen_a).post(
        "/api/v1/me/dossiers/",
        {"procedure": world.procedure.pk, "level": 3},
        format="json",
        HTTP_IDEMPOTENCY_KEY="x" * 300,
    )
    body = assert_problem(response, 400)
    assert "Idempotency-Key" in body["errors"]


def test_expired_keys_are_forgotten(world):
    client = bearer(world.citizen_a)
    payload = {"procedure": world.procedure.pk, "level": 3}
    first = client.post("/api/v1/me/dossiers/", payload, format="json", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    later = client.post("/api/v1/me/dossiers/", payload, format="json", HTTP_IDEMPOTENCY_KEY="old")
    assert later.json()["id"] != first.json()["id"]
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert idempotency_purge() == 1
    assert not IdempotencyKey.objects.exists()


def test_the_daily_purge_keeps_live_keys(world):
    client = bearer(world.citizen_a)
    payload = {"procedure": world.procedure.pk, "level": 3}
    client.post("/api/v1/me/dossiers/", payload, format="json", HTTP_IDEMPOTENCY_KEY="live")
    IdempotencyKey.objects.create(
        user=world.citizen_b,
        key="old",
        request_hash="x",
        expires_at=timezone.now() - dt.timedelta(hours=1),
    )
    out = io.StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert "1" in out.getvalue()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["live"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_submit_once():
    """Two clients racing with the same key: one submission; the other gets the stored answer
    or 409 "đang được xử lý", never a second event or a 500."""
    dossier = factories.draft()
    secret = token_for(dossier.applicant)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        barrier.wait()
        try:
            response = client.post(
                f"/api/v1/me/dossiers/{dossier.pk}/submit/", HTTP_IDEMPOTENCY_KEY="dua"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) in ([200, 200], [200, 409])
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1
    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"
