"""Fixed-window counters on the shared cache (Redis in production) for rate limits and lockouts.

Used by login, registration, code sending, password reset and (later) the public lookup. The
keys hold a hash of what they count, never a username or an address in clear.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
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
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            return _redis_hit(backend, key, self.window_seconds)
        if backend.add(key, 1, timeout=self.window_seconds):
            return 1
        try:
            return int(backend.incr(key))
        except ValueError:  # expired between add and incr
            backend.add(key, 1, timeout=self.window_seconds)
            return 1

    def hit_and_check(self, subject: str) -> bool:
        """Count this attempt; True when it is over the limit."""
        return self.hit(subject) > self.limit

    def reset(self, subject: str) -> None:
        cache.delete(_key(self.scope, subject))


# INCR, and the window's expiry on a new counter, in one round trip (cache.add() then
# cache.incr() take two for every hit after the first, on the busiest public page among
# others). A counter left without an expiry (TTL -1) gets one too, so none lives forever.
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""


def _redis_hit(backend: RedisCache, key: str, window_seconds: int) -> int:
    """The counter through Django's Redis cache: the same key (prefix, version) and the same
    stored value (Django keeps integers as plain Redis integers), so get() and delete() of the
    cache read and reset it."""
    full_key = backend.make_and_validate_key(key)
    client = backend._cache.get_client(full_key, write=True)
    global _hit_script
    if _hit_script is None:
        _hit_script = client.register_script(_HIT_SCRIPT)  # by its SHA1, loaded when missing
    return int(_hit_script(keys=[full_key], args=[window_seconds], client=client))


_hit_script = None
