"""What verdicts are filed under and rated with: topics, ratings; and the corrections record."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..models import Correction, Rating, Topic, Verdict
from .base import ViewOnlyHistoryAdmin, WritesOnlyItsFields


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
    list_display = ("label_en", "label_id", "value", "best", "worst", "colour_swatch")
    fields = ("label_en", "label_id", "description_en", "description_id", "value", "best", "worst", "colour")
    # What a published verdict says with its rating (ClaimReview's ratingValue, alternateName),
    # in each language.
    MEANING_FIELDS = ("label_en", "label_id", "value", "best", "worst")

    def get_readonly_fields(self, request: HttpRequest, obj=None):  # noqa: ANN001
        """A rating some published verdict or correction uses keeps its meaning: renaming
        "False" to "True" would change those fact-checks with no correction. Its colour and
        description may still change."""
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and (
            Verdict.objects.filter(rating=obj, published_at__isnull=False).exists()
            or Correction.objects.filter(previous_rating=obj).exists()
        ):
            fields = (*fields, *(f for f in self.MEANING_FIELDS if f not in fields))
        return fields

    @admin.display(description=_("colour"))
    def colour_swatch(self, rating: Rating) -> str:
        return format_html('<span style="display:inline-block;width:1em;height:1em;background:{}"></span> {}',
                           rating.colour, rating.colour)


@admin.register(Correction)
class CorrectionAdmin(WritesOnlyItsFields, ViewOnlyHistoryAdmin):
    list_display = ("verdict", "changes", "note", "corrected_by", "created_at")
    list_select_related = ("verdict", "previous_rating", "new_rating", "corrected_by")
    # A public record: every field read-only, the values before beside the values after.
    readonly_fields = ("verdict", "changes", "note", "corrected_by", "created_at",
                       "previous_rating", "new_rating", "previous_headline", "new_headline",
                       "previous_summary", "new_summary", "previous_rationale", "new_rationale")
    fields = readonly_fields

    @admin.display(description=_("what changed"))
    def changes(self, correction: Correction) -> str:
        return correction.what_changed

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False  # a correction is a public record; it is made by verdict_correct only
