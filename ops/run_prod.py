"""`make run-prod`: the production set on one machine, stopped together by Ctrl-C.

gunicorn (WEB_CONCURRENCY workers) serving the production profile on PostgreSQL (DATABASE_URL,
default the local database `dichvucong_prod`, created when missing), Redis (REDIS_URL, default
the local server's database 1; a private redis-server when none answers), a Celery worker and
the one beat, S3 object storage (S3_ENDPOINT_URL; unset: a local moto server stands in for
MinIO/Ceph/AWS, its objects saved to var/prod/s3/ when stopped and loaded again at start),
static files collected for whitenoise, migrations and the demo data (RUN_PROD_DEMO=0 skips it).
SECRET_KEY is generated into var/prod/ when not given. docs/deployment.md explains the parts.
"""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BIN,
    LOCAL_S3_KEY,
    ROOT,
    RUN_STATE_KEYS,
    OpsError,
    bucket_to_folder,
    ensure_bucket,
    ensure_database,
    folder_to_bucket,
    free_port,
    manage,
    prod_env,
    reachable,
    run_state_path,
    s3_client,
    say,
    var_dir,
    wait_for,
    write_json,
)


class Supervisor:
    """Starts the processes in their own sessions (Ctrl-C reaches only this script, which
    then stops them in order: web first, local object storage and Redis last)."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env = env
        self.logs = logs
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], *, log_to_file: bool = False) -> subprocess.Popen:
        output = (self.logs / f"{name}.log").open("ab") if log_to_file else None
        process = subprocess.Popen(  # noqa: S603 (our own arguments)
            args, env=self.env, cwd=ROOT, start_new_session=True, stdout=output, stderr=output
        )
        self.children.append((name, process))
        return process

    def dead(self) -> str | None:
        for name, process in self.children:
            if process.poll() is not None:
                return f"{name} (mã {process.returncode})"
        return None

    def stop(self, name: str) -> None:
        for child_name, process in self.children:
            if child_name == name and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def local_redis(supervisor: Supervisor, prod_dir: Path) -> str:
    """A Redis for this run when none was given and the usual one does not answer."""
    if reachable("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/1"
    server = shutil.which("redis-server")
    if server is None:
        raise OpsError("Không có Redis: đặt REDIS_URL hoặc cài redis-server.")
    port = free_port()
    supervisor.start(
        "redis",
        [
            server,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(prod_dir),
        ],
        log_to_file=True,
    )
    wait_for(lambda: reachable("127.0.0.1", port), seconds=15, what="Redis")
    return f"redis://127.0.0.1:{port}/0"


def local_object_storage(supervisor: Supervisor, env: dict[str, str], snapshot: Path) -> None:
    """moto's S3 server on the loopback, the bucket created and last run's objects loaded."""
    port = int(env.get("S3_LOCAL_PORT") or free_port())
    supervisor.start(
        "s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], log_to_file=True
    )
    wait_for(lambda: reachable("127.0.0.1", port), seconds=30, what="máy chủ S3 cục bộ (moto)")
    env.update(
        S3_ENDPOINT_URL=f"http://127.0.0.1:{port}",
        S3_REGION=env.get("S3_REGION") or "us-east-1",
        S3_ACCESS_KEY_ID=LOCAL_S3_KEY,
        S3_SECRET_ACCESS_KEY=LOCAL_S3_KEY,
    )
    client = s3_client(env)
    ensure_bucket(client, env["S3_BUCKET"])
    # `make backup` / `make restore` find this run's database and local S3 server here.
    write_json(run_state_path(env), {key: env[key] for key in RUN_STATE_KEYS})
    manifest_path = snapshot / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        folder_to_bucket(client, env["S3_BUCKET"], snapshot / "objects", manifest)
        say(f"Đã nạp lại {len(manifest)} tệp vào kho S3 cục bộ từ {snapshot}.")


def save_local_objects(env: dict[str, str], snapshot: Path) -> None:
    """The local moto server keeps objects in memory: save them before it stops."""
    folder = snapshot.with_name("s3.new")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    manifest = bucket_to_folder(s3_client(env), env["S3_BUCKET"], folder / "objects")
    write_json(folder / "manifest.json", manifest)
    shutil.rmtree(snapshot, ignore_errors=True)
    folder.rename(snapshot)
    say(f"Đã lưu {len(manifest)} tệp của kho S3 cục bộ vào {snapshot}.")


def collect_static(env: dict[str, str]) -> None:
    """collectstatic (hashing and compressing every file takes a minute), skipped when no
    static source changed since the last run: the project's files (names, sizes, times) and
    the locked package versions (the admin's and the API pages' files)."""
    digest = hashlib.sha256((ROOT / "requirements.lock").read_bytes())
    for path in sorted((ROOT / "src").glob("**/static/**/*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    stamp = var_dir(env) / "static" / ".sources-sha256"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    say("Thu thập tệp tĩnh (collectstatic)…")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    stamp.write_text(digest.hexdigest())


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except OSError:
        return False


def main() -> int:
    env = prod_env()
    prod_dir = var_dir(env) / "prod"
    logs = prod_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    snapshot = prod_dir / "s3"
    port = env.get("PORT") or "8000"
    env.setdefault("STORAGE", "s3")
    env.setdefault("S3_BUCKET", "dichvucong")
    env.setdefault("CELERY_QUEUE", "dichvucong-prod")
    supervisor = Supervisor(env, logs)
    local_s3 = env["STORAGE"] == "s3" and not env.get("S3_ENDPOINT_URL")

    stopping = False
    s3_loaded = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        if reachable(env.get("BIND_HOST", "127.0.0.1"), int(port)):
            raise OpsError(f"Cổng {port} đang được dùng: đặt PORT khác.")
        if ensure_database(env["DATABASE_URL"]):
            say("Đã tạo cơ sở dữ liệu PostgreSQL mới.")
        if not env.get("REDIS_URL"):
            env["REDIS_URL"] = local_redis(supervisor, prod_dir)
        if local_s3:
            local_object_storage(supervisor, env, snapshot)
            s3_loaded = True  # from now on, what the bucket holds is saved at the end
        elif env["STORAGE"] == "s3":
            ensure_bucket(s3_client(env), env["S3_BUCKET"])
        manage(env, "migrate", "--noinput")
        collect_static(env)
        if env.get("RUN_PROD_DEMO", "1") != "0":
            manage(env, "load_demo", "--force")
        web = [str(BIN / "gunicorn"), "-c", str(ROOT / "ops" / "gunicorn.conf.py")]
        supervisor.start("web", [*web, "dichvucong.config.wsgi"])
        celery = [str(BIN / "celery"), "-A", "dichvucong.config"]
        supervisor.start(
            "worker",
            [*celery, "worker", "--without-gossip", "--without-mingle",
             "--concurrency", env.get("CELERY_CONCURRENCY", "2"), "--loglevel", "INFO"],
        )  # fmt: skip
        supervisor.start(
            "beat",
            [*celery, "beat", "--loglevel", "INFO",
             "--schedule", str(prod_dir / "celerybeat-schedule")],
        )  # fmt: skip
        readyz = f"http://127.0.0.1:{port}/readyz"
        wait_for(
            lambda: stopping or supervisor.dead() is not None or ready(readyz),
            seconds=180,
            what="/readyz",
        )
        if not stopping:
            say(f"Sẵn sàng: http://127.0.0.1:{port}  (tài khoản mẫu: README.md; Ctrl-C để dừng)")
        while not stopping:
            failed = supervisor.dead()
            if failed:
                raise OpsError(f"Tiến trình {failed} đã dừng.")
            time.sleep(0.5)
        return 0
    except OpsError as error:
        say(str(error))
        return 1
    finally:
        say("Đang dừng…")
        for name in ("web", "beat", "worker"):
            supervisor.stop(name)
        if s3_loaded and _alive(supervisor, "s3"):
            try:
                save_local_objects(env, snapshot)
            except Exception as error:  # the rest must still be stopped
                say(f"Không lưu được kho S3 cục bộ: {error.__class__.__name__}")
        for name in ("s3", "redis"):
            supervisor.stop(name)
        run_state_path(env).unlink(missing_ok=True)
        say("Đã dừng.")


def _alive(supervisor: Supervisor, name: str) -> bool:
    return any(n == name and p.poll() is None for n, p in supervisor.children)


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
