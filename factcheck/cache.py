"""A Redis cache that an outage of Redis turns into misses, never into errors.

Django's own ``RedisCache`` raises whatever redis-py raises, so with Redis down every
cached page, feed and API answer was a 500. Here a failed call answers as a miss (``get``
gives the default, ``set`` stores nothing, ``add`` adds nothing), says so in the log at
most once a minute, and for a few seconds after a failure does not try Redis at all, so a
Redis that does not answer costs a request one short timeout, not one per cache call.

``incr`` is the exception: a caller that counts (the API throttle) must know the count was
not kept, so it raises :class:`CacheUnavailable`. That is a ``ValueError``, which is what
Django's ``incr`` raises for a missing key, so code written for any cache treats it as a
miss too. ``incr`` is also atomic here (one server-side script), where Django's checks that
the key exists and then increments it in a second command.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds Redis is left alone after a failure, and between two log lines about it.
RETRY_AFTER_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
DEFAULT_SOCKET_TIMEOUT = 0.5

# INCRBY only a key that exists (and so keeps its expiry), in one step on the server.
_INCR_IF_EXISTS = """
if redis.call('exists', KEYS[1]) == 1 then
    return redis.call('incrby', KEYS[1], ARGV[1])
end
return nil
"""


class CacheUnavailable(ValueError):  # noqa: N818 - reads as a state, like Django's cache errors
    """The cache could not be reached; nothing was counted."""


class _Outage:
    """Per process and per server: when Redis last failed and when that was last logged."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.logged_at = -LOG_EVERY_SECONDS

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, servers: list[str], error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + RETRY_AFTER_SECONDS
            if now - self.logged_at < LOG_EVERY_SECONDS:
                return
            self.logged_at = now
        # The address only, never a password that may be in the URL.
        where = ", ".join(s.rsplit("@", 1)[-1] for s in servers)
        logger.warning("Cache at %s unavailable (%s: %s); serving without it.", where,
                       type(error).__name__, error)


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(servers: list[str]) -> _Outage:
    key = tuple(servers)
    with _outages_lock:
        return _outages.setdefault(key, _Outage())


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options) -> None:  # noqa: ANN001
        super().__init__(servers, **options)
        self._outage = _outage_for(list(servers))
        self._errors = (self._lib.exceptions.RedisError, OSError)

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        if self._outage.is_down():
            return fallback
        try:
            return call()
        except self._errors as error:
            self._outage.failed(self._servers, error)
            return fallback

    def add(self, key, value, timeout):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).add(key, value, timeout), False)

    def get(self, key, default):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).get(key, default), default)

    def set(self, key, value, timeout):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).set(key, value, timeout), None)

    def touch(self, key, timeout):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).touch(key, timeout), False)

    def delete(self, key):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).delete(key), False)

    def get_many(self, keys):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).get_many(keys), {})

    def has_key(self, key):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).has_key(key), False)

    def set_many(self, data, timeout):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).set_many(data, timeout), None)

    def delete_many(self, keys):  # noqa: ANN001, ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).delete_many(keys), None)

    def clear(self):  # noqa: ANN201
        return self._guard(lambda: super(ResilientRedisCacheClient, self).clear(), False)

    def incr(self, key, delta):  # noqa: ANN001, ANN201
        missing = object()

        def increment():  # noqa: ANN202
            client = self.get_client(key, write=True)
            value = client.eval(_INCR_IF_EXISTS, 1, key, delta)
            return missing if value is None else value

        unavailable = object()
        value = self._guard(increment, unavailable)
        if value is unavailable:
            raise CacheUnavailable("the cache is unavailable")
        if value is missing:
            raise ValueError(f"Key '{key}' not found.")
        return value


class ResilientRedisCache(RedisCache):
    """Django's RedisCache with short timeouts and an outage answered as a miss.

    OPTIONS may set ``socket_timeout`` and ``socket_connect_timeout`` (seconds); by
    default both are half a second, and a lost connection is retried once at once,
    never with redis-py's default back-off (seconds of sleep inside a web request).
    """

    def __init__(self, server, params) -> None:  # noqa: ANN001
        super().__init__(server, params)
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        options = dict(self._options)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_connect_timeout", options["socket_timeout"])
        options.setdefault("retry", Retry(NoBackoff(), 1))
        self._options = options
        self._class = ResilientRedisCacheClient
