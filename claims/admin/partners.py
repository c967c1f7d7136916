"""Partners: their API keys (shown once) and their webhook deliveries."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import ApiKey, Partner, WebhookDelivery
from .base import ReadOnlyInline, WritesOnlyItsFields


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
    list_display = ("name", "is_active", "rate_limit_per_minute", "max_article_chars", "chars_per_minute",
                    "webhook_url", "created_at")
    search_fields = ("name",)
    fields = ("name", "contact_email", "is_active", "rate_limit_per_minute", "max_article_chars",
              "chars_per_minute", "webhook_url", "webhook_secret", "digest_webhook")
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
class WebhookDeliveryAdmin(WritesOnlyItsFields, admin.ModelAdmin):
    list_display = ("id", "partner", "event", "claim_id", "digest_id", "status", "attempts", "response_code",
                    "last_attempt_at", "short_error")
    list_filter = ("status", "event", "partner")
    list_select_related = ("partner",)
    readonly_fields = ("partner", "claim", "digest", "event", "url", "payload", "status", "attempts", "response_code",
                       "error", "created_at", "last_attempt_at", "sent_at", "sends", "due_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("error"))
    def short_error(self, delivery: WebhookDelivery) -> str:
        return Truncator(delivery.error).chars(80)
