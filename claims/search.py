"""Full-text search over published fact-checks.

On PostgreSQL: a tsvector per claim (stemmed with the English configuration for English,
the language-neutral one for Indonesian and others, since PostgreSQL ships no Indonesian
stemmer) with a GIN index. On SQLite: a case-insensitive match on the same fields. On both,
the fact-checks the query means by the multilingual vectors (claims.matching) are found
too: a paraphrase, or the query in the other language.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from .models import Claim

CONFIGS = {"en": "english"}
DEFAULT_CONFIG = "simple"


def config_for(language: str) -> str:
    return CONFIGS.get(language, DEFAULT_CONFIG)


def claim_index(*, claim: Claim) -> None:
    """Store the claim's search vector (PostgreSQL only; SQLite searches the columns)."""
    if connection.vendor != "postgresql":
        return
    verdict = getattr(claim, "verdict", None)
    config = config_for(claim.language)
    weighted = [
        (claim.text, "A"),
        (verdict.headline if verdict else "", "A"),
        (f"{claim.speaker} {claim.speaker_role} {claim.entity_names}", "B"),
        (f"{verdict.summary if verdict else ''} {claim.article.title}", "C"),
    ]
    vector = SearchVector(Value(weighted[0][0]), weight="A", config=config)
    for text, weight in weighted[1:]:
        vector = vector + SearchVector(Value(text), weight=weight, config=config)
    Claim.objects.filter(pk=claim.pk).update(search_vector=vector)


def claims_search(queryset: QuerySet[Claim], query: str) -> QuerySet[Claim]:
    from .matching import published_ids_closest

    query = query.strip()[:200]
    if not query:
        return queryset
    meant = Q(pk__in=published_ids_closest(query))
    if connection.vendor == "postgresql":
        english = SearchQuery(query, config="english", search_type="websearch")
        simple = SearchQuery(query, config=DEFAULT_CONFIG, search_type="websearch")
        return queryset.filter(
            Q(language="en", search_vector=english) | (~Q(language="en") & Q(search_vector=simple)) | meant
        ).annotate(
            rank=Coalesce(SearchRank(F("search_vector"), english) + SearchRank(F("search_vector"), simple), 0.0)
        ).order_by("-rank", *queryset.query.order_by)
    words = query.split()[:8]
    condition = Q()
    for word in words:
        condition &= (
            Q(text__icontains=word) | Q(speaker__icontains=word) | Q(speaker_role__icontains=word)
            | Q(entity_names__icontains=word)
            | Q(verdict__headline__icontains=word) | Q(verdict__summary__icontains=word)
            | Q(article__title__icontains=word)
        )
    return queryset.filter(condition | meant)
