"""/readyz: the database, Redis (when configured) and the file storage, each really reached."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from .helpers import run_django
from .s3 import MotoS3, free_port

pytestmark = pytest.mark.django_db


def test_ready_on_the_embedded_profile(client, settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured", "storage": "ok"},
    }
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.redis
def test_ready_with_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


def test_an_unreachable_redis_is_named_without_its_address_or_password(client, settings):
    settings.REDIS_URL = f"redis://:s3cret-word@127.0.0.1:{free_port()}/0"
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["failed"] == ["redis"]
    assert data["checks"]["redis"] == "error: ConnectionError"
    assert data["checks"]["database"] == data["checks"]["storage"] == "ok"
    text = response.content.decode()
    assert "s3cret" not in text
    assert "127.0.0.1" not in text


def test_ready_with_object_storage(client, settings, s3_bucket):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"


def test_a_stopped_object_storage_server_makes_it_not_ready(client, settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""
    server = MotoS3().start()
    bucket = server.new_bucket()
    settings.STORAGES = server.storages(bucket, settings.STORAGES["staticfiles"])
    assert client.get(reverse("readyz")).status_code == 200
    server.stop()
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
    assert str(server.port) not in response.content.decode()


def local_storages(private: Path, settings) -> dict:
    return {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(private)}},
    }


def test_a_fresh_install_without_a_private_folder_yet_is_ready(client, settings, tmp_path):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""
    settings.STORAGES = local_storages(tmp_path / "new" / "private", settings)
    assert client.get(reverse("readyz")).status_code == 200
    assert (tmp_path / "new" / "private").is_dir()


def test_a_private_folder_that_cannot_exist_makes_it_not_ready(client, settings, tmp_path):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""
    (tmp_path / "a-file").write_text("")
    settings.STORAGES = local_storages(tmp_path / "a-file" / "private", settings)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
    assert str(tmp_path) not in response.content.decode()


def test_a_missing_bucket_makes_it_not_ready(client, settings, moto_s3):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""
    settings.STORAGES = moto_s3.storages("no-such-bucket", settings.STORAGES["staticfiles"])
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error: ClientError"


def test_an_unreachable_database_makes_it_not_ready():
    """In a process of its own, pointed at a PostgreSQL port nobody listens on."""
    code = (
        "import json; from django.test.utils import setup_test_environment;"
        "setup_test_environment(); from django.test import Client;"
        "r = Client().get('/readyz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    closed = f"postgres://postgres:pw@127.0.0.1:{free_port()}/nothing"
    result = run_django(code, {"DATABASE_URL": closed}, profile="test")
    assert result.stdout.strip(), result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503, result.stderr
    assert answer["body"]["failed"] == ["database"]
    assert answer["body"]["checks"]["database"] == "error: OperationalError"
    assert "pw" not in json.dumps(answer["body"]["checks"])


def test_healthz_stays_a_liveness_check(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    assert client.get(reverse("healthz")).status_code == 200
