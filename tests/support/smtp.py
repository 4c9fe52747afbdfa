"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what the portal sends.

Used by the e2e journeys through `tests/support/fixtures.py`: the app is pointed at it with
EMAIL_URL, sends over a real socket, and the test reads the message back, decoded, as a person
would read it in a mail client.
"""

from __future__ import annotations

import email
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO; the tests read the messages instead.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class ReceivedEmail:
    """One message as delivered: envelope, decoded headers and the decoded text body."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    subject: str
    from_header: str
    to_header: str
    body: str
    html: str
    raw: bytes = field(repr=False)

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]

    def addressed_to(self, address: str) -> bool:
        wanted = address.strip().lower()
        return wanted in {r.lower() for r in self.rcpt_tos} or wanted in self.to_header.lower()


def _text_of(part) -> str:
    """The decoded text of a part (quoted-printable, base64, 8bit all handled by get_content)."""
    try:
        return part.get_content()
    except (LookupError, KeyError):  # an unknown charset: decode what we can
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def _header(message, name: str) -> str:
    """A decoded header; a folded encoded-word header decodes with a leading space."""
    return str(message.get(name, "")).strip()


def parse_email(
    raw: bytes, *, mail_from: str = "", rcpt_tos: tuple[str, ...] = ()
) -> ReceivedEmail:
    message = email.message_from_bytes(raw, policy=policy.default)
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return ReceivedEmail(
        mail_from=mail_from,
        rcpt_tos=rcpt_tos,
        subject=_header(message, "Subject"),
        from_header=_header(message, "From"),
        to_header=_header(message, "To"),
        body=_text_of(plain) if plain is not None else "",
        html=_text_of(html) if html is not None else "",
        raw=raw,
    )


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        self.server._store(
            parse_email(raw, mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos))
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start with `start()`, stop with `stop()`; `wait_for(to=...)` blocks until a mail comes."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or free_port()
        self._messages: list[ReceivedEmail] = []
        self._changed = threading.Condition()
        self._controller = Controller(
            _Handler(self), hostname=host, port=self.port, decode_data=False, ready_timeout=10
        )

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def _store(self, message: ReceivedEmail) -> None:
        with self._changed:
            self._messages.append(message)
            self._changed.notify_all()

    @property
    def messages(self) -> list[ReceivedEmail]:
        with self._changed:
            return list(self._messages)

    def clear(self) -> None:
        with self._changed:
            self._messages.clear()

    def find(self, *, to: str | None = None, contains: str | None = None) -> list[ReceivedEmail]:
        found = []
        for message in self.messages:
            if to is not None and not message.addressed_to(to):
                continue
            if contains is not None and contains not in message.subject + "\n" + message.body:
                continue
            found.append(message)
        return found

    def wait_for(
        self, *, to: str | None = None, contains: str | None = None, timeout: float = 10
    ) -> ReceivedEmail:
        """The first message to `to` (and containing `contains`), waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = self.find(to=to, contains=contains)
                if found:
                    return found[0]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    got = [(m.rcpt_tos, m.subject) for m in self._messages]
                    raise AssertionError(
                        f"no email to {to!r} containing {contains!r} within {timeout}s; "
                        f"received: {got}"
                    )
                self._changed.wait(remaining)
