"""Django's Redis cache backend, keeping one ``redis.Redis`` client per connection pool.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache
operation. With redis-py 5+ that constructor registers a few hundred response callbacks, and it cost about
0.5 ms of CPU per operation — more than the operation's round trip, on every rate-limit count, session read and
cached lookup (measured on the certificate verify API: four cache operations per request). The clients are
thread-safe and share the pool's connections, so one per pool is enough. The settings select this backend
whenever ``CACHE_URL`` names Redis (``cms.settings.base.with_pooled_clients``).
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# Increment a fixed-window counter (KEYS[1]) and start its expiry on the first hit, atomically; with more keys,
# also return their values (MGET), all in one round trip: {count, value2, value3, ...}.
HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if #KEYS == 1 then return count end
local values = redis.call('MGET', unpack(KEYS, 2))
table.insert(values, 1, count)
return values
"""


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
        self._hit_scripts: dict[int, object] = {}

    def hit(self, key, window: int, version=None) -> int:
        """Count one hit on the fixed-window counter ``key`` (expiring ``window`` + 1 s after its first hit)
        and return the count: one command (EVALSHA), where ``add`` + ``incr`` would take three."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        script = self._hit_scripts.get(id(client))
        if script is None:
            script = self._hit_scripts[id(client)] = client.register_script(HIT_SCRIPT)
        return int(script(keys=[key], args=[int(window) + 1]))

    def hit_and_get_many(self, key, window: int, keys, version=None) -> tuple[int, dict]:
        """:meth:`hit` on ``key`` and :meth:`get_many` of ``keys`` together, in one round trip (one script):
        for a hot path that counts a request against a rate limit and then reads the cache anyway."""
        counter = self.make_and_validate_key(key, version=version)
        names = {self.make_and_validate_key(k, version=version): k for k in keys}
        client = self._cache.get_client(counter, write=True)
        script = self._hit_scripts.get(id(client))
        if script is None:
            script = self._hit_scripts[id(client)] = client.register_script(HIT_SCRIPT)
        count, *values = script(keys=[counter, *names], args=[int(window) + 1])
        loads = self._cache._serializer.loads
        return int(count), {names[k]: loads(v) for k, v in zip(names, values, strict=True) if v is not None}
