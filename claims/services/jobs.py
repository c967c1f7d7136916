"""Extraction jobs: queue one, run it, store its claims; and what happens when one crashes.

A job is a row (ExtractionJob); the Celery message that names it is only a nudge. Its life:

1. **Queued.** ``job_enqueue`` writes the row (status ``queued``, ``due_at`` = now +
   SEND_GRACE) and sends the task when the transaction commits (services.sending). If the
   broker cannot be reached the row stays queued and due; the partner API answers 503 with
   Retry-After, and the sweep sends the job once Redis is back.
2. **Claimed.** The worker's task calls ``job_run``, which first claims the row
   (``job_claim``): a queued job, or a running one whose lease
   (FACTCHECK_JOB_LEASE_SECONDS) ran out, or one this same task id already held (the broker
   handed its message out again). The claim counts an attempt and moves ``due_at`` to the
   end of the lease. Only one delivery wins; a duplicate message does nothing.
3. **Run.** A fetch (for a URL) and the extraction, bounded by CELERY_TASK_SOFT_TIME_LIMIT
   (the extractor checks the deadline itself), then the claims are stored in one
   transaction (``claims_store``). Until that commits, the article's claims are untouched:
   **a failure never changes or deletes claims.**
4. **When it goes wrong:**

   - *The database drops* (TRANSIENT_DB_ERRORS): the job goes back to ``queued`` and the
     task retries with backoff (5 s doubling to 5 min, 10 retries, over ten minutes);
     after that it stays queued in its row and the sweep sends it again. Nothing is
     written as an error: it may not be writable.
   - *The time limit*: the first time, the job goes back to ``queued`` with the detail
     noted (JobRetry) and the task sends it once more; on the second attempt
     (JOB_TIME_LIMIT_TRIES) it ends ``failed`` with JOB_ERROR_TIME_LIMIT.
   - *The page cannot be fetched or used* (URL submissions): ``failed``, with a message
     written for the partner who sent the address.
   - *Any other error on our side*: ``failed`` at once with JOB_ERROR_INTERNAL (not
     retried); the traceback's last line goes to ``error_detail`` and to the log.
   - *The worker dies* (killed, out of memory, machine lost): the message was not yet
     acknowledged (acks late, reject on worker lost), so the broker hands it out again
     after CELERY_VISIBILITY_TIMEOUT; and the row, still ``running`` past its lease, is
     due, so the sweep sends it again too. Whichever comes first claims it.
   - *It keeps dying*: each claim counts an attempt; a job claimed more than
     FACTCHECK_JOB_MAX_ATTEMPTS times is given up, ``failed`` with JOB_ERROR_ATTEMPTS.
   - *An error escapes the task's retries*: the task's ``on_failure`` marks the job
     ``failed`` (``job_fail``), except for database and broker outages, which the sweep
     cures.
5. **The sweep** (services.sending.sweep_due, run by Celery beat every
   FACTCHECK_SWEEP_SECONDS) sends again every job still waiting at its ``due_at``: never
   sent, lost by Redis, or running past its lease. Each resend doubles the next wait.

**What people see.** The partner polls the job (API): ``queued``/``running`` while any of
the above goes on, then ``succeeded`` or ``failed`` with ``error``, a plain sentence that
never carries internal text. Editors see the same job in the admin (Extraction jobs) with
``error_detail`` (the technical detail), a *stuck* flag and filter for a job waiting past
its ``due_at`` or running past its lease, and a Retry action (``job_retry``) for failed or
stuck jobs, which starts its attempts from zero.
"""

from __future__ import annotations

import logging
import math
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import nlp, outbound, selectors
from ..choices import JobStatus
from ..errors import TRANSIENT_DB_ERRORS, JobRetry
from ..ingest import IngestError, content_hash, html_to_article, plain_to_article
from ..models import Article, ArticleSubmission, Claim, ExtractionJob, Topic
from .learning import layer_active, layer_scores
from .matching import article_claims_match
from .partners import partner_budget_take
from .permissions import WORK_PERMISSION, permission_require
from .sending import SEND_GRACE, job_send

logger = logging.getLogger(__name__)


