"""Every non-trivial read."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from .choices import ClaimStatus
from .models import Article, Claim, Source, Topic, Verdict


def topic_keywords() -> dict[str, dict[str, list[str]]]:
    """The topics as the extractor takes them: slug -> language -> keywords."""
    return {slug: keywords or {} for slug, keywords in Topic.objects.values_list("slug", "keywords")}


def claims_for_store(*, article: Article) -> QuerySet[Claim]:
    """An article's claims with what tells whether an editor has worked on them."""
    return (
        Claim.objects.filter(article=article)
        .annotate(
            has_sources=Exists(Source.objects.filter(claim=OuterRef("pk"))),
            has_verdict=Exists(Verdict.objects.filter(claim=OuterRef("pk"))),
        )
        .prefetch_related("topics")
    )


def claim_is_worked(claim: Claim) -> bool:
    """True once an editor has done anything with the claim: then extraction leaves it be."""
    return bool(
        claim.status != ClaimStatus.NEW
        or claim.assignee_id
        or claim.duplicate_of_id
        or claim.has_sources
        or claim.has_verdict
    )
