"""Fact-checks from elsewhere coming in: a fact-check page, a DataFeed, a file.

Each review is known by its address: importing it again updates it, never doubles it.
Each is written in its own transaction, so a malformed item is reported and skipped and
never leaves half a fact-check behind; the rest of the feed still comes in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .. import nlp, outbound
from ..claimreview import ClaimReviewIn, claimreviews_from_html, claimreviews_read
from ..errors import TRANSIENT_DB_ERRORS
from ..models import FactCheck
from .jobs import published_aware
from .matching import factchecks_match_claims, factchecks_vectorize

# A DataFeed of 100,000 reviews is about 60 MB of JSON; larger than this is refused whole.
_MAX_JSON_BYTES = 200 * 1024 * 1024


class FactCheckSourceError(ValueError):
    """The page, feed or file as a whole cannot be read (the message says why)."""


@dataclass
class FactCheckImport:
    """What one import did: counts, and one line per item it refused."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)


_FIELDS = (
    "claim_reviewed", "claimant", "publisher", "publisher_url", "headline", "rating_text",
    "rating_value", "rating_best", "rating_worst", "reviewed_at", "claimed_at", "language",
)


def _values(item: ClaimReviewIn) -> dict:
    values = {name: getattr(item, name) for name in _FIELDS}
    for name in ("reviewed_at", "claimed_at"):
        values[name] = published_aware(values[name])
    if not values["language"]:
        detected = nlp.detect_language(item.claim_reviewed)
        values["language"] = "" if detected == "und" else detected
    return values


def factcheck_store(*, item: ClaimReviewIn, imported_from: str = "") -> str:
    """Create or update one fact-check by its URL; "created", "updated" or "unchanged".

    Raises ValidationError when the item does not fit (the message says which field)."""
    values = _values(item)
    with transaction.atomic():
        existing = FactCheck.objects.select_for_update().filter(url=item.url).first()
        if existing is not None:
            if all(getattr(existing, name) == value for name, value in values.items()):
                return "unchanged"
            if existing.claim_reviewed != values["claim_reviewed"]:
                existing.vector = None  # computed again below, for the new words
            for name, value in values.items():
                setattr(existing, name, value)
            existing.imported_from = imported_from[:2000]
            existing.full_clean()
            existing.save()
            return "updated"
        factcheck = FactCheck(url=item.url, imported_from=imported_from[:2000], **values)
        factcheck.full_clean()
        try:
            with transaction.atomic():
                factcheck.save()
        except IntegrityError:
            # Another import stored the same address a moment ago: that one stands.
            return "unchanged"
        return "created"


def factchecks_store(
    *, items: Iterable[ClaimReviewIn], imported_from: str = "", report: FactCheckImport | None = None
) -> FactCheckImport:
    """Store each item in its own transaction; a refused item is reported and skipped.
    Then the new and changed fact-checks get their vectors, and the recent open claims they
    settle get their suggestions."""
    report = report if report is not None else FactCheckImport()
    changed: list[str] = []
    for item in items:
        try:
            outcome = factcheck_store(item=item, imported_from=imported_from)
        except ValidationError as exc:
            fields = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
            report.problems.append(f"{item.url}: {fields}")
            continue
        except TRANSIENT_DB_ERRORS:
            raise
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            changed.append(item.url)
    if changed:
        factchecks_vectorize()
        # The claims already in the queue that these fact-checks settle say so now, not only
        # the claims extracted from here on.
        factchecks_match_claims(factcheck_ids=[
            pk for start in range(0, len(changed), 500)
            for pk in FactCheck.objects.filter(url__in=changed[start:start + 500]).values_list("pk", flat=True)])
    return report


def factchecks_read_json(data: bytes | str, *, page_url: str = "") -> tuple[list[ClaimReviewIn], list[str]]:
    """The fact-checks in a DataFeed or JSON-LD document (bytes from a file or a fetch)."""
    if isinstance(data, bytes):
        if len(data) > _MAX_JSON_BYTES:
            raise FactCheckSourceError("the file is larger than 200 MB")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FactCheckSourceError("the file is not UTF-8 text") from exc
    try:
        document = json.loads(data)
    except RecursionError as exc:
        raise FactCheckSourceError("the JSON is nested too deeply to be a fact-check feed") from exc
    except ValueError as exc:
        raise FactCheckSourceError(f"the file is not valid JSON ({exc})") from exc
    items, problems = claimreviews_read(document, page_url=page_url)
    if not items and not problems:
        raise FactCheckSourceError("no ClaimReview found (a DataFeed of ClaimReview, or ClaimReview JSON-LD)")
    return items, problems


def factchecks_read_html(html: str, *, page_url: str = "") -> tuple[list[ClaimReviewIn], list[str]]:
    """The fact-checks a page declares in its JSON-LD."""
    items, problems = claimreviews_from_html(html, page_url=page_url)
    if not items and not problems:
        raise FactCheckSourceError("the page declares no ClaimReview in its JSON-LD")
    return items, problems


def factchecks_fetch(url: str) -> tuple[list[ClaimReviewIn], list[str]]:
    """Fetch a fact-check page or a DataFeed through the outbound guard and read it."""
    try:
        page = outbound.fetch(url, accept=outbound.ACCEPTED_CONTENT_TYPES | outbound.JSON_CONTENT_TYPES)
    except outbound.OutboundError as exc:
        raise FactCheckSourceError(f"{url}: {exc}") from exc
    if page.content_type in outbound.JSON_CONTENT_TYPES:
        return factchecks_read_json(page.text, page_url=page.final_url)
    return factchecks_read_html(page.text, page_url=page.final_url)


def factchecks_import_url(*, url: str) -> FactCheckImport:
    """Import every fact-check of a page or feed at ``url``; FactCheckSourceError if none can be read."""
    items, problems = factchecks_fetch(url)
    return factchecks_store(items=items, imported_from=url, report=FactCheckImport(problems=list(problems)))
