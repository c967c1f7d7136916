"""ClaimReview (schema.org) for a published fact-check: one builder for pages and API."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .choices import SpeakerKind
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
