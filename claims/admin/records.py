"""Sources and verdicts as records: lists to look up, each with its history.

They are written on their claim's page, through the workflow's services; here they are
only read (no adding, changing or deleting), and each one's History shows every change.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..models import Source, Verdict
from .base import ViewOnlyHistoryAdmin, WrittenByServices


class RecordAdmin(WrittenByServices, ViewOnlyHistoryAdmin):
    @admin.display(description=_("claim"), ordering="claim")
    def claim_link(self, record) -> str:  # noqa: ANN001
        url = reverse("admin:claims_claim_change", args=[record.claim_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(record.claim.text).chars(80))


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("__str__", "stance", "claim_link", "added_by", "created_at")
    list_select_related = ("claim", "added_by")
    list_filter = ("stance",)
    search_fields = ("url", "title", "publisher")
    fields = ("claim", "url", "title", "publisher", "quote", "stance", "archived_url", "added_by", "checked_at",
              "created_at")
    readonly_fields = fields


@admin.register(Verdict)
class VerdictAdmin(RecordAdmin):
    list_display = ("headline", "rating", "claim_link", "drafted_by", "published_by", "published_at")
    list_select_related = ("claim", "rating", "drafted_by", "published_by")
    search_fields = ("headline", "summary")
    fields = ("claim", "rating", "headline", "summary", "rationale", "drafted_by", "published_by", "published_at",
              "created_at", "updated_at")
    readonly_fields = fields
