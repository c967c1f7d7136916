"""ClaimReview (schema.org): out, for our published fact-checks (one builder for pages and
API); in, for fact-checks published elsewhere (a page's JSON-LD or a DataFeed of them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import lxml.etree
import lxml.html
from django.conf import settings
from django.utils import timezone

from .choices import SpeakerKind
from .dates import iso_parse
from .models import Claim


def _organization(name: str, url: str = "") -> dict:
    org = {"@type": "Organization", "name": name}
    if url:
        org["url"] = url
    return org


def claim_review(claim: Claim, *, language: str | None = None) -> dict:
    """The ClaimReview of a published claim, in ``language`` when the fact-check is public
    in it (a published translation), else in the language the verdict was written in: its
    headline, rating label and address are that language's.

    Expects ``claim.verdict.rating`` and ``claim.article`` loaded (``published_claims()``
    does that) and the claim's corrections and published translations prefetched as
    ``verdict.corrections`` and ``verdict.translations``. The claim's fields are as an
    editor left them (services.claim_edit): its wording, speaker and date are the ones
    checked, not necessarily the extractor's.
    """
    verdict = claim.verdict
    rating = verdict.rating
    article = claim.article
    texts = verdict.texts()
    text = texts.get(language or verdict.language) or texts[verdict.language]
    url = settings.SITE_URL + text.path
    # The claim was made when its article was published, on that day in the newsroom's
    # time zone; when nobody knows, the markup says nothing (never the day it came in).
    appeared = timezone.localtime(article.published_at).date() if article.published_at else None
    appearance = {"@type": "CreativeWork", "headline": article.title or claim.text[:110]}
    if article.url:
        appearance["url"] = article.url
    if article.outlet:
        appearance["publisher"] = _organization(article.outlet)
    if appeared:
        appearance["datePublished"] = appeared.isoformat()

    if claim.speaker and claim.speaker_kind == SpeakerKind.ORGANISATION:
        claim_author: dict = _organization(claim.speaker)
    elif claim.speaker and claim.speaker_kind == SpeakerKind.REPRESENTATIVE:
        # "A BBC spokesman": a person the article does not name, speaking for the BBC.
        claim_author = {"@type": "Person", "jobTitle": claim.speaker_role, "worksFor": _organization(claim.speaker)}
    elif claim.speaker and claim.speaker_kind == SpeakerKind.GROUP:
        # "Critics say", "Western officials said": no person or organisation of that name,
        # and not the outlet either. The markup names no author rather than a wrong one.
        claim_author = None
    elif claim.speaker:
        claim_author = {"@type": "Person", "name": claim.speaker}
        if claim.speaker_role:
            claim_author["jobTitle"] = claim.speaker_role
    elif claim.speaker_role:
        # "a Home Office minister has said": a person the article does not name.
        claim_author = {"@type": "Person", "jobTitle": claim.speaker_role}
    else:
        claim_author = _organization(article.outlet or "Unknown")

    made_on = claim.made_on  # the day an editor gave the claim, else its article's
    corrections = list(verdict.corrections.all())
    modified = max([verdict.published_at, *(c.created_at for c in corrections)])
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "headline": text.headline,
        "datePublished": verdict.published_at.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": text.language,
        "author": _organization(settings.FACTCHECK_NEWSROOM_NAME, settings.SITE_URL + "/"),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": rating.best,
            "worstRating": rating.worst,
            "alternateName": text.label,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": claim_author,
            "datePublished": made_on.isoformat() if made_on else None,
            "appearance": [appearance],
            "firstAppearance": appearance,
        },
    }
    for key in ("author", "datePublished"):
        if review["itemReviewed"][key] is None:
            del review["itemReviewed"][key]
    return review


# --------------------------------------------------------------------------- ClaimReview in

# Longest text kept from another fact-checker's markup; longer is cut, never refused.
_TEXT_LIMITS = {"claim_reviewed": 2000, "claimant": 300, "publisher": 200, "rating_text": 120, "headline": 500}
_MAX_DEPTH = 12


@dataclass(frozen=True)
class ClaimReviewIn:
    """One fact-check as another publisher's ClaimReview markup states it."""

    url: str
    claim_reviewed: str
    publisher: str
    publisher_url: str
    rating_text: str
    rating_value: float | None
    rating_best: float | None
    rating_worst: float | None
    claimant: str
    headline: str
    reviewed_at: datetime | None
    claimed_at: datetime | None
    language: str


class ClaimReviewProblem(ValueError):
    """An item of someone's markup that cannot be a fact-check (the message says why)."""


