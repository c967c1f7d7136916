"""Requests per minute per key (as set on its partner), per address for anonymous reads.

A sliding-window counter: the requests counted in this window plus the previous window's,
weighted by how much of it still lies within the last minute. Each request is counted by
one atomic increment in a store every web process shares (``throttle.counters``: the
Redis cache when CACHE_URL is set, else the database), so concurrent requests and several
gunicorn workers let through exactly the limit. Refused requests count too: a client that
ignores ``Retry-After`` stays refused. If the store is down, requests are let through
(and logged), never answered 500.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from throttle.counters import counters_for

from ..models import ApiKey

_now = time.time  # tests fix the clock here
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int | None, int]:
    """'120/min' -> (120, 60), as DRF reads rates."""
    if rate is None:
        return None, 60
    number, _, period = rate.partition("/")
    return int(number), _PERIODS[period.strip()[:1]]


class PartnerKeyThrottle(BaseThrottle):
    def __init__(self) -> None:
        self.wait_seconds: float | None = None

    def rate_for(self, request) -> tuple[int, int]:  # noqa: ANN001
        if isinstance(request.auth, ApiKey):
            rate = f"{request.auth.partner.rate_limit_per_minute}/min"
        else:
            rate = settings.FACTCHECK_API_ANONYMOUS_RATE
        return parse_rate(rate)

    def ident_for(self, request) -> str:  # noqa: ANN001
        if isinstance(request.auth, ApiKey):
            return f"key:{request.auth.pk}"
        return f"anon:{self.get_ident(request)}"

    def allow_request(self, request, view) -> bool:  # noqa: ANN001
        limit, window = self.rate_for(request)
        if limit is None:
            return True
        now = _now()
        index = int(now // window)
        elapsed = now - index * window
        base = f"throttle:{self.ident_for(request)}:{window}"
        counters = counters_for(settings.FACTCHECK_THROTTLE_STORE)
        # Kept while it can still count: this window and the next (as the previous one).
        current = counters.hit(f"{base}:{index}", ttl=math.ceil((index + 2) * window - now) + 1)
        if current is None:
            return True  # the store is down: let the request through (logged by the store)
        previous = counters.peek(f"{base}:{index - 1}") or 0
        weight = (window - elapsed) / window
        if previous * weight + current <= limit:
            return True
        self.wait_seconds = self._wait(limit, window, elapsed, previous, current)
        return False

    @staticmethod
    def _wait(limit: int, window: int, elapsed: float, previous: int, current: int) -> float:
        """Seconds until one more request would be let through, if no other came meanwhile."""
        to_next_window = window - elapsed
        if current + 1 <= limit and previous:
            # The previous window's share has to shrink by what is over.
            return max(1.0, to_next_window - (limit - current - 1) * window / previous)
        # This window is full: next window, once this one's share has shrunk enough.
        share_left = (limit - 1) / current if current else 1.0
        return max(1.0, to_next_window + max(0.0, window * (1 - share_left)))

    def wait(self) -> float | None:
        return None if self.wait_seconds is None else float(math.ceil(self.wait_seconds))
