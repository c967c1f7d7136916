"""Watching outlets: poll feeds and sitemaps, and fetch and import the articles they list
(issue 22).

The rows are the truth (WatchedSource, WatchedEntry, WatchedHost); a Celery message only
nudges. Every FACTCHECK_WATCH_TICK_SECONDS Celery beat sends ``watch_poll_due``
(``watch_tick``), which

1. takes each due, enabled, unpaused source, and each an editor asked to be polled
   (``sources_poll_soon``), with a lease (``sources_poll_due``) and sends ``poll_source``
   for it. The poll (``source_poll``) claims the lease once, so a message delivered twice
   polls once; a worker killed mid-poll leaves the lease to run out
   (FACTCHECK_WATCH_LEASE_SECONDS) and a later tick takes the source again.
2. sends ``fetch_entry`` again for each entry still new at its ``due_at`` or fetching past
   its lease (``entries_fetch_due``): never sent, lost by Redis, or its worker died.

A poll goes through the outbound guard (claims.outbound), reads the site's robots.txt
(kept a day per site), waits its turn at the site (FACTCHECK_WATCH_HOST_DELAY_SECONDS
between two requests, counted in the database so that every worker keeps it), sends
If-None-Match / If-Modified-Since, and reads RSS 2.0, RSS 1.0, Atom, news sitemaps,
sitemaps and sitemap indexes with lxml (no DTD, no entities, no network). New addresses
become WatchedEntry rows (one per address, whatever the source: ``bulk_create`` with
``ignore_conflicts``); those not about the source's topics are stored as skipped.

A failed poll counts a failure on the source, says why in ``last_error``, waits twice as
long each time before the next one, and after FACTCHECK_WATCH_MAX_FAILURES in a row pauses
the source (``paused_at``) until an editor resumes it. A success resets the count.

An entry is fetched by the one worker that moves it from ``new`` to ``fetching``
(``entry_fetch``): robots.txt and the politeness delay again (an entry whose turn at its
site is more than ENTRY_WAIT_MAX_SECONDS off keeps that turn in ``turn_at`` and is put back
until then, so many entries of one site queue up while the worker does other work), the page through the guard
(FACTCHECK_FETCH_MAX_BYTES, FACTCHECK_FETCH_TIMEOUT), reduced to its main text
(trafilatura), and stored with ``article_submit``, which refuses a second article for the
same address or the same text (the entry is then ``duplicate``) and queues the extraction.
An address already stored as an article is not fetched at all.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from .. import outbound
from ..errors import BROKER_ERRORS, TRANSIENT_DB_ERRORS
from ..ingest import IngestError, html_to_article, plain_to_article, text_is_blank
from ..models import Article, Topic, WatchedEntry, WatchedHost, WatchedSource
from ..tasks import WATCH_PRIORITY, fetch_entry, poll_source
from .jobs import published_aware
from .submissions import article_submit

logger = logging.getLogger(__name__)

# A request may wait this long for its turn at a site; a later turn is taken at that time
# instead (the poll or the entry is put back, due then).
SLOT_WAIT_MAX_SECONDS = 5.0
# An entry waits at most this long: a worker asleep is a worker not extracting, so a later
# turn is kept and the entry sent again for then (a countdown), and the worker moves on.
ENTRY_WAIT_MAX_SECONDS = 0.05
# robots.txt is read again after a day (RFC 9309 asks for no more than 24 hours).
ROBOTS_MAX_AGE = timedelta(hours=24)
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_AGENT = "FactcheckDesk"
# Failed polls wait the source's interval times two to the number of failures, up to this.
BACKOFF_MAX = timedelta(hours=24)
# The newest child sitemaps of a sitemap index read at each poll.
SITEMAP_INDEX_CHILDREN = 3
# An entry taken this many times (its workers kept dying on it) is given up.
ENTRY_MAX_ATTEMPTS = 3
FETCH_BATCH = 500


class PollFailed(Exception):
    """A poll that failed; the message, in plain words, goes to the source's last_error."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str = ""
    author: str = ""
    published_at: datetime | None = None
    summary: str = ""


@dataclass
class ParsedFeed:
    kind: str  # "feed", "urlset" or "sitemapindex"
    entries: list[FeedEntry] = field(default_factory=list)
    sitemaps: list[tuple[str, datetime | None]] = field(default_factory=list)


@dataclass(frozen=True)
class PollResult:
    source_id: int
    status: str  # "ok", "not_modified", "failed", "deferred" or "not_taken"
    new_entries: int = 0
    skipped_entries: int = 0
    error: str = ""


# --------------------------------------------------------------------------- leases


