from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property
from rest_framework import serializers

from ..choices import ClaimStatus
from ..models import Article, Claim, Correction, ExtractionJob, Rating, Source, Topic, claim_slug

_DATETIME = serializers.DateTimeField()


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "name_id"]


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["label", "language", "value", "best", "worst", "colour"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "quote", "stance", "archived_url"]


class CorrectionSerializer(serializers.ModelSerializer):
    previous_rating = serializers.CharField(source="previous_rating.label")

    class Meta:
        model = Correction
        fields = ["note", "previous_rating", "created_at"]


class ArticleRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["title", "outlet", "url", "published_at", "language"]


class VerdictSerializer(serializers.Serializer):
    rating = RatingSerializer()
    headline = serializers.CharField()
    summary = serializers.CharField()
    rationale = serializers.CharField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    corrections = CorrectionSerializer(many=True)


class FactCheckSerializer(serializers.ModelSerializer):
    """A published fact-check: the claim, where it appeared, the verdict and its evidence."""

    url = serializers.SerializerMethodField()
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    entities = serializers.SerializerMethodField()
    article = ArticleRefSerializer()
    verdict = VerdictSerializer()
    sources = SourceSerializer(many=True)

    class Meta:
        model = Claim
        fields = ["id", "url", "text", "speaker", "speaker_role", "speaker_kind", "attribution", "hedge", "language",
                  "claim_type", "topics", "entities", "article", "verdict", "sources"]

    def get_url(self, claim: Claim) -> str:
        return settings.SITE_URL + claim.get_absolute_url()

    def get_entities(self, claim: Claim) -> list[str]:
        return [name for name in claim.entity_names.split("; ") if name]

    @cached_property
    def _url_parts(self) -> tuple[str, str, str]:
        """The public page's address around its id and slug: one reverse() per response,
        not one per fact-check."""
        pk, slug = 987654321, "slug-marker"
        rest, tail = (settings.SITE_URL + reverse("claims:detail", args=[pk, slug])).rsplit(slug, 1)
        head, middle = rest.rsplit(str(pk), 1)
        return head, middle, tail

    @cached_property
    def _when(self) -> Callable[[datetime], str | None]:
        """``_DATETIME.to_representation`` with the time zone looked up once per response:
        DRF looks it up for every value, which was most of the time spent serializing."""
        field = copy.copy(_DATETIME)
        if not hasattr(field, "timezone"):
            field.timezone = field.default_timezone()
        return field.to_representation

    def to_representation(self, row: dict) -> dict:
        """The declared fields above, built directly from a row of
        ``selectors.published_fact_check_rows`` completed by ``fact_check_rows_complete``:
        DRF's field-by-field walk over model instances and their prefetches was most of a
        list request's time. A test holds this to the declarative output."""
        when = self._when
        published = row["article__published_at"]
        head, middle, tail = self._url_parts
        slug = claim_slug(headline=row["verdict__headline"], text=row["text"])
        return {
            "id": row["id"],
            "url": f"{head}{row['id']}{middle}{slug}{tail}",
            "text": row["text"],
            "speaker": row["speaker"],
            "speaker_role": row["speaker_role"],
            "speaker_kind": row["speaker_kind"],
            "attribution": row["attribution"],
            "hedge": row["hedge"],
            "language": row["language"],
            "claim_type": row["claim_type"],
            "topics": row["topics"],
            "entities": [name for name in row["entity_names"].split("; ") if name],
            "article": {
                "title": row["article__title"],
                "outlet": row["article__outlet"],
                "url": row["article__url"],
                "published_at": when(published) if published else None,
                "language": row["article__language"],
            },
            "verdict": {
                "rating": {
                    "label": row["verdict__rating__label"], "language": row["verdict__rating__language"],
                    "value": row["verdict__rating__value"], "best": row["verdict__rating__best"],
                    "worst": row["verdict__rating__worst"], "colour": row["verdict__rating__colour"],
                },
                "headline": row["verdict__headline"],
                "summary": row["verdict__summary"],
                "rationale": row["verdict__rationale"],
                "published_at": when(row["published_at"]),
                "updated_at": when(row["verdict__updated_at"]),
                "corrections": [
                    {"note": c["note"], "previous_rating": c["previous_rating__label"],
                     "created_at": when(c["created_at"])}
                    for c in row["corrections"]
                ],
            },
            "sources": row["sources"],
        }


class ArticleSubmitSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=False, trim_whitespace=True)
    html = serializers.CharField(required=False, allow_blank=False, trim_whitespace=False)
    url = serializers.URLField(required=False, max_length=2000)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500, default="", trim_whitespace=False)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=200, default="", trim_whitespace=False)
    author = serializers.CharField(required=False, allow_blank=True, max_length=200, default="", trim_whitespace=False)
    published_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(choices=["id", "en"], required=False, allow_null=True, default=None)

    def validate(self, data: dict) -> dict:
        given = [name for name in ("text", "html", "url") if data.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Send exactly one of text, html or url."]}
            )
        limit = settings.FACTCHECK_ARTICLE_MAX_CHARS
        for name in ("text", "html"):
            if len(data.get(name) or "") > limit:
                raise serializers.ValidationError({name: [f"Longer than the limit of {limit:,} characters."]})
        return data


class ClaimStatusSerializer(serializers.ModelSerializer):
    """A partner's view of a claim from its own article: its review status, no draft verdict."""

    fact_check_url = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "text", "start", "end", "status", "score", "claim_type", "speaker", "fact_check_url"]

    def get_fact_check_url(self, claim: Claim) -> str | None:
        if claim.status == ClaimStatus.PUBLISHED:
            return settings.SITE_URL + claim.get_absolute_url()
        return None


class JobSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:job-detail")
    article = serializers.HyperlinkedRelatedField(view_name="api:article-detail", read_only=True)

    class Meta:
        model = ExtractionJob
        fields = ["id", "url", "article", "status", "error", "claims_found", "attempts",
                  "extractor_version", "created_at", "started_at", "finished_at"]


class PartnerArticleSerializer(serializers.ModelSerializer):
    """An article as the requesting partner submitted it: the description is the partner's
    own (another partner may have submitted the same text), the claims and jobs are shared.
    The view annotates the ``submitted_*`` values from the partner's submission."""

    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    title = serializers.CharField(source="submitted_title")
    outlet = serializers.CharField(source="submitted_outlet")
    source_url = serializers.URLField(source="submitted_url", help_text="The address you submitted, if any.")
    published_at = serializers.DateTimeField(source="submitted_published_at", allow_null=True)
    created_at = serializers.DateTimeField(source="submitted_at", help_text="When you submitted the article.")
    claims = ClaimStatusSerializer(many=True)
    latest_job = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "url", "title", "outlet", "source_url", "language", "published_at", "created_at",
                  "latest_job", "claims"]

    def get_latest_job(self, article: Article) -> dict | None:
        jobs = list(article.jobs.all())
        return JobSerializer(jobs[0], context=self.context).data if jobs else None
