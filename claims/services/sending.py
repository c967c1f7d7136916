"""Sending jobs and webhook deliveries to the workers, and the sweep that sends them again.

The database row is the truth; a message on the broker is only a nudge, and may never get
there (Redis down) or be lost (Redis restarted without persistence). A job or delivery still
waiting at its `due_at` is sent again by the sweep, which Celery beat runs every
FACTCHECK_SWEEP_SECONDS. Duplicates are harmless: a job is claimed in its row (job_claim), a
delivery attempt too (webhook_deliver).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .. import selectors
from ..errors import BROKER_ERRORS
from ..models import ExtractionJob, WebhookDelivery
from ..tasks import deliver_webhook, extract_article_claims

logger = logging.getLogger(__name__)


# A new row is sent when its transaction commits; the sweep sends it itself after this.
SEND_GRACE = timedelta(seconds=30)


SWEEP_BATCH = 1000


@dataclass(frozen=True)
class SweepResult:
    jobs: int
    deliveries: int


def resend_after(sends: int) -> timedelta:
    """How long a message may wait before the sweep sends it again: the job lease, doubled
    with each send, so that a long queue gets a few duplicates, not a flood."""
    return timedelta(seconds=settings.FACTCHECK_JOB_LEASE_SECONDS * 2 ** min(max(sends - 1, 0), 6))


def row_send(row: ExtractionJob | WebhookDelivery, task, *args: object,  # noqa: ANN001
              seen_due_at: datetime | None = None) -> bool | None:
    """Hand a row's task to the broker. Returns True when sent, False when the broker
    cannot be reached (the row is left due: the sweep sends it later), None when another
    sender took it first (with `seen_due_at`: only whoever moves `due_at` on sends)."""
    model = type(row)
    now = timezone.now()
    rows = model.objects.filter(pk=row.pk)
    if seen_due_at is not None:
        rows = rows.filter(due_at=seen_due_at)
    row.due_at = now + resend_after(row.sends + 1)
    if not rows.update(due_at=row.due_at):
        return None
    try:
        task.delay(*args)
    except BROKER_ERRORS as exc:
        logger.warning("%s %s not sent, the broker cannot be reached (%s); the sweep will send it",
                       model._meta.verbose_name, row.pk, exc)
        model.objects.filter(pk=row.pk).update(due_at=now)
        row.due_at = now
        return False
    model.objects.filter(pk=row.pk).update(sent_at=now, sends=F("sends") + 1)
    row.sent_at, row.sends = now, row.sends + 1
    return True


def job_send(job: ExtractionJob, *, seen_due_at: datetime | None = None) -> bool | None:
    return row_send(job, extract_article_claims, job.pk, seen_due_at=seen_due_at)


def delivery_send(delivery: WebhookDelivery, *, seen_due_at: datetime | None = None) -> bool | None:
    return row_send(delivery, deliver_webhook, delivery.pk, delivery.attempts, seen_due_at=seen_due_at)


def sweep_due(*, limit: int = SWEEP_BATCH) -> SweepResult:
    """Send again every job and webhook delivery that is due and not in flight.

    Safe to run twice, or in two processes at once: each row is sent by the one sweep that
    moves its `due_at`. At the first broker error it stops; the rest stay due.
    """
    now = timezone.now()
    counts = {"jobs": 0, "deliveries": 0}
    for kind, rows, send in (
        ("jobs", selectors.jobs_due(now=now)[:limit], job_send),
        ("deliveries", selectors.deliveries_due(now=now)[:limit], delivery_send),
    ):
        for row in rows:
            sent = send(row, seen_due_at=row.due_at)
            if sent is False:
                return SweepResult(**counts)
            counts[kind] += bool(sent)
    if any(counts.values()):
        logger.info("sweep sent %(jobs)d job(s) and %(deliveries)d webhook delivery(ies) again", counts)
    return SweepResult(**counts)
