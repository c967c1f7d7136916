"""Articles: their text with its claims marked, their jobs and who submitted them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import services
from ..choices import ClaimStatus, JobStatus
from ..display import score_display
from ..highlight import pieces
from ..models import Article, ArticleSubmission, Claim, ExtractionJob, text_shorten
from .base import ReadOnlyInline, ViewOnlyHistoryAdmin
from .filters import LanguageFilter


class ClaimInline(ReadOnlyInline, admin.TabularInline):
    model = Claim
    fields = ("claim_link", "score_shown", "claim_type", "speaker", "hedge", "status")
    ordering = ("start",)

    @admin.display(description=_("score"))
    def score_shown(self, claim: Claim) -> str:
        return score_display(claim.score)

    @admin.display(description=_("claim"))
    def claim_link(self, claim: Claim) -> str:
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        return format_html('<a href="{}">{}</a>', url, text_shorten(claim.text, 160))


class JobInline(ReadOnlyInline, admin.TabularInline):
    model = ExtractionJob
    fields = ("status", "attempts", "claims_found", "extractor_version", "created_at",
              "finished_at", "duration_ms", "error")


class SubmissionInline(ReadOnlyInline, admin.TabularInline):
    """The partners that submitted the article through the API, each as it described it."""

    model = ArticleSubmission
    fields = ("partner", "submitted_at", "title", "outlet", "author", "published_at", "url")
    verbose_name = _("partner submission")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("partner")


@admin.register(Article)
class ArticleAdmin(ViewOnlyHistoryAdmin):
    list_display = ("title_or_start", "outlet", "language", "claim_count", "job_status", "created_at")
    list_filter = (LanguageFilter, "outlet")
    search_fields = ("title", "outlet", "url")
    readonly_fields = ("body", "content_hash", "created_at", "submitted_by", "source_name")
    fields = ("title", "outlet", "author", "url", "published_at", "language",
              "source_name", "submitted_by", "content_hash", "created_at")
    inlines = (SubmissionInline, JobInline, ClaimInline)
    actions = ("reextract",)
    change_form_template = "admin/claims/article/change_form.html"

    def get_queryset(self, request: HttpRequest):
        latest = ExtractionJob.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-id")
        return super().get_queryset(request).annotate(
            n_claims=Count("claims", distinct=True),
            latest_job_status=Subquery(latest.values("status")[:1]),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Articles come in through import and the API, which queue extraction.
        return False

    # Where a claim appeared, as a published ClaimReview tells it (itemReviewed.appearance).
    APPEARANCE_FIELDS = ("title", "outlet", "author", "url", "published_at", "language")

    def get_readonly_fields(self, request: HttpRequest, obj=None):  # noqa: ANN001
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.claims.filter(status=ClaimStatus.PUBLISHED).exists():
            fields = (*fields, *(f for f in self.APPEARANCE_FIELDS if f not in fields))
        return fields

    @admin.display(description=_("article"), ordering="title")
    def title_or_start(self, article: Article) -> str:
        return Truncator(str(article)).chars(100)

    @admin.display(description=_("claims"), ordering="n_claims")
    def claim_count(self, article: Article) -> int:
        return article.n_claims

    @admin.display(description=_("extraction"))
    def job_status(self, article: Article) -> str:
        return JobStatus(article.latest_job_status).label if article.latest_job_status else "-"

    @admin.action(description=_("Extract claims again with the current extractor"), permissions=["work"])
    def reextract(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        for article in queryset:
            services.article_reextract(article=article, user=request.user)
        self.message_user(request, _("Queued %(n)d article(s) for extraction.") % {"n": queryset.count()})

    def has_work_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.WORK_PERMISSION)

    def get_urls(self):
        return [
            path("<int:pk>/reextract/", self.admin_site.admin_view(self.reextract_view),
                 name="claims_article_reextract"),
            *super().get_urls(),
        ]

    def reextract_view(self, request: HttpRequest, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=pk)
        try:
            services.article_reextract(article=article, user=request.user)
            self.message_user(request, _("Extraction queued."), messages.SUCCESS)
        except PermissionDenied:
            self.message_user(request, _("You may not do this."), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_article_change", args=[pk]))

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):  # noqa: ANN001
        article = self.get_object(request, object_id)
        if article is not None:
            claims = list(article.claims.only("id", "start", "end", "score", "status"))
            extra_context = {
                **(extra_context or {}),
                "fc_pieces": pieces(article.body, [(c.start, c.end, c.pk, c.score) for c in claims]),
                "fc_can_reextract": request.user.has_perm(services.WORK_PERMISSION),
            }
        return super().change_view(request, object_id, form_url, extra_context)