def _lease() -> timedelta:
    return timedelta(seconds=settings.FACTCHECK_WATCH_LEASE_SECONDS)


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def sources_due(*, now: datetime):  # noqa: ANN201 - a queryset of WatchedSource
    """Sources to poll now: not being polled, and either enabled, not paused and due, or
    asked for by an editor (``sources_poll_soon``; paused or off, as `poll_sources --source`)
    and not put back to a later turn at its site.

    A source an editor resumed (``paused_at`` cleared, however: the admin's form, an action)
    still counts its failures: it is due at once, not after its long backoff. Its next poll
    starts the count again, or pauses it again."""
    scheduled = Q(Q(next_poll_at__lte=now) | Q(failures__gte=settings.FACTCHECK_WATCH_MAX_FAILURES),
                  enabled=True, paused_at__isnull=True)
    asked = Q(poll_asked_at__isnull=False, next_poll_at__lte=now)
    return WatchedSource.objects.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now), scheduled | asked)


def sources_poll_due(*, now: datetime | None = None, limit: int = 1000, source_ids: list[int] | None = None) -> int:
    """Take each due source (of ``source_ids`` only, when given) with a lease and send its
    poll; returns how many were sent.

    The lease is taken by a conditional UPDATE (on PostgreSQL after SELECT ... FOR UPDATE
    SKIP LOCKED, so that two beats do not queue behind each other), so each source is
    taken by one tick however many run at once. At the first broker error the source's
    lease is given back and the rest wait for the next tick.
    """
    now = now or timezone.now()
    lease_until = now + _lease()
    sent = 0
    with transaction.atomic():
        candidates = sources_due(now=now).order_by("next_poll_at", "pk")
        if source_ids is not None:
            candidates = candidates.filter(pk__in=source_ids)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        taken = [pk for pk in ids if sources_due(now=now).filter(pk=pk).update(lease_until=lease_until)]
    for pk in taken:
        try:
            poll_source.apply_async((pk,), expires=settings.FACTCHECK_WATCH_LEASE_SECONDS, priority=WATCH_PRIORITY)
        except BROKER_ERRORS as exc:
            logger.warning("source %s not sent, the broker cannot be reached (%s); the next tick sends it", pk, exc)
            WatchedSource.objects.filter(pk__in=taken[taken.index(pk):], lease_until=lease_until).update(
                lease_until=None)
            break
        sent += 1
    return sent


def _source_claim(source_id: int, now: datetime, *, sent: bool) -> bool:
    """Claim a source for one poll.

    A source the tick leased (``sent``: its message) is claimed by the first delivery of
    the message only: the lease was taken at ``lease_until - lease``, and a poll that began
    since then has claimed it already (the message was delivered twice). A direct call may
    also take a source nobody holds (due or not)."""
    leased = Q(lease_until__gt=now) & (
        Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=F("lease_until") - _lease()))
    free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    return bool(
        WatchedSource.objects.filter(leased if sent else leased | free, pk=source_id)
        .update(lease_until=now + _lease(), last_polled_at=now)
    )


def sources_poll_soon(*, source_ids: list[int]) -> int:
    """Have these sources polled in a moment, not in the caller's request (an editor's "poll
    now" on several: each poll may take the fetch timeout and a wait for the site's turn).

    Each is asked for (``poll_asked_at``) and due at once, its backoff forgotten; like
    `poll_sources --source`, a paused or switched-off source is polled too, once (a switched-off
    one stays off; a paused one that answers is no longer paused). With a broker their polls are sent now, as the tick sends them (a send
    that fails is left to the next tick: they stay asked); without one (`make run`) the
    in-process scheduler is woken to poll them. Returns how many sources were asked for."""
    now = timezone.now()
    asked = WatchedSource.objects.filter(pk__in=source_ids).update(poll_asked_at=now, next_poll_at=now)
    if not _eager():
        transaction.on_commit(lambda: sources_poll_due(source_ids=source_ids))
    elif _in_process_wake is not None:
        transaction.on_commit(_in_process_wake.set)
    return asked


def source_poll_now(*, source_id: int) -> PollResult:
    """Poll one source at once, due or not (editors, the `poll_sources` command), unless a
    poll of it is under way."""
    return source_poll(source_id=source_id)


# --------------------------------------------------------------------------- one poll


