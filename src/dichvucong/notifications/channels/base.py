"""Delivery channels. Each provider is one module with a class whose `send()` returns the
provider's message id, raising RetryableError or PermanentError on failure.

`reference` is the same on every attempt of one message (`dvc-notification-<id>`): providers
that can deduplicate (an Idempotency-Key header, an email Message-ID, a brandname gateway's
request id) should be given it, so that a message re-sent after a crashed worker reaches the
person once.
"""

from typing import Protocol


class DeliveryError(Exception):
    retry = True

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class RetryableError(DeliveryError):
    """The provider may accept it later (timeout, 5xx, 429, connection refused)."""


class PermanentError(DeliveryError):
    """The provider will never accept it (bad number, 4xx): no retry."""

    retry = False


class Channel(Protocol):
    name: str

    def send(self, *, to: str, subject: str, body: str, reference: str) -> str: ...
