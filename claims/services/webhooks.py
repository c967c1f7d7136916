"""Telling partners about publications and corrections: one signed POST per partner,
retried with backoff, each attempt counted in its row."""

from __future__ import annotations

import json
import logging
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import claimreview, outbound, selectors
from ..errors import WebhookRetry
from ..models import Claim, Partner, WebhookDelivery
from .sending import SEND_GRACE, delivery_send, resend_after

logger = logging.getLogger(__name__)


# Attempts at one webhook delivery, the first included; between them, a growing pause.
WEBHOOK_MAX_ATTEMPTS = 7


WEBHOOK_BACKOFF_SECONDS = 30


WEBHOOK_BACKOFF_MAX_SECONDS = 3600


def webhooks_queue(*, claim: Claim, event: str, extra: dict | None = None) -> list[WebhookDelivery]:
    """One delivery per partner with a webhook about a published fact-check, sent after the
    change commits; ``extra`` adds to the payload (``claim.matched``: the new claim)."""
    published = selectors.published_claims().get(pk=claim.pk)
    payload = {"event": event, "claim_id": claim.pk, "claim_review": claimreview.claim_review(published),
               **(extra or {})}
    due_at = timezone.now() + SEND_GRACE
    deliveries = WebhookDelivery.objects.bulk_create([
        WebhookDelivery(partner=partner, claim=claim, event=event, url=partner.webhook_url, payload=payload,
                        due_at=due_at)
        for partner in Partner.objects.filter(is_active=True).exclude(webhook_url="")
    ])
    for delivery in deliveries:
        transaction.on_commit(lambda delivery=delivery: delivery_send(delivery))
    return deliveries


def webhook_deliver(
    *, delivery_id: int, attempt: int | None = None, final: bool = False
) -> WebhookDelivery | None:
    """POST one delivery, signed; record the outcome. Raises WebhookRetry to try again.

    `attempt` is the number of attempts made when the message was sent: of two messages
    for the same attempt (the sweep sent one again while the first still waited in the
    queue), only the first posts. The last allowed attempt ends the delivery as failed.
    """
    delivery = WebhookDelivery.objects.select_related("partner").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return delivery
    seen = delivery.attempts if attempt is None else attempt
    now = timezone.now()
    if not WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=seen
    ).update(attempts=seen + 1, last_attempt_at=now, due_at=now + resend_after(1)):
        return None  # another message made this attempt
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {**outbound.webhook_headers(delivery.partner.webhook_secret, body, delivery_id=str(delivery.pk)),
               "X-Factcheck-Event": delivery.event}
    delivery.attempts = seen + 1
    delivery.last_attempt_at = now
    final = final or delivery.attempts >= WEBHOOK_MAX_ATTEMPTS
    retry: str | None = None
    try:
        code = outbound.post_json(delivery.url, body, headers)
        delivery.response_code = code
        if 200 <= code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.error = ""
        elif code >= 500 or code == 429:
            retry = f"the partner's server answered {code}"
        else:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.error = f"the partner's server answered {code}; not retried"
    except outbound.OutboundError as exc:
        retry = str(exc)
    countdown = 0.0
    if retry is not None:
        delivery.error = retry
        delivery.status = WebhookDelivery.Status.FAILED if final else WebhookDelivery.Status.PENDING
        pause = min(WEBHOOK_BACKOFF_MAX_SECONDS, WEBHOOK_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1))
        countdown = pause * random.uniform(0.5, 1.0)
        # The worker sends the next attempt itself; the sweep only if that message is lost.
        delivery.due_at = timezone.now() + timedelta(seconds=countdown) + resend_after(1)
    delivery.save(update_fields=["response_code", "status", "error", "due_at"])
    if retry is not None and not final:
        raise WebhookRetry(retry, attempts=delivery.attempts, countdown=countdown)
    return delivery
