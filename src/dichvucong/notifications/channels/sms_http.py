"""The generic HTTP JSON SMS gateway of DESIGN §6.

POST {"to": "<phone>", "text": "<message>"} to SMS_GATEWAY_URL with
`Authorization: Bearer $SMS_GATEWAY_TOKEN` when set, and `Idempotency-Key: <reference>` (the
same on every attempt of one message: a gateway that honours it never sends one twice).

Answers: 2xx = accepted (the JSON answer's "id" or "message_id" is kept); 408, 409 (the same
key still being processed), 425, 429 and 5xx, a timeout or no connection = retry later (after
`Retry-After` when given); any other 4xx = the gateway will never take it, no retry.
A real provider (brandname SMS, Zalo ZNS) is one more module like this one, named by
SMS_GATEWAY_BACKEND.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings

from .base import PermanentError, RetryableError

RETRY_STATUSES = frozenset({408, 409, 425, 429})


def _retry_after(headers) -> float | None:
    value = (headers or {}).get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None  # an HTTP date: the backoff decides


class HttpJsonSmsChannel:
    name = "sms_http"

    def send(self, *, to: str, subject: str, body: str, reference: str) -> str:
        payload = json.dumps({"to": to, "text": body}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": reference}
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.SMS_GATEWAY_URL, data=payload, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.SMS_GATEWAY_TIMEOUT
            ) as response:
                raw = response.read(65536)
        except urllib.error.HTTPError as exc:
            if exc.code in RETRY_STATUSES or exc.code >= 500:
                raise RetryableError(
                    f"gateway HTTP {exc.code}", retry_after=_retry_after(exc.headers)
                ) from exc
            raise PermanentError(f"gateway refused: HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise RetryableError(f"gateway unreachable: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        if isinstance(answer, dict):
            return str(answer.get("id") or answer.get("message_id") or reference)
        return reference
