"""Fact-checks published elsewhere: the list, and importing a page, a feed or a file."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import services
from ..ingest import IngestError, bytes_decode
from ..models import FactCheck

UPLOAD_MAX_BYTES = 50 * 1024 * 1024


class FactCheckImportForm(forms.Form):
    url = forms.URLField(
        label=_("Address of a fact-check page or a DataFeed"), required=False, max_length=2000,
        assume_scheme="https",
    )
    file = forms.FileField(
        label=_("or a file (DataFeed JSON, ClaimReview JSON-LD, or a saved page)"), required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either an address or a file."))
        upload = data.get("file")
        if upload is not None and upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return data


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    list_display = ("claim_short", "rating_text", "publisher", "reviewed_at", "language", "link")
    list_filter = ("language", "publisher")
    search_fields = ("claim_reviewed", "claimant", "headline", "publisher", "url")
    date_hierarchy = "reviewed_at"
    readonly_fields = [f.name for f in FactCheck._meta.concrete_fields if f.name != "id"]
    change_list_template = "admin/claims/factcheck/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # added only by importing, never typed in

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False  # another publisher's words: shown as they were imported

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("claims.add_factcheck")

    @admin.display(description=_("claim reviewed"), ordering="claim_reviewed")
    def claim_short(self, factcheck: FactCheck) -> str:
        return Truncator(factcheck.claim_reviewed).words(24)

    @admin.display(description=_("fact-check"))
    def link(self, factcheck: FactCheck) -> str:
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
                           factcheck.url, _("open"))

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:  # noqa: ANN001
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="claims_factcheck_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = FactCheckImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = self._import(form.cleaned_data)
            except services.FactCheckSourceError as exc:
                form.add_error(None, str(exc))
            else:
                level = messages.SUCCESS if not report.problems else messages.WARNING
                self.message_user(request, _(
                    "%(created)d new, %(updated)d updated, %(unchanged)d unchanged, %(skipped)d skipped."
                ) % {"created": report.created, "updated": report.updated,
                     "unchanged": report.unchanged, "skipped": report.skipped}, level)
                for problem in report.problems[:20]:
                    self.message_user(request, problem, messages.WARNING)
                return HttpResponseRedirect(reverse("admin:claims_factcheck_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import fact-checks"),
        }
        return TemplateResponse(request, "admin/claims/factcheck/import.html", context)

    def _import(self, data: dict) -> services.FactCheckImport:
        if data.get("url"):
            return services.factchecks_import_url(url=data["url"])
        upload = data["file"]
        raw = upload.read(UPLOAD_MAX_BYTES + 1)
        name = upload.name or "upload"
        if name.lower().endswith((".html", ".htm")):
            try:
                html, _encoding = bytes_decode(raw)
            except IngestError as exc:
                raise services.FactCheckSourceError(str(exc)) from exc
            items, problems = services.factchecks_read_html(html)
        else:
            items, problems = services.factchecks_read_json(raw)
        return services.factchecks_store(
            items=items, imported_from=name, report=services.FactCheckImport(problems=list(problems))
        )