# A job stopped by the soft time limit is tried this many times in all: a second try on a
# less busy worker may finish; a text too long for any worker must not hold them forever.
JOB_TIME_LIMIT_TRIES = 2


# What partners (and editors) read on a failed job. The technical detail goes to the log
# and to the job's error_detail, which only the desk sees.
JOB_ERROR_TIME_LIMIT = (
    "Extraction took too long and was stopped; the article's claims were not changed. "
    "A shorter text may go through."
)


JOB_ERROR_INTERNAL = (
    "Extraction failed because of an error on our side; the article's claims were not "
    "changed. The desk has the details and can retry it."
)


JOB_ERROR_ATTEMPTS = (
    "Extraction was given up after {attempts} attempts; the article's claims were not "
    "changed. The desk can retry it."
)


def job_enqueue(*, article: Article, fetch_url: str = "") -> ExtractionJob:
    job = ExtractionJob.objects.create(
        article=article, extractor_version=nlp.EXTRACTOR_VERSION, fetch_url=fetch_url,
        due_at=timezone.now() + SEND_GRACE,
    )
    transaction.on_commit(lambda: job_send(job))
    return job


def job_resend_if_due(job: ExtractionJob | None) -> ExtractionJob | None:
    """An article sent again whose job never reached a worker: send the job again now."""
    if job is not None and job.is_due:
        job_send(job, seen_due_at=job.due_at)
    return job


def article_reextract(*, article: Article, user: AbstractBaseUser | None) -> ExtractionJob:
    """Run the current extractor over an article again (claims editors worked on stay)."""
    permission_require(user, WORK_PERMISSION)
    return article_job_queue(article=article)


def article_job_queue(*, article: Article) -> ExtractionJob:
    """Queue an extraction of a stored article (for operators' commands; no user check)."""
    with transaction.atomic():
        return job_enqueue(article=article)


def job_retry(*, job: ExtractionJob, user: AbstractBaseUser | None) -> bool:
    """Queue a failed job again, or one whose worker died and never came back.

    Returns False when the job is not in a state to retry (it finished or is running).
    The desk's retry is a new start: the job's attempts count from zero again, so that
    FACTCHECK_JOB_MAX_ATTEMPTS does not give it up at once.
    """
    permission_require(user, WORK_PERMISSION)
    with transaction.atomic():
        retried = job_requeue(job=job)
        if retried:
            ExtractionJob.objects.filter(pk=job.pk).update(attempts=0)
    return retried


def job_requeue(*, job: ExtractionJob) -> bool:
    """Queue a failed or stuck job again (for retries by editors and resubmissions).

    Stuck: queued but never taken by a worker (the broker was down, or lost it), or
    running past its lease (its worker died).
    """
    now = timezone.now()
    with transaction.atomic():
        retried = ExtractionJob.objects.filter(
            Q(status=JobStatus.FAILED) | selectors.jobs_stuck(now=now), pk=job.pk,
        ).update(status=JobStatus.QUEUED, error="", task_id="", finished_at=None, due_at=now + SEND_GRACE)
        if retried:
            job.status, job.due_at = JobStatus.QUEUED, now + SEND_GRACE
            transaction.on_commit(lambda: job_send(job))
    return bool(retried)


def job_claim(*, job_id: int, task_id: str) -> bool:
    """Take a job for this delivery; only one delivery can win.

    A queued job is free. A running job may be taken again by the same task (the broker
    handed the message out again because the worker that held it died) or by anyone once
    its lease has run out. Until then the sweep leaves it alone (`due_at`).
    """
    now = timezone.now()
    lease = timedelta(seconds=settings.FACTCHECK_JOB_LEASE_SECONDS)
    return bool(
        ExtractionJob.objects.filter(
            Q(status=JobStatus.QUEUED)
            | Q(status=JobStatus.RUNNING, task_id=task_id)
            | Q(status=JobStatus.RUNNING, started_at__lt=now - lease),
            pk=job_id,
        ).update(
            status=JobStatus.RUNNING, task_id=task_id, attempts=F("attempts") + 1,
            started_at=now, finished_at=None, error="", due_at=now + lease,
        )
    )


