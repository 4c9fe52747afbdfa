from typing import Protocol


class DeliveryError(Exception):
    retry = True


class RetryableError(DeliveryError):
    """The provider may accept it later (timeout, 5xx, 429, connection refused)."""


class PermanentError(DeliveryError):
    """The provider will never accept it (bad number, 4xx): no retry."""

    retry = False


class Channel(Protocol):
    name: str

    def send(self, *, to: str, subject: str, body: str, reference: str) -> str: ...
