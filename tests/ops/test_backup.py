"""`make backup` / `make restore` (ops/backup.py, ops/restore.py) on PostgreSQL and a real
S3-compatible server: data made through the services is backed up, restored into a FRESH
database and bucket, and compared table by table and file by file."""

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from dichvucong.accounts.tests.factories import citizen
from dichvucong.core.tests.s3 import ACCESS_KEY, REGION, SECRET_KEY
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Attachment, Dossier, DossierEvent
from dichvucong.dossiers.tests.factories import procedure, submitted, supplement_requested
from dichvucong.dossiers.tests.files import png_bytes, upload

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def database_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def run_ops(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "ops" / script), *args],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        tables = [row[0] for row in conn.execute(query)]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


@pytest.fixture
def fresh_database():
    name = f"dvc_prod_restore_{uuid.uuid4().hex[:8]}"
    yield database_url(name)
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def ops_env(tmp_path, moto_s3, s3_bucket) -> dict[str, str]:
    """The scripts' environment: the test database and bucket as the source."""
    return {
        "STORAGE": "s3",
        "S3_ENDPOINT_URL": moto_s3.endpoint_url,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_BUCKET": s3_bucket,
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
    }


def new_bucket() -> str:
    return f"dvc-restore-{uuid.uuid4().hex[:8]}"


def make_data() -> None:
    """Citizens, dossiers in several states with attachments (one supplemented) and events."""
    citizen(verified=True)
    submitted()
    submitted()
    dossier = supplement_requested()
    scan = upload("chup-lai.png", png_bytes(40, 30), "image/png")
    services.dossier_supplement(
        dossier_id=dossier.pk,
        user=dossier.applicant,
        note="Đã chụp lại.",
        uploads=[scan],
        expected_version=dossier.version,
    )


def test_a_backup_restores_into_a_fresh_database_and_bucket_with_nothing_lost(
    tmp_path, moto_s3, ops_env, fresh_database
):
    make_data()
    assert Attachment.objects.count() >= 4
    assert DossierEvent.objects.count() >= 5

    backup = run_ops("backup.py", env=ops_env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(json.loads(backup.stdout.strip().splitlines()[-1])["backup"])
    assert folder.parent == tmp_path / "var" / "backups"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (folder / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    target = {**ops_env, "DATABASE_URL": fresh_database, "S3_BUCKET": new_bucket()}
    restore = run_ops("restore.py", str(folder), env=target)
    assert restore.returncode == 0, restore.stderr

    # Every table has the same rows, counted here independently of the scripts.
    source_counts = counts(ops_env["DATABASE_URL"])
    assert counts(fresh_database) == source_counts
    assert source_counts["dossiers_dossier"] == Dossier.objects.count() >= 3
    assert manifest["database"]["row_counts"] == source_counts
    # Every attachment's bytes in the new bucket match the SHA-256 recorded at upload.
    restored = moto_s3.objects(target["S3_BUCKET"])
    for attachment in Attachment.objects.all():
        data = restored[f"ho-so/{attachment.file.name}"]
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
    assert restored == moto_s3.objects(ops_env["S3_BUCKET"])
    with psycopg.connect(fresh_database) as conn:
        restored_rows = dict(conn.execute("SELECT file, sha256 FROM dossiers_attachment"))
    assert restored_rows == dict(Attachment.objects.values_list("file", "sha256"))


def test_restore_refuses_a_database_that_is_not_fresh(tmp_path, ops_env):
    submitted()
    backup = run_ops("backup.py", "--output", str(tmp_path / "b"), env=ops_env)
    assert backup.returncode == 0, backup.stderr
    before = counts(ops_env["DATABASE_URL"])
    restore = run_ops("restore.py", str(tmp_path / "b"), env=ops_env)
    assert restore.returncode == 1
    assert "cơ sở dữ liệu mới" in restore.stderr
    assert counts(ops_env["DATABASE_URL"]) == before


def test_a_tampered_backup_is_refused(tmp_path, ops_env, fresh_database):
    submitted()
    assert run_ops("backup.py", "--output", str(tmp_path / "b"), env=ops_env).returncode == 0
    stored = next((tmp_path / "b" / "objects").rglob("*.pdf"))
    stored.write_bytes(stored.read_bytes() + b"%")
    target = {**ops_env, "DATABASE_URL": fresh_database, "S3_BUCKET": new_bucket()}
    restore = run_ops("restore.py", str(tmp_path / "b"), env=target)
    assert restore.returncode == 1
    assert "không khớp SHA-256" in restore.stderr


def test_local_folders_are_backed_up_and_restored_too(tmp_path, settings, fresh_database):
    """STORAGE=local: the private and published folders under VAR_DIR, same checks."""
    source_var, target_var = tmp_path / "var", tmp_path / "var-restored"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(source_var / "media")},
        },
        "private": {
            "BACKEND": "dichvucong.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(source_var / "private")},
        },
    }
    make_data()
    procedure(components=[{"name": "Tờ khai (Mẫu số 01)", "required": True, "template": "mau-01"}])
    local = {"STORAGE": "local", "DATABASE_URL": database_url(connection.settings_dict["NAME"])}
    backup = run_ops(
        "backup.py", "--output", str(tmp_path / "b"), env={**local, "VAR_DIR": str(source_var)}
    )
    assert backup.returncode == 0, backup.stderr
    target = {**local, "DATABASE_URL": fresh_database, "VAR_DIR": str(target_var)}
    restore = run_ops("restore.py", str(tmp_path / "b"), env=target)
    assert restore.returncode == 0, restore.stderr

    assert counts(fresh_database) == counts(local["DATABASE_URL"])
    attachments = Attachment.objects.all()
    assert attachments.count() >= 4
    for attachment in attachments:
        data = (target_var / "private" / attachment.file.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
    templates = sorted(p.relative_to(source_var) for p in (source_var / "media").rglob("*.docx"))
    assert templates
    assert sorted(p.relative_to(target_var) for p in (target_var / "media").rglob("*.docx")) == (
        templates
    )
