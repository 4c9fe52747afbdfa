"""`make run-prod` (ops/run_prod.py) started for real: gunicorn on the production profile,
PostgreSQL, Redis, Celery worker and beat, a local S3 server; ready, serving, stopped cleanly."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from psycopg import sql

from dichvucong.core.tests.s3 import free_port

ROOT = Path(__file__).resolve().parents[2]
# Kept between runs: collected static files are reused when their sources did not change.
VAR = ROOT / "var" / "test-run-prod"

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def on_same_server(name: str) -> str:
    """A database named `name` on the server of the test run's DATABASE_URL."""
    return urlunparse(urlparse(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


@pytest.fixture
def database_url():
    name = f"dvc_prod_run_{uuid.uuid4().hex[:8]}"
    yield on_same_server(name)
    with psycopg.connect(on_same_server("postgres"), autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))


def test_run_prod_serves_the_portal_and_stops_on_ctrl_c(tmp_path, database_url):
    shutil.rmtree(VAR / "prod", ignore_errors=True)
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PORT": str(port),
        "VAR_DIR": str(VAR),
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
        "CELERY_QUEUE": f"test-run-prod-{uuid.uuid4().hex[:8]}",
    }
    log = (tmp_path / "run-prod.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "ops" / "run_prod.py")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 540
        while get(f"{base}/readyz")[0] != 200:
            assert process.poll() is None, (tmp_path / "run-prod.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (tmp_path / "run-prod.log").read_text()[-3000:]
            time.sleep(1)
        status, body = get(f"{base}/readyz")
        assert json.loads(body) == {
            "status": "ok",
            "checks": {"database": "ok", "redis": "ok", "storage": "ok"},
        }
        status, body = get(f"{base}/thu-tuc/?tu_khoa=ngoai+vu")
        assert status == 200
        assert "Thủ tục hành chính" in body.decode()
        # A demo template, written to the local S3 server by the demo data, downloads.
        state = json.loads((VAR / "prod" / "run.json").read_text())
        assert state["STORAGE"] == "s3"
        with psycopg.connect(database_url) as conn:
            component = conn.execute(
                "SELECT id FROM catalog_component WHERE template_file <> '' LIMIT 1"
            ).fetchone()[0]
        status, body = get(f"{base}/thu-tuc/mau/{component}/")
        assert (status, body[:2]) == (200, b"PK")
        assert get(f"{base}/static/css/site.css")[0] == 200  # collected, served by whitenoise
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    output = (tmp_path / "run-prod.log").read_text()
    assert process.returncode == 0, output[-3000:]
    assert not listening(port)
    assert "Đã dừng." in output
    assert not (VAR / "prod" / "run.json").exists()
    # The local S3 server's objects were saved for the next start.
    saved = json.loads((VAR / "prod" / "s3" / "manifest.json").read_text())
    assert any(key.startswith("tep/") for key in saved)
    # Requests were logged as JSON lines with their id, status and duration.
    lines = [json.loads(line) for line in output.splitlines() if line.startswith('{"time"')]
    catalogue = [entry for entry in lines if entry.get("path") == "/thu-tuc/"]
    assert catalogue
    assert catalogue[0]["status"] == 200
    assert catalogue[0]["request_id"]
    assert "duration_ms" in catalogue[0]
    assert "ngoai" not in json.dumps(catalogue)  # no query string
    assert any(entry["logger"] == "gunicorn.error" for entry in lines)  # gunicorn's too
