"""Articles coming in: text, HTML or a URL, from editors, imports and partners.

The same text (or URL) again is the same article; each new article gets an extraction job,
sent to the workers once its transaction commits (claims.services.jobs).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import nlp, outbound
from ..choices import JobStatus
from ..ingest import (
    IngestError,
    content_hash,
    html_to_article,
    plain_to_article,
    text_is_blank,
    text_normalise,
)
from ..models import Article, ArticleSubmission, ExtractionJob, Partner, WatchedSource
from .jobs import job_enqueue, job_requeue, job_resend_if_due, published_aware
from .partners import partner_budget_return, partner_budget_take
from .permissions import WORK_PERMISSION, permission_require

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    article: Article
    job: ExtractionJob | None
    created: bool


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
    watched_source: WatchedSource | None = None,
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
    published_at = published_aware(published_at)
    described = _description(title, outlet, author, published_at, url)
    existing = Article.objects.filter(Q(content_hash=digest) | (Q(url=url) & ~Q(url=""))).first()
    if existing:
        if existing.published_at is None and published_at is not None:
            # An article stored without a date gets the first one it is sent with.
            Article.objects.filter(pk=existing.pk, published_at=None).update(published_at=published_at)
            existing.published_at = published_at
        _submission_record(article=existing, partner=partner, **described)
        return Submission(article=existing, job=job_resend_if_due(existing.jobs.first()), created=False)

    article = Article(
        title=title, body=body, html=html, url=url, outlet=outlet[:200], author=author[:200],
        published_at=published_at, language=(language or nlp.detect_language(body))[:12],
        content_hash=digest, source_name=source_name[:300],
        submitted_by=user if user is not None and user.is_authenticated else None,
        partner=partner, watched_source=watched_source,
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
            job = job_enqueue(article=article)
    except IntegrityError:
        # Submitted twice at the same moment: the other submission won; use it.
        if partner is not None:
            partner_budget_return(partner, len(body))
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
        # The date the partner gives is the date; else the one the page declares, if any.
        return article_submit(body=page.body, html=html, **{
            **common, "title": title or page.title, "published_at": published_at or page.published_at,
        })
    return article_url_submit(url=url or "", **common)


def _partner_size_check(partner: Partner, field: str, body: str) -> None:
    limit = partner.max_article_chars
    if len(body) > limit:
        raise ValidationError({field: [
            f"The article's text is too long ({len(body):,} characters; your limit is {limit:,})."
        ]})


def article_url_submit(
    *, url: str, title: str = "", outlet: str = "", author: str = "",
    published_at: datetime | None = None, language: str | None = None,
    partner: Partner | None = None, source_name: str = "", user: AbstractBaseUser | None = None,
    watched_source: WatchedSource | None = None,
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
        return Submission(article=existing, job=job_resend_if_due(job), created=False)
    article = Article(
        url=url, title=title, outlet=outlet[:200], author=author[:200],
        published_at=published_at, language=(language or "")[:12], partner=partner,
        submitted_by=user if user is not None and user.is_authenticated else None,
        content_hash=f"pending-fetch:{hashlib.sha256(url.encode()).hexdigest()}"[:64],
        source_name=source_name[:300], watched_source=watched_source,
    )
    try:
        with transaction.atomic():
            article.save()
            _submission_record(article=article, partner=partner, **described)
            job = job_enqueue(article=article, fetch_url=url)
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


# Pasted text that is a page's markup rather than its words.
_LOOKS_LIKE_HTML = re.compile(r"^\s*(<!doctype\b|<html\b|<head\b|<body\b|<article\b|<div\b|<p\b|<h1\b)", re.I)


def desk_article_submit(
    *, user: AbstractBaseUser, text: str = "", url: str = "", title: str = "", outlet: str = "",
    author: str = "", published_at: datetime | None = None, language: str | None = None,
) -> Submission:
    """An article an editor adds in the desk: pasted text (or a page's HTML), or a URL to
    fetch through the outbound guard, as a partner's would be.

    Pasted text without a title gives its first line as the title, as an imported file does.
    """
    permission_require(user, WORK_PERMISSION)
    text, url = (text or "").strip(), (url or "").strip()
    if bool(text) == bool(url):
        raise ValidationError(_("Paste the article's text or give its address (one of the two)."))
    common = {"outlet": outlet.strip(), "author": author.strip(), "language": language or None,
              "source_name": f"desk:{user.get_username()}", "user": user}
    if url:
        return article_url_submit(url=url, title=title, published_at=published_at, **common)
    try:
        if _LOOKS_LIKE_HTML.match(text):
            page = html_to_article(text)
            return article_submit(body=page.body, html=text, title=title or page.title,
                                  published_at=published_at or page.published_at, **common)
        page = plain_to_article(text) if not title.strip() else None
    except IngestError as exc:
        raise ValidationError({"text": [_("This text cannot be read as an article: %(why)s.") % {"why": exc}]}) \
            from None
    if page is None:
        return article_submit(body=text, title=title, published_at=published_at, **common)
    return article_submit(body=page.body, title=page.title,
                          published_at=published_at or page.published_at, **common)
