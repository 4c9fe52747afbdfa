import time

import pytest
import redis
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from dichvucong.core import ratelimit
from dichvucong.core.ratelimit import Limit, client_address

REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "dvc-test",
    }
}


def exercise(limit: Limit) -> None:
    subject = "10.0.0.1"
    limit.reset(subject)
    assert not limit.exceeded(subject)
    assert [limit.hit(subject) for _ in range(3)] == [1, 2, 3]
    assert limit.exceeded(subject)
    assert limit.hit_and_check(subject) is True
    assert not limit.exceeded("10.0.0.2")  # counted per subject
    limit.reset(subject)
    assert limit.count(subject) == 0


def test_fixed_window_counter_on_the_local_cache():
    exercise(Limit("test", 3, 60))


@pytest.mark.redis
def test_fixed_window_counter_on_redis_shared_by_app_servers():
    with override_settings(CACHES=REDIS_CACHE):
        caches["default"].clear()
        try:
            exercise(Limit("test", 3, 60))
            # Another app server (its own connection to the same Redis) sees the count.
            Limit("shared", 5, 60).hit("client")
            other_server = redis.Redis.from_url("redis://127.0.0.1:6379/15")
            keys = other_server.keys("dvc-test:*rl:shared:*")
            assert len(keys) == 1
            assert int(other_server.get(keys[0])) == 1
            assert other_server.ttl(keys[0]) > 0
        finally:
            caches["default"].clear()


@pytest.mark.redis
def test_on_redis_each_hit_is_one_round_trip_and_the_window_still_ends():
    with override_settings(CACHES=REDIS_CACHE):
        caches["default"].clear()
        monitor = redis.Redis.from_url("redis://127.0.0.1:6379/15")
        try:
            limit = Limit("one-trip", 100, 2)
            limit.hit("warm-up")  # the script loaded once per process

            def calls() -> dict[str, int]:
                stats = monitor.info("commandstats")
                return {
                    name: stats.get(f"cmdstat_{name}", {}).get("calls", 0)
                    for name in ("evalsha", "set", "incrby", "script|load")
                }

            before = calls()
            counts = [limit.hit("client") for _ in range(10)]
            after = calls()
            assert counts == list(range(1, 11))
            # One request to Redis per hit (the INCR runs inside the script), nothing else.
            assert {name: after[name] - before[name] for name in after} == {
                "evalsha": 10,
                "set": 0,
                "incrby": 0,
                "script|load": 0,
            }
            assert limit.count("client") == 10  # read back through the cache as before
            key = caches["default"].make_and_validate_key(ratelimit._key("one-trip", "client"))
            assert 0 < monitor.ttl(key) <= 2
            monitor.persist(key)  # a counter that lost its expiry gets it back at the next hit
            assert limit.hit("client") == 11
            assert 0 < monitor.ttl(key) <= 2
            time.sleep(2.1)
            assert limit.hit("client") == 1  # a new window
            monitor.script_flush()  # Redis restarted without its scripts: loaded again
            assert limit.hit("client") == 2
        finally:
            caches["default"].clear()


def test_keys_hold_no_address_in_clear():
    key = ratelimit._key("login-client", "10.1.2.3")
    assert "10.1.2.3" not in key


def test_client_address_trusts_forwarded_for_only_behind_known_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "5.6.7.8"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "1.2.3.4"
