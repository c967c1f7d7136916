"""Partners' API keys and their budget of new text a minute."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import time
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..errors import SubmitBudgetExceeded
from ..models import ApiKey, Partner

logger = logging.getLogger(__name__)


_BUDGET_WINDOW = 60  # seconds: the budget is characters a minute


def partner_budget_take(*, partner: Partner, chars: int, force: bool = False) -> None:
    """Count ``chars`` of new text against the partner's characters a minute, or raise
    SubmitBudgetExceeded (nothing counted) when they would go past it.

    The count is one shared cache counter per partner and minute, raised atomically
    (``incr``), so that every key, web process and worker sees the same sum. A text
    alone larger than the whole budget still goes through in a minute of its own, and
    ``force`` counts without refusing (a fetched page, already accepted). When the cache
    is down, nothing is counted: submissions are not refused for want of a counter.
    """
    now = time.time()
    key = f"submit-chars:{partner.pk}:{int(now // _BUDGET_WINDOW)}"
    try:
        cache.add(key, 0, timeout=_BUDGET_WINDOW * 2)
        try:
            used = cache.incr(key, chars)
        except ValueError:  # the key expired between add and incr
            cache.add(key, chars, timeout=_BUDGET_WINDOW * 2)
            return
        if force or used <= partner.chars_per_minute or used == chars:
            return
        cache.decr(key, chars)
    except Exception:  # noqa: BLE001 - a cache outage must not refuse submissions
        logger.warning("submission budget not counted for partner %s", partner.pk, exc_info=True)
        return
    wait = max(1, math.ceil(_BUDGET_WINDOW - now % _BUDGET_WINDOW))
    raise SubmitBudgetExceeded(
        f"You have sent more new article text this minute than your budget of "
        f"{partner.chars_per_minute:,} characters a minute.",
        retry_after=wait,
    )


def partner_budget_return(partner: Partner, chars: int) -> None:
    """Give back what a submission counted when it did not create an article after all."""
    key = f"submit-chars:{partner.pk}:{int(time.time() // _BUDGET_WINDOW)}"
    try:
        cache.decr(key, chars)
    except Exception:  # noqa: BLE001 - the window moved on or the cache is down: nothing to give back
        logger.debug("submission budget of partner %s not given back", partner.pk, exc_info=True)


API_SCOPES = ("read", "submit")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_generate() -> tuple[str, str, str]:
    """A new key: (the key to show once, its lookup prefix, its hash to store)."""
    prefix = secrets.token_hex(6)
    key = f"fc_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, key_hash(key)


def key_is_valid(api_key: ApiKey | None, key: str) -> bool:
    """Whether ``key`` is ``api_key``'s, compared in constant time: an unknown prefix
    (no row) costs the same as a wrong key."""
    expected = api_key.hashed_key if api_key else key_hash("")
    return hmac.compare_digest(expected, key_hash(key)) and api_key is not None


def api_key_create(
    *, partner: Partner, scopes: list[str], name: str = "", expires_at: datetime | None = None
) -> tuple[ApiKey, str]:
    """A new key for a partner. Returns the row and the key, which is never stored or shown again."""
    scopes = sorted(set(scopes))
    unknown = [s for s in scopes if s not in API_SCOPES]
    if not scopes or unknown:
        raise ValidationError({"scopes": [f"Choose scopes from {', '.join(API_SCOPES)}."]})
    key, prefix, hashed = key_generate()
    api_key = ApiKey.objects.create(partner=partner, name=name[:100], prefix=prefix, hashed_key=hashed,
                                    scopes=scopes, expires_at=expires_at)
    return api_key, key


def api_key_revoke(*, api_key: ApiKey) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
