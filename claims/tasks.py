"""Celery tasks: ids in, one service call, nothing else.

Wiring only: at module level this imports Celery and the shared exceptions, never a
service; each task imports its service inside its body. Services import these tasks to
send them (HackSoft's way), so the import runs one way. Delivery flags (acks late,
reject on a lost worker, no results) are Celery settings (factcheck/settings.py), the
same for every task; a task says here only how often it retries.
"""

from __future__ import annotations

import logging
import random

from celery import Task, shared_task

from .errors import BROKER_ERRORS, TRANSIENT_DB_ERRORS, DigestEmailRetry, JobRetry, WebhookRetry

logger = logging.getLogger(__name__)

# A database outage is waited out for longer than a restart takes: retries pause 5 s, 10 s,
# 20 s ... up to 5 minutes (each between half and all of that), more than ten minutes in
# all. After that the job stays waiting in its row and the sweep sends it again.
DB_RETRIES = 10
DB_RETRY_FIRST_SECONDS = 5
DB_RETRY_MAX_SECONDS = 300


def db_retry_countdown(retries: int) -> float:
    pause = min(DB_RETRY_MAX_SECONDS, DB_RETRY_FIRST_SECONDS * 2 ** retries)
    return pause * random.uniform(0.5, 1.0)


class ExtractionTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:  # noqa: ANN001
        # An unexpected error escaped the job: say so on the job. A database or broker
        # outage is not written down (it may not be writable); the sweep sends the job again.
        from .services.jobs import job_fail

        if args and not isinstance(exc, (*TRANSIENT_DB_ERRORS, *BROKER_ERRORS)):
            job_fail(job_id=args[0], error=f"gave up after retries: {exc!r}")


@shared_task(bind=True, base=ExtractionTask, max_retries=DB_RETRIES)
def extract_article_claims(self, job_id: int) -> None:
    from .services.jobs import job_run

    try:
        job_run(job_id=job_id, task_id=self.request.id or "")
    except JobRetry as exc:
        # job_run put the job back in the queue (a time limit); it bounds these tries itself.
        raise self.retry(exc=exc, countdown=db_retry_countdown(0)) from exc
    except TRANSIENT_DB_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.warning("job %s: the database is still unreachable after %d retries (%r); "
                           "the sweep will send it again", job_id, self.request.retries, exc)
            return
        raise self.retry(exc=exc, countdown=db_retry_countdown(self.request.retries)) from exc


@shared_task(bind=True, max_retries=None)
def deliver_webhook(self, delivery_id: int, attempt: int | None = None) -> None:
    from .services.webhooks import webhook_deliver

    try:
        webhook_deliver(delivery_id=delivery_id, attempt=attempt)
    except WebhookRetry as exc:
        # The delivery's row counts attempts and says when to give up.
        raise self.retry(args=[delivery_id, exc.attempts], countdown=exc.countdown, exc=exc) from exc


@shared_task
def sweep_due() -> None:
    """Run by Celery beat: send again what never reached the broker or was lost there."""
    from .services.sending import sweep_due

    try:
        sweep_due()
    except TRANSIENT_DB_ERRORS as exc:
        # Nothing is lost: the next sweep looks again.
        logger.warning("sweep skipped, the database cannot be reached (%s)", exc)


@shared_task
def learn_from_decisions() -> None:
    """Run weekly by Celery beat when FACTCHECK_LEARN_FROM_DECISIONS is on: refit the
    newsroom's scoring layer; it is switched in only when it measures better."""
    from .services.learning import layer_train

    outcome = layer_train(triggered_by="weekly task")
    logger.info("learn from decisions: %s", outcome.message)


# A morning email the mail server refused is tried again 5, 15 and 45 minutes later (each
# try emails that day's lists still not emailed, and makes no list).
DIGEST_RETRY_MINUTES = (5, 15, 45)


@shared_task(bind=True, max_retries=len(DIGEST_RETRY_MINUTES))
def digest_send(self, day: str | None = None) -> None:
    """Run by Celery beat at FACTCHECK_DIGEST_TIME when FACTCHECK_DIGEST_ENABLED is on:
    make the morning list (once a day and topic, however many beats or workers) and email
    it; ``day`` (ISO date): a later try, which only emails that day's lists not emailed."""
    from .services.digest import digest_email_pending, digest_send

    run = digest_send() if day is None else digest_email_pending(day=day)
    logger.info("morning list of %s: %d list(s) made, %d made already, %d emailed to %d recipient(s), "
                "%d not emailed, %d webhook(s)", run.day, len(run.made), len(run.skipped), len(run.emailed),
                run.recipients, run.unemailed, run.deliveries)
    if not run.unemailed:
        return
    if self.request.retries >= self.max_retries:
        logger.error("morning list of %s: %d list(s) still not emailed after %d tries (%s); the desk's "
                     "page shows them", run.day, run.unemailed, self.request.retries + 1, run.email_error)
        return
    raise self.retry(countdown=DIGEST_RETRY_MINUTES[self.request.retries] * 60, kwargs={"day": run.day.isoformat()},
                     exc=DigestEmailRetry(run.email_error or "held by another run"))


@shared_task
def watch_poll_due() -> None:
    """Run by Celery beat every FACTCHECK_WATCH_TICK_SECONDS: poll the watched sources that
    are due, and send again the entries still to fetch (never sent, or lost by Redis)."""
    from .services.watching import watch_tick

    try:
        watch_tick()
    except TRANSIENT_DB_ERRORS as exc:
        # Nothing is lost: sources and entries stay due in their rows.
        logger.warning("watch tick skipped, the database cannot be reached (%s)", exc)


# Polls and page fetches are sent with this priority, after extractions (on Redis, 0 is
# the highest and messages without one get 0): a poll of many feeds sends thousands of
# fetches at once, and the claims of the pages already fetched should not wait behind all
# of them. (Given where they are sent: Celery 6 drops the task attribute.)
WATCH_PRIORITY = 6


@shared_task
def poll_source(source_id: int) -> None:
    from .services.watching import source_poll

    try:
        source_poll(source_id=source_id, sent=True)
    except TRANSIENT_DB_ERRORS as exc:
        # The source's lease runs out and the next tick polls it again.
        logger.warning("source %s: poll skipped, the database cannot be reached (%s)", source_id, exc)


@shared_task
def fetch_entry(entry_id: int) -> None:
    from .services.watching import entry_fetch

    try:
        entry_fetch(entry_id=entry_id)
    except TRANSIENT_DB_ERRORS as exc:
        # The entry's lease runs out and the next tick sends it again.
        logger.warning("entry %s: fetch skipped, the database cannot be reached (%s)", entry_id, exc)


@shared_task
def tip_prepare(tip_id: int) -> None:
    """A reader's tip was stored: read its linked page and match its claim."""
    from .services.tips import tip_prepare

    tip_prepare(tip_id=tip_id)


@shared_task
def purge_tip_contacts() -> None:
    """Run daily by Celery beat: delete readers' contact details past FACTCHECK_TIP_CONTACT_DAYS."""
    from .services.tips import tips_contact_purge

    purged = tips_contact_purge()
    logger.info("purge tip contacts: %d deleted", purged)


@shared_task
def matching_index_build() -> None:
    """Run by Celery beat every FACTCHECK_MATCH_INDEX_REBUILD_MINUTES: rebuild the fact-checks'
    vector index file once there are enough of them (nothing below FACTCHECK_MATCH_INDEX_MIN)."""
    from .services.matching import factcheck_index_build

    outcome = factcheck_index_build()
    logger.info("matching index: %s", outcome.message)
