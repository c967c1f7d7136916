"""The morning list: each morning, the open claims of the last 24 hours that the queue
would put on top, for the whole desk and for each topic, by email to the desk and by
webhook (``digest.ready``) to partners who asked for it.

A list is made once per day and topic: its ``Digest`` row is written first, and a second
run that day (another worker, a restarted beat, the command by hand) cannot write it
again (a unique constraint). The partners' deliveries are written in the same
transaction as the row, and go out the way every webhook does (durable rows, signed,
sent again by the sweep).

The email is delivered at least once, and in practice once: every run, once it has made
the lists still to make, emails every list of the day that is not emailed yet (its own and
those a run before it made but failed to email, or died before emailing) and sets their
``emailed_at``. A list of an earlier day that was never emailed is past its day and stays
unsent. Two runs at once do not both email a list: a run first takes each pending list
by a conditional UPDATE that sets ``emailing_until`` (only one run can win a list whose
hold is empty or has run out), emails what it took, then sets ``emailed_at`` or, when the
mail server fails, keeps the error and lets go of the lists for the next run (the task
runs again a few times, claims.tasks.DIGEST_RETRY_MINUTES). A run that dies holding lists
lets go of them when the hold runs out (the job lease, FACTCHECK_JOB_LEASE_SECONDS, longer
than a task may run). Each person's message is written down on the lists (``emailed_to``) as
soon as the mail server takes it, so when the server fails halfway through the day's
messages the next run emails only those who did not get theirs. A person gets a list twice
only if a run dies between the server taking the message and the row being written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import selectors
from ..choices import ClaimStatus, LinkState
from ..display import score_display
from ..models import (
    ArticleSubmission,
    Claim,
    Digest,
    MatchLink,
    Partner,
    Topic,
    WebhookDelivery,
    text_shorten,
)
from .sending import SEND_GRACE, delivery_send

logger = logging.getLogger(__name__)

DIGEST_EVENT = "digest.ready"


@dataclass
class DigestList:
    """One list: the whole desk's (``topic`` None) or a topic's, and its row once made."""

    topic: Topic | None
    claims: list[Claim]
    digest: Digest | None = None


@dataclass
class DigestRun:
    day: date
    since: datetime
    until: datetime
    made: list[DigestList] = field(default_factory=list)  # recorded and queued for partners by this run
    skipped: list[DigestList] = field(default_factory=list)  # made already that day
    emailed: list[DigestList] = field(default_factory=list)  # the day's lists this run emailed, its own or not
    recipients: int = 0
    deliveries: int = 0
    email_error: str = ""
    unemailed: int = 0  # the day's lists still not emailed after this run: the email failed, or another run has them


def digest_lists(*, since: datetime, until: datetime, topic_slugs: list[str] | None = None,
                 desk: bool = True, limit: int | None = None) -> list[DigestList]:
    """The lists for a window: the whole desk's first (unless ``desk`` is False), then one
    per topic (those named, else FACTCHECK_DIGEST_TOPICS, else every topic with claims),
    each with its claims' topics and matches loaded. A topic with nothing on its list has
    none. A query per list, and three more however many claims."""
    limit = limit or settings.FACTCHECK_DIGEST_SIZE
    lists = [DigestList(None, selectors.digest_claims(since=since, until=until, limit=limit))] if desk else []
    for topic in selectors.digest_topics(since=since, until=until,
                                         slugs=topic_slugs or settings.FACTCHECK_DIGEST_TOPICS):
        claims = selectors.digest_claims(since=since, until=until, topic=topic, limit=limit)
        if claims:
            lists.append(DigestList(topic, claims))
    selectors.digest_prefetch([claim for item in lists for claim in item.claims])
    return lists


def digest_send(*, until: datetime | None = None, hours: int = 24, topic_slugs: list[str] | None = None,
                dry_run: bool = False) -> DigestRun:
    """Send the morning list for the ``hours`` before ``until`` (now): the whole desk's and
    each topic's, or only the topics named. Each list not yet made that day is recorded and
    queued for the partners who subscribed; then every list of the day not yet emailed
    (this run's and earlier runs') is emailed to FACTCHECK_DIGEST_RECIPIENTS, one email a
    person with all of them in it, in their language. ``dry_run`` builds the lists and writes and sends
    nothing."""
    until = until or timezone.now()
    since = until - timedelta(hours=hours)
    run = DigestRun(day=timezone.localdate(until), since=since, until=until)
    lists = digest_lists(since=since, until=until, topic_slugs=topic_slugs, desk=not topic_slugs)
    if dry_run:
        run.made = lists
        return run
    partners = list(Partner.objects.filter(is_active=True, digest_webhook=True).exclude(webhook_url=""))
    for item in lists:
        try:
            with transaction.atomic():
                item.digest = Digest.objects.create(
                    day=run.day, topic=item.topic, since=since, until=until,
                    claim_ids=[claim.pk for claim in item.claims])
                run.deliveries += len(_deliveries_queue(item, partners))
        except IntegrityError:
            run.skipped.append(item)  # another run made it today
            continue
        run.made.append(item)
    _email_pending(run)
    return run


def digest_recipients() -> list[tuple[str, str]]:
    """Whom the list is emailed to, each once, with the language to write in: the desk
    (active Editors and Publishers with an address), each in the language they chose
    (their DeskProfile) else the site's, and the addresses configured, in the language that
    leads the address ("en:desk@example.org"), else the site's."""
    found: list[tuple[str, str]] = []
    for recipient in settings.FACTCHECK_DIGEST_RECIPIENTS:
        if recipient == "desk":
            members = selectors.desk_members().exclude(email="").values_list("email", "desk_profile__language")
            found += [(address, selectors.language_or_site(language)) for address, language in members]
        else:
            language, _colon, address = recipient.rpartition(":")
            found.append((address, language or settings.LANGUAGE_CODE))
    seen: set[str] = set()
    unique = []
    for address, language in found:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append((address, language))
    return unique