def source_poll(*, source_id: int, sent: bool = False) -> PollResult:
    """Poll one source now; see the module's docstring. ``sent``: called for the message
    ``sources_poll_due`` sent (the `poll_source` task), which polls only a source that tick
    leased and no delivery has claimed yet. Otherwise (editors, commands) the source is
    polled due or not, unless a poll of it is under way (status ``not_taken``)."""
    now = timezone.now()
    polled_before = WatchedSource.objects.filter(pk=source_id).values_list("last_polled_at", flat=True).first()
    if not _source_claim(source_id, now, sent=sent):
        return PollResult(source_id=source_id, status="not_taken")
    source = WatchedSource.objects.prefetch_related("topics").get(pk=source_id)
    try:
        try:
            outbound.url_check(source.url)
        except outbound.OutboundError as exc:
            raise PollFailed(_("The address could not be read: %(why)s.") % {"why": exc}) from None
        if not _robots_allow(source.url):
            raise PollFailed(_("The site's robots.txt does not allow us to read this address."))
        wait, turn = _slot_take(source.url)
        if wait is None:
            return _source_defer(source, polled_before, turn)
        time.sleep(wait)
        _visit_note(source.url)
        page = _get(source.url, conditional=source)
        if page.not_modified:
            _source_succeeded(source, etag=page.etag or source.etag,
                              last_modified=page.last_modified or source.last_modified, new=[])
            return PollResult(source_id=source_id, status="not_modified")
        parsed = feed_parse(page.raw, base_url=page.final_url)
        entries, complete = parsed.entries, True
        if parsed.kind == "sitemapindex":
            entries, complete = _sitemap_index_read(parsed)
        entries = _newest_unseen(entries, settings.FACTCHECK_WATCH_MAX_ENTRIES_PER_POLL)
        with transaction.atomic():
            new, skipped = _entries_store(source, entries)
            _source_succeeded(source, etag=page.etag if complete else "",
                              last_modified=page.last_modified if complete else "", new=new)
    except PollFailed as exc:
        return _source_failed(source, str(exc))
    except Exception as exc:
        # Anything else is our fault, not the feed's: say so, keep the detail in the log.
        if isinstance(exc, TRANSIENT_DB_ERRORS):
            raise
        logger.exception("source %s: poll failed", source_id)
        return _source_failed(source, _("The poll failed because of an error on our side; the log has the details."))
    entries_send(entry_ids=new)
    return PollResult(source_id=source_id, status="ok", new_entries=len(new), skipped_entries=skipped)


def _get(url: str, *, conditional: WatchedSource | None = None, accept=outbound.FEED_CONTENT_TYPES):  # noqa: ANN001,ANN202
    headers = {}
    if conditional is not None:
        if conditional.etag:
            headers["If-None-Match"] = conditional.etag
        if conditional.last_modified:
            headers["If-Modified-Since"] = conditional.last_modified
    try:
        return outbound.fetch(url, accept=accept, headers=headers)
    except outbound.OutboundError as exc:
        raise PollFailed(_("The address could not be read: %(why)s.") % {"why": exc}) from None


def _sitemap_index_read(index: ParsedFeed) -> tuple[list[FeedEntry], bool]:
    """The entries of the newest child sitemaps of an index. Complete is False when a
    child could not be read (its turn at the site was too far off): the index is then not
    remembered as read (no ETag), so the next poll reads the children again."""
    children = sorted(index.sitemaps, key=lambda c: c[1] or datetime.min.replace(tzinfo=UTC),
                      reverse=True)[:SITEMAP_INDEX_CHILDREN]
    entries: list[FeedEntry] = []
    for url, _lastmod in children:
        if not _robots_allow(url):
            continue
        wait, _turn = _slot_take(url)
        if wait is None:
            return entries, False
        time.sleep(wait)
        _visit_note(url)
        child = feed_parse(_get(url).raw, base_url=url)
        entries.extend(child.entries)
    return entries, True


def _newest_unseen(entries: list[FeedEntry], limit: int) -> list[FeedEntry]:
    """The newest ``limit`` entries whose address is not stored yet (from any source), so
    that a long sitemap is worked through, newest first, over the polls."""
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            unique.append(entry)
    floor = datetime.min.replace(tzinfo=UTC)
    # Stable: entries without a date keep the document's order (newest first, usually).
    unique.sort(key=lambda e: e.published_at or floor, reverse=True)
    chosen: list[FeedEntry] = []
    for start in range(0, len(unique), 1000):
        chunk = unique[start:start + 1000]
        known = set(WatchedEntry.objects.filter(url__in=[e.url for e in chunk]).values_list("url", flat=True))
        chosen.extend(e for e in chunk if e.url not in known)
        if len(chosen) >= limit:
            break
    return chosen[:limit]


def _entries_store(source: WatchedSource, entries: list[FeedEntry]) -> tuple[list[int], int]:
    """Store the addresses not seen before (from any source); returns the ids of the new
    entries to fetch and the number stored as skipped (not about the source's topics)."""
    urls = [e.url for e in entries]
    known = set(WatchedEntry.objects.filter(url__in=urls).values_list("url", flat=True))
    fresh = [e for e in entries if e.url not in known]
    if not fresh:
        return [], 0
    keywords = _topic_words(list(source.topics.all()))
    now = timezone.now()
    rows = []
    for entry in fresh:
        wanted = not keywords or not (entry.title or entry.summary) or _about(keywords, entry.title, entry.summary)
        rows.append(WatchedEntry(
            source=source, url=entry.url, title=entry.title[:500], author=entry.author[:200],
            published_at=entry.published_at, due_at=now,
            state=WatchedEntry.State.NEW if wanted else WatchedEntry.State.SKIPPED,
            error="" if wanted else _("Not about this source's topics."),
        ))
    WatchedEntry.objects.bulk_create(rows, ignore_conflicts=True)
    mine = WatchedEntry.objects.filter(source=source, url__in=[e.url for e in fresh], created_at__gte=now)
    new = list(mine.filter(state=WatchedEntry.State.NEW).values_list("pk", flat=True))
    skipped = mine.filter(state=WatchedEntry.State.SKIPPED).count()
    return new, skipped


