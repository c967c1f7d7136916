"""Readers' tips: a claim sent through the public form, into the queue, followed by the reader.

A tip becomes an article of its own (the reader's words, or the linked page's) holding ONE
claim whose origin is "tip": matched like any claim, never extracted again or folded away
in the queue. The reader gets a private address; its token is stored only as a hash, like
partners' API keys. The reader's network address is kept only as a keyed hash, for the
rate limit; the contact details are for the desk only and are blanked after
FACTCHECK_TIP_CONTACT_DAYS (``tips_contact_purge``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from throttle.counters import counters_for

from .. import nlp, outbound
from ..choices import ClaimOrigin
from ..errors import BROKER_ERRORS, TipRateExceeded
from ..ingest import IngestError, html_to_article, plain_to_article, text_is_blank, text_normalise
from ..models import Article, Claim, Tip, text_shorten
from ..tasks import tip_prepare as tip_prepare_task
from .matching import claim_matches_suggest, claims_vectorize
from .permissions import WORK_PERMISSION, permission_require

logger = logging.getLogger(__name__)

TIP_SOURCE_NAME = "Reader tip"
CONTACT_MAX_CHARS = 200
# A linked page's words kept as the tip's claim when the reader sent only the link.
CLAIM_FROM_PAGE_CHARS = 300
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class TipSent:
    tip: Tip
    token: str  # the private link's token: shown once to the reader, never stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def address_hash(address: str) -> str:
    """The reader's network address as the rate limit knows it: keyed with SECRET_KEY, so
    that the stored hash cannot be turned back into the address by trying them all."""
    return hmac.new(settings.SECRET_KEY.encode(), f"tip-address:{address}".encode(), hashlib.sha256).hexdigest()


def _rate() -> tuple[int, int]:
    number, _slash, period = settings.FACTCHECK_TIP_RATE.partition("/")
    return int(number), _PERIODS[period.strip()[:1]]


def tip_rate_take(*, address: str) -> None:
    """Count one tip from ``address``, or raise TipRateExceeded past FACTCHECK_TIP_RATE.

    Counted in the store every web process shares (FACTCHECK_THROTTLE_STORE), one window
    at a time; refused attempts count too. A store that is down lets the tip through."""
    limit, window = _rate()
    index = int(time.time() // window)
    count = counters_for(settings.FACTCHECK_THROTTLE_STORE).hit(
        f"tips:{address_hash(address)[:40]}:{window}:{index}", ttl=window + 1)
    if count is not None and count > limit:
        raise TipRateExceeded


_PHONE = re.compile(r"\+?[\d\s().-]{6,30}")


def _is_email_or_phone(contact: str) -> bool:
    if _PHONE.fullmatch(contact) and sum(c.isdigit() for c in contact) >= 6:
        return True
    try:
        validate_email(contact)
    except ValidationError:
        return False
    return True


def _tip_language(language: str, text: str) -> str:
    """The language the reader chose, else the one their text is in, else the page's."""
    codes = {code for code, _name in settings.LANGUAGES}
    if language in codes:
        return language
    detected = nlp.detect_language(text) if text else ""
    if detected in codes:
        return detected
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    return current if current in codes else settings.LANGUAGE_CODE


