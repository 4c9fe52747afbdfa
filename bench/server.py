"""The benchmark server: gunicorn with bench/settings.py (the production profile, plus the
/bench/bare view) on a free port of 127.0.0.1, started and stopped by bench/load.py and
bench/lookup.py."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    *, env: dict, port: int, workers: int, worker_class: str = "sync", threads: int = 1
) -> subprocess.Popen:
    """gunicorn in its own process group; returns once /bench/bare answers 200."""
    VAR.mkdir(parents=True, exist_ok=True)
    log = open(VAR / "gunicorn.log", "a")  # noqa: SIM115 (the server outlives this block)
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "dichvucong.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--pythonpath",
        f"{ROOT / 'src'},{ROOT}",
        "--chdir",
        str(ROOT),
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start: see {VAR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def drain(port: int, workers: int) -> None:
    """Wait until requests a load generator left behind are served: sync workers finish what
    they accepted even after the client left (a slow scenario's backlog would eat the next
    one's time). 2 × workers bare requests in a row, each behind whatever was queued."""
    for _ in range(2 * workers):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare", timeout=300) as r:
            r.read()


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
