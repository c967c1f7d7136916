"""Articles: their text with its claims marked, their jobs and who submitted them."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
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
from .filters import LanguageFilter, WatchedSourceFilter


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


class ArticleAddForm(forms.Form):
    """An article from the desk: pasted text (or HTML), or the address of its page."""

    text = forms.CharField(
        label=_("Article text"), required=False, strip=True,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        help_text=_("Paste the article: its title on the first line, then the text (a page's HTML works too)."),
    )
    url = forms.CharField(
        label=_("Or the article's address (URL)"), required=False, max_length=2000,
        widget=forms.URLInput(attrs={"size": 80, "placeholder": "https://"}),
        help_text=_("The page is fetched by the desk, as for articles partners send."),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=500,
                            help_text=_("Leave empty to take the first line of the text, or the page's title."))
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=200)
    language = forms.ChoiceField(label=_("Language"), required=False)
    published_on = forms.DateField(
        label=_("Publication date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # what a date input reads
        help_text=_("Leave empty when the article does not say; a page's own date is used if it gives one."),
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Detect from the text")), *settings.LANGUAGES]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        limit = settings.FACTCHECK_ARTICLE_MAX_CHARS
        if len(text) > limit:
            raise ValidationError(
                _("The text is too long (%(n)s characters; the limit is %(limit)s).")
                % {"n": f"{len(text):,}", "limit": f"{limit:,}"})
        return text

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and bool(data.get("text")) == bool(data.get("url")):
            raise ValidationError(_("Paste the article's text or give its address (one of the two)."))
        return data

    def submission(self) -> dict:
        """The form's values as claims.services.desk_article_submit takes them."""
        data = self.cleaned_data
        day = data.get("published_on")
        return {"text": data["text"], "url": data["url"], "title": data["title"], "outlet": data["outlet"],
                "language": data["language"] or None,
                "published_at": datetime.combine(day, time(0)) if day else None}


# A service's error keys that are not the form's field names.
_FORM_FIELD = {"body": "text", "html": "text", "url": "url", "title": "title", "outlet": "outlet"}


@admin.register(Article)
class ArticleAdmin(ViewOnlyHistoryAdmin):
    list_display = ("title_or_start", "outlet", "language", "claim_count", "job_status", "created_at")
    list_filter = (LanguageFilter, "outlet", WatchedSourceFilter)
    search_fields = ("title", "outlet", "url")
    readonly_fields = ("body", "content_hash", "created_at", "submitted_by", "source_name", "watched_source_link")
    fields = ("title", "outlet", "author", "url", "published_at", "language",
              "source_name", "watched_source_link", "submitted_by", "content_hash", "created_at")
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
        # Editors and publishers add articles from the desk (add_view): always through the
        # submission service, which queues extraction; the admin's own model form never saves one.
        return request.user.has_perm(services.WORK_PERMISSION)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):  # noqa: ANN001
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleAddForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                submission = services.desk_article_submit(user=request.user, **form.submission())
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.error_dict.items():
                        form.add_error(_FORM_FIELD.get(key), [e for error in errors for e in error.messages])
                else:
                    form.add_error(None, exc.messages)
            else:
                if not submission.created:
                    self.message_user(request, _("This article was already here; here is its extraction."),
                                      messages.WARNING)
                return HttpResponseRedirect(reverse("admin:claims_article_job", args=[submission.article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": _("Add an article"), "form": form,
            "fc_non_field_errors": form.errors.get(NON_FIELD_ERRORS, []),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/claims/article/add_form.html", context)

    def job_view(self, request: HttpRequest, pk: int):
        """An article's latest extraction, as it goes: queued, running, done or failed."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        article = get_object_or_404(Article.objects.only("id", "title", "body", "url", "outlet"), pk=pk)
        job = article.jobs.order_by("-created_at", "-id").first()
        waiting = job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": _("Extraction of an article"),
            "fc_article": article, "fc_job": job, "fc_waiting": waiting,
            "fc_claims": article.claims.count(),
            "fc_queue_url": reverse("admin:claims_claim_changelist") + f"?article={article.pk}&status=all&folded=all",
        }
        return TemplateResponse(request, "admin/claims/article/job.html", context)

    # Where a claim appeared, as a published ClaimReview tells it (itemReviewed.appearance).
    APPEARANCE_FIELDS = ("title", "outlet", "author", "url", "published_at", "language")

    def get_readonly_fields(self, request: HttpRequest, obj=None):  # noqa: ANN001
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.claims.filter(status=ClaimStatus.PUBLISHED).exists():
            fields = (*fields, *(f for f in self.APPEARANCE_FIELDS if f not in fields))
        return fields

    @admin.display(description=_("watched source"))
    def watched_source_link(self, article: Article) -> str:
        source = article.watched_source
        if source is None:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:claims_watchedsource_change", args=[source.pk]), source)

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
            path("<int:pk>/job/", self.admin_site.admin_view(self.job_view), name="claims_article_job"),
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
