"""Load generators of the benchmarks: wrk with a Lua script, and a Python asyncio client for
what wrk cannot do simply (the submission's three steps with 2 × 1 MB multipart uploads), or
when wrk is missing. Both give the same summary:

    {"requests", "seconds", "rps", "errors": {...}, "error_count", "latency_ms": {p50, p90, p95,
     p99, max, mean}, "generator"}

An error is a socket error, a timeout or a status other than the scenario's expected one(s)
(e.g. a login answering 200 "wrong password" instead of 302 counts as an error).
"""

import asyncio
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

VAR = Path(__file__).resolve().parents[1] / "var" / "bench"

# Each request: a random line of the file given as first argument — a path (GET) or a body
# (POST to wrk's URL). Counts answers whose status is not among the expected ones.
WRK_SCRIPT = r"""
local lines, threads = {}, {}
local method, expected = "GET", {}
function setup(thread)
  counter = (counter or 0) + 1
  thread:set("seed", counter)
  threads[#threads + 1] = thread
end
function init(args)
  math.randomseed(os.time() * 100 + (seed or 0))
  if args[1] and args[1] ~= "-" then
    for line in io.lines(args[1]) do
      if #line > 0 then lines[#lines + 1] = line end
    end
  end
  method = args[2] or "GET"
  for code in string.gmatch(args[3] or "200", "%d+") do expected[tonumber(code)] = true end
  unexpected = 0
end
function request()
  if #lines == 0 then return wrk.format(method, wrk.path) end
  local line = lines[math.random(#lines)]
  if method == "POST" then return wrk.format("POST", wrk.path, nil, line) end
  return wrk.format("GET", line)
end
function response(status, headers, body)
  if not expected[status] then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local e, bad = summary.errors, 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("unexpected") or 0) end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.timeout, bad,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def summarise(latencies_ms: list[float], *, requests: int, seconds: float, errors: dict) -> dict:
    latencies = sorted(latencies_ms) or [0.0]

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))]

    return finish(
        {
            "requests": requests,
            "seconds": seconds,
            "errors": errors,
            "latency_ms": {
                "p50": pct(50),
                "p90": pct(90),
                "p95": pct(95),
                "p99": pct(99),
                "max": latencies[-1],
                "mean": statistics.fmean(latencies),
            },
        }
    )


def finish(result: dict) -> dict:
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    result["error_count"] = sum(result["errors"].values())
    return result


def run_wrk(
    url: str,
    *,
    connections: int,
    seconds: float,
    threads: int = 2,
    lines: Path | None = None,
    method: str = "GET",
    expected: str = "200",
    headers: list[str] = (),
) -> dict:
    """wrk against `url` (with `lines`: a random path or body of that file per request)."""
    script = VAR / "load.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(WRK_SCRIPT)
    command = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}"]
    command += [f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    command += [url, "--", str(lines) if lines else "-", method, expected]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, start_new_session=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    return finish(
        {
            "requests": raw["requests"],
            "seconds": raw["duration_us"] / 1e6,
            "errors": raw["errors"],
            "latency_ms": {k: v / 1000 for k, v in raw["latency_us"].items()},
            "generator": "wrk",
        }
    )


# --- The Python client --------------------------------------------------------------------


class Connection:
    """One HTTP/1.1 keep-alive connection (reopened when the server closes it)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            self.writer.write(raw)
            head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 10)
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            body = await asyncio.wait_for(
                self.reader.readexactly(int(length.group(1))) if length else self.reader.read(),
                10,
            )
            if not length or re.search(rb"(?i)\r\nconnection:\s*close", head):
                self.close()
            return status, head, body
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def request_bytes(
    method: str, target: str, host: str, *, headers: dict | None = None, body: bytes = b""
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _drive(url: str, connections: int, seconds: float, journey, contexts: list) -> dict:
    """`connections` tasks run `journey(connection, context, rng)` in a loop until the
    deadline; a journey returns the number of requests it made and raises on failure."""
    parsed = urlparse(url)
    latencies: list[float] = []
    errors = {"connect": 0, "read": 0, "timeout": 0, "status": 0}
    requests = [0]

    async def worker(index: int, deadline: float) -> None:
        connection = Connection(parsed.hostname, parsed.port)
        rng = random.Random(index)
        context = contexts[index % len(contexts)] if contexts else None
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                made = await journey(connection, context, rng)
                requests[0] += made
                latencies.append((time.perf_counter() - start) * 1000)
            except TimeoutError:
                errors["timeout"] += 1
            except UnexpectedStatus:
                errors["status"] += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors["connect" if connection.writer is None else "read"] += 1
        connection.close()

    start = time.monotonic()
    await asyncio.gather(*(worker(i, start + seconds) for i in range(connections)))
    elapsed = time.monotonic() - start
    result = summarise(latencies, requests=len(latencies), seconds=elapsed, errors=errors)
    result["http_requests"] = requests[0]
    return result


class UnexpectedStatus(Exception):
    pass


def run_python(url: str, *, connections: int, seconds: float, journey, contexts=()) -> dict:
    """The asyncio client in this process: latency per journey (one or more requests)."""
    result = asyncio.run(_drive(url, connections, seconds, journey, list(contexts)))
    result["generator"] = "python-asyncio"
    return result


def get_journey(paths: list[str], host: str, *, expected=(200,), headers: dict | None = None):
    """A journey of one GET of a random path of `paths` (the client when wrk is missing)."""

    async def journey(connection: Connection, _context, rng: random.Random) -> int:
        target = rng.choice(paths)
        status, _head, _body = await connection.request(
            request_bytes("GET", target, host, headers=headers)
        )
        if status not in expected:
            raise UnexpectedStatus(status)
        return 1

    return journey


if __name__ == "__main__":
    sys.exit("a module of bench/load.py and bench/lookup.py")
