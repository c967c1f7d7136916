"""The editors' back office. Every workflow step calls a service; text is always escaped."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import selectors, services
from .choices import ClaimStatus, JobStatus
from .highlight import pieces, window
from .models import (
    ApiKey,
    Article,
    ArticleSubmission,
    Claim,
    Correction,
    ExtractionJob,
    Partner,
    Rating,
    Source,
    Topic,
    Verdict,
    WebhookDelivery,
)

# --- Claims: the review queue --------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    """Open claims by default: the queue is what still needs work."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [("open", _("Open (new, in review, drafted)")), *ClaimStatus.choices, ("all", _("All"))]

    def choices(self, changelist):  # noqa: ANN001
        value = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):  # noqa: ANN001
        value = self.value() or "open"
        if value == "open":
            return selectors.review_queue(queryset=queryset)
        if value == "all":
            return queryset
        return queryset.filter(status=value)


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [("mine", _("Mine")), ("unassigned", _("Unassigned"))]

    def queryset(self, request, queryset):  # noqa: ANN001
        if self.value() == "mine":
            return queryset.filter(assignee=request.user)
        if self.value() == "unassigned":
            return queryset.filter(assignee__isnull=True)
        return queryset


class OutletFilter(admin.SimpleListFilter):
    title = _("outlet")
    parameter_name = "outlet"

    def lookups(self, request, model_admin):  # noqa: ANN001
        outlets = Article.objects.exclude(outlet="").values_list("outlet", flat=True).distinct()
        return [(o, o) for o in outlets.order_by("outlet")[:50]]

    def queryset(self, request, queryset):  # noqa: ANN001
        return queryset.filter(article__outlet=self.value()) if self.value() else queryset


