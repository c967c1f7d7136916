"""Caching of anonymous public pages, expired as a whole whenever a verdict changes.

Every cached page's key carries a generation number; publishing or correcting a verdict
bumps it, so readers never see a stale verdict for longer than it takes to commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "factcheck:public:generation"


def public_cache_expire() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def public_cache_key(request: HttpRequest, prefix: str) -> str:
    """A key that changes with the URL (host included), the language and every publication."""
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"factcheck:{prefix}:{_generation()}:{get_language()}:{digest}"


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous GETs from the cache; signed-in users always get a fresh page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.FACTCHECK_PUBLIC_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated or seconds <= 0:
            return view(request, *args, **kwargs)
        key = public_cache_key(request, "public")
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                patch_cache_control(response, public=True, max_age=seconds)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                cache.set(key, response, seconds)
        return response

    return wrapper
