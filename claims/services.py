"""Every write the product makes. Views, admin actions, commands and tasks call these."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import random
import secrets
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import jsonld, nlp, outbound, selectors
from .choices import ClaimStatus, JobStatus, Stance
from .errors import (  # noqa: F401 - callers catch them as services.<name>
    BROKER_ERRORS,
    TRANSIENT_DB_ERRORS,
    JobRetry,
    SubmitBudgetExceeded,
    WebhookRetry,
    WorkflowError,
)
from .ingest import (
    IngestError,
    content_hash,
    html_to_article,
    plain_to_article,
    text_is_blank,
    text_normalise,
)
from .models import (
    ApiKey,
    Article,
    ArticleSubmission,
    Claim,
    Correction,
    ExtractionJob,
    Partner,
    Rating,
    Source,
    Topic,
    Verdict,
    WebhookDelivery,
)
from .public_cache import public_cache_expire
from .search import claim_index
from .tasks import deliver_webhook, extract_article_claims

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

# Fields the extractor owns on a claim nobody has worked on yet.
EXTRACTED_FIELDS = (
    "text", "context", "speaker", "speaker_role", "speaker_kind", "attribution", "hedge", "claim_type",
    "language", "score", "reasons", "entities", "entity_names", "extractor_version",
)
NAMED_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP"}


WORK_PERMISSION = "claims.work_claim"
PUBLISH_PERMISSION = "claims.publish_verdict"
# Claims nobody has drafted a verdict on yet: they may still be assigned or set aside.
UNDECIDED_STATUSES = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW)
DISMISS_REASONS = {
    "not_checkworthy": "Not check-worthy",
    "opinion": "Opinion",
    "prediction": "Prediction",
    "duplicate": "Duplicate",
    "out_of_scope": "Out of scope",
    "not_a_claim": "Not a claim (extraction error)",
}


def _require(user: AbstractBaseUser | None, permission: str) -> None:
    if user is None or not user.is_active or not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


@dataclass(frozen=True)
class Submission:
    article: Article
    job: ExtractionJob | None
    created: bool


@dataclass(frozen=True)
class ExtractionResult:
    created: int
    updated: int
    removed: int
    kept: int


def article_submit(
    *,
    body: str,
    title: str = "",
    html: str = "",
    url: str = "",
    outlet: str = "",
    author: str = "",
    published_at: datetime | None = None,
    language: str | None = None,
    source_name: str = "",
    user: AbstractBaseUser | None = None,
    partner: Partner | None = None,
) -> Submission:
    """Store an article and queue its extraction; the same text again is the same article.

    A partner's submission is recorded even when the article was already here (from
    another partner, or imported), so that the partner can follow its job; the article
    is not extracted again. The job is sent to the workers only once the transaction has
    committed, so a worker never looks for a row that is not there yet.
    """
    body = text_normalise(body)
    title = text_normalise(title)[:500]
    if text_is_blank(body):
        raise ValidationError({"body": "The article has no text (nothing a reader could see)."})
    limit = settings.FACTCHECK_ARTICLE_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(
            {"body": f"The article is too long ({len(body):,} characters; the limit is {limit:,})."}
        )
    digest = content_hash(body)
    described = _description(title, outlet, author, published_at, url)
    existing = Article.objects.filter(Q(content_hash=digest) | (Q(url=url) & ~Q(url=""))).first()
    if existing:
        _submission_record(article=existing, partner=partner, **described)
        return Submission(article=existing, job=_job_resend_if_due(existing.jobs.first()), created=False)

    article = Article(
        title=title, body=body, html=html, url=url, outlet=outlet[:200], author=author[:200],
        published_at=published_at, language=(language or nlp.detect_language(body))[:12],
        content_hash=digest, source_name=source_name[:300],
        submitted_by=user if user is not None and user.is_authenticated else None,
        partner=partner,
    )
    # Uniqueness is the database's to decide: a check here would race with a submission
    # of the same text committing in between, and answer 400 instead of the article.
    article.full_clean(validate_unique=False, validate_constraints=False)
    if partner is not None:
        partner_budget_take(partner=partner, chars=len(body))
    try:
        with transaction.atomic():
            article.save()
            _submission_record(article=article, partner=partner, **described)
            job = _job_enqueue(article=article)
    except IntegrityError:
        # Submitted twice at the same moment: the other submission won; use it.
        if partner is not None:
            _partner_budget_return(partner, len(body))
        article = Article.objects.filter(Q(content_hash=digest) | (Q(url=url) & ~Q(url=""))).first()
        if article is None:
            raise
        _submission_record(article=article, partner=partner, **described)
        return Submission(article=article, job=article.jobs.first(), created=False)
    return Submission(article=article, job=job, created=True)


def _description(
    title: str, outlet: str, author: str, published_at: datetime | None, url: str
) -> dict[str, object]:
    """What a partner said about an article it sent (ArticleSubmission.DESCRIBED_FIELDS)."""
    return {"title": title, "outlet": outlet[:200], "author": author[:200],
            "published_at": published_at, "url": url}


def _submission_record(*, article: Article, partner: Partner | None, **described: object) -> None:
    """Note that a partner submitted this article (once: a partner's later submissions of
    the same article change nothing). Articles from editors and imports have no partner."""
    if partner is None:
        return
    ArticleSubmission.objects.bulk_create(
        [ArticleSubmission(article=article, partner=partner, **described)], ignore_conflicts=True
    )


def partner_article_submit(
    *, partner: Partner, text: str | None = None, html: str | None = None, url: str | None = None,
    title: str = "", outlet: str = "", author: str = "", published_at: datetime | None = None,
    language: str | None = None,
) -> Submission:
    """An article from a partner: its text, its HTML, or a URL for us to fetch.

    The text may be no longer than the partner's own limit, and new text counts against
    its characters a minute (SubmitBudgetExceeded beyond them).
    """
    common = {"title": title, "outlet": outlet, "author": author, "published_at": published_at,
              "language": language, "partner": partner, "source_name": f"api:{partner.name}"}
    if text:
        _partner_size_check(partner, "text", text_normalise(text))
        return article_submit(body=text, **common)
    if html:
        try:
            page = html_to_article(html)
        except IngestError as exc:
            raise ValidationError({"html": [str(exc)]}) from None
        if text_is_blank(page.body):
            raise ValidationError({"html": ["no article text could be found in the HTML"]})
        _partner_size_check(partner, "html", page.body)
        return article_submit(body=page.body, html=html, **{**common, "title": title or page.title})
    return article_url_submit(url=url or "", **common)


def _partner_size_check(partner: Partner, field: str, body: str) -> None:
    limit = partner.max_article_chars
    if len(body) > limit:
        raise ValidationError({field: [
            f"The article's text is too long ({len(body):,} characters; your limit is {limit:,})."
        ]})




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


def _partner_budget_return(partner: Partner, chars: int) -> None:
    """Give back what a submission counted when it did not create an article after all."""
    key = f"submit-chars:{partner.pk}:{int(time.time() // _BUDGET_WINDOW)}"
    try:
        cache.decr(key, chars)
    except Exception:  # noqa: BLE001 - the window moved on or the cache is down: nothing to give back
        logger.debug("submission budget of partner %s not given back", partner.pk, exc_info=True)


def article_url_submit(
    *, url: str, title: str = "", outlet: str = "", author: str = "",
    published_at: datetime | None = None, language: str | None = None,
    partner: Partner | None = None, source_name: str = "",
) -> Submission:
    """Queue an article that is still to be fetched; the same URL again is the same article.

    The address is checked now, so that an obviously internal one is refused at once, and
    again when fetched (DNS can change in between).
    """
    try:
        outbound.url_check(url)
    except outbound.OutboundError as exc:
        raise ValidationError({"url": [str(exc)]}) from None
    title = text_normalise(title)[:500]
    described = _description(title, outlet, author, published_at, url)
    existing = Article.objects.filter(url=url).first()
    if existing:
        if not title and existing.html:
            # Already fetched: a partner that gave no title sees the page's, as the first did.
            described["title"] = _page_title(existing.html)
        _submission_record(article=existing, partner=partner, **described)
        job = existing.jobs.first()
        if not existing.body and job and job.status == JobStatus.FAILED:
            job_requeue(job=job)
        return Submission(article=existing, job=_job_resend_if_due(job), created=False)
    article = Article(
        url=url, title=title, outlet=outlet[:200], author=author[:200],
        published_at=published_at, language=(language or "")[:12], partner=partner,
        content_hash=f"pending-fetch:{hashlib.sha256(url.encode()).hexdigest()}"[:64],
        source_name=source_name[:300],
    )
    try:
        with transaction.atomic():
            article.save()
            _submission_record(article=article, partner=partner, **described)
            job = _job_enqueue(article=article, fetch_url=url)
    except IntegrityError:
        article = Article.objects.get(url=url)
        _submission_record(article=article, partner=partner, **described)
        return Submission(article=article, job=article.jobs.first(), created=False)
    return Submission(article=article, job=job, created=True)


def _page_title(html: str) -> str:
    """A fetched page's own title (the article's may be one a partner gave instead)."""
    try:
        return html_to_article(html).title[:500]
    except IngestError:
        return ""


def _job_enqueue(*, article: Article, fetch_url: str = "") -> ExtractionJob:
    job = ExtractionJob.objects.create(
        article=article, extractor_version=nlp.EXTRACTOR_VERSION, fetch_url=fetch_url,
        due_at=timezone.now() + SEND_GRACE,
    )
    transaction.on_commit(lambda: _job_send(job))
    return job


def _job_send(job: ExtractionJob, *, seen_due_at: datetime | None = None) -> bool | None:
    return _row_send(job, extract_article_claims, job.pk, seen_due_at=seen_due_at)


def _job_resend_if_due(job: ExtractionJob | None) -> ExtractionJob | None:
    """An article sent again whose job never reached a worker: send the job again now."""
    if job is not None and job.is_due:
        _job_send(job, seen_due_at=job.due_at)
    return job


def article_reextract(*, article: Article, user: AbstractBaseUser | None) -> ExtractionJob:
    """Run the current extractor over an article again (claims editors worked on stay)."""
    _require(user, WORK_PERMISSION)
    return article_job_queue(article=article)


def article_job_queue(*, article: Article) -> ExtractionJob:
    """Queue an extraction of a stored article (for operators' commands; no user check)."""
    with transaction.atomic():
        return _job_enqueue(article=article)


def job_retry(*, job: ExtractionJob, user: AbstractBaseUser | None) -> bool:
    """Queue a failed job again, or one whose worker died and never came back.

    Returns False when the job is not in a state to retry (it finished or is running).
    The desk's retry is a new start: the job's attempts count from zero again, so that
    FACTCHECK_JOB_MAX_ATTEMPTS does not give it up at once.
    """
    _require(user, WORK_PERMISSION)
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
            transaction.on_commit(lambda: _job_send(job))
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
    return job


def _job_failed(job: ExtractionJob, began: float, error: str, detail: str) -> ExtractionJob:
    job.status = JobStatus.FAILED
    job.error = error[:4000]
    job.error_detail = detail[:4000]
    _job_finish(job, began)
    return job


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
    # Partners who sent the address without a title see the page's own.
    ArticleSubmission.objects.filter(article=article, title="").update(title=text.title[:500])
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
    article.save(update_fields=["body", "html", "title", "content_hash", "language"])
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


def claims_store(*, article: Article, extracted: list[nlp.ExtractedClaim]) -> ExtractionResult:
    """Make the article's claims match an extraction, in one transaction.

    Claims an editor has touched (assigned, sourced, given a verdict, dismissed, marked
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
            values = _claim_values(item)
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


def _claim_values(item: nlp.ExtractedClaim) -> dict:
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
        "score": round(min(1.0, max(0.0, float(item.score))), 4),
        "reasons": list(item.reasons),
        "entities": [e.as_dict() for e in item.entities],
        "entity_names": "; ".join(
            sorted({e.canonical for e in item.entities if e.label in NAMED_ENTITY_LABELS})
        ),
        "extractor_version": nlp.EXTRACTOR_VERSION,
    }


# --- The review workflow -------------------------------------------------------------
#
# new -> in_review (assigned) -> verdict_drafted -> published; new/in_review -> dismissed
# or duplicate. Each step checks the user's permission and the claim's state, locks the
# claim row, and runs in one transaction. Every change lands in the history tables.



def _lock(claim: Claim, *allowed: str) -> Claim:
    locked = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if locked is None:  # a new extraction of its article removed it before this step
        raise WorkflowError("This claim is no longer there: its article was extracted again without it.")
    if locked.status not in allowed:
        names = ", ".join(str(ClaimStatus(s).label).lower() for s in allowed)
        raise WorkflowError(
            f"This claim is {locked.get_status_display().lower()}; this step needs it to be: {names}."
        )
    return locked


def claim_assign(*, claim: Claim, user: AbstractBaseUser, assignee: AbstractBaseUser | None = None) -> Claim:
    """Put a claim in someone's hands (the user's own by default) and start its review."""
    _require(user, WORK_PERMISSION)
    assignee = assignee or user
    if not assignee.is_active or not assignee.has_perm(WORK_PERMISSION):
        raise ValidationError({"assignee": "Claims can only be assigned to editors."})
    with transaction.atomic():
        claim = _lock(claim, *UNDECIDED_STATUSES)
        claim.assignee = assignee
        claim.status = ClaimStatus.IN_REVIEW
        claim._change_reason = f"assigned to {assignee.get_username()}"
        claim.save(update_fields=["assignee", "status", "updated_at"])
    return claim


def claim_dismiss(*, claim: Claim, user: AbstractBaseUser, reason: str) -> Claim:
    """Set a claim aside as not worth checking, with the reason on record."""
    _require(user, WORK_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the claim is dismissed."})
    with transaction.atomic():
        claim = _lock(claim, *UNDECIDED_STATUSES)
        claim.status = ClaimStatus.DISMISSED
        claim.dismiss_reason = DISMISS_REASONS.get(reason, reason)[:200]
        claim._change_reason = f"dismissed: {claim.dismiss_reason}"
        claim.save(update_fields=["status", "dismiss_reason", "updated_at"])
    return claim


def claim_mark_duplicate(*, claim: Claim, user: AbstractBaseUser, original: Claim) -> Claim:
    """Fold a claim into another that says the same; work continues on the original."""
    _require(user, WORK_PERMISSION)
    while original.duplicate_of_id:  # point at the root, never at another duplicate
        original = original.duplicate_of
    if original.pk == claim.pk:
        raise ValidationError({"original": "A claim cannot be a duplicate of itself."})
    with transaction.atomic():
        claim = _lock(claim, *UNDECIDED_STATUSES)
        claim.status = ClaimStatus.DUPLICATE
        claim.duplicate_of = original
        claim.dismiss_reason = DISMISS_REASONS["duplicate"]
        claim._change_reason = f"duplicate of claim {original.pk}"
        claim.save(update_fields=["status", "duplicate_of", "dismiss_reason", "updated_at"])
    return claim


def source_add(
    *, claim: Claim, user: AbstractBaseUser, url: str, title: str = "", publisher: str = "",
    quote: str = "", stance: str = Stance.CONTEXT, archived_url: str = "",
) -> Source:
    """Log a piece of evidence on a claim under review."""
    _require(user, WORK_PERMISSION)
    with transaction.atomic():
        claim = _lock(claim, ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED)
        source = Source(
            claim=claim, url=url, title=title, publisher=publisher, quote=quote, stance=stance,
            archived_url=archived_url, added_by=user, checked_at=timezone.now(),
        )
        source.full_clean()
        source.save()
        if claim.status == ClaimStatus.NEW:
            claim.status = ClaimStatus.IN_REVIEW
            claim.assignee = claim.assignee or user
            claim._change_reason = "review started with a source"
            claim.save(update_fields=["status", "assignee", "updated_at"])
    return source


SOURCE_FIELDS = ("url", "title", "publisher", "quote", "stance", "archived_url")


def source_update(*, source: Source, user: AbstractBaseUser, **changes: str) -> Source:
    """Correct a piece of evidence on a claim still under review.

    The sources of a published, dismissed or duplicate claim stay as they were: what a
    published fact-check cites changes only with a correction of the verdict.
    """
    _require(user, WORK_PERMISSION)
    unknown = sorted(set(changes) - set(SOURCE_FIELDS))
    if unknown:
        raise ValidationError(f"These fields of a source cannot be changed: {', '.join(unknown)}.")
    with transaction.atomic():
        _lock(Claim(pk=source.claim_id), ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED)
        source = Source.objects.select_for_update().get(pk=source.pk)
        for name, value in changes.items():
            setattr(source, name, value)
        source.full_clean()
        if changes:
            source._change_reason = f"changed by {user.get_username()}"
            source.save(update_fields=list(changes))
    return source


def verdict_draft(
    *, claim: Claim, user: AbstractBaseUser, rating: Rating, headline: str, summary: str,
    rationale: str = "",
) -> Verdict:
    """Write (or rewrite) the verdict on a claim under review; it stays private.

    A verdict once published is never drafted over, whatever the claim's status says: its
    text changes only by a correction (``verdict_correct``), which readers and partners see.
    """
    _require(user, WORK_PERMISSION)
    with transaction.atomic():
        claim = _lock(claim, ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED)
        verdict = Verdict.objects.select_for_update().filter(claim=claim).first() or Verdict(claim=claim)
        if verdict.published_at is not None:
            raise WorkflowError("This verdict has been published; change it with a correction.")
        verdict.rating = rating
        verdict.headline = headline.strip()
        verdict.summary = summary.strip()
        verdict.rationale = rationale.strip()
        verdict.reviewer = user
        verdict.full_clean()
        verdict.save()
        claim.status = ClaimStatus.VERDICT_DRAFTED
        claim._change_reason = "verdict drafted"
        claim.save(update_fields=["status", "updated_at"])
    return verdict


def verdict_publish(*, claim: Claim, user: AbstractBaseUser) -> Verdict:
    """Put a drafted verdict out: it needs a rating and at least one source."""
    _require(user, PUBLISH_PERMISSION)
    with transaction.atomic():
        claim = _lock(claim, ClaimStatus.VERDICT_DRAFTED)
        verdict = Verdict.objects.select_for_update().filter(claim=claim).first()
        if verdict is None or verdict.rating_id is None:
            raise WorkflowError("Publishing needs a verdict with a rating.")
        if not claim.sources.exists():
            raise WorkflowError("Publishing needs at least one source.")
        verdict.published_at = timezone.now()
        verdict.save(update_fields=["published_at", "updated_at"])
        claim.status = ClaimStatus.PUBLISHED
        claim._change_reason = f"published by {user.get_username()}"
        claim.save(update_fields=["status", "updated_at"])
        _published_changed(claim, "verdict.published")
    return verdict


def verdict_correct(
    *, claim: Claim, user: AbstractBaseUser, rating: Rating, summary: str, note: str,
    headline: str | None = None,
) -> Correction:
    """Change a published verdict; the earlier one is kept and a public note says why."""
    _require(user, PUBLISH_PERMISSION)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "A correction needs a note for readers."})
    with transaction.atomic():
        claim = _lock(claim, ClaimStatus.PUBLISHED)
        verdict = Verdict.objects.select_for_update().get(claim=claim)
        correction = Correction.objects.create(
            verdict=verdict, previous_rating=verdict.rating, previous_headline=verdict.headline,
            previous_summary=verdict.summary, note=note, corrected_by=user,
        )
        verdict.rating = rating
        verdict.summary = summary.strip()
        if headline:
            verdict.headline = headline.strip()
        verdict.full_clean()
        verdict._change_reason = f"correction: {note[:80]}"
        verdict.save()
        _published_changed(claim, "verdict.corrected")
    return correction


def _published_changed(claim: Claim, event: str) -> None:
    """What follows a publication or correction: search, public caches, partners."""
    claim_index(claim=claim)
    transaction.on_commit(public_cache_expire)
    webhooks_queue(claim=claim, event=event)


# Attempts at one webhook delivery, the first included; between them, a growing pause.
WEBHOOK_MAX_ATTEMPTS = 7
WEBHOOK_BACKOFF_SECONDS = 30
WEBHOOK_BACKOFF_MAX_SECONDS = 3600


def webhooks_queue(*, claim: Claim, event: str) -> list[WebhookDelivery]:
    """One delivery per partner with a webhook, sent after the publication commits."""
    published = selectors.published_claims().get(pk=claim.pk)
    payload = {"event": event, "claim_id": claim.pk, "claim_review": jsonld.claim_review(published)}
    due_at = timezone.now() + SEND_GRACE
    deliveries = WebhookDelivery.objects.bulk_create([
        WebhookDelivery(partner=partner, claim=claim, event=event, url=partner.webhook_url, payload=payload,
                        due_at=due_at)
        for partner in Partner.objects.filter(is_active=True).exclude(webhook_url="")
    ])
    for delivery in deliveries:
        transaction.on_commit(lambda delivery=delivery: _delivery_send(delivery))
    return deliveries


def _delivery_send(delivery: WebhookDelivery, *, seen_due_at: datetime | None = None) -> bool | None:
    return _row_send(delivery, deliver_webhook, delivery.pk, delivery.attempts, seen_due_at=seen_due_at)


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
    ).update(attempts=seen + 1, last_attempt_at=now, due_at=now + _resend_after(1)):
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
        delivery.due_at = timezone.now() + timedelta(seconds=countdown) + _resend_after(1)
    delivery.save(update_fields=["response_code", "status", "error", "due_at"])
    if retry is not None and not final:
        raise WebhookRetry(retry, attempts=delivery.attempts, countdown=countdown)
    return delivery


# --- Sending to the workers ------------------------------------------------------------------
#
# The database row is the truth; a message on the broker is only a nudge, and may never
# get there (Redis down) or be lost (Redis restarted without persistence). A job or
# delivery still waiting at its `due_at` is sent again by the sweep, which Celery beat runs
# every FACTCHECK_SWEEP_SECONDS. Duplicates are harmless: a job is claimed in its row
# (job_claim), a delivery attempt too (webhook_deliver).

# A new row is sent when its transaction commits; the sweep sends it itself after this.
SEND_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 1000


@dataclass(frozen=True)
class SweepResult:
    jobs: int
    deliveries: int


def _resend_after(sends: int) -> timedelta:
    """How long a message may wait before the sweep sends it again: the job lease, doubled
    with each send, so that a long queue gets a few duplicates, not a flood."""
    return timedelta(seconds=settings.FACTCHECK_JOB_LEASE_SECONDS * 2 ** min(max(sends - 1, 0), 6))


def _row_send(row: ExtractionJob | WebhookDelivery, task, *args: object,  # noqa: ANN001
              seen_due_at: datetime | None = None) -> bool | None:
    """Hand a row's task to the broker. Returns True when sent, False when the broker
    cannot be reached (the row is left due: the sweep sends it later), None when another
    sender took it first (with `seen_due_at`: only whoever moves `due_at` on sends)."""
    model = type(row)
    now = timezone.now()
    rows = model.objects.filter(pk=row.pk)
    if seen_due_at is not None:
        rows = rows.filter(due_at=seen_due_at)
    row.due_at = now + _resend_after(row.sends + 1)
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


def sweep_due(*, limit: int = SWEEP_BATCH) -> SweepResult:
    """Send again every job and webhook delivery that is due and not in flight.

    Safe to run twice, or in two processes at once: each row is sent by the one sweep that
    moves its `due_at`. At the first broker error it stops; the rest stay due.
    """
    now = timezone.now()
    counts = {"jobs": 0, "deliveries": 0}
    for kind, rows, send in (
        ("jobs", selectors.jobs_due(now=now)[:limit], _job_send),
        ("deliveries", selectors.deliveries_due(now=now)[:limit], _delivery_send),
    ):
        for row in rows:
            sent = send(row, seen_due_at=row.due_at)
            if sent is False:
                return SweepResult(**counts)
            counts[kind] += bool(sent)
    if any(counts.values()):
        logger.info("sweep sent %(jobs)d job(s) and %(deliveries)d webhook delivery(ies) again", counts)
    return SweepResult(**counts)


# --- Partners ----------------------------------------------------------------------------

API_SCOPES = ("read", "submit")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_generate() -> tuple[str, str, str]:
    """A new key: (the key to show once, its lookup prefix, its hash to store)."""
    prefix = secrets.token_hex(6)
    key = f"fc_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, key_hash(key)


def key_matches(api_key: ApiKey | None, key: str) -> bool:
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