def job_run(*, job_id: int, task_id: str) -> ExtractionJob | None:
    """Claim a job, extract its article's claims and store them; record any failure.

    A failure never changes the article's claims: they are stored in one transaction,
    only after a whole extraction. Transient database errors, and a first soft time
    limit, put the job back in the queue and propagate so that the task retries; anything
    else ends the job as failed, with a plain message for partners and the detail for the
    desk. A job claimed more than FACTCHECK_JOB_MAX_ATTEMPTS times (its workers kept
    dying) is given up.
    """
    if not job_claim(job_id=job_id, task_id=task_id):
        return None
    job = ExtractionJob.objects.select_related("article").get(pk=job_id)
    began = time.monotonic()
    limit = settings.FACTCHECK_JOB_MAX_ATTEMPTS
    if job.attempts > limit:
        logger.error("extraction job %s given up: claimed %s times", job_id, job.attempts)
        return _job_failed(job, began, JOB_ERROR_ATTEMPTS.format(attempts=limit),
                           f"claimed {job.attempts} times; FACTCHECK_JOB_MAX_ATTEMPTS is {limit}")
    try:
        if job.fetch_url and not job.article.body:
            twin = _article_fetch(job.article, job.fetch_url)
            if twin is not None:
                _job_move_to_twin(job, twin)
        # The soft time limit's own bound, checked by the extractor itself: Celery 5.7's
        # prefork pool was seen not to send its time-limit signals at all (a 3 s hard
        # limit let an 11 s task finish), and an in-process job gets no signal anyway.
        deadline = began + settings.CELERY_TASK_SOFT_TIME_LIMIT
        extracted = nlp.extract(
            job.article.body,
            job.article.language or None,
            title=job.article.title or None,
            topics=selectors.topic_keywords(),
            deadline=deadline,
        )
        if settings.FACTCHECK_SENTENCE_MODEL:
            extracted = nlp.refine(extracted, deadline=deadline)
        with transaction.atomic():
            claims_store(article=job.article, extracted=extracted)
            job.status = JobStatus.SUCCEEDED
            job.claims_found = len(extracted)
            job.extractor_version = nlp.EXTRACTOR_VERSION
            _job_finish(job, began)
    except TRANSIENT_DB_ERRORS:
        ExtractionJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED
        )
        raise
    except (outbound.OutboundError, IngestError) as exc:
        # These messages are written for the partner who sent the address.
        _job_failed(job, began, f"The page could not be used: {exc}", "")
    except (SoftTimeLimitExceeded, nlp.DeadlineExceeded):
        detail = f"stopped by the soft time limit ({settings.CELERY_TASK_SOFT_TIME_LIMIT} s) on attempt {job.attempts}"
        logger.warning("extraction job %s (article %s, %s characters) %s",
                       job_id, job.article_id, len(job.article.body), detail)
        if job.attempts < JOB_TIME_LIMIT_TRIES:
            ExtractionJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
                status=JobStatus.QUEUED, error_detail=detail
            )
            raise JobRetry(detail) from None
        _job_failed(job, began, JOB_ERROR_TIME_LIMIT, detail)
    except Exception as exc:  # noqa: BLE001 - any extractor failure must land on the job
        logger.exception("extraction job %s failed", job_id)
        _job_failed(job, began, JOB_ERROR_INTERNAL, "".join(traceback.format_exception_only(exc)).strip())
    if job.status == JobStatus.SUCCEEDED:
        # Matching follows the stored claims and never fails the job (services.matching).
        article_claims_match(article_id=job.article_id)
    return job


def _job_failed(job: ExtractionJob, began: float, error: str, detail: str) -> ExtractionJob:
    job.status = JobStatus.FAILED
    job.error = error[:4000]
    job.error_detail = detail[:4000]
    _job_finish(job, began)
    return job


