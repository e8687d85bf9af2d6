"""Per-client rate limits for the public verification endpoints: fixed windows counted in the cache.

One count per request is the whole cost, so it is made in one cache round trip where the cache allows it:
``cms.cache.RedisCache.hit`` increments the window's counter and sets its expiry in one server-side script, and
``hit_and_get_many`` also reads the keys the request is about to read anyway (the verify API's key set, status
version and certificate), so a scan's count costs no round trip of its own. Other caches (the in-memory cache
of the embedded default and the tests) use ``add`` then ``incr``.

(This replaced django-ratelimit, whose ``add`` + ``incr`` cost three Redis commands per request on the verify
API, the platform's hottest path; the semantics are the same: a fixed window per client and group, and
``request.limited`` set for the view to answer 429 itself.)
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/m"`` -> (120, 60); ``"5/10m"`` -> (5, 600). A malformed rate is a configuration error."""
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"rate {rate!r} is not like '120/m' or '5/10m'")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * UNITS[unit]


def hit(key: str, window: int) -> int:
    """Count one request under ``key`` in its ``window``-second fixed window; the count so far in the window."""
    count_hit = getattr(cache, "hit", None)
    if count_hit is not None:
        return count_hit(key, window)
    if cache.add(key, 1, window + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window + 1)
        return 1


@dataclass(frozen=True)
class Limit:
    """``rate`` (e.g. ``"60/m"``) for one ``client`` on one endpoint ``group``."""

    group: str
    client: str
    rate: str

    def counter(self, now: float | None = None) -> tuple[str, int, int]:
        """(cache key of the current window, window seconds, requests allowed in it)."""
        allowed, window = parse_rate(self.rate)
        slot = int((time.time() if now is None else now) // window)
        return f"rl:{self.group}:{window}:{slot}:{self.client}", window, allowed


def over(limit: Limit, *, now: float | None = None) -> bool:
    """Count this request; whether it exceeds the limit."""
    key, window, allowed = limit.counter(now)
    return hit(key, window) > allowed


def over_and_get_many(limit: Limit, keys: list[str]) -> tuple[bool, dict]:
    """:func:`over` and ``cache.get_many(keys)``, in one round trip on Redis: (over the limit, values found)."""
    key, window, allowed = limit.counter()
    combined = getattr(cache, "hit_and_get_many", None)
    if combined is not None:
        count, values = combined(key, window, keys)
    else:
        count, values = hit(key, window), cache.get_many(keys)
    return count > allowed, values


def is_limited(group: str, client: str, rate: str, *, now: float | None = None) -> bool:
    """Whether this request exceeds ``rate`` for ``client`` in ``group`` (and count it)."""
    return over(Limit(group, client, rate), now=now)


def rate_limited(*, key: Callable, rate: Callable, group: str | None = None):
    """View decorator: count the request for ``key(group, request)`` and set ``request.limited`` when it exceeds
    ``rate(group, request)``; the view decides how to answer (never blocks by itself)."""

    def decorator(view):
        name = group or f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.limited = is_limited(name, key(name, request), rate(name, request))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