def digest_render(*, lists: list[DigestList], day: date, language: str) -> tuple[str, str, str]:
    """The email's subject, plain text and HTML (claims' text is escaped) in ``language``."""
    with translation.override(language):
        sections = [{
            "title": item.topic.localized_name if item.topic else _("Whole desk"),
            "claims": [_claim_shown(claim) for claim in item.claims],
        } for item in lists]
        context = {"day": date_format(day, "DATE_FORMAT"), "sections": sections,
                   "newsroom": settings.FACTCHECK_NEWSROOM_NAME,
                   "desk_url": settings.SITE_URL + reverse("admin:claims_digest_changelist")}
        subject = _("Morning list, %(day)s: the claims to check first") % {"day": context["day"]}
        text = render_to_string("claims/digest_email.txt", context)
        html = render_to_string("claims/digest_email.html", context)
    return subject, text, html


def match_shown(link: MatchLink) -> dict:
    """A match as the desk reads it (the queue's "Checked by Tempo, 2 Mar 2024: ..."):
    ``heading``, ``label`` (the rating), ``text``, ``url`` and ``score``, in the active
    language."""
    score = score_display(link.score)
    confirmed = link.state == LinkState.CONFIRMED
    if link.factcheck_id:
        factcheck = link.factcheck
        when = _day(factcheck.reviewed_at)
        return {"heading": _("Checked by %(who)s, %(when)s:") % {"who": factcheck.publisher or "?", "when": when},
                "label": factcheck.rating_text, "text": text_shorten(factcheck.claim_reviewed, 140),
                "url": factcheck.url, "score": score, "confirmed": confirmed}
    other = link.other
    verdict = getattr(other, "verdict", None) if other.status == ClaimStatus.PUBLISHED else None
    url = settings.SITE_URL + reverse("admin:claims_claim_change", args=[other.pk])
    if verdict is not None and verdict.published_at:
        return {"heading": _("Checked by us, %(when)s:") % {"when": _day(verdict.published_at)},
                "label": verdict.rating.label, "text": text_shorten(verdict.headline, 140), "url": url,
                "score": score, "confirmed": confirmed}
    outlet = other.article.outlet or other.article.title[:40] or "?"
    return {"heading": _("Also in %(outlet)s:") % {"outlet": outlet}, "label": "",
            "text": text_shorten(other.text, 140), "url": url, "score": score, "confirmed": confirmed}


