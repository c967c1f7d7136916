from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiKey


class PartnerKeyThrottle(SimpleRateThrottle):
    """Requests per minute per key, as set on its partner; per address for anonymous reads."""

    scope = "partner"

    def __init__(self) -> None:  # the rate depends on the request, set in allow_request
        pass

    def allow_request(self, request, view) -> bool:  # noqa: ANN001
        if isinstance(request.auth, ApiKey):
            self.rate = f"{request.auth.partner.rate_limit_per_minute}/min"
        else:
            self.rate = settings.FACTCHECK_API_ANONYMOUS_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:  # noqa: ANN001
        if isinstance(request.auth, ApiKey):
            return f"throttle:key:{request.auth.pk}"
        return f"throttle:anon:{self.get_ident(request)}"
