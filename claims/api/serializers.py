from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from rest_framework import serializers

from ..choices import ClaimStatus
from ..ingest import text_is_blank
from ..models import Article, Claim, Correction, ExtractionJob, Rating, Source, Topic


class RFC3339DateTimeField(serializers.DateTimeField):
    """A date-time as RFC 3339 writes it: in the site's time zone, except where that would
    not do: before 1924 Asia/Jakarta's offset has seconds (+07:07:12, local mean time), and
    late in 9999 the local time is past the last year. There it is given in UTC."""

    def enforce_timezone(self, value: datetime) -> datetime:
        # Taken in UTC, as the database stores it: converting to the site's zone would push
        # 9999-12-31T23:59:59Z past the last year, and PostgreSQL refuses an offset such as
        # +18:30 (beyond ±15:59) that RFC 3339 allows.
        if timezone.is_aware(value):
            try:
                return value.astimezone(UTC)
            except OverflowError:
                self.fail("overflow")
        return super().enforce_timezone(value)

    def to_representation(self, value: datetime | str | None) -> str | None:
        if value is None or isinstance(value, str):
            return value
        shown = value
        if timezone.is_aware(value):
            try:
                shown = timezone.localtime(value)
            except OverflowError:
                shown = value.astimezone(UTC)
            offset = shown.utcoffset()
            if offset is not None and (offset.seconds % 60 or offset.microseconds):
                shown = value.astimezone(UTC)
        text = shown.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text


class ApiModelSerializer(serializers.ModelSerializer):
    """DRF's model serializer with RFC 3339 date-times."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping, models.DateTimeField: RFC3339DateTimeField
    }


_DATETIME = RFC3339DateTimeField()


class TopicSerializer(ApiModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "name_id"]


class RatingSerializer(ApiModelSerializer):
    class Meta:
        model = Rating
        fields = ["label", "language", "value", "best", "worst", "colour"]


class SourceSerializer(ApiModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "quote", "stance", "archived_url"]


class CorrectionSerializer(ApiModelSerializer):
    previous_rating = serializers.CharField(source="previous_rating.label")

    class Meta:
        model = Correction
        fields = ["note", "previous_rating", "created_at"]


class ArticleRefSerializer(ApiModelSerializer):
    class Meta:
        model = Article
        fields = ["title", "outlet", "url", "published_at", "language"]


class VerdictSerializer(serializers.Serializer):
    rating = RatingSerializer()
    headline = serializers.CharField()
    summary = serializers.CharField()
    rationale = serializers.CharField()
    published_at = RFC3339DateTimeField()
    updated_at = RFC3339DateTimeField()
    corrections = CorrectionSerializer(many=True)


class FactCheckSerializer(ApiModelSerializer):
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

    def to_representation(self, claim: Claim) -> dict:
        """The declared fields above, built directly: DRF's field-by-field walk over the
        nested article, verdict, rating, sources and corrections was most of a list
        request's time. A test holds this to the declarative output."""
        article, verdict = claim.article, claim.verdict
        rating = verdict.rating
        when = _DATETIME.to_representation
        return {
            "id": claim.pk,
            "url": self.get_url(claim),
            "text": claim.text,
            "speaker": claim.speaker,
            "speaker_role": claim.speaker_role,
            "speaker_kind": claim.speaker_kind,
            "attribution": claim.attribution,
            "hedge": claim.hedge,
            "language": claim.language,
            "claim_type": claim.claim_type,
            "topics": [topic.slug for topic in claim.topics.all()],
            "entities": self.get_entities(claim),
            "article": {
                "title": article.title,
                "outlet": article.outlet,
                "url": article.url,
                "published_at": when(article.published_at) if article.published_at else None,
                "language": article.language,
            },
            "verdict": {
                "rating": {
                    "label": rating.label, "language": rating.language, "value": rating.value,
                    "best": rating.best, "worst": rating.worst, "colour": rating.colour,
                },
                "headline": verdict.headline,
                "summary": verdict.summary,
                "rationale": verdict.rationale,
                "published_at": when(verdict.published_at),
                "updated_at": when(verdict.updated_at),
                "corrections": [
                    {"note": c.note, "previous_rating": c.previous_rating.label, "created_at": when(c.created_at)}
                    for c in verdict.corrections.all()
                ],
            },
            "sources": [
                {"url": src.url, "title": src.title, "publisher": src.publisher, "quote": src.quote,
                 "stance": src.stance, "archived_url": src.archived_url}
                for src in claim.sources.all()
            ],
        }


class StringOnly:
    """DRF's text fields take a number or a boolean and turn it into a string; a partner
    that sends ``{"text": 123}`` has made a mistake it should hear about."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError("Must be a string.", code="invalid")
        return super().to_internal_value(data)


class StringField(StringOnly, serializers.CharField):
    pass


class StringURLField(StringOnly, serializers.URLField):
    pass


class ArticleSubmitSerializer(serializers.Serializer):
    text = StringField(required=False, allow_blank=False, trim_whitespace=True)
    html = StringField(required=False, allow_blank=False, trim_whitespace=False)
    url = StringURLField(required=False, max_length=2000)
    title = StringField(required=False, allow_blank=True, max_length=500, default="", trim_whitespace=False)
    outlet = StringField(required=False, allow_blank=True, max_length=200, default="", trim_whitespace=False)
    author = StringField(required=False, allow_blank=True, max_length=200, default="", trim_whitespace=False)
    published_at = RFC3339DateTimeField(required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(choices=["id", "en"], required=False, allow_null=True, default=None)

    def validate_text(self, text: str) -> str:
        if text_is_blank(text):
            raise serializers.ValidationError("The text has no visible characters.", code="blank")
        return text

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


class ClaimStatusSerializer(ApiModelSerializer):
    """A partner's view of a claim from its own article: its review status, no draft verdict."""

    fact_check_url = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "text", "start", "end", "status", "score", "claim_type", "speaker", "fact_check_url"]

    def get_fact_check_url(self, claim: Claim) -> str | None:
        if claim.status == ClaimStatus.PUBLISHED:
            return settings.SITE_URL + claim.get_absolute_url()
        return None


class JobSerializer(ApiModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:job-detail")
    article = serializers.HyperlinkedRelatedField(view_name="api:article-detail", read_only=True)

    class Meta:
        model = ExtractionJob
        fields = ["id", "url", "article", "status", "error", "claims_found", "attempts",
                  "extractor_version", "created_at", "started_at", "finished_at"]


class PartnerArticleSerializer(ApiModelSerializer):
    """An article as the requesting partner submitted it: the description is the partner's
    own (another partner may have submitted the same text), the claims and jobs are shared.
    The view annotates the ``submitted_*`` values from the partner's submission."""

    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    title = serializers.CharField(source="submitted_title")
    outlet = serializers.CharField(source="submitted_outlet")
    source_url = serializers.URLField(source="submitted_url", allow_blank=True,
                                      help_text="The address you submitted, or an empty string.")
    published_at = RFC3339DateTimeField(source="submitted_published_at", allow_null=True)
    created_at = RFC3339DateTimeField(source="submitted_at", help_text="When you submitted the article.")
    claims = ClaimStatusSerializer(many=True)
    latest_job = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "url", "title", "outlet", "source_url", "language", "published_at", "created_at",
                  "latest_job", "claims"]

    def get_latest_job(self, article: Article) -> dict | None:
        jobs = list(article.jobs.all())
        return JobSerializer(jobs[0], context=self.context).data if jobs else None
