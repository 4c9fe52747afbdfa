"""Where a benchmark's CPU goes: the CPU time every process on the machine used while a
scenario was measured, by kind of process, divided by the requests served.

    before = cpu.snapshot(); … run the load …; cpu.per_request(before, cpu.snapshot(), n)
    → {"app": 0.61, "postgres": 0.21, "load": 0.12, "other": 0.02, "total": 0.96}  (ms)

"app" is the WSGI server (any process whose command line names gunicorn), "postgres" every
PostgreSQL process (backends, WAL writer, …), "load" the load generator (wrk, counted once this
process has waited for it; the Python client runs in this process and counts as "other"),
"redis" the cache. Read from /proc (Linux). At 2 cores, "total" × requests/s cannot exceed
2,000 ms/s: a page whose total is twice the bare view's cannot serve more than half its
requests per second.
"""

import os
from pathlib import Path

_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 10.0
_KINDS = {"postgres": "postgres", "wrk": "load", "redis-server": "redis"}


def _kind(pid: Path) -> str:
    comm = (pid / "comm").read_text().strip()
    if comm in _KINDS:
        return _KINDS[comm]
    if b"gunicorn" in (pid / "cmdline").read_bytes():
        return "app"
    return "other"


def snapshot() -> dict[int, tuple[str, float]]:
    """CPU milliseconds (user + system) used so far by every process, with its kind."""
    processes = {}
    for pid in Path("/proc").glob("[0-9]*"):
        try:
            fields = (pid / "stat").read_text().rsplit(")", 1)[1].split()
            used = (int(fields[11]) + int(fields[12])) * _TICK_MS  # utime, stime
            processes[int(pid.name)] = (_kind(pid), used)
            if int(pid.name) == os.getpid():  # wrk, run and waited for by this process
                children = (int(fields[13]) + int(fields[14])) * _TICK_MS  # cutime, cstime
                processes[-1] = ("load", children)
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return processes


def per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    """CPU milliseconds per request by kind between two snapshots (processes started in
    between count from zero)."""
    used: dict[str, float] = {}
    for pid, (kind, total) in after.items():
        start = before.get(pid, (kind, 0.0))[1]
        used[kind] = used.get(kind, 0.0) + max(0.0, total - start)
    if not requests:
        return {}
    share = {kind: round(ms / requests, 3) for kind, ms in sorted(used.items())}
    share["total"] = round(sum(used.values()) / requests, 3)
    return share