def published_aware(moment: datetime | None) -> datetime | None:
    """A publication date given without a time zone is in the newsroom's (TIME_ZONE)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _article_fetch(article: Article, url: str) -> Article | None:
    """Fill a submitted URL's article with its page's main text.

    When that text is already an article (sent as text, or found at another address), the
    existing article is returned instead and this one is left unfilled.
    """
    page = outbound.fetch(url)
    text = html_to_article(page.text) if "html" in page.content_type else plain_to_article(page.text)
    body = text.body
    partner = article.partner
    limit = min(settings.FACTCHECK_ARTICLE_MAX_CHARS, partner.max_article_chars if partner else math.inf)
    if len(body) > limit:
        raise IngestError(f"the page's text is longer than the article limit ({limit:,} characters)")
    # Partners who sent the address without a title (or a date) see the page's own.
    ArticleSubmission.objects.filter(article=article, title="").update(title=text.title[:500])
    published_at = published_aware(text.published_at)
    if published_at is not None:
        ArticleSubmission.objects.filter(article=article, published_at=None).update(published_at=published_at)
    digest = content_hash(body)
    twin = Article.objects.filter(content_hash=digest).exclude(pk=article.pk).first()
    if twin:
        return twin
    if partner is not None:  # new text to extract: it counts against the partner's minute
        partner_budget_take(partner=partner, chars=len(body), force=True)
    article.body = body
    article.html = page.text if "html" in page.content_type else ""
    article.title = article.title or text.title[:500]
    article.content_hash = digest
    article.language = article.language or nlp.detect_language(body)[:12]
    article.published_at = article.published_at or published_at
    article.save(update_fields=["body", "html", "title", "content_hash", "language", "published_at"])
    return None


def _job_move_to_twin(job: ExtractionJob, twin: Article) -> None:
    """A fetched page turned out to be an article we already have: its submitters and jobs
    move to that article, and the empty one made for the address goes.

    The job then extracts the existing article (which changes nothing that is already
    there), so the partners who sent the address follow it to the claims like anyone who
    sent the text.
    """
    with transaction.atomic():
        pending = Article.objects.select_for_update().get(pk=job.article_id)
        twin = Article.objects.select_for_update().get(pk=twin.pk)
        ArticleSubmission.objects.bulk_create(
            [
                ArticleSubmission(
                    article=twin, partner_id=submission.partner_id,
                    **{name: getattr(submission, name) for name in ArticleSubmission.DESCRIBED_FIELDS},
                )
                for submission in pending.submissions.all()
            ],
            ignore_conflicts=True,
        )
        ExtractionJob.objects.filter(article=pending).update(article=twin)
        url = pending.url
        pending.delete()
        if url and not twin.url:
            twin.url = url
            twin.save(update_fields=["url"])
    job.article = twin


def job_fail(*, job_id: int, error: str, message: str = JOB_ERROR_INTERNAL) -> None:
    """Mark a job failed when its task gave up (retries exhausted).

    ``error`` is the technical detail (for the desk and the log); partners read ``message``.
    """
    logger.error("extraction job %s failed: %s", job_id, error)
    ExtractionJob.objects.filter(pk=job_id).exclude(status=JobStatus.SUCCEEDED).update(
        status=JobStatus.FAILED, error=message[:4000], error_detail=error[:4000], finished_at=timezone.now()
    )


def _job_finish(job: ExtractionJob, began: float) -> None:
    job.finished_at = timezone.now()
    job.duration_ms = int((time.monotonic() - began) * 1000)
    if job.status == JobStatus.SUCCEEDED:
        job.error = job.error_detail = ""
    job.save(update_fields=[
        "status", "claims_found", "extractor_version", "error", "error_detail", "finished_at", "duration_ms",
    ])


# Fields the extractor owns on a claim nobody has worked on yet.
EXTRACTED_FIELDS = (
    "text", "context", "speaker", "speaker_role", "speaker_kind", "attribution", "hedge", "claim_type",
    "language", "score", "reasons", "features", "shipped_score", "entities", "entity_names", "extractor_version",
)


NAMED_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP"}


@dataclass(frozen=True)
class ExtractionResult:
    created: int
    updated: int
    removed: int
    kept: int


def claims_store(*, article: Article, extracted: list[nlp.ExtractedClaim]) -> ExtractionResult:
    """Make the article's claims match an extraction, in one transaction.

    Claims an editor has touched (assigned, edited, sourced, given a verdict, dismissed, marked
    duplicate, published) are never changed or removed. Untouched claims are updated in
    place, removed when the extractor no longer finds them, and new ones are added. Run
    twice with the same extraction, it changes nothing.
    """
    with transaction.atomic():
        # Lock the article so that two jobs on it cannot interleave their writes.
        Article.objects.select_for_update().filter(pk=article.pk).first()
        # Lock its claims before reading them: every editor's step locks its claim, and a
        # new source's foreign key needs the claim's row too, so none can land between what
        # is read here and what is written below (PostgreSQL; SQLite has one writer anyway).
        list(Claim.objects.select_for_update().filter(article=article).order_by("pk").values_list("pk"))
        current = {(c.start, c.end): c for c in selectors.claims_for_store(article=article)}
        topics = {t.slug: t for t in Topic.objects.all()}
        worked = {span for span, c in current.items() if selectors.claim_is_worked(c)}
        wanted = {(e.start, e.end): e for e in extracted}
        # The newsroom's layer, when one is in use, has the last word on the score.
        scored = dict(zip(wanted, layer_scores(layer_active(), list(wanted.values())), strict=True))

        # The writes say "untouched" again in SQL: work that landed all the same is kept.
        stale_ids = [c.pk for span, c in current.items() if span not in wanted and span not in worked]
        removed = 0
        if stale_ids:
            _, deleted = selectors.claims_untouched(Claim.objects.filter(pk__in=stale_ids)).delete()
            removed = deleted.get(Claim._meta.label, 0)

        to_create: list[Claim] = []
        to_update: list[Claim] = []
        topic_links: dict[tuple[int, int], set[str]] = {}
        now = timezone.now()
        for span, item in wanted.items():
            if span in worked:
                continue
            values = _claim_values(item, *scored[span])
            claim = current.get(span)
            if claim is None:
                to_create.append(Claim(article=article, start=item.start, end=item.end, **values))
            elif any(getattr(claim, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(claim, key, value)
                claim.updated_at = now
                to_update.append(claim)
            new_topics = {slug for slug in item.topics if slug in topics}
            if claim is None or new_topics != {t.slug for t in claim.topics.all()}:
                topic_links[span] = new_topics

        late = len(stale_ids) - removed
        if to_update:
            untouched = set(
                selectors.claims_untouched(Claim.objects.filter(pk__in=[c.pk for c in to_update]))
                .values_list("pk", flat=True)
            )
            for claim in [c for c in to_update if c.pk not in untouched]:
                late += 1
                to_update.remove(claim)
                topic_links.pop((claim.start, claim.end), None)
        Claim.objects.bulk_create(to_create)
        if to_update:
            Claim.objects.bulk_update(to_update, [*EXTRACTED_FIELDS, "updated_at"])
        if topic_links:
            by_span = {
                (c.start, c.end): c
                for c in Claim.objects.filter(article=article).only("id", "start", "end")
            }
            through = Claim.topics.through
            through.objects.filter(claim_id__in=[by_span[s].pk for s in topic_links]).delete()
            through.objects.bulk_create([
                through(claim_id=by_span[span].pk, topic_id=topics[slug].pk)
                for span, slugs in topic_links.items()
                for slug in sorted(slugs)
            ])
    return ExtractionResult(
        created=len(to_create), updated=len(to_update), removed=removed, kept=len(worked) + late
    )


def _claim_values(item: nlp.ExtractedClaim, score: float, reasons: tuple[str, ...]) -> dict:
    return {
        "text": item.text,
        "context": item.context,
        "speaker": (item.speaker or "")[:200],
        "speaker_role": (item.speaker_role or "")[:300],
        "speaker_kind": item.speaker_kind or "",
        "attribution": (item.attribution or "")[:200],
        "hedge": (item.hedge or "")[:100],
        "claim_type": item.claim_type,
        "language": item.language[:12],
        "score": round(min(1.0, max(0.0, float(score))), 4),
        "reasons": list(reasons),
        "features": list(item.features),
        "shipped_score": round(min(1.0, max(0.0, float(item.score))), 4),
        "entities": [e.as_dict() for e in item.entities],
        "entity_names": "; ".join(
            sorted({e.canonical for e in item.entities if e.label in NAMED_ENTITY_LABELS})
        ),
        "extractor_version": nlp.EXTRACTOR_VERSION,
    }