def _source_succeeded(source: WatchedSource, *, etag: str, last_modified: str, new: list[int]) -> None:
    now = timezone.now()
    WatchedSource.objects.filter(pk=source.pk).update(
        etag=etag[:500], last_modified=last_modified[:100], lease_until=None, poll_asked_at=None,
        last_success_at=now, last_new_entries=len(new), failures=0, last_error="", paused_at=None,
        next_poll_at=now + timedelta(minutes=source.poll_minutes),
    )


def _source_failed(source: WatchedSource, message: str) -> PollResult:
    now = timezone.now()
    failures = source.failures + 1
    wait = min(timedelta(minutes=source.poll_minutes) * 2 ** min(failures, 20), BACKOFF_MAX)
    paused = failures >= settings.FACTCHECK_WATCH_MAX_FAILURES
    if paused:
        message = _("%(error)s Paused after %(count)d failed polls in a row; resume it once the "
                    "address works again.") % {"error": message, "count": failures}
    WatchedSource.objects.filter(pk=source.pk).update(
        lease_until=None, poll_asked_at=None, failures=F("failures") + 1, last_error=message[:4000],
        last_new_entries=0,
        next_poll_at=now + wait, **({"paused_at": now} if paused else {}),
    )
    logger.info("source %s: poll failed (%s)", source.pk, message)
    return PollResult(source_id=source.pk, status="failed", error=message)


def _source_defer(source: WatchedSource, polled_before: datetime | None, turn: datetime) -> PollResult:
    """The site was visited too recently: poll at its next turn instead (an editor's ask
    stands until then)."""
    WatchedSource.objects.filter(pk=source.pk).update(
        lease_until=None, last_polled_at=polled_before, next_poll_at=turn)
    return PollResult(source_id=source.pk, status="deferred")


# --------------------------------------------------------------------------- sites


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), (parts.netloc or "").lower(), "", "", ""))[:300]


def _host_row(origin: str) -> WatchedHost:
    host = WatchedHost.objects.filter(origin=origin).first()
    if host is None:
        try:
            with transaction.atomic():
                host = WatchedHost.objects.create(origin=origin, next_visit_at=timezone.now())
        except IntegrityError:
            host = WatchedHost.objects.get(origin=origin)
    return host


def _slot_take(url: str, *, far: bool = False) -> tuple[float | None, datetime]:
    """Take the next turn at the site of ``url``: the seconds to wait for it (0: go now) and
    when it is. A turn further off than SLOT_WAIT_MAX_SECONDS is taken only when ``far``;
    else the wait is None (not taken: come back at that time).

    Turns are FACTCHECK_WATCH_HOST_DELAY_SECONDS apart and kept in the database, so every
    worker keeps them; each is taken by a conditional UPDATE (no two workers get the same)."""
    delay = timedelta(seconds=settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS)
    if not delay:
        return 0.0, timezone.now()
    origin = _origin(url)
    while True:
        host = _host_row(origin)
        now = timezone.now()
        turn = max(host.next_visit_at, now)
        wait = (turn - now).total_seconds()
        if wait > SLOT_WAIT_MAX_SECONDS and not far:
            return None, turn
        if WatchedHost.objects.filter(pk=host.pk, next_visit_at=host.next_visit_at).update(
                next_visit_at=turn + delay):
            return wait, turn
        # Another worker took that turn first: take the one after.


def _visit_note(url: str) -> None:
    """Say that the site of ``url`` is being visited now (see ``_visit_claim``)."""
    if settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS:
        WatchedHost.objects.filter(origin=_origin(url)).update(last_visit_at=timezone.now())


def _visit_claim(url: str, now: datetime) -> bool:
    """Visit the site of ``url`` now if nobody has for the politeness delay (one worker wins)."""
    since = now - timedelta(seconds=settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS)
    return bool(WatchedHost.objects.filter(origin=_origin(url)).filter(
        Q(last_visit_at__isnull=True) | Q(last_visit_at__lte=since)).update(last_visit_at=now))