def _day(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT") if moment else "?"


def _claim_shown(claim: Claim) -> dict:
    links = getattr(claim, "open_links", ())
    return {
        "text": text_shorten(claim.text, 300), "score": score_display(claim.score), "speaker": claim.said_by,
        "outlet": claim.article.outlet or text_shorten(claim.article.title, 60),
        "url": settings.SITE_URL + reverse("admin:claims_claim_change", args=[claim.pk]),
        "match": match_shown(links[0]) if links else None,
    }


def digest_email_pending(*, day: date | str) -> DigestRun:
    """Email the lists of ``day`` not emailed yet, and nothing else: what a retry of the
    morning email does (it makes no list and queues no webhook, so a topic that had no
    claims at the morning's run does not get a list, nor partners a second delivery, an
    hour later; and a retry after midnight still belongs to its own day). ``day`` may be
    an ISO date, as a task's arguments carry it."""
    now = timezone.now()
    run = DigestRun(day=date.fromisoformat(day) if isinstance(day, str) else day, since=now, until=now)
    _email_pending(run)
    return run


def _email_pending(run: DigestRun) -> None:
    """Take the day's lists not emailed yet that no other run holds, email them, and write
    down how it went on their rows (see the module's docstring)."""
    now = timezone.now()
    held_until = now + timedelta(seconds=settings.FACTCHECK_JOB_LEASE_SECONDS)
    pending = Digest.objects.filter(day=run.day, emailed_at__isnull=True)
    free = pending.filter(Q(emailing_until__isnull=True) | Q(emailing_until__lt=now))
    taken = [pk for pk in free.values_list("pk", flat=True)
             if free.filter(pk=pk).update(emailing_until=held_until)]  # only one run wins each
    if taken:
        run.emailed = _lists_of(Digest.objects.filter(pk__in=taken).select_related("topic"), made=run.made)
        run.recipients, run.email_error = _email(run.emailed, day=run.day, held_until=held_until)
        if run.email_error:
            run.emailed = []
            Digest.objects.filter(pk__in=taken, emailing_until=held_until).update(
                email_error=run.email_error, emailing_until=None)
        else:
            for item in run.emailed:
                Digest.objects.filter(pk=item.digest.pk, emailed_at__isnull=True).update(
                    emailed_at=timezone.now(), recipients=len(item.digest.emailed_to), email_error="",
                    emailing_until=None)
    run.unemailed = pending.count()


def _lists_of(digests, *, made: list[DigestList]) -> list[DigestList]:  # noqa: ANN001 - a queryset of Digest
    """The lists of these rows, in the desk's order: those made in this run as they are,
    the others with the claims on their row (as recorded, those still there)."""
    by_row = {item.digest.pk: item for item in made}
    lists = [by_row.get(digest.pk) or DigestList(digest.topic, [], digest) for digest in digests]
    earlier = [item for item in lists if item.digest.pk not in by_row]
    if earlier:
        claims = Claim.objects.select_related("article").in_bulk(
            [pk for item in earlier for pk in item.digest.claim_ids])
        for item in earlier:
            item.claims = [claims[pk] for pk in item.digest.claim_ids if pk in claims]
        selectors.digest_prefetch([claim for item in earlier for claim in item.claims])
    return lists


def _email(lists: list[DigestList], *, day: date, held_until: datetime) -> tuple[int, str]:
    """Email these lists to everyone on FACTCHECK_DIGEST_RECIPIENTS, one message a person
    holding the lists that person does not have yet; returns how many got a message and
    the mail server's error (empty: it took them all, or there was nobody).

    Each address is written on the lists' rows (``emailed_to``) as soon as the server takes
    its message, so when the server fails halfway the next run emails only the others.
    Only a run that still holds a list writes on it."""
    rendered: dict[tuple[str, tuple[int, ...]], tuple[str, str, str]] = {}
    connection = None
    sent = 0
    try:
        for address, language in digest_recipients():
            missing = [item for item in lists if address.lower() not in item.digest.emailed_to]
            if not missing:
                continue
            key = (language, tuple(item.digest.pk for item in missing))
            if key not in rendered:
                rendered[key] = digest_render(lists=missing, day=day, language=language)
            subject, text, html = rendered[key]
            message = EmailMultiAlternatives(subject, text, None, [address])  # nobody sees the others' addresses
            message.attach_alternative(html, "text/html")
            if connection is None:
                connection = get_connection()
                connection.open()
            if not connection.send_messages([message]):
                raise RuntimeError(f"The mail server did not take the message to {address}")
            sent += 1
            for item in missing:
                item.digest.emailed_to.append(address.lower())
                Digest.objects.filter(pk=item.digest.pk, emailing_until=held_until).update(
                    emailed_to=item.digest.emailed_to, recipients=len(item.digest.emailed_to))
    except Exception as exc:  # noqa: BLE001 - the lists are recorded and in the desk; the next run tries again
        logger.exception("Could not email the morning list of %s", day)
        return sent, repr(exc)[:1000]
    finally:
        if connection is not None:
            connection.close()
    return sent, ""


def _deliveries_queue(item: DigestList, partners: list[Partner]) -> list[WebhookDelivery]:
    """A ``digest.ready`` delivery for each subscribed partner with a claim on the list: the
    claims of articles it submitted, as the API shows them to it (its own outlet and
    address for the article), and their matches to published fact-checks only."""
    if not partners or not item.claims:
        return []
    submitted = {
        (row.partner_id, row.article_id): row
        for row in ArticleSubmission.objects.filter(
            partner__in=partners, article_id__in={claim.article_id for claim in item.claims})
    }
    digest = item.digest
    due_at = timezone.now() + SEND_GRACE
    deliveries = []
    for partner in partners:
        claims = [_claim_for_partner(claim, submitted[partner.pk, claim.article_id])
                  for claim in item.claims if (partner.pk, claim.article_id) in submitted]
        if not claims:
            continue
        payload = {
            "event": DIGEST_EVENT, "digest_id": digest.pk, "day": digest.day.isoformat(),
            "topic": item.topic.slug if item.topic else None,
            "since": digest.since.isoformat(), "until": digest.until.isoformat(), "claims": claims,
        }
        deliveries.append(WebhookDelivery(partner=partner, digest=digest, event=DIGEST_EVENT,
                                          url=partner.webhook_url, payload=payload, due_at=due_at))
    deliveries = WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        transaction.on_commit(lambda delivery=delivery: delivery_send(delivery))
    return deliveries


def _claim_for_partner(claim: Claim, submission: ArticleSubmission) -> dict:
    """What ``GET /api/v1/articles/<id>/`` shows the partner of this claim, and its matches."""
    matches = []
    for link in getattr(claim, "open_links", ()):
        if link.factcheck_id:
            factcheck = link.factcheck
            matches.append({"source": "elsewhere", "url": factcheck.url, "publisher": factcheck.publisher,
                            "claim_reviewed": factcheck.claim_reviewed, "rating": factcheck.rating_text,
                            "published_at": factcheck.reviewed_at.isoformat() if factcheck.reviewed_at else None,
                            "score": round(link.score, 4)})
            continue
        other = link.other
        verdict = getattr(other, "verdict", None)
        if other.status == ClaimStatus.PUBLISHED and verdict is not None and verdict.published_at:
            matches.append({"source": "ours", "url": settings.SITE_URL + other.get_absolute_url(),
                            "publisher": settings.FACTCHECK_NEWSROOM_NAME, "claim_reviewed": other.text,
                            "rating": verdict.rating.label_in(verdict.language),
                            "published_at": verdict.published_at.isoformat(), "score": round(link.score, 4)})
    return {
        "id": claim.pk, "text": claim.text, "score": claim.score, "status": claim.status,
        "claim_type": claim.claim_type, "speaker": claim.speaker, "article_id": claim.article_id,
        "outlet": submission.outlet, "article_url": submission.url, "matches": matches,
    }