class HasSourcesFilter(admin.SimpleListFilter):
    title = _("has sources")
    parameter_name = "sourced"

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):  # noqa: ANN001
        has = Exists(Source.objects.filter(claim=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(has)
        if self.value() == "no":
            return queryset.filter(~has)
        return queryset


class ScoreBandFilter(admin.SimpleListFilter):
    title = _("check-worthiness")
    parameter_name = "score"
    BANDS = {"high": (0.7, 1.01), "medium": (0.5, 0.7), "low": (0.0, 0.5)}

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [("high", _("High (0.7 and above)")), ("medium", _("Medium (0.5-0.7)")),
                ("low", _("Low (below 0.5)"))]

    def queryset(self, request, queryset):  # noqa: ANN001
        if self.value() in self.BANDS:
            low, high = self.BANDS[self.value()]
            return queryset.filter(score__gte=low, score__lt=high)
        return queryset


class ClaimActionForm(ActionForm):
    reason = forms.ChoiceField(
        label=_("Reason (for dismiss)"), required=False,
        choices=[("", "---------"), *services.DISMISS_REASONS.items()],
    )


class SourceInline(admin.StackedInline):
    model = Source
    fields = ("url", "title", "publisher", "quote", "stance", "archived_url", "added_by", "checked_at")
    readonly_fields = ("added_by", "checked_at")
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        open_for_sources = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED)
        return (
            obj is not None and obj.status in open_for_sources
            and request.user.has_perm(services.WORK_PERMISSION)
            and super().has_add_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class ReadOnlyInline:
    """An inline that shows rows and changes none: every field read-only, no adding or
    deleting (the rows are written by services, never by hand)."""

    extra = 0
    can_delete = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.readonly_fields = tuple(cls.fields)

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class VerdictInline(ReadOnlyInline, admin.StackedInline):
    model = Verdict
    fields = ("rating", "headline", "summary", "rationale", "reviewer", "published_at")


class VerdictForm(forms.Form):
    rating = forms.ModelChoiceField(queryset=Rating.objects.all(), label=_("Rating"))
    headline = forms.CharField(max_length=300, label=_("Headline"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Summary"))
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                label=_("Rationale"))


class CorrectionForm(forms.Form):
    rating = forms.ModelChoiceField(queryset=Rating.objects.all(), label=_("New rating"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("New summary"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Public correction note"))


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ("claim_text", "speaker_with_role", "score_with_reasons", "topic_list", "article_link",
                    "age", "status", "assignee")
    list_filter = (StatusFilter, "topics", "language", "claim_type", AssigneeFilter, OutletFilter,
                   HasSourcesFilter, ScoreBandFilter)
    list_select_related = ("article", "assignee")
    search_fields = ("text", "speaker", "speaker_role", "entity_names", "article__title")
    ordering = ("-score", "created_at", "id")
    list_per_page = 50
    action_form = ClaimActionForm
    actions = ("assign_to_me", "dismiss", "mark_duplicate")
    readonly_fields = ("article", "text", "status", "assignee", "dismiss_reason", "duplicate_of",
                       "score", "reasons", "claim_type", "speaker", "speaker_role", "speaker_kind",
                       "attribution", "hedge", "entities", "language", "start", "end", "extractor_version",
                       "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("text", "article", "status", "assignee", "dismiss_reason", "duplicate_of",
                           "topics")}),
        (_("Extraction"), {"classes": ("collapse",), "fields": (
            "score", "reasons", "claim_type", "speaker", "speaker_role", "speaker_kind", "attribution",
            "hedge", "entities", "language", "start", "end", "extractor_version", "created_at", "updated_at")}),
    )
    inlines = (SourceInline, VerdictInline)
    change_form_template = "admin/claims/claim/change_form.html"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("id", "name"))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    @admin.display(description=_("claim"), ordering="text")
    def claim_text(self, claim: Claim) -> str:
        hedge = format_html(' <em class="fc-hedge">({})</em>', claim.hedge) if claim.hedge else ""
        return format_html("{}{}", Truncator(claim.text).chars(180), hedge)

    @admin.display(description=_("Speaker"), ordering="speaker")
    def speaker_with_role(self, claim: Claim) -> str:
        # "a Home Office minister has said": the role is all the article gives.
        if claim.speaker and claim.speaker_role:
            return format_html('{} <span class="fc-role">({})</span>', claim.speaker, claim.speaker_role)
        return claim.speaker or claim.speaker_role or "—"

    @admin.display(description=_("score"), ordering="score")
    def score_with_reasons(self, claim: Claim) -> str:
        return format_html('<span class="fc-score" title="{}">{}</span>',
                           "; ".join(map(str, claim.reasons or [])), f"{claim.score:.2f}")

    @admin.display(description=_("topics"))
    def topic_list(self, claim: Claim) -> str:
        return ", ".join(t.name for t in claim.topics.all())

    @admin.display(description=_("article"), ordering="article__title")
    def article_link(self, claim: Claim) -> str:
        url = reverse("admin:claims_article_change", args=[claim.article_id])
        outlet = f" ({claim.article.outlet})" if claim.article.outlet else ""
        return format_html('<a href="{}">{}</a>{}', url, Truncator(str(claim.article)).chars(60), outlet)

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, claim: Claim) -> str:
        return timesince(claim.created_at, timezone.now(), depth=1)

    # Bulk actions ---------------------------------------------------------------------

    def _each(self, request: HttpRequest, queryset, step, done_message: str) -> None:  # noqa: ANN001
        done, refused = 0, []
        for claim in queryset:
            try:
                step(claim)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"#{claim.pk}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        for line in refused[:10]:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Assign to me"), permissions=["work"])
    def assign_to_me(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(request, queryset, lambda c: services.claim_assign(claim=c, user=request.user),
                   _("Assigned %(n)d claim(s) to you."))

    @admin.action(description=_("Dismiss (choose a reason)"), permissions=["work"])
    def dismiss(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        reason = request.POST.get("reason", "")
        if not reason:
            self.message_user(request, _("Choose a reason to dismiss."), messages.ERROR)
            return
        self._each(request, queryset,
                   lambda c: services.claim_dismiss(claim=c, user=request.user, reason=reason),
                   _("Dismissed %(n)d claim(s)."))

    @admin.action(description=_("Mark as duplicates of the oldest selected claim"), permissions=["work"])
    def mark_duplicate(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        claims = list(queryset.order_by("created_at", "id"))
        if len(claims) < 2:
            self.message_user(request, _("Select the original and its duplicates."), messages.ERROR)
            return
        original = claims[0]
        self._each(request, claims[1:],
                   lambda c: services.claim_mark_duplicate(claim=c, user=request.user, original=original),
                   _("Marked %(n)d claim(s) as duplicates."))

    def has_work_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.WORK_PERMISSION)

    # A claim's page -----------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj, form, change) -> None:  # noqa: ANN001
        # Adding a source from the claim's page must not record an empty claim change.
        if not change or form.has_changed():
            super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form, formset, change) -> None:  # noqa: ANN001
        if formset.model is not Source:
            return super().save_formset(request, form, formset, change)
        for source in formset.save(commit=False):
            if source.pk:
                source.save()
                continue
            try:
                services.source_add(
                    claim=form.instance, user=request.user, url=source.url, title=source.title,
                    publisher=source.publisher, quote=source.quote, stance=source.stance,
                    archived_url=source.archived_url,
                )
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, "; ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
        return None

    def get_urls(self):
        step = self.admin_site.admin_view
        return [
            path("<int:pk>/workflow/<str:step>/", step(self.workflow_view), name="claims_claim_workflow"),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):  # noqa: ANN001
        claim = self.get_object(request, object_id)
        if claim is not None:
            extra_context = {**(extra_context or {}), **self._claim_context(request, claim)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _claim_context(self, request: HttpRequest, claim: Claim) -> dict:
        article = claim.article
        left, right = window(article.body, claim.start, claim.end)
        siblings = list(article.claims.exclude(pk=claim.pk).order_by("start")
                        .only("id", "text", "start", "end", "score", "status"))
        spans = [(c.start, c.end, c.pk, c.score) for c in siblings if left <= c.start and c.end <= right]
        spans.append((claim.start, claim.end, claim.pk, claim.score))
        shifted = [(s - left, e - left, pk, sc) for s, e, pk, sc in spans]
        verdict = Verdict.objects.filter(claim=claim).select_related("rating").first()
        user = request.user
        can_work = user.has_perm(services.WORK_PERMISSION)
        can_publish = user.has_perm(services.PUBLISH_PERMISSION)
        status = claim.status
        steps = {
            "assign": can_work and status in services.UNDECIDED_STATUSES and claim.assignee_id != user.pk,
            "dismiss": can_work and status in services.UNDECIDED_STATUSES,
            "duplicate": can_work and status in services.UNDECIDED_STATUSES,
            "draft": can_work and status in (ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED),
            "publish": can_publish and status == ClaimStatus.VERDICT_DRAFTED,
            "correct": can_publish and status == ClaimStatus.PUBLISHED,
        }
        initial = ({"rating": verdict.rating_id, "headline": verdict.headline, "summary": verdict.summary,
                    "rationale": verdict.rationale} if verdict else {})
        return {
            "fc_claim": claim,
            "fc_pieces": pieces(article.body[left:right], shifted, current=claim.pk),
            "fc_cut_before": left > 0,
            "fc_cut_after": right < len(article.body),
            "fc_siblings": siblings,
            "fc_verdict": verdict,
            "fc_corrections": list(Correction.objects.filter(verdict__claim=claim)
                                   .select_related("previous_rating", "corrected_by")),
            "fc_history": list(claim.history.select_related("history_user").order_by("-history_date")[:30]),
            "fc_steps": steps,
            "fc_verdict_form": VerdictForm(initial=initial) if steps["draft"] else None,
            "fc_correction_form": CorrectionForm(initial=initial) if steps["correct"] else None,
            "fc_reasons": services.DISMISS_REASONS,
        }

    def workflow_view(self, request: HttpRequest, pk: int, step: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = get_object_or_404(Claim, pk=pk)
        user = request.user
        done = {
            "assign": _("Claim assigned."), "dismiss": _("Claim dismissed."),
            "duplicate": _("Claim marked as a duplicate."), "draft": _("Verdict drafted."),
            "publish": _("Verdict published."), "correct": _("Correction published."),
        }
        try:
            if step == "assign":
                services.claim_assign(claim=claim, user=user)
            elif step == "dismiss":
                services.claim_dismiss(claim=claim, user=user, reason=request.POST.get("reason", ""))
            elif step == "duplicate":
                original = Claim.objects.filter(pk=request.POST.get("original") or 0).first()
                if original is None:
                    raise ValidationError(_("Give the number of the original claim."))
                services.claim_mark_duplicate(claim=claim, user=user, original=original)
            elif step in ("draft", "correct"):
                form = (VerdictForm if step == "draft" else CorrectionForm)(request.POST)
                if not form.is_valid():
                    raise ValidationError([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
                if step == "draft":
                    services.verdict_draft(claim=claim, user=user, **form.cleaned_data)
                else:
                    services.verdict_correct(claim=claim, user=user, **form.cleaned_data)
            elif step == "publish":
                services.verdict_publish(claim=claim, user=user)
            else:
                raise ValidationError(_("Unknown step."))
            self.message_user(request, done.get(step, ""), messages.SUCCESS)
        except PermissionDenied:
            self.message_user(request, _("You may not do this."), messages.ERROR)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))


# --- Articles --------------------------------------------------------------------------


class ClaimInline(ReadOnlyInline, admin.TabularInline):
    model = Claim
    fields = ("claim_link", "score", "claim_type", "speaker", "hedge", "status")
    ordering = ("start",)

    @admin.display(description=_("claim"))
    def claim_link(self, claim: Claim) -> str:
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        return format_html('<a href="{}">{}</a>', url, Truncator(claim.text).chars(160))


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
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ("title_or_start", "outlet", "language", "claim_count", "job_status", "created_at")
    list_filter = ("language", "outlet")
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


# --- Jobs, topics, ratings --------------------------------------------------------------


class StuckFilter(admin.SimpleListFilter):
    title = _("stuck")
    parameter_name = "stuck"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Stuck: not taken by a worker in time"))]

    def queryset(self, request: HttpRequest, queryset):  # noqa: ANN001, ANN201
        if self.value() == "yes":
            return queryset.filter(selectors.jobs_stuck(now=timezone.now()))
        return queryset


@admin.register(ExtractionJob)
class ExtractionJobAdmin(admin.ModelAdmin):
    list_display = ("id", "article", "status", "stuck", "attempts", "claims_found", "extractor_version",
                    "created_at", "duration_ms", "short_error")
    list_filter = ("status", StuckFilter, "extractor_version")
    list_select_related = ("article",)
    readonly_fields = ("article", "status", "attempts", "error", "extractor_version", "claims_found",
                       "created_at", "sent_at", "sends", "due_at", "started_at", "finished_at", "duration_ms")
    actions = ("retry",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("error"))
    def short_error(self, job: ExtractionJob) -> str:
        return Truncator(job.error).chars(80)

    @admin.display(description=_("stuck"), boolean=True)
    def stuck(self, job: ExtractionJob) -> bool | None:
        """Queued but not taken by a worker when it should have been (Redis was down or lost
        it; the sweep sends it again), or running past its lease (its worker died)."""
        return selectors.job_is_stuck(job) or None

    @admin.action(description=_("Retry the selected failed or stuck jobs"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        try:
            retried = sum(services.job_retry(job=job, user=request.user) for job in queryset)
        except PermissionDenied:
            self.message_user(request, _("You may not do this."), messages.ERROR)
            return
        skipped = queryset.count() - retried
        self.message_user(request, _("Queued %(n)d job(s) again.") % {"n": retried})
        if skipped:
            self.message_user(
                request,
                _("%(n)d job(s) were not retried: only failed or stuck jobs can be.") % {"n": skipped},
                messages.WARNING,
            )
        unsent = sum(job.is_due for job in queryset.model.objects.filter(pk__in=queryset.values("pk")))
        if unsent:
            self.message_user(
                request,
                _("%(n)d job(s) could not be sent now: the workers' queue (Redis) cannot be reached. "
                  "They stay queued and are sent automatically once it can be.") % {"n": unsent},
                messages.WARNING,
            )


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_id", "slug", "keyword_summary")
    search_fields = ("name", "name_id", "slug")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=_("keywords"))
    def keyword_summary(self, topic: Topic) -> str:
        return format_html_join(
            " ", "<strong>{}</strong>: {}",
            ((lang, Truncator(", ".join(words)).chars(80)) for lang, words in (topic.keywords or {}).items()),
        )


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("label", "language", "value", "best", "worst", "colour_swatch")
    list_filter = ("language",)

    @admin.display(description=_("colour"))
    def colour_swatch(self, rating: Rating) -> str:
        return format_html('<span style="display:inline-block;width:1em;height:1em;background:{}"></span> {}',
                           rating.colour, rating.colour)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("verdict", "previous_rating", "note", "corrected_by", "created_at")
    list_select_related = ("verdict", "previous_rating", "corrected_by")
    readonly_fields = ("verdict", "previous_rating", "previous_headline", "previous_summary", "note",
                       "corrected_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False



# --- Partners -----------------------------------------------------------------------------


class ApiKeyInline(ReadOnlyInline, admin.TabularInline):
    model = ApiKey
    fields = ("prefix", "name", "scopes", "expires_at", "revoked_at", "last_used_at", "created_at")


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, label=_("Label"))
    scopes = forms.MultipleChoiceField(choices=[(s, s) for s in services.API_SCOPES],
                                       widget=forms.CheckboxSelectMultiple, label=_("Scopes"))
    expires_at = forms.DateTimeField(required=False, label=_("Expires at"))


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "rate_limit_per_minute", "webhook_url", "created_at")
    search_fields = ("name",)
    fields = ("name", "contact_email", "is_active", "rate_limit_per_minute", "webhook_url", "webhook_secret")
    inlines = (ApiKeyInline,)
    change_form_template = "admin/claims/partner/change_form.html"

    def get_urls(self):
        return [
            path("<int:pk>/keys/new/", self.admin_site.admin_view(self.key_create_view),
                 name="claims_partner_key_create"),
            *super().get_urls(),
        ]

    def key_create_view(self, request: HttpRequest, pk: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        partner = get_object_or_404(Partner, pk=pk)
        form = ApiKeyCreateForm(request.POST)
        if form.is_valid():
            api_key, key = services.api_key_create(partner=partner, **form.cleaned_data)
            self.message_user(
                request,
                format_html(_("New key {} — copy it now, it will not be shown again: <code>{}</code>"),
                            api_key.prefix, key),
                messages.WARNING,
            )
        else:
            self.message_user(request, _("Choose at least one scope."), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_partner_change", args=[pk]))

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):  # noqa: ANN001
        extra_context = {**(extra_context or {}), "fc_key_form": ApiKeyCreateForm()}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "partner", "name", "scopes", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("partner",)
    list_select_related = ("partner",)
    readonly_fields = ("partner", "prefix", "name", "scopes", "expires_at", "revoked_at", "last_used_at",
                       "created_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are made on the partner's page, so that the key is shown once

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        for api_key in queryset:
            services.api_key_revoke(api_key=api_key)
        self.message_user(request, _("Revoked %(n)d key(s).") % {"n": queryset.count()})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "partner", "event", "claim_id", "status", "attempts", "response_code",
                    "last_attempt_at", "short_error")
    list_filter = ("status", "event", "partner")
    list_select_related = ("partner",)
    readonly_fields = ("partner", "claim", "event", "url", "payload", "status", "attempts", "response_code",
                       "error", "created_at", "last_attempt_at", "sent_at", "sends", "due_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("error"))
    def short_error(self, delivery: WebhookDelivery) -> str:
        return Truncator(delivery.error).chars(80)