def _robots_allow(url: str) -> bool:
    """Whether the site's robots.txt lets us read ``url`` (read through the guard, kept a day).

    A robots.txt that is missing (4xx) allows everything; one that cannot be read (5xx, no
    answer) stops the poll, as RFC 9309 asks, and is not kept."""
    origin = _origin(url)
    host = _host_row(origin)
    now = timezone.now()
    if host.robots_fetched_at is None or now - host.robots_fetched_at > ROBOTS_MAX_AGE:
        text = _robots_read(origin)
        WatchedHost.objects.filter(pk=host.pk).update(robots_txt=text, robots_fetched_at=now)
        host.robots_txt = text
    parser = RobotFileParser()
    parser.parse(host.robots_txt.splitlines())
    return parser.can_fetch(ROBOTS_AGENT, url)


_STATUS = re.compile(r"the server answered (\d{3})")


def _robots_read(origin: str) -> str:
    try:
        page = outbound.fetch(f"{origin}/robots.txt", accept=outbound.ANY_CONTENT_TYPE, max_bytes=ROBOTS_MAX_BYTES)
    except outbound.OutboundError as exc:
        status = _STATUS.search(str(exc))
        if status and 400 <= int(status.group(1)) < 500:
            return ""  # no robots.txt: everything is allowed
        if "is larger than" in str(exc):
            return ""
        raise PollFailed(_("The site's robots.txt could not be read: %(why)s.") % {"why": exc}) from None
    return page.text


# --------------------------------------------------------------------------- topics


def _topic_words(topics: list[Topic]) -> list[tuple[list[str], list[str]]]:
    """Per topic: its words, and its "~" words (which count only beside another word)."""
    out = []
    for topic in topics:
        plain, weak = [], []
        for words in (topic.keywords or {}).values():
            for word in words or []:
                word = str(word).strip().lower()
                if word.startswith("~"):
                    weak.append(word[1:].strip())
                elif word:
                    plain.append(word)
        if plain or weak:
            out.append((plain, weak))
    return out


def _has(text: str, word: str) -> bool:
    return bool(word) and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _about(keywords: list[tuple[list[str], list[str]]], *texts: str) -> bool:
    text = " ".join(texts).lower()
    for plain, weak in keywords:
        # A "~" word counts only beside another of the topic's words.
        if any(_has(text, w) for w in plain) or sum(1 for w in weak if _has(text, w)) >= 2:
            return True
    return False


# --------------------------------------------------------------------------- parsing


def _parser() -> etree.XMLParser:
    # No DTD, no entities, no network, no billion laughs: a feed is data, never a program.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_pis=True, remove_comments=True)


def _local(element) -> str:  # noqa: ANN001
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _children(element, name: str) -> list:  # noqa: ANN001
    return [c for c in element if _local(c) == name]


def _child(element, *names: str):  # noqa: ANN001,ANN202
    for name in names:
        for c in element:
            if _local(c) == name:
                return c
    return None


def _text(element) -> str:  # noqa: ANN001
    if element is None:
        return ""
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _date(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    moment = None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return published_aware(moment)


def _url(value: str, base_url: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        absolute = urljoin(base_url, value)
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    clean = urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))
    return clean if len(clean) <= 2000 else ""


_RSS_AUTHOR = re.compile(r"^\S+@\S+\s*\((.+)\)$")


# A gzipped sitemap may unpack to at most this (the sitemap protocol's own limit).
GUNZIP_MAX_BYTES = 50 * 1024 * 1024


def _gunzip(data: bytes) -> bytes:
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = unpacker.decompress(data, GUNZIP_MAX_BYTES)
    except zlib.error:
        raise PollFailed(_("The address answered with a broken gzip file.")) from None
    if unpacker.unconsumed_tail:
        raise PollFailed(_("The gzipped document unpacks to more than 50 MB.")) from None
    return out


