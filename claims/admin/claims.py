"""Claims: the review queue, a claim's page and its workflow buttons (each step a service)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import matching, selectors, services
from ..choices import ClaimOrigin, ClaimStatus, LinkState
from ..display import attribution_display, dismiss_reason_display, reasons_display, score_display
from ..errors import WorkflowError
from ..highlight import pieces, window
from ..models import Article, Claim, Correction, MatchLink, Rating, Source, Tip, Topic, Verdict, text_shorten
from ..timeline import claim_timeline, value_shown
from ..workflow import STEPS, step_is_open, steps_open
from .base import ReadOnlyInline, ViewOnlyHistoryAdmin
from .filters import ArticleWatchedSourceFilter, LanguageFilter


def status_default(request: HttpRequest) -> str:
    """The status shown when none is chosen: open claims, or all of them for a search."""
    return "all" if request.GET.get(SEARCH_VAR, "").strip() else "open"


class StatusFilter(admin.SimpleListFilter):
    """Open claims by default: the queue is what still needs work. A search looks through
    every status unless a status is chosen: a published claim is found too."""

    title = _("status")
    parameter_name = "status"

    def __init__(self, request, params, model, model_admin) -> None:  # noqa: ANN001
        super().__init__(request, params, model, model_admin)
        self.default = status_default(request)

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [("open", _("Open (new, in review, drafted)")), *ClaimStatus.choices, ("all", _("All"))]

    def choices(self, changelist):  # noqa: ANN001
        value = self.value() or self.default
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):  # noqa: ANN001
        value = self.value() or self.default
        if value == "open":
            return selectors.review_queue(queryset=queryset)
        if value == "all":
            return queryset
        return queryset.filter(status=value)


class StoryFilter(admin.SimpleListFilter):
    """A claim repeated across articles (matched to each other) is one story: grouped, the
    queue shows each story once, by its best claim."""

    title = _("stories")
    parameter_name = "story"

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [("grouped", _("One line per story")), ("spreading", _("Only claims in several articles"))]

    def queryset(self, request, queryset):  # noqa: ANN001
        if self.value() == "grouped":
            return selectors.story_grouped(queryset)
        if self.value() == "spreading":
            return queryset.filter(cluster__isnull=False)
        return queryset


class FoldedFilter(admin.SimpleListFilter):
    """The open queue shows each article's best few claims above the cut (settings
    FACTCHECK_QUEUE_CUT and FACTCHECK_QUEUE_PER_ARTICLE); "All claims" unfolds them."""

    title = _("claims per article")
    parameter_name = "folded"

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [("all", _("All claims"))]

    def choices(self, changelist):  # noqa: ANN001
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("The best %(n)d per article (score %(cut)s and above)") % {
                "n": settings.FACTCHECK_QUEUE_PER_ARTICLE, "cut": score_display(settings.FACTCHECK_QUEUE_CUT, 1)},
        }
        yield {
            "selected": self.value() == "all",
            "query_string": changelist.get_query_string({self.parameter_name: "all"}),
            "display": _("All claims"),
        }

    # Asking for something specific shows all of it: a search, one's own claims, a score band.
    UNFOLDED_BY = ("q", "assignee", "score")

    def queryset(self, request, queryset):  # noqa: ANN001
        if self.value() == "all" or (request.GET.get(StatusFilter.parameter_name) or "open") != "open":
            return queryset
        if any(request.GET.get(name) for name in self.UNFOLDED_BY):
            return queryset
        if request.method == "POST" and request.POST.get("select_across", "0") == "0":
            # An action on ticked rows: they were on the page; folding must not drop any
            # whose article's ranking changed since. ("All N" keeps to what was shown.)
            return queryset
        return selectors.review_queue_folded(
            queryset=queryset, cut=settings.FACTCHECK_QUEUE_CUT, per_article=settings.FACTCHECK_QUEUE_PER_ARTICLE)


class ArticleFilter(admin.SimpleListFilter):
    """One article's claims: where "N more from this article" leads (in the sidebar only then)."""

    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):  # noqa: ANN001
        value = self.value()
        article = Article.objects.filter(pk=int(value)).only("title").first() if (value or "").isdigit() else None
        return [(value, Truncator(article.title).chars(60))] if article else []

    def has_output(self) -> bool:
        return self.value() is not None  # applied (even to an unknown article) whenever asked for

    def queryset(self, request, queryset):  # noqa: ANN001
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(article_id=int(value)) if value.isdigit() else queryset.none()


