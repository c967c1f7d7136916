"""The morning list: today's lists as they stand (the whole desk's and each topic's, as
claims.services.digest sends them) and the lists made before, each with whether and to
how many people it was emailed, or the mail server's error. Everyone on the desk may
read it; nobody writes it by hand."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import selectors, services
from ..display import score_display
from ..models import Digest
from .base import WrittenByServices
from .claims import match_line


@admin.register(Digest)
class DigestAdmin(WrittenByServices, admin.ModelAdmin):
    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return request.user.is_active and request.user.has_perm("claims.view_claim")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context=None):  # noqa: ANN001
        """Today's lists for the last 24 hours, as they would be sent now, and the past ones."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        until = timezone.now()
        lists = services.digest_lists(since=until - timedelta(hours=24), until=until)
        sections = [{
            "topic": item.topic,
            "claims": [{"claim": claim, "score": score_display(claim.score),
                        "match": match_line(claim.open_links[0]) if claim.open_links else ""}
                       for claim in item.claims],
        } for item in lists]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": _("Morning list"), "fc_sections": sections,
            "fc_past": selectors.digests_recent(),
            "fc_today": timezone.localdate(until),
            "fc_enabled": settings.FACTCHECK_DIGEST_ENABLED, "fc_time": settings.FACTCHECK_DIGEST_TIME,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/claims/digest/morning_list.html", context)
