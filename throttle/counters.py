"""Counters that every web process shares, incremented atomically.

``hit(key, ttl)`` adds one to a counter (kept ``ttl`` seconds from its first hit) and
returns the new count, counted in one step by the store, so that concurrent requests each
see a different number and exactly the limit is let through. ``peek(key)`` reads a
counter without changing it. Both return ``None`` when the store cannot be reached: the
caller decides (the API throttle lets the request through and logs it, never a 500).

Two stores:

* :class:`CacheCounters` - the cache (``add`` then ``incr``). Shared and atomic with Redis
  (CACHE_URL); with the in-process cache atomic but per process, so right only where one
  process serves (``make run``).
* :class:`DatabaseCounters` - one row per counter, incremented by a single
  ``INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count`` (PostgreSQL
  and SQLite alike). Shared by every process that shares the database. On PostgreSQL the
  table is UNLOGGED: counters need no crash safety, and a count then costs no WAL flush.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import nullcontext

from django.core.cache import caches
from django.db import DatabaseError, connection, transaction

from factcheck.cache import CacheUnavailable

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60.0


class _OncePerInterval:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at = -LOG_EVERY_SECONDS

    def warn(self, message: str, *args: object, **kwargs: object) -> None:
        now = time.monotonic()
        with self.lock:
            if now - self.at < LOG_EVERY_SECONDS:
                return
            self.at = now
        logger.warning(message, *args, **kwargs)


_unavailable = _OncePerInterval()
_sqlite_writes = threading.Lock()


class CacheCounters:
    def __init__(self, alias: str = "default") -> None:
        self.alias = alias

    def hit(self, key: str, ttl: int) -> int | None:
        cache = caches[self.alias]
        timeout = max(1, ttl)
        for _ in range(3):  # a counter that expires between add and incr is added again
            try:
                if cache.add(key, 1, timeout):
                    return 1
                return cache.incr(key)
            except CacheUnavailable:
                break
            except ValueError:  # Django's "key not found"
                continue
        _unavailable.warn("Rate-limit counters unavailable (cache %r); requests are let through.", self.alias)
        return None

    def peek(self, key: str) -> int | None:
        value = caches[self.alias].get(key)
        return value if isinstance(value, int) else 0


class DatabaseCounters:
    def hit(self, key: str, ttl: int) -> int | None:
        from .models import Counter

        now = int(time.time())
        table = connection.ops.quote_name(Counter._meta.db_table)
        name, count, until = (connection.ops.quote_name(c) for c in ("key", "count", "expires"))
        sql = (
            f"INSERT INTO {table} ({name}, {count}, {until}) VALUES (%s, 1, %s) "  # noqa: S608 - names, not input
            f"ON CONFLICT ({name}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}"
        )
        # SQLite has one writer at a time anyway: this process's threads queue here rather
        # than on SQLite's lock (which an in-memory database refuses instead of waiting).
        serial = _sqlite_writes if connection.vendor == "sqlite" else nullcontext()
        # One statement is its own transaction; inside a caller's transaction a savepoint
        # keeps a failure here from breaking it. (No BEGIN/COMMIT round trips per request.)
        scope = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with serial, scope, connection.cursor() as cursor:
                cursor.execute(sql, [key, now + max(1, ttl)])
                value = cursor.fetchone()[0]
                if value == 1:  # the first request of a window clears the windows that are past
                    cursor.execute(f"DELETE FROM {table} WHERE {until} < %s", [now])  # noqa: S608
        except DatabaseError:
            _unavailable.warn("Rate-limit counters unavailable (database); requests are let through.",
                              exc_info=True)
            return None
        return int(value)

    def peek(self, key: str) -> int | None:
        from .models import Counter

        try:
            return Counter.objects.filter(key=key).values_list("count", flat=True).first() or 0
        except DatabaseError:
            return None


def counters_for(store: str) -> CacheCounters | DatabaseCounters:
    if store == "database":
        return DatabaseCounters()
    return CacheCounters()
