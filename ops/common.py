"""What `ops/run_prod.py`, `ops/backup.py` and `ops/restore.py` share: the production
environment on one machine, PostgreSQL databases, and copying a bucket to a folder and back
with a SHA-256 manifest. Run with the project's virtualenv (`make run-prod`, `make backup`,
`make restore`); messages are in Vietnamese, for the operator."""

import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/dichvucong_prod"
LOCAL_S3_KEY = "dvc-local"  # the local moto server accepts any credentials


class OpsError(Exception):
    """A problem the operator must fix; printed without a traceback."""


def say(message: str) -> None:
    print(f"[dichvucong] {message}", file=sys.stderr, flush=True)


def var_dir(env: dict[str, str]) -> Path:
    return Path(env.get("VAR_DIR") or ROOT / "var")


def prod_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The production profile's environment with local defaults: PostgreSQL database
    `dichvucong_prod`, a secret key kept in var/prod/, plain HTTP on the loopback."""
    env = dict(os.environ if base is None else base)
    env.setdefault("DJANGO_SETTINGS_MODULE", "dichvucong.config.settings.prod")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("SECURE_SSL_REDIRECT", "0")
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = stored_secret(var_dir(env) / "prod" / "secret_key")
    return env


def stored_secret(path: Path) -> str:
    """A secret generated once into `path` (mode 600) and read from there afterwards."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def reachable(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise OpsError(f"Hết thời gian chờ {what}.")


# --- PostgreSQL ------------------------------------------------------------------------------


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def maintenance_url(url: str) -> str:
    """The same server's `postgres` database (to create or drop another)."""
    return urlunparse(urlparse(url)._replace(path="/postgres"))


def ensure_database(url: str) -> bool:
    """Create the database when missing; True when it was created."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    try:
        with psycopg.connect(maintenance_url(url), autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        where = f"{urlparse(url).hostname}:{urlparse(url).port or 5432}"
        raise OpsError(
            f"Không kết nối được PostgreSQL ({where}): {error.__class__.__name__}. "
            "Khởi động PostgreSQL hoặc đặt DATABASE_URL."
        ) from error
    return not exists


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(url))
            )
        )


def manage(env: dict[str, str], *args: str) -> None:
    """`manage.py <args>` with this environment; stops the script when it fails."""
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    result = subprocess.run(command, env=env, check=False)  # noqa: S603 (our own arguments)
    if result.returncode != 0:
        raise OpsError(f"'manage.py {' '.join(args)}' lỗi (mã {result.returncode}).")


# --- Object storage --------------------------------------------------------------------------


def s3_client(env: dict[str, str]):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=env.get("S3_ENDPOINT_URL") or None,
        region_name=env.get("S3_REGION") or None,
        aws_access_key_id=env.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=env.get("S3_SECRET_ACCESS_KEY") or None,
        config=Config(connect_timeout=3, retries={"max_attempts": 3, "mode": "standard"}),
    )


def ensure_bucket(client, bucket: str) -> None:
    from botocore.exceptions import ClientError

    try:
        client.head_bucket(Bucket=bucket)
    except ClientError:
        client.create_bucket(Bucket=bucket)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_object(client, bucket: str, key: str) -> str:
    digest = hashlib.sha256()
    body = client.get_object(Bucket=bucket, Key=key)["Body"]
    for block in iter(lambda: body.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


def bucket_to_folder(client, bucket: str, folder: Path) -> dict[str, dict]:
    """Every object of the bucket into `folder` (same keys as paths); the manifest
    {key: {"sha256", "size"}}. Each object is checked after download."""
    manifest: dict[str, dict] = {}
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            key = item["Key"]
            target = safe_path(folder, key)
            target.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, key, str(target))
            manifest[key] = {"sha256": sha256_file(target), "size": target.stat().st_size}
    return manifest


def folder_to_bucket(client, bucket: str, folder: Path, manifest: dict[str, dict]) -> None:
    """Upload the manifest's files, refusing any whose SHA-256 differs from the manifest."""
    for key, entry in manifest.items():
        source = safe_path(folder, key)
        if sha256_file(source) != entry["sha256"]:
            raise OpsError(f"Tệp sao lưu {key} không khớp SHA-256 trong manifest.")
        client.upload_file(str(source), bucket, key, ExtraArgs={"ACL": "private"})


def folder_manifest(folder: Path) -> dict[str, dict]:
    """The same manifest for a local folder (STORAGE=local)."""
    manifest = {}
    if folder.exists():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            key = path.relative_to(folder).as_posix()
            manifest[key] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    return manifest


def safe_path(folder: Path, key: str) -> Path:
    target = (folder / key).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise OpsError(f"Tên đối tượng không hợp lệ: {key!r}")
    return target


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def table_counts(url: str) -> dict[str, int]:
    """Rows of every table in the public schema (backups record them; restores compare)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, connect_timeout=5) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


# --- What a running `make run-prod` tells `make backup` and `make restore` -------------------

RUN_STATE_KEYS = ("DATABASE_URL", "STORAGE", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION")


def run_state_path(env: dict[str, str]) -> Path:
    return var_dir(env) / "prod" / "run.json"


def ops_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for backup and restore: the operator's, else what a running
    `make run-prod` uses (its local S3 server has a port chosen at start)."""
    given = dict(os.environ if base is None else base)
    env = prod_env(base)
    state_path = run_state_path(env)
    if state_path.exists() and not (given.get("STORAGE") or given.get("S3_ENDPOINT_URL")):
        state = json.loads(state_path.read_text())
        for key, value in state.items():
            if key in {"DATABASE_URL", "S3_BUCKET"} and given.get(key):
                continue  # e.g. a restore drill into another database and bucket
            env[key] = value
        env["S3_ACCESS_KEY_ID"] = env["S3_SECRET_ACCESS_KEY"] = LOCAL_S3_KEY
    if not env.get("STORAGE") and (var_dir(env) / "prod" / "s3" / "manifest.json").exists():
        raise OpsError(
            "Kho S3 cục bộ của 'make run-prod' đang dừng: chạy 'make run-prod' trước, "
            "hoặc chỉ rõ STORAGE=local hay STORAGE=s3 với S3_*."
        )
    env.setdefault("STORAGE", "local")
    if env["STORAGE"] == "s3" and not env.get("S3_BUCKET"):
        raise OpsError("STORAGE=s3 cần S3_BUCKET.")
    return env