class OriginFilter(admin.SimpleListFilter):
    """Readers' tips apart from the claims extracted from articles."""

    title = _("origin")
    parameter_name = "origin"

    def lookups(self, request, model_admin):  # noqa: ANN001
        return [(ClaimOrigin.TIP, _("Reader tips")), (ClaimOrigin.EXTRACTED, _("Extracted from articles"))]

    def queryset(self, request, queryset):  # noqa: ANN001
        if self.value() in ClaimOrigin.values:
            return queryset.filter(origin=self.value())
        return queryset


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
    assignee = forms.ModelChoiceField(
        label=_("Editor (for assign)"), required=False, queryset=selectors.desk_members(),
    )


class AssignForm(forms.Form):
    """Give a claim to a colleague: active members of the Editors and Publishers groups."""

    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=selectors.desk_members(),
                                      empty_label=None)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=services.NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the desk only: notes are never shown to readers or partners."),
    )


class SourceInline(admin.StackedInline):
    model = Source
    fields = ("url", "title", "publisher", "quote", "stance", "archived_url", "added_by", "checked_at")
    readonly_fields = ("added_by", "checked_at")
    extra = 0

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("added_by")  # one query for all sources

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return (
            obj is not None and step_is_open("source", obj.status)
            and request.user.has_perm(STEPS["source"].permission)
            and super().has_add_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class VerdictInline(ReadOnlyInline, admin.StackedInline):
    model = Verdict
    fields = ("rating", "language", "headline", "summary", "rationale", "drafted_by", "published_by",
              "published_at")


class VerdictForm(forms.Form):
    rating = forms.ModelChoiceField(queryset=Rating.objects.all(), label=_("Rating"))
    language = forms.ChoiceField(
        choices=settings.LANGUAGES, label=_("Written in"), required=False,
        help_text=_("The language of the headline, summary and rationale; the rating is shown in it. "
                    "The claim's language unless you choose another."),
    )
    headline = forms.CharField(max_length=300, label=_("Headline"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Summary"))
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                label=_("Rationale"))


class ClaimForm(forms.ModelForm):
    """The claim as it will be checked: what an editor may correct of the extraction
    (services.claim_edit writes it)."""

    class Meta:
        model = Claim
        fields = (*services.CLAIM_EDIT_FIELDS, "topics")
        labels = {
            "text": _("Claim as checked"), "speaker": _("Speaker"), "speaker_role": _("Role"),
            "speaker_kind": _("Kind of speaker"), "claim_type": _("Type"),
        }
        help_texts = {"text": _("A normalised wording of the claim; the article's own words stay "
                                "as extracted.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class PublishedClaimForm(ClaimForm):
    """A published claim's edit is a correction: it needs a note for readers."""

    correction_note = forms.CharField(
        label=_("Public correction note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("This fact-check is published: say for readers what you changed and why. "
                    "The edit is published as a correction."),
    )

    def clean(self) -> dict:
        data = super().clean()
        edited = [name for name in services.CLAIM_EDIT_FIELDS if name in self.changed_data]
        if edited and not (data.get("correction_note") or "").strip():
            self.add_error("correction_note", _("Editing a published claim needs a note for readers."))
        return data


class TranslationForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Translation into"))
    headline = forms.CharField(max_length=300, label=_("Headline"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Summary"))
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                label=_("Rationale"))

    def __init__(self, *args, verdict_language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, name) for code, name in settings.LANGUAGES
                                           if code != verdict_language]


class CorrectionForm(forms.Form):
    """The published verdict's values, to change; what differs is the correction."""

    rating = forms.ModelChoiceField(queryset=Rating.objects.all(), label=_("Rating"))
    headline = forms.CharField(max_length=300, label=_("Headline"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Summary"))
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                label=_("Rationale"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Public correction note"),
        help_text=_("Readers see it beside what changed: say what was wrong and why it changed."),
    )


def story_line(claim: Claim) -> str:
    """ "Also in 4 articles by 3 outlets since 2 Dec": how far a repeated claim spread."""
    articles = getattr(claim, "fc_story_articles", None) or 0
    if articles < 2:
        return ""
    since = getattr(claim, "fc_story_since", None)
    when = date_format(timezone.localtime(since), "SHORT_DATE_FORMAT") if since else "?"
    outlets = claim.fc_story_outlets or 1
    return format_html('<div class="fc-story">{} {}</div>', ngettext(
        "Also in %(n)d other article", "Also in %(n)d other articles", articles - 1) % {"n": articles - 1},
        ngettext("by %(n)d outlet since %(when)s", "by %(n)d outlets since %(when)s", outlets)
        % {"n": outlets, "when": when})


def match_line(link: MatchLink) -> str:
    """ "Checked by Tempo, 2 Mar 2024: [HOAKS] ... 0.91", or where else the claim appeared."""
    score = number_format(link.score, 2)
    mark = " ✓" if link.state == LinkState.CONFIRMED else ""
    if link.factcheck_id:
        factcheck = link.factcheck
        when = date_format(timezone.localtime(factcheck.reviewed_at), "SHORT_DATE_FORMAT") if factcheck.reviewed_at else "?"
        label = f"[{factcheck.rating_text}] " if factcheck.rating_text else ""
        return format_html(
            '{} <a href="{}" rel="noopener noreferrer" target="_blank">{}{}</a> <span class="fc-score">{}</span>{}',
            _("Checked by %(who)s, %(when)s:") % {"who": factcheck.publisher or "?", "when": when},
            factcheck.url, label, Truncator(factcheck.claim_reviewed).chars(100), score, mark,
        )
    other = link.other
    verdict = getattr(other, "verdict", None) if other.status == ClaimStatus.PUBLISHED else None
    url = reverse("admin:claims_claim_change", args=[other.pk])
    if verdict is not None and verdict.published_at:
        when = date_format(timezone.localtime(verdict.published_at), "SHORT_DATE_FORMAT")
        return format_html('{} <a href="{}">[{}] {}</a> <span class="fc-score">{}</span>{}',
                           _("Checked by us, %(when)s:") % {"when": when}, url, verdict.rating.label,
                           Truncator(verdict.headline).chars(100), score, mark)
    return format_html('{} <a href="{}">{}</a> <span class="fc-score">{}</span>{}',
                       _("Also in %(outlet)s:") % {"outlet": other.article.outlet or other.article.title[:40] or "?"},
                       url, Truncator(other.text).chars(100), score, mark)


@admin.register(Claim)
class ClaimAdmin(ViewOnlyHistoryAdmin):
    list_display = ("claim_text", "speaker_with_role", "score_with_reasons", "topic_list", "article_link",
                    "age", "status", "assignee")
    list_filter = (StatusFilter, FoldedFilter, StoryFilter, ArticleFilter, OriginFilter, "topics", LanguageFilter, "claim_type",
                   AssigneeFilter, OutletFilter, ArticleWatchedSourceFilter, HasSourcesFilter, ScoreBandFilter)
    list_select_related = ("article", "assignee")
    search_fields = ("text", "speaker", "speaker_role", "entity_names", "article__title")
    ordering = ("-score", "created_at", "id")
    list_per_page = 50
    action_form = ClaimActionForm
    actions = ("assign_to_me", "assign_to_editor", "dismiss", "mark_duplicate")
    form = ClaimForm
    # Score, reasons, attribution and dismiss reason are shown through claims.display: stored
    # in English, read in the desk's language.
    readonly_fields = ("article", "status", "assignee", "dismiss_reason_shown", "duplicate_of",
                       "score_shown", "reasons_shown", "attribution_shown", "hedge", "entities", "language", "start", "end",
                       "extractor_version", "edited_by", "edited_at", "created_at", "updated_at")
    fieldsets = (
        (_("The claim as checked"), {"fields": services.CLAIM_EDIT_FIELDS}),
        (None, {"fields": ("article", "status", "assignee", "dismiss_reason_shown", "duplicate_of", "topics")}),
        (_("Extraction"), {"classes": ("collapse",), "fields": (
            "score_shown", "reasons_shown", "attribution_shown", "hedge", "entities", "language", "start", "end",
            "extractor_version", "edited_by", "edited_at", "created_at", "updated_at")}),
    )
    object_history_template = "admin/claims/claim/object_history.html"
    inlines = (SourceInline, VerdictInline)
    change_form_template = "admin/claims/claim/change_form.html"

    def get_queryset(self, request: HttpRequest):
        # The admin's own get_queryset orders before the story's rank exists; this annotates first.
        claims = selectors.with_story(self.model._default_manager.get_queryset())
        return claims.order_by(*self.get_ordering(request)).prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("id", "name", "name_id")),
            Prefetch("match_links", queryset=matching.links_open(), to_attr="open_links"),
        )

    def get_ordering(self, request: HttpRequest) -> list[str]:
        # A claim repeated in other articles ranks a little higher (selectors.with_story).
        return ["-fc_rank", "created_at", "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):  # noqa: ANN001
        # Which statuses the list holds when none was chosen, said above it (with the way out).
        chosen = request.GET.get(StatusFilter.parameter_name)
        extra_context = {**(extra_context or {}), "fc_status_default": None if chosen else status_default(request)}
        return super().changelist_view(request, extra_context)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None):  # noqa: ANN001
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status == ClaimStatus.PUBLISHED and "topics" not in fields:
            # What a published fact-check is filed under is public (its pages and topic feeds).
            fields = (*fields, "topics")
        if obj is not None and not self.may_edit(request.user, obj):
            fields = (*fields, *(name for name in services.CLAIM_EDIT_FIELDS if name not in fields))
        return fields

    @staticmethod
    def edit_step(claim: Claim) -> str:
        return "edit_published" if claim.status == ClaimStatus.PUBLISHED else "edit"

    def may_edit(self, user, claim: Claim) -> bool:  # noqa: ANN001
        """May this user correct the extraction of this claim now (the workflow table's say)?"""
        step = self.edit_step(claim)
        return step_is_open(step, claim.status) and user.has_perm(STEPS[step].permission)

    def _asks_for_note(self, request: HttpRequest, obj) -> bool:  # noqa: ANN001
        """A published claim's page, for a user who may edit it (not a page of its history)."""
        match = getattr(request, "resolver_match", None)
        return (
            obj is not None and obj.status == ClaimStatus.PUBLISHED and self.may_edit(request.user, obj)
            and not (match is not None and (match.url_name or "").endswith("_simple_history"))
        )

    def get_fieldsets(self, request: HttpRequest, obj=None):  # noqa: ANN001
        fieldsets = super().get_fieldsets(request, obj)
        if self._asks_for_note(request, obj):
            (title, options), *rest = fieldsets
            fieldsets = [(title, {**options, "fields": (*options["fields"], "correction_note")}), *rest]
        return fieldsets

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):  # noqa: ANN001
        if self._asks_for_note(request, obj):
            kwargs["form"] = PublishedClaimForm
        form = super().get_form(request, obj, change, **kwargs)
        original = (obj.extracted or {}) if obj is not None else {}
        for name, value in original.items():
            field = form.base_fields.get(name)
            current = getattr(obj, name)
            if field is not None and value_shown(name, value) != value_shown(name, current):
                # The extractor's value beside the editor's, under the field.
                field.help_text = _("As extracted: %(value)s") % {"value": value_shown(name, value)}
        return form

    @admin.display(description=_("claim"), ordering="text")
    def claim_text(self, claim: Claim) -> str:
        hedge = format_html(' <em class="fc-hedge">({})</em>', claim.hedge) if claim.hedge else ""
        badge = format_html('<span class="fc-badge-tip">{}</span>', _("Reader tip")) if claim.origin == ClaimOrigin.TIP else ""
        links = getattr(claim, "open_links", ())
        checked = format_html('<div class="fc-match">{}</div>', match_line(links[0])) if links else ""
        return format_html("{}{}{}{}{}", badge, text_shorten(claim.text, 240), hedge, checked, story_line(claim))

    @admin.display(description=_("Speaker"), ordering="speaker")
    def speaker_with_role(self, claim: Claim) -> str:
        # "a Home Office minister has said": the role is all the article gives.
        if claim.speaker and claim.speaker_role:
            return format_html('{} <span class="fc-role">({})</span>', claim.speaker, claim.speaker_role)
        return claim.speaker or claim.speaker_role or "—"

    @admin.display(description=_("score"), ordering="score")
    def score_with_reasons(self, claim: Claim) -> str:
        return format_html('<span class="fc-score" title="{}">{}</span>',
                           reasons_display(claim.reasons), score_display(claim.score))

    @admin.display(description=_("score"))
    def score_shown(self, claim: Claim) -> str:
        return score_display(claim.score)

    @admin.display(description=_("reasons"))
    def reasons_shown(self, claim: Claim) -> str:
        return reasons_display(claim.reasons) or "—"

    @admin.display(description=_("attribution"))
    def attribution_shown(self, claim: Claim) -> str:
        return attribution_display(claim.attribution) or "—"

    @admin.display(description=_("dismiss reason"))
    def dismiss_reason_shown(self, claim: Claim) -> str:
        return dismiss_reason_display(claim.dismiss_reason) or "—"

    @admin.display(description=_("topics"))
    def topic_list(self, claim: Claim) -> str:
        return ", ".join(t.localized_name for t in claim.topics.all())

    @admin.display(description=_("article"), ordering="article__title")
    def article_link(self, claim: Claim) -> str:
        url = reverse("admin:claims_article_change", args=[claim.article_id])
        outlet = f" ({claim.article.outlet})" if claim.article.outlet else ""
        link = format_html('<a href="{}">{}</a>{}', url, Truncator(str(claim.article)).chars(60), outlet)
        # The article's best claim in the folded queue says how many more it has.
        if getattr(claim, "fc_place", None) != 1:
            return link
        shown = min(claim.fc_article_above, settings.FACTCHECK_QUEUE_PER_ARTICLE)
        folded = claim.fc_article_open - shown
        if folded <= 0:
            return link
        more = reverse("admin:claims_claim_changelist") + f"?article={claim.article_id}&folded=all"
        return format_html('{}<br><a class="fc-folded" href="{}">{}</a>', link, more,
                           ngettext("%(n)d more from this article", "%(n)d more from this article",
                                    folded) % {"n": folded})

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, claim: Claim) -> str:
        return timesince(claim.created_at, timezone.now(), depth=1)

    # Bulk actions ---------------------------------------------------------------------

    def _each(self, request: HttpRequest, queryset, step, done_message: str, **names: str) -> None:  # noqa: ANN001
        done, refused = 0, []
        for claim in queryset:
            try:
                step(claim)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"#{claim.pk}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            self.message_user(request, done_message % {"n": done, **names}, messages.SUCCESS)
        for line in refused[:10]:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Assign to me"), permissions=["work"])
    def assign_to_me(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(request, queryset, lambda c: services.claim_assign(claim=c, user=request.user),
                   _("Assigned %(n)d claim(s) to you."))

    @admin.action(description=_("Assign to the chosen editor"), permissions=["work"])
    def assign_to_editor(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        assignee = selectors.desk_members().filter(pk=request.POST.get("assignee") or 0).first()
        if assignee is None:
            self.message_user(request, _("Choose the editor to assign the claims to."), messages.ERROR)
            return
        self._each(request, queryset,
                   lambda c: services.claim_assign(claim=c, user=request.user, assignee=assignee),
                   _("Assigned %(n)d claim(s) to %(who)s."), who=assignee.get_username())

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
        """Write the form's own fields (topics) and nothing else.

        Status, assignee, verdict and the rest belong to the services. The row is locked and
        read again first, so that a step another user took since this page was read is
        neither written back nor recorded wrongly in the history.
        """
        # Adding a source from the claim's page must not record an empty claim change.
        if not form.has_changed():
            return
        edits = {name: form.cleaned_data[name] for name in services.CLAIM_EDIT_FIELDS if name in form.changed_data}
        if edits:
            try:
                services.claim_edit(claim=obj, user=request.user,
                                    note=form.cleaned_data.get("correction_note", ""), **edits)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, "; ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
            obj.refresh_from_db()
        own = [f.name for f in obj._meta.concrete_fields if f.name in form.changed_data and f.name not in edits]
        if not own and "topics" not in form.changed_data:
            return
        with transaction.atomic():
            list(Claim.objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
            obj.refresh_from_db(fields=[
                f.name for f in obj._meta.concrete_fields if not f.primary_key and f.name not in own
            ])
            obj._history_user = request.user
            obj.save(update_fields=[*own, "updated_at"])

    def save_formset(self, request: HttpRequest, form, formset, change) -> None:  # noqa: ANN001
        if formset.model is not Source:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for source, changed in formset.changed_objects:
            try:
                services.source_update(
                    source=source, user=request.user,
                    **{name: getattr(source, name) for name in changed if name in services.SOURCE_FIELDS},
                )
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, "; ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
        for source in formset.new_objects:
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
            path("<int:pk>/notes/", step(self.note_view), name="claims_claim_note"),
            path("<int:pk>/links/<int:link_id>/<str:decision>/", step(self.link_view), name="claims_claim_link"),
            path("notices/", step(self.notices_view), name="claims_claim_notices"),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):  # noqa: ANN001
        claim = self.get_object(request, object_id)
        if claim is not None:
            extra_context = {**(extra_context or {}), **self._claim_context(request, claim)}
            if request.method == "GET":
                services.notices_mark_read(user=request.user, claim=claim)  # seen now
        return super().change_view(request, object_id, form_url, extra_context)

    def _claim_context(self, request: HttpRequest, claim: Claim) -> dict:
        article = claim.article
        left, right = window(article.body, claim.start, claim.end)
        siblings = list(article.claims.exclude(pk=claim.pk).order_by("start")
                        .only("id", "text", "start", "end", "score", "status"))
        spans = [(c.start, c.end, c.pk, c.score) for c in siblings if left <= c.start and c.end <= right]
        spans.append((claim.start, claim.end, claim.pk, claim.score))
        shifted = [(s - left, e - left, pk, sc) for s, e, pk, sc in spans]
        verdict = Verdict.objects.filter(claim=claim).select_related("rating", "drafted_by", "published_by").first()
        steps = self.steps_offered(request.user, claim, verdict=verdict)
        initial = ({"rating": verdict.rating_id, "language": verdict.language, "headline": verdict.headline,
                    "summary": verdict.summary, "rationale": verdict.rationale} if verdict
                   else {"language": services.verdict_language_default(claim)})
        translations = list(verdict.translations.select_related("translator")) if verdict else []
        translation_form = None
        if verdict is not None and steps["translate"]:
            first = translations[0] if translations else None
            translation_form = TranslationForm(verdict_language=verdict.language, initial={
                "language": first.language, "headline": first.headline, "summary": first.summary,
                "rationale": first.rationale} if first else {})
        return {
            "fc_claim": claim,
            "fc_pieces": pieces(article.body[left:right], shifted, current=claim.pk),
            "fc_cut_before": left > 0,
            "fc_cut_after": right < len(article.body),
            "fc_siblings": siblings,
            "fc_story": list(selectors.story_members(claim=claim)[:50]),
            "fc_verdict": verdict,
            "fc_corrections": list(Correction.objects.filter(verdict__claim=claim)
                                   .select_related("previous_rating", "new_rating", "corrected_by")),
            "fc_two_person": self.two_person_held(request.user, claim, verdict),
            "fc_timeline": claim_timeline(claim=claim),
            "fc_matches": [(link, match_line(link)) for link in matching.links_open([claim.pk])],
            "fc_may_work": request.user.has_perm(services.WORK_PERMISSION),
            "fc_tip": Tip.objects.filter(claim=claim).first() if claim.origin == ClaimOrigin.TIP else None,
            "fc_original": self.original_values(claim),
            "fc_steps": steps,
            "fc_verdict_form": VerdictForm(initial=initial) if steps["draft"] else None,
            "fc_correction_form": CorrectionForm(initial=initial) if steps["correct"] else None,
            "fc_translations": translations,
            "fc_translation_form": translation_form,
            "fc_reasons": services.DISMISS_REASONS,
            "fc_assign_form": (AssignForm(initial={"assignee": claim.assignee_id})
                               if self.can_assign_others(request.user, claim) else None),
            "fc_notes": selectors.claim_notes(claim=claim),
            "fc_note_form": NoteForm() if request.user.has_perm(services.WORK_PERMISSION) else None,
        }

    def can_assign_others(self, user, claim: Claim) -> bool:  # noqa: ANN001
        return step_is_open("assign", claim.status) and user.has_perm(STEPS["assign"].permission)

    @staticmethod
    def original_values(claim: Claim) -> dict[str, str]:
        """What the extractor found of each field an editor has since changed, as shown."""
        original = claim.extracted or {}
        return {
            name: value_shown(name, original[name]) for name in services.CLAIM_EDIT_FIELDS
            if name in original and value_shown(name, original[name]) != value_shown(name, getattr(claim, name))
        }

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):  # noqa: ANN001
        """The admin's History page of a claim: its timeline (sources, verdict, corrections
        and jobs too), above the list of the claim row's own versions."""
        claim = self.get_object(request, object_id)
        if claim is not None and self.has_view_or_change_permission(request, claim):
            extra_context = {**(extra_context or {}), "fc_timeline": claim_timeline(claim=claim)}
        return super().history_view(request, object_id, extra_context)

    # The buttons on a claim's page; which of them show is the workflow table's to say.
    BUTTONS = ("assign", "dismiss", "duplicate", "draft", "publish", "correct", "translate", "translation_publish")

    def steps_offered(self, user, claim: Claim, *, verdict: Verdict | None = None) -> dict[str, bool]:  # noqa: ANN001
        """Each button, and whether the page offers it: the table's steps open to the user's
        permissions in the claim's state; assigning not to whom it is assigned already."""
        held = {step.permission for step in STEPS.values() if user.has_perm(step.permission)}
        open_ = steps_open(status=claim.status, permissions=held)
        if claim.assignee_id == user.pk:
            open_.discard("assign")
        if open_ & {"publish", "correct"}:
            verdict = verdict or Verdict.objects.filter(claim=claim).first()
            if self.two_person_held(user, claim, verdict):
                open_ -= {"publish", "correct"}
        return {name: name in open_ for name in self.BUTTONS}

    @staticmethod
    def two_person_held(user, claim: Claim, verdict: Verdict | None) -> bool:  # noqa: ANN001
        """Does the two-person rule keep this user from publishing or correcting the verdict?
        (The page says so instead of offering the buttons; the service refuses regardless.)"""
        return (
            settings.FACTCHECK_TWO_PERSON_RULE and verdict is not None
            and claim.status in (ClaimStatus.VERDICT_DRAFTED, ClaimStatus.PUBLISHED)
            and user.has_perm(services.PUBLISH_PERMISSION)
            and user.pk in services.verdict_drafters(verdict)
        )

    def workflow_view(self, request: HttpRequest, pk: int, step: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = get_object_or_404(Claim, pk=pk)
        user = request.user
        done = {
            "assign": _("Claim assigned."), "dismiss": _("Claim dismissed."),
            "duplicate": _("Claim marked as a duplicate."), "draft": _("Verdict drafted."),
            "publish": _("Verdict published."), "correct": _("Correction published."),
            "translate": _("Translation saved as a draft; a publisher publishes it."),
            "translation_publish": _("Translation published."),
        }
        try:
            if step == "assign":
                assignee = None
                if request.POST.get("assignee"):
                    form = AssignForm(request.POST)
                    if not form.is_valid():
                        raise ValidationError(_("Choose an active editor or publisher to assign the claim to."))
                    assignee = form.cleaned_data["assignee"]
                services.claim_assign(claim=claim, user=user, assignee=assignee)
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
            elif step == "translate":
                verdict = Verdict.objects.filter(claim=claim).only("language").first()
                form = TranslationForm(request.POST, verdict_language=verdict.language if verdict else "")
                if not form.is_valid():
                    raise ValidationError([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
                services.verdict_translate(claim=claim, user=user, **form.cleaned_data)
            elif step == "translation_publish":
                services.verdict_translation_publish(claim=claim, user=user, language=request.POST.get("language", ""))
            else:
                raise ValidationError(_("Unknown step."))
            self.message_user(request, done.get(step, ""), messages.SUCCESS)
        except PermissionDenied:
            self.message_user(request, _("You may not do this."), messages.ERROR)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def note_view(self, request: HttpRequest, pk: int):
        """Add an internal note to a claim (claims.services.note_add)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = get_object_or_404(Claim.objects.select_related("assignee"), pk=pk)
        form = NoteForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([m for errors in form.errors.values() for m in errors])
            services.note_add(claim=claim, user=request.user, text=form.cleaned_data["text"])
            self.message_user(request, _("Note added."), messages.SUCCESS)
        except PermissionDenied:
            self.message_user(request, _("You may not do this."), messages.ERROR)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]) + "#fc-notes")

    def link_view(self, request: HttpRequest, pk: int, link_id: int, decision: str):
        """Confirm or reject a suggested match, or close the claim as already checked."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        link = get_object_or_404(MatchLink.objects.select_related("claim", "other"), pk=link_id, claim_id=pk)
        try:
            if decision == "close":
                services.link_close_as_checked(link=link, user=request.user)
                self.message_user(request, _("Closed as already checked."), messages.SUCCESS)
            elif decision in (LinkState.CONFIRMED, LinkState.REJECTED):
                services.link_decide(link=link, user=request.user, state=decision)
                self.message_user(request, _("Match confirmed.") if decision == LinkState.CONFIRMED
                                  else _("Match rejected: it will not be suggested again."), messages.SUCCESS)
            else:
                raise Http404
        except PermissionDenied:
            self.message_user(request, _("You may not do this."), messages.ERROR)
        except (ValidationError, WorkflowError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[pk]) + "#fc-matches")

    def notices_view(self, request: HttpRequest):
        """The user's notices, newest unread first; seen once shown."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        notices = selectors.notices_recent(user=request.user)
        services.notices_mark_read(user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": _("Notices"), "fc_notices": notices,
        }
        return TemplateResponse(request, "admin/claims/claim/notices.html", context)
