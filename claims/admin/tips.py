"""Readers' tips as the desk sees them: what was sent, the claim it became, and the contact
details (the desk only; deleted after FACTCHECK_TIP_CONTACT_DAYS). Nothing here is edited:
the tip is the reader's; the work happens on its claim."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Tip, text_shorten
from .base import WrittenByServices


@admin.register(Tip)
class TipAdmin(WrittenByServices, admin.ModelAdmin):
    list_display = ("tip_text", "language", "claim_link", "claim_status", "contact_shown", "created_at")
    list_filter = ("language", "claim__status")
    list_select_related = ("claim",)
    search_fields = ("text", "url")
    ordering = ("-created_at", "-id")
    fields = ("text", "url", "language", "claim_link", "claim_status", "contact_shown", "created_at",
              "contact_deleted_at")
    readonly_fields = fields
    actions = ("contact_delete",)

    # Anyone who works the queue sees the tips (and their contact details); nobody edits them.
    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return request.user.is_active and request.user.has_perm(services.WORK_PERMISSION)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_work_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(services.WORK_PERMISSION)

    @admin.display(description=_("tip"), ordering="text")
    def tip_text(self, tip: Tip) -> str:
        return text_shorten(tip.text or tip.url, 160)

    @admin.display(description=_("claim"))
    def claim_link(self, tip: Tip) -> str:
        if tip.claim_id is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:claims_claim_change", args=[tip.claim_id]),
                           text_shorten(tip.claim.text, 80))

    @admin.display(description=_("status"), ordering="claim__status")
    def claim_status(self, tip: Tip) -> str:
        return tip.claim.get_status_display() if tip.claim_id else "—"

    @admin.display(description=_("contact"))
    def contact_shown(self, tip: Tip) -> str:
        if tip.contact_deleted_at:
            return _("Deleted")
        return tip.contact or "—"

    @admin.action(description=_("Delete the contact details now"), permissions=["work"])
    def contact_delete(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        deleted = services.tips_contact_delete(tips=queryset, user=request.user)
        self.message_user(request, _("Deleted the contact details of %(n)d tip(s).") % {"n": deleted},
                          messages.SUCCESS)
