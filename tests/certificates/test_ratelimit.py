"""The verify endpoints' rate limiter: fixed windows per client and group, on the in-memory cache and on Redis."""

from __future__ import annotations

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from certificates import ratelimit
from cms.settings.base import with_pooled_clients

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.mark.parametrize(
    ("rate", "expected"), [("120/m", (120, 60)), ("5/10m", (5, 600)), ("1/s", (1, 1)), (" 3 / h ", (3, 3600))]
)
def test_parse_rate(rate, expected):
    assert ratelimit.parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["", "120", "x/m", "5/w", "-1/m"])
def test_malformed_rate_is_a_configuration_error(rate):
    with pytest.raises(ValueError):
        ratelimit.parse_rate(rate)


def _limits(now: float, n: int, *, client: str = "c1", group: str = "g", rate: str = "3/m") -> list[bool]:
    return [ratelimit.is_limited(group, client, rate, now=now) for _ in range(n)]


def test_in_memory_cache_limits_per_client_group_and_window():
    assert _limits(600.0, 4) == [False, False, False, True]
    assert _limits(610.0, 1, client="c2") == [False]  # another client
    assert _limits(610.0, 1, group="other") == [False]  # another endpoint
    assert _limits(660.0, 1) == [False]  # the next minute starts afresh


@pytest.fixture
def redis_cache():
    config = with_pooled_clients({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL})
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    with override_settings(CACHES={"default": config}):
        yield caches["default"]
    client.flushdb()


def test_redis_counts_in_one_command_with_an_expiry(redis_cache, monkeypatch):
    monkeypatch.setattr(ratelimit, "cache", redis_cache)
    assert _limits(1200.0, 4) == [False, False, False, True]
    client = redis.Redis.from_url(REDIS_URL)
    [key] = client.keys("*rl:g:60:20:c1")
    assert int(client.get(key)) == 4
    assert 0 < client.ttl(key) <= 61  # the window's counter disappears by itself

    commands = []
    original = redis.Redis.execute_command

    def counting(self, *args, **kwargs):
        commands.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    assert _limits(1200.0, 1) == [True]
    assert commands == ["EVALSHA"]


def test_redis_counts_and_reads_in_one_command(redis_cache, monkeypatch):
    monkeypatch.setattr(ratelimit, "cache", redis_cache)
    redis_cache.set("a", {"x": 1})
    redis_cache.set("n", 7)
    commands = []
    original = redis.Redis.execute_command

    def counting(self, *args, **kwargs):
        commands.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    limit = ratelimit.Limit("g", "c1", "2/m")
    assert ratelimit.over_and_get_many(limit, ["a", "n", "missing"]) == (False, {"a": {"x": 1}, "n": 7})
    assert ratelimit.over_and_get_many(limit, ["a"]) == (False, {"a": {"x": 1}})
    assert ratelimit.over_and_get_many(limit, ["a"])[0] is True
    assert commands == ["EVALSHA"] * 3


def test_in_memory_cache_counts_and_reads_too():
    from django.core.cache import cache

    cache.set("a", 1)
    limit = ratelimit.Limit("g2", "c1", "1/m")
    assert ratelimit.over_and_get_many(limit, ["a", "b"]) == (False, {"a": 1})
    assert ratelimit.over_and_get_many(limit, ["a"]) == (True, {"a": 1})
