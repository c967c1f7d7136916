"""The editors' back office. Actions call services; article text is always escaped."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .choices import JobStatus
from .models import Article, Claim, ExtractionJob, Rating, Source, Topic, Verdict


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ("claim_link", "score", "claim_type", "speaker", "hedge", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ("start",)

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    @admin.display(description=_("claim"))
    def claim_link(self, claim: Claim) -> str:
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        return format_html('<a href="{}">{}</a>', url, Truncator(claim.text).chars(160))


class JobInline(admin.TabularInline):
    model = ExtractionJob
    fields = ("status", "attempts", "claims_found", "extractor_version", "created_at",
              "finished_at", "duration_ms", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ("title_or_start", "outlet", "language", "claim_count", "job_status", "created_at")
    list_filter = ("language", "outlet")
    search_fields = ("title", "outlet", "url")
    readonly_fields = ("content_hash", "created_at", "submitted_by", "source_name")
    fields = ("title", "outlet", "author", "url", "published_at", "language", "body",
              "source_name", "submitted_by", "content_hash", "created_at")
    inlines = (JobInline, ClaimInline)
    actions = ("reextract",)

    def get_queryset(self, request: HttpRequest):
        latest_status = ExtractionJob.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-id")
        return super().get_queryset(request).annotate(
            n_claims=Count("claims", distinct=True),
            latest_job_status=Subquery(latest_status.values("status")[:1]),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None):
        # The body is what claim spans point into: editing it would break them.
        return (*self.readonly_fields, "body") if obj else self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Articles come in through import, the API and submission services, which queue
        # extraction; a bare admin form would skip that.
        return False

    @admin.display(description=_("article"), ordering="title")
    def title_or_start(self, article: Article) -> str:
        return Truncator(str(article)).chars(100)

    @admin.display(description=_("claims"), ordering="n_claims")
    def claim_count(self, article: Article) -> int:
        return article.n_claims

    @admin.display(description=_("extraction"))
    def job_status(self, article: Article) -> str:
        return JobStatus(article.latest_job_status).label if article.latest_job_status else "-"

    @admin.action(description=_("Extract claims again with the current extractor"))
    def reextract(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        for article in queryset:
            services.article_reextract(article=article, user=request.user)
        self.message_user(request, _("Queued %(n)d article(s) for extraction.") % {"n": queryset.count()})


class SourceInline(admin.StackedInline):
    model = Source
    fields = ("url", "title", "publisher", "quote", "stance", "archived_url", "checked_at",
              "added_by", "created_at")
    readonly_fields = ("added_by", "created_at")
    extra = 0


class VerdictInline(admin.StackedInline):
    model = Verdict
    fields = ("rating", "headline", "summary", "rationale", "reviewer", "published_at")
    readonly_fields = ("reviewer", "published_at")
    extra = 0
    max_num = 1


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ("short_text", "speaker", "score", "claim_type", "language", "status", "article_link")
    list_filter = ("status", "language", "claim_type", "topics")
    list_select_related = ("article",)
    search_fields = ("text", "speaker", "article__title")
    ordering = ("-score", "created_at", "id")
    readonly_fields = ("article", "text", "start", "end", "context", "speaker", "speaker_role",
                       "attribution", "hedge", "claim_type", "language", "score", "reasons",
                       "entities", "extractor_version", "created_at", "updated_at")
    fields = ("text", "article", "status", "assignee", "dismiss_reason", "duplicate_of", "topics",
              "score", "reasons", "claim_type", "speaker", "speaker_role", "attribution", "hedge",
              "entities", "context", "language", "start", "end", "extractor_version",
              "created_at", "updated_at")
    autocomplete_fields = ("duplicate_of",)
    inlines = (SourceInline, VerdictInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("claim"), ordering="text")
    def short_text(self, claim: Claim) -> str:
        return Truncator(claim.text).chars(140)

    @admin.display(description=_("article"), ordering="article__title")
    def article_link(self, claim: Claim) -> str:
        url = reverse("admin:claims_article_change", args=[claim.article_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(str(claim.article)).chars(60))

    def save_formset(self, request: HttpRequest, form, formset, change) -> None:  # noqa: ANN001
        for obj in formset.save(commit=False):
            if isinstance(obj, Source) and obj.added_by_id is None:
                obj.added_by = request.user
            if isinstance(obj, Verdict) and obj.reviewer_id is None:
                obj.reviewer = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(ExtractionJob)
class ExtractionJobAdmin(admin.ModelAdmin):
    list_display = ("id", "article", "status", "attempts", "claims_found", "extractor_version",
                    "created_at", "duration_ms", "short_error")
    list_filter = ("status", "extractor_version")
    list_select_related = ("article",)
    readonly_fields = ("article", "status", "attempts", "error", "extractor_version", "claims_found",
                       "created_at", "started_at", "finished_at", "duration_ms")
    actions = ("retry",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("error"))
    def short_error(self, job: ExtractionJob) -> str:
        return Truncator(job.error).chars(80)

    @admin.action(description=_("Retry the selected failed jobs"))
    def retry(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        retried = sum(services.job_retry(job=job, user=request.user) for job in queryset)
        skipped = queryset.count() - retried
        self.message_user(request, _("Queued %(n)d job(s) again.") % {"n": retried})
        if skipped:
            self.message_user(
                request,
                _("%(n)d job(s) were not retried: only failed or stuck jobs can be.") % {"n": skipped},
                messages.WARNING,
            )


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_id", "slug")
    search_fields = ("name", "name_id", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("label", "language", "value", "best", "worst", "colour")
    list_filter = ("language",)
