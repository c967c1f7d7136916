"""The partner API. Views are thin: reads through selectors, writes through services."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .. import claimreview, matching, selectors, services
from ..filtersets import PublishedClaimApiFilter
from ..models import Article, Claim, ExtractionJob, FactCheck, Topic
from ..public_cache import public_cache_key
from .errors import QueueUnavailable
from .permissions import CanRead, CanSubmit
from .serializers import (
    VISIBLE_TEXT,
    ArticleSubmitSerializer,
    FactCheckMatchSerializer,
    FactCheckSerializer,
    JobSerializer,
    MatchQuerySerializer,
    PartnerArticleSerializer,
    TopicSerializer,
)


class BoundedCursorPagination(CursorPagination):
    """Pages of 20, up to 100 on request; a page size that is not a number is an error."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:  # noqa: ANN001
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:  # "²".isdigit() is True
            raise ValidationError({self.page_size_query_param: ["A whole number of at least 1."]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view) -> list[dict]:  # noqa: ANN001
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1)
                parameter["description"] = f"Results per page, 1 to {self.max_page_size} (default {self.page_size})."
        return parameters


class NewestFirst(BoundedCursorPagination):
    ordering = ("-published_at", "-id")


class FiltersWhenAsked(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the filters: the
    filter form it builds and validates on every request would then filter nothing, and
    cost as much as the rest of a page's Python."""

    def filter_queryset(self, request, queryset, view):  # noqa: ANN001, ANN201
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class PublishedCacheMixin:
    """Published fact-checks read the same for every key: serve them from the cache that
    every publication or correction expires (authentication and throttling still run)."""

    def finalize_response(self, request, response, *args, **kwargs):  # noqa: ANN001
        if getattr(request, "_fc_cache_key", None) and response.status_code == 200 and not response.exception:
            cache.set(request._fc_cache_key, response.data, settings.FACTCHECK_PUBLIC_CACHE_SECONDS)
        return super().finalize_response(request, response, *args, **kwargs)

    def cached(self, request, build):  # noqa: ANN001, ANN201
        if settings.FACTCHECK_PUBLIC_CACHE_SECONDS <= 0:
            return build()
        key = public_cache_key(request, "api")
        data = cache.get(key)
        if data is not None:
            return Response(data)
        request._fc_cache_key = key
        return build()


class ClaimViewSet(PublishedCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Published fact-checks only."""

    queryset = selectors.published_fact_check_rows()
    serializer_class = FactCheckSerializer
    filterset_class = PublishedClaimApiFilter
    filter_backends = (FiltersWhenAsked, OrderingFilter)
    ordering_fields = ("published_at", "id")
    pagination_class = NewestFirst
    permission_classes = (CanRead,)
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        # ClaimReview is built from model instances (shared with the public pages); the
        # list and the detail from plain rows (see FactCheckSerializer.to_representation).
        if self.action == "claimreview":
            return selectors.published_claims().annotate(published_at=F("verdict__published_at"))
        return super().get_queryset()

    @extend_schema(parameters=[OpenApiParameter(
        "similar_to", {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": VISIBLE_TEXT},
        description="A claim's text in any of our languages: the fact-checks most like "
        "it, closest first (each with its `similarity`), instead of the newest; at most 20, no further pages.",
    )])
    def list(self, request, *args, **kwargs):  # noqa: ANN001
        if "similar_to" in request.query_params:
            return self.cached(request, lambda: self._similar(request.query_params["similar_to"].strip()))

        def build() -> Response:
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            rows = selectors.fact_check_rows_complete(page)
            return self.get_paginated_response(self.get_serializer(rows, many=True).data)

        return self.cached(request, build)

    def retrieve(self, request, *args, **kwargs):  # noqa: ANN001
        def build() -> Response:
            (row,) = selectors.fact_check_rows_complete([self.get_object()])
            return Response(self.get_serializer(row).data)

        return self.cached(request, build)

    def _similar(self, text: str) -> Response:
        if not SIMILAR_TO.match(text) or len(text) > 2000:
            raise ValidationError({"similar_to": ["Give a claim's text of 1 to 2,000 characters."]})
        found = matching.factchecks_closest(text, limit=SIMILAR_LIMIT, source="ours")
        ids = [m.claim.pk for m in found]
        rows = {row["id"]: row for row in selectors.fact_check_rows_complete(
            list(self.filter_queryset(self.get_queryset()).filter(pk__in=ids)))}
        results = []
        for match in found:
            if match.claim.pk in rows:
                results.append({**self.get_serializer(rows[match.claim.pk]).data, "similarity": match.score})
        return Response({"next": None, "previous": None, "results": results})

    @extend_schema(
        responses={200: OpenApiResponse(description="schema.org ClaimReview JSON-LD")},
        parameters=[OpenApiParameter(
            "lang", str, enum=[code for code, _name in settings.LANGUAGES],
            description="The ClaimReview of the fact-check's published translation into this language; "
                        "the language it was written in when it has none.")],
    )
    @action(detail=True, url_path="claimreview")
    def claimreview(self, request, pk=None):  # noqa: ANN001
        language = request.query_params.get("lang")
        return self.cached(request, lambda: Response(claimreview.claim_review(self.get_object(), language=language)))


class MatchViewSet(viewsets.GenericViewSet):
    """Already checked? The published fact-checks (ours and other publishers') closest to a text."""

    permission_classes = (CanRead,)
    serializer_class = MatchQuerySerializer
    queryset = FactCheck.objects.none()  # for the schema only: answers come from claims.matching

    @extend_schema(
        request=MatchQuerySerializer,
        responses={200: FactCheckMatchSerializer(many=True)},
        description="Send a claim's text (Indonesian or English; a paraphrase or the other language "
        "is found too). Answers the closest published fact-checks, best first, each with its score "
        "and ClaimReview: ours (`source: ours`) and those imported from other fact-checkers "
        "(`source: elsewhere`). No threshold: judge by `score`.",
    )
    def create(self, request, *args, **kwargs):  # noqa: ANN001
        query = MatchQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        found = matching.factchecks_closest(query.validated_data["text"], limit=query.validated_data["limit"])
        return Response(FactCheckMatchSerializer([match_shown(m) for m in found], many=True).data)


def match_shown(match: matching.FactCheckMatch) -> dict:
    if match.claim is not None:
        claim, verdict = match.claim, match.claim.verdict
        review = claimreview.claim_review(claim)
        return {"score": match.score, "source": "ours", "url": review["url"], "claim_reviewed": claim.text,
                "publisher": settings.FACTCHECK_NEWSROOM_NAME, "rating": review["reviewRating"]["alternateName"],
                "published_at": verdict.published_at, "language": review.get("inLanguage", ""),
                "claimreview": review}
    factcheck = match.factcheck
    return {"score": match.score, "source": "elsewhere", "url": factcheck.url,
            "claim_reviewed": factcheck.claim_reviewed, "publisher": factcheck.publisher,
            "rating": factcheck.rating_text, "published_at": factcheck.reviewed_at, "language": factcheck.language,
            "claimreview": claimreview.factcheck_claim_review(factcheck)}


SIMILAR_LIMIT = 20
SIMILAR_TO = re.compile(VISIBLE_TEXT)


class TopicViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Topic.objects.order_by("name")
    serializer_class = TopicSerializer
    permission_classes = (CanRead,)
    pagination_class = None


class OwnArticles(BoundedCursorPagination):
    ordering = ("-submitted_at", "-id")  # when this partner submitted them, newest first


# What the url field takes, as the serializer's URL validator and the outbound policy read
# it: a host name (no address literal, which the policy refuses unless public), a standard
# web port. Whether the host exists and is public can only be known by asking DNS.
URL_PATTERN = (
    r"^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?"
    r"(?::(?:80|443|8080|8443))?(?:[/?#]\S*)?$"
)

# DRF refuses a NUL character in any text field; the text must have a character a reader
# can see (not only spaces or zero-width characters).
NO_NUL = r"^[^\u0000]*$"

ARTICLE_SUBMIT_SCHEMA = {
    "type": "object",
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": settings.FACTCHECK_ARTICLE_MAX_CHARS,
                 "pattern": VISIBLE_TEXT, "description": "Plain text of the article."},
        "html": {"type": "string", "minLength": 1, "maxLength": settings.FACTCHECK_ARTICLE_MAX_CHARS,
                 "pattern": VISIBLE_TEXT,
                 "description": "The article page's HTML. A page in which no article text can be "
                 "found is refused with a 400 on this field."},
        "url": {"type": "string", "format": "uri", "maxLength": 2000, "pattern": URL_PATTERN,
                "description": "A public http(s) address for us to fetch, on a standard web port. "
                "An address whose host cannot be found or is not public is refused with a 400 "
                "on this field, naming the reason."},
        "title": {"type": "string", "maxLength": 500, "pattern": NO_NUL},
        "outlet": {"type": "string", "maxLength": 200, "pattern": NO_NUL},
        "author": {"type": "string", "maxLength": 200, "pattern": NO_NUL},
        "published_at": {"type": "string", "format": "date-time", "nullable": True},
        "language": {"type": "string", "enum": ["id", "en"], "nullable": True,
                     "description": "Detected when not given."},
    },
    "oneOf": [{"required": ["text"]}, {"required": ["html"]}, {"required": ["url"]}],
}


# What each partner said about the article it submitted; the API shows a partner its own.
SUBMITTED_FIELDS = ("title", "outlet", "published_at", "url")


class ArticleViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """Articles a partner submitted, with each claim's review status.

    Several partners may have submitted the same article: each sees it, described as it
    described it itself (title, outlet, date, address, when), with the shared claims and jobs.
    """

    permission_classes = (CanSubmit,)
    pagination_class = OwnArticles
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no partner
            return Article.objects.none()
        # One join, one row per article: a partner submits an article at most once (a
        # unique constraint). The annotations read that same joined submission.
        articles = Article.objects.filter(submissions__partner=self.request.user.partner).annotate(
            submitted_at=F("submissions__submitted_at"),
            **{f"submitted_{name}": F(f"submissions__{name}") for name in SUBMITTED_FIELDS},
        )
        return articles.prefetch_related(
            Prefetch("claims", queryset=Claim.objects.order_by("start")),
            Prefetch("jobs", queryset=ExtractionJob.objects.order_by("-created_at", "-id")),
        )

    def get_serializer_class(self):
        return ArticleSubmitSerializer if self.action == "create" else PartnerArticleSerializer

    @extend_schema(
        request={"application/json": ARTICLE_SUBMIT_SCHEMA},
        responses={202: JobSerializer, 200: JobSerializer, 503: OpenApiResponse(
            description="The article is stored but could not be queued now (see `Retry-After`)."
        )},
        description="Submit exactly one of `text`, `html` or `url`. Answers 202 with the new "
        "extraction job, or 200 with the existing one when the article is already here. "
        "503 (with `Retry-After`) when the job cannot be queued now: the article is kept, its "
        "job is queued automatically later, and sending the article again then is safe.",
    )
    def create(self, request, *args, **kwargs):  # noqa: ANN001
        serializer = ArticleSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            submission = services.partner_article_submit(partner=request.user.partner, **serializer.validated_data)
        except services.SubmitBudgetExceeded as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from None
        job = submission.job
        if job is not None and job.is_due:  # it could not be handed to the workers' queue
            raise QueueUnavailable(wait=settings.FACTCHECK_SWEEP_SECONDS)
        body = JobSerializer(job, context={"request": request}).data
        headers = {"Location": reverse("api:job-detail", args=[job.pk], request=request)}
        code = status.HTTP_202_ACCEPTED if submission.created else status.HTTP_200_OK
        return Response(body, status=code, headers=headers)


class JobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Extraction jobs of the articles a partner submitted (shared when others submitted them too)."""

    serializer_class = JobSerializer
    permission_classes = (CanSubmit,)
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExtractionJob.objects.none()
        return ExtractionJob.objects.filter(article__submissions__partner=self.request.user.partner)
