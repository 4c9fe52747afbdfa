"""A real HTTP SMS gateway on 127.0.0.1, speaking the portal's generic JSON protocol.

DESIGN §6: each SMS is a POST of {"to": "<phone>", "text": "<message>"} with
`Authorization: Bearer <token>` when a token is set. This server checks exactly that, keeps
what it accepted, answers 200 {"id": "..."}, and can be told to fail the next N requests
(503 by default) so retry tests see real HTTP errors.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class ReceivedSms:
    id: str
    to: str
    text: str
    headers: dict[str, str] = field(default_factory=dict)
    path: str = "/"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass  # keep test output quiet

    def _answer(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        gateway = self.server.gateway
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        gateway._count_request()
        failure = gateway._take_failure()
        if failure is not None:
            self._answer(failure, {"error": "gateway temporarily unavailable"})
            return
        if gateway.token and self.headers.get("Authorization") != f"Bearer {gateway.token}":
            self._answer(401, {"error": "unauthorised"})
            return
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._answer(400, {"error": "body must be UTF-8 JSON"})
            return
        if (
            not isinstance(payload, dict)
            or not isinstance(payload.get("to"), str)
            or not isinstance(payload.get("text"), str)
            or not payload["to"]
            or not payload["text"]
        ):
            self._answer(400, {"error": 'expected {"to": "...", "text": "..."}'})
            return
        message = gateway._store(
            to=payload["to"], text=payload["text"], headers=dict(self.headers), path=self.path
        )
        self._answer(200, {"id": message.id})

    def do_GET(self):
        self._answer(405, {"error": "POST only"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    gateway: SmsGateway


class SmsGateway:
    """Start with `start()`, stop with `stop()`; `wait_for(to=...)` blocks until an SMS comes."""

    def __init__(self, *, token: str = "", host: str = "127.0.0.1", port: int = 0):
        self.token = token
        self._server = _Server((host, port), _Handler)
        self._server.gateway = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sms-gateway", daemon=True
        )
        self._messages: list[ReceivedSms] = []
        self._changed = threading.Condition()
        self._failures: list[int] = []
        self._ids = itertools.count(1)
        self.request_count = 0

    @property
    def host(self) -> str:
        return self._server.server_address[0]

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/sms"

    def start(self) -> SmsGateway:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def fail_next(self, count: int = 1, *, status: int = 503) -> None:
        """Answer the next `count` requests with `status` (nothing is recorded for them)."""
        with self._changed:
            self._failures.extend([status] * count)

    def reset(self) -> None:
        with self._changed:
            self._messages.clear()
            self._failures.clear()
            self.request_count = 0

    def _count_request(self) -> None:
        with self._changed:
            self.request_count += 1

    def _take_failure(self) -> int | None:
        with self._changed:
            return self._failures.pop(0) if self._failures else None

    def _store(self, *, to: str, text: str, headers: dict[str, str], path: str) -> ReceivedSms:
        with self._changed:
            message = ReceivedSms(
                id=f"sms-{next(self._ids)}", to=to, text=text, headers=headers, path=path
            )
            self._messages.append(message)
            self._changed.notify_all()
            return message

    @property
    def messages(self) -> list[ReceivedSms]:
        with self._changed:
            return list(self._messages)

    def find(self, *, to: str | None = None, contains: str | None = None) -> list[ReceivedSms]:
        return [
            m
            for m in self.messages
            if (to is None or m.to == to) and (contains is None or contains in m.text)
        ]

    def wait_for(
        self, *, to: str | None = None, contains: str | None = None, timeout: float = 10
    ) -> ReceivedSms:
        """The first SMS to `to` (and containing `contains`), waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = self.find(to=to, contains=contains)
                if found:
                    return found[0]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    got = [(m.to, m.text) for m in self._messages]
                    raise AssertionError(
                        f"no SMS to {to!r} containing {contains!r} within {timeout}s; "
                        f"received: {got}"
                    )
                self._changed.wait(remaining)