def tip_submit(*, text: str = "", url: str = "", language: str = "", contact: str = "",
               address: str = "") -> TipSent:
    """Store a reader's tip as a claim in the queue, and return it with its private token.

    ``address`` is the reader's network address (rate limit; only its hash is kept). A
    link must be a public web address (the outbound guard's rules); the page is fetched
    after the commit, by the ``tip_prepare`` task, as are the claim's matches.
    """
    text = text_normalise(text or "").strip()
    url = (url or "").strip()
    contact = " ".join((contact or "").split())
    errors: dict[str, list[str]] = {}
    if text_is_blank(text) and not url:
        errors["text"] = [_("Write the claim, or give a link to where you saw it.")]
    if len(text) > settings.FACTCHECK_TIP_MAX_CHARS:
        errors["text"] = [_("Please keep it under %(limit)d characters (this is %(length)d).") % {
            "limit": settings.FACTCHECK_TIP_MAX_CHARS, "length": len(text)}]
    if len(contact) > CONTACT_MAX_CHARS:
        errors["contact"] = [_("Please keep it under %(limit)d characters.") % {"limit": CONTACT_MAX_CHARS}]
    elif contact and not _is_email_or_phone(contact):
        errors["contact"] = [_("Give an email address or a phone number, or leave it empty.")]
    if url:
        try:
            outbound.url_check(url)
        except outbound.OutboundError:
            errors["url"] = [_("We cannot open this link. Give the address of a public web page "
                               "(starting with http:// or https://).")]
    if errors:
        raise ValidationError(errors)
    tip_rate_take(address=address)

    token = secrets.token_urlsafe(24)
    language = _tip_language(language, text)
    body = text or url
    with transaction.atomic():
        article = Article.objects.create(
            title=text_shorten(body, 120), body=body, language=language, source_name=TIP_SOURCE_NAME,
            # Every tip is its own article, even one worded like another tip.
            content_hash=token_hash(f"tip:{token}"),
        )
        claim = Claim.objects.create(
            article=article, text=body, start=0, end=len(body), language=language,
            origin=ClaimOrigin.TIP, score=settings.FACTCHECK_QUEUE_CUT,
        )
        tip = Tip.objects.create(
            text=text, url=url, language=language, contact=contact, token_hash=token_hash(token),
            address_hash=address_hash(address) if address else "", claim=claim,
        )
        transaction.on_commit(lambda: _prepare_send(tip.pk))
    return TipSent(tip=tip, token=token)


def _prepare_send(tip_id: int) -> None:
    try:
        tip_prepare_task.delay(tip_id)
    except BROKER_ERRORS:
        # The tip is in the queue all the same; `manage.py match_claims` matches it later.
        logger.warning("tip %s: its page and matches were not queued (broker unreachable)", tip_id)


def tip_prepare(*, tip_id: int) -> None:
    """After a tip is stored: read its linked page (when the reader sent only a link, the
    page's words become the claim's), then match the claim as an extracted one would be."""
    tip = Tip.objects.select_related("claim__article").filter(pk=tip_id).first()
    if tip is None or tip.claim is None:
        return
    if tip.url:
        try:
            _tip_page_read(tip)
        except (outbound.OutboundError, IngestError) as exc:
            logger.info("tip %s: its link could not be read (%s)", tip_id, exc)
    try:
        claims_vectorize(claim_ids=[tip.claim_id])
        claim_matches_suggest(claim_ids=[tip.claim_id])
    except Exception:  # noqa: BLE001 - matching is a suggestion; the tip stands
        logger.exception("matching tip %s failed", tip_id)


def _tip_page_read(tip: Tip) -> None:
    page = outbound.fetch(tip.url)
    found = html_to_article(page.text) if "html" in page.content_type else plain_to_article(page.text)
    if text_is_blank(found.body):
        return
    article = tip.claim.article
    words = found.title.strip() or text_shorten(found.body, CLAIM_FROM_PAGE_CHARS)
    # The reader's words stay the claim; without them, the page's title (or opening) is.
    head = tip.text or words
    body = f"{head}\n\n{found.body}"[:settings.FACTCHECK_ARTICLE_MAX_CHARS]
    with transaction.atomic():
        if not tip.text and not Claim.objects.filter(pk=tip.claim_id, text=tip.url, edited_at__isnull=True).exists():
            return  # an editor has taken the claim up (or reworded it) meanwhile
        Article.objects.filter(pk=article.pk).update(
            body=body, html=page.text if "html" in page.content_type else "",
            title=(found.title or article.title)[:500],
        )
        if not tip.text:
            Claim.objects.filter(pk=tip.claim_id).update(
                text=head, end=len(head), vector=None, updated_at=timezone.now())


def tips_contact_purge(*, now: datetime | None = None) -> int:
    """Blank the contact details of tips older than FACTCHECK_TIP_CONTACT_DAYS; how many."""
    now = now or timezone.now()
    before = now - timedelta(days=settings.FACTCHECK_TIP_CONTACT_DAYS)
    return Tip.objects.filter(created_at__lt=before, contact_deleted_at__isnull=True).exclude(contact="").update(
        contact="", contact_deleted_at=now)


def tips_contact_delete(*, tips: Iterable[Tip], user: AbstractBaseUser | None) -> int:
    """An editor deletes tips' contact details now (the reader asked, or it is not needed)."""
    permission_require(user, WORK_PERMISSION)
    return Tip.objects.filter(pk__in=[t.pk for t in tips], contact_deleted_at__isnull=True).update(
        contact="", contact_deleted_at=timezone.now())
