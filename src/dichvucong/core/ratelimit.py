"""Fixed-window counters on the shared cache (Redis in production) for rate limits and lockouts.

Used by login, registration, code sending, password reset and (later) the public lookup. The
keys hold a hash of what they count, never a username or an address in clear.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address; X-Forwarded-For is trusted only as far as TRUSTED_PROXY_COUNT."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, subject: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window_seconds: int

    def count(self, subject: str) -> int:
        return int(cache.get(_key(self.scope, subject), 0))

    def exceeded(self, subject: str) -> bool:
        return self.count(subject) >= self.limit

    def hit(self, subject: str) -> int:
        """Count one more and return the new count (atomic on Redis and locmem)."""
        key = _key(self.scope, subject)
        if cache.add(key, 1, timeout=self.window_seconds):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=self.window_seconds)
            return 1

    def hit_and_check(self, subject: str) -> bool:
        """Count this attempt; True when it is over the limit."""
        return self.hit(subject) > self.limit

    def reset(self, subject: str) -> None:
        cache.delete(_key(self.scope, subject))