def _types(node: dict) -> set[str]:
    kind = node.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _text(value: object, limit: int) -> str:
    """A plain string from a JSON-LD value: a string, a number, or a thing with a name."""
    if isinstance(value, list):
        value = next((v for v in value if v), "")
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName") or ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:limit]


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _url(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    if not isinstance(value, str):
        return ""
    value = value.strip()
    return value if value.startswith(("http://", "https://")) and len(value) <= 2000 else ""


def _language(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name") or ""
    if not isinstance(value, str):
        return ""
    code = value.strip().lower().replace("_", "-").split("-")[0]
    names = {"english": "en", "indonesian": "id", "bahasa indonesia": "id", "in": "id"}
    code = names.get(value.strip().lower(), names.get(code, code))
    return code if code.isalpha() and 2 <= len(code) <= 3 else ""


def _moment(value: object) -> datetime | None:
    return iso_parse(value) if isinstance(value, str) and value.strip() else None


def claimreview_read(node: dict, *, page_url: str = "") -> ClaimReviewIn:
    """One ClaimReview object as a fact-check; ClaimReviewProblem says what is missing."""
    url = _url(node.get("url")) or _url(node.get("@id")) or page_url
    if not url:
        raise ClaimReviewProblem("no url: a fact-check is known by its address")
    claim_reviewed = _text(node.get("claimReviewed"), _TEXT_LIMITS["claim_reviewed"])
    item = node.get("itemReviewed") if isinstance(node.get("itemReviewed"), dict) else {}
    if not claim_reviewed:
        claim_reviewed = _text(item.get("text") or item.get("name"), _TEXT_LIMITS["claim_reviewed"])
    if not claim_reviewed:
        raise ClaimReviewProblem(f"{url}: no claimReviewed")
    rating = node.get("reviewRating")
    if isinstance(rating, list):
        rating = next((r for r in rating if isinstance(r, dict)), {})
    rating = rating if isinstance(rating, dict) else {}
    rating_text = _text(rating.get("alternateName") or rating.get("name"), _TEXT_LIMITS["rating_text"])
    rating_value = _number(rating.get("ratingValue"))
    if not rating_text and rating_value is None:
        raise ClaimReviewProblem(f"{url}: no reviewRating (neither alternateName nor ratingValue)")
    publisher_node = node.get("author") or node.get("publisher") or {}
    if isinstance(publisher_node, list):
        publisher_node = next((p for p in publisher_node if p), {})
    publisher = _text(publisher_node, _TEXT_LIMITS["publisher"])
    claimant = _text(item.get("author"), _TEXT_LIMITS["claimant"])
    return ClaimReviewIn(
        url=url,
        claim_reviewed=claim_reviewed,
        publisher=publisher,
        publisher_url=_url(publisher_node),
        rating_text=rating_text,
        rating_value=rating_value,
        rating_best=_number(rating.get("bestRating")),
        rating_worst=_number(rating.get("worstRating")),
        claimant=claimant,
        headline=_text(node.get("headline") or node.get("name"), _TEXT_LIMITS["headline"]),
        reviewed_at=_moment(node.get("datePublished")),
        claimed_at=_moment(item.get("datePublished")),
        language=_language(node.get("inLanguage")),
    )


def _claimreview_nodes(node: object, depth: int = 0) -> list[dict]:
    """Every ClaimReview object in a JSON-LD document, a DataFeed or a @graph."""
    if depth > _MAX_DEPTH:
        return []
    if isinstance(node, list):
        return [found for item in node for found in _claimreview_nodes(item, depth + 1)]
    if not isinstance(node, dict):
        return []
    if "ClaimReview" in _types(node):
        return [node]
    found: list[dict] = []
    for key in ("@graph", "dataFeedElement", "item", "mainEntity", "hasPart", "review"):
        if key in node:
            found.extend(_claimreview_nodes(node[key], depth + 1))
    return found


def claimreviews_read(document: object, *, page_url: str = "") -> tuple[list[ClaimReviewIn], list[str]]:
    """The fact-checks in a JSON-LD document or DataFeed, and one line per item refused."""
    items: list[ClaimReviewIn] = []
    problems: list[str] = []
    nodes = _claimreview_nodes(document)
    for index, node in enumerate(nodes, start=1):
        try:
            # A page's own address stands in for a missing url only when it holds one review.
            items.append(claimreview_read(node, page_url=page_url if len(nodes) == 1 else ""))
        except ClaimReviewProblem as exc:
            problems.append(f"item {index}: {exc}")
    return items, problems


def claimreviews_from_html(html: str, *, page_url: str = "") -> tuple[list[ClaimReviewIn], list[str]]:
    """The fact-checks a web page declares in its ``application/ld+json`` blocks."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return [], ["the page is not HTML that can be read"]
    documents: list[object] = []
    problems: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            documents.append(json.loads(script.text_content() or "null"))
        except (ValueError, RecursionError):
            problems.append("a JSON-LD block that is not valid JSON was skipped")
    items, item_problems = claimreviews_read(documents, page_url=page_url)
    return items, problems + item_problems


def factcheck_claim_review(factcheck) -> dict:  # noqa: ANN001 - a claims.models.FactCheck
    """The ClaimReview of a fact-check from elsewhere, as it was imported."""
    rating = {"@type": "Rating", "alternateName": factcheck.rating_text}
    for key, value in (("ratingValue", factcheck.rating_value), ("bestRating", factcheck.rating_best),
                       ("worstRating", factcheck.rating_worst)):
        if value is not None:
            rating[key] = int(value) if float(value).is_integer() else value
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": factcheck.url,
        "claimReviewed": factcheck.claim_reviewed,
        "author": _organization(factcheck.publisher or "Unknown", factcheck.publisher_url),
        "reviewRating": rating,
        "itemReviewed": {"@type": "Claim"},
    }
    if factcheck.headline:
        review["headline"] = factcheck.headline
    if factcheck.reviewed_at:
        review["datePublished"] = factcheck.reviewed_at.isoformat()
    if factcheck.language:
        review["inLanguage"] = factcheck.language
    if factcheck.claimant:
        review["itemReviewed"]["author"] = {"@type": "Thing", "name": factcheck.claimant}
    if factcheck.claimed_at:
        review["itemReviewed"]["datePublished"] = factcheck.claimed_at.date().isoformat()
    return review