def feed_parse(data: bytes, *, base_url: str) -> ParsedFeed:
    """Read an RSS 2.0 / RSS 1.0 / Atom feed, a (news) sitemap or a sitemap index.

    Raises PollFailed, in plain words, on anything that is not one of those."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    if not data or not data.strip():
        raise PollFailed(_("The address answered with an empty document."))
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise PollFailed(_("The feed is not well-formed XML (%(why)s).") % {"why": exc.msg or exc}) from None
    doc = root.getroottree().docinfo
    if doc.internalDTD is not None and any(True for _e in doc.internalDTD.iterentities()):
        raise PollFailed(_("The feed declares XML entities, which are not read for safety."))
    kind = _local(root)
    parsed: ParsedFeed
    if kind == "rss":
        channel = _child(root, "channel")
        parsed = ParsedFeed("feed", [_rss_item(i, base_url) for i in _children(channel, "item")] if channel is not None
                            else [])
    elif kind == "rdf":
        parsed = ParsedFeed("feed", [_rss_item(i, base_url) for i in _children(root, "item")])
    elif kind == "feed":
        feed_author = _text(_child(_child(root, "author"), "name")) if _child(root, "author") is not None else ""
        parsed = ParsedFeed("feed", [_atom_entry(e, base_url, feed_author) for e in _children(root, "entry")])
    elif kind == "urlset":
        parsed = ParsedFeed("urlset", [_sitemap_url(u, base_url) for u in _children(root, "url")])
    elif kind == "sitemapindex":
        parsed = ParsedFeed("sitemapindex", sitemaps=[
            (u, _date(_text(_child(s, "lastmod"))))
            for s in _children(root, "sitemap") if (u := _url(_text(_child(s, "loc")), base_url))
        ])
    else:
        raise PollFailed(_("The document is XML but not a feed or a sitemap (it starts with <%(tag)s>).")
                         % {"tag": kind or "?"})
    parsed.entries = [e for e in parsed.entries if e.url]
    return parsed


def _rss_item(item, base_url: str) -> FeedEntry:  # noqa: ANN001
    link = _text(_child(item, "link"))
    guid = _child(item, "guid")
    if not link and guid is not None and guid.get("isPermaLink", "true").lower() != "false":
        link = _text(guid)
    author = _text(_child(item, "creator")) or _text(_child(item, "author"))
    match = _RSS_AUTHOR.match(author)
    if match:
        author = match.group(1).strip()
    elif "@" in author and " " not in author:
        author = ""  # an e-mail address alone is no author's name
    return FeedEntry(
        url=_url(link, base_url), title=_text(_child(item, "title")), author=author,
        published_at=_date(_text(_child(item, "pubdate", "date"))),
        summary=_text(_child(item, "description"))[:2000],
    )


def _atom_entry(entry, base_url: str, feed_author: str) -> FeedEntry:  # noqa: ANN001
    href = ""
    for link in _children(entry, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            href = link.get("href")
            break
    base = entry.get("{http://www.w3.org/XML/1998/namespace}base") or base_url
    author = _child(entry, "author")
    return FeedEntry(
        url=_url(href, urljoin(base_url, base)), title=_text(_child(entry, "title")),
        author=_text(_child(author, "name")) if author is not None else feed_author,
        published_at=_date(_text(_child(entry, "published", "updated"))),
        summary=_text(_child(entry, "summary", "content"))[:2000],
    )


def _sitemap_url(element, base_url: str) -> FeedEntry:  # noqa: ANN001
    news = _child(element, "news")
    if news is not None:
        return FeedEntry(
            url=_url(_text(_child(element, "loc")), base_url), title=_text(_child(news, "title")),
            published_at=_date(_text(_child(news, "publication_date"))),
            summary=_text(_child(news, "keywords")),
        )
    return FeedEntry(url=_url(_text(_child(element, "loc")), base_url),
                     published_at=_date(_text(_child(element, "lastmod"))))


# --------------------------------------------------------------------------- entries


def entries_due(*, now: datetime):  # noqa: ANN201 - a queryset of WatchedEntry
    """Entries to send again: new and due (never sent, or lost), or fetching past their lease."""
    return WatchedEntry.objects.filter(
        Q(state=WatchedEntry.State.NEW, due_at__lte=now)
        | Q(state=WatchedEntry.State.FETCHING, lease_until__lt=now)
    )


# Set by `make run`'s in-process scheduler (claims/scheduler.py). Without a broker a task
# runs where it is sent, so new entries are left, due, to that thread (woken at once), not
# fetched inside the request ("poll now") or command that polled their source.
_in_process_wake: threading.Event | None = None


def in_process_scheduler_set(wake: threading.Event | None) -> None:
    global _in_process_wake
    _in_process_wake = wake


def entries_send(*, entry_ids: list[int]) -> int:
    """Send ``fetch_entry`` for these entries (a new entry's first send)."""
    if not entry_ids:
        return 0
    if _in_process_wake is not None and _eager():
        _in_process_wake.set()
        return 0
    return _entries_send(list(WatchedEntry.objects.filter(pk__in=entry_ids).only("pk", "due_at").order_by("pk")))


def _entries_send(entries: list[WatchedEntry]) -> int:
    sent = 0
    for entry in entries:
        now = timezone.now()
        # Whoever moves due_at on sends: two ticks at once send each entry once.
        if not WatchedEntry.objects.filter(pk=entry.pk, due_at=entry.due_at).update(due_at=now + _lease()):
            continue
        try:
            fetch_entry.apply_async((entry.pk,), priority=WATCH_PRIORITY)
        except BROKER_ERRORS as exc:
            logger.warning("entry %s not sent, the broker cannot be reached (%s); the next tick sends it", entry.pk, exc)
            WatchedEntry.objects.filter(pk=entry.pk).update(due_at=now)
            break
        sent += 1
    return sent


def entries_fetch_due(*, limit: int = FETCH_BATCH) -> int:
    """Send again each entry that is due (see ``entries_due``); returns how many were sent."""
    now = timezone.now()
    return _entries_send(list(entries_due(now=now).only("pk", "due_at").order_by("due_at", "pk")[:limit]))


def _entry_take(entry_id: int) -> bool:
    now = timezone.now()
    return bool(
        WatchedEntry.objects.filter(
            Q(state=WatchedEntry.State.NEW) | Q(state=WatchedEntry.State.FETCHING, lease_until__lt=now),
            pk=entry_id,
        ).update(state=WatchedEntry.State.FETCHING, lease_until=now + _lease(), due_at=now + _lease(),
                 attempts=F("attempts") + 1)
    )


def _entry_end(entry: WatchedEntry, state: str, *, error: str = "", article: Article | None = None) -> WatchedEntry:
    WatchedEntry.objects.filter(pk=entry.pk, state=WatchedEntry.State.FETCHING).update(
        state=state, error=error[:4000], lease_until=None, article=article or entry.article,
    )
    entry.state, entry.error = state, error
    if article is not None:
        entry.article = article
    return entry


def entry_fetch(*, entry_id: int) -> WatchedEntry | None:
    """Fetch one entry's page and import it; None when another worker has it (or had it)."""
    if not _entry_take(entry_id):
        return None
    entry = WatchedEntry.objects.select_related("source").get(pk=entry_id)
    source = entry.source
    try:
        if entry.attempts > ENTRY_MAX_ATTEMPTS:
            return _entry_end(entry, WatchedEntry.State.FAILED, error=_(
                "Given up after %(count)d attempts: the worker fetching it stopped each time.")
                % {"count": ENTRY_MAX_ATTEMPTS})
        stored = Article.objects.filter(url=entry.url).first()
        if stored is not None:
            mine = stored.watched_source_id == source.pk
            return _entry_end(entry, WatchedEntry.State.IMPORTED if mine else WatchedEntry.State.DUPLICATE,
                              article=stored)
        if not _robots_allow(entry.url):
            return _entry_end(entry, WatchedEntry.State.SKIPPED,
                              error=_("The site's robots.txt does not allow us to read this page."))
        wait = _entry_turn(entry)
        if wait is None:
            return entry
        time.sleep(wait)
        _visit_note(entry.url)
        try:
            page = outbound.fetch(entry.url)
        except outbound.OutboundError as exc:
            error = _("The page could not be fetched: %(why)s.") % {"why": exc}
            if _TRANSIENT_FETCH.search(str(exc)) and entry.attempts < ENTRY_MAX_ATTEMPTS:
                return _entry_later(entry, error)
            return _entry_end(entry, WatchedEntry.State.FAILED, error=error)
        try:
            text = html_to_article(page.text) if "html" in page.content_type else plain_to_article(page.text)
        except IngestError as exc:
            return _entry_end(entry, WatchedEntry.State.FAILED,
                              error=_("The page could not be read as an article: %(why)s.") % {"why": exc})
        if text_is_blank(text.body):
            return _entry_end(entry, WatchedEntry.State.FAILED, error=_("No article text was found on the page."))
        title = entry.title or text.title
        if not entry.title and not _entry_wanted(source, title, text.body):
            return _entry_end(entry, WatchedEntry.State.SKIPPED, error=_("Not about this source's topics."))
        page_date = published_aware(text.published_at)
        # A plain sitemap's date is when the page last changed; the page's own date is better.
        published = (page_date or entry.published_at) if source.kind == WatchedSource.Kind.SITEMAP \
            else (entry.published_at or page_date)
        with transaction.atomic():
            submission = article_submit(
                body=text.body, html=page.text if "html" in page.content_type else "", title=title,
                url=entry.url, outlet=source.name, author=entry.author, published_at=published,
                language=source.language or None, source_name=f"watch:{source.name}"[:300],
                watched_source=source,
            )
            state = WatchedEntry.State.IMPORTED if submission.created else WatchedEntry.State.DUPLICATE
            return _entry_end(entry, state, article=submission.article)
    except PollFailed as exc:
        # robots.txt could not be read: try again at the next tick, as a poll would.
        WatchedEntry.objects.filter(pk=entry.pk, state=WatchedEntry.State.FETCHING).update(
            state=WatchedEntry.State.NEW, lease_until=None, error=str(exc)[:4000], attempts=F("attempts") - 1,
            due_at=timezone.now() + timedelta(minutes=source.poll_minutes))
        return entry
    except ValidationError as exc:
        why = " ".join(m for ms in exc.message_dict.values() for m in ms) if hasattr(exc, "error_dict") \
            else " ".join(exc.messages)
        return _entry_end(entry, WatchedEntry.State.FAILED,
                          error=_("The page could not be stored: %(why)s") % {"why": why})
    except Exception as exc:
        if isinstance(exc, TRANSIENT_DB_ERRORS):
            raise  # the lease runs out and the next tick sends the entry again
        logger.exception("entry %s: fetch failed", entry_id)
        return _entry_end(entry, WatchedEntry.State.FAILED,
                          error=_("The fetch failed because of an error on our side; the log has the details."))


# Fetch failures that may pass (a busy or restarting server, a network blip): the entry is
# tried again later, up to ENTRY_MAX_ATTEMPTS. Any other (404, too large, an internal
# address, not a web page) fails it at once.
_TRANSIENT_FETCH = re.compile(
    r"timed out|the server answered 5\d\d|the server answered 429|could not connect|connection .*failed|"
    r"connection broke")
# The first retry of such an entry waits this long; each further one twice as long.
ENTRY_RETRY_FIRST = timedelta(minutes=5)


def _entry_later(entry: WatchedEntry, error: str) -> WatchedEntry:
    """Put an entry back to be tried again after a pause (its attempts keep counting)."""
    due = timezone.now() + ENTRY_RETRY_FIRST * 2 ** max(entry.attempts - 1, 0)
    WatchedEntry.objects.filter(pk=entry.pk, state=WatchedEntry.State.FETCHING).update(
        state=WatchedEntry.State.NEW, lease_until=None, due_at=due, turn_at=None, error=error[:4000])
    entry.state, entry.due_at, entry.error = WatchedEntry.State.NEW, due, error
    return entry


def _entry_wanted(source: WatchedSource, title: str, body: str) -> bool:
    keywords = _topic_words(list(source.topics.all()))
    return not keywords or _about(keywords, title, body[:5000])


def _entry_turn(entry: WatchedEntry) -> float | None:
    """Seconds to wait for the entry's turn at its site, or None when the turn is further
    off: the entry then keeps that turn (``turn_at``) and is put back until then, so that
    many entries of one site queue up in order instead of all trying again together."""
    now = timezone.now()
    delay = settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS
    kept = entry.turn_at
    if kept is not None and now - timedelta(seconds=min(1.0, delay / 2)) <= kept:
        wait = (kept - now).total_seconds()
        if wait <= ENTRY_WAIT_MAX_SECONDS:
            return max(wait, 0.0)
        _entry_defer(entry, kept)  # sent early: its turn is still to come
        return None
    if kept is not None and _visit_claim(entry.url, now):
        # It missed its turn (the workers were busy), but nobody has visited the site for
        # the delay: it goes now rather than queueing again at the end.
        return 0.0
    wait, turn = _slot_take(entry.url, far=True)
    if wait is not None and wait <= ENTRY_WAIT_MAX_SECONDS:
        return wait
    _entry_defer(entry, turn)
    return None


def _entry_defer(entry: WatchedEntry, turn: datetime) -> WatchedEntry:
    """The entry's turn at its site is later: put it back until then."""
    WatchedEntry.objects.filter(pk=entry.pk, state=WatchedEntry.State.FETCHING).update(
        state=WatchedEntry.State.NEW, lease_until=None, due_at=turn, turn_at=turn, attempts=F("attempts") - 1)
    entry.state, entry.due_at, entry.turn_at = WatchedEntry.State.NEW, turn, turn
    if not _eager():
        try:
            WatchedEntry.objects.filter(pk=entry.pk, due_at=turn).update(due_at=turn + _lease())
            fetch_entry.apply_async((entry.pk,), countdown=max(0.0, (turn - timezone.now()).total_seconds()),
                                    priority=WATCH_PRIORITY)
        except BROKER_ERRORS:
            WatchedEntry.objects.filter(pk=entry.pk).update(due_at=turn)
    return entry


# --------------------------------------------------------------------------- the tick


@dataclass(frozen=True)
class TickResult:
    polls: int
    fetches: int


def watch_tick() -> TickResult:
    """What beat runs every FACTCHECK_WATCH_TICK_SECONDS (and `make run` in-process)."""
    polls = sources_poll_due()
    fetches = entries_fetch_due()
    if polls or fetches:
        logger.info("watch tick: %d poll(s) and %d entry fetch(es) sent", polls, fetches)
    return TickResult(polls=polls, fetches=fetches)


def watch_next_due() -> datetime | None:
    """When anything watched is next due (the in-process scheduler sleeps until then)."""
    source = (WatchedSource.objects.filter(Q(enabled=True, paused_at__isnull=True) | Q(poll_asked_at__isnull=False))
              .order_by("next_poll_at").values_list("next_poll_at", flat=True).first())
    entry = (WatchedEntry.objects.filter(state=WatchedEntry.State.NEW)
             .order_by("due_at").values_list("due_at", flat=True).first())
    moments = [m for m in (source, entry) if m is not None]
    return min(moments) if moments else None
