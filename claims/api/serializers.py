from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import ClaimStatus
from ..ingest import INVISIBLE_CHARS, text_is_blank
from ..models import Article, Claim, Correction, ExtractionJob, Source, Topic, claim_slug


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


class VerdictRatingSerializer(serializers.Serializer):
    """A verdict's rating: its label in the language the verdict is written in."""

    label = serializers.CharField(help_text="The rating's label in the verdict's language.")
    language = serializers.CharField(help_text="The language of the label: the verdict's.")
    value = serializers.IntegerField(source="rating.value")
    best = serializers.IntegerField(source="rating.best")
    worst = serializers.IntegerField(source="rating.worst")
    colour = serializers.CharField(source="rating.colour")


class SourceSerializer(ApiModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "quote", "stance", "archived_url"]


class CorrectionSerializer(ApiModelSerializer):
    """A correction of a published verdict: what it changed (any of "rating", "headline",
    "summary", "rationale"), the rating (named in the verdict's language) and headline before
    and after, and the note."""

    changed = serializers.ListField(child=serializers.CharField())
    previous_rating = serializers.SerializerMethodField(help_text="Its label in the verdict's language.")
    new_rating = serializers.SerializerMethodField(help_text="Its label in the verdict's language.")

    def get_previous_rating(self, correction: Correction) -> str:
        return correction.previous_rating.label_in(correction.verdict.language)

    def get_new_rating(self, correction: Correction) -> str | None:
        rating = correction.new_rating
        return rating.label_in(correction.verdict.language) if rating else None

    class Meta:
        model = Correction
        fields = ["note", "changed", "previous_rating", "new_rating", "previous_headline", "new_headline",
                  "created_at"]


class ArticleRefSerializer(ApiModelSerializer):
    class Meta:
        model = Article
        fields = ["title", "outlet", "url", "published_at", "language"]


class VerdictTranslationSerializer(serializers.Serializer):
    """A published translation of the verdict, its rating named in its language."""

    language = serializers.CharField()
    headline = serializers.CharField()
    summary = serializers.CharField()
    rationale = serializers.CharField()
    rating_label = serializers.SerializerMethodField(help_text="The rating's label in this language.")
    published_at = RFC3339DateTimeField()

    def get_rating_label(self, translation) -> str:  # noqa: ANN001
        return translation.verdict.rating.label_in(translation.language)


class VerdictSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="The language the verdict is written in.")
    rating = VerdictRatingSerializer(source="*")
    headline = serializers.CharField()
    summary = serializers.CharField()
    rationale = serializers.CharField()
    published_at = RFC3339DateTimeField()
    updated_at = RFC3339DateTimeField()
    corrections = CorrectionSerializer(many=True)
    translations = VerdictTranslationSerializer(many=True)


class FactCheckSerializer(ApiModelSerializer):
    """A published fact-check: the claim, where it appeared, the verdict and its evidence."""

    url = serializers.SerializerMethodField()
    claimed_on = serializers.SerializerMethodField(
        help_text="The day the claim was made: as the newsroom's editors give it, else the day its "
                  "article was published (in the newsroom's time zone); null when unknown.")
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    entities = serializers.SerializerMethodField()
    article = ArticleRefSerializer()
    verdict = VerdictSerializer()
    sources = SourceSerializer(many=True)

    class Meta:
        model = Claim
        fields = ["id", "url", "text", "speaker", "speaker_role", "speaker_kind", "attribution", "hedge", "language",
                  "claim_type", "claimed_on", "topics", "entities", "article", "verdict", "sources"]

    def get_url(self, claim: Claim) -> str:
        return settings.SITE_URL + claim.get_absolute_url()

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_claimed_on(self, claim: Claim) -> str | None:
        made_on = claim.made_on
        return made_on.isoformat() if made_on else None

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
        made_on = row["claimed_on"] or (timezone.localtime(published).date() if published else None)
        language = row["verdict__language"]
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
            "claimed_on": made_on.isoformat() if made_on else None,
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
                "language": language,
                "rating": {
                    "label": row[f"verdict__rating__label_{language}"], "language": language,
                    "value": row["verdict__rating__value"], "best": row["verdict__rating__best"],
                    "worst": row["verdict__rating__worst"], "colour": row["verdict__rating__colour"],
                },
                "headline": row["verdict__headline"],
                "summary": row["verdict__summary"],
                "rationale": row["verdict__rationale"],
                "published_at": when(row["published_at"]),
                "updated_at": when(row["verdict__updated_at"]),
                "corrections": [
                    {"note": c["note"], "changed": c["changed"],
                     "previous_rating": c[f"previous_rating__label_{language}"],
                     "new_rating": c[f"new_rating__label_{language}"], "previous_headline": c["previous_headline"],
                     "new_headline": c["new_headline"], "created_at": when(c["created_at"])}
                    for c in row["corrections"]
                ],
                "translations": [
                    {"language": t["language"], "headline": t["headline"], "summary": t["summary"],
                     "rationale": t["rationale"], "rating_label": row[f"verdict__rating__label_{t['language']}"],
                     "published_at": when(t["published_at"])}
                    for t in row["translations"]
                ],
            },
            "sources": row["sources"],
        }


class StringOnly:
    """DRF's text fields take a number or a boolean and turn it into a string; a partner
    that sends ``{"text": 123}`` has made a mistake it should hear about."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Must be a string."), code="invalid")
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
            raise serializers.ValidationError(_("The text has no visible characters."), code="blank")
        return text

    def validate(self, data: dict) -> dict:
        given = [name for name in ("text", "html", "url") if data.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send exactly one of text, html or url.")]}
            )
        limit = settings.FACTCHECK_ARTICLE_MAX_CHARS
        for name in ("text", "html"):
            if len(data.get(name) or "") > limit:
                raise serializers.ValidationError({name: [
                    _("Longer than the limit of %(limit)s characters.")
                    % {"limit": formats.number_format(limit, force_grouping=True)}]})
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


# Text a reader could see: at least one visible character, and no NUL (the schema says so).
VISIBLE_TEXT = rf"^[^\u0000]*[^\s{INVISIBLE_CHARS}][^\u0000]*$"


class MatchQuerySerializer(serializers.Serializer):
    """What ``POST /api/v1/matches/`` reads: a claim's text, in any of our languages."""

    text = serializers.CharField(
        max_length=2000, trim_whitespace=False, validators=[RegexValidator(VISIBLE_TEXT)],
        help_text="The claim to look for, in Indonesian or English (up to 2,000 characters).")
    limit = serializers.IntegerField(min_value=1, max_value=20, default=5, help_text="How many fact-checks (1-20).")

    def validate_text(self, value: str) -> str:
        if text_is_blank(value):
            raise serializers.ValidationError("The text is empty.")
        return value.strip()


class FactCheckMatchSerializer(serializers.Serializer):
    """A published fact-check found for a text, ours or another publisher's."""

    score = serializers.FloatField(help_text="0..1: 0.8 x the vectors' cosine + 0.2 x the words held in common.")
    source = serializers.ChoiceField(choices=["ours", "elsewhere"])
    url = serializers.URLField()
    claim_reviewed = serializers.CharField()
    publisher = serializers.CharField()
    rating = serializers.CharField(allow_blank=True)
    published_at = RFC3339DateTimeField(allow_null=True)
    language = serializers.CharField(allow_blank=True)
    claimreview = serializers.DictField(help_text="schema.org ClaimReview JSON-LD")
